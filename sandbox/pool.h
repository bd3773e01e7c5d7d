/*
 * pool.h - the daemon's side of the jail: a pool of jails made by the
 * jail broker.
 *
 * Each worker is one long-lived jail (a keeper that the broker forked,
 * in its own process group; sandbox/broker.h) holding a warm zygote and
 * a judge; it runs one job at a time over the three pipes the broker
 * handed over.  The pool queues jobs, hands them to idle workers,
 * replaces a worker that dies (once the broker has reaped the old jail,
 * so that its host uids are free again), and keeps a backstop timer per
 * job in case a jail hangs.  A job on which the oracle failed (its jail
 * died or hung, or answered "internal") is retried on a fresh worker;
 * after POOL_MAX_ATTEMPTS it ends with the verdict "error" and
 * "oracle_error": true, so that it counts (never "internal", which is
 * left out of pass@k: nothing a candidate does may take it out of the
 * statistics).  Only a job that never ran (the pool closes, or no jail
 * can start) ends "internal".  If the broker dies or breaks its
 * protocol, the pool judges nothing more and tells its owner: it fails
 * closed.  Everything runs on the loop thread.
 *
 * The pool starts no process: the broker does.
 */
#ifndef SANDBOX_POOL_H
#define SANDBOX_POOL_H

#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>
#include <uv.h>

#include "sandbox/brokerc.h"
#include "sandbox/result.h"

/* Three: under faults from outside (a helper killed or frozen by
 * someone else) a retried job is hit again about one time in twenty
 * (tests/fault/run.py, jail_faults), so two attempts left a few
 * candidates in a thousand unjudged; a candidate that breaks its jail
 * on purpose costs one backstop more. */
#define POOL_MAX_ATTEMPTS	3

struct pool;				/* opaque */

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
 * Called once per job, on the loop thread, with its result (see
 * sandbox/result.h).  The struct is the pool's, valid during the call;
 * what it holds is the callee's: move it out (and leave *result empty)
 * to keep it, or leave it and the pool releases it.
 */
typedef void pool_done_cb(struct sandbox_result *result, void *arg);

/*
 * Called once, on the loop thread, when the broker is lost (it exited,
 * or sent what broker.h does not allow); "why" is borrowed.  From then
 * on no job starts and none gets its callback until pool_close(): the
 * owner should close the pool and exit with an error.
 */
typedef void pool_lost_cb(void *arg, const char *why);

/*
 * Create a pool with one worker per slot of the broker "bc" (stolen,
 * even on failure: the pool closes it last) and ask the broker for
 * their jails.  Returns 0 and a new pool in *pp, or a libuv error.  A
 * jail that fails later is replaced; a slot whose jail fails
 * POOL_MAX_START_FAILS times in a row before becoming ready is given
 * up, and with no slot left every job ends "internal".  "lost" is
 * called if the broker is lost, unless the pool is closed first.
 */
int	 pool_new(uv_loop_t *, struct brokerc *bc, pool_lost_cb *lost,
	    void *arg, struct pool **pp);

/*
 * Queue one job: run "program" (borrowed, copied) in "mode" ("script",
 * "call", "stdio" or "reference") against the judge spec "spec"
 * (borrowed; a reference is taken).  "done" is called exactly once,
 * from the loop, unless the pool is closed first.
 */
void	 pool_submit(struct pool *, const char *mode, const char *program,
	    json_t *spec, const struct pool_limits *, pool_done_cb *done,
	    void *arg);

/*
 * Keep the expected outputs of reference-mode problems (computed once
 * per problem by a jail, see sandbox/expected.h) in the directory open
 * on "dirfd" (stolen; see expected_dir_open()) as well as in memory, so
 * that a later run or a restarted daemon finds them.  Call before the
 * first job; without it they are kept in memory for the pool's life.
 */
void	 pool_expected_dir(struct pool *, int dirfd);

/*
 * With "on", a free worker takes the queued job whose problem's
 * reference took longest (its time kept with the expected outputs, see
 * expected_cost()), not the oldest: for a whole set judged at once
 * ("verdictd eval"), so that the slowest problems start first and do not
 * run alone at the end.  Jobs of problems with no time known, and ties,
 * go oldest first.  Off by default: a service answers in order.
 */
void	 pool_longest_first(struct pool *, bool on);

/* Jobs waiting for a worker, and jobs running. */
size_t	 pool_queued(const struct pool *);
size_t	 pool_running(const struct pool *);

/*
 * Stop every worker and free the pool once all its handles are closed,
 * then close the broker (which kills and reaps every jail, see
 * brokerc_close()) and call "closed".  Queued jobs are dropped without
 * a callback; a job still running gets its callback now, with verdict
 * "internal".
 */
void	 pool_close(struct pool *, void (*closed)(void *), void *arg);

#endif /* SANDBOX_POOL_H */
