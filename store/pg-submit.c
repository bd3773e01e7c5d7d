/*
 * pg-submit.c - the store's PostgreSQL backend: candidates and problem
 * files posted to the API, and runs changed or deleted.  See pg-int.h.
 *
 * A batch of candidates is one write transaction of at most five
 * statements, whatever its size, each taking the batch as arrays:
 *
 *   1. the candidates known by client id (skipped when none has one);
 *   2. those known by (run, task, sample) (skipped when none has one);
 *   3. the runs, created when new, model and ranker set when not yet;
 *   4. the jobs: an identical job found, else one created (queued);
 *   5. the candidates, their tallies and the queued count.
 *
 * Between 2 and 3 the batch is walked once in C, in order, to apply the
 * same rules as the SQLite backend, which stores candidate by candidate:
 * a candidate repeating an earlier one of the batch (same id, or same
 * run, task and sample) is "existed" with that one's id; an id used by
 * another run or task is -EEXIST; identical programs of the batch share
 * the job of the first.  Small hash sets of batch indexes (struct
 * pgs_set) make that walk linear.
 *
 * New rows get their ids from the identity sequences in batch order, so
 * a batch's "v-N" ids follow its order as they do on SQLite.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "common/hash.h"
#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/pg-int.h"

/*
 * The lookups of a batch are one index probe per candidate: each is a
 * LATERAL subquery with LIMIT 1 (the keys are unique), which the
 * planner cannot turn into a join.  As a join, with a thousand keys,
 * it chose a hash join over the whole table, whose cost grew with the
 * table (25 ms a batch at 100,000 candidates).
 */

/* 1: candidates known by id; i is the batch index + 1. */
#define PGS_SQL_BY_EXT							\
	"SELECT u.i, x.run_id, x.name, x.task_id "			\
	"FROM unnest($1::text[]) WITH ORDINALITY AS u(ext, i) "		\
	"CROSS JOIN LATERAL (SELECT c.run_id, r.name, c.task_id "	\
	"FROM candidates AS c JOIN runs AS r ON r.id = c.run_id "	\
	"WHERE c.ext_id = u.ext LIMIT 1) AS x"

/* 2: candidates known by (run, task, sample); NULL samples never match. */
#define PGS_SQL_BY_SAMPLE						\
	"SELECT u.i, x.id, x.ext_id, x.run_id "				\
	"FROM unnest($1::text[], $2::text[], $3::bigint[]) "		\
	"WITH ORDINALITY AS u(run, task, sample, i) "			\
	"CROSS JOIN LATERAL (SELECT c.id, c.ext_id, c.run_id "		\
	"FROM runs AS r JOIN candidates AS c ON c.run_id = r.id "	\
	"WHERE r.name = u.run AND c.task_id = u.task "			\
	"AND c.sample = u.sample LIMIT 1) AS x"

/*
 * 3: the batch's runs: the new ones created in order of first
 * appearance, model and ranker from the first candidate that names
 * one; an existing run gets those it lacks.  Only new names reach the
 * INSERT: ON CONFLICT takes an id from the sequence for every row it
 * is given, so run ids would not follow SQLite's (one more per run).
 * The last SELECT reads runs as they were before the statement: the
 * existing ones; "ins" gives the new.
 */
#define PGS_SQL_RUNS							\
	"WITH u AS (SELECT * FROM unnest($1::text[], $2::text[], "	\
	"$3::text[]) WITH ORDINALITY AS u(name, model, ranker, i)), "	\
	"ins AS (INSERT INTO runs (name, model, ranker, created_ms) "	\
	"SELECT u.name, u.model, u.ranker, $4 FROM u "			\
	"WHERE NOT EXISTS (SELECT 1 FROM runs AS r "			\
	"WHERE r.name = u.name) ORDER BY u.i "				\
	"ON CONFLICT (name) DO NOTHING RETURNING id, name), "		\
	"upd AS (UPDATE runs SET model = coalesce(runs.model, u.model), " \
	"ranker = coalesce(runs.ranker, u.ranker) FROM u "		\
	"WHERE runs.name = u.name AND ((runs.model IS NULL "		\
	"AND u.model IS NOT NULL) OR (runs.ranker IS NULL "		\
	"AND u.ranker IS NOT NULL))) "					\
	"SELECT id, name FROM ins UNION ALL "				\
	"SELECT r.id, r.name FROM runs AS r JOIN u ON r.name = u.name"

/*
 * 4: per distinct program of the batch (i), the first identical job
 * that may be shared (as LITE_JOB_FIND: the hash finds it, the rest
 * proves it; never a job the oracle failed to judge or that ended
 * "internal"), else a new queued job with an id taken in batch order.
 */
#define PGS_SQL_JOBS							\
	"WITH u AS (SELECT * FROM unnest($1::bigint[], $2::text[], "	\
	"$3::bigint[], $4::text[], $5::bigint[], $6::bigint[], "	\
	"$7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], "	\
	"$11::bigint[]) WITH ORDINALITY "				\
	"AS u(run_id, task, hash, prog, w, c, t, m, np, fs, o, i)), "	\
	"f AS (SELECT u.i, x.id, x.state, x.verdict FROM u "		\
	"CROSS JOIN LATERAL (SELECT j.id, j.state, j.verdict "		\
	"FROM jobs AS j WHERE j.task_id = u.task AND j.hash = u.hash "	\
	"AND j.program = u.prog AND j.lim_wall_ms = u.w "		\
	"AND j.lim_cpu_ms = u.c AND j.lim_test_ms = u.t "		\
	"AND j.lim_mem_mb = u.m AND j.lim_nproc = u.np "		\
	"AND j.lim_fsize_kb = u.fs AND j.lim_out_kb = u.o "		\
	"AND NOT j.oracle_error "					\
	"AND (j.verdict IS NULL OR j.verdict <> 'internal') "		\
	"ORDER BY j.id LIMIT 1) AS x), "				\
	"n AS (SELECT u.*, nextval('jobs_id_seq') AS id FROM u "	\
	"WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.i = u.i) "		\
	"ORDER BY u.i), "						\
	"ins AS (INSERT INTO jobs (id, run_id, task_id, hash, "		\
	"lim_wall_ms, lim_cpu_ms, lim_test_ms, lim_mem_mb, lim_nproc, "	\
	"lim_fsize_kb, lim_out_kb, program, state, created_ms) "	\
	"SELECT id, run_id, task, hash, w, c, t, m, np, fs, o, prog, 0, " \
	"$12 FROM n) "							\
	"SELECT i, id, state, verdict, false FROM f "			\
	"UNION ALL SELECT i, id, 0, NULL, true FROM n"

/*
 * 5: the new candidates with ids in batch order (one that joins a done
 * job takes its verdict and base_passed), their tallies (one row per
 * run, task and verdict: ON CONFLICT may touch a row once per
 * statement) and the count of queued jobs.
 */
#define PGS_SQL_CANDS							\
	"WITH u AS (SELECT nextval('candidates_id_seq') AS id, u.* "	\
	"FROM unnest($1::text[], $2::bigint[], $3::text[], "		\
	"$4::bigint[], $5::bigint[], $6::text[], $7::float8[], "	\
	"$8::bool[], $9::bool[], $10::float8[], $11::float8[], "	\
	"$12::bigint[], $13::text[]) WITH ORDINALITY AS u(ext, run_id, " \
	"task, sample, job, verdict, score, greedy, truncated, cs, ct, " \
	"tok, orig, i) ORDER BY u.i), "				\
	"c AS (INSERT INTO candidates (id, ext_id, run_id, task_id, "	\
	"sample, job_id, verdict, score, greedy, truncated, "		\
	"cost_seconds, cost_tflops, cost_tokens, created_ms, original, "	\
	"base_passed) "							\
	"SELECT id, ext, run_id, task, sample, job, verdict, score, "	\
	"greedy, truncated, cs, ct, tok, $14, orig, CASE WHEN verdict "	\
	"IS NULL THEN NULL ELSE (SELECT base_passed FROM jobs "	\
	"WHERE jobs.id = u.job) END FROM u), "				\
	"t AS (INSERT INTO tallies (run_id, task_id, verdict, n) "	\
	"SELECT run_id, task, coalesce(verdict, ''), count(*) FROM u "	\
	"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 "				\
	"ON CONFLICT (run_id, task_id, verdict) "			\
	"DO UPDATE SET n = tallies.n + excluded.n), "			\
	"q AS (UPDATE counters SET n = n + $15 "			\
	"WHERE name = 'queued_jobs') "					\
	"SELECT i, id FROM u"

/* What the walk of a batch decided for one candidate. */
struct pgs_slot {
	int		 same;		/* an earlier one it repeats; -1 */
	bool		 store;		/* a new row */
	size_t		 run;		/* its run, in the batch's runs */
	size_t		 job;		/* its program, in the batch's jobs */
	int64_t		 run_id;
	int64_t		 job_id;
	const char	*verdict;	/* a done job's (static), or NULL */
};

/*
 * A hash set of batch indexes, open addressing: slot holds index + 1,
 * 0 when empty.  What "equal" means is the caller's (pgs_set_find()).
 */
struct pgs_set {
	size_t		*slot;
	size_t		 mask;
};

/* Equality of two candidates of the batch, for one set. */
typedef bool pgs_eq_fn(const struct store_cand *, size_t, size_t);

static void
pgs_set_init(struct pgs_set *s, size_t n)
{
	size_t	 cap = 16;

	while (cap < 2 * n)
		cap <<= 1;
	s->slot = xcalloc(cap, sizeof(*s->slot));
	s->mask = cap - 1;
}

/* The index of an entry equal to candidate i (hash h), or -1. */
static int64_t
pgs_set_find(const struct pgs_set *s, uint64_t h, pgs_eq_fn *eq,
    const struct store_cand *c, size_t i)
{
	for (size_t k = h & s->mask; s->slot[k] != 0; k = (k + 1) & s->mask) {
		if (eq(c, s->slot[k] - 1, i))
			return (int64_t)(s->slot[k] - 1);
	}
	return -1;
}

/* Add candidate i (hash h), known not to be there. */
static void
pgs_set_add(struct pgs_set *s, uint64_t h, size_t i)
{
	size_t	 k;

	for (k = h & s->mask; s->slot[k] != 0; k = (k + 1) & s->mask)
		;
	s->slot[k] = i + 1;
}

static bool
pgs_eq_id(const struct store_cand *c, size_t a, size_t b)
{
	return strcmp(c[a].id, c[b].id) == 0;
}

static bool
pgs_eq_sample(const struct store_cand *c, size_t a, size_t b)
{
	return c[a].meta.sample == c[b].meta.sample &&
	    strcmp(c[a].task_id, c[b].task_id) == 0 &&
	    strcmp(c[a].run, c[b].run) == 0;
}

static bool
pgs_eq_run(const struct store_cand *c, size_t a, size_t b)
{
	return strcmp(c[a].run, c[b].run) == 0;
}

/* Same task, program text and limits: one job. */
static bool
pgs_eq_job(const struct store_cand *c, size_t a, size_t b)
{
	return memcmp(&c[a].limits, &c[b].limits, sizeof(c[a].limits)) ==
	    0 && strcmp(c[a].task_id, c[b].task_id) == 0 &&
	    strcmp(c[a].program, c[b].program) == 0;
}

/* The 64-bit FNV-1a of the program, as the signed bigint stored. */
static int64_t
pgs_hash(const char *s)
{
	return (int64_t)hash_fnv1a(s);
}

/* The state of one batch in pgs_add(). */
struct pgs_batch {
	const struct store_cand *c;
	size_t		 n;
	struct pgs_slot	*slot;
	size_t		*runs;		/* first candidate of each run */
	size_t		 nruns;
	size_t		*jobs;		/* first candidate of each program */
	size_t		 njobs;
	int64_t		 now;
	int64_t		*done_rows;	/* new candidates of done jobs */
	int64_t		*done_jobs;	/* and their jobs */
	size_t		 ndone;
};

/*
 * 1 and 2: look the batch's ids and samples up, and walk the batch in
 * order: mark what existed (out[]), what repeats an earlier candidate,
 * and what is new; number the runs and programs of the new ones.
 */
static int
pgs_add_walk(struct pgs *st, struct pgs_batch *b, struct store_added *out,
    char *errbuf, size_t errlen)
{
	const struct store_cand *c = b->c;
	struct pgs_arr	 ext = { 0 }, run = { 0 }, task = { 0 }, smp = { 0 };
	struct pgs_set	 ids, samples, runs, jobs;
	PGresult	*byext = NULL, *bysmp = NULL;
	int64_t		*extrow, *smprow, j;
	const char	*v[3];
	bool		 anyid = false, anysmp = false;
	int		 r = 0;

	extrow = xcalloc(b->n, sizeof(*extrow));
	smprow = xcalloc(b->n, sizeof(*smprow));
	for (size_t i = 0; i < b->n; i++) {
		extrow[i] = smprow[i] = -1;
		pgs_arr_text(&ext, c[i].id);
		pgs_arr_text(&run, c[i].run);
		pgs_arr_text(&task, c[i].task_id);
		pgs_arr_opt(&smp, c[i].meta.sample, c[i].meta.has_sample);
		anyid = anyid || c[i].id != NULL;
		anysmp = anysmp || c[i].meta.has_sample;
	}
	if (anyid) {
		v[0] = pgs_arr_end(&ext);
		if ((r = pgs_exec(st, PGS_SQL_BY_EXT, 1, v, &byext)) < 0)
			goto out;
		for (int k = 0; k < PQntuples(byext); k++)
			extrow[pgs_int(byext, k, 0, 1) - 1] = k;
	}
	if (anysmp) {
		v[0] = pgs_arr_end(&run);
		v[1] = pgs_arr_end(&task);
		v[2] = pgs_arr_end(&smp);
		if ((r = pgs_exec(st, PGS_SQL_BY_SAMPLE, 3, v, &bysmp)) < 0)
			goto out;
		for (int k = 0; k < PQntuples(bysmp); k++)
			smprow[pgs_int(bysmp, k, 0, 1) - 1] = k;
	}

	pgs_set_init(&ids, b->n);
	pgs_set_init(&samples, b->n);
	pgs_set_init(&runs, b->n);
	pgs_set_init(&jobs, b->n);
	for (size_t i = 0; i < b->n && r == 0; i++) {
		struct pgs_slot	*s = &b->slot[i];
		const char	*orun = NULL, *otask = NULL;
		uint64_t	 hid = 0, hsmp = 0, hrun, hjob;

		s->same = -1;
		if (c[i].id != NULL) {
			hid = hash_fnv1a(c[i].id);
			if (extrow[i] >= 0) {
				orun = pgs_text(byext, (int)extrow[i], 2);
				otask = pgs_text(byext, (int)extrow[i], 3);
				out[i].run_id = pgs_int(byext, (int)extrow[i],
				    1, 0);
			} else if ((j = pgs_set_find(&ids, hid, pgs_eq_id, c,
			    i)) >= 0) {
				orun = c[j].run;
				otask = c[j].task_id;
				s->same = (int)j;
			}
			if (orun != NULL && (strcmp(orun, c[i].run) != 0 ||
			    strcmp(otask, c[i].task_id) != 0)) {
				log_errbuf(errbuf, errlen, "candidate %zu: id "
				    "\"%s\" is already used by run %s task %s",
				    i, c[i].id, orun, otask);
				r = -EEXIST;
				break;
			}
			if (orun != NULL) {
				out[i].existed = true;
				store_cand_id(out[i].id, 0, c[i].id);
				continue;
			}
		}
		if (c[i].meta.has_sample) {
			hsmp = (hash_fnv1a(c[i].run) * 31) ^
			    hash_fnv1a(c[i].task_id) ^
			    (uint64_t)c[i].meta.sample;
			if (smprow[i] >= 0) {
				out[i].existed = true;
				store_cand_id(out[i].id, pgs_int(bysmp,
				    (int)smprow[i], 1, 0), pgs_text(bysmp,
				    (int)smprow[i], 2));
				out[i].run_id = pgs_int(bysmp, (int)smprow[i],
				    3, 0);
				continue;
			}
			if ((j = pgs_set_find(&samples, hsmp, pgs_eq_sample, c,
			    i)) >= 0) {
				out[i].existed = true;
				s->same = (int)j;
				continue;
			}
		}

		/* New: what later candidates of the batch may repeat. */
		s->store = true;
		if (c[i].id != NULL)
			pgs_set_add(&ids, hid, i);
		if (c[i].meta.has_sample)
			pgs_set_add(&samples, hsmp, i);
		hrun = hash_fnv1a(c[i].run);
		if ((j = pgs_set_find(&runs, hrun, pgs_eq_run, c, i)) < 0) {
			pgs_set_add(&runs, hrun, i);
			s->run = b->nruns;
			b->runs[b->nruns++] = i;
		} else
			s->run = b->slot[j].run;
		hjob = (uint64_t)pgs_hash(c[i].program) ^
		    hash_fnv1a(c[i].task_id);
		if ((j = pgs_set_find(&jobs, hjob, pgs_eq_job, c, i)) < 0) {
			pgs_set_add(&jobs, hjob, i);
			s->job = b->njobs;
			b->jobs[b->njobs++] = i;
		} else
			s->job = b->slot[j].job;
	}
	free(ids.slot);
	free(samples.slot);
	free(runs.slot);
	free(jobs.slot);
 out:
	PQclear(byext);
	PQclear(bysmp);
	pgs_arr_free(&ext);
	pgs_arr_free(&run);
	pgs_arr_free(&task);
	pgs_arr_free(&smp);
	free(extrow);
	free(smprow);
	return r;
}

/* 3: the runs of the new candidates: their ids into the slots. */
static int
pgs_add_runs(struct pgs *st, struct pgs_batch *b)
{
	const struct store_cand *c = b->c;
	struct pgs_arr	 name = { 0 }, model = { 0 }, ranker = { 0 };
	PGresult	*res = NULL;
	const char	*v[4], *m, *rk;
	char		 now[24];
	int64_t		*ids;
	size_t		 k;
	int		 r;

	/* Model and ranker: the first new candidate's that has one. */
	for (k = 0; k < b->nruns; k++) {
		m = rk = NULL;
		for (size_t i = b->runs[k]; i < b->n && (m == NULL ||
		    rk == NULL); i++) {
			if (!b->slot[i].store || b->slot[i].run != k)
				continue;
			m = m != NULL ? m : c[i].model;
			rk = rk != NULL ? rk : c[i].ranker;
		}
		pgs_arr_text(&name, c[b->runs[k]].run);
		pgs_arr_text(&model, m);
		pgs_arr_text(&ranker, rk);
	}
	v[0] = pgs_arr_end(&name);
	v[1] = pgs_arr_end(&model);
	v[2] = pgs_arr_end(&ranker);
	v[3] = pgs_itoa(now, b->now);
	if ((r = pgs_exec(st, PGS_SQL_RUNS, 4, v, &res)) < 0)
		goto out;
	ids = xcalloc(b->nruns, sizeof(*ids));
	for (int row = 0; row < PQntuples(res); row++) {
		for (k = 0; k < b->nruns; k++) {
			if (strcmp(c[b->runs[k]].run, pgs_text(res, row,
			    1)) == 0)
				ids[k] = pgs_int(res, row, 0, 0);
		}
	}
	for (size_t i = 0; i < b->n; i++) {
		if (b->slot[i].store)
			b->slot[i].run_id = ids[b->slot[i].run];
	}
	free(ids);
 out:
	PQclear(res);
	pgs_arr_free(&name);
	pgs_arr_free(&model);
	pgs_arr_free(&ranker);
	return r;
}

/*
 * 4: the jobs of the new candidates, found or created: their ids (and
 * a done job's verdict) into the slots; new_job for the first candidate
 * of each created job; their number in *created.
 */
static int
pgs_add_jobs(struct pgs *st, struct pgs_batch *b, struct store_added *out,
    size_t *created)
{
	const struct store_cand *c = b->c;
	struct pgs_arr	 a[11] = { { 0 } };
	PGresult	*res = NULL;
	const char	*v[12];
	char		 now[24];
	int64_t		*ids;
	const char	**verdicts;
	size_t		 k, i;
	int		 r, vd;

	*created = 0;
	for (k = 0; k < b->njobs; k++) {
		const struct store_cand *x = &c[b->jobs[k]];

		pgs_arr_int(&a[0], b->slot[b->jobs[k]].run_id);
		pgs_arr_text(&a[1], x->task_id);
		pgs_arr_int(&a[2], pgs_hash(x->program));
		pgs_arr_text(&a[3], x->program);
		pgs_arr_int(&a[4], x->limits.wall_ms);
		pgs_arr_int(&a[5], x->limits.cpu_ms);
		pgs_arr_int(&a[6], x->limits.test_ms);
		pgs_arr_int(&a[7], x->limits.mem_mb);
		pgs_arr_int(&a[8], x->limits.nproc);
		pgs_arr_int(&a[9], x->limits.fsize_kb);
		pgs_arr_int(&a[10], x->limits.out_kb);
	}
	for (k = 0; k < 11; k++)
		v[k] = pgs_arr_end(&a[k]);
	v[11] = pgs_itoa(now, b->now);
	if ((r = pgs_exec(st, PGS_SQL_JOBS, 12, v, &res)) < 0)
		goto out;
	ids = xcalloc(b->njobs, sizeof(*ids));
	verdicts = xcalloc(b->njobs, sizeof(*verdicts));
	for (int row = 0; row < PQntuples(res); row++) {
		k = (size_t)pgs_int(res, row, 0, 1) - 1;
		if (k >= b->njobs)
			continue;
		ids[k] = pgs_int(res, row, 1, 0);
		if (pgs_int(res, row, 2, 0) == STORE_DONE) {
			if ((vd = store_verdict_of(pgs_text(res, row, 3))) < 0)
				vd = PROTO_VERDICT_INTERNAL;
			verdicts[k] = proto_verdict_name(
			    (enum proto_verdict)vd);
		}
		if (pgs_bool(res, row, 4)) {
			out[b->jobs[k]].new_job = true;
			(*created)++;
		}
	}
	for (i = 0; i < b->n; i++) {
		if (!b->slot[i].store)
			continue;
		b->slot[i].job_id = ids[b->slot[i].job];
		b->slot[i].verdict = verdicts[b->slot[i].job];
	}
	free(ids);
	free(verdicts);
 out:
	PQclear(res);
	for (k = 0; k < 11; k++)
		pgs_arr_free(&a[k]);
	return r;
}

/*
 * 5: the new candidates, their tallies and "created" more queued jobs:
 * their ids into out[], and those of done jobs (verdicts at once) with
 * their jobs into b->done_rows and b->done_jobs.
 */
static int
pgs_add_cands(struct pgs *st, struct pgs_batch *b, struct store_added *out,
    size_t created)
{
	const struct store_cand *c = b->c;
	struct pgs_arr	 a[13] = { { 0 } };
	PGresult	*res = NULL;
	const char	*v[15];
	char		 now[24], nq[24];
	size_t		 k, *map;
	int		 r;

	map = xcalloc(b->n, sizeof(*map));
	for (size_t i = 0, m = 0; i < b->n; i++) {
		const struct store_meta *x = &c[i].meta;

		if (!b->slot[i].store)
			continue;
		map[m++] = i;
		pgs_arr_text(&a[0], c[i].id);
		pgs_arr_int(&a[1], b->slot[i].run_id);
		pgs_arr_text(&a[2], c[i].task_id);
		pgs_arr_opt(&a[3], x->sample, x->has_sample);
		pgs_arr_int(&a[4], b->slot[i].job_id);
		pgs_arr_text(&a[5], b->slot[i].verdict);
		pgs_arr_real(&a[6], x->score, x->has_score);
		pgs_arr_bool(&a[7], x->greedy);
		pgs_arr_bool(&a[8], x->truncated);
		pgs_arr_real(&a[9], x->cost_seconds, x->cost_seconds >= 0);
		pgs_arr_real(&a[10], x->cost_tflops, x->cost_tflops >= 0);
		pgs_arr_opt(&a[11], x->cost_tokens, x->cost_tokens >= 0);
		pgs_arr_text(&a[12], c[i].original);
	}
	for (k = 0; k < 13; k++)
		v[k] = pgs_arr_end(&a[k]);
	v[13] = pgs_itoa(now, b->now);
	v[14] = pgs_itoa(nq, (int64_t)created);
	if ((r = pgs_exec(st, PGS_SQL_CANDS, 15, v, &res)) < 0)
		goto out;
	for (int row = 0; row < PQntuples(res); row++) {
		k = map[pgs_int(res, row, 0, 1) - 1];
		store_cand_id(out[k].id, pgs_int(res, row, 1, 0), c[k].id);
		out[k].run_id = b->slot[k].run_id;
		if (b->slot[k].verdict != NULL) {
			out[k].done = true;
			b->done_rows[b->ndone] = pgs_int(res, row, 1, 0);
			b->done_jobs[b->ndone++] = b->slot[k].job_id;
		}
	}
 out:
	PQclear(res);
	for (k = 0; k < 13; k++)
		pgs_arr_free(&a[k]);
	free(map);
	return r;
}

/*
 * Tell the other nodes, at the commit, of the runs that got queued jobs
 * (out[i].new_job), each once.
 */
static int
pgs_add_notify(struct pgs *st, const struct store_added *out, size_t n)
{
	int64_t		*runs;
	size_t		 nruns = 0, k;
	int		 r;

	runs = xcalloc(n, sizeof(*runs));
	for (size_t i = 0; i < n; i++) {
		if (!out[i].new_job)
			continue;
		for (k = 0; k < nruns && runs[k] != out[i].run_id; k++)
			;
		if (k == nruns)
			runs[nruns++] = out[i].run_id;
	}
	r = pgs_notify(st, PGS_CHAN_QUEUED, runs, nruns);
	free(runs);
	return r;
}

int
pgs_add(struct store *base, const struct store_cand *c, size_t n,
    struct store_added *out, size_t *new_jobs, char *errbuf, size_t errlen)
{
	struct pgs	*st = pgs_of(base);
	struct pgs_batch b;
	size_t		 created = 0;
	int		 r;

	memset(&b, 0, sizeof(b));
	b.c = c;
	b.n = n;
	b.slot = xcalloc(n, sizeof(*b.slot));
	b.runs = xcalloc(n, sizeof(*b.runs));
	b.jobs = xcalloc(n, sizeof(*b.jobs));
	b.done_rows = xcalloc(n, sizeof(*b.done_rows));
	b.done_jobs = xcalloc(n, sizeof(*b.done_jobs));
	b.now = store_now_ms();
	st->err[0] = '\0';
	if ((r = pgs_begin(st, true)) < 0 ||
	    (r = pgs_add_walk(st, &b, out, errbuf, errlen)) < 0)
		goto out;
	if (b.nruns > 0 && ((r = pgs_add_runs(st, &b)) < 0 ||
	    (r = pgs_add_jobs(st, &b, out, &created)) < 0 ||
	    (r = pgs_add_cands(st, &b, out, created)) < 0))
		goto out;
	/* Repeats of an earlier candidate of the batch: its id and run. */
	for (size_t i = 0; i < n; i++) {
		if (b.slot[i].same >= 0) {
			memcpy(out[i].id, out[b.slot[i].same].id,
			    sizeof(out[i].id));
			out[i].run_id = out[b.slot[i].same].run_id;
		}
	}
	if (created > 0 && (r = pgs_add_notify(st, out, n)) < 0)
		goto out;
	/* Verdicts at once: their followers hear of them as of jobs done;
	 * the seqs last (pgs_seq_give()). */
	if (b.ndone > 0 && ((r = pgs_notify(st, PGS_CHAN_DONE, b.done_jobs,
	    b.ndone)) < 0 ||
	    (r = pgs_seq_give(st, b.done_rows, b.ndone)) < 0))
		goto out;
	if ((r = pgs_commit(st)) < 0)
		goto out;
	*new_jobs = created;
 out:
	if (r < 0) {
		pgs_abort(st);
		if (r != -EEXIST || st->err[0] != '\0')
			log_errbuf(errbuf, errlen, "database: %s", st->err);
		for (size_t i = 0; i < n; i++)
			memset(&out[i], 0, sizeof(out[i]));
	}
	free(b.slot);
	free(b.runs);
	free(b.jobs);
	free(b.done_rows);
	free(b.done_jobs);
	return r;
}

/* --- Runs --- */

int
pgs_run_update(struct store *base, const char *name, const char *model,
    const char *ranker)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	const char	*v[3] = { name, model, ranker };
	int		 r;

	/* A write transaction: its commit is on disk when it returns. */
	if ((r = pgs_begin(st, true)) < 0 ||
	    (r = pgs_exec(st, "UPDATE runs SET model = coalesce($2, model), "
	    "ranker = coalesce($3, ranker) WHERE name = $1 RETURNING id", 3,
	    v, &res)) < 0)
		goto out;
	if (PQntuples(res) == 0) {
		PQclear(res);
		pgs_abort(st);
		return -ENOENT;
	}
	PQclear(res);
	r = pgs_commit(st);
 out:
	if (r < 0) {
		pgs_abort(st);
		log_warnx("store_run_update: %s", st->err);
	}
	return r;
}

/* The jobs of run $1's candidates. */
#define PGS_RUN_JOBS	"(SELECT job_id FROM candidates WHERE run_id = $1)"

/*
 * A run's deletion (pgs_run_delete()), in this order, each with the
 * run's id as $1.  Hand-over: each job of the run that candidates of
 * other runs use becomes the oldest of those runs' (candidates_job
 * gives it); returns their runs and states (as they are when locked: a
 * claim may have started one).  Then the run's jobs are the orphans:
 * deleted, the queued count losing the queued ones.
 */
#define PGS_SQL_HAND_OVER						\
	"UPDATE jobs SET run_id = h.heir FROM (SELECT j.id, "		\
	"(SELECT min(o.run_id) FROM candidates AS o "			\
	"WHERE o.job_id = j.id AND o.run_id <> $1) AS heir "		\
	"FROM jobs AS j WHERE j.run_id = $1 AND j.id IN " PGS_RUN_JOBS	\
	") AS h WHERE jobs.id = h.id AND h.heir IS NOT NULL "		\
	"RETURNING jobs.run_id, jobs.state"
#define PGS_SQL_DEL_ORPHANS						\
	"WITH d AS (DELETE FROM jobs WHERE run_id = $1 AND id IN "	\
	PGS_RUN_JOBS " RETURNING state), "				\
	"k AS (UPDATE counters SET n = n - (SELECT count(*) FROM d "	\
	"WHERE state = 0) WHERE name = 'queued_jobs') "			\
	"SELECT count(*), count(*) FILTER (WHERE state = 0) FROM d"
#define PGS_SQL_DEL_REST						\
	"WITH c AS (DELETE FROM candidates WHERE run_id = $1 RETURNING 1), " \
	"t AS (DELETE FROM tallies WHERE run_id = $1), "		\
	"r AS (DELETE FROM runs WHERE id = $1) SELECT count(*) FROM c"

int
pgs_run_delete(struct store *base, const char *name,
    struct store_deleted *out)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	const char	*v[1];
	char		 idb[24];
	int		 r;

	v[0] = name;
	if ((r = pgs_begin(st, true)) < 0 ||
	    (r = pgs_exec(st, "SELECT id FROM runs WHERE name = $1", 1, v,
	    &res)) < 0)
		goto out;
	if (PQntuples(res) == 0) {
		PQclear(res);
		pgs_abort(st);
		return -ENOENT;
	}
	out->run_id = pgs_int(res, 0, 0, 0);
	PQclear(res);
	v[0] = pgs_itoa(idb, out->run_id);
	if ((r = pgs_exec(st, PGS_SQL_HAND_OVER, 1, v, &res)) < 0)
		goto out;
	out->jobs_kept = PQntuples(res);
	for (int i = 0; i < PQntuples(res); i++)
		if (pgs_int(res, i, 1, -1) == STORE_QUEUED)
			store_heir_add(out, pgs_int(res, i, 0, 0));
	PQclear(res);
	if ((r = pgs_exec(st, PGS_SQL_DEL_ORPHANS, 1, v, &res)) < 0)
		goto out;
	out->jobs_deleted = pgs_int(res, 0, 0, 0);
	out->queued = pgs_int(res, 0, 1, 0);
	PQclear(res);
	if ((r = pgs_exec(st, PGS_SQL_DEL_REST, 1, v, &res)) < 0)
		goto out;
	out->candidates = pgs_int(res, 0, 0, 0);
	PQclear(res);
	if ((out->nheirs > 0 && (r = pgs_notify(st, PGS_CHAN_QUEUED,
	    out->heirs, out->nheirs)) < 0) ||
	    (r = pgs_notify(st, PGS_CHAN_DELETED, &out->run_id, 1)) < 0 ||
	    (r = pgs_commit(st)) < 0)
		goto out;
	return 0;
 out:
	pgs_abort(st);
	log_warnx("store_run_delete: %s", st->err);
	free(out->heirs);
	memset(out, 0, sizeof(*out));
	return r;
}

/* --- Problem files --- */

int
pgs_import_add(struct store *base, const struct store_import *imp,
    int64_t *id)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	const char	*v[4];
	int		 lens[4] = { 0 }, fmts[4] = { 0, 1, 0, 0 };
	char		 now[24];
	int		 r;

	*id = 0;
	if (imp->len > INT32_MAX) {
		snprintf(st->err, sizeof(st->err), "body of %zu bytes",
		    imp->len);
		r = -EIO;
		goto out;
	}
	v[0] = imp->format;
	v[1] = imp->len > 0 ? imp->body : "";
	v[2] = pgs_itoa(now, store_now_ms());
	v[3] = imp->dataset;
	lens[1] = (int)imp->len;
	/* Durable when the commit returns; the others hear of it then. */
	if ((r = pgs_begin(st, true)) < 0 ||
	    (r = pgs_execb(st, "INSERT INTO imports (format, body, "
	    "created_ms, dataset) VALUES ($1, $2, $3, $4) RETURNING id", 4, v,
	    lens, fmts, &res)) < 0)
		goto out;
	*id = pgs_int(res, 0, 0, 0);
	if ((r = pgs_notify(st, PGS_CHAN_IMPORT, id, 1)) < 0 ||
	    (r = pgs_commit(st)) < 0)
		goto out;
 out:
	PQclear(res);
	if (r < 0) {
		*id = 0;
		pgs_abort(st);
		log_warnx("store_import_add: %s", st->err);
	}
	return r;
}

int
pgs_import_each(struct store *base, int64_t after, store_import_cb *cb,
    void *arg)
{
	struct pgs	*st = pgs_of(base);
	PGresult	*res = NULL;
	struct store_import imp;
	unsigned char	*body;
	const char	*v[1];
	char		 b0[24];
	size_t		 len;
	int		 r, cr = 0;

	v[0] = pgs_itoa(b0, after);
	if ((r = pgs_exec(st, "SELECT id, format, body, dataset FROM imports "
	    "WHERE id > $1 ORDER BY id", 1, v, &res)) < 0) {
		log_warnx("store_import_each: %s", st->err);
		return r;
	}
	for (int row = 0; row < PQntuples(res) && cr == 0; row++) {
		body = PQunescapeBytea((const unsigned char *)PQgetvalue(res,
		    row, 2), &len);
		if (body == NULL) {
			log_warnx("store_import_each: import %s: bad bytea",
			    PQgetvalue(res, row, 0));
			cr = -EIO;
			break;
		}
		imp.format = pgs_text(res, row, 1);
		imp.body = body;
		imp.len = len;
		imp.dataset = pgs_text(res, row, 3);
		cr = cb(pgs_int(res, row, 0, 0), &imp, arg);
		PQfreemem(body);
	}
	PQclear(res);
	return cr;
}
