/*
 * sched.c - fair-share scheduling of stored jobs onto the jail pool.
 * See sched.h.
 *
 * State: a ring of active runs, each with a few jobs claimed ahead
 * from the store; the jobs handed to the pool; and the results waiting
 * for the next store write.
 *
 * Jobs are claimed (store_claim(): queued -> running, for this node)
 * a few per run at a time, as many as the window has room for, so that
 * jobs wait in the store's queue, where any node can claim them, rather
 * than in one node's memory.  A lease timer renews the claims every
 * third of the lease (store_leases(), which also puts back the jobs of
 * nodes whose leases expired), refreshes the queued count from the
 * store and looks at the queue again, in case a wake-up was missed.
 * Claimed jobs that will not run here (a drain) are released.
 *
 * The store may fail (the database busy, restarting or unreachable).
 * A write that fails is retried by a timer, with a backoff from
 * SCHED_RETRY_MIN_MS doubling to SCHED_RETRY_MAX_MS, and not at every
 * turn of the loop meanwhile: nothing is dropped, the verdicts wait in
 * memory, and the store's update is idempotent (a job done is not
 * finished again), so a commit whose answer was lost is harmless.  A
 * claim that fails keeps its run in the ring, and the same timer
 * dispatches again.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/queue.h>

#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "daemon/bench.h"
#include "daemon/sched.h"

#define SCHED_READ_AHEAD	32	/* most jobs claimed per run and query */
#define SCHED_RETRY_MIN_MS	250	/* the first retry of the store */
#define SCHED_RETRY_MAX_MS	4000	/* the backoff's ceiling */
#define SCHED_LEASE_MS		30000	/* a claim's lease, by default */

struct sched_run {
	int64_t		 id;
	struct store_job jobs[SCHED_READ_AHEAD];
	size_t		 njobs, next;
};

/* Run ids handed over from other threads, under struct sched's mu. */
struct sched_ids {
	int64_t		*v;
	size_t		 n, cap;
};

/* One job handed to the pool. */
struct sched_job {
	struct sched	*s;
	int64_t		 id;
	int		 bench;		/* enum bench_id, or -1 */
	unsigned	 nbase;		/* its problem's base tests */
	uint64_t	 t0_ms;
	bool		 orphan;	/* drained away: ignore the result */
	LIST_ENTRY(sched_job) entry;	/* in s->inflight or s->orphans */
};

struct sched {
	uv_loop_t	*loop;
	struct service	*svc;
	const struct sched_pool_ops *ops;
	void		*pool;
	size_t		 window;
	char		*node;		/* lease.node's */
	struct store_lease lease;
	sched_done_cb	*done_cb;
	void		*done_arg;

	struct sched_run *runs;		/* the ring of active runs */
	size_t		 nruns, capruns, turn;
	LIST_HEAD(, sched_job) inflight; /* jobs in the pool */
	size_t		 ninflight;
	LIST_HEAD(, sched_job) orphans;	/* drained away, still in the pool */

	struct store_result *results;	/* waiting for the store write */
	size_t		 nresults, capresults;

	uv_async_t	 async;		/* sched_notify() */
	uv_check_t	 check;		/* the batched store write */
	uv_timer_t	 timer;		/* the drain's grace */
	uv_timer_t	 retry;		/* the store again, after a failure */
	uv_timer_t	 leases;	/* renew, reap, look again */
	uint64_t	 retry_ms;	/* the next retry's delay */
	bool		 failing;	/* the store failed; the retry waits */
	pthread_mutex_t	 mu;		/* guards notified and forgotten */
	struct sched_ids notified;	/* runs with new queued jobs */
	struct sched_ids forgotten;	/* runs deleted */

	bool		 draining;
	void		(*drained)(void *);
	void		*drained_arg;
	unsigned	 nclosing;	/* handles still to close */
};

static void	 sched_dispatch(struct sched *);
static void	 sched_maybe_drained(struct sched *);
static void	 sched_retry_cb(uv_timer_t *);

/* --- Runs --- */

/* Add run "id" to the ring unless it is there. */
static void
sched_run_add(struct sched *s, int64_t id)
{
	for (size_t i = 0; i < s->nruns; i++)
		if (s->runs[i].id == id)
			return;
	if (s->nruns == s->capruns) {
		s->capruns = s->capruns ? s->capruns * 2 : 8;
		s->runs = xreallocarray(s->runs, s->capruns,
		    sizeof(*s->runs));
	}
	memset(&s->runs[s->nruns], 0, sizeof(s->runs[0]));
	s->runs[s->nruns++].id = id;
}

/*
 * Drop the run at index i from the ring, keeping the turn order; the
 * jobs it claimed and did not start go back to the queue.
 */
static void
sched_run_drop(struct sched *s, size_t i)
{
	struct sched_run *r = &s->runs[i];
	struct store	*st;
	int64_t		 ids[SCHED_READ_AHEAD];
	size_t		 n = 0, requeued;

	for (size_t j = r->next; j < r->njobs; j++) {
		ids[n++] = r->jobs[j].id;
		store_job_free(&r->jobs[j]);
	}
	/* A release that fails leaves them running: the lease (or on
	 * SQLite the next start) puts them back. */
	if (n > 0 && (st = service_store(s->svc)) != NULL &&
	    store_release(st, ids, n, &requeued) == 0)
		service_queued_add(s->svc, (long)requeued);
	memmove(&s->runs[i], &s->runs[i + 1],
	    (s->nruns - i - 1) * sizeof(s->runs[0]));
	s->nruns--;
	if (s->turn > i)
		s->turn--;
	if (s->turn >= s->nruns)
		s->turn = 0;
}

/*
 * Claim run r's next jobs into r->jobs: a share of the window's free
 * room, at least one.  Returns 0 (r->njobs 0: none queued that were
 * free) or a negative errno.
 */
static int
sched_run_claim(struct sched *s, struct sched_run *r)
{
	struct store	*st;
	size_t		 want, n = 0;
	int		 e;

	r->next = r->njobs = 0;
	if ((st = service_store(s->svc)) == NULL)
		return -EIO;
	want = (s->window - s->ninflight) / (s->nruns ? s->nruns : 1);
	want = want < 1 ? 1 : want > SCHED_READ_AHEAD ? SCHED_READ_AHEAD : want;
	if ((e = store_claim(st, &s->lease, r->id, want, r->jobs, &n)) < 0)
		return e;
	r->njobs = n;
	return 0;
}

/*
 * The next job of run i, claimed from the store when needed, or NULL:
 * *err is 0 when the run has none queued, else the store's negative
 * errno (the run stays in the ring).
 */
static struct store_job *
sched_run_next(struct sched *s, size_t i, int *err)
{
	struct sched_run *r = &s->runs[i];

	*err = 0;
	if (r->next == r->njobs &&
	    ((*err = sched_run_claim(s, r)) < 0 || r->njobs == 0))
		return NULL;
	return &r->jobs[r->next++];
}

/* --- Results --- */

/* Queue a result for the store, with "base_passed" as
 * bench_base_passed() tells it; what *r holds moves to the queue and
 * *r is left empty. */
static void
sched_add_result(struct sched *s, int64_t id, struct sandbox_result *r,
    int base_passed)
{
	static const enum store_base base[] = { STORE_BASE_NONE,
	    STORE_BASE_FAILED, STORE_BASE_PASSED };
	struct store_result *res;

	if (s->nresults == s->capresults) {
		s->capresults = s->capresults ? s->capresults * 2 : 64;
		s->results = xreallocarray(s->results, s->capresults,
		    sizeof(*s->results));
	}
	res = &s->results[s->nresults++];
	res->job = id;
	res->res = *r;
	res->base = base[base_passed + 1];
	memset(r, 0, sizeof(*r));
}

/*
 * The store failed: try again after the backoff's delay, which doubles
 * up to SCHED_RETRY_MAX_MS.  Until then the batched write waits (the
 * check handle skips it), so a database that is down is not asked at
 * every turn of the loop.
 */
static void
sched_store_failed(struct sched *s)
{
	if (!s->failing) {
		s->failing = true;
		s->retry_ms = SCHED_RETRY_MIN_MS;
	}
	if (!uv_is_active((uv_handle_t *)&s->retry)) {
		uv_timer_start(&s->retry, sched_retry_cb, s->retry_ms, 0);
		s->retry_ms = s->retry_ms * 2 < SCHED_RETRY_MAX_MS ?
		    s->retry_ms * 2 : SCHED_RETRY_MAX_MS;
	}
}

/* The store answered again after a failure. */
static void
sched_store_back(struct sched *s)
{
	if (!s->failing)
		return;
	s->failing = false;
	uv_timer_stop(&s->retry);
	log_info("sched: the store answers again");
}

/*
 * Write the results in one transaction, then tell the done callback.
 * On failure everything stays for the retry timer.  Returns 0 or the
 * store's negative errno.
 */
static int
sched_flush(struct sched *s)
{
	struct store	*st;
	int64_t		*jobs;
	size_t		 n = s->nresults;
	int		 r;

	if (s->nresults == 0)
		return 0;
	if ((st = service_store(s->svc)) == NULL)
		r = -EIO;
	else
		r = store_update(st, s->results, s->nresults);
	if (r < 0) {
		if (!s->failing)
			log_warnx("sched: storing %zu verdicts failed; "
			    "retrying", s->nresults);
		sched_store_failed(s);
		return r;
	}
	sched_store_back(s);
	jobs = xreallocarray(NULL, n ? n : 1, sizeof(*jobs));
	for (size_t i = 0; i < n; i++) {
		jobs[i] = s->results[i].job;
		sandbox_result_free(&s->results[i].res);
	}
	s->nresults = 0;
	if (n > 0 && s->done_cb != NULL)
		s->done_cb(s->done_arg, jobs, n);
	free(jobs);
	return 0;
}

static void
sched_check_cb(uv_check_t *h)
{
	struct sched	*s = h->data;

	/* After a failure the retry timer writes, with its backoff. */
	if (!s->failing)
		sched_flush(s);
}

/* The backoff is over: write what waits, then read and dispatch. */
static void
sched_retry_cb(uv_timer_t *t)
{
	struct sched	*s = t->data;

	if (sched_flush(s) < 0)
		return;
	/* Nothing to write, or written: on to the reads, which re-arm
	 * the timer if the store fails again. */
	sched_store_back(s);
	if (s->draining)
		sched_maybe_drained(s);
	else
		sched_dispatch(s);
}

/* --- Dispatch --- */

static void
sched_pool_cb(struct sandbox_result *res, void *arg)
{
	struct sched_job *j = arg;
	struct sched	*s = j->s;

	if (j->orphan) {
		/* Drained away and re-queued: it runs again next time. */
		LIST_REMOVE(j, entry);
		free(j);
		return;
	}
	metrics_verdict(service_metrics(s->svc), res->verdict, j->bench,
	    uv_now(s->loop) - j->t0_ms);
	sched_add_result(s, j->id, res, bench_base_passed(j->nbase, res));
	LIST_REMOVE(j, entry);
	s->ninflight--;
	service_running_add(s->svc, -1);
	free(j);
	if (s->draining)
		sched_maybe_drained(s);
	else
		sched_dispatch(s);
}

/* A job being launched, for sched_launch_cb(). */
struct sched_launch {
	struct sched	*s;
	struct store_job *sj;
	struct sched_job *j;
	bool		 launched;
};

/* Hand the job to the pool, under the problem set's read lock. */
static void
sched_launch_cb(const struct problem *pb, void *arg)
{
	struct sched_launch *l = arg;
	struct sched	*s = l->s;
	struct sched_job *j = l->j;

	if (pb == NULL)
		return;
	j->bench = (int)pb->bench;
	j->nbase = pb->nbase;
	LIST_INSERT_HEAD(&s->inflight, j, entry);
	s->ninflight++;
	service_running_add(s->svc, 1);
	/* The pool copies the program and takes a reference to the spec:
	 * nothing of pb is used after the unlock. */
	s->ops->submit(s->pool, bench_mode(pb), l->sj->program, pb->judge,
	    &l->sj->limits, sched_pool_cb, j);
	l->launched = true;
}

/* Hand one stored job to the pool (or judge it "internal" at once). */
static void
sched_launch(struct sched *s, struct store_job *sj)
{
	struct sched_launch l = { s, sj, NULL, false };
	struct sched_job *j;
	struct sandbox_result r;
	char		 msg[STORE_ID_MAX + 64];

	j = xcalloc(1, sizeof(*j));
	j->s = s;
	j->id = sj->id;
	j->t0_ms = uv_now(s->loop);
	service_queued_add(s->svc, -1);

	l.j = j;
	service_problem_find(s->svc, sj->task_id, sched_launch_cb, &l);
	/* A problem file another node took since the last look. */
	if (!l.launched && service_load_imports(s->svc, -1, msg,
	    sizeof(msg)) == 0)
		service_problem_find(s->svc, sj->task_id, sched_launch_cb, &l);
	if (!l.launched) {
		/* Its problem file is gone from the config. */
		snprintf(msg, sizeof(msg), "problem not loaded: %s",
		    sj->task_id);
		sandbox_result_make(&r, PROTO_VERDICT_INTERNAL, msg);
		sched_add_result(s, sj->id, &r, -1);
		free(j);
	}
}

/* Fill the pool's window, one job per run in turn. */
static void
sched_dispatch(struct sched *s)
{
	struct store_job *sj;
	int		 err;

	/* The retry timer dispatches when the store answers again. */
	if (s->failing)
		return;
	while (!s->draining && s->ninflight < s->window && s->nruns > 0) {
		if (s->turn >= s->nruns)
			s->turn = 0;
		if ((sj = sched_run_next(s, s->turn, &err)) == NULL) {
			if (err < 0) {
				log_warnx("sched: reading the queue failed; "
				    "retrying");
				sched_store_failed(s);
				return;
			}
			sched_run_drop(s, s->turn);
			continue;
		}
		sched_launch(s, sj);
		store_job_free(sj);
		s->turn++;
	}
}

/* Drop run "id" from the ring, if it is there. */
static void
sched_run_forget(struct sched *s, int64_t id)
{
	for (size_t i = 0; i < s->nruns; i++)
		if (s->runs[i].id == id) {
			sched_run_drop(s, i);
			return;
		}
}

/* Take the ids of "ids" (under s->mu) and leave it empty. */
static struct sched_ids
sched_ids_take(struct sched *s, struct sched_ids *ids)
{
	struct sched_ids got;

	pthread_mutex_lock(&s->mu);
	got = *ids;
	memset(ids, 0, sizeof(*ids));
	pthread_mutex_unlock(&s->mu);
	return got;
}

/* Add runs[0..n-1] to "ids" under s->mu and wake the loop. */
static void
sched_ids_push(struct sched *s, struct sched_ids *ids, const int64_t *runs,
    size_t n)
{
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < n; i++) {
		if (ids->n == ids->cap) {
			ids->cap = ids->cap ? ids->cap * 2 : 16;
			ids->v = xreallocarray(ids->v, ids->cap,
			    sizeof(*ids->v));
		}
		ids->v[ids->n++] = runs[i];
	}
	pthread_mutex_unlock(&s->mu);
	uv_async_send(&s->async);
}

/*
 * The runs deleted leave the ring, then the runs with new jobs join it
 * (a deleted run's id is never given again, so the order does not
 * matter).
 */
static void
sched_async_cb(uv_async_t *h)
{
	struct sched	*s = h->data;
	struct sched_ids gone, added;

	gone = sched_ids_take(s, &s->forgotten);
	added = sched_ids_take(s, &s->notified);
	for (size_t i = 0; i < gone.n; i++)
		sched_run_forget(s, gone.v[i]);
	for (size_t i = 0; i < added.n; i++)
		sched_run_add(s, added.v[i]);
	free(gone.v);
	free(added.v);
	sched_dispatch(s);
}

void
sched_notify(struct sched *s, const int64_t *runs, size_t n)
{
	sched_ids_push(s, &s->notified, runs, n);
}

void
sched_forget(struct sched *s, const int64_t *runs, size_t n)
{
	sched_ids_push(s, &s->forgotten, runs, n);
}

/*
 * Every third of a lease: renew this node's claims and take back those
 * of nodes whose leases expired; set the queued count from the store's
 * (other nodes add and claim too); look at the queue again, so that a
 * wake-up that was lost (a connection cut) costs a tick, not a stall.
 */
static void
sched_leases_cb(uv_timer_t *t)
{
	struct sched	*s = t->data;
	struct store	*st;
	struct store_lease lease = s->lease;
	struct sched_job *j;
	int64_t		*runs = NULL, *held;
	size_t		 nruns = 0, queued, n = 0;

	if (s->draining || (st = service_store(s->svc)) == NULL)
		return;
	/* The jobs held here: claimed ahead, in the pool, and done but not
	 * yet stored.  Only these are renewed: a claim whose answer was
	 * lost (the connection cut after the commit) expires. */
	for (size_t i = 0; i < s->nruns; i++)
		n += s->runs[i].njobs - s->runs[i].next;
	LIST_FOREACH(j, &s->inflight, entry)
		n++;
	held = xcalloc(n + s->nresults + 1, sizeof(*held));
	n = 0;
	for (size_t i = 0; i < s->nruns; i++)
		for (size_t k = s->runs[i].next; k < s->runs[i].njobs; k++)
			held[n++] = s->runs[i].jobs[k].id;
	LIST_FOREACH(j, &s->inflight, entry)
		held[n++] = j->id;
	for (size_t i = 0; i < s->nresults; i++)
		held[n++] = s->results[i].job;
	lease.held = held;
	lease.nheld = n;
	if (store_leases(st, &lease, &runs, &nruns) == 0) {
		for (size_t i = 0; i < nruns; i++)
			sched_run_add(s, runs[i]);
		free(runs);
	}
	free(held);
	if (store_count_queued(st, &queued) == 0)
		service_queued_add(s->svc, (long)queued -
		    (long)service_queued(s->svc));
	if (store_queued_runs(st, &runs, &nruns) == 0) {
		for (size_t i = 0; i < nruns; i++)
			sched_run_add(s, runs[i]);
		free(runs);
	}
	sched_dispatch(s);
}

int
sched_new(uv_loop_t *loop, struct service *svc,
    const struct sched_pool_ops *ops, void *pool, size_t window,
    const char *node, uint64_t lease_ms, sched_done_cb *done, void *arg,
    struct sched **sp)
{
	struct sched	*s;
	struct store	*st;
	int64_t		*runs = NULL;
	size_t		 nruns = 0;
	uint64_t	 tick;
	int		 r;

	if ((st = service_store(svc)) == NULL)
		return -EIO;
	if ((r = store_queued_runs(st, &runs, &nruns)) < 0)
		return r;
	s = xcalloc(1, sizeof(*s));
	LIST_INIT(&s->inflight);
	LIST_INIT(&s->orphans);
	s->loop = loop;
	s->svc = svc;
	s->ops = ops;
	s->pool = pool;
	s->window = window ? window : 1;
	s->node = xstrdup(node);
	s->lease.node = s->node;
	s->lease.ms = lease_ms > 0 ? (int64_t)lease_ms : SCHED_LEASE_MS;
	s->done_cb = done;
	s->done_arg = arg;
	pthread_mutex_init(&s->mu, NULL);
	uv_async_init(loop, &s->async, sched_async_cb);
	uv_check_init(loop, &s->check);
	uv_timer_init(loop, &s->timer);
	uv_timer_init(loop, &s->retry);
	uv_timer_init(loop, &s->leases);
	s->async.data = s->check.data = s->timer.data = s->retry.data =
	    s->leases.data = s;
	uv_check_start(&s->check, sched_check_cb);
	tick = (uint64_t)s->lease.ms / 3;
	uv_timer_start(&s->leases, sched_leases_cb, tick, tick);
	for (size_t i = 0; i < nruns; i++)
		sched_run_add(s, runs[i]);
	free(runs);
	sched_dispatch(s);
	*sp = s;
	return 0;
}

/* --- Draining and closing --- */

static void
sched_drained_now(struct sched *s)
{
	void	(*cb)(void *) = s->drained;

	s->drained = NULL;
	uv_timer_stop(&s->timer);
	uv_timer_stop(&s->retry);
	uv_timer_stop(&s->leases);
	if (cb != NULL)
		cb(s->drained_arg);
}

static void
sched_maybe_drained(struct sched *s)
{
	if (s->ninflight > 0)
		return;
	sched_flush(s);
	if (s->nresults == 0)
		sched_drained_now(s);
}

/* The grace is over: put what still runs back in the queue. */
static void
sched_grace_cb(uv_timer_t *t)
{
	struct sched	*s = t->data;
	struct sched_job *j;
	struct store	*st;
	int64_t		*ids;
	size_t		 n = 0, requeued = 0;

	sched_flush(s);
	ids = xcalloc(s->ninflight + 1, sizeof(*ids));
	while ((j = LIST_FIRST(&s->inflight)) != NULL) {
		LIST_REMOVE(j, entry);
		LIST_INSERT_HEAD(&s->orphans, j, entry);
		j->orphan = true;
		ids[n++] = j->id;
		service_running_add(s->svc, -1);
		service_queued_add(s->svc, 1);
	}
	s->ninflight = 0;
	if ((st = service_store(s->svc)) == NULL ||
	    store_release(st, ids, n, &requeued) < 0)
		log_warnx("sched: re-queueing failed; the lease or the next "
		    "start will");
	else if (requeued > 0)
		log_info("sched: %zu running jobs put back in the queue",
		    requeued);
	free(ids);
	sched_drained_now(s);
}

void
sched_drain(struct sched *s, uint64_t grace_ms, void (*drained)(void *),
    void *arg)
{
	s->draining = true;
	s->drained = drained;
	s->drained_arg = arg;
	/* Jobs claimed ahead will not run here: back to the queue. */
	while (s->nruns > 0)
		sched_run_drop(s, s->nruns - 1);
	if (s->ninflight > 0) {
		uv_timer_stop(&s->timer);
		uv_timer_start(&s->timer, sched_grace_cb, grace_ms, 0);
	}
	sched_maybe_drained(s);
	/* Verdicts the store will not take: the retries go on for the
	 * grace, not for ever (their jobs stay "running" in the store,
	 * which the lease or the next start re-queues). */
	if (s->drained != NULL && !uv_is_active((uv_handle_t *)&s->timer))
		uv_timer_start(&s->timer, sched_grace_cb, grace_ms, 0);
}

static void
sched_closed_cb(uv_handle_t *h)
{
	struct sched	*s = h->data;
	struct sched_job *j;

	if (--s->nclosing > 0)
		return;
	while (s->nruns > 0)
		sched_run_drop(s, s->nruns - 1);
	for (size_t i = 0; i < s->nresults; i++)
		sandbox_result_free(&s->results[i].res);
	while ((j = LIST_FIRST(&s->inflight)) != NULL ||
	    (j = LIST_FIRST(&s->orphans)) != NULL) {
		LIST_REMOVE(j, entry);
		free(j);
	}
	free(s->runs);
	free(s->results);
	free(s->notified.v);
	free(s->forgotten.v);
	free(s->node);
	pthread_mutex_destroy(&s->mu);
	free(s);
}

void
sched_close(struct sched *s)
{
	sched_flush(s);
	s->nclosing = 5;
	uv_close((uv_handle_t *)&s->async, sched_closed_cb);
	uv_close((uv_handle_t *)&s->check, sched_closed_cb);
	uv_close((uv_handle_t *)&s->timer, sched_closed_cb);
	uv_close((uv_handle_t *)&s->retry, sched_closed_cb);
	uv_close((uv_handle_t *)&s->leases, sched_closed_cb);
}
