/*
 * cmd-run.c - "verdict delete" (a run, through DELETE /v1/runs/RUN) and
 * "verdict set-model" (a run's model and ranker, through PATCH
 * /v1/runs/RUN): the commands that change a run rather than read it.
 *
 * A deletion cannot be undone, so "delete" asks for --yes; without it
 * it reads the run and says what would go, and changes nothing.  It
 * asks no question: scripts run it, and a prompt would hang them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"

/* --- delete --- */

/* Without --yes: what the deletion of run "run" would take. */
static int
delete_dry(struct http *h, const char *run, const char *path)
{
	struct http_resp	 resp;
	json_t			*o;
	int			 ex;

	if ((ex = cmd_call(h, path, NULL, 0, NULL, &resp, &o)) != CMD_EXIT_OK)
		return ex;
	out_err("delete would remove run %s: its %lld candidates (%lld "
	    "queued, %lld running, %lld done) and their verdicts, and the "
	    "jobs no other run uses; nothing is changed without --yes", run,
	    cmd_json_int(o, "candidates"), cmd_json_int(o, "queued"),
	    cmd_json_int(o, "running"), cmd_json_int(o, "done"));
	json_decref(o);
	http_resp_free(&resp);
	return CMD_EXIT_USAGE;
}

static int
cmd_delete_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	json_t			*o;
	char			*path;
	int			 ex;

	path = cmd_path(h, "/v1/runs/", a->argv[0], "");
	if (cmd_opt(a, "yes") == NULL) {
		ex = delete_dry(h, a->argv[0], path);
		free(path);
		return ex;
	}
	ex = cmd_send(h, "DELETE", path, NULL, 0, NULL, &resp, &o);
	free(path);
	if (ex != CMD_EXIT_OK)
		return ex;
	if (cmd_opt(a, "json") != NULL)
		cmd_print_body(&resp);
	else
		out_err("run %s deleted: %lld candidates, %lld jobs deleted, "
		    "%lld jobs kept for other runs", a->argv[0],
		    cmd_json_int(o, "candidates"),
		    cmd_json_int(o, "jobs_deleted"),
		    cmd_json_int(o, "jobs_kept"));
	json_decref(o);
	http_resp_free(&resp);
	return CMD_EXIT_OK;
}

const struct cmd_entry cmd_delete_entry = {
	.name = "delete",
	.usage = "RUN --yes [--json]",
	.help =
	    "Delete the run, its candidates and their verdicts, and the jobs "
	    "no other run\n"
	    "uses (queued ones leave the queue, running ones finish unseen).  "
	    "A job that\n"
	    "another run's candidates share is kept for that run, whose "
	    "counts do not\n"
	    "change.  This cannot be undone: without --yes, it says what "
	    "would be deleted\n"
	    "and exits 2, changing nothing.  An unknown run (or one deleted "
	    "already)\n"
	    "exits 1.\n"
	    "\n"
	    "  --yes    delete\n"
	    "  --json   print the server's answer instead of a summary",
	.opts = {
		{ "yes", NULL },
		{ "json", NULL },
	},
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_delete_exec,
};

/* --- set-model --- */

static int
cmd_set_model_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	const char		*ranker = cmd_opt(a, "ranker");
	json_t			*body, *o;
	char			*path, *text, model[256];
	int			 ex;

	if (a->argc < 2 && ranker == NULL) {
		out_err("set-model: give MODEL, --ranker R or both");
		return CMD_EXIT_USAGE;
	}
	/* json_string() refuses what is not UTF-8; set_new() then fails. */
	body = json_object();
	if ((a->argc == 2 && json_object_set_new(body, "model",
	    json_string(a->argv[1])) < 0) || (ranker != NULL &&
	    json_object_set_new(body, "ranker", json_string(ranker)) < 0)) {
		json_decref(body);
		out_err("set-model: the names must be UTF-8");
		return CMD_EXIT_USAGE;
	}
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	path = cmd_path(h, "/v1/runs/", a->argv[0], "");
	ex = cmd_send(h, "PATCH", path, text, strlen(text),
	    "application/json", &resp, &o);
	free(path);
	free(text);
	if (ex != CMD_EXIT_OK)
		return ex;
	if (cmd_opt(a, "json") != NULL)
		cmd_print_body(&resp);
	else
		out_err("run %s: model %s", a->argv[0], cmd_json_text(
		    json_object_get(o, "model"), model, sizeof(model)));
	json_decref(o);
	http_resp_free(&resp);
	return CMD_EXIT_OK;
}

const struct cmd_entry cmd_set_model_entry = {
	.name = "set-model",
	.usage = "RUN [MODEL] [--ranker R] [--json]",
	.help =
	    "Set the run's model (and with --ranker, its ranking model) "
	    "after the fact:\n"
	    "a run takes them from its first candidate that names one, and "
	    "reports take\n"
	    "the model's costs from the cost table.  Exit 1 for an unknown "
	    "run or a name\n"
	    "the server refuses (1 to 128 characters).\n"
	    "\n"
	    "  --ranker R   the ranking model too (or alone, without MODEL)\n"
	    "  --json       print the run as the server shows it",
	.opts = {
		{ "ranker", "R" },
		{ "json", NULL },
	},
	.min_args = 1,
	.max_args = 2,
	.exec = cmd_set_model_exec,
};
