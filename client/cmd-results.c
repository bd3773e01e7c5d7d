/*
 * cmd-results.c - "verdict results": stream a run's verdicts (NDJSON,
 * one object per line) to standard output or to a file.
 *
 * A file is written as FILE.tmp and renamed to FILE only once the whole
 * stream has arrived and is on disk, so FILE is never a partial result
 * (cmd_get_to()).
 */
#include <stdlib.h>

#include "client/cmd.h"
#include "client/http.h"

static int
cmd_results_exec(struct cmd_args *a, struct http *h)
{
	char	*path;
	int	 ex;

	path = cmd_query(h, cmd_path(h, "/v1/runs/", a->argv[0],
	    "/results"), "fields", cmd_opt(a, "fields"));
	ex = cmd_get_to(h, path, cmd_opt(a, "out"));
	free(path);
	return ex;
}

const struct cmd_entry cmd_results_entry = {
	.name = "results",
	.usage = "RUN [--fields F,...] [--out FILE]",
	.help =
	    "Write the verdicts of the run's judged candidates, one JSON "
	    "object per line,\n"
	    "as the server streams them.  A stream cut short is not tried "
	    "again (exit 3;\n"
	    "with --out, FILE is left as it was).\n"
	    "\n"
	    "  --fields F   add to each line, of message, tests and stderr "
	    "(separated by\n"
	    "               commas): why each failed, without a request per "
	    "candidate;\n"
	    "               original: a sanitized candidate's text as "
	    "posted\n"
	    "  --out FILE   write to FILE (through FILE.tmp, renamed when "
	    "complete)\n"
	    "               instead of standard output",
	.opts = {
		{ "fields", "F,..." },
		{ "out", "FILE" },
	},
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_results_exec,
};
