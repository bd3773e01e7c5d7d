/*
 * service.h - the state that verdictd's HTTP threads and its loop
 * thread share while serving.
 *
 * The loop thread (main/serve.c, daemon/sched.c) runs the jail pool
 * and writes verdicts; libmicrohttpd's threads (api/) validate and
 * store submissions and answer queries.  What both sides need is here:
 *   - the config and the problem set, behind one read-write lock (a
 *     SIGHUP swaps the config; an import adds problems, which may move
 *     them in memory: a struct problem is only valid under the lock);
 *   - the store, one SQLite connection per thread, opened on first use;
 *   - the queue depth and running count, as atomics, for backpressure
 *     and /metrics;
 *   - the draining flag, and a hook to tell the scheduler that runs
 *     have new queued jobs.
 */
#ifndef DAEMON_SERVICE_H
#define DAEMON_SERVICE_H

#include <pthread.h>
#include <stdatomic.h>
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

/* Called from any thread after runs[0..n-1] got new queued jobs. */
typedef void service_notify_cb(void *arg, const int64_t *runs, size_t n);

/* A value struct: the fields are the interface (see above for locks). */
struct service {
	pthread_rwlock_t lock;		/* guards cfg and ps */
	struct config	*cfg;		/* owned */
	struct problemset *ps;		/* owned */
	char		*db_path;	/* owned */
	struct metrics	*metrics;	/* owned */
	struct models	*models;	/* owned; NULL: no cost table */
	atomic_long	 queued;	/* jobs waiting for the jail; may dip
					   below 0 for an instant: the
					   scheduler can take a job before
					   its submitter counts it (read it
					   with service_queued()) */
	atomic_size_t	 running;	/* jobs in the jail */
	atomic_bool	 draining;	/* SIGTERM: refuse new work */
	service_notify_cb *notify;	/* set before the HTTP side starts */
	void		*notify_arg;
	pthread_key_t	 store_key;	/* this thread's struct store */
};

/*
 * Set up *svc, stealing "cfg" (allocated) and "ps".  The database is
 * "DIR/verdict.db" in cfg->state_dir.  Returns 0 or a negative errno.
 */
int	 service_init(struct service *svc, struct config *cfg,
	    struct problemset *ps);

/*
 * This thread's store connection, opened on first use and closed when
 * the thread ends (or by service_fini() for the calling thread).
 * Returns NULL, with the reason logged, when the database cannot be
 * opened.
 */
struct store *service_store(struct service *svc);

/*
 * Load the problem files posted earlier (store imports) into svc->ps,
 * at start, before any other thread runs.  Returns 0, or a negative
 * errno with the reason in errbuf.
 */
int	 service_load_imports(struct service *svc, char *errbuf,
	    size_t errlen);

/*
 * Import a problem file posted over HTTP: "body" (len bytes: JSON
 * Lines, a JSON array, or either gzipped) must load as problems of
 * "format" (humaneval, mbpp, apps or evalplus), with task ids new to
 * the daemon.  On success the file is stored durably, its problems are
 * served at once, and *ids is a new array of their task ids.  Returns 0,
 * -EINVAL (bad file or format; "body:LINE: reason" in errbuf), -EEXIST
 * (a task id already loaded, named in errbuf) or -EIO.
 */
int	 service_import(struct service *svc, const char *format,
	    const void *body, size_t len, json_t **ids, char *errbuf,
	    size_t errlen);

/*
 * Replace the config by "cfg" (stolen), under the lock, when only keys
 * that can change at run time differ.  Returns 0, or -EINVAL with the
 * key that needs a restart in errbuf (cfg is freed, nothing changes).
 */
int	 service_reload(struct service *svc, struct config *cfg,
	    char *errbuf, size_t errlen);

/* The number of queued jobs (svc->queued, never below 0). */
size_t	 service_queued(struct service *svc);

/* Free what svc owns and close the calling thread's store. */
void	 service_fini(struct service *svc);

#endif /* DAEMON_SERVICE_H */
