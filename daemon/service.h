/*
 * service.h - the state that verdictd's HTTP threads and its loop
 * thread share while serving.
 *
 * The loop thread (main/serve.c, daemon/sched.c) runs the jail pool
 * and writes verdicts; libmicrohttpd's threads (api/) validate and
 * store submissions and answer queries.  What both sides need is
 * behind the functions below, and every lock is inside service.c: no
 * caller takes one.
 *   - The config is an immutable snapshot.  service_config() hands out
 *     a reference to the current one; a SIGHUP (service_reload())
 *     swaps in a new snapshot, and the old one lives on until its last
 *     reader puts it back.  A reader sees one whole config, never a mix.
 *   - The problem set grows by imports, which may move problems in
 *     memory, so a struct problem is only lent to a callback, under the
 *     set's read lock (service_problem_find(), service_problems()).
 *   - The store is one connection per thread, opened on first use
 *     (service_store()): to the SQLite file in the state directory, or
 *     to the PostgreSQL database of the config's "database" URI.
 *   - The queue depth and running count are atomics, for backpressure
 *     and /metrics; the draining flag is one too.
 *   - The metrics and the model cost table are set up before the HTTP
 *     side starts and are safe to use from any thread.
 *   - A hook tells the scheduler that runs have new queued jobs, or
 *     were deleted.
 */
#ifndef DAEMON_SERVICE_H
#define DAEMON_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "daemon/config.h"
#include "daemon/metrics.h"
#include "daemon/models.h"
#include "daemon/problemset.h"
#include "store/store.h"

/* The database in the state directory; SQLite adds -wal and -shm. */
#define SERVICE_DB		"verdict.db"
/* A posted gzip problem file inflates to at most this many max_body
 * (real ones: 5 to 10 times their size; bigger files go in the config,
 * "problems = FILE"). */
#define SERVICE_IMPORT_INFLATE	16

struct service;				/* opaque */

/* What the notify hook hears of runs. */
enum service_event {
	SERVICE_QUEUED,			/* they got new queued jobs */
	SERVICE_DELETED,		/* they were deleted */
};

/* Called from any thread after runs[0..n-1] changed as "ev" says. */
typedef void service_notify_cb(void *arg, enum service_event ev,
	    const int64_t *runs, size_t n);

/*
 * Called under the problem set's read lock with the problem found, or
 * NULL.  "pb" is borrowed for the call: copy what is needed later.
 */
typedef void service_problem_cb(const struct problem *pb, void *arg);

/*
 * Called under the problem set's read lock with the whole set, borrowed
 * for the call.  Keep it short: an import waits for it.
 */
typedef void service_problems_cb(const struct problemset *ps, void *arg);

/*
 * A new service in *svcp, stealing "cfg" (allocated) and "ps", with no
 * models and no notify hook.  The database is cfg->database when set
 * (PostgreSQL), else "DIR/verdict.db" in cfg->state_dir (SQLite).
 * Returns 0, or a negative errno (cfg and ps are freed all the same).
 */
int	 service_new(struct config *cfg, struct problemset *ps,
	    struct service **svcp);

/*
 * Set the model cost table of the current config (stolen; NULL: none;
 * a reload replaces it) and the hook called by
 * service_notify(), once, before the HTTP side starts.
 */
void	 service_set_models(struct service *svc, struct models *models);
void	 service_set_notify(struct service *svc, service_notify_cb *cb,
	    void *arg);

/*
 * The current config, a new reference: the snapshot stays whole and
 * valid, whatever reloads happen, until service_config_put().  Any
 * thread.
 */
const struct config *service_config(struct service *svc);

/* Give back a reference from service_config().  Any thread. */
void	 service_config_put(const struct config *cfg);

/*
 * The model cost table read with the snapshot "cfg" (from
 * service_config()), borrowed until service_config_put(cfg), or NULL
 * when there is none.  Any thread.
 */
const struct models *service_config_models(const struct config *cfg);

/*
 * Replace the config by "cfg" and its cost table by "models" (both
 * stolen; models may be NULL: none) when only keys that can change at
 * run time differ; readers holding the old ones keep them until they
 * put the config back.  Returns 0, or -EINVAL with the key that needs a
 * restart in errbuf (cfg and models are freed, nothing changes).  The
 * loop thread.
 */
int	 service_reload(struct service *svc, struct config *cfg,
	    struct models *models, char *errbuf, size_t errlen);

/*
 * Call "cb" with the problem of "task_id" (or NULL when it is not
 * loaded), under the read lock.  Any thread.
 */
void	 service_problem_find(struct service *svc, const char *task_id,
	    service_problem_cb *cb, void *arg);

/* Call "cb" with the problem set, under the read lock.  Any thread. */
void	 service_problems(struct service *svc, service_problems_cb *cb,
	    void *arg);

/* The number of problems loaded.  Any thread. */
size_t	 service_problem_count(struct service *svc);

/*
 * Load the problem files posted to the store (imports) with ids above
 * "after" (< 0: above the newest loaded here) that are not loaded yet
 * into the problem set: all of them at start (after 0), and those
 * another node on the same database took.  Safe from any thread.
 * Returns 0, or a negative errno with the reason in errbuf.
 */
int	 service_load_imports(struct service *svc, int64_t after,
	    char *errbuf, size_t errlen);

/*
 * Import a problem file posted over HTTP: imp->body (JSON Lines, a JSON
 * array, or either gzipped) must load as problems of imp->format
 * (humaneval, mbpp, apps or evalplus), in the dataset imp->dataset
 * (NULL: each problem's benchmark name).  A dataset that is not loaded
 * yet is taken: the file is stored durably, its problems are served at
 * once.  The same problems again (the same file, gzipped or not) change
 * nothing: *unchanged is set.  Either way *ids is a new array of the
 * file's problem ids.  Returns 0, -EINVAL (bad file or format;
 * "body:LINE: reason" in errbuf), -EFBIG (gzip data that inflates to
 * more than SERVICE_IMPORT_INFLATE times max_body), -EEXIST (a dataset
 * of that name is loaded with other problems, or a problem id is
 * another dataset's: the reason in errbuf) or -EIO.
 */
int	 service_import(struct service *svc, const struct store_import *imp,
	    json_t **ids, bool *unchanged, char *errbuf, size_t errlen);

/*
 * This thread's store connection, opened on first use and closed when
 * the thread ends (or by service_free() for the calling thread).
 * Returns NULL, with the reason logged, when the database cannot be
 * opened.
 */
struct store *service_store(struct service *svc);

/*
 * The database for messages (borrowed): the SQLite file's path, or the
 * PostgreSQL URI without its password (config_database_redact()).  Any
 * thread.
 */
const char *service_db_path(struct service *svc);

/* The store's backend, "sqlite" or "postgresql" (static).  Any thread. */
const char *service_db_backend(struct service *svc);

/*
 * Whether the database answers now: this thread's store connection
 * opens (service_store()) and reads the queue's length.  It waits for
 * as long as the database takes to answer or to refuse.  Any thread.
 */
bool	 service_db_reachable(struct service *svc);

/* The metrics (borrowed; its functions may be called from any thread). */
struct metrics *service_metrics(struct service *svc);


/*
 * Add "delta" (may be negative) to the number of queued jobs.  The
 * count may dip below 0 for an instant: the scheduler can take a job
 * before its submitter counts it.
 */
void	 service_queued_add(struct service *svc, long delta);

/* The number of queued jobs, never below 0. */
size_t	 service_queued(struct service *svc);

/* Add "delta" (may be negative) to the number of jobs in the jail. */
void	 service_running_add(struct service *svc, long delta);

/* The number of jobs in the jail. */
size_t	 service_running(struct service *svc);

/* SIGTERM: refuse new work from now on.  Any thread. */
void	 service_drain(struct service *svc);

/* Has service_drain() been called? */
bool	 service_draining(struct service *svc);

/* Tell the notify hook, if one is set, that runs[0..n-1] got new jobs. */
void	 service_notify(struct service *svc, const int64_t *runs, size_t n);

/*
 * A run was deleted, as store_run_delete() told in *del (borrowed): the
 * queued count loses its queued jobs, and the notify hook, if one is
 * set, hears of the run (SERVICE_DELETED) and of the runs that got
 * queued jobs of its (SERVICE_QUEUED).  Any thread.
 */
void	 service_run_deleted(struct service *svc,
	    const struct store_deleted *del);

/*
 * Free the service and close the calling thread's store.  Every config
 * reference must have been put back, and no other thread may use svc.
 */
void	 service_free(struct service *svc);

#endif /* DAEMON_SERVICE_H */
