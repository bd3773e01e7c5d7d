/*
 * pg-int.h - inside the PostgreSQL backend of the store (store/pg*.c,
 * prefix pgs_: PQ and pg_ are libpq's own).  Only those files include
 * it.
 *
 *   pg.c          open (the connection, its settings, the schema and its
 *                 version table), close, statements, transactions,
 *                 errors, arrays and columns; the operations table
 *   pg-submit.c   candidates and problem files posted to the API; runs
 *                 changed and deleted
 *   pg-queue.c    the queue: recovery, the queued count, claims and
 *                 leases, jobs done
 *   pg-query.c    candidates, runs, problems, results and samples
 *   pg-listen.c   wake-ups between nodes: NOTIFY in the writes'
 *                 transactions, LISTEN on a connection of its own
 *
 * A struct pgs is one connection.  Statements go with PQexecParams()
 * (text parameters, text results), unprepared, so that nothing is lost
 * when the connection is made again.  A batch goes as arrays, one
 * parameter per column ("{a,b,NULL}" literals, unnest() on the server):
 * one statement per step of the batch, whatever its size.
 *
 * Submissions and verdicts take one transaction-level advisory lock
 * (PGS_LOCK_WRITE) first, so they follow each other as SQLite's writers
 * do: a batch sees every batch committed before it (one job per
 * identical program) and never a job half-finished.  Claims, leases and
 * releases do not: each is one statement on rows it locks itself
 * (claims with SKIP LOCKED), so that nodes claim jobs side by side.  Queries of several statements read in one
 * REPEATABLE READ transaction: one snapshot.
 *
 * Errors: pgs_exec() and the transaction functions keep the server's
 * message in err and return a negative errno (pgs_fail()); each
 * operation logs (or puts in errbuf) that message once, and after a
 * failure calls pgs_abort(), which rolls back.  A connection found
 * broken is made again (PQreset()) before the next statement, at most
 * once per PGS_RETRY_MS: while the server is down, calls fail at once
 * instead of each waiting for a connection timeout.
 */
#ifndef STORE_PG_INT_H
#define STORE_PG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libpq-fe.h>

#include "store/store-int.h"

#define PGS_PREPARED_MAX	16	/* statements prepared per connection */

/* One connection. */
struct pgs {
	struct store	 base;		/* first: the backend's table */
	PGconn		*conn;
	char		*label;		/* the target without its password */
	int64_t		 retry_ms;	/* no reconnection before (monotonic) */
	int64_t		 owner;		/* this connection's leases: random,
					   > 0, the same after a reconnection */
	const char	*prepared[PGS_PREPARED_MAX]; /* the SQL of each
					   statement prepared on this
					   connection, named "p" INDEX */
	int		 nprepared;
	bool		 hung;		/* the last statement got no answer
					   in PGS_WAIT_MS: connection cut */
	char		 err[256];	/* the message of the last failure */
};

/* The connection whose struct store is "base" (base is first). */
static inline struct pgs *
pgs_of(struct store *base)
{
	return (struct pgs *)base;
}

/* Now, in milliseconds since the epoch, by the server's clock. */
#define PGS_NOW_MS							\
	"(extract(epoch FROM statement_timestamp()) * 1000)::bigint"

/* The channels of NOTIFY (store_note: queued, done, import, deleted). */
#define PGS_CHAN_QUEUED		"verdict_queued"
#define PGS_CHAN_DONE		"verdict_done"
#define PGS_CHAN_IMPORT		"verdict_import"
#define PGS_CHAN_DELETED	"verdict_deleted"

/* --- pg.c: statements, transactions, arrays, columns --- */

/*
 * Run "sql" with parameters values[0..n-1] (text; NULL for SQL NULL).
 * lengths and formats (NULL: all text) are PQexecParams()'s.  Returns 0
 * with the result in *res (the caller PQclear()s it; res NULL: not
 * kept), or a negative errno (pgs_fail()) with *res NULL.
 */
int	 pgs_execb(struct pgs *st, const char *sql, int n,
	    const char *const *values, const int *lengths, const int *formats,
	    PGresult **res);

/* pgs_execb() with text parameters. */
int	 pgs_exec(struct pgs *st, const char *sql, int n,
	    const char *const *values, PGresult **res);

/*
 * pgs_exec() of a statement prepared on this connection at its first
 * use (and again after a reconnection), for the statements of the
 * queue that run a few times per verdict: parsing and planning them
 * cost the server more than running them on a few rows.  "sql" is
 * a string constant: its address names the statement.
 */
int	 pgs_exec_prepared(struct pgs *st, const char *sql, int n,
	    const char *const *values, PGresult **res);

/*
 * "prefix" and libpq's message "msg" into st->err, on one line (libpq's
 * messages end with a newline and may go on over indented lines).
 */
void	 pgs_set_err(struct pgs *st, const char *prefix, const char *msg);

/*
 * Transactions.  A write transaction takes PGS_LOCK_WRITE, and its
 * commit returns once it is on the server's disk (synchronous_commit,
 * off outside these: pg.c); a read transaction is REPEATABLE READ, READ
 * ONLY: one snapshot.  Each returns 0 or a negative errno.
 */
int	 pgs_begin(struct pgs *st, bool write);
int	 pgs_commit(struct pgs *st);

/* After a failure: roll back an open transaction; st->err is kept. */
void	 pgs_abort(struct pgs *st);

/* An array literal in the making ("{", elements, "}"). */
struct pgs_arr {
	char		*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 n;		/* elements so far */
};

/*
 * Append one element: text (NULL: SQL NULL), an integer, an optional
 * integer or real (!given: NULL), a boolean.  pgs_arr_end() closes the
 * literal and returns it (owned by the array); pgs_arr_free() releases
 * it and leaves the array empty, ready for reuse.
 */
void	 pgs_arr_text(struct pgs_arr *a, const char *v);
void	 pgs_arr_int(struct pgs_arr *a, int64_t v);
void	 pgs_arr_opt(struct pgs_arr *a, int64_t v, bool given);
void	 pgs_arr_real(struct pgs_arr *a, double v, bool given);
void	 pgs_arr_bool(struct pgs_arr *a, bool v);
const char *pgs_arr_end(struct pgs_arr *a);
void	 pgs_arr_free(struct pgs_arr *a);

/* An integer as text in buf (24 bytes); returns buf. */
const char *pgs_itoa(char *buf, int64_t v);

/*
 * Columns of row "r" of "res": NULL reads as NULL, "none" or false.
 * Strings are valid until PQclear().
 */
const char *pgs_text(const PGresult *res, int r, int c);
int64_t	 pgs_int(const PGresult *res, int r, int c, int64_t none);
double	 pgs_real(const PGresult *res, int r, int c, double none);
bool	 pgs_bool(const PGresult *res, int r, int c);
bool	 pgs_null(const PGresult *res, int r, int c);

/* Column "c" as a new string, NULL for SQL NULL. */
char	*pgs_strdup(const PGresult *res, int r, int c);

/* The struct store_meta of columns c..c+6 (PGS_META_COLS). */
void	 pgs_meta(const PGresult *res, int r, int c, struct store_meta *m);

/* The struct store_usage of columns c..c+2 (PGS_USAGE_COLS). */
void	 pgs_usage(const PGresult *res, int r, int c, struct store_usage *u);

/* A candidate's struct store_meta, as pgs_meta() reads it. */
#define PGS_META_COLS							\
	"c.sample, c.score, c.greedy, c.truncated, c.cost_seconds, "	\
	"c.cost_tflops, c.cost_tokens"

/* A job's struct store_usage, as pgs_usage() reads it. */
#define PGS_USAGE_COLS "j.cpu_ms, j.wall_ms, j.max_rss_kb"

/* --- The operations (struct store_ops), by file --- */

/* pg.c */
void	 pgs_close(struct store *);

/* pg-submit.c */
int	 pgs_add(struct store *, const struct store_cand *c, size_t n,
	    struct store_added *out, size_t *new_jobs, char *errbuf,
	    size_t errlen);
int	 pgs_import_add(struct store *, const struct store_import *imp,
	    int64_t *id);
int	 pgs_import_each(struct store *, int64_t after,
	    store_import_cb *cb, void *arg);
int	 pgs_run_update(struct store *, const char *name, const char *model,
	    const char *ranker);
int	 pgs_run_delete(struct store *, const char *name,
	    struct store_deleted *out);

/* pg-queue.c */
int	 pgs_recover(struct store *, const char *node, size_t *requeued);
int	 pgs_count_queued(struct store *, size_t *n);
int	 pgs_queued_runs(struct store *, int64_t **ids, size_t *n);
int	 pgs_claim(struct store *, const struct store_lease *lease,
	    int64_t run_id, size_t max, struct store_job *jobs, size_t *n);
int	 pgs_leases(struct store *, const struct store_lease *lease,
	    int64_t **runs, size_t *nruns);
int	 pgs_release(struct store *, const int64_t *jobs, size_t n,
	    size_t *requeued);
int	 pgs_update(struct store *, const struct store_result *done,
	    size_t ndone);

/*
 * The feed's verdict order: give the candidates of row ids rows[0..n-1]
 * (which joined done jobs) the next seqs of the counters row
 * "verdict_seq", in row order.  It must be the last statement of the
 * write transaction before its COMMIT (see the comment at the
 * definition).  Returns 0 or a negative errno.
 */
int	 pgs_seq_give(struct pgs *st, const int64_t *rows, size_t n);

/* pg-listen.c */

/*
 * Send ids[0..n-1] on channel "chan" (PGS_CHAN_*) as NOTIFY payloads of
 * comma-separated decimal ids, several when they do not fit one, in the
 * open transaction (delivered at its commit) or at once outside one.
 * Returns 0 or a negative errno.
 */
int	 pgs_notify(struct pgs *st, const char *chan, const int64_t *ids,
	    size_t n);
int	 pgs_listen(struct store *, int *fd);
int	 pgs_notes(struct store *, store_note_cb *cb, void *arg);

/* pg-query.c */
int	 pgs_candidate(struct store *, int64_t row, const char *ext,
	    struct store_candidate *out);
int	 pgs_run(struct store *, const char *name, struct store_run *out);
int	 pgs_runs(struct store *, struct store_run **runs, size_t *n);
int	 pgs_run_problems(struct store *, const char *run,
	    struct store_problem **probs, size_t *n);
int	 pgs_results(struct store *, const char *run, bool feed,
	    int64_t after, size_t max, bool detail,
	    int (*cb)(const struct store_verdict *, void *), void *arg,
	    int64_t *last);
int	 pgs_run_samples(struct store *, const char *run, char **model,
	    char **ranker, int (*cb)(const struct store_sample *, void *),
	    void *arg);

#endif /* STORE_PG_INT_H */
