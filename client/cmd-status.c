/*
 * cmd-status.c - "verdict status" (the runs, or one run) and "verdict
 * wait" (poll one run until it is judged): both read RUN objects,
 *
 *   {"run", "model", "created", "candidates", "problems", "queued",
 *    "running", "done", "progress", "verdicts": {"passed": N, ...}}
 *
 * from GET /v1/runs and GET /v1/runs/RUN.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"
#include "common/xmalloc.h"

#define STATUS_INTERVAL_DEFAULT	2	/* seconds between polls */

/* Counts of a RUN object that the table and wait show. */
struct status_counts {
	long long	 candidates;
	long long	 done;
	long long	 pending;	/* queued + running */
	long long	 passed;
	long long	 failed;
	long long	 other;		/* every other verdict */
	double		 progress;	/* done / candidates, in percent */
};

/* Read the counts of "run". */
static void
status_counts(const json_t *run, struct status_counts *sc)
{
	json_t		*verdicts, *v;
	const char	*key;
	json_int_t	 all = 0;

	sc->candidates = cmd_json_int(run, "candidates");
	sc->done = cmd_json_int(run, "done");
	sc->pending = cmd_json_int(run, "queued") +
	    cmd_json_int(run, "running");
	verdicts = json_object_get(run, "verdicts");
	json_object_foreach(verdicts, key, v)
		all += json_integer_value(v);
	sc->passed = cmd_json_int(verdicts, "passed");
	sc->failed = cmd_json_int(verdicts, "failed");
	sc->other = all - sc->passed - sc->failed;
	if (json_is_number(json_object_get(run, "progress")))
		sc->progress = 100 * json_number_value(json_object_get(run,
		    "progress"));
	else
		sc->progress = sc->candidates > 0 ?
		    100.0 * (double)sc->done / (double)sc->candidates : 0;
}

/* --- status --- */

/* The table of every run. */
static void
status_table(const json_t *runs)
{
	struct out_table	*t;
	struct status_counts	 sc;
	json_t			*run;
	size_t			 i;
	char			 name[256], model[256], cand[32], done[32];
	char			 prog[32], pass[32], fail[32], other[32];

	t = out_table_new(8, "llrrrrrr");
	out_table_add(t, "RUN", "MODEL", "CANDIDATES", "DONE", "PROGRESS",
	    "PASSED", "FAILED", "OTHER");
	json_array_foreach(runs, i, run) {
		status_counts(run, &sc);
		cmd_json_text(json_object_get(run, "run"), name, sizeof(name));
		cmd_json_text(json_object_get(run, "model"), model,
		    sizeof(model));
		snprintf(cand, sizeof(cand), "%lld", sc.candidates);
		snprintf(done, sizeof(done), "%lld", sc.done);
		snprintf(prog, sizeof(prog), "%.1f%%", sc.progress);
		snprintf(pass, sizeof(pass), "%lld", sc.passed);
		snprintf(fail, sizeof(fail), "%lld", sc.failed);
		snprintf(other, sizeof(other), "%lld", sc.other);
		out_table_add(t, name, model, cand, done, prog, pass, fail,
		    other);
	}
	out_table_print(t, stdout);
	out_table_free(t);
}

/* One run, a field per line, then a line per verdict. */
static void
status_detail(const json_t *run)
{
	static const char *const fields[] = { "run", "model", "created",
	    "candidates", "problems", "queued", "running" };
	struct out_table	*t;
	struct status_counts	 sc;
	json_t			*v;
	const char		*key;
	char			 text[256];

	status_counts(run, &sc);
	t = out_table_new(2, "ll");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		out_table_add(t, fields[i], cmd_json_text(json_object_get(run,
		    fields[i]), text, sizeof(text)));
	snprintf(text, sizeof(text), "%lld (%.1f%%)", sc.done, sc.progress);
	out_table_add(t, "done", text);
	json_object_foreach(json_object_get(run, "verdicts"), key, v)
		out_table_add(t, key, cmd_json_text(v, text, sizeof(text)));
	out_table_print(t, stdout);
	out_table_free(t);
}

/*
 * The path of GET /v1/runs with the filters of the options --run,
 * --model, --pending and --done into *path (new).  Returns
 * CMD_EXIT_OK, or CMD_EXIT_USAGE with the reason printed.
 */
static int
status_filters(struct cmd_args *a, struct http *h, char **path)
{
	bool	 pending = cmd_opt(a, "pending") != NULL;
	bool	 done = cmd_opt(a, "done") != NULL;

	if (pending && done) {
		out_err("status: --pending or --done, not both");
		return CMD_EXIT_USAGE;
	}
	*path = cmd_query(h, xstrdup("/v1/runs"), "name", cmd_opt(a, "run"));
	*path = cmd_query(h, *path, "model", cmd_opt(a, "model"));
	*path = cmd_query(h, *path, "state", pending ? "pending" : done ?
	    "done" : NULL);
	return CMD_EXIT_OK;
}

static int
cmd_status_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	json_t			*root = NULL;
	char			*path;
	bool			 json = cmd_opt(a, "json") != NULL;
	int			 ex;

	if (a->argc == 1 && (cmd_opt(a, "run") != NULL ||
	    cmd_opt(a, "model") != NULL || cmd_opt(a, "pending") != NULL ||
	    cmd_opt(a, "done") != NULL)) {
		out_err("status: the filters are for the table of runs, not "
		    "with RUN");
		return CMD_EXIT_USAGE;
	}
	if (a->argc == 1)
		path = cmd_path(h, "/v1/runs/", a->argv[0], "");
	else if ((ex = status_filters(a, h, &path)) != CMD_EXIT_OK)
		return ex;
	ex = cmd_call(h, path, NULL, 0, NULL, &resp, json ? NULL : &root);
	if (ex == CMD_EXIT_OK) {
		if (json)
			cmd_print_body(&resp);
		else if (a->argc == 1)
			status_detail(root);
		else
			status_table(json_object_get(root, "runs"));
	}
	json_decref(root);
	http_resp_free(&resp);
	free(path);
	return ex;
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[RUN] [--run GLOB] [--model M] [--pending | --done] "
	    "[--json]",
	.help =
	    "Without RUN, a table of the runs: run, model, candidates, done, "
	    "progress,\n"
	    "passed, failed and other verdicts; the options below keep only "
	    "the runs\n"
	    "that match them all.  With RUN, that run's fields and its "
	    "count of each\n"
	    "verdict, one per line.\n"
	    "\n"
	    "  --run GLOB   runs whose name matches GLOB (* ? [...]; quote "
	    "it)\n"
	    "  --model M    runs of model M\n"
	    "  --pending    runs with candidates not judged yet\n"
	    "  --done       runs whose every candidate is judged\n"
	    "  --json       print the server's JSON instead",
	.opts = {
		{ "json", NULL },
		{ "run", "GLOB" },
		{ "model", "M" },
		{ "pending", NULL },
		{ "done", NULL },
	},
	.min_args = 0,
	.max_args = 1,
	.exec = cmd_status_exec,
};

/* --- wait --- */

static int
cmd_wait_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	struct status_counts	 sc;
	json_t			*run;
	char			*path, bar[32];
	double			 timeout = -1, start = out_now(), left;
	double			 interval = STATUS_INTERVAL_DEFAULT;
	int			 ex;

	if (cmd_opt_num(a, "timeout", 0, 1e9, false, &timeout) != 0 ||
	    cmd_opt_num(a, "interval", 0.01, 3600, false, &interval) != 0)
		return CMD_EXIT_USAGE;
	path = cmd_path(h, "/v1/runs/", a->argv[0], "");
	for (;;) {
		if ((ex = cmd_call(h, path, NULL, 0, NULL, &resp, &run)) !=
		    CMD_EXIT_OK)
			break;
		status_counts(run, &sc);
		json_decref(run);
		http_resp_free(&resp);
		if (sc.pending == 0 && sc.candidates > 0) {
			out_progress_clear();
			fprintf(stderr, "run %s done: %lld candidates, %lld "
			    "passed, %lld failed, %lld other\n", a->argv[0],
			    sc.candidates, sc.passed, sc.failed, sc.other);
			break;
		}
		out_progress(true, "%s %5.1f%%  %lld/%lld done  %lld pending",
		    out_bar(bar, sizeof(bar), 20, sc.progress / 100),
		    sc.progress, sc.done, sc.candidates, sc.pending);
		left = timeout < 0 ? interval : start + timeout - out_now();
		if (left <= 0) {
			out_err("run %s: not done after %g s (%lld of %lld "
			    "done)", a->argv[0], timeout, sc.done,
			    sc.candidates);
			ex = CMD_EXIT_TIMEOUT;
			break;
		}
		out_sleep(left < interval ? left : interval);
	}
	out_progress_clear();
	free(path);
	return ex;
}

const struct cmd_entry cmd_wait_entry = {
	.name = "wait",
	.usage = "RUN [--timeout S] [--interval S]",
	.help =
	    "Poll the run until none of its candidates is queued or running "
	    "(and it has\n"
	    "some), then print a summary on standard error and exit 0.  "
	    "Exit 1 when the\n"
	    "run does not exist, 4 when it is not done in time.  On a "
	    "terminal, a progress\n"
	    "line shows how far it is.\n"
	    "\n"
	    "  --timeout S    give up after S seconds (default: never)\n"
	    "  --interval S   seconds between polls (default 2)",
	.opts = {
		{ "timeout", "S" },
		{ "interval", "S" },
	},
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_wait_exec,
};
