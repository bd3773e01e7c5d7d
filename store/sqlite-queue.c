/*
 * sqlite-queue.c - the store's SQLite backend: the queue.  See
 * sqlite-int.h.
 *
 * The queue is the jobs in state 0 (index jobs_queued, by run), and
 * their number is kept in the counters row "queued_jobs" in the same
 * transactions, so the queue limit check is one lookup.  The scheduler
 * claims a run's oldest queued jobs a few at a time (one transaction:
 * read, mark running), and writes the results it got in one transaction
 * per turn of the loop.  One daemon owns the file, so a claim needs no
 * lease: it holds until the job is done or released.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/sqlite-int.h"

int
lite_recover(struct store *base, const char *node, size_t *requeued)
{
	struct lite	*st = lite_of(base);
	int		 r;

	(void)node;			/* every running job is this daemon's */
	if ((r = lite_begin(st, true)) < 0 ||
	    (r = lite_exec(st, LITE_RECOVER)) < 0)
		goto out;
	*requeued = (size_t)sqlite3_changes64(st->db);
	if ((r = lite_exec(st, LITE_QUEUE_RECOUNT)) < 0)
		goto out;
	r = lite_commit(st);
 out:
	if (r < 0) {
		*requeued = 0;
		lite_abort(st);
		log_warnx("store_recover: %s", st->err);
	}
	return r;
}

int
lite_count_queued(struct store *base, size_t *n)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_COUNT_QUEUED);
	int		 r;

	*n = 0;
	if ((r = lite_step(st, s)) == 1) {
		*n = (size_t)sqlite3_column_int64(s, 0);
		r = 0;
	}
	lite_reset(s);
	if (r < 0)
		log_warnx("store_count_queued: %s", st->err);
	return r < 0 ? r : 0;
}

int
lite_queue_add(struct lite *st, int64_t delta)
{
	sqlite3_stmt	*s = lite_stmt(st, LITE_QUEUE_ADD);
	int		 r;

	if (delta == 0)
		return 0;
	lite_bind_int(st, s, 1, delta);
	r = lite_step(st, s);
	lite_reset(s);
	return r < 0 ? r : 0;
}

int
lite_seq_get(struct lite *st, int64_t *seq)
{
	sqlite3_stmt	*s = lite_stmt(st, LITE_SEQ_GET);
	int		 r;

	*seq = 0;
	if ((r = lite_step(st, s)) == 1)
		*seq = sqlite3_column_int64(s, 0);
	lite_reset(s);
	return r < 0 ? r : 0;
}

int
lite_seq_set(struct lite *st, int64_t seq)
{
	sqlite3_stmt	*s = lite_stmt(st, LITE_SEQ_SET);
	int		 r;

	lite_bind_int(st, s, 1, seq);
	r = lite_step(st, s);
	lite_reset(s);
	return r < 0 ? r : 0;
}

int
lite_queued_runs(struct store *base, int64_t **ids, size_t *n)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_QUEUED_RUN_NEXT);
	int64_t		*v = NULL, last = INT64_MIN;
	size_t		 nv = 0, cap = 0;
	int		 r;

	*ids = NULL;
	*n = 0;
	if ((r = lite_begin(st, false)) < 0)
		goto out;
	for (;;) {
		lite_bind_int(st, s, 1, last);
		r = lite_step(st, s);
		if (r == 1)
			last = sqlite3_column_int64(s, 0);
		lite_reset(s);
		if (r <= 0)
			break;
		if (nv == cap) {
			cap = cap ? 2 * cap : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[nv++] = last;
	}
	if (r < 0 || (r = lite_commit(st)) < 0)
		goto out;
	*ids = v;
	*n = nv;
	v = NULL;
 out:
	if (r < 0) {
		lite_abort(st);
		log_warnx("store_queued_runs: %s", st->err);
	}
	free(v);
	return r;
}

/* Read up to "max" queued jobs of run "run_id" in id order. */
static int
lite_claim_read(struct lite *st, int64_t run_id, size_t max,
    struct store_job *jobs, size_t *n)
{
	sqlite3_stmt		*s = lite_stmt(st, LITE_QUEUED_JOBS);
	struct store_job	*j;
	int			 r = 0;

	lite_bind_int(st, s, 1, run_id);
	lite_bind_int(st, s, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
	while (*n < max && (r = lite_step(st, s)) == 1) {
		j = &jobs[(*n)++];
		j->id = sqlite3_column_int64(s, 0);
		j->run_id = sqlite3_column_int64(s, 1);
		j->task_id = xstrdup(lite_col_text(s, 2));
		j->program = xstrdup(lite_col_text(s, 3));
		j->limits.wall_ms = (uint32_t)sqlite3_column_int64(s, 4);
		j->limits.cpu_ms = (uint32_t)sqlite3_column_int64(s, 5);
		j->limits.test_ms = (uint32_t)sqlite3_column_int64(s, 6);
		j->limits.mem_mb = (uint32_t)sqlite3_column_int64(s, 7);
		j->limits.nproc = (uint32_t)sqlite3_column_int64(s, 8);
		j->limits.fsize_kb = (uint32_t)sqlite3_column_int64(s, 9);
		j->limits.out_kb = (uint32_t)sqlite3_column_int64(s, 10);
	}
	lite_reset(s);
	return r < 0 ? r : 0;
}

/*
 * Move jobs[0..n-1] from state "from" to the other of queued and
 * running (LITE_JOB_START or LITE_JOB_RELEASE), keeping the count of
 * queued jobs; the number moved in *moved.
 */
static int
lite_move(struct lite *st, enum lite_sql sql, const int64_t *jobs,
    size_t n, size_t *moved)
{
	sqlite3_stmt	*s = lite_stmt(st, sql);
	int		 r = 0;

	*moved = 0;
	for (size_t i = 0; i < n && r >= 0; i++) {
		lite_bind_int(st, s, 1, jobs[i]);
		r = lite_step(st, s);
		lite_reset(s);
		*moved += (size_t)sqlite3_changes(st->db);
	}
	if (r < 0)
		return r;
	return lite_queue_add(st, sql == LITE_JOB_START ? -(int64_t)*moved :
	    (int64_t)*moved);
}

int
lite_claim(struct store *base, const struct store_lease *lease,
    int64_t run_id, size_t max, struct store_job *jobs, size_t *n)
{
	struct lite	*st = lite_of(base);
	int64_t		*ids = NULL;
	size_t		 moved;
	int		 r;

	(void)lease;			/* one daemon: a claim holds */
	if ((r = lite_begin(st, true)) < 0 ||
	    (r = lite_claim_read(st, run_id, max, jobs, n)) < 0)
		goto out;
	ids = xcalloc(*n + 1, sizeof(*ids));
	for (size_t i = 0; i < *n; i++)
		ids[i] = jobs[i].id;
	if ((r = lite_move(st, LITE_JOB_START, ids, *n, &moved)) < 0)
		goto out;
	r = lite_commit(st);
 out:
	free(ids);
	if (r < 0) {
		lite_abort(st);
		for (size_t i = 0; i < *n; i++)
			store_job_free(&jobs[i]);
		*n = 0;
		log_warnx("store_claim: %s", st->err);
	}
	return r;
}

int
lite_leases(struct store *base, const struct store_lease *lease,
    int64_t **runs, size_t *nruns)
{
	(void)base;
	(void)lease;
	(void)runs;
	(void)nruns;
	return 0;			/* a claim holds: nothing expires */
}

int
lite_release(struct store *base, const int64_t *jobs, size_t n,
    size_t *requeued)
{
	struct lite	*st = lite_of(base);
	int		 r;

	if ((r = lite_begin(st, true)) < 0 ||
	    (r = lite_move(st, LITE_JOB_RELEASE, jobs, n, requeued)) < 0 ||
	    (r = lite_commit(st)) < 0) {
		lite_abort(st);
		*requeued = 0;
		log_warnx("store_release: %s", st->err);
	}
	return r;
}

/*
 * Give the candidates of job "job" its verdict and base result, each
 * with the next seq after *seq (in row order), *seq moving to the last
 * given.  Their ids are read first and updated after: no row changes
 * under a read.
 */
static int
lite_update_cands(struct lite *st, int64_t job, const char *verdict,
    bool oracle, enum store_base base, int64_t *seq)
{
	sqlite3_stmt	*s = lite_stmt(st, LITE_CAND_OF_JOB);
	int64_t		*ids = NULL;
	size_t		 n = 0;
	int		 r;

	lite_bind_int(st, s, 1, job);
	while ((r = lite_step(st, s)) == 1) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	lite_reset(s);
	s = lite_stmt(st, LITE_CAND_SET_VERDICT);
	for (size_t i = 0; i < n && r == 0; i++) {
		lite_bind_int(st, s, 1, ids[i]);
		lite_bind_text(st, s, 2, verdict);
		lite_bind_int(st, s, 3, oracle);
		lite_bind_int(st, s, 4, ++*seq);
		lite_bind_opt(st, s, 5, base == STORE_BASE_PASSED,
		    base == STORE_BASE_PASSED || base == STORE_BASE_FAILED);
		r = lite_step(st, s);
		lite_reset(s);
	}
	free(ids);
	return r < 0 ? r : 0;
}

/*
 * Finish one job: store its result, give its candidates the verdict
 * (and their seqs after *seq) and move their tallies from "" to it;
 * one less queued job in *queued when it had not started.  A job
 * already done (or not there) is left alone, so a result delivered
 * twice is counted once.
 */
static int
lite_update_done(struct lite *st, const struct store_result *d,
    int64_t now, int64_t *queued, int64_t *seq)
{
	sqlite3_stmt	*s, *t;
	const struct sandbox_result *res = &d->res;
	const char	*verdict = proto_verdict_name(res->verdict);
	json_t		*tests;
	char		*tests_txt = NULL, *task = NULL;
	int64_t		 k;
	int		 r, state = STORE_DONE, moves;
	bool		 oracle = res->oracle_error;

	s = lite_stmt(st, LITE_JOB_STATE);
	lite_bind_int(st, s, 1, d->job);
	if ((r = lite_step(st, s)) == 1) {
		state = sqlite3_column_int(s, 0);
		task = xstrdup(lite_col_text(s, 1));
	}
	lite_reset(s);
	if (r < 0 || state == STORE_DONE)
		goto out;		/* done before, or no such job */
	if (state == STORE_QUEUED)
		(*queued)--;

	tests = sandbox_result_tests_json(res);
	tests_txt = json_dumps(tests, JSON_COMPACT);
	json_decref(tests);
	s = lite_stmt(st, LITE_JOB_FINISH);
	lite_bind_int(st, s, 1, d->job);
	lite_bind_text(st, s, 2, verdict);
	lite_bind_text(st, s, 3, tests_txt);
	lite_bind_int(st, s, 4, res->cpu_ms);
	lite_bind_int(st, s, 5, res->wall_ms);
	lite_bind_int(st, s, 6, res->max_rss_kb);
	lite_bind_text(st, s, 7, res->stderr_text != NULL ?
	    res->stderr_text : "");
	lite_bind_text(st, s, 8, res->message != NULL ? res->message : "");
	lite_bind_int(st, s, 9, now);
	lite_bind_int(st, s, 10, oracle);
	lite_bind_opt(st, s, 11, d->base == STORE_BASE_PASSED,
	    d->base == STORE_BASE_PASSED || d->base == STORE_BASE_FAILED);
	r = lite_step(st, s);
	lite_reset(s);
	if (r < 0)
		goto out;

	if ((r = lite_update_cands(st, d->job, verdict, oracle, d->base,
	    seq)) < 0)
		goto out;

	/*
	 * Per run of the job's candidates, "" loses them and the verdict
	 * gains them (and the oracle's failures are counted too).  Reading
	 * candidates while writing tallies is fine: different tables, one
	 * connection.
	 */
	s = lite_stmt(st, LITE_JOB_RUNS);
	t = lite_stmt(st, LITE_TALLY_ADD);
	lite_bind_int(st, s, 1, d->job);
	moves = oracle ? 3 : 2;
	while ((r = lite_step(st, s)) == 1) {
		k = sqlite3_column_int64(s, 1);
		for (int move = 0; move < moves && r >= 0; move++) {
			lite_bind_int(st, t, 1, sqlite3_column_int64(s, 0));
			lite_bind_text(st, t, 2, task);
			lite_bind_text(st, t, 3, move == 0 ? "" : move == 1 ?
			    verdict : STORE_TALLY_ORACLE);
			lite_bind_int(st, t, 4, move == 0 ? -k : k);
			r = lite_step(st, t);
			lite_reset(t);
		}
		if (r < 0)
			break;
	}
	lite_reset(s);
 out:
	free(tests_txt);
	free(task);
	return r < 0 ? r : 0;
}

int
lite_update(struct store *base, const struct store_result *done,
    size_t ndone)
{
	struct lite	*st = lite_of(base);
	int64_t		 now, queued = 0, seq0, seq;
	int		 r;

	now = store_now_ms();
	if ((r = lite_begin(st, true)) < 0 ||
	    (r = lite_seq_get(st, &seq0)) < 0)
		goto out;
	seq = seq0;
	for (size_t i = 0; i < ndone; i++) {
		if ((r = lite_update_done(st, &done[i], now, &queued,
		    &seq)) < 0)
			goto out;
	}
	if ((r = lite_queue_add(st, queued)) < 0 ||
	    (seq != seq0 && (r = lite_seq_set(st, seq)) < 0))
		goto out;
	r = lite_commit(st);
 out:
	if (r < 0) {
		lite_abort(st);
		log_warnx("store_update: %s", st->err);
	}
	return r;
}
