/*
 * store-int.h - inside store/: the seam between the store_* functions and
 * the backends.  Only store/ includes this file.
 *
 * A backend is a table of operations, struct store_ops: one per public
 * function that reaches the database.  store.c keeps what does not
 * depend on the database (a batch's checks, the "v-N" ids, freeing the
 * structs it returns) and calls through the table; store_open() picks
 * the backend.  A backend's connection is its own struct, which starts
 * with a struct store holding its table; it gets its struct back from a
 * struct store * in one wrapper of its own (one cast).
 *
 * Each operation has the contract of the store_* function of the same
 * name in store.h (returns, errors, ownership, durability: one
 * transaction per write, one snapshot per query), with the differences
 * named at its field.  Operations are never given a NULL store.
 */
#ifndef STORE_STORE_INT_H
#define STORE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct store_ops;

/* The head of every backend's connection. */
struct store {
	const struct store_ops *ops;	/* the backend's table */
};

struct store_ops {
	/* Close the connection and free it. */
	void	(*close)(struct store *);

	/*
	 * n > 0 candidates that passed store.c's checks (run, task_id and
	 * program set; ids 1 to STORE_ID_MAX bytes, not "v-..."); out[] is
	 * zeroed.  On failure out[] is zeroed again.
	 */
	int	(*add)(struct store *, const struct store_cand *c, size_t n,
		    struct store_added *out, size_t *new_jobs, char *errbuf,
		    size_t errlen);
	int	(*import_add)(struct store *, const struct store_import *imp,
		    int64_t *id);
	int	(*import_each)(struct store *, int64_t after,
		    store_import_cb *cb, void *arg);

	int	(*run_update)(struct store *, const char *name,
		    const char *model, const char *ranker);
	/* *out is zeroed. */
	int	(*run_delete)(struct store *, const char *name,
		    struct store_deleted *out);

	int	(*recover)(struct store *, const char *node,
		    size_t *requeued);
	int	(*count_queued)(struct store *, size_t *n);
	int	(*queued_runs)(struct store *, int64_t **ids, size_t *n);
	/* max > 0; *n is 0. */
	int	(*claim)(struct store *, const struct store_lease *lease,
		    int64_t run_id, size_t max, struct store_job *jobs,
		    size_t *n);
	/* *runs is NULL and *nruns 0. */
	int	(*leases)(struct store *, const struct store_lease *lease,
		    int64_t **runs, size_t *nruns);
	/* n > 0; *requeued is 0. */
	int	(*release)(struct store *, const int64_t *jobs, size_t n,
		    size_t *requeued);
	/* ndone > 0. */
	int	(*update)(struct store *, const struct store_result *done,
		    size_t ndone);
	/* NULL when the backend has no wake-ups (store_listen()'s
	   -ENOTSUP). */
	int	(*listen)(struct store *, int *fd);
	int	(*notes)(struct store *, store_note_cb *cb, void *arg);

	/*
	 * The candidate of row "row" when row > 0 (the store's own "v-N",
	 * which has no client id), else of client id "ext"; *out is zeroed.
	 */
	int	(*candidate)(struct store *, int64_t row, const char *ext,
		    struct store_candidate *out);
	/* *out is zeroed. */
	int	(*run)(struct store *, const char *name, struct store_run *out);
	int	(*runs)(struct store *, struct store_run **runs, size_t *n);
	int	(*run_problems)(struct store *, const char *run,
		    struct store_problem **probs, size_t *n);
	/* By row (store_results()), or by seq ("feed": store_feed()). */
	int	(*results)(struct store *, const char *run, bool feed,
		    int64_t after, size_t max, bool detail, int (*cb)(const struct
		    store_verdict *, void *), void *arg, int64_t *last);
	int	(*run_samples)(struct store *, const char *run, char **model,
		    char **ranker, int (*cb)(const struct store_sample *,
		    void *), void *arg);
};

/*
 * The tally row (not a verdict) counting candidates whose "error" is
 * the oracle's failure, in the same transactions as the verdicts.
 */
#define STORE_TALLY_ORACLE	"oracle_error"

/*
 * The id of candidate row "rowid" with client id "ext" (or NULL: the
 * store's own "v-ROWID") into buf, which holds STORE_ID_MAX + 1 bytes.
 */
void	 store_cand_id(char *buf, int64_t rowid, const char *ext);

/*
 * Section "name" of a backend's embedded schema ("schema", the text of
 * its SQL file: sections start at lines "-- @NAME"), as a new string
 * running to the next section or the end; NULL when there is none.
 */
char	*store_schema_section(const char *schema, const char *name);

/* Milliseconds since the epoch, as the tables keep times. */
int64_t	 store_now_ms(void);

/*
 * The verdict of a stored verdict name: -1 for NULL (not done), else
 * the enum proto_verdict of the name; a name that is none (never
 * written by this store) reads as internal.
 */
int	 store_verdict_of(const char *name);

/*
 * Add "n" candidates of a tally row to *c: to a verdict (done ones), to
 * pending (verdict "") or to oracle_errors (STORE_TALLY_ORACLE, which
 * also counted under "error").  An unknown verdict name is logged and
 * counted as internal.
 */
void	 store_count_verdict(const char *verdict, int64_t n,
	    struct store_counts *c);

/*
 * Add run "id" to out->heirs (grown with xreallocarray()) unless it is
 * there.
 */
void	 store_heir_add(struct store_deleted *out, int64_t id);

/* --- The backends --- */

/*
 * SQLite (store/sqlite*.c): the database file "path", in WAL mode, with
 * the tables of store/schema.sql.  As store_open().
 */
int	 lite_open(const char *path, struct store **sp, char *errbuf,
	    size_t errlen);

/*
 * PostgreSQL (store/pg*.c): the libpq URI "target", with the tables of
 * store/schema-pg.sql, created when the schema has none.  As
 * store_open(); messages name the target without its password.
 */
int	 pgs_open(const char *target, struct store **sp, char *errbuf,
	    size_t errlen);

#endif /* STORE_STORE_INT_H */
