/*
 * cmd-problems.c - the problem commands: "verdict problems" (list, or
 * a run's per-problem pass rates), "verdict problem" (one, as JSON) and
 * "verdict import" (post a problem file).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define PROBLEMS_CHUNK	(64u << 10)	/* bytes per gzread() */
#define PROBLEMS_GZBUF	(128u << 10)	/* zlib's input buffer */

/* --- problems --- */

/*
 * GET "path" (freed here): with "json" print the server's JSON, else
 * give each element of its "problems" array to "row", which adds it to
 * the table "t" (its header added by the caller), and print the table
 * (freed here).  Returns an exit status.
 */
static int
problems_table(struct http *h, char *path, bool json, struct out_table *t,
    void (*row)(const json_t *, struct out_table *))
{
	struct http_resp	 resp;
	json_t			*root = NULL, *p;
	size_t			 i;
	int			 ex;

	ex = cmd_call(h, path, NULL, 0, NULL, &resp, json ? NULL : &root);
	if (ex == CMD_EXIT_OK && json)
		cmd_print_body(&resp);
	else if (ex == CMD_EXIT_OK) {
		json_array_foreach(json_object_get(root, "problems"), i, p)
			row(p, t);
		out_table_print(t, stdout);
	}
	out_table_free(t);
	json_decref(root);
	http_resp_free(&resp);
	free(path);
	return ex;
}

/* A loaded problem: task id, dataset, benchmark, tests, mode. */
static void
problems_row(const json_t *p, struct out_table *t)
{
	char	 id[256], ds[80], bm[64], tests[32], mode[64];

	out_table_add(t,
	    cmd_json_text(json_object_get(p, "task_id"), id, sizeof(id)),
	    cmd_json_text(json_object_get(p, "dataset"), ds, sizeof(ds)),
	    cmd_json_text(json_object_get(p, "benchmark"), bm, sizeof(bm)),
	    cmd_json_text(json_object_get(p, "tests"), tests, sizeof(tests)),
	    cmd_json_text(json_object_get(p, "mode"), mode, sizeof(mode)));
}

/* A run's problem: task id, n, passed, the pass rate (percent), pending. */
static void
problems_run_row(const json_t *p, struct out_table *t)
{
	const json_t	*rate = json_object_get(p, "pass_rate");
	char		 id[256], n[32], c[32], pct[32], pend[32];

	if (json_is_number(rate))
		snprintf(pct, sizeof(pct), "%.1f", json_number_value(rate));
	else
		snprintf(pct, sizeof(pct), "-");
	out_table_add(t,
	    cmd_json_text(json_object_get(p, "task_id"), id, sizeof(id)),
	    cmd_json_text(json_object_get(p, "n"), n, sizeof(n)),
	    cmd_json_text(json_object_get(p, "c"), c, sizeof(c)), pct,
	    cmd_json_text(json_object_get(p, "pending"), pend, sizeof(pend)));
}

static int
cmd_problems_exec(struct cmd_args *a, struct http *h)
{
	const char		*bench = cmd_opt(a, "benchmark");
	const char		*run = cmd_opt(a, "run");
	bool			 json = cmd_opt(a, "json") != NULL;
	struct out_table	*t;

	if (run != NULL) {
		t = out_table_new(5, "lrrrr");
		out_table_add(t, "TASK_ID", "N", "PASSED", "PASS %", "PENDING");
		return problems_table(h, cmd_path(h, "/v1/runs/", run,
		    "/problems"), json, t, problems_run_row);
	}
	t = out_table_new(5, "lllrl");
	out_table_add(t, "TASK_ID", "DATASET", "BENCHMARK", "TESTS", "MODE");
	return problems_table(h, cmd_query(h, cmd_query(h,
	    xstrdup("/v1/problems"), "benchmark", bench), "dataset",
	    cmd_opt(a, "dataset")), json, t, problems_row);
}

const struct cmd_entry cmd_problems_entry = {
	.name = "problems",
	.usage = "[--benchmark B] [--dataset D] [--run RUN] [--json]",
	.help =
	    "A table of the server's problems: task id, dataset, benchmark, "
	    "number of\n"
	    "tests, mode.\n"
	    "With --run, the run's problems instead: candidates judged (N, "
	    "internal ones\n"
	    "left out), passed, the pass rate (percent) and those pending.\n"
	    "\n"
	    "  --benchmark B   only those of benchmark B\n"
	    "  --dataset D     only those of dataset D (humaneval+, an "
	    "import's name)\n"
	    "  --run RUN       the per-problem pass rates of run RUN\n"
	    "  --json          print the server's JSON instead",
	.opts = {
		{ "benchmark", "B" },
		{ "dataset", "D" },
		{ "run", "RUN" },
		{ "json", NULL },
	},
	.min_args = 0,
	.max_args = 0,
	.exec = cmd_problems_exec,
};

/* --- problem --- */

static int
cmd_problem_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	char			*path;
	int			 ex;

	path = cmd_path(h, "/v1/problems/", a->argv[0], "");
	if ((ex = cmd_call(h, path, NULL, 0, NULL, &resp, NULL)) ==
	    CMD_EXIT_OK)
		cmd_print_body(&resp);
	http_resp_free(&resp);
	free(path);
	return ex;
}

const struct cmd_entry cmd_problem_entry = {
	.name = "problem",
	.usage = "TASK_ID",
	.help =
	    "Print the problem TASK_ID (\"HumanEval/0\", \"Mbpp/11\", ...) as "
	    "the server's JSON.",
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_problem_exec,
};

/* --- import --- */

/* The formats of POST /v1/problems. */
static const char *const problems_formats[] = {
	"humaneval", "mbpp", "apps", "evalplus",
};

/*
 * After a gzread() that read nothing, tell the end of the file from an
 * error.  Returns 0 at the end, or -EIO with "NAME: read error" or
 * "NAME: truncated or corrupt gzip data" printed.
 */
static int
problems_gzerror(gzFile gz, const char *name)
{
	const char	*msg;
	int		 zerr;

	msg = gzerror(gz, &zerr);
	if (zerr == Z_ERRNO) {
		out_err("%s: %s", name, strerror(errno));
		return -EIO;
	}
	if (zerr != Z_OK) {
		/* gzdopen() names the file "<fd:N>": drop that. */
		if (strncmp(msg, "<fd:", 4) == 0 && strstr(msg, ": ") != NULL)
			msg = strstr(msg, ": ") + 2;
		out_err("%s: truncated or corrupt gzip data (%s)", name, msg);
		return -EIO;
	}
	return 0;
}

/*
 * Read all of "file" (decompressed) into *bufp and *lenp (new, to
 * free()).  Returns 0 or CMD_EXIT_USAGE with a message printed.
 */
static int
problems_slurp(const char *file, char **bufp, size_t *lenp)
{
	gzFile		 gz;
	FILE		*mem;
	const char	*name;
	char		 chunk[PROBLEMS_CHUNK];
	off_t		 size;
	int		 fd, n, ex;

	if ((ex = cmd_open(file, &fd, &name, &size)) != CMD_EXIT_OK)
		return ex;
	if ((gz = gzdopen(fd, "rb")) == NULL)
		fatalx("gzdopen: out of memory");
	gzbuffer(gz, PROBLEMS_GZBUF);
	if ((mem = open_memstream(bufp, lenp)) == NULL)
		fatal("open_memstream");
	while ((n = gzread(gz, chunk, sizeof(chunk))) > 0)
		if (fwrite(chunk, 1, (size_t)n, mem) != (size_t)n)
			fatal("open_memstream");
	if (problems_gzerror(gz, name) != 0)
		ex = CMD_EXIT_USAGE;
	if (fclose(mem) == EOF)
		fatal("open_memstream");
	gzclose(gz);
	if (ex != CMD_EXIT_OK) {
		free(*bufp);
		*bufp = NULL;
	}
	return ex;
}

static int
cmd_import_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	json_t			*ans = NULL, *v;
	const char		*format = cmd_opt(a, "format"), *ctype;
	char			*body = NULL, *path = NULL;
	size_t			 len, i, k;
	int			 ex = CMD_EXIT_USAGE;

	for (i = 0; format != NULL && i < sizeof(problems_formats) /
	    sizeof(problems_formats[0]); i++)
		if (strcmp(format, problems_formats[i]) == 0)
			break;
	if (format == NULL || i == sizeof(problems_formats) /
	    sizeof(problems_formats[0])) {
		out_err("import: --format must be humaneval, mbpp, apps or "
		    "evalplus");
		return ex;
	}
	if ((ex = problems_slurp(a->argv[0], &body, &len)) != CMD_EXIT_OK)
		return ex;
	/* Sanitized MBPP is one JSON array; the other files JSON Lines. */
	k = strspn(body, " \t\r\n");
	ctype = body[k] == '[' ? "application/json" : "application/x-ndjson";
	path = cmd_query(h, cmd_query(h, xstrdup("/v1/problems"), "format",
	    format), "dataset", cmd_opt(a, "dataset"));
	if ((ex = cmd_call(h, path, body, len, ctype, &resp, &ans)) ==
	    CMD_EXIT_OK) {
		if (json_is_true(json_object_get(ans, "unchanged")))
			fprintf(stderr, "%s: loaded already, as it is: nothing "
			    "imported\n", a->argv[0]);
		else
			fprintf(stderr, "imported %lld problems from %s\n",
			    cmd_json_int(ans, "imported"), a->argv[0]);
		if (cmd_opt(a, "ids") != NULL)
			json_array_foreach(json_object_get(ans, "task_ids"), k,
			    v)
				if (json_is_string(v))
					printf("%s\n", json_string_value(v));
	}
	json_decref(ans);
	http_resp_free(&resp);
	free(path);
	free(body);
	return ex;
}

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "--format humaneval|mbpp|apps|evalplus [--dataset D] [--ids] "
	    "FILE",
	.help =
	    "Post the problem file FILE (gzipped or not, \"-\" for standard "
	    "input; sent\n"
	    "decompressed, whole) to the server, which keeps it and can then "
	    "judge\n"
	    "candidates of its problems.  Prints \"imported N problems from "
	    "FILE\" on\n"
	    "standard error; the same file again changes nothing (\"loaded "
	    "already\"),\n"
	    "another file under a loaded dataset's name is refused.\n"
	    "\n"
	    "  --format F   the file's shape: humaneval (HumanEval, "
	    "HumanEval+ OriginFmt),\n"
	    "               mbpp, apps or evalplus\n"
	    "  --dataset D  the dataset's name (default: each problem's "
	    "benchmark's);\n"
	    "               its problems' ids are D:TASK_ID unless D is "
	    "humaneval,\n"
	    "               mbpp or apps\n"
	    "  --ids        print the imported task ids on standard output, "
	    "one per line",
	.opts = {
		{ "format", "F" },
		{ "dataset", "D" },
		{ "ids", NULL },
	},
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_import_exec,
};
