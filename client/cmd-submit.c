/*
 * cmd-submit.c - "verdict submit": post a JSON Lines file of candidates
 * to a run, in batches.
 *
 * The file is streamed: the JSON Lines reader of common/jsonl.h (gzip
 * or plain, told by the magic bytes) hands out one object at a time
 * with its line number, each is checked and completed, and a batch is
 * posted once it holds --batch lines or SUBMIT_BATCH_BYTES bytes.  Only
 * one batch is ever in memory, plus the count of lines seen per task_id.
 *
 * Re-runs are safe: the server stores a candidate once per id, or per
 * (run, task_id, sample).  A line with neither gets as its "sample" its
 * ordinal among the file's lines of the same task_id, so posting the
 * same file again (after an error, or twice) stores nothing twice.  The
 * batch is remembered line by line, so that the server's "line" in a
 * 400 answer names the line of the file.
 *
 * A server whose queue_limit is below the batch refuses it for good
 * (413, "batch_over_queue_limit", with the limit): the batch is sent
 * again in pieces of that size, and so are the batches after it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/cmd.h"
#include "client/http.h"
#include "client/out.h"
#include "common/jsonl.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define SUBMIT_BATCH_DEFAULT	1000		/* lines */
#define SUBMIT_BATCH_MAX	100000		/* lines */
#define SUBMIT_BATCH_BYTES	(8u << 20)	/* a batch is sent at this */
#define SUBMIT_PATH		"/v1/candidates"
#define SUBMIT_PATH_SANITIZE	"/v1/candidates?sanitize=1"

struct submit {
	struct http	*h;
	const char	*name;		/* the file, for messages */
	json_t		*run;		/* --run, as a JSON string */
	json_t		*model;		/* --model, or NULL */
	json_t		*dataset;	/* --dataset, or NULL */
	size_t		 batch_max;	/* lines per batch */
	bool		 ids;		/* --ids: print the ids */
	bool		 sanitize;	/* --sanitize: ?sanitize=1 */
	struct jsonl	*rd;		/* the file */
	off_t		 size;		/* bytes of a regular file, or -1 */
	json_t		*seen;		/* task_id -> lines of it so far */

	/* The batch being filled. */
	FILE		*fp;		/* open_memstream() on buf */
	char		*buf;
	size_t		 buflen;
	unsigned long	*lines;		/* file line of each batch line */
	size_t		 n;		/* lines in the batch */

	unsigned long long accepted;	/* stored, duplicates included */
	unsigned long long duplicates;
	double		 start;		/* out_now() at the start */
};

/* --- Batches --- */

/* Start an empty batch. */
static void
submit_batch_open(struct submit *sb)
{
	if ((sb->fp = open_memstream(&sb->buf, &sb->buflen)) == NULL)
		fatal("open_memstream");
	sb->n = 0;
}

/* Drop the batch's bytes. */
static void
submit_batch_close(struct submit *sb)
{
	if (sb->fp != NULL && fclose(sb->fp) != 0)
		fatal("open_memstream");
	sb->fp = NULL;
	free(sb->buf);
	sb->buf = NULL;
	sb->buflen = 0;
}

/*
 * Check the object "obj" (borrowed) just read, complete it (run, model,
 * dataset, sample) and add it to the batch.  Returns 0, or CMD_EXIT_USAGE with
 * "FILE:LINE: reason" printed.
 */
static int
submit_add(struct submit *sb, json_t *obj)
{
	json_t		*tid, *id, *sample;
	const char	*task;
	json_int_t	 ordinal;

	tid = json_object_get(obj, "task_id");
	if (!json_is_string(tid) || json_string_length(tid) == 0) {
		out_err("%s:%lu: task_id: missing or not a string", sb->name,
		    jsonl_line(sb->rd));
		return CMD_EXIT_USAGE;
	}
	task = json_string_value(tid);
	ordinal = json_integer_value(json_object_get(sb->seen, task));
	json_object_set_new(sb->seen, task, json_integer(ordinal + 1));
	id = json_object_get(obj, "id");
	sample = json_object_get(obj, "sample");
	if ((id == NULL || json_is_null(id)) &&
	    (sample == NULL || json_is_null(sample)))
		json_object_set_new(obj, "sample", json_integer(ordinal));
	json_object_set(obj, "run", sb->run);
	if (sb->model != NULL)
		json_object_set(obj, "model", sb->model);
	if (sb->dataset != NULL && json_object_get(obj, "dataset") == NULL)
		json_object_set(obj, "dataset", sb->dataset);

	/* Compact: one line per object, as NDJSON needs. */
	if (json_dumpf(obj, sb->fp, JSON_COMPACT) != 0 ||
	    fputc('\n', sb->fp) == EOF)
		fatal("open_memstream");
	sb->lines[sb->n++] = jsonl_line(sb->rd);
	return CMD_EXIT_OK;
}

/*
 * A 400 answer that names a line of the piece of the batch that starts
 * at its line "first": print it as the file's "FILE:LINE: server:
 * reason" and return true.
 */
static bool
submit_bad_line(const struct submit *sb, size_t first,
    const struct http_resp *resp)
{
	json_t		*err;
	json_int_t	 line;
	char		 reason[1024];

	if (resp->status != 400 || (err = http_resp_error(resp)) == NULL)
		return false;
	line = json_integer_value(json_object_get(err, "line"));
	json_decref(err);
	if (line < 1 || (size_t)line > sb->n - first)
		return false;
	http_resp_reason(resp, reason, sizeof(reason));
	out_err("%s:%lu: server: %s", sb->name, sb->lines[first + line - 1],
	    reason);
	return true;
}

/*
 * The queue_limit of a 413 "batch_over_queue_limit" answer: the most
 * candidates the server takes in one request; 0 for any other answer.
 */
static size_t
submit_queue_limit(const struct http_resp *resp)
{
	json_t		*err;
	json_int_t	 limit = 0;

	if (resp->status != 413 || (err = http_resp_error(resp)) == NULL)
		return 0;
	if (json_is_string(json_object_get(err, "code")) && strcmp(
	    json_string_value(json_object_get(err, "code")),
	    "batch_over_queue_limit") == 0)
		limit = json_integer_value(json_object_get(err,
		    "queue_limit"));
	json_decref(err);
	return limit > 0 ? (size_t)limit : 0;
}

/*
 * The offset in sb->buf of the start of the batch's line "line" (0 from
 * the first; sb->n: the end).  Each line ends with a newline.
 */
static size_t
submit_line_off(const struct submit *sb, size_t line)
{
	const char	*p = sb->buf, *end = sb->buf + sb->buflen, *nl;

	while (line-- > 0 && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl != NULL ? nl + 1 : end;
	}
	return (size_t)(p - sb->buf);
}

/* Count the answer to a batch and print its ids with --ids. */
static void
submit_count(struct submit *sb, const json_t *ans)
{
	json_t		*v;
	size_t		 i;

	sb->accepted += (unsigned long long)cmd_json_int(ans, "accepted");
	sb->duplicates += (unsigned long long)cmd_json_int(ans, "duplicates");
	if (!sb->ids)
		return;
	json_array_foreach(json_object_get(ans, "ids"), i, v)
		if (json_is_string(v))
			printf("%s\n", json_string_value(v));
}

/*
 * Post the batch, if any (in pieces of sb->batch_max lines, which a
 * server's queue_limit may lower), and start a new one.  Returns an
 * exit status.
 */
static int
submit_flush(struct submit *sb)
{
	struct http_resp	 resp;
	json_t			*ans;
	size_t			 first = 0, n, off, end, limit;
	int			 r, ex = CMD_EXIT_OK;

	if (sb->n > 0 && fflush(sb->fp) != 0)
		fatal("open_memstream");
	while (first < sb->n && ex == CMD_EXIT_OK) {
		n = sb->n - first < sb->batch_max ? sb->n - first :
		    sb->batch_max;
		off = submit_line_off(sb, first);
		end = submit_line_off(sb, first + n);
		r = http_post(sb->h, sb->sanitize ? SUBMIT_PATH_SANITIZE :
		    SUBMIT_PATH, sb->buf + off, end - off,
		    "application/x-ndjson", &resp);
		ans = NULL;
		if (r == 0 && (limit = submit_queue_limit(&resp)) > 0 &&
		    limit < n) {
			out_err("server: at most %zu candidates per request "
			    "(its queue_limit): sending batches of %zu", limit,
			    limit);
			sb->batch_max = limit;
		} else if (r == 0 && submit_bad_line(sb, first, &resp))
			ex = CMD_EXIT_FAILED;
		else if ((ex = cmd_check(r, &resp)) == CMD_EXIT_OK &&
		    (ex = cmd_json(&resp, SUBMIT_PATH, &ans)) == CMD_EXIT_OK) {
			submit_count(sb, ans);
			first += n;
		}
		json_decref(ans);
		http_resp_free(&resp);
	}
	submit_batch_close(sb);
	submit_batch_open(sb);
	return ex;
}

/* Draw the progress line (on a terminal only). */
static void
submit_progress(struct submit *sb)
{
	unsigned long long	 sent = sb->accepted;
	unsigned long		 lineno = jsonl_line(sb->rd);
	double			 secs = out_now() - sb->start, done, off;
	char			 bar[32];

	if (!out_is_tty())
		return;
	if (sb->size > 0) {
		/* Bytes of the file read, compressed or not. */
		off = (double)jsonl_offset(sb->rd);
		done = off / (double)sb->size;
		out_progress(false, "%s %3.0f%%  %.1f/%.1f MB  %llu sent  "
		    "%.0f lines/s", out_bar(bar, sizeof(bar), 20, done),
		    done * 100, off / 1e6, (double)sb->size / 1e6, sent,
		    secs > 0 ? (double)lineno / secs : 0);
	} else
		out_progress(false, "%lu lines read  %llu sent  %.0f lines/s",
		    lineno, sent, secs > 0 ? (double)lineno / secs : 0);
}

/* --- The command --- */

static int
cmd_submit_exec(struct cmd_args *a, struct http *h)
{
	struct submit	 sb;
	const char	*run = cmd_opt(a, "run"), *model = cmd_opt(a, "model");
	const char	*dataset = cmd_opt(a, "dataset");
	json_t		*obj;
	double		 batch = SUBMIT_BATCH_DEFAULT;
	char		 err[1024];
	int		 fd, r, ex;

	memset(&sb, 0, sizeof(sb));
	if (run == NULL || *run == '\0') {
		out_err("submit: --run NAME is required");
		return CMD_EXIT_USAGE;
	}
	if (cmd_opt_num(a, "batch", 1, SUBMIT_BATCH_MAX, true, &batch) != 0)
		return CMD_EXIT_USAGE;
	if ((sb.run = json_string(run)) == NULL ||
	    (model != NULL && (sb.model = json_string(model)) == NULL) ||
	    (dataset != NULL && (sb.dataset = json_string(dataset)) == NULL)) {
		out_err("submit: --run, --model and --dataset must be UTF-8");
		ex = CMD_EXIT_USAGE;
		goto out;
	}
	sb.h = h;
	sb.batch_max = (size_t)batch;
	sb.ids = cmd_opt(a, "ids") != NULL;
	sb.sanitize = cmd_opt(a, "sanitize") != NULL;
	sb.seen = json_object();
	sb.lines = xcalloc(sb.batch_max, sizeof(*sb.lines));
	sb.start = out_now();
	if ((ex = cmd_open(a->argv[0], &fd, &sb.name, &sb.size)) !=
	    CMD_EXIT_OK)
		goto out;
	if (jsonl_fdopen(fd, sb.name, &sb.rd, err, sizeof(err)) < 0) {
		out_err("%s", err);
		ex = CMD_EXIT_USAGE;
		goto out;
	}
	/* Strict JSON, one object a line: what the server takes. */
	jsonl_set_flags(sb.rd, JSONL_NO_ARRAY);
	submit_batch_open(&sb);

	for (;;) {
		if ((r = jsonl_next(sb.rd, &obj, err, sizeof(err))) <= 0) {
			if (r < 0)
				out_err("%s", err);
			ex = r < 0 ? CMD_EXIT_USAGE : submit_flush(&sb);
			break;
		}
		ex = submit_add(&sb, obj);
		json_decref(obj);
		if (ex != CMD_EXIT_OK)
			break;
		if ((sb.n == sb.batch_max ||
		    ftell(sb.fp) >= (long)SUBMIT_BATCH_BYTES) &&
		    (ex = submit_flush(&sb)) != CMD_EXIT_OK)
			break;
		submit_progress(&sb);
	}
	out_progress_clear();
	if (ex == CMD_EXIT_OK)
		fprintf(stderr, "submitted %llu candidates (%llu already "
		    "stored) to run %s\n", sb.accepted,
		    sb.duplicates, run);
 out:
	submit_batch_close(&sb);
	jsonl_close(sb.rd);
	free(sb.lines);
	json_decref(sb.seen);
	json_decref(sb.run);
	json_decref(sb.model);
	json_decref(sb.dataset);
	return ex;
}

const struct cmd_entry cmd_submit_entry = {
	.name = "submit",
	.usage = "--run NAME [--model M] [--dataset D] [--batch N] [--ids] "
	    "[--sanitize] FILE",
	.help =
	    "Post the candidates of FILE to the run NAME.  FILE holds one JSON "
	    "object per\n"
	    "line (JSON Lines, gzipped or not; \"-\" reads standard input): "
	    "\"task_id\" and\n"
	    "\"completion\" or \"program\", optionally \"id\", \"sample\", "
	    "\"model\", \"score\",\n"
	    "\"greedy\", \"truncated\", \"cost\", \"dataset\".  Blank lines are "
	    "skipped.\n"
	    "\n"
	    "  --run NAME   the run; set on every line\n"
	    "  --model M    the model; set on every line (else each line's "
	    "own)\n"
	    "  --dataset D  the dataset the task ids are in (humaneval+, "
	    "mbpp+, an\n"
	    "               import's name); set on lines without one\n"
	    "  --batch N    lines per request, 1 to 100000 (default 1000; a "
	    "batch is\n"
	    "               also sent when it reaches 8 MiB)\n"
	    "  --ids        print the candidates' ids on standard output, one "
	    "per line\n"
	    "  --sanitize   judge the code extracted from each line's text "
	    "(Markdown fences,\n"
	    "               prose, examples: as EvalPlus's sanitizer) unless "
	    "the line says\n"
	    "               \"sanitize\": false (every request gets "
	    "?sanitize=1)\n"
	    "\n"
	    "Posting a file again is safe: a line with neither \"id\" nor "
	    "\"sample\" gets\n"
	    "\"sample\" = its ordinal among the file's lines with the same "
	    "task_id (from 0),\n"
	    "and the server stores a candidate once per id or per (run, "
	    "task_id, sample).\n"
	    "A line that is not a JSON object with a task_id stops the "
	    "command before it is\n"
	    "sent (\"FILE:LINE: reason\", exit 2); batches before it are "
	    "stored.  A line the\n"
	    "server refuses is reported as \"FILE:LINE: server: reason\" "
	    "(exit 1).  At the\n"
	    "end: \"submitted N candidates (D already stored) to run NAME\" "
	    "on standard\n"
	    "error.  On a terminal, a progress line shows what was read and "
	    "sent.",
	.opts = {
		{ "run", "NAME" },
		{ "model", "M" },
		{ "dataset", "D" },
		{ "batch", "N" },
		{ "ids", NULL },
		{ "sanitize", NULL },
	},
	.min_args = 1,
	.max_args = 1,
	.exec = cmd_submit_exec,
};
