/*
 * cmd.h - the commands of the verdict client, tmux-style: each command
 * is a "struct cmd_entry" in its own cmd-*.c file, found by name in the
 * dispatch table of main.c, which parses its options (its own and the
 * ones every command takes) into a "struct cmd_args" and runs it.
 *
 * A command returns the process's exit status, one of CMD_EXIT_*; the
 * helpers below turn an HTTP outcome into one, printing why.
 */
#ifndef CLIENT_CMD_H
#define CLIENT_CMD_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "client/http.h"
#include "common/proto.h"


/* Exit status; main.c's usage documents them for users. */
#define CMD_EXIT_OK		0	/* success */
#define CMD_EXIT_FAILED		1	/* refused (4xx), or failed */
#define CMD_EXIT_USAGE		2	/* usage error, bad local input */
#define CMD_EXIT_UNREACHABLE	3	/* no answer, or 5xx/busy at last */
#define CMD_EXIT_TIMEOUT	4	/* wait: the run did not finish */

#define CMD_MAX_OPTS		10	/* options of one command */

/* One option of a command, always long ("--name"). */
struct cmd_opt {
	const char	*name;		/* without "--"; NULL ends the list */
	const char	*arg;		/* its value in usage ("NAME"), or NULL
					   for a flag */
};

struct cmd_args;

/* A command: what main.c needs to parse its options and run it. */
struct cmd_entry {
	const char	*name;		/* "submit" */
	const char	*usage;		/* what follows the name in usage */
	const char	*help;		/* lines for "verdict NAME --help" */
	struct cmd_opt	 opts[CMD_MAX_OPTS];	/* the unused: NULL name */
	int		 min_args;	/* positional arguments */
	int		 max_args;
	int		(*exec)(struct cmd_args *, struct http *);
};

/* A parsed command line.  Strings are borrowed from argv. */
struct cmd_args {
	const struct cmd_entry *entry;	/* NULL before the command */
	const char	*value[CMD_MAX_OPTS];	/* of entry->opts[i]; NULL:
					   absent, "" a flag given */
	int		 argc;		/* positional arguments */
	char		**argv;
	const char	*url;		/* --url, or NULL */
	const char	*token;		/* --token, or NULL */
	double		 max_wait_s;	/* --max-wait; < 0: no limit */
	bool		 help;		/* -h, --help */
	bool		 version;	/* -V, --version */
};

extern const struct cmd_entry cmd_submit_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_wait_entry;
extern const struct cmd_entry cmd_results_entry;
extern const struct cmd_entry cmd_feed_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_problems_entry;
extern const struct cmd_entry cmd_problem_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_health_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_delete_entry;
extern const struct cmd_entry cmd_set_model_entry;

/* --- Options (main.c) --- */

/*
 * The value of the command's option "name" (which must be in its
 * entry's list): NULL when not given, "" for a flag given.  Borrowed
 * from argv.
 */
const char *cmd_opt(const struct cmd_args *, const char *name);

/*
 * Read the option "name" as a number in [min, max], a whole one when
 * "integer".  Returns 0 with the value in *out, or with *out untouched
 * when the option was not given; or -EINVAL with a message printed.
 */
int	 cmd_opt_num(const struct cmd_args *, const char *name, double min,
	    double max, bool integer, double *out);

/* --- Requests and answers (cmd.c) --- */

/*
 * The exit status for the outcome "r" of an http_*() call and its
 * answer: CMD_EXIT_OK for a 2xx answer; otherwise the reason is printed
 * ("verdict: server: MESSAGE (STATUS CODE)", with a hint for 401; for
 * no answer http.c printed it) and the status is CMD_EXIT_UNREACHABLE
 * for no answer, 429 and 5xx, CMD_EXIT_FAILED for the rest.
 */
int	 cmd_check(int r, const struct http_resp *);

/*
 * Parse the body of a 2xx answer, which must be a JSON object.  Returns
 * CMD_EXIT_OK with a new reference in *jsonp, or CMD_EXIT_FAILED with
 * "verdict: what: bad answer from the server: ..." printed and *jsonp
 * NULL.
 */
int	 cmd_json(const struct http_resp *, const char *what, json_t **jsonp);

/*
 * GET "path" (or POST "len" bytes of "body" with the Content-Type
 * "ctype" when body is not NULL) and check the answer with cmd_check().
 * On CMD_EXIT_OK, *resp holds the answer (release it with
 * http_resp_free()) and, when jsonp is not NULL, *jsonp a new reference
 * to its body, which must be a JSON object (else CMD_EXIT_FAILED).  On
 * any other status, *resp is zeroed and *jsonp is NULL.
 */
int	 cmd_call(struct http *, const char *path, const char *body,
	    size_t len, const char *ctype, struct http_resp *resp,
	    json_t **jsonp);

/*
 * cmd_call() with the request "method" ("DELETE", "PATCH", ...) and a
 * body of the Content-Type "ctype" when body is not NULL.
 */
int	 cmd_send(struct http *, const char *method, const char *path,
	    const char *body, size_t len, const char *ctype,
	    struct http_resp *resp, json_t **jsonp);

/*
 * The path "pre" + "arg" percent-encoded + "post" ("post" may be "").
 * Returns a new string, to free().
 */
char	*cmd_path(struct http *, const char *pre, const char *arg,
	    const char *post);

/*
 * "path" (freed) with the query argument "key" = "value" percent-encoded
 * appended ("?" or "&"), or "path" itself when "value" is NULL.
 * Returns the new path, to free().
 */
char	*cmd_query(struct http *, char *path, const char *key,
	    const char *value);

/*
 * GET "path" and write the body as it arrives to standard output, or,
 * with "out", to the file "out" through "out.tmp" (synced, then renamed:
 * "out" is never a partial answer).  Returns an exit code, the error
 * printed.
 */
int	 cmd_get_to(struct http *, const char *path, const char *out);

/* Write a body to standard output, ending it with a newline. */
void	 cmd_print_body(const struct http_resp *);

/*
 * A scalar JSON value as text for tables: strings escaped
 * (log_escape()), numbers, true/false, "-" for null or absent.  Returns
 * buf (size len).
 */
char	*cmd_json_text(const json_t *, char *buf, size_t len);

/* The integer member "key" of "obj", or 0 when it is not an integer. */
long long cmd_json_int(const json_t *obj, const char *key);

/* --- Input files (cmd.c) --- */

/*
 * Open "path" ("-": standard input, duplicated) for reading.  Returns 0
 * with a new close-on-exec descriptor in *fdp (the caller closes it, or
 * hands it on), the name to use in messages in *namep ("stdin" or
 * path, borrowed) and, for a regular file, its size in *sizep (-1
 * otherwise); or CMD_EXIT_USAGE with a message printed.
 */
int	 cmd_open(const char *path, int *fdp, const char **namep,
	    off_t *sizep);

#endif /* CLIENT_CMD_H */
