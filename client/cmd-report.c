/*
 * cmd-report.c - "verdict report": the report of one or more runs
 * (GET /v1/reports), as JSON, CSV, Markdown, SVG or HTML, to standard
 * output or a file; or its plots as a PDF or a PNG (export.h), drawn
 * here from the server's SVG.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client/cmd.h"
#include "client/export.h"
#include "client/http.h"
#include "client/out.h"
#include "common/xmalloc.h"

/* The options passed through as query arguments, by the same name. */
static const char *const report_args[] = {
	"runs", "metric", "format", "k", "base", "cost", "order", "problems",
	"resamples", "seed", "axis"
};
#define REPORT_NARGS	(sizeof(report_args) / sizeof(report_args[0]))

/* The plots of a page, as the HTML page has them (rank when scored). */
static const char *const report_page[] = { "pass", "flops", "time", "rank" };
#define REPORT_NPAGE	(sizeof(report_page) / sizeof(report_page[0]))

/* The png scale when --scale is not given: sharp on slides. */
#define REPORT_PNG_SCALE	2

/*
 * The request path of the report with the command's options, but the
 * format "format" and the metric "metric" (NULL: none).  Returns a new
 * string, to free().
 */
static char *
cmd_report_path(struct cmd_args *a, struct http *h, const char *format,
    const char *metric)
{
	const char	*v;
	char		*path;

	path = xstrdup("/v1/reports");
	for (size_t i = 0; i < REPORT_NARGS; i++) {
		if (strcmp(report_args[i], "format") == 0)
			v = format;
		else if (strcmp(report_args[i], "metric") == 0)
			v = metric;
		else
			v = cmd_opt(a, report_args[i]);
		path = cmd_query(h, path, report_args[i], v);
	}
	return path;
}

/*
 * Whether a run of the report has rank scores (as report/rpage.c asks
 * to draw the rank panel): GET the JSON report.  Returns an exit status,
 * the answer in *rankp.
 */
static int
cmd_report_has_rank(struct cmd_args *a, struct http *h, bool *rankp)
{
	struct http_resp	 resp;
	json_t			*rep, *run;
	char			*path;
	size_t			 i;
	int			 ex;

	*rankp = false;
	path = cmd_report_path(a, h, "json", NULL);
	ex = cmd_call(h, path, NULL, 0, NULL, &resp, &rep);
	free(path);
	if (ex != CMD_EXIT_OK)
		return ex;
	json_array_foreach(json_object_get(rep, "runs"), i, run)
		if (json_is_object(json_object_get(run, "rank_score_at_k")))
			*rankp = true;
	json_decref(rep);
	http_resp_free(&resp);
	return CMD_EXIT_OK;
}

/*
 * --format pdf or png: the plot of --metric, or without it every plot
 * of the HTML page on one page; GET each as SVG, then draw them.
 */
static int
cmd_report_export(struct cmd_args *a, struct http *h,
    enum export_format format)
{
	struct http_resp	 resp[REPORT_NPAGE];
	struct export_fig	 figs[REPORT_NPAGE];
	const char		*out = cmd_opt(a, "out");
	const char		*metric = cmd_opt(a, "metric");
	double			 scale = REPORT_PNG_SCALE;
	char			*path, *tmp;
	FILE			*fp;
	size_t			 n = 0;
	bool			 rank = false;
	int			 ex;

	memset(resp, 0, sizeof(resp));
	if (format != EXPORT_PNG && cmd_opt(a, "scale") != NULL) {
		out_err("--scale is for --format png (a PDF is vector)");
		return CMD_EXIT_USAGE;
	}
	if (cmd_opt_num(a, "scale", 0.25, EXPORT_SCALE_MAX, false,
	    &scale) != 0)
		return CMD_EXIT_USAGE;
	if (out == NULL && isatty(STDOUT_FILENO)) {
		out_err("--format %s is binary: give --out FILE, or redirect "
		    "standard output", cmd_opt(a, "format"));
		return CMD_EXIT_USAGE;
	}
	if (metric == NULL &&
	    (ex = cmd_report_has_rank(a, h, &rank)) != CMD_EXIT_OK)
		return ex;
	for (size_t i = 0; i < REPORT_NPAGE; i++) {
		if (metric == NULL && !rank &&
		    strcmp(report_page[i], "rank") == 0)
			continue;
		figs[n].name = metric != NULL ? metric : report_page[i];
		path = cmd_report_path(a, h, "svg", figs[n].name);
		ex = cmd_call(h, path, NULL, 0, NULL, &resp[n], NULL);
		free(path);
		if (ex != CMD_EXIT_OK)
			goto out;
		figs[n].svg = resp[n].body;
		figs[n].len = resp[n].len;
		n++;
		if (metric != NULL)
			break;
	}
	if ((ex = cmd_out_open(out, &tmp, &fp)) != CMD_EXIT_OK)
		goto out;
	ex = export_write(fp, out != NULL ? out : "standard output", format,
	    scale, figs, n) == 0 ? CMD_EXIT_OK : CMD_EXIT_FAILED;
	ex = cmd_out_close(out, tmp, fp, ex);
out:
	for (size_t i = 0; i < n; i++)
		http_resp_free(&resp[i]);
	return ex;
}

static int
cmd_report_exec(struct cmd_args *a, struct http *h)
{
	enum export_format	 format;
	char			*path;
	int			 ex;

	if (export_format_parse(cmd_opt(a, "format"), &format) == 0)
		return cmd_report_export(a, h, format);
	if (cmd_opt(a, "scale") != NULL) {
		out_err("--scale is for --format png");
		return CMD_EXIT_USAGE;
	}
	path = cmd_report_path(a, h, cmd_opt(a, "format"),
	    cmd_opt(a, "metric"));
	ex = cmd_get_to(h, path, cmd_opt(a, "out"));
	free(path);
	return ex;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "--runs A,B [--metric M] [--format F] [--out FILE] "
	    "[options]",
	.help =
	    "Write the report of the runs (pass@k, pass@k under FLOPs and "
	    "wall-time\n"
	    "budgets, rank-score@k, per-problem pass rates, and who wins "
	    "where).\n"
	    "\n"
	    "  --runs A,B     the runs, compared when several\n"
	    "  --metric M     pass (default), flops, time or rank: what csv, "
	    "md and svg show\n"
	    "  --format F     json (default), csv, md, svg or html (the "
	    "three panels\n"
	    "                 of the paper and the tables), or pdf or png, "
	    "drawn here from\n"
	    "                 the SVG: the plot of --metric, or without it "
	    "the page's plots\n"
	    "                 (pass, flops, time, rank when scored), two to "
	    "a row (binary:\n"
	    "                 --out FILE, or standard output redirected)\n"
	    "  --scale S      png: pixels per SVG pixel (default 2; 0.25 "
	    "to 8)\n"
	    "  --k K          only pass@K (an error when a run has fewer "
	    "samples)\n"
	    "  --base MODEL   the budget unit (default: the cheapest model "
	    "of the report)\n"
	    "  --cost C       table (conf/models.conf), measured (the "
	    "candidates' costs), or\n"
	    "                 a cost table for this report alone, "
	    "'{\"MODEL\": {\"tflops\": X,\n"
	    "                 \"seconds\": Y}, ...}', over the server's\n"
	    "  --order O      lower (default: lower scores rank first, as "
	    "mean NLL) or higher\n"
	    "  --problems P   common (default: runs over different problems "
	    "are\n"
	    "                 compared on those they share) or all (each "
	    "its own)\n"
	    "  --resamples R  of the paired bootstrap that tells ties "
	    "(default 10000)\n"
	    "  --seed S       of its draws (default 0): the same seed, the "
	    "same answer\n"
	    "  --axis A       samples (default: budgets in samples of the "
	    "base model) or\n"
	    "                 absolute (in TFLOPs and seconds), on the svg "
	    "and html plots\n"
	    "  --out FILE     write to FILE (through FILE.tmp) instead of "
	    "standard output",
	.opts = {
		{ "runs", "A,B" },
		{ "metric", "M" },
		{ "format", "F" },
		{ "scale", "S" },
		{ "k", "K" },
		{ "base", "MODEL" },
		{ "cost", "C" },
		{ "order", "O" },
		{ "problems", "P" },
		{ "resamples", "R" },
		{ "seed", "S" },
		{ "axis", "A" },
		{ "out", "FILE" },
	},
	.min_args = 0,
	.max_args = 0,
	.exec = cmd_report_exec,
};
