/*
 * fuzz-client.c - the verdict client's reading of the server's answers:
 * its commands (client/cmd.h) run against a fake server that gives the
 * input as every answer.  The client's HTTP layer is client/http.c, but
 * its three calls that reach the network, http_send(), http_post() and
 * http_get_to(), are this file's __wrap_ functions (the harness is
 * linked with -Wl,--wrap for each): what the client makes of the body
 * (http_resp_error(), cmd_json(), the tables, the feed's lines, the
 * submission counts) is its own code.
 *
 * Input: a byte choosing the command (below), a byte choosing the HTTP
 * status (200, 201, 400, 404, 413, 429, 500, or no answer), then the
 * body.  Standard output goes to /dev/null.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/cmd.h"
#include "client/http.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

int	 LLVMFuzzerInitialize(int *argc, char ***argv);
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	 __wrap_http_send(struct http *, const char *, const char *,
	    const char *, size_t, const char *, struct http_resp *);
int	 __wrap_http_post(struct http *, const char *, const char *, size_t,
	    const char *, struct http_resp *);
int	 __wrap_http_get_to(struct http *, const char *, FILE *,
	    struct http_resp *);

/* A command line: the command, its options as NAME or NAME=VALUE. */
struct fcl_cmd {
	const struct cmd_entry *entry;
	const char	*arg;		/* its one argument, or NULL */
	const char	*opts[4];	/* NULL ends them */
};

/* The samples file of "submit" (set at the start). */
static char fcl_samples[64];

static const struct fcl_cmd fcl_cmds[] = {
	{ &cmd_status_entry, NULL, { NULL } },
	{ &cmd_status_entry, "r1", { NULL } },
	{ &cmd_wait_entry, "r1", { "timeout=0", NULL } },
	{ &cmd_show_entry, "v-1", { NULL } },
	{ &cmd_problems_entry, NULL, { NULL } },
	{ &cmd_problems_entry, NULL, { "run=r1", NULL } },
	{ &cmd_problem_entry, "HumanEval/0", { NULL } },
	{ &cmd_health_entry, NULL, { NULL } },
	{ &cmd_results_entry, "r1", { "fields=message", NULL } },
	{ &cmd_feed_entry, "r1", { NULL } },
	{ &cmd_delete_entry, "r1", { NULL } },
	{ &cmd_delete_entry, "r1", { "yes", NULL } },
	{ &cmd_set_model_entry, "r1", { "ranker=m2", NULL } },
	{ &cmd_report_entry, NULL, { "runs=a,b", "format=md", NULL } },
	{ &cmd_submit_entry, fcl_samples, { "run=r1", "batch=2", "ids",
	    NULL } },
	{ &cmd_submit_entry, fcl_samples, { "run=r1", NULL } },
};

static const long fcl_statuses[] = { 200, 201, 400, 404, 413, 429, 500,
    0 };

static struct http *fcl_http;
static const char *fcl_body;		/* the answer to every request */
static size_t	 fcl_len;
static long	 fcl_status;

/* Three lines for "submit" to post, two a batch. */
static const char fcl_lines[] =
    "{\"task_id\": \"HumanEval/0\", \"completion\": \"  return 1\\n\"}\n"
    "{\"task_id\": \"HumanEval/1\", \"completion\": \"  return 2\\n\"}\n"
    "{\"task_id\": \"HumanEval/2\", \"completion\": \"  return 3\\n\"}\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	 fd;

	(void)argc;
	(void)argv;
	fuzz_init();
	if (freopen("/dev/null", "w", stdout) == NULL)
		fatal("/dev/null");
	fd = fuzz_file((const uint8_t *)fcl_lines, strlen(fcl_lines),
	    fcl_samples, sizeof(fcl_samples));
	(void)fd;			/* open for the life of the harness */
	if (http_new("http://127.0.0.1:9", NULL, "fuzz", &fcl_http) < 0)
		fatalx("http_new");
	http_set_retry(fcl_http, 0, 1);
	return 0;
}

/* The answer: the input's body with its status, or none (status 0). */
static int
fcl_answer(FILE *out, struct http_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	if (fcl_status == 0)
		return -EHOSTUNREACH;
	resp->status = fcl_status;
	if (out != NULL && fcl_status / 100 == 2) {
		/* A 2xx answer with "out" goes there, as it comes. */
		if (fwrite(fcl_body, 1, fcl_len, out) != fcl_len)
			return -EIO;
		resp->body = xstrdup("");
		return 0;
	}
	resp->body = xmalloc(fcl_len + 1);
	memcpy(resp->body, fcl_body, fcl_len);
	resp->body[fcl_len] = '\0';
	resp->len = fcl_len;
	return 0;
}

int
__wrap_http_send(struct http *h, const char *method, const char *path,
    const char *body, size_t len, const char *ctype, struct http_resp *resp)
{
	(void)h;
	(void)method;
	(void)path;
	(void)body;
	(void)len;
	(void)ctype;
	return fcl_answer(NULL, resp);
}

int
__wrap_http_post(struct http *h, const char *path, const char *body,
    size_t len, const char *ctype, struct http_resp *resp)
{
	return __wrap_http_send(h, "POST", path, body, len, ctype, resp);
}

int
__wrap_http_get_to(struct http *h, const char *path, FILE *out,
    struct http_resp *resp)
{
	(void)h;
	(void)path;
	return fcl_answer(out, resp);
}

/* Run the command line "c" as client/main.c would. */
static void
fcl_run(const struct fcl_cmd *c)
{
	struct cmd_args	 a;
	char		*argv[1], *eq;
	size_t		 n;
	int		 i;

	memset(&a, 0, sizeof(a));
	a.entry = c->entry;
	a.max_wait_s = 0;
	for (const char *const *o = c->opts; *o != NULL; o++) {
		eq = strchr(*o, '=');
		n = eq != NULL ? (size_t)(eq - *o) : strlen(*o);
		for (i = 0; i < CMD_MAX_OPTS && c->entry->opts[i].name != NULL;
		    i++)
			if (strncmp(c->entry->opts[i].name, *o, n) == 0 &&
			    c->entry->opts[i].name[n] == '\0')
				break;
		if (i == CMD_MAX_OPTS || c->entry->opts[i].name == NULL)
			fatalx("no option %s", *o);
		a.value[i] = eq != NULL ? eq + 1 : "";
	}
	if (c->arg != NULL) {
		argv[0] = (char *)(uintptr_t)c->arg;
		a.argc = 1;
		a.argv = argv;
	}
	(void)c->entry->exec(&a, fcl_http);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fcl_cmd *c;

	if (size < 2)
		return 0;
	c = &fcl_cmds[data[0] % (sizeof(fcl_cmds) / sizeof(fcl_cmds[0]))];
	fcl_status = fcl_statuses[data[1] % (sizeof(fcl_statuses) /
	    sizeof(fcl_statuses[0]))];
	fcl_body = (const char *)data + 2;
	fcl_len = size - 2;
	fcl_run(c);
	return 0;
}
