/*
 * store.h - the durable store: everything verdictd keeps across a
 * restart.  It owns the runs, the candidates and the jobs that judge
 * them (deduplicated: identical programs of one problem under the same
 * limits share a job), their verdicts and per-run, per-problem tallies,
 * the queue the scheduler reads, and the problem files posted to the
 * API.  store/ sits at the daemon-services floor: it includes common/,
 * sandbox/result.h (struct sandbox_result), sandbox/pool.h (struct
 * pool_limits) and report/report.h (struct report_sample), never api/
 * or daemon/.  Queries return C structs; api/v1json.c turns them into
 * the API's JSON.
 *
 * Callers (daemon/service.c, sched.c, reports.c, main/serve.c, api/) use
 * only the store_* functions below.  Behind them is a backend, a table
 * of operations (store/store-int.h), which store_open() picks by its
 * target: SQLite in WAL mode, one file in the state directory
 * (store/sqlite*.c, its tables in store/schema.sql), or PostgreSQL
 * through libpq (store/pg*.c, its tables in store/schema-pg.sql), the
 * same tables with the same meaning and every guarantee below.
 *
 * Durability: a function that returns 0 after a write has committed it
 * to disk (a 202 is sent only after that).  Each write is one
 * transaction: it happens completely or not at all.  A query that reads
 * several things reads them from one snapshot.
 *
 * Threads: a struct store is one connection and must be used by one
 * thread at a time; every thread that needs the store opens its own
 * (writers wait for each other up to a busy timeout of 10 s).  Errors
 * are negative errnos: -ENOENT for a name that is not there, -EEXIST for
 * a conflict, -EIO for a database failure (its message in errbuf, or in
 * the log for functions without errbuf), -EBUSY when the database
 * stayed locked (or, on PostgreSQL, a transaction could not be
 * serialized).  On PostgreSQL a lost connection (the server restarting
 * or unreachable) fails the call that found it with -EIO, "connection
 * lost", and the connection is made again at the next call.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/proto.h"
#include "report/report.h"
#include "sandbox/pool.h"
#include "sandbox/result.h"

#define STORE_ID_MAX		128	/* longest client candidate id */

struct store;				/* opaque */

/*
 * Open the database "target": when it is a libpq URI ("postgresql://..."
 * or "postgres://..."), that PostgreSQL database, with the schema
 * created in the URI's search path when missing (its version in the
 * table verdict_schema); else the SQLite file of that path, created
 * when missing, with the schema.  Returns 0 and a new handle in *sp, or
 * a negative errno with "TARGET: reason" in errbuf, where a URI is shown
 * as user, host, port and database only, never with its password (a
 * file or schema that is not a verdict database, one of a newer schema
 * version, or a URI libpq cannot read, is -EINVAL; a server that cannot
 * be reached is -EIO).
 */
int	 store_open(const char *target, struct store **sp, char *errbuf,
	    size_t errlen);

/* Close the connection.  store_close(NULL) is a no-op. */
void	 store_close(struct store *);

/* --- What a candidate carries --- */

/*
 * What a candidate is posted with besides its run, problem and program,
 * kept as given.
 */
struct store_meta {
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

/* What a done job used, as the jail measured it; -1: not recorded. */
struct store_usage {
	int64_t		 cpu_ms;
	int64_t		 wall_ms;
	int64_t		 max_rss_kb;
};

/* --- Submission --- */

/*
 * One validated candidate (all strings borrowed).  "program" is the
 * whole program that runs (built by daemon/bench.c), "limits" those
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
	const char	*original;	/* the text as posted, when sanitizing
					   changed it (daemon/sanitize.h);
					   NULL: not sanitized */
	struct pool_limits limits;
	struct store_meta meta;
};

/* What happened to one candidate of store_add(). */
struct store_added {
	char		 id[STORE_ID_MAX + 1];	/* the candidate's id */
	int64_t		 run_id;	/* its run */
	bool		 existed;	/* stored before: nothing changed */
	bool		 new_job;	/* it created a queued job */
	bool		 done;		/* it joined a done job: it has its
					   verdict (and seq) at once */
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
 * number of new queued jobs in *new_jobs; -EINVAL before anything is
 * written when a candidate lacks a run, task or program or has a bad id
 * (1 to STORE_ID_MAX bytes, not "v-..."); -EEXIST when an id already
 * names a candidate of another run or task (nothing is stored); or
 * -EIO/-EBUSY.  The index of the candidate and the reason are in
 * errbuf.
 */
int	 store_add(struct store *, const struct store_cand *c, size_t n,
	    struct store_added *out, size_t *new_jobs, char *errbuf,
	    size_t errlen);

/* A problem file posted to /v1/problems (all borrowed). */
struct store_import {
	const char	*format;	/* as given */
	const char	*dataset;	/* as given, or NULL */
	const void	*body;		/* verbatim */
	size_t		 len;
};

/* Keep an import, durably.  Returns 0 and its id in *id. */
int	 store_import_add(struct store *, const struct store_import *imp,
	    int64_t *id);

/* What store_import_each() calls per import (*imp valid during it). */
typedef int store_import_cb(int64_t id, const struct store_import *imp,
	    void *arg);

/*
 * Call "cb" for every import with id > "after" in id order; a non-zero
 * return of "cb" stops and is returned.  Returns 0 or -EIO.
 */
int	 store_import_each(struct store *, int64_t after,
	    store_import_cb *cb, void *arg);

/* --- Runs --- */

/*
 * Set the model and the ranker of run "name": each that is not NULL
 * replaces the run's (a NULL one is left as it is), durably; later
 * candidates naming another model change nothing (the run keeps the
 * first it got, or this one).  Returns 0, -ENOENT for an unknown run,
 * or -EIO/-EBUSY.
 */
int	 store_run_update(struct store *, const char *name, const char *model,
	    const char *ranker);

/* What store_run_delete() did. */
struct store_deleted {
	int64_t		 run_id;	/* the run's id, gone */
	int64_t		 candidates;	/* its candidates, deleted */
	int64_t		 jobs_deleted;	/* jobs no other run used, deleted
					   whatever their state */
	int64_t		 queued;	/* of jobs_deleted, those queued */
	int64_t		 jobs_kept;	/* jobs it created that candidates of
					   other runs use, handed to one */
	int64_t		*heirs;		/* the runs that got queued jobs of
					   its: a new array (free()), or NULL */
	size_t		 nheirs;
};

/*
 * Delete run "name" in one transaction, durably: the run, its
 * candidates and its tallies.  Each job the run created that candidates
 * of other runs use is kept, with its state and verdict, and becomes the
 * job of the oldest of those runs (so that the scheduler's fair share
 * serves it as that run's); every other job of its candidates that no
 * other run uses is deleted, queued (the queued count loses it),
 * running (its late result is dropped by store_update()) or done.  The
 * other runs' candidates, tallies and counts do not change.  Ids are
 * never given again: a job or candidate posted later gets an id above
 * every deleted one (a result late for a deleted job can never land on
 * a new one).  The name is free again: candidates posted to it start a
 * new run.  On PostgreSQL the other nodes hear of the heirs as of new
 * queued jobs (STORE_NOTE_QUEUED) and of the run (STORE_NOTE_DELETED).
 * Returns 0 with *out filled, -ENOENT for an
 * unknown run (*out zeroed), or -EIO/-EBUSY (nothing deleted).
 */
int	 store_run_delete(struct store *, const char *name,
	    struct store_deleted *out);

/* --- The queue (the scheduler, on the loop thread's connection) --- */

/* A job's state. */
enum store_state {
	STORE_QUEUED = 0,		/* waiting for the jail */
	STORE_RUNNING = 1,		/* handed to the jail */
	STORE_DONE = 2,			/* judged: it has its verdict */
};

/*
 * Who holds a job while it runs.  A job is claimed (queued -> running)
 * by one connection for one node: on PostgreSQL, where several nodes
 * share the queue, the claim is a lease that lasts "ms" milliseconds of
 * the database server's clock unless store_leases() renews it; a node
 * that stops renewing (killed, frozen, cut off) loses its jobs to the
 * queue, and whoever claims them next judges them.  On SQLite, one
 * daemon per file, a claim lasts until the job is done or released.
 */
struct store_lease {
	const char	*node;		/* this node's node_id */
	int64_t		 ms;		/* a lease's length */
	const int64_t	*held;		/* store_leases(): the jobs this node
					   holds (claimed and not yet stored
					   done), held[0..nheld-1]; NULL:
					   every job this connection claimed */
	size_t		 nheld;
};

/*
 * At a start: put back in the queue the jobs a previous life of node
 * "node" left running (on SQLite: every running job, the file being
 * this daemon's alone) and, on PostgreSQL, every job whose lease has
 * expired.  Returns 0 and the number of jobs re-queued in *requeued.
 */
int	 store_recover(struct store *, const char *node, size_t *requeued);

/* Number of queued jobs (not running, not done) in *n.  Returns 0. */
int	 store_count_queued(struct store *, size_t *n);

/* A claimed job.  Strings are owned; free with store_job_free(). */
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
 * Claim up to "max" queued jobs created by run "run_id", the oldest
 * first, for this connection under "lease": in one transaction they
 * become running and are returned, in id order, in jobs[0..*n-1]
 * (caller's array).  A job another node is claiming at that moment is
 * skipped, not waited for (FOR UPDATE SKIP LOCKED on PostgreSQL), so
 * two nodes never claim the same job.  *n < max: the run has no more
 * queued jobs that were free.  Returns 0, or -EIO/-EBUSY (nothing
 * claimed).
 */
int	 store_claim(struct store *, const struct store_lease *lease,
	    int64_t run_id, size_t max, struct store_job *jobs, size_t *n);

/* Free the strings of a job filled by store_claim(). */
void	 store_job_free(struct store_job *);

/*
 * Renew the leases of the jobs this node holds (lease->held, or with
 * NULL every job this connection claimed), and put back in the queue
 * every job whose lease expired: of other connections, and this one's
 * that it does not hold (a claim whose answer was lost with the
 * connection: committed, but never seen by the scheduler).  The runs
 * that got jobs back are in *runs, a new array to free(), of *nruns;
 * other nodes hear of them as of new jobs.  Nothing to do on SQLite.
 * Call it at least three times per lease.  Returns 0 or -EIO/-EBUSY.
 */
int	 store_leases(struct store *, const struct store_lease *lease,
	    int64_t **runs, size_t *nruns);

/*
 * Put jobs[0..n-1] back in the queue, those of them this connection
 * still holds (a drain that will not wait for them, jobs claimed and
 * not started).  Returns 0 and the number put back in *requeued, or
 * -EIO/-EBUSY.
 */
int	 store_release(struct store *, const int64_t *jobs, size_t n,
	    size_t *requeued);

/*
 * A finished job and its result.  res.oracle_error: the verdict "error"
 * is the oracle's failure, counted in the "oracle_errors" of runs and
 * problems, and the job is never shared with a later identical program.
 */
/* Whether a candidate passed the base tests of an EvalPlus problem. */
enum store_base {
	STORE_BASE_NONE = 0,		/* no base and plus split (NULL) */
	STORE_BASE_FAILED = 1,
	STORE_BASE_PASSED = 2,
};

struct store_result {
	int64_t		 job;
	struct sandbox_result res;
	enum store_base	 base;
};

/*
 * In one transaction: mark the jobs of done[0..ndone-1] done with their
 * results, copying each verdict to the job's candidates and moving the
 * tallies.  A result is dropped, so that nothing is counted twice, when
 * its job is done already or, on PostgreSQL, when another connection
 * holds it (this one's lease expired and the job was claimed again); a
 * job whose lease expired and that nobody claimed since is finished.
 * Returns 0, or -EIO/-EBUSY (nothing written).
 */
int	 store_update(struct store *, const struct store_result *done,
	    size_t ndone);

/* --- Wake-ups between nodes --- */

/* What another node did, as store_notes() tells it. */
enum store_note {
	STORE_NOTE_QUEUED,		/* runs got queued jobs */
	STORE_NOTE_DONE,		/* jobs got their verdicts */
	STORE_NOTE_IMPORT,		/* problem files were posted */
	STORE_NOTE_DELETED,		/* runs were deleted */
};

/* One note: ids[0..n-1] are run, job, import or run ids by "kind". */
typedef void store_note_cb(enum store_note kind, const int64_t *ids,
	    size_t n, void *arg);

/*
 * Make this connection (one of its own: it serves nothing else) hear of
 * what every node writes (LISTEN on PostgreSQL: every commit of new
 * jobs, verdicts, imports or a run's deletion sends a NOTIFY in its
 * transaction), and put
 * its socket in *fd, to poll for reading.  Call it again after
 * store_notes() failed: it connects again (at most once a second) and
 * gives the new socket.  Returns 0, -ENOTSUP on SQLite (one daemon: it
 * hears itself), or -EIO.
 */
int	 store_listen(struct store *, int *fd);

/*
 * Read what arrived on a listening connection without blocking, and
 * call "cb" once per note.  Returns 0, or -EIO when the connection is
 * lost (notes may have been missed: look again at what they tell).
 */
int	 store_notes(struct store *, store_note_cb *cb, void *arg);

/* --- Queries --- */

/*
 * One candidate as store_candidate() reads it.  The strings are new:
 * release them with store_candidate_free().  The job's outcome (tests
 * to oracle_error) is set only when state is STORE_DONE; before, it is
 * NULL, -1 and false.
 */
struct store_candidate {
	char		 id[STORE_ID_MAX + 1];
	int64_t		 job;		/* the job that judges it */
	char		*run;
	char		*model;		/* the run's; NULL: none */
	char		*task_id;
	enum store_state state;		/* its job's */
	int		 verdict;	/* enum proto_verdict; -1: not done */
	struct store_meta meta;
	char		*tests;		/* the per-test results: JSON array
					   text as sandbox_result_tests_json()
					   gave it, kept verbatim; NULL: none */
	struct store_usage usage;
	char		*stderr_text;	/* NULL: none */
	char		*message;	/* NULL: none */
	bool		 oracle_error;	/* "error" is the oracle's failure */
	char		*original;	/* the text as posted, when it was
					   sanitized; NULL: not sanitized */
};

/*
 * The candidate "id" (a client id, or the store's "v-N") into *out.
 * Returns 0, or -ENOENT (*out is then empty).
 */
int	 store_candidate(struct store *, const char *id,
	    struct store_candidate *out);

/* Free the strings of *c and leave it empty.  NULL is a no-op. */
void	 store_candidate_free(struct store_candidate *c);

/* Candidates by state and verdict, from the tallies. */
struct store_counts {
	int64_t		 verdicts[PROTO_VERDICT_COUNT];	/* done, by verdict */
	int64_t		 pending;	/* not done (queued or running) */
	int64_t		 oracle_errors;	/* of verdicts[ERROR]: the oracle's */
};

/*
 * One run as store_run() and store_runs() read it.  The strings are
 * new: release them with store_run_free().
 */
struct store_run {
	char		*name;
	char		*model;		/* NULL: none */
	char		*ranker;	/* NULL: none */
	int64_t		 created_ms;	/* since the epoch */
	int64_t		 problems;	/* with at least one candidate */
	int64_t		 running;	/* of counts.pending, in the jail */
	struct store_counts counts;
};

/* The run "name" into *out.  Returns 0, or -ENOENT (*out empty). */
int	 store_run(struct store *, const char *name, struct store_run *out);

/*
 * Every run, in creation order, as a new array in *runs (release it
 * with store_runs_free()) of *n.  Returns 0.
 */
int	 store_runs(struct store *, struct store_run **runs, size_t *n);

/* Free the strings of *r and leave it empty.  NULL is a no-op. */
void	 store_run_free(struct store_run *r);

/* Free an array of store_runs() and its strings. */
void	 store_runs_free(struct store_run *runs, size_t n);

/* One problem of a run, as store_run_problems() reads it. */
struct store_problem {
	char		*task_id;	/* new */
	struct store_counts counts;
};

/*
 * Per problem of run "run", in task_id order, a new array in *probs
 * (release it with store_problems_free()) of *n.  Returns 0, or -ENOENT.
 */
int	 store_run_problems(struct store *, const char *run,
	    struct store_problem **probs, size_t *n);

/* Free an array of store_run_problems() and its strings. */
void	 store_problems_free(struct store_problem *probs, size_t n);

/*
 * One done candidate as store_results() gives it (task_id borrowed,
 * valid during the callback).
 */
struct store_verdict {
	char		 id[STORE_ID_MAX + 1];
	int64_t		 row;		/* its row number (the page cursor) */
	int64_t		 seq;		/* its place in the verdict order
					   (store_feed()'s cursor) */
	const char	*task_id;
	int		 verdict;	/* enum proto_verdict */
	struct store_meta meta;
	struct store_usage usage;
	/* With store_results()'s "detail" only, else NULL (borrowed): */
	const char	*message;
	const char	*tests;		/* JSON array text */
	const char	*stderr_text;
	const char	*original;	/* NULL also when not sanitized */
	bool		 sanitized;	/* judged on its sanitized text */
};

/*
 * Done candidates of run "run" with row number > "after", in row order,
 * at most "max", from one snapshot, through "cb" (a non-zero return
 * stops the walk); the row number of the last in *last ("after" when
 * none).  With "detail", each also with its job's message, tests and
 * stderr.  Returns 0, -ENOENT for an unknown run, -ECANCELED when "cb"
 * stopped it, or -EIO.  Candidates finish out of row order: a row still
 * pending when a page went past it appears on no later page.
 */
int	 store_results(struct store *, const char *run, int64_t after,
	    size_t max, bool detail, int (*cb)(const struct store_verdict *,
	    void *), void *arg, int64_t *last);

/*
 * The feed: done candidates of run "run" in the order they got their
 * verdicts, as store_results() gives them but by seq: those with seq >
 * "after", in seq order, at most "max", the seq of the last in *last
 * ("after" when none).  Every candidate gets its seq when it gets its
 * verdict (store_update(), or store_add() joining a done job), from
 * one counter for the whole store, strictly increasing, in the order
 * the verdicts commit: a reader that saw seq N will never find a new
 * verdict below N, so following a run is asking again for seq > the
 * last seen, and nothing is skipped or given twice (on PostgreSQL
 * too, with several nodes writing).  Seqs have gaps within a run (the
 * counter is shared by all runs).  Returns 0, -ENOENT for an unknown
 * run, -ECANCELED when "cb" stopped it, or -EIO.
 */
int	 store_feed(struct store *, const char *run, int64_t after,
	    size_t max, bool detail, int (*cb)(const struct store_verdict *,
	    void *), void *arg, int64_t *last);

/*
 * One candidate as store_run_samples() gives it (strings borrowed): its
 * problem, its verdict, and the rest as the reports take it (s.passed
 * is verdict == passed).
 */
struct store_sample {
	const char	*task_id;
	int		 verdict;	/* enum proto_verdict; -1: not done */
	bool		 oracle_error;	/* "error" because the oracle failed */
	enum store_base	 base;		/* its EvalPlus base tests */
	struct report_sample s;
};

/*
 * Every candidate of run "run", in task_id order (a covering index:
 * a report over a run of a million candidates reads no table row),
 * from one snapshot, through "cb" (its sample is valid during the call;
 * a non-zero return stops the walk).  *model and *ranker get the run's
 * (new strings, or NULL).  Returns 0, -ENOENT for an unknown run,
 * -ECANCELED when "cb" stopped it, or -EIO.
 */
int	 store_run_samples(struct store *, const char *run, char **model,
	    char **ranker, int (*cb)(const struct store_sample *, void *),
	    void *arg);

#endif /* STORE_STORE_H */
