/*
 * cmd-report.c - "verdict report": the report of one or more runs
 * (GET /v1/reports), as JSON, CSV, Markdown, SVG or HTML, to standard
 * output or a file.
 */
#include <stdlib.h>

#include "client/cmd.h"
#include "client/http.h"
#include "common/xmalloc.h"

/* The options passed through as query arguments, by the same name. */
static const char *const report_args[] = {
	"runs", "metric", "format", "k", "base", "cost", "order", "problems",
	"axis"
};

static int
cmd_report_exec(struct cmd_args *a, struct http *h)
{
	char		*path;
	int		 ex;

	path = xstrdup("/v1/reports");
	for (size_t i = 0; i < sizeof(report_args) / sizeof(report_args[0]);
	    i++)
		path = cmd_query(h, path, report_args[i],
		    cmd_opt(a, report_args[i]));
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
	    "                 of the paper and the tables)\n"
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
		{ "k", "K" },
		{ "base", "MODEL" },
		{ "cost", "C" },
		{ "order", "O" },
		{ "problems", "P" },
		{ "axis", "A" },
		{ "out", "FILE" },
	},
	.min_args = 0,
	.max_args = 0,
	.exec = cmd_report_exec,
};
