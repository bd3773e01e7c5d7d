/*
 * pg-query.c - the store's PostgreSQL backend: what the API and the
 * reports read.  See pg-int.h.
 *
 * As on SQLite, per-run and per-problem figures come from the tallies
 * and the running jobs, never from the candidates table.  Each query is
 * one statement where it can be (a statement is one snapshot): a run
 * with its tallies and running count, a page of results with its run.
 * A report's samples, which may be a million rows, are fetched through
 * a cursor in pages of PGS_FETCH rows, in one REPEATABLE READ
 * transaction.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/pg-int.h"

#define PGS_FETCH	"10000"		/* rows per FETCH of the samples */

/* The columns of a candidate as pgs_cand_read() reads them. */
#define PGS_CAND_SELECT							\
	"SELECT c.id, c.ext_id, r.name, r.model, c.task_id, c.job_id, "	\
	"c.verdict, " PGS_META_COLS ", j.state, " PGS_USAGE_COLS ", "	\
	"j.tests, j.stderr, j.message, j.oracle_error, c.original "	\
	"FROM candidates AS c JOIN runs AS r ON r.id = c.run_id "	\
	"JOIN jobs AS j ON j.id = c.job_id "

/*
 * Runs with their running count and tallies, as pgs_runs_read() reads
 * them: one row per tally (NULLs for a run without one), by run and in
 * task order.  The running count starts from the running jobs (a
 * partial index of a few hundred rows at most), then their candidates.
 */
#define PGS_RUN_SELECT							\
	"SELECT r.id, r.name, r.model, r.created_ms, r.ranker, "	\
	"k.running, t.task_id, t.verdict, t.n FROM runs AS r "		\
	"CROSS JOIN LATERAL (SELECT count(*) AS running "		\
	"FROM jobs AS j JOIN candidates AS c ON c.job_id = j.id "	\
	"WHERE j.state = 1 AND c.run_id = r.id) AS k "			\
	"LEFT JOIN tallies AS t ON t.run_id = r.id "

/* The candidate at row "row" of "res" (PGS_CAND_SELECT) into *c. */
static void
pgs_cand_read(const PGresult *res, int row, struct store_candidate *c)
{
	int64_t	 state = pgs_int(res, row, 14, 0);

	store_cand_id(c->id, pgs_int(res, row, 0, 0), pgs_text(res, row, 1));
	c->run = pgs_strdup(res, row, 2);
	c->model = pgs_strdup(res, row, 3);
	c->task_id = pgs_strdup(res, row, 4);
	c->job = pgs_int(res, row, 5, 0);
	c->verdict = store_verdict_of(pgs_text(res, row, 6));
	pgs_meta(res, row, 7, &c->meta);
	c->state = state == STORE_RUNNING || state == STORE_DONE ?
	    (enum store_state)state : STORE_QUEUED;
	c->original = pgs_strdup(res, row, 22);
	if (c->state != STORE_DONE) {
		c->usage = (struct store_usage){ -1, -1, -1 };
		return;
	}
	pgs_usage(res, row, 15, &c->usage);
	c->tests = pgs_strdup(res, row, 18);
	c->stderr_text = pgs_strdup(res, row, 19);
	c->message = pgs_strdup(res, row, 20);
	c->oracle_error = pgs_bool(res, row, 21);
}

int
pgs_candidate(struct store *base, int64_t row, const char *ext,
    struct store_candidate *out)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	const char	*v[1];
	char		 buf[24];
	int		 r;

	if (row > 0) {
		v[0] = pgs_itoa(buf, row);
		r = pgs_exec(st, PGS_CAND_SELECT "WHERE c.id = $1 AND "
		    "c.ext_id IS NULL", 1, v, &res);
	} else {
		v[0] = ext;
		r = pgs_exec(st, PGS_CAND_SELECT "WHERE c.ext_id = $1", 1, v,
		    &res);
	}
	if (r < 0) {
		log_warnx("store_candidate: %s", st->err);
		return r;
	}
	if (PQntuples(res) > 0)
		pgs_cand_read(res, 0, out);
	else
		r = -ENOENT;
	PQclear(res);
	return r;
}

/*
 * The runs in "res" (PGS_RUN_SELECT) into a new array *runs of *n.
 * Each change of run id starts a run, each change of task_id within it
 * one more problem.
 */
static void
pgs_runs_read(const PGresult *res, struct store_run **runs, size_t *n)
{
	struct store_run *v = NULL, *cur = NULL;
	const char	*task, *last = NULL;
	int64_t		 id, curid = 0;
	size_t		 nv = 0, cap = 0;

	for (int row = 0; row < PQntuples(res); row++) {
		id = pgs_int(res, row, 0, 0);
		if (cur == NULL || id != curid) {
			if (nv == cap) {
				cap = cap ? 2 * cap : 8;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			cur = &v[nv++];
			memset(cur, 0, sizeof(*cur));
			curid = id;
			last = NULL;
			cur->name = pgs_strdup(res, row, 1);
			cur->model = pgs_strdup(res, row, 2);
			cur->created_ms = pgs_int(res, row, 3, 0);
			cur->ranker = pgs_strdup(res, row, 4);
			cur->running = pgs_int(res, row, 5, 0);
		}
		if ((task = pgs_text(res, row, 6)) == NULL)
			continue;
		if (last == NULL || strcmp(last, task) != 0)
			cur->problems++;
		last = task;
		store_count_verdict(pgs_text(res, row, 7),
		    pgs_int(res, row, 8, 0), &cur->counts);
	}
	for (size_t i = 0; i < nv; i++) {
		if (v[i].running > v[i].counts.pending)
			v[i].running = v[i].counts.pending;
	}
	*runs = v;
	*n = nv;
}

int
pgs_run(struct store *base, const char *name, struct store_run *out)
{
	struct pgs	*st = pgs_of(base);
	struct store_run *v = NULL;
	PGresult	*res = NULL;
	const char	*p[1] = { name };
	size_t		 n = 0;
	int		 r;

	if ((r = pgs_exec(st, PGS_RUN_SELECT "WHERE r.name = $1 "
	    "ORDER BY t.task_id, t.verdict", 1, p, &res)) < 0) {
		log_warnx("store_run: %s", st->err);
		return r;
	}
	pgs_runs_read(res, &v, &n);
	PQclear(res);
	if (n == 0)
		return -ENOENT;
	*out = v[0];
	free(v);
	return 0;
}

int
pgs_runs(struct store *base, struct store_run **runs, size_t *n)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	int		 r;

	*runs = NULL;
	*n = 0;
	if ((r = pgs_exec(st, PGS_RUN_SELECT "ORDER BY r.id, t.task_id, "
	    "t.verdict", 0, NULL, &res)) < 0) {
		log_warnx("store_runs: %s", st->err);
		return r;
	}
	pgs_runs_read(res, runs, n);
	PQclear(res);
	return 0;
}

int
pgs_run_problems(struct store *base, const char *run,
    struct store_problem **probs, size_t *n)
{
	struct pgs	*st = pgs_of(base);
	struct store_problem *v = NULL;
	PGresult	*res = NULL;
	const char	*p[1] = { run }, *t;
	size_t		 nv = 0, cap = 0;
	int		 r;

	*probs = NULL;
	*n = 0;
	if ((r = pgs_exec(st, "SELECT r.id, t.task_id, t.verdict, t.n "
	    "FROM runs AS r LEFT JOIN tallies AS t ON t.run_id = r.id "
	    "WHERE r.name = $1 ORDER BY t.task_id, t.verdict", 1, p,
	    &res)) < 0) {
		log_warnx("store_run_problems: %s", st->err);
		return r;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return -ENOENT;
	}
	/* Rows come by task_id; each change of task_id starts a problem. */
	for (int row = 0; row < PQntuples(res); row++) {
		if ((t = pgs_text(res, row, 1)) == NULL)
			continue;
		if (nv == 0 || strcmp(v[nv - 1].task_id, t) != 0) {
			if (nv == cap) {
				cap = cap ? 2 * cap : 256;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			memset(&v[nv], 0, sizeof(v[nv]));
			v[nv++].task_id = xstrdup(t);
		}
		store_count_verdict(pgs_text(res, row, 2),
		    pgs_int(res, row, 3, 0), &v[nv - 1].counts);
	}
	PQclear(res);
	*probs = v;
	*n = nv;
	return 0;
}

/*
 * A page of a run's results by "key", the row (id) or the verdict order
 * (seq: the index candidates_feed, whose seq IS NOT NULL "c.seq > $2"
 * implies); "more" adds columns after the seq.
 */
#define PGS_SQL_RESULTS(key, more)					\
	"SELECT r.id, x.* FROM runs AS r "				\
	"LEFT JOIN LATERAL (SELECT c.id, c.ext_id, c.task_id, c.verdict, " \
	PGS_META_COLS ", " PGS_USAGE_COLS ", c.seq" more " "		\
	"FROM candidates AS c JOIN jobs AS j ON j.id = c.job_id "	\
	"WHERE c.run_id = r.id AND c." key " > $2 "			\
	"AND c.verdict IS NOT NULL ORDER BY c." key " "			\
	"LIMIT $3) AS x ON true WHERE r.name = $1 ORDER BY x." key

/* Whether a candidate was sanitized; the details (its text as posted
 * too) cross the network only when asked. */
#define PGS_SANITIZED_COL	", c.original IS NOT NULL"
#define PGS_DETAIL_COLS	\
	PGS_SANITIZED_COL ", j.message, j.tests, j.stderr, c.original"

int
pgs_results(struct store *base, const char *run, bool feed, int64_t after,
    size_t max, bool detail, int (*cb)(const struct store_verdict *, void *),
    void *arg, int64_t *last)
{
	static const char *const sql[2][2] = {
		{ PGS_SQL_RESULTS("id", PGS_SANITIZED_COL),
		    PGS_SQL_RESULTS("id", PGS_DETAIL_COLS) },
		{ PGS_SQL_RESULTS("seq", PGS_SANITIZED_COL),
		    PGS_SQL_RESULTS("seq", PGS_DETAIL_COLS) },
	};
	struct pgs	*st = pgs_of(base);
	struct store_verdict v;
	PGresult	*res = NULL;
	const char	*p[3];
	char		 b1[24], b2[24];
	int64_t		 end = after;
	int		 r;

	*last = after;
	p[0] = run;
	p[1] = pgs_itoa(b1, after);
	p[2] = pgs_itoa(b2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
	if ((r = pgs_exec(st, sql[feed][detail], 3, p, &res)) < 0) {
		log_warnx("%s: %s", feed ? "store_feed" : "store_results",
		    st->err);
		return r;
	}
	if (PQntuples(res) == 0)
		r = -ENOENT;
	for (int row = 0; row < PQntuples(res) && r == 0; row++) {
		if (pgs_null(res, row, 1))
			break;			/* a run with no such row */
		v.row = pgs_int(res, row, 1, 0);
		store_cand_id(v.id, v.row, pgs_text(res, row, 2));
		v.task_id = pgs_text(res, row, 3);
		v.verdict = store_verdict_of(pgs_text(res, row, 4));
		pgs_meta(res, row, 5, &v.meta);
		pgs_usage(res, row, 12, &v.usage);
		v.seq = pgs_int(res, row, 15, 0);
		v.sanitized = pgs_bool(res, row, 16);
		v.message = detail ? pgs_text(res, row, 17) : NULL;
		v.tests = detail ? pgs_text(res, row, 18) : NULL;
		v.stderr_text = detail ? pgs_text(res, row, 19) : NULL;
		v.original = detail ? pgs_text(res, row, 20) : NULL;
		if (cb(&v, arg) != 0)
			r = -ECANCELED;
		end = feed ? v.seq : v.row;
	}
	PQclear(res);
	if (r == 0)
		*last = end;
	return r;
}

/*
 * Give the samples of the open cursor to "cb", a page at a time.
 * Returns 0, -ECANCELED when "cb" stopped, or a negative errno.
 */
static int
pgs_samples_fetch(struct pgs *st, int (*cb)(const struct store_sample *,
    void *), void *arg)
{
	struct store_sample smp;
	PGresult	*res = NULL;
	int		 r, nrow;

	do {
		if ((r = pgs_exec(st, "FETCH " PGS_FETCH " FROM pgs_samples",
		    0, NULL, &res)) < 0)
			return r;
		nrow = PQntuples(res);
		for (int row = 0; row < nrow && r == 0; row++) {
			memset(&smp, 0, sizeof(smp));
			smp.task_id = pgs_text(res, row, 0);
			smp.verdict = store_verdict_of(pgs_text(res, row, 1));
			smp.s.passed = smp.verdict == PROTO_VERDICT_PASSED;
			smp.s.greedy = pgs_bool(res, row, 2);
			smp.s.truncated = pgs_bool(res, row, 3);
			smp.s.has_score = !pgs_null(res, row, 4);
			smp.s.score = pgs_real(res, row, 4, 0);
			smp.s.seconds = pgs_real(res, row, 5, -1);
			smp.s.tflops = pgs_real(res, row, 6, -1);
			smp.oracle_error = pgs_bool(res, row, 7);
			smp.base = pgs_null(res, row, 8) ? STORE_BASE_NONE :
			    pgs_bool(res, row, 8) ? STORE_BASE_PASSED :
			    STORE_BASE_FAILED;
			if (cb(&smp, arg) != 0)
				r = -ECANCELED;
		}
		PQclear(res);
	} while (r == 0 && nrow > 0);
	return r;
}

int
pgs_run_samples(struct store *base, const char *run, char **model,
    char **ranker, int (*cb)(const struct store_sample *, void *),
    void *arg)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	const char	*p[1] = { run };
	char		*sql = NULL;
	int		 r;

	*model = *ranker = NULL;
	if ((r = pgs_begin(st, false)) < 0 ||
	    (r = pgs_exec(st, "SELECT id, model, ranker FROM runs "
	    "WHERE name = $1", 1, p, &res)) < 0)
		goto out;
	if (PQntuples(res) == 0) {
		r = -ENOENT;
		goto out;
	}
	*model = pgs_strdup(res, 0, 1);
	*ranker = pgs_strdup(res, 0, 2);
	/* An integer of ours in the text: no quoting to get wrong. */
	sql = xasprintf("DECLARE pgs_samples NO SCROLL CURSOR FOR "
	    "SELECT task_id, verdict, greedy, truncated, score, cost_seconds, "
	    "cost_tflops, oracle_error, base_passed FROM candidates "
	    "WHERE run_id = %" PRId64
	    " ORDER BY task_id", pgs_int(res, 0, 0, 0));
	if ((r = pgs_exec(st, sql, 0, NULL, NULL)) < 0 ||
	    (r = pgs_samples_fetch(st, cb, arg)) < 0)
		goto out;
	r = pgs_commit(st);
 out:
	PQclear(res);
	free(sql);
	if (r < 0) {
		pgs_abort(st);
		if (r != -ENOENT && r != -ECANCELED)
			log_warnx("store_run_samples: %s", st->err);
		free(*model);
		free(*ranker);
		*model = *ranker = NULL;
	}
	return r;
}
