/*
 * cmd-feed.c - "verdict feed": a run's verdicts in the order they came
 * (GET /v1/runs/RUN/feed), one JSON object per line on standard output,
 * each with its "cursor"; with --follow, the new ones as they land, for
 * as long as it runs.
 *
 * The lines pass through a stdio stream of our own (fopencookie(),
 * unbuffered) that cuts them: a line is printed, and its cursor kept,
 * only once it is whole, so a line cut short by a lost connection is
 * never printed.  With --follow, a stream that ends (the server's
 * timeout, a drain) is asked for again at once from the last cursor,
 * and one that breaks, or ends without a line, after 1, 2, 4 ...
 * CMD_FEED_BACKOFF_MAX seconds (back to 1 after a stream that gave
 * lines): no verdict is printed twice or missed.  The server's keep-alive lines (a cursor alone) are
 * not printed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define CMD_FEED_BACKOFF_MAX	30	/* seconds between reconnections */

/* The lines of the stream so far. */
struct cmd_feed {
	char		*line;		/* the line being received */
	size_t		 len, cap;
	int64_t		 cursor;	/* of the last line printed */
	size_t		 printed;	/* in this stream */
};

/*
 * One whole line: a verdict (it has an "id") is printed and its cursor
 * kept; anything else (a keep-alive) is not.  Returns 0, or -1 when
 * standard output fails.
 */
static int
cmd_feed_line(struct cmd_feed *f, const char *line, size_t n)
{
	json_t	*o, *cur;
	int	 r = 0;

	if ((o = json_loadb(line, n, 0, NULL)) == NULL)
		return 0;		/* not ours to print */
	cur = json_object_get(o, "cursor");
	if (json_is_integer(cur) && json_object_get(o, "id") != NULL) {
		if (fwrite(line, 1, n, stdout) != n || putchar('\n') == EOF ||
		    fflush(stdout) == EOF)
			r = -1;
		else {
			f->cursor = json_integer_value(cur);
			f->printed++;
		}
	}
	json_decref(o);
	return r;
}

/* fopencookie()'s write: the body's bytes, cut into lines. */
static ssize_t
cmd_feed_write(void *cookie, const char *buf, size_t size)
{
	struct cmd_feed	*f = cookie;
	const char	*nl;
	size_t		 n;

	for (size_t off = 0; off < size; off += n) {
		nl = memchr(buf + off, '\n', size - off);
		n = nl != NULL ? (size_t)(nl - (buf + off)) + 1 : size - off;
		if (f->len + n > f->cap) {
			f->cap = (f->len + n) * 2;
			f->line = xreallocarray(f->line, f->cap, 1);
		}
		memcpy(f->line + f->len, buf + off, n);
		f->len += n;
		if (nl == NULL)
			break;
		if (cmd_feed_line(f, f->line, f->len - 1) < 0)
			return -1;
		f->len = 0;
	}
	return (ssize_t)size;
}

/*
 * One stream of the feed from f->cursor into "out"; a partial line of
 * a stream before is dropped.  Returns http_get_to()'s result, its
 * answer in *resp.
 */
static int
cmd_feed_get(struct http *h, const char *run, const char *fields,
    bool follow, struct cmd_feed *f, FILE *out, struct http_resp *resp)
{
	char	*path, after[24];
	int	 r;

	f->len = 0;
	f->printed = 0;
	snprintf(after, sizeof(after), "%" PRId64, f->cursor);
	path = cmd_query(h, cmd_query(h, cmd_query(h, cmd_path(h,
	    "/v1/runs/", run, "/feed"), "after", after), "fields", fields),
	    "follow", follow ? "1" : NULL);
	r = http_get_to(h, path, out, resp);
	free(path);
	return r;
}

static int
cmd_feed_exec(struct cmd_args *a, struct http *h)
{
	static const cookie_io_functions_t io = { .write = cmd_feed_write };
	struct http_resp resp;
	struct cmd_feed	 f;
	const char	*v = cmd_opt(a, "after");
	bool		 follow = cmd_opt(a, "follow") != NULL;
	unsigned	 backoff = 1;
	FILE		*out;
	char		*end;
	int		 ex, r;

	memset(&f, 0, sizeof(f));
	if (v != NULL) {
		/* The whole int64 range: a double would round it. */
		errno = 0;
		f.cursor = strtoll(v, &end, 10);
		if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0) {
			out_err("--after: a cursor (a line's \"cursor\": a "
			    "whole number >= 0), not \"%s\"", v);
			return CMD_EXIT_USAGE;
		}
	}
	if ((out = fopencookie(&f, "w", io)) == NULL)
		fatal("fopencookie");
	setvbuf(out, NULL, _IONBF, 0);
	for (;;) {
		r = cmd_feed_get(h, a->argv[0], cmd_opt(a, "fields"), follow,
		    &f, out, &resp);
		ex = cmd_check(r, &resp);
		http_resp_free(&resp);
		if (!follow || (ex != CMD_EXIT_OK && r != -EHOSTUNREACH))
			break;
		if (f.printed > 0)
			backoff = 1;
		/* The stream ended (its timeout, a drain): again at once,
		 * unless it ended with nothing (a daemon draining ends each
		 * stream at once). */
		if (ex == CMD_EXIT_OK && f.printed > 0)
			continue;
		if (ex != CMD_EXIT_OK)
			out_err("feed: connection lost; again from cursor %"
			    PRId64 " in %u s", f.cursor, backoff);
		out_sleep(backoff);
		backoff = backoff * 2 < CMD_FEED_BACKOFF_MAX ? backoff * 2 :
		    CMD_FEED_BACKOFF_MAX;
	}
	fclose(out);
	free(f.line);
	return ex;
}

const struct cmd_entry cmd_feed_entry = {
	.name = "feed",
	.usage = "RUN [--follow] [--after CURSOR] [--fields F,...]",
	.help =
	    "Write the run's verdicts in the order they came, one JSON "
	    "object per line,\n"
	    "each with its \"cursor\".  Without --follow, it ends after "
	    "the last there is.\n"
	    "\n"
	    "  --follow       stay and write new verdicts as they land; a "
	    "dropped\n"
	    "                 connection is made again (1, 2, 4 ... 30 s "
	    "apart) from the\n"
	    "                 last cursor written: none twice, none "
	    "missed\n"
	    "  --after CURSOR start after the verdict of cursor N (the "
	    "last line's\n"
	    "                 \"cursor\" of an earlier run of this "
	    "command)\n"
	    "  --fields F     add to each line, of message, tests and "
	    "stderr",
	.opts = {
		{ "follow", NULL },
		{ "after", "CURSOR" },
		{ "fields", "F,..." },
	},
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_feed_exec,
};
