/*
 * store.h - the durable store: SQLite in WAL mode, one file in the state
 * directory.
 *
 * Tables (the schema is at the top of store.c):
 *   runs        a named set of candidates (run name, model)
 *   jobs        one program to judge: problem, limits, program text,
 *               state (queued, running, done) and, once done, the
 *               verdict, per-test results, cpu/wall/rss and stderr.
 *               Identical programs of the same problem under the same
 *               limits share one job: it runs once.
 *   candidates  one posted sample: its run, task, sample number, score,
 *               cost, and the job that judges it; its verdict is copied
 *               from the job when the job is done.
 *   tallies     per run and problem, candidates by verdict ("" for not
 *               yet done), kept in the same transactions as the rows
 *               they count, so per-problem counts of a run of millions
 *               of candidates cost one indexed range read.
 *   imports     problem files posted to /v1/problems, kept verbatim and
 *               loaded again at start.
 *   counters    the number of queued jobs, kept with the jobs.
 *
 * Durability: synchronous=FULL, so a function that returns 0 after a
 * write has committed it to disk (a 202 is sent only after that).  Each
 * write is one transaction: it happens completely or not at all.
 *
 * Threads: a struct store is one SQLite connection and must be used by
 * one thread at a time; every thread that needs the store opens its own
 * (they share the file; writers wait for each other up to a busy
 * timeout of 10 s).  Errors are negative errnos: -ENOENT for a name
 * that is not there, -EEXIST for a conflict, -EIO for a database
 * failure (its message in errbuf, or in the log for functions without
 * errbuf), -EBUSY when the file stayed locked.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/proto.h"
#include "report/report.h"
#include "sandbox/pool.h"

#define STORE_ID_MAX		128	/* longest client candidate id */

struct store;				/* opaque */

/*
 * Open (creating when missing) the database file "path", in WAL mode,
 * with the schema.  Returns 0 and a new handle in *sp, or a negative
 * errno with "PATH: reason" in errbuf (a file that is not a verdict
 * database, or one of a newer schema version, is -EINVAL).
 */
int	 store_open(const char *path, struct store **sp, char *errbuf,
	    size_t errlen);

/* Close the connection.  store_close(NULL) is a no-op. */
void	 store_close(struct store *);

/*
 * After a crash or a stop: put jobs left "running" back to "queued".
 * Only the serving daemon calls this, once, before it schedules.
 * Returns 0 and the number of jobs re-queued in *requeued.
 */
int	 store_recover(struct store *, size_t *requeued);

/* Number of queued jobs (not running, not done) in *n.  Returns 0. */
int	 store_count_queued(struct store *, size_t *n);

/* --- Submission --- */

/*
 * One validated candidate (all strings borrowed).  "program" is the
 * whole program that runs (built by daemon/protocol.c), "limits" those
 * it runs under; together with task_id they decide which candidates
 * share a job.
 */
struct store_cand {
	const char	*id;		/* client id, or NULL */
	const char	*run;
	const char	*model;		/* or NULL */
	const char	*ranker;	/* ranking model, or NULL */
	const char	*task_id;
	const char	*program;
	struct pool_limits limits;
	int64_t		 sample;	/* when has_sample */
	bool		 has_sample;
	double		 score;		/* when has_score */
	bool		 has_score;
	bool		 greedy;
	bool		 truncated;	/* no end of sequence (rank-score) */
	double		 cost_seconds;	/* < 0: not given */
	double		 cost_tflops;	/* < 0: not given */
	int64_t		 cost_tokens;	/* < 0: not given */
};

/* What happened to one candidate of store_add(). */
struct store_added {
	char		 id[STORE_ID_MAX + 1];	/* the candidate's id */
	int64_t		 run_id;	/* its run */
	bool		 existed;	/* stored before: nothing changed */
	bool		 new_job;	/* it created a queued job */
};

/*
 * Store "n" candidates in one transaction, durably.  A candidate whose
 * id, or whose (run, task_id, sample) when it has a sample, is already
 * stored is not stored again: out[i].existed is set and out[i].id is
 * the stored one.  Otherwise the run is created when new, the candidate
 * joins the job of an identical program (same task, limits and program
 * text; a done job gives it its verdict at once) or creates a queued
 * job.  A candidate without an id gets "v-N" (N its row number); client
 * ids never start with "v-".  Returns 0 with out[0..n-1] filled and the
 * number of new queued jobs in *new_jobs, or -EEXIST when an id already
 * names a candidate of another run or task (nothing is stored; the
 * index of the candidate and the reason are in errbuf), or -EIO/-EBUSY.
 */
int	 store_add(struct store *, const struct store_cand *c, size_t n,
	    struct store_added *out, size_t *new_jobs, char *errbuf,
	    size_t errlen);

/* --- Scheduling (the loop thread's connection) --- */

/* A queued job to run.  Strings are owned; free with store_job_free(). */
struct store_job {
	int64_t		 id;
	int64_t		 run_id;	/* the run that created it */
	char		*task_id;
	char		*program;
	struct pool_limits limits;
};

/*
 * The ids of the runs that created queued jobs, in *ids (new array,
 * free()), ascending.  Returns 0.
 */
int	 store_queued_runs(struct store *, int64_t **ids, size_t *n);

/*
 * Up to "max" queued jobs created by run "run_id" with id > "after", in
 * id order, into jobs[0..*n-1] (caller's array).  Returns 0.
 */
int	 store_queued_jobs(struct store *, int64_t run_id, int64_t after,
	    size_t max, struct store_job *jobs, size_t *n);

/* Free the strings of a job filled by store_queued_jobs(). */
void	 store_job_free(struct store_job *);

/*
 * A finished job and its result.  res.oracle_error: the verdict "error"
 * is the oracle's failure, counted in the "oracle_errors" of runs and
 * problems, and the job is never shared with a later identical program.
 */
struct store_result {
	int64_t		 job;
	struct sandbox_result res;
};

/*
 * In one transaction: mark jobs started[0..nstarted-1] running and jobs
 * done[0..ndone-1] done with their results, copying each verdict to the
 * job's candidates and moving the tallies.  A job that is already done
 * is left as it is (nothing is counted twice).  Returns 0, or -EIO/
 * -EBUSY (nothing written).
 */
int	 store_update(struct store *, const int64_t *started, size_t nstarted,
	    const struct store_result *done, size_t ndone);

/* --- Queries (JSON shapes of the REST API, see api/v1.c) --- */

/*
 * The candidate "id" as {"id", "run", "model", "task_id", "sample",
 * "state": "queued"|"running"|"done", "verdict" (null until done),
 * "passed", "tests", "cpu_ms", "wall_ms", "max_rss_kb", "stderr",
 * "message", "score", "greedy", "truncated", "cost"} (absent optional
 * fields are null) in *out (new reference), and its job in *job.
 * Returns 0, or -ENOENT.
 */
int	 store_candidate(struct store *, const char *id, json_t **out,
	    int64_t *job);

/*
 * One run as {"run", "model", "ranker", "created", "candidates", "problems",
 * "queued", "running", "done", "progress" (done / candidates, 0..1),
 * "verdicts": {"passed": N, ...}} (every verdict kind present, 0 when
 * none), in *out (new).  Returns 0, or -ENOENT.
 */
int	 store_run(struct store *, const char *run, json_t **out);

/* Every run, in creation order, as an array of store_run() objects. */
int	 store_runs(struct store *, json_t **out);

/*
 * Per problem of a run, in task_id order: [{"task_id", "n" (done, not
 * internal), "c" (passed), "pass_rate" (c / n, null when n is 0),
 * "pending", "verdicts": {...}}].  Returns 0, or -ENOENT.
 */
int	 store_run_problems(struct store *, const char *run, json_t **out);

/*
 * Done candidates of a run with row number > "after", in row order, at
 * most "max": an array of {"id", "task_id", "sample", "verdict",
 * "passed", "score", "greedy", "truncated", "cost", "cpu_ms",
 * "wall_ms", "max_rss_kb"} in *out (new), and the row number of the
 * last in *last ("after" when none).  Returns 0, or -ENOENT.
 * Candidates finish out of row order: a row still pending when a page
 * went past it appears on no later page.
 */
int	 store_results(struct store *, const char *run, int64_t after,
	    size_t max, json_t **out, int64_t *last);

/*
 * One candidate as store_run_samples() gives it (strings borrowed): its
 * problem, its verdict, and the rest as the reports take it (s.passed
 * is verdict == passed).
 */
struct store_sample {
	const char	*task_id;
	int		 verdict;	/* enum proto_verdict; -1: not done */
	bool		 oracle_error;	/* "error" because the oracle failed */
	struct report_sample s;
};

/*
 * Every candidate of run "run", in task_id order (a covering index:
 * a report over a run of a million candidates reads no table row),
 * from one snapshot,
 * through "cb" (its sample is valid during the call; a non-zero return
 * stops the walk).  *model and *ranker get the run's (new strings, or
 * NULL).  Returns 0, -ENOENT for an unknown run, -ECANCELED when "cb"
 * stopped it, or -EIO.
 */
int	 store_run_samples(struct store *, const char *run, char **model,
	    char **ranker, int (*cb)(const struct store_sample *, void *),
	    void *arg);

/* --- Imported problem files --- */

/*
 * Keep a problem file posted to /v1/problems ("format" as given, body
 * verbatim), durably.  Returns 0 and its id in *id.
 */
int	 store_import_add(struct store *, const char *format,
	    const void *body, size_t len, int64_t *id);

/*
 * Call "cb" for every import in id order; a non-zero return of "cb"
 * stops and is returned.  Returns 0 or -EIO.
 */
int	 store_import_each(struct store *, int (*cb)(int64_t id,
	    const char *format, const void *body, size_t len, void *arg),
	    void *arg);

#endif /* STORE_STORE_H */
