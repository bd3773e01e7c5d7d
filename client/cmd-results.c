/*
 * cmd-results.c - "verdict results": stream a run's verdicts (NDJSON,
 * one object per line) to standard output or to a file.
 *
 * A file is written as FILE.tmp and renamed to FILE only once the whole
 * stream has arrived and is on disk, so FILE is never a partial result.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"
#include "common/xmalloc.h"

/* Flush, sync and close the temporary file.  Returns 0 or -errno. */
static int
results_close(FILE *fp)
{
	int	 r = 0;

	if (fflush(fp) == EOF || fsync(fileno(fp)) == -1)
		r = -errno;
	if (fclose(fp) == EOF && r == 0)
		r = -errno;
	return r;
}

static int
cmd_results_exec(struct cmd_args *a, struct http *h)
{
	struct http_resp	 resp;
	const char		*out = cmd_opt(a, "out");
	char			*path, *tmp = NULL;
	FILE			*fp = stdout;
	int			 ex, r;

	if (out != NULL) {
		tmp = xasprintf("%s.tmp", out);
		if ((fp = fopen(tmp, "we")) == NULL) {
			out_err("%s: %s", tmp, strerror(errno));
			free(tmp);
			return CMD_EXIT_FAILED;
		}
	}
	path = cmd_path(h, "/v1/runs/", a->argv[0], "/results");
	r = http_get_to(h, path, fp, &resp);
	ex = cmd_check(r, &resp);
	http_resp_free(&resp);
	if (out != NULL) {
		if ((r = results_close(fp)) != 0 && ex == CMD_EXIT_OK) {
			out_err("%s: %s", tmp, strerror(-r));
			ex = CMD_EXIT_FAILED;
		}
		if (ex == CMD_EXIT_OK && rename(tmp, out) == -1) {
			out_err("rename %s to %s: %s", tmp, out,
			    strerror(errno));
			ex = CMD_EXIT_FAILED;
		}
		if (ex != CMD_EXIT_OK)
			unlink(tmp);
	}
	free(tmp);
	free(path);
	return ex;
}

const struct cmd_entry cmd_results_entry = {
	.name = "results",
	.usage = "RUN [--out FILE]",
	.help =
	    "Write the verdicts of the run's judged candidates, one JSON "
	    "object per line,\n"
	    "as the server streams them.  A stream cut short is not tried "
	    "again (exit 3;\n"
	    "with --out, FILE is left as it was).\n"
	    "\n"
	    "  --out FILE   write to FILE (through FILE.tmp, renamed when "
	    "complete)\n"
	    "               instead of standard output",
	.opts = {
		{ "out", "FILE" },
	},
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_results_exec,
};
