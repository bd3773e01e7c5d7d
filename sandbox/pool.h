/*
 * pool.h - the daemon's side of the jail: a pool of verdict-jail helpers.
 *
 * Each worker is one long-lived verdict-jail process (started with
 * uv_spawn(), in its own process group) holding a warm zygote and a
 * judge; it runs one job at a time.  The pool queues jobs, hands them to
 * idle workers, restarts a worker that dies, and keeps a backstop timer
 * per job in case a helper hangs.  A job on which the oracle failed (its
 * helper died or hung, or answered "internal") is retried on a fresh
 * worker; after POOL_MAX_ATTEMPTS it ends with the verdict "error" and
 * "oracle_error": true, so that it counts (never "internal", which is
 * left out of pass@k: nothing a candidate does may take it out of the
 * statistics).  Only a job that never ran (the pool closes, or no
 * helper can start) ends "internal".  Everything runs on the loop
 * thread.
 *
 * This is the only code in the daemon that starts processes.
 */
#ifndef SANDBOX_POOL_H
#define SANDBOX_POOL_H

#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>
#include <uv.h>

#define POOL_MAX_ATTEMPTS	2

struct pool;				/* opaque */

struct pool_opts {
	unsigned	 workers;	/* helpers running at once, >= 1 */
	const char	*jail_path;	/* the verdict-jail binary */
	uid_t		 uid_base;	/* host uids base + 4 * slot + 0..2 */
	unsigned	 scratch_mb;	/* scratch tmpfs per worker, MiB */
};

/* Limits of one job; all must be non-zero. */
struct pool_limits {
	uint32_t	 wall_ms;	/* the whole candidate, wall clock */
	uint32_t	 cpu_ms;	/* the candidate's CPU (RLIMIT_CPU) */
	uint32_t	 test_ms;	/* one test (stdio and call modes) */
	uint32_t	 mem_mb;	/* address space (RLIMIT_AS) */
	uint32_t	 nproc;		/* processes of the candidate */
	uint32_t	 fsize_kb;	/* largest file it may write */
	uint32_t	 out_kb;	/* stdout + stderr kept; more kills */
};

/*
 * Called once per job, on the loop thread, with the runner's result
 * record (borrowed: valid during the call; json_incref() to keep it).
 * It always has "verdict"; see sandbox/runner.py for the other fields.
 */
typedef void pool_done_cb(json_t *result, void *arg);

/*
 * Create a pool and start its workers.  Returns 0 and a new pool in *pp,
 * or a negative errno: -EINVAL for zero workers, or the access(2) error
 * of a jail binary that cannot be executed.  A helper that fails later
 * is restarted; a slot whose helper fails POOL_MAX_START_FAILS times in
 * a row before becoming ready is given up, and with no slot left every
 * job ends "internal".
 */
int	 pool_new(uv_loop_t *, const struct pool_opts *, struct pool **pp);

/*
 * Queue one job: run "program" (borrowed, copied) in "mode" ("script",
 * "call", "stdio" or "reference") against the judge spec "spec"
 * (borrowed; a reference is taken).  "done" is called exactly once,
 * from the loop, unless the pool is closed first.
 */
void	 pool_submit(struct pool *, const char *mode, const char *program,
	    json_t *spec, const struct pool_limits *, pool_done_cb *done,
	    void *arg);

/* Jobs waiting for a worker, and jobs running. */
size_t	 pool_queued(const struct pool *);
size_t	 pool_running(const struct pool *);

/*
 * Stop every worker and free the pool once all its handles are closed,
 * then call "closed".  Queued jobs are dropped without a callback; a
 * job still running gets its callback now, with verdict "internal".
 */
void	 pool_close(struct pool *, void (*closed)(void *), void *arg);

#endif /* SANDBOX_POOL_H */
