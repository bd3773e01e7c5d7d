/*
 * sched.h - the scheduler: moves queued jobs from the store to the jail
 * pool, and the pool's verdicts back into the store.
 *
 * Fair share: runs take turns, one job each, in the order they got
 * work, so a run of a million candidates does not starve a run of ten
 * posted after it (each run's jobs go in id order).  At most "window"
 * jobs are in the pool at once; the rest wait in the store, so the
 * queue in memory stays small whatever the backlog.  Several nodes on
 * one database each take turns over every run with queued jobs (the
 * store's, not the node's), and claim jobs a few at a time, so runs
 * take turns across the cluster too.
 *
 * Store writes are batched: jobs handed to the pool ("running") and
 * verdicts back are written in one transaction per loop iteration
 * (a uv_check handle), then the "done" callback learns which jobs
 * finished (the HTTP side wakes its long polls).  When the store fails
 * (the database restarting or unreachable), the verdicts wait in memory,
 * nothing more goes to the pool, and a timer tries the store again with
 * a backoff (up to a few seconds) until it answers; then the scheduler
 * carries on by itself.  A verdict is stored once however many tries
 * it takes.
 *
 * The pool is reached through struct sched_pool_ops, a seam: verdictd
 * gives the jail pool's (main/serve.c), the unit tests a fake pool that
 * they finish jobs on by hand (tests/unit/test-sched.c).
 *
 * Everything runs on the loop thread except sched_notify() and
 * sched_forget().
 */
#ifndef DAEMON_SCHED_H
#define DAEMON_SCHED_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "daemon/service.h"
#include "sandbox/pool.h"

struct sched;				/* opaque */

/*
 * What the scheduler needs of a pool: sandbox/pool.h's pool_submit(),
 * on the pool "pool" given to sched_new().  "done" is called exactly
 * once per job, from the loop, unless the pool is closed first; it may
 * be called from within submit.
 */
struct sched_pool_ops {
	void	(*submit)(void *pool, const char *mode, const char *program,
		    json_t *spec, const struct pool_limits *limits,
		    pool_done_cb *done, void *arg);
};

/* Called on the loop after jobs[0..n-1] got their verdicts stored. */
typedef void sched_done_cb(void *arg, const int64_t *jobs, size_t n);

/*
 * A scheduler on "loop" feeding "pool" (borrowed, reached through "ops",
 * borrowed) with jobs from the store of "svc" (borrowed; the loop
 * thread's connection), at most "window" at once.  It claims jobs for
 * node "node" (copied) with leases of "lease_ms" (0: 30 s), renewed
 * every third of that.  It starts with the runs that have queued jobs
 * (jobs left "running" are not queued: a start re-queues them with
 * store_recover() first).  Returns 0 and a new scheduler in *sp, or a
 * negative errno.
 */
int	 sched_new(uv_loop_t *, struct service *svc,
	    const struct sched_pool_ops *ops, void *pool, size_t window,
	    const char *node, uint64_t lease_ms, sched_done_cb *done,
	    void *arg, struct sched **sp);

/*
 * Tell the scheduler that runs[0..n-1] have new queued jobs.  Safe from
 * any thread (it wakes the loop with a uv_async_t).
 */
void	 sched_notify(struct sched *, const int64_t *runs, size_t n);

/*
 * Tell the scheduler that runs[0..n-1] were deleted: each leaves the
 * ring of runs that take turns, and the jobs it claimed ahead and did
 * not start go back to the store (those the deletion kept for another
 * run are queued again; the deleted ones are gone).  Jobs of theirs
 * already in the pool finish, and the store drops their results.  Safe
 * from any thread (it wakes the loop with a uv_async_t).
 */
void	 sched_forget(struct sched *, const int64_t *runs, size_t n);

/*
 * Stop handing out jobs (those claimed and not started go back to the
 * store's queue at once); when the jobs in the pool have finished and
 * their verdicts are stored, or after "grace_ms", call "drained".  Jobs
 * still in the pool then are put back in the queue of the store (another
 * node, or the next start, runs them) and their late results are
 * ignored.
 */
void	 sched_drain(struct sched *, uint64_t grace_ms,
	    void (*drained)(void *), void *arg);

/*
 * Close the scheduler's handles and free it once they are closed (the
 * pool must be closed first or not used again).  Pending verdicts are
 * written first.
 */
void	 sched_close(struct sched *);

#endif /* DAEMON_SCHED_H */
