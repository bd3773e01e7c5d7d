/*
 * sqlite-query.c - the store's SQLite backend: what the API and the
 * reports read.  See sqlite-int.h.
 *
 * Per-run and per-problem figures come from the tallies (a few rows per
 * problem, in task order) and the running jobs, never from the
 * candidates table; the results stream pages candidates by row number;
 * a report's samples come from a covering index.  A query of several
 * statements reads in one read transaction: one snapshot.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/sqlite-int.h"

/* The candidate at the current row of "s" (LITE_CAND_SELECT) into *c. */
static void
lite_cand_read(sqlite3_stmt *s, struct store_candidate *c)
{
	int	 state = sqlite3_column_int(s, 14);

	store_cand_id(c->id, sqlite3_column_int64(s, 0), lite_col_text(s,
	    1));
	c->run = lite_col_strdup(s, 2);
	c->model = lite_col_strdup(s, 3);
	c->task_id = lite_col_strdup(s, 4);
	c->job = sqlite3_column_int64(s, 5);
	c->verdict = lite_col_verdict(s, 6);
	lite_col_meta(s, 7, &c->meta);
	c->state = state == STORE_RUNNING || state == STORE_DONE ?
	    (enum store_state)state : STORE_QUEUED;
	c->original = lite_col_strdup(s, 22);
	if (c->state != STORE_DONE) {
		c->usage = (struct store_usage){ -1, -1, -1 };
		return;
	}
	lite_col_usage(s, 15, &c->usage);
	c->tests = lite_col_strdup(s, 18);
	c->stderr_text = lite_col_strdup(s, 19);
	c->message = lite_col_strdup(s, 20);
	c->oracle_error = sqlite3_column_int(s, 21) != 0;
}

int
lite_candidate(struct store *base, int64_t row, const char *ext,
    struct store_candidate *out)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s;
	int		 r;

	if (row > 0) {
		s = lite_stmt(st, LITE_CAND_GET_ROW);
		lite_bind_int(st, s, 1, row);
	} else {
		s = lite_stmt(st, LITE_CAND_GET_EXT);
		lite_bind_text(st, s, 1, ext);
	}
	if ((r = lite_step(st, s)) == 1) {
		lite_cand_read(s, out);
		r = 0;
	} else if (r == 0)
		r = -ENOENT;
	lite_reset(s);
	if (r < 0 && r != -ENOENT)
		log_warnx("store_candidate: %s", st->err);
	return r;
}

/*
 * The run at the current row of "row" (LITE_RUN_SELECT) into *out,
 * from its tallies and the running jobs.
 */
static int
lite_run_read(struct lite *st, sqlite3_stmt *row, struct store_run *out)
{
	sqlite3_stmt	*s;
	int64_t		 id = sqlite3_column_int64(row, 0);
	char		*task = NULL;
	const char	*t;
	int		 r;

	memset(out, 0, sizeof(*out));
	/*
	 * A few rows per problem.  Rows come by task_id, so each change of
	 * task_id is one more problem; a row exists only for a problem
	 * with candidates.
	 */
	s = lite_stmt(st, LITE_RUN_TALLIES);
	lite_bind_int(st, s, 1, id);
	while ((r = lite_step(st, s)) == 1) {
		t = lite_col_text(s, 0);
		if (task == NULL || strcmp(task, t) != 0) {
			free(task);
			task = xstrdup(t);
			out->problems++;
		}
		store_count_verdict(lite_col_text(s, 1),
		    sqlite3_column_int64(s, 2), &out->counts);
	}
	lite_reset(s);
	free(task);
	if (r < 0)
		return r;

	s = lite_stmt(st, LITE_RUN_RUNNING);
	lite_bind_int(st, s, 1, id);
	if ((r = lite_step(st, s)) == 1)
		out->running = sqlite3_column_int64(s, 0);
	lite_reset(s);
	if (r < 0)
		return r;
	if (out->running > out->counts.pending)
		out->running = out->counts.pending;
	out->name = lite_col_strdup(row, 1);
	out->model = lite_col_strdup(row, 2);
	out->created_ms = sqlite3_column_int64(row, 3);
	out->ranker = lite_col_strdup(row, 4);
	return 0;
}

/*
 * Look run "name" up in a read transaction the caller opened.  Returns
 * 1 with the row current in the LITE_RUN_BY_NAME statement (which the
 * caller resets), 0 when there is none, or a negative errno.
 */
static int
lite_find_run(struct lite *st, const char *name)
{
	sqlite3_stmt	*s = lite_stmt(st, LITE_RUN_BY_NAME);

	lite_bind_text(st, s, 1, name);
	return lite_step(st, s);
}

/*
 * Open a read transaction and look run "name" up: its row id in *id.
 * Returns 0, -ENOENT (no such run; the transaction stays open) or a
 * negative errno; the caller ends the transaction either way.
 */
static int
lite_begin_run(struct lite *st, const char *name, int64_t *id)
{
	sqlite3_stmt	*rs = lite_stmt(st, LITE_RUN_BY_NAME);
	int		 r;

	*id = 0;
	if ((r = lite_begin(st, false)) < 0)
		return r;
	if ((r = lite_find_run(st, name)) == 1)
		*id = sqlite3_column_int64(rs, 0);
	lite_reset(rs);
	return r == 0 ? -ENOENT : r < 0 ? r : 0;
}

int
lite_run(struct store *base, const char *run, struct store_run *out)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_RUN_BY_NAME);
	int		 r;

	if ((r = lite_begin(st, false)) < 0)
		goto out;
	if ((r = lite_find_run(st, run)) == 1)
		r = lite_run_read(st, s, out);
	else if (r == 0)
		r = -ENOENT;
	lite_reset(s);
	if (r < 0)
		goto out;
	r = lite_commit(st);
 out:
	if (r < 0) {
		store_run_free(out);
		lite_abort(st);
		if (r != -ENOENT)
			log_warnx("store_run: %s", st->err);
	}
	return r;
}

int
lite_runs(struct store *base, struct store_run **runs, size_t *n)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_RUN_LIST);
	struct store_run *v = NULL;
	size_t		 nv = 0, cap = 0;
	int		 r;

	*runs = NULL;
	*n = 0;
	if ((r = lite_begin(st, false)) < 0)
		goto out;
	while ((r = lite_step(st, s)) == 1) {
		if (nv == cap) {
			cap = cap ? 2 * cap : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		if ((r = lite_run_read(st, s, &v[nv])) < 0)
			break;
		nv++;
	}
	lite_reset(s);
	if (r < 0 || (r = lite_commit(st)) < 0)
		goto out;
	*runs = v;
	*n = nv;
	v = NULL;
 out:
	if (r < 0) {
		lite_abort(st);
		log_warnx("store_runs: %s", st->err);
	}
	store_runs_free(v, nv);
	return r;
}

int
lite_run_problems(struct store *base, const char *run,
    struct store_problem **probs, size_t *n)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_RUN_TALLIES);
	struct store_problem *v = NULL;
	size_t		 nv = 0, cap = 0;
	int64_t		 id;
	const char	*t;
	int		 r;

	*probs = NULL;
	*n = 0;
	if ((r = lite_begin_run(st, run, &id)) < 0)
		goto out;

	/* Rows come by task_id; each change of task_id starts a problem. */
	lite_bind_int(st, s, 1, id);
	while ((r = lite_step(st, s)) == 1) {
		t = lite_col_text(s, 0);
		if (nv == 0 || strcmp(v[nv - 1].task_id, t) != 0) {
			if (nv == cap) {
				cap = cap ? 2 * cap : 256;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			memset(&v[nv], 0, sizeof(v[nv]));
			v[nv++].task_id = xstrdup(t);
		}
		store_count_verdict(lite_col_text(s, 1),
		    sqlite3_column_int64(s, 2), &v[nv - 1].counts);
	}
	lite_reset(s);
	if (r < 0 || (r = lite_commit(st)) < 0)
		goto out;
	*probs = v;
	*n = nv;
	v = NULL;
 out:
	if (r < 0) {
		lite_abort(st);
		if (r != -ENOENT)
			log_warnx("store_run_problems: %s", st->err);
	}
	store_problems_free(v, nv);
	return r;
}

int
lite_results(struct store *base, const char *run, bool feed, int64_t after,
    size_t max, bool detail, int (*cb)(const struct store_verdict *, void *),
    void *arg, int64_t *last)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, feed ? LITE_FEED : LITE_RESULTS);
	struct store_verdict v;
	int64_t		 id, end = after;
	int		 r;

	*last = after;
	if ((r = lite_begin_run(st, run, &id)) < 0)
		goto out;
	if (max > 0) {
		lite_bind_int(st, s, 1, id);
		lite_bind_int(st, s, 2, after);
		lite_bind_int(st, s, 3, max > INT64_MAX ? INT64_MAX :
		    (int64_t)max);
		while ((r = lite_step(st, s)) == 1) {
			v.row = sqlite3_column_int64(s, 0);
			store_cand_id(v.id, v.row, lite_col_text(s, 1));
			v.task_id = lite_col_text(s, 2);
			v.verdict = lite_col_verdict(s, 3);
			lite_col_meta(s, 4, &v.meta);
			lite_col_usage(s, 11, &v.usage);
			v.seq = lite_col_int(s, 14, 0);
			v.sanitized = sqlite3_column_int(s, 15) != 0;
			v.message = detail ? lite_col_text(s, 16) : NULL;
			v.tests = detail ? lite_col_text(s, 17) : NULL;
			v.stderr_text = detail ? lite_col_text(s, 18) : NULL;
			v.original = detail ? lite_col_text(s, 19) : NULL;
			end = feed ? v.seq : v.row;
			if ((r = cb(&v, arg)) != 0)
				break;
		}
		lite_reset(s);
		if (r < 0 || (r > 0 && (r = -ECANCELED) < 0))
			goto out;
	}
	if ((r = lite_commit(st)) < 0)
		goto out;
	*last = end;
 out:
	if (r < 0) {
		lite_abort(st);
		if (r != -ENOENT && r != -ECANCELED)
			log_warnx("%s: %s", feed ? "store_feed" :
			    "store_results", st->err);
	}
	return r;
}

int
lite_run_samples(struct store *base, const char *run, char **model,
    char **ranker, int (*cb)(const struct store_sample *, void *),
    void *arg)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_SAMPLES);
	sqlite3_stmt	*rs = lite_stmt(st, LITE_RUN_BY_NAME);
	struct store_sample smp;
	int64_t		 id = 0;
	int		 r;

	*model = *ranker = NULL;
	if ((r = lite_begin(st, false)) < 0)
		goto out;
	r = lite_find_run(st, run);
	if (r == 1) {
		id = sqlite3_column_int64(rs, 0);
		*model = lite_col_strdup(rs, 2);
		*ranker = lite_col_strdup(rs, 4);
	}
	lite_reset(rs);
	if (r == 0)
		r = -ENOENT;
	if (r < 0)
		goto out;
	lite_bind_int(st, s, 1, id);
	while ((r = lite_step(st, s)) == 1) {
		memset(&smp, 0, sizeof(smp));
		smp.task_id = lite_col_text(s, 0);
		smp.verdict = lite_col_verdict(s, 1);
		smp.s.passed = smp.verdict == PROTO_VERDICT_PASSED;
		smp.s.greedy = sqlite3_column_int(s, 2) != 0;
		smp.s.truncated = sqlite3_column_int(s, 3) != 0;
		smp.s.has_score = sqlite3_column_type(s, 4) != SQLITE_NULL;
		smp.s.score = lite_col_real(s, 4, 0);
		smp.s.seconds = lite_col_real(s, 5, -1);
		smp.s.tflops = lite_col_real(s, 6, -1);
		smp.oracle_error = sqlite3_column_int(s, 7) != 0;
		smp.base = sqlite3_column_type(s, 8) == SQLITE_NULL ?
		    STORE_BASE_NONE : sqlite3_column_int(s, 8) != 0 ?
		    STORE_BASE_PASSED : STORE_BASE_FAILED;
		if ((r = cb(&smp, arg)) != 0)
			break;
	}
	lite_reset(s);
	if (r < 0 || (r > 0 && (r = -ECANCELED) < 0))
		goto out;
	r = lite_commit(st);
 out:
	if (r < 0) {
		lite_abort(st);
		if (r != -ENOENT && r != -ECANCELED)
			log_warnx("store_run_samples: %s", st->err);
		free(*model);
		free(*ranker);
		*model = *ranker = NULL;
	}
	return r;
}
