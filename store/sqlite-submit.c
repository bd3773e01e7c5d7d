/*
 * sqlite-submit.c - the store's SQLite backend: candidates and problem
 * files posted to the API, and runs changed or deleted.  See
 * sqlite-int.h.
 *
 * A batch of candidates is one write transaction.  Per candidate it
 * costs a few index probes and inserts: is it known (by id, or by run,
 * task and sample), its run (created when new), an identical job (same
 * task, program text and limits: the job's hash finds it, the rest of
 * the row proves it), else a new queued job.  The run of the previous
 * candidate and the tally changes are kept in memory, so a batch of one
 * run and a few problems writes each tally row once.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "common/hash.h"
#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/sqlite-int.h"

#define LITE_TALLY_MAX	64		/* tally changes kept per batch */

/* A change of one tally, kept while a batch runs (see lite_add()). */
struct lite_tally {
	int64_t		 run_id;
	const char	*task_id;	/* borrowed from the batch */
	const char	*verdict;	/* static; "" for not done */
	int64_t		 n;		/* candidates to add (or remove) */
};

/* The run of the previous candidate of a batch. */
struct lite_runcache {
	const char	*name;		/* borrowed; NULL: none yet */
	int64_t		 id;		/* runs.id */
	bool		 has_model;	/* runs.model is set */
	bool		 has_ranker;	/* runs.ranker is set */
};

/* What a batch gives next, counted up as it goes. */
struct lite_next {
	int64_t		 seq;		/* the last verdict's seq given */
	int64_t		 cand;		/* the next candidate's id */
	int64_t		 job;		/* the next job's id */
};

/* --- Candidates --- */

/*
 * 64-bit FNV-1a of the program text, as SQLite's signed integer.  The
 * conversion of values above INT64_MAX is implementation-defined in C;
 * gcc and clang define it as modulo 2^64, which is all that is needed
 * here (the same text always gives the same key).
 */
static int64_t
lite_hash(const char *s)
{
	return (int64_t)hash_fnv1a(s);
}

/* Write the tally changes kept in t[0..*nt-1] and empty the list. */
static int
lite_tally_flush(struct lite *st, struct lite_tally *t, size_t *nt)
{
	sqlite3_stmt	*s = lite_stmt(st, LITE_TALLY_ADD);
	int		 r = 0;

	for (size_t i = 0; i < *nt && r == 0; i++) {
		if (t[i].n == 0)
			continue;
		lite_bind_int(st, s, 1, t[i].run_id);
		lite_bind_text(st, s, 2, t[i].task_id);
		lite_bind_text(st, s, 3, t[i].verdict);
		lite_bind_int(st, s, 4, t[i].n);
		r = lite_step(st, s);
		lite_reset(s);
	}
	*nt = 0;
	return r < 0 ? r : 0;
}

/*
 * Add "n" to the tally (run, task, verdict): merged into the previous
 * change when it names the same row (batches come grouped by task),
 * else kept, writing the list out when full.
 */
static int
lite_tally_add(struct lite *st, struct lite_tally *t, size_t *nt,
    int64_t run_id, const char *task_id, const char *verdict, int64_t n)
{
	struct lite_tally	*last;
	int			 r;

	if (*nt > 0) {
		last = &t[*nt - 1];
		if (last->run_id == run_id &&
		    strcmp(last->verdict, verdict) == 0 &&
		    strcmp(last->task_id, task_id) == 0) {
			last->n += n;
			return 0;
		}
	}
	if (*nt == LITE_TALLY_MAX && (r = lite_tally_flush(st, t, nt)) < 0)
		return r;
	t[(*nt)++] = (struct lite_tally){ run_id, task_id, verdict, n };
	return 0;
}

/*
 * The id of run c->run into rc->id, creating the run when new (with
 * the candidate's model).  The previous candidate's run is remembered.
 */
static int
lite_add_run(struct lite *st, const struct store_cand *c, int64_t now,
    struct lite_runcache *rc)
{
	sqlite3_stmt	*s;
	int		 r;

	if (rc->name != NULL && strcmp(rc->name, c->run) == 0)
		return 0;
	s = lite_stmt(st, LITE_RUN_BY_NAME);
	lite_bind_text(st, s, 1, c->run);
	r = lite_step(st, s);
	if (r == 1) {
		rc->id = sqlite3_column_int64(s, 0);
		rc->has_model = sqlite3_column_type(s, 2) != SQLITE_NULL;
		rc->has_ranker = sqlite3_column_type(s, 4) != SQLITE_NULL;
	}
	lite_reset(s);
	if (r < 0)
		return r;
	if (r == 0) {
		s = lite_stmt(st, LITE_RUN_INSERT);
		lite_bind_text(st, s, 1, c->run);
		lite_bind_text(st, s, 2, c->model);
		lite_bind_int(st, s, 3, now);
		lite_bind_text(st, s, 4, c->ranker);
		r = lite_step(st, s);
		lite_reset(s);
		if (r < 0)
			return r;
		rc->id = sqlite3_last_insert_rowid(st->db);
		rc->has_model = c->model != NULL;
		rc->has_ranker = c->ranker != NULL;
	}
	rc->name = c->run;
	return 0;
}

/*
 * Look for an identical job (same task, program text and limits).
 * Returns 1 with its id in *job and, when done, its verdict (static)
 * in *verdict; 0 when there is none; or a negative errno.
 */
static int
lite_add_find_job(struct lite *st, const struct store_cand *c,
    int64_t hash, int64_t *job, const char **verdict)
{
	sqlite3_stmt	*s = lite_stmt(st, LITE_JOB_FIND);
	int		 r, v;

	*verdict = NULL;
	lite_bind_text(st, s, 1, c->task_id);
	lite_bind_int(st, s, 2, hash);
	lite_bind_text(st, s, 3, c->program);
	lite_bind_limits(st, s, 4, &c->limits);
	if ((r = lite_step(st, s)) == 1) {
		*job = sqlite3_column_int64(s, 0);
		if (sqlite3_column_int(s, 1) == STORE_DONE) {
			if ((v = lite_col_verdict(s, 2)) < 0)
				v = PROTO_VERDICT_INTERNAL;
			*verdict = proto_verdict_name((enum proto_verdict)v);
		}
	}
	lite_reset(s);
	return r;
}

/*
 * Store candidate c[i] (see lite_add()) with the ids next in *nx; one
 * that joins a done job has its verdict at once, and the next seq.
 */
static int
lite_add_one(struct lite *st, const struct store_cand *c, size_t i,
    int64_t now, struct lite_runcache *rc, struct lite_tally *t,
    size_t *nt, struct lite_next *nx, struct store_added *out,
    char *errbuf, size_t errlen)
{
	const struct store_meta *m = &c->meta;
	sqlite3_stmt	*s;
	const char	*verdict = NULL;
	int64_t		 hash, job = 0;
	int		 r;

	/* A known client id: the same candidate again, or a conflict. */
	if (c->id != NULL) {
		s = lite_stmt(st, LITE_CAND_BY_EXT);
		lite_bind_text(st, s, 1, c->id);
		if ((r = lite_step(st, s)) == 1) {
			if (strcmp(lite_col_text(s, 2), c->run) != 0 ||
			    strcmp(lite_col_text(s, 3), c->task_id) != 0) {
				log_errbuf(errbuf, errlen, "candidate %zu: id "
				    "\"%s\" is already used by run %s task %s",
				    i, c->id, lite_col_text(s, 2),
				    lite_col_text(s, 3));
				r = -EEXIST;
			} else {
				out->existed = true;
				out->run_id = sqlite3_column_int64(s, 1);
				store_cand_id(out->id, 0, c->id);
			}
		}
		lite_reset(s);
		if (r != 0)
			return r < 0 ? r : 0;
	}

	if ((r = lite_add_run(st, c, now, rc)) < 0)
		return r;
	out->run_id = rc->id;

	/* A known (run, task, sample): the same candidate again. */
	if (m->has_sample) {
		s = lite_stmt(st, LITE_CAND_BY_SAMPLE);
		lite_bind_int(st, s, 1, rc->id);
		lite_bind_text(st, s, 2, c->task_id);
		lite_bind_int(st, s, 3, m->sample);
		if ((r = lite_step(st, s)) == 1) {
			out->existed = true;
			store_cand_id(out->id, sqlite3_column_int64(s, 0),
			    lite_col_text(s, 1));
		}
		lite_reset(s);
		if (r != 0)
			return r < 0 ? r : 0;
	}

	if ((!rc->has_model && c->model != NULL) ||
	    (!rc->has_ranker && c->ranker != NULL)) {
		s = lite_stmt(st, LITE_RUN_SET_MODEL);
		lite_bind_int(st, s, 1, rc->id);
		lite_bind_text(st, s, 2, c->model);
		lite_bind_text(st, s, 3, c->ranker);
		r = lite_step(st, s);
		lite_reset(s);
		if (r < 0)
			return r;
		rc->has_model = rc->has_model || c->model != NULL;
		rc->has_ranker = rc->has_ranker || c->ranker != NULL;
	}

	hash = lite_hash(c->program);
	if ((r = lite_add_find_job(st, c, hash, &job, &verdict)) < 0)
		return r;
	if (r == 0) {
		s = lite_stmt(st, LITE_JOB_INSERT);
		lite_bind_int(st, s, 1, rc->id);
		lite_bind_text(st, s, 2, c->task_id);
		lite_bind_int(st, s, 3, hash);
		lite_bind_limits(st, s, 4, &c->limits);
		lite_bind_text(st, s, 11, c->program);
		lite_bind_int(st, s, 12, now);
		lite_bind_int(st, s, 13, nx->job);
		r = lite_step(st, s);
		lite_reset(s);
		if (r < 0)
			return r;
		job = nx->job++;
		out->new_job = true;
	}

	s = lite_stmt(st, LITE_CAND_INSERT);
	lite_bind_text(st, s, 1, c->id);
	lite_bind_int(st, s, 2, rc->id);
	lite_bind_text(st, s, 3, c->task_id);
	lite_bind_opt(st, s, 4, m->sample, m->has_sample);
	lite_bind_int(st, s, 5, job);
	lite_bind_text(st, s, 6, verdict);
	lite_bind_real(st, s, 7, m->score, m->has_score);
	lite_bind_int(st, s, 8, m->greedy);
	lite_bind_int(st, s, 9, m->truncated);
	lite_bind_real(st, s, 10, m->cost_seconds, m->cost_seconds >= 0);
	lite_bind_real(st, s, 11, m->cost_tflops, m->cost_tflops >= 0);
	lite_bind_opt(st, s, 12, m->cost_tokens, m->cost_tokens >= 0);
	lite_bind_int(st, s, 13, now);
	lite_bind_text(st, s, 14, c->original);
	/* A done job's verdict at once: the next seq too. */
	lite_bind_opt(st, s, 15, nx->seq + 1, verdict != NULL);
	lite_bind_int(st, s, 16, nx->cand);
	r = lite_step(st, s);
	lite_reset(s);
	if (r < 0)
		return r;
	if (verdict != NULL) {
		nx->seq++;
		out->done = true;
	}
	store_cand_id(out->id, nx->cand++, c->id);
	return lite_tally_add(st, t, nt, rc->id, c->task_id,
	    verdict != NULL ? verdict : "", 1);
}

int
lite_add(struct store *base, const struct store_cand *c, size_t n,
    struct store_added *out, size_t *new_jobs, char *errbuf, size_t errlen)
{
	struct lite		*st = lite_of(base);
	struct lite_tally	 t[LITE_TALLY_MAX];
	struct lite_runcache	 rc = { NULL, 0, false, false };
	struct lite_next	 nx = { 0, 1, 1 };
	sqlite3_stmt		*s;
	size_t			 nt = 0, created = 0;
	int64_t			 now, seq0;
	int			 r;

	now = store_now_ms();
	st->err[0] = '\0';
	if ((r = lite_begin(st, true)) < 0 ||
	    (r = lite_seq_get(st, &seq0)) < 0)
		goto out;
	nx.seq = seq0;
	s = lite_stmt(st, LITE_NEXT_IDS);
	if ((r = lite_step(st, s)) == 1) {
		nx.cand = sqlite3_column_int64(s, 0);
		nx.job = sqlite3_column_int64(s, 1);
	}
	lite_reset(s);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		r = lite_add_one(st, &c[i], i, now, &rc, t, &nt, &nx,
		    &out[i], errbuf, errlen);
		if (r < 0)
			goto out;
		if (out[i].new_job)
			created++;
	}
	if ((r = lite_tally_flush(st, t, &nt)) < 0 ||
	    (r = lite_queue_add(st, (int64_t)created)) < 0 ||
	    (nx.seq != seq0 && (r = lite_seq_set(st, nx.seq)) < 0) ||
	    (r = lite_commit(st)) < 0)
		goto out;
	*new_jobs = created;
 out:
	if (r < 0) {
		lite_abort(st);
		if (r != -EEXIST)
			log_errbuf(errbuf, errlen, "database: %s", st->err);
		for (size_t i = 0; i < n; i++)
			memset(&out[i], 0, sizeof(out[i]));
	}
	return r;
}

/* --- Runs --- */

int
lite_run_update(struct store *base, const char *name, const char *model,
    const char *ranker)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_RUN_UPDATE);
	int		 r;

	if ((r = lite_begin(st, true)) < 0)
		goto out;
	lite_bind_text(st, s, 1, name);
	lite_bind_text(st, s, 2, model);
	lite_bind_text(st, s, 3, ranker);
	r = lite_step(st, s);
	lite_reset(s);
	if (r < 0)
		goto out;
	if (sqlite3_changes(st->db) == 0) {
		lite_abort(st);
		return -ENOENT;
	}
	r = lite_commit(st);
 out:
	if (r < 0) {
		lite_abort(st);
		log_warnx("store_run_update: %s", st->err);
	}
	return r;
}

/*
 * Count the jobs of run out->run_id's candidates that it created, by
 * what becomes of them: kept (and the heirs of the queued ones), or
 * deleted while queued.
 */
static int
lite_run_count_jobs(struct lite *st, struct store_deleted *out)
{
	sqlite3_stmt	*s = lite_stmt(st, LITE_RUN_DEL_JOBS);
	int		 r;

	lite_bind_int(st, s, 1, out->run_id);
	while ((r = lite_step(st, s)) == 1) {
		if (sqlite3_column_type(s, 1) != SQLITE_NULL) {
			out->jobs_kept++;
			if (sqlite3_column_int(s, 0) == STORE_QUEUED)
				store_heir_add(out, sqlite3_column_int64(s, 1));
		} else if (sqlite3_column_int(s, 0) == STORE_QUEUED)
			out->queued++;
	}
	lite_reset(s);
	return r < 0 ? r : 0;
}

int
lite_run_delete(struct store *base, const char *name,
    struct store_deleted *out)
{
	/* After the hand-over, the run's jobs are the orphans. */
	static const enum lite_sql steps[] = { LITE_RUN_HAND_OVER,
	    LITE_RUN_DEL_ORPHANS, LITE_RUN_DEL_CANDS, LITE_RUN_DEL_TALLIES,
	    LITE_RUN_DEL };
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s;
	int64_t		 changed[sizeof(steps) / sizeof(steps[0])];
	int		 r, rc;

	/*
	 * The jobs go before the candidates that reference them: the
	 * foreign keys wait for the commit.  Not a prepared statement: a
	 * flag pragma does its work when it is compiled, not when it runs
	 * (and the commit turns it off again).
	 */
	if ((r = lite_begin(st, true)) < 0)
		goto out;
	if ((rc = sqlite3_exec(st->db, "PRAGMA defer_foreign_keys = ON",
	    NULL, NULL, NULL)) != SQLITE_OK) {
		r = lite_fail(st, rc);
		goto out;
	}
	s = lite_stmt(st, LITE_RUN_BY_NAME);
	lite_bind_text(st, s, 1, name);
	if ((r = lite_step(st, s)) == 1)
		out->run_id = sqlite3_column_int64(s, 0);
	lite_reset(s);
	if (r == 0) {
		lite_abort(st);
		return -ENOENT;
	}
	if (r < 0 || (r = lite_run_count_jobs(st, out)) < 0 ||
	    (r = lite_exec(st, LITE_RUN_ID_FLOORS)) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		s = lite_stmt(st, steps[i]);
		lite_bind_int(st, s, 1, out->run_id);
		r = lite_step(st, s);
		lite_reset(s);
		if (r < 0)
			goto out;
		changed[i] = sqlite3_changes64(st->db);
	}
	out->jobs_deleted = changed[1];
	out->candidates = changed[2];
	if ((r = lite_queue_add(st, -out->queued)) < 0)
		goto out;
	r = lite_commit(st);
 out:
	if (r < 0) {
		lite_abort(st);
		log_warnx("store_run_delete: %s", st->err);
		free(out->heirs);
		memset(out, 0, sizeof(*out));
	}
	return r;
}

/* --- Problem files --- */

int
lite_import_add(struct store *base, const struct store_import *imp,
    int64_t *id)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_IMPORT_ADD);
	int		 r;

	*id = 0;
	if (imp->len > INT_MAX) {
		snprintf(st->err, sizeof(st->err), "body of %zu bytes",
		    imp->len);
		r = -EIO;
		goto out;
	}
	if ((r = lite_begin(st, true)) < 0)
		goto out;
	lite_bind_text(st, s, 1, imp->format);
	/* A zero-length blob, not NULL, for an empty body. */
	lite_bind_rc(st, sqlite3_bind_blob(s, 2, imp->len > 0 ? imp->body :
	    "", (int)imp->len, SQLITE_STATIC));
	lite_bind_int(st, s, 3, store_now_ms());
	lite_bind_text(st, s, 4, imp->dataset);
	r = lite_step(st, s);
	lite_reset(s);
	if (r < 0)
		goto out;
	*id = sqlite3_last_insert_rowid(st->db);
	r = lite_commit(st);
 out:
	if (r < 0) {
		*id = 0;
		lite_abort(st);
		log_warnx("store_import_add: %s", st->err);
	}
	return r;
}

int
lite_import_each(struct store *base, int64_t after, store_import_cb *cb,
    void *arg)
{
	struct lite	*st = lite_of(base);
	sqlite3_stmt	*s = lite_stmt(st, LITE_IMPORT_LIST);
	struct store_import imp;
	int		 r, cr = 0;

	lite_bind_int(st, s, 1, after);
	while ((r = lite_step(st, s)) == 1) {
		imp.format = lite_col_text(s, 1);
		imp.body = sqlite3_column_blob(s, 2);
		if (imp.body == NULL)
			imp.body = "";
		imp.len = (size_t)sqlite3_column_bytes(s, 2);
		imp.dataset = lite_col_text(s, 3);
		cr = cb(sqlite3_column_int64(s, 0), &imp, arg);
		if (cr != 0)
			break;
	}
	lite_reset(s);
	if (r < 0) {
		log_warnx("store_import_each: %s", st->err);
		return r;
	}
	return cr;
}
