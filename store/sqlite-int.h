/*
 * sqlite-int.h - inside the SQLite backend of the store (store/sqlite*.c,
 * prefix lite_: sqlite3_ is SQLite's own).  Only those files include it.
 *
 *   sqlite.c         open (the schema, its migration, the connection's
 *                    settings), close, the statements, transactions,
 *                    binding and reading columns; the operations table
 *   sqlite-submit.c  candidates and problem files posted to the API;
 *                    runs changed and deleted
 *   sqlite-queue.c   the queue: recovery, the queued count, the
 *                    scheduler's reads, jobs started and done
 *   sqlite-query.c   candidates, runs, problems, results and samples
 *
 * A struct lite is one connection.  Every statement is prepared once by
 * lite_open(), kept in stmt[] by enum lite_sql, and reset with its
 * bindings cleared after each use.  Errors: lite_step() and the
 * transaction functions keep SQLite's message in err and return -EBUSY
 * for a locked database, -EIO for anything else; each operation logs
 * (or puts in errbuf) that message once, and after a failure calls
 * lite_abort(), which rolls back: nothing is half-written.
 */
#ifndef STORE_SQLITE_INT_H
#define STORE_SQLITE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "store/store-int.h"

/* Every statement, prepared once per connection by lite_open(). */
enum lite_sql {
	LITE_BEGIN_WRITE,
	LITE_BEGIN_READ,
	LITE_COMMIT,
	LITE_ROLLBACK,
	LITE_RECOVER,
	LITE_QUEUE_RECOUNT,
	LITE_QUEUE_ADD,
	LITE_COUNT_QUEUED,
	LITE_SEQ_GET,
	LITE_SEQ_SET,
	LITE_RUN_BY_NAME,
	LITE_RUN_INSERT,
	LITE_RUN_SET_MODEL,
	LITE_RUN_LIST,
	LITE_CAND_BY_EXT,
	LITE_CAND_BY_SAMPLE,
	LITE_CAND_INSERT,
	LITE_CAND_OF_JOB,
	LITE_CAND_SET_VERDICT,
	LITE_CAND_GET_EXT,
	LITE_CAND_GET_ROW,
	LITE_JOB_FIND,
	LITE_JOB_INSERT,
	LITE_NEXT_IDS,
	LITE_JOB_STATE,
	LITE_JOB_START,
	LITE_JOB_RELEASE,
	LITE_JOB_FINISH,
	LITE_JOB_RUNS,
	LITE_TALLY_ADD,
	LITE_QUEUED_RUN_NEXT,
	LITE_QUEUED_JOBS,
	LITE_RUN_RUNNING,
	LITE_RUN_TALLIES,
	LITE_RESULTS,
	LITE_FEED,
	LITE_SAMPLES,
	LITE_IMPORT_ADD,
	LITE_IMPORT_LIST,
	LITE_RUN_UPDATE,
	LITE_RUN_DEL_JOBS,
	LITE_RUN_HAND_OVER,
	LITE_RUN_ID_FLOORS,
	LITE_RUN_DEL_ORPHANS,
	LITE_RUN_DEL_CANDS,
	LITE_RUN_DEL_TALLIES,
	LITE_RUN_DEL,
	LITE_NSQL
};

/* One connection. */
struct lite {
	struct store	 base;		/* first: the backend's table */
	sqlite3		*db;		/* the connection */
	sqlite3_stmt	*stmt[LITE_NSQL]; /* prepared, by enum lite_sql */
	int		 bind_rc;	/* first failed bind, or SQLITE_OK */
	int		 err_rc;	/* SQLite code of the last failure */
	char		 err[256];	/* its message */
};

/*
 * The connection whose struct store is "base".  base is the first
 * member of struct lite, so the pointer converts back: the backend's
 * one cast.
 */
static inline struct lite *
lite_of(struct store *base)
{
	return (struct lite *)base;
}

/* --- sqlite.c: statements, transactions, columns --- */

/*
 * Keep SQLite's message for an error "rc" in st->err and map it to an
 * errno: a locked database is -EBUSY, anything else -EIO.
 */
int	 lite_fail(struct lite *st, int rc);

/* The prepared statement "which", for binding and stepping. */
sqlite3_stmt *lite_stmt(struct lite *st, enum lite_sql which);

/*
 * Step "s".  Returns 1 for a row, 0 when done, or a negative errno
 * (lite_fail()).  A failed bind since the last step fails the step.
 */
int	 lite_step(struct lite *st, sqlite3_stmt *s);

/* Make "s" ready for its next use: reset, bindings cleared. */
void	 lite_reset(sqlite3_stmt *s);

/*
 * Binding parameter "i" of "s".  A failure is kept and fails the next
 * lite_step(), so callers check once.  Text is not copied: the caller
 * steps and resets "s" while it is alive.  lite_bind_rc() keeps the
 * result of a sqlite3_bind_*() call made by hand.
 */
void	 lite_bind_rc(struct lite *st, int rc);
void	 lite_bind_text(struct lite *st, sqlite3_stmt *s, int i,
	    const char *v);		/* NULL: SQL NULL */
void	 lite_bind_int(struct lite *st, sqlite3_stmt *s, int i, int64_t v);
void	 lite_bind_real(struct lite *st, sqlite3_stmt *s, int i, double v,
	    bool given);		/* !given: SQL NULL */
void	 lite_bind_opt(struct lite *st, sqlite3_stmt *s, int i, int64_t v,
	    bool given);		/* !given: SQL NULL */

/* Bind the seven limits to parameters first..first+6. */
void	 lite_bind_limits(struct lite *st, sqlite3_stmt *s, int first,
	    const struct pool_limits *l);

/*
 * Run a statement that returns no row, and reset it.  Returns 0 or a
 * negative errno.
 */
int	 lite_exec(struct lite *st, enum lite_sql which);

/*
 * Transactions.  A write transaction takes the write lock at once
 * (BEGIN IMMEDIATE), so writers queue on the busy timeout; a read
 * transaction is one snapshot.  Each returns 0 or a negative errno.
 */
int	 lite_begin(struct lite *st, bool write);
int	 lite_commit(struct lite *st);

/*
 * After a failure: reset every statement (one left stepping keeps its
 * read snapshot) and roll back an open transaction; st->err is kept.
 */
void	 lite_abort(struct lite *st);

/*
 * Columns of the current row of "s".  Strings are valid until the next
 * step or reset of "s"; SQL NULL reads as NULL, or as "none".
 */
static inline const char *
lite_col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static inline int64_t
lite_col_int(sqlite3_stmt *s, int i, int64_t none)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return none;
	return sqlite3_column_int64(s, i);
}

static inline double
lite_col_real(sqlite3_stmt *s, int i, double none)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return none;
	return sqlite3_column_double(s, i);
}

/* Column "i" as a new string, NULL for SQL NULL. */
char	*lite_col_strdup(sqlite3_stmt *s, int i);

/* A verdict column, as store_verdict_of() reads the name. */
static inline int
lite_col_verdict(sqlite3_stmt *s, int i)
{
	return store_verdict_of(lite_col_text(s, i));
}

/* The struct store_meta of columns i..i+6 (LITE_META_COLS). */
void	 lite_col_meta(sqlite3_stmt *s, int i, struct store_meta *m);

/* The struct store_usage of columns i..i+2 (LITE_USAGE_COLS). */
void	 lite_col_usage(sqlite3_stmt *s, int i, struct store_usage *u);

/* --- The operations (struct store_ops), by file --- */

/* sqlite.c */
void	 lite_close(struct store *);

/* sqlite-submit.c */
int	 lite_add(struct store *, const struct store_cand *c, size_t n,
	    struct store_added *out, size_t *new_jobs, char *errbuf,
	    size_t errlen);
int	 lite_import_add(struct store *, const struct store_import *imp,
	    int64_t *id);
int	 lite_import_each(struct store *, int64_t after,
	    store_import_cb *cb, void *arg);
int	 lite_run_update(struct store *, const char *name, const char *model,
	    const char *ranker);
int	 lite_run_delete(struct store *, const char *name,
	    struct store_deleted *out);

/* sqlite-queue.c */
int	 lite_recover(struct store *, const char *node, size_t *requeued);
int	 lite_count_queued(struct store *, size_t *n);
int	 lite_queued_runs(struct store *, int64_t **ids, size_t *n);
int	 lite_claim(struct store *, const struct store_lease *lease,
	    int64_t run_id, size_t max, struct store_job *jobs, size_t *n);
int	 lite_leases(struct store *, const struct store_lease *lease,
	    int64_t **runs, size_t *nruns);
int	 lite_release(struct store *, const int64_t *jobs, size_t n,
	    size_t *requeued);
int	 lite_update(struct store *, const struct store_result *done,
	    size_t ndone);

/*
 * Add "delta" to the count of queued jobs (the counters row), in the
 * write transaction the caller opened.  Returns 0 or a negative errno.
 */
int	 lite_queue_add(struct lite *st, int64_t delta);

/*
 * The feed's verdict order: the last seq given (the counters row
 * "verdict_seq"), read into *seq at the start of a write transaction
 * and set back before its commit when the caller gave more.  One writer
 * at a time (BEGIN IMMEDIATE), so seqs commit in their order.  Return
 * 0 or a negative errno.
 */
int	 lite_seq_get(struct lite *st, int64_t *seq);
int	 lite_seq_set(struct lite *st, int64_t seq);

/* sqlite-query.c */
int	 lite_candidate(struct store *, int64_t row, const char *ext,
	    struct store_candidate *out);
int	 lite_run(struct store *, const char *name, struct store_run *out);
int	 lite_runs(struct store *, struct store_run **runs, size_t *n);
int	 lite_run_problems(struct store *, const char *run,
	    struct store_problem **probs, size_t *n);
int	 lite_results(struct store *, const char *run, bool feed,
	    int64_t after, size_t max, bool detail,
	    int (*cb)(const struct store_verdict *, void *), void *arg,
	    int64_t *last);
int	 lite_run_samples(struct store *, const char *run, char **model,
	    char **ranker, int (*cb)(const struct store_sample *, void *),
	    void *arg);

#endif /* STORE_SQLITE_INT_H */
