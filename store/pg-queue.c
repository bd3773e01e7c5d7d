/*
 * pg-queue.c - the store's PostgreSQL backend: the queue.  See
 * pg-int.h.
 *
 * As on SQLite, the queue is the jobs in state 0 (index jobs_queued, by
 * run), and their number is kept in the counters row "queued_jobs" in
 * the same transactions.  Unlike SQLite, several nodes share it:
 *
 *   - A claim is one statement: the run's oldest queued jobs, locked
 *     FOR UPDATE SKIP LOCKED (a job another node is claiming at that
 *     moment is skipped, not waited for), become running under this
 *     connection's lease (lease_owner, lease_until by the server's
 *     clock) and are returned.
 *   - store_leases() renews this connection's leases and puts back the
 *     jobs whose leases expired (their node died, froze or lost the
 *     database), with a NOTIFY so that the other nodes claim them.
 *   - A result is written under the write lock, on the rows of its jobs
 *     locked first: a job held by another connection (this one's lease
 *     expired and it was claimed again) is not finished here, so a job
 *     is counted once whoever judged it.
 *
 * Claims, leases and releases take no advisory lock: they lock the rows
 * they change, and the counters row last.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/pg-int.h"

/*
 * Claim: up to $2 queued jobs of run $1, oldest first, skipping those
 * locked by another claim, become running under lease owner $3 of node
 * $4 for $5 ms; the queued count loses them.
 */
#define PGS_SQL_CLAIM							\
	"WITH c AS (SELECT id FROM jobs WHERE state = 0 AND run_id = $1 " \
	"ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED), "		\
	"u AS (UPDATE jobs SET state = 1, lease_owner = $3, "		\
	"lease_node = $4, lease_until = " PGS_NOW_MS " + $5, "		\
	"claimed_ms = " PGS_NOW_MS " FROM c WHERE jobs.id = c.id "	\
	"RETURNING jobs.id, jobs.run_id, jobs.task_id, jobs.program, "	\
	"jobs.lim_wall_ms, jobs.lim_cpu_ms, jobs.lim_test_ms, "		\
	"jobs.lim_mem_mb, jobs.lim_nproc, jobs.lim_fsize_kb, "		\
	"jobs.lim_out_kb), "						\
	"k AS (UPDATE counters SET n = n - (SELECT count(*) FROM u) "	\
	"WHERE name = 'queued_jobs' AND EXISTS (SELECT 1 FROM u)) "	\
	"SELECT * FROM u ORDER BY id"

/*
 * The feed's verdict order (see pgs_seq_give()): the candidates "from"
 * picks (as "c", with the columns "cols" more), their row order (so),
 * the counter moved past them (sk), and, in PGS_SQL_SEQ_SET, each
 * candidate's seq: the last taken less its place from the end.
 */
#define PGS_SQL_SEQ_TAKE(cols, from)					\
	"so AS MATERIALIZED (SELECT c.id" cols ", row_number() OVER "	\
	"(ORDER BY c.id) AS rn, count(*) OVER () AS n " from "), "	\
	"sk AS (UPDATE counters SET n = n + (SELECT count(*) FROM so) "	\
	"WHERE name = 'verdict_seq' RETURNING n)"
#define PGS_SQL_SEQ_SET							\
	"seq = sk.n - so.n + so.rn FROM so, sk WHERE candidates.id = so.id"

/*
 * Put running jobs back in the queue: those matching PGS_SQL_REQUEUE's
 * condition (appended), with the queued count; returns the runs.
 */
#define PGS_SQL_REQUEUE(cond)						\
	"WITH e AS (UPDATE jobs SET state = 0, lease_owner = NULL, "	\
	"lease_node = NULL, lease_until = NULL WHERE state = 1 AND "	\
	cond " RETURNING run_id), "					\
	"k AS (UPDATE counters SET n = n + (SELECT count(*) FROM e) "	\
	"WHERE name = 'queued_jobs' AND EXISTS (SELECT 1 FROM e)) "	\
	"SELECT run_id, count(*) FROM e GROUP BY run_id ORDER BY run_id"

/* Leases expired (or never taken: a job of schema version 1). */
#define PGS_SQL_EXPIRED							\
	"(lease_owner IS NULL OR lease_until IS NULL OR "		\
	"lease_until < " PGS_NOW_MS ")"

/* Renew the leases of owner $1 by $2 ms (of the jobs $3 only). */
#define PGS_SQL_RENEW							\
	"UPDATE jobs SET lease_until = " PGS_NOW_MS " + $2 "		\
	"WHERE state = 1 AND lease_owner = $1"
#define PGS_SQL_RENEW_HELD						\
	PGS_SQL_RENEW " AND id = ANY ($3::bigint[])"

/*
 * Lock the jobs of a turn's results, in id order (so that two turns
 * never wait for each other in a cycle), then give each result its
 * job's state and owner (NULL: no such job) and whether an earlier
 * result names the same job.
 */
#define PGS_SQL_STATES							\
	"WITH l AS MATERIALIZED (SELECT id, state, lease_owner FROM jobs " \
	"WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE) "	\
	"SELECT l.state, l.lease_owner, row_number() OVER (PARTITION BY " \
	"u.id ORDER BY u.i) > 1 FROM unnest($1::bigint[]) "		\
	"WITH ORDINALITY AS u(id, i) LEFT JOIN l ON l.id = u.id "	\
	"ORDER BY u.i"

/*
 * Finish jobs (each once, none done before): the job's result, its
 * candidates' verdict and base result with their seqs (the counter
 * taken: the last statement of the transaction, see pgs_seq_give()),
 * and per run and task of those candidates, "" loses them and the
 * verdict (and "oracle_error" for the oracle's failures) gains them.
 * The CTEs read the candidates as they were before the statement,
 * which is all the tallies need.  The candidates are found by "job_id
 * = ANY" the array of jobs, which the planner estimates right and
 * reads by index (candidates_job); joined with d alone, it read the
 * whole table.  d.base is an enum store_base (PGS_SQL_BASE: NULL for
 * none).
 */
#define PGS_SQL_BASE(t)							\
	"(CASE " t ".base WHEN 2 THEN true WHEN 1 THEN false END)"
#define PGS_SQL_FINISH							\
	"WITH d AS (SELECT * FROM unnest($1::bigint[], $2::text[], "	\
	"$3::text[], $4::bigint[], $5::bigint[], $6::bigint[], "	\
	"$7::text[], $8::text[], $9::bool[], $11::int[]) AS d(job, "	\
	"verdict, tests, cpu, wall, rss, stderr, message, oracle, "	\
	"base)), "							\
	"j AS (UPDATE jobs SET state = 2, verdict = d.verdict, "	\
	"tests = d.tests, cpu_ms = d.cpu, wall_ms = d.wall, "		\
	"max_rss_kb = d.rss, stderr = d.stderr, message = d.message, "	\
	"finished_ms = $10, oracle_error = d.oracle, lease_owner = NULL, " \
	"lease_until = NULL, base_passed = " PGS_SQL_BASE("d") " FROM d "	\
	"WHERE jobs.id = d.job), "					\
	PGS_SQL_SEQ_TAKE(", d.verdict, d.oracle, d.base", "FROM "	\
	"candidates AS c JOIN d ON c.job_id = d.job "			\
	"WHERE c.job_id = ANY ($1::bigint[])")				\
	", c AS (UPDATE candidates SET verdict = so.verdict, "		\
	"oracle_error = so.oracle, base_passed = " PGS_SQL_BASE("so") \
	", " PGS_SQL_SEQ_SET "), "					\
	"k AS (SELECT c.run_id, c.task_id, d.verdict, d.oracle, "	\
	"count(*) AS n FROM candidates AS c JOIN d ON c.job_id = d.job " \
	"WHERE c.job_id = ANY ($1::bigint[]) GROUP BY 1, 2, 3, 4), "	\
	"m AS (SELECT run_id, task_id, '' AS verdict, -n AS n FROM k "	\
	"UNION ALL SELECT run_id, task_id, verdict, n FROM k "		\
	"UNION ALL SELECT run_id, task_id, "				\
	"'" STORE_TALLY_ORACLE "', n FROM k WHERE oracle) "		\
	"INSERT INTO tallies (run_id, task_id, verdict, n) "		\
	"SELECT run_id, task_id, verdict, sum(n) FROM m "		\
	"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 "				\
	"ON CONFLICT (run_id, task_id, verdict) "			\
	"DO UPDATE SET n = tallies.n + excluded.n"

/*
 * Why the counter is taken last (here, and by PGS_SQL_FINISH, which
 * pgs_update() runs last).  A follower of the feed reads the
 * candidates with seq > the last it saw; a verdict whose seq was taken
 * before another's but that committed after it would be skipped for
 * good.  So commit order must be seq order.  The UPDATE of the counters
 * row holds that row's lock from this statement to the COMMIT that
 * follows at once; another transaction's UPDATE of the row waits for
 * that commit, then (READ COMMITTED) reads the committed n and takes the
 * seqs after it.  And a transaction is visible to new snapshots before
 * its locks are released, so any snapshot that sees a seq N also sees
 * every seq below N: a reader never finds a hole that fills later.
 * (The write lock PGS_LOCK_WRITE of pgs_begin() orders these writers
 * too; taking the counter last keeps seqs in commit order without
 * relying on it, and keeps the row locked as short a time as can be.)
 * The unit test store_feed_concurrent checks it with two writers and a
 * follower.
 */
int
pgs_seq_give(struct pgs *st, const int64_t *rows, size_t n)
{
	static const char sql[] = "WITH " PGS_SQL_SEQ_TAKE("",
	    "FROM candidates AS c WHERE c.id = ANY ($1::bigint[])")
	    " UPDATE candidates SET " PGS_SQL_SEQ_SET;
	struct pgs_arr	 a = { 0 };
	const char	*v[1];
	int		 r;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		pgs_arr_int(&a, rows[i]);
	v[0] = pgs_arr_end(&a);
	r = pgs_exec(st, sql, 1, v, NULL);
	pgs_arr_free(&a);
	return r;
}

/*
 * Run "sql" (a PGS_SQL_REQUEUE) with parameters v[0..n-1] and tell the
 * other nodes of the runs that got jobs back: the runs in *runs (new
 * array, or NULL when "runs" is NULL) of *nruns, the jobs put back in
 * *requeued.
 */
static int
pgs_requeue(struct pgs *st, const char *sql, int n, const char *const *v,
    int64_t **runs, size_t *nruns, size_t *requeued)
{
	PGresult	*res = NULL;
	int64_t		*ids;
	int		 r, nr;

	*requeued = 0;
	if ((r = pgs_exec(st, sql, n, v, &res)) < 0)
		return r;
	nr = PQntuples(res);
	ids = xcalloc((size_t)nr + 1, sizeof(*ids));
	for (int i = 0; i < nr; i++) {
		ids[i] = pgs_int(res, i, 0, 0);
		*requeued += (size_t)pgs_int(res, i, 1, 0);
	}
	PQclear(res);
	/* Committed: a failed NOTIFY only delays the others (their own
	 * lease timers look at the queue again). */
	if (nr > 0 && pgs_notify(st, PGS_CHAN_QUEUED, ids, (size_t)nr) < 0)
		log_warnx("store: %s: NOTIFY: %s", st->label, st->err);
	if (runs != NULL && nr > 0) {
		*runs = ids;
		*nruns = (size_t)nr;
	} else
		free(ids);
	return 0;
}

int
pgs_recover(struct store *base, const char *node, size_t *requeued)
{
	struct pgs	*st = pgs_of(base);
	const char	*v[1] = { node != NULL ? node : "" };
	int		 r;

	/*
	 * Then count the queue again (a counter gone wrong is made right).
	 * While other nodes claim, the count may be off by their claims of
	 * that instant: the queue limit is approximate in a cluster.
	 */
	if ((r = pgs_requeue(st, PGS_SQL_REQUEUE("(lease_node = $1 OR "
	    PGS_SQL_EXPIRED ")"), 1, v, NULL, NULL, requeued)) < 0 ||
	    (r = pgs_exec(st, "UPDATE counters SET n = (SELECT count(*) "
	    "FROM jobs WHERE state = 0) WHERE name = 'queued_jobs'", 0, NULL,
	    NULL)) < 0)
		log_warnx("store_recover: %s", st->err);
	return r;
}

int
pgs_count_queued(struct store *base, size_t *n)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	int		 r;

	*n = 0;
	if ((r = pgs_exec(st, "SELECT n FROM counters WHERE name = "
	    "'queued_jobs'", 0, NULL, &res)) < 0) {
		log_warnx("store_count_queued: %s", st->err);
		return r;
	}
	if (PQntuples(res) > 0)
		*n = (size_t)pgs_int(res, 0, 0, 0);
	PQclear(res);
	return 0;
}

/*
 * Add "delta" to the count of queued jobs, in the write transaction the
 * caller opened.
 */
static int
pgs_queue_add(struct pgs *st, int64_t delta)
{
	const char	*v[1];
	char		 buf[24];

	if (delta == 0)
		return 0;
	v[0] = pgs_itoa(buf, delta);
	return pgs_exec_prepared(st, "UPDATE counters SET n = n + $1 WHERE name = "
	    "'queued_jobs'", 1, v, NULL);
}

/*
 * One index probe per run however many jobs are queued: PostgreSQL has
 * no skip scan, so the recursive query makes one (each step the next
 * run_id above the last in jobs_queued).
 */
int
pgs_queued_runs(struct store *base, int64_t **ids, size_t *n)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	int64_t		*v;
	int		 r, nv;

	*ids = NULL;
	*n = 0;
	if ((r = pgs_exec(st, "WITH RECURSIVE q (run_id) AS ("
	    "(SELECT run_id FROM jobs WHERE state = 0 ORDER BY run_id "
	    "LIMIT 1) UNION ALL SELECT (SELECT run_id FROM jobs "
	    "WHERE state = 0 AND run_id > q.run_id ORDER BY run_id LIMIT 1) "
	    "FROM q WHERE q.run_id IS NOT NULL) "
	    "SELECT run_id FROM q WHERE run_id IS NOT NULL", 0, NULL,
	    &res)) < 0) {
		log_warnx("store_queued_runs: %s", st->err);
		return r;
	}
	nv = PQntuples(res);
	v = xcalloc((size_t)nv + 1, sizeof(*v));
	for (int i = 0; i < nv; i++)
		v[i] = pgs_int(res, i, 0, 0);
	PQclear(res);
	if (nv == 0) {
		free(v);
		v = NULL;
	}
	*ids = v;
	*n = (size_t)nv;
	return 0;
}

int
pgs_claim(struct store *base, const struct store_lease *lease,
    int64_t run_id, size_t max, struct store_job *jobs, size_t *n)
{
	struct pgs		*st = pgs_of(base);
	PGresult		*res = NULL;
	struct store_job	*j;
	const char		*v[5];
	char			 b0[24], b1[24], b2[24], b4[24];
	size_t			 nj;
	int			 r;

	v[0] = pgs_itoa(b0, run_id);
	v[1] = pgs_itoa(b1, max > INT64_MAX ? INT64_MAX : (int64_t)max);
	v[2] = pgs_itoa(b2, st->owner);
	v[3] = lease->node != NULL ? lease->node : "";
	v[4] = pgs_itoa(b4, lease->ms);
	if ((r = pgs_exec_prepared(st, PGS_SQL_CLAIM, 5, v, &res)) < 0) {
		log_warnx("store_claim: %s", st->err);
		return r;
	}
	for (nj = 0; nj < max && nj < (size_t)PQntuples(res); nj++) {
		int	 row = (int)nj;

		j = &jobs[nj];
		j->id = pgs_int(res, row, 0, 0);
		j->run_id = pgs_int(res, row, 1, 0);
		j->task_id = pgs_strdup(res, row, 2);
		j->program = pgs_strdup(res, row, 3);
		j->limits.wall_ms = (uint32_t)pgs_int(res, row, 4, 0);
		j->limits.cpu_ms = (uint32_t)pgs_int(res, row, 5, 0);
		j->limits.test_ms = (uint32_t)pgs_int(res, row, 6, 0);
		j->limits.mem_mb = (uint32_t)pgs_int(res, row, 7, 0);
		j->limits.nproc = (uint32_t)pgs_int(res, row, 8, 0);
		j->limits.fsize_kb = (uint32_t)pgs_int(res, row, 9, 0);
		j->limits.out_kb = (uint32_t)pgs_int(res, row, 10, 0);
	}
	PQclear(res);
	*n = nj;
	return 0;
}

int
pgs_leases(struct store *base, const struct store_lease *lease,
    int64_t **runs, size_t *nruns)
{
	struct pgs	*st = pgs_of(base);
	struct pgs_arr	 held = { 0 };
	const char	*v[3], *vq[2];
	char		 b0[24], b1[24];
	size_t		 requeued;
	int		 r;

	v[0] = pgs_itoa(b0, st->owner);
	v[1] = pgs_itoa(b1, lease->ms);
	if (lease->held == NULL) {
		if ((r = pgs_exec_prepared(st, PGS_SQL_RENEW, 2, v,
		    NULL)) == 0)
			r = pgs_requeue(st, PGS_SQL_REQUEUE("lease_owner IS "
			    "DISTINCT FROM $1 AND " PGS_SQL_EXPIRED), 1, v,
			    runs, nruns, &requeued);
	} else {
		/* This connection's own claims that it does not hold
		 * expire too: a claim committed whose answer was lost. */
		for (size_t i = 0; i < lease->nheld; i++)
			pgs_arr_int(&held, lease->held[i]);
		v[2] = pgs_arr_end(&held);
		vq[0] = v[0];
		vq[1] = v[2];
		if ((r = pgs_exec_prepared(st, PGS_SQL_RENEW_HELD, 3, v,
		    NULL)) == 0)
			r = pgs_requeue(st, PGS_SQL_REQUEUE("(lease_owner IS "
			    "DISTINCT FROM $1 OR NOT id = ANY ($2::bigint[])) "
			    "AND " PGS_SQL_EXPIRED), 2, vq, runs, nruns,
			    &requeued);
		pgs_arr_free(&held);
	}
	if (r < 0) {
		log_warnx("store_leases: %s", st->err);
		return r;
	}
	if (requeued > 0)
		log_info("store: %zu jobs of lost leases back in the queue",
		    requeued);
	return 0;
}

int
pgs_release(struct store *base, const int64_t *jobs, size_t n,
    size_t *requeued)
{
	struct pgs	*st = pgs_of(base);
	struct pgs_arr	 ids = { 0 };
	const char	*v[2];
	char		 b1[24];
	int		 r;

	for (size_t i = 0; i < n; i++)
		pgs_arr_int(&ids, jobs[i]);
	v[0] = pgs_arr_end(&ids);
	v[1] = pgs_itoa(b1, st->owner);
	if ((r = pgs_requeue(st, PGS_SQL_REQUEUE("id = ANY ($1::bigint[]) "
	    "AND lease_owner = $2"), 2, v, NULL, NULL, requeued)) < 0)
		log_warnx("store_release: %s", st->err);
	pgs_arr_free(&ids);
	return r;
}

/*
 * The jobs of done[] to finish, in the write transaction, their rows
 * locked: those not done before and not held by another connection,
 * each once (the first result of a job given twice), into fin[]
 * (caller's, ndone entries) and their number in *nfin; the queued ones
 * among them (a lease lost and not claimed again) counted off *queued.
 */
static int
pgs_update_pick(struct pgs *st, const struct store_result *done,
    size_t ndone, const struct store_result **fin, size_t *nfin,
    int64_t *queued)
{
	struct pgs_arr	 ids = { 0 };
	PGresult	*res = NULL;
	const char	*v[1];
	int64_t		 state, owner;
	int		 r;

	*nfin = 0;
	for (size_t i = 0; i < ndone; i++)
		pgs_arr_int(&ids, done[i].job);
	v[0] = pgs_arr_end(&ids);
	if ((r = pgs_exec_prepared(st, PGS_SQL_STATES, 1, v, &res)) < 0)
		goto out;
	for (int row = 0; row < PQntuples(res) && (size_t)row < ndone; row++) {
		state = pgs_int(res, row, 0, -1);
		owner = pgs_int(res, row, 1, 0);
		if (state < 0 || state == STORE_DONE || pgs_bool(res, row, 2))
			continue;	/* no such job, done, or given twice */
		if (state == STORE_RUNNING && owner != 0 && owner != st->owner)
			continue;	/* claimed again: the other's now */
		if (state == STORE_QUEUED)
			(*queued)--;
		fin[(*nfin)++] = &done[row];
	}
 out:
	PQclear(res);
	pgs_arr_free(&ids);
	return r;
}

/* Finish the jobs fin[0..nfin-1] (pgs_update_pick()'s) at "now". */
static int
pgs_update_finish(struct pgs *st, const struct store_result *const *fin,
    size_t nfin, int64_t now)
{
	struct pgs_arr	 a[10] = { { 0 } };
	const char	*v[11];
	char		 nowb[24], *tests;
	json_t		*tj;
	int		 r;

	for (size_t i = 0; i < nfin; i++) {
		const struct sandbox_result *res = &fin[i]->res;

		tj = sandbox_result_tests_json(res);
		tests = json_dumps(tj, JSON_COMPACT);
		json_decref(tj);
		pgs_arr_int(&a[0], fin[i]->job);
		pgs_arr_text(&a[1], proto_verdict_name(res->verdict));
		pgs_arr_text(&a[2], tests);
		pgs_arr_int(&a[3], res->cpu_ms);
		pgs_arr_int(&a[4], res->wall_ms);
		pgs_arr_int(&a[5], res->max_rss_kb);
		pgs_arr_text(&a[6], res->stderr_text != NULL ?
		    res->stderr_text : "");
		pgs_arr_text(&a[7], res->message != NULL ? res->message : "");
		pgs_arr_bool(&a[8], res->oracle_error);
		/* Anything but the two known values is none (NULL). */
		pgs_arr_int(&a[9], fin[i]->base == STORE_BASE_PASSED ||
		    fin[i]->base == STORE_BASE_FAILED ? fin[i]->base :
		    STORE_BASE_NONE);
		free(tests);
	}
	for (int k = 0; k < 9; k++)
		v[k] = pgs_arr_end(&a[k]);
	v[9] = pgs_itoa(nowb, now);
	v[10] = pgs_arr_end(&a[9]);
	r = pgs_exec_prepared(st, PGS_SQL_FINISH, 11, v, NULL);
	for (int k = 0; k < 10; k++)
		pgs_arr_free(&a[k]);
	return r;
}

int
pgs_update(struct store *base, const struct store_result *done,
    size_t ndone)
{
	struct pgs	*st = pgs_of(base);
	const struct store_result **fin;
	int64_t		*jobs, queued = 0;
	size_t		 nfin = 0;
	int		 r;

	fin = xcalloc(ndone + 1, sizeof(*fin));
	jobs = xcalloc(ndone + 1, sizeof(*jobs));
	if ((r = pgs_begin(st, true)) < 0 ||
	    (r = pgs_update_pick(st, done, ndone, fin, &nfin, &queued)) < 0)
		goto out;
	if (nfin > 0) {
		for (size_t i = 0; i < nfin; i++)
			jobs[i] = fin[i]->job;
		/* The verdicts last: they take the counter of seqs. */
		if ((r = pgs_queue_add(st, queued)) < 0 ||
		    (r = pgs_notify(st, PGS_CHAN_DONE, jobs, nfin)) < 0 ||
		    (r = pgs_update_finish(st, fin, nfin,
		    store_now_ms())) < 0)
			goto out;
	}
	r = pgs_commit(st);
 out:
	free(fin);
	free(jobs);
	if (r < 0) {
		pgs_abort(st);
		log_warnx("store_update: %s", st->err);
	}
	return r;
}
