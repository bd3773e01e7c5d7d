/*
 * cmd-show.c - "verdict show": one candidate, for a person: its run,
 * problem, state and verdict, each test with its status and message,
 * the candidate's message and stderr, what it used.  --json prints the
 * server's JSON instead; --wait S long-polls until it is done.
 *
 * What the candidate printed is the candidate's text: it goes through
 * cmd_json_text() (log_escape()), never raw to the terminal.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"

#define SHOW_TEXT	4096	/* bytes of a message or stderr shown */

/* One line "LABEL  VALUE" of the member "key" of "o", when it is set. */
static void
show_field(const json_t *o, const char *label, const char *key)
{
	const json_t	*v = json_object_get(o, key);
	char		 buf[SHOW_TEXT];

	if (v == NULL || json_is_null(v) ||
	    (json_is_string(v) && json_string_length(v) == 0))
		return;
	printf("%-10s %s\n", label, cmd_json_text(v, buf, sizeof(buf)));
}

/* The candidate "c" as text on standard output. */
static void
show_candidate(const json_t *c)
{
	const json_t	*tests = json_object_get(c, "tests"), *t;
	char		 a[256], b[256], d[64], e[SHOW_TEXT];
	size_t		 i, passed = 0;

	show_field(c, "id", "id");
	show_field(c, "run", "run");
	show_field(c, "model", "model");
	show_field(c, "task", "task_id");
	show_field(c, "sample", "sample");
	show_field(c, "state", "state");
	show_field(c, "verdict", "verdict");
	if (json_is_array(tests)) {
		json_array_foreach(tests, i, t)
			if (json_is_string(json_object_get(t, "status")) &&
			    strcmp(json_string_value(json_object_get(t,
			    "status")), "passed") == 0)
				passed++;
		printf("%-10s %zu of %zu passed\n", "tests", passed,
		    json_array_size(tests));
		json_array_foreach(tests, i, t)
			printf("  %-20s %-10s %6s ms  %s\n",
			    cmd_json_text(json_object_get(t, "name"), a,
			    sizeof(a)),
			    cmd_json_text(json_object_get(t, "status"), b,
			    sizeof(b)),
			    cmd_json_text(json_object_get(t, "ms"), d,
			    sizeof(d)),
			    json_object_get(t, "message") != NULL ?
			    cmd_json_text(json_object_get(t, "message"), e,
			    sizeof(e)) : "");
	}
	show_field(c, "message", "message");
	show_field(c, "stderr", "stderr");
	if (json_is_true(json_object_get(c, "oracle_error")))
		printf("%-10s %s\n", "note", "the oracle could not judge it "
		    "(counted as an error)");
	if (json_is_true(json_object_get(c, "sanitized")))
		printf("%-10s %s\n", "note", "judged on the code extracted "
		    "from its text (sanitize; --json shows the text)");
	if (json_is_integer(json_object_get(c, "cpu_ms")))
		printf("%-10s cpu %s ms, wall %s ms, max rss %s kB\n", "used",
		    cmd_json_text(json_object_get(c, "cpu_ms"), a, sizeof(a)),
		    cmd_json_text(json_object_get(c, "wall_ms"), b, sizeof(b)),
		    cmd_json_text(json_object_get(c, "max_rss_kb"), d,
		    sizeof(d)));
}

static int
cmd_show_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	json_t			*c = NULL;
	const char		*wait = cmd_opt(a, "wait");
	bool			 json = cmd_opt(a, "json") != NULL;
	char			*path;
	int			 ex;

	path = cmd_query(h, cmd_path(h, "/v1/candidates/", a->argv[0], ""),
	    "wait", wait);
	ex = cmd_call(h, path, NULL, 0, NULL, &resp, json ? NULL : &c);
	if (ex == CMD_EXIT_OK && json)
		cmd_print_body(&resp);
	else if (ex == CMD_EXIT_OK)
		show_candidate(c);
	json_decref(c);
	http_resp_free(&resp);
	free(path);
	return ex;
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "ID [--wait S] [--json]",
	.help =
	    "One candidate: its run, problem, state and verdict, each test "
	    "with its status,\n"
	    "time and message, the candidate's message and stderr, what it "
	    "used.\n"
	    "\n"
	    "  --wait S   wait up to S seconds (at most 300) for its verdict\n"
	    "  --json     print the server's JSON instead",
	.opts = {
		{ "wait", "S" },
		{ "json", NULL },
	},
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_show_exec,
};
