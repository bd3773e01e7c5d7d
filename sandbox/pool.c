/*
 * pool.c - a pool of jails, made by the jail broker, driven from the
 * libuv loop.  See pool.h for the contract.
 *
 * Sections: jobs and queue, one worker (read, write, death), the
 * broker's messages, dispatch, the pool.
 *
 * A worker is asked of the broker (BROKER_SPAWN) and owns four handles
 * once the broker answered with its pipes (three pipes, a timer).  It is
 * dead once its jail exited (BROKER_EXITED) OR its result pipe reached
 * EOF OR its backstop fired; then its jail's process group is killed
 * (BROKER_KILL).  Its memory goes away when its handles are closed
 * (libuv's close rule) AND the broker reaped its jail, after which the
 * slot is started again: a new jail never shares uids with a live one.
 *
 * The broker's socket is one uv_poll_t.  A loss of the broker is
 * reported from a zero timer (the "closer"), never from inside the
 * callback that found it, so the owner may close the pool right away.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/queue.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "sandbox/expected.h"
#include "sandbox/pool.h"

/* Extra time the helper gets beyond the job's own limits. */
#define POOL_BACKSTOP_GRACE_MS	30000
/* Longest result line accepted from a helper. */
#define POOL_MAX_LINE		(64u << 20)
/* A slot whose helper dies this often in a row before ever becoming
 * ready is given up (its jobs end "internal"). */
#define POOL_MAX_START_FAILS	3

struct pool_job {
	TAILQ_ENTRY(pool_job) entry;
	char		*mode;		/* "script", "call", ... */
	char		*program;	/* candidate source */
	json_t		*spec;		/* judge spec (owned reference) */
	struct pool_limits lim;
	pool_done_cb	*done;
	void		*arg;
	unsigned	 attempts;	/* starts, including the running one */
	unsigned long long seq;		/* id on the wire */
	int64_t		 cost_ms;	/* its reference's time, -1: unknown
					   (with pool_longest_first only) */
};
TAILQ_HEAD(pool_jobq, pool_job);

enum worker_state {
	WORKER_SPAWNING,		/* asked of the broker */
	WORKER_STARTING,		/* jail made, waiting for "ready" */
	WORKER_IDLE,
	WORKER_BUSY,
	WORKER_DEAD,			/* closing its handles */
};

struct worker {
	struct pool	*pool;
	unsigned	 slot;
	enum worker_state state;
	uint64_t	 jail;		/* the broker's id; 0 before SPAWNED */
	bool		 exited;	/* reaped by the broker, or not made */
	bool		 piped;		/* the four handles are initialised */
	uv_pipe_t	 zin;		/* jobs to the zygote (fd 0) */
	uv_pipe_t	 zout;		/* results from the zygote (fd 1) */
	uv_pipe_t	 jin;		/* specs to the judge (fd 3) */
	uv_timer_t	 backstop;
	int		 open_handles;	/* closed in worker_close_cb */
	char		*rbuf;		/* partial result line */
	size_t		 rlen, rcap;
	struct pool_job	*job;		/* running job, or NULL */
	json_t		*judge_spec;	/* the spec the judge holds (a
					   reference), and the job that */
	unsigned long long judge_seq;	/* carried it: see worker_run */
};

struct pool {
	uv_loop_t	*loop;
	struct brokerc	*bc;		/* owned; closed when the pool is */
	unsigned	 workers;	/* slots */
	struct worker	**slots;	/* a slot's worker until it is freed */
	unsigned	*start_fails;	/* per slot */
	struct pool_jobq queue;
	struct pool_jobq held;		/* running when the broker was lost */
	struct expected	*expected;	/* reference outputs, made once */
	bool		 longest_first;	/* see pool_longest_first() */
	size_t		 nqueued, nrunning;
	unsigned long long next_seq;
	bool		 closing;
	bool		 lost;		/* the broker is gone: judge nothing */
	char		*lost_why;
	pool_lost_cb	*lost_cb;
	void		*lost_arg;
	unsigned	 live;		/* what holds the pool: workers not
					   yet freed, "bpoll" and "closer" */
	uv_poll_t	 bpoll;		/* the broker's socket */
	uv_timer_t	 closer;	/* reports a loss; closing it and
					   bpoll frees the pool */
	void		(*closed)(void *);
	void		*closed_arg;
};

struct pool_write {
	uv_write_t	 req;
	char		*buf;		/* freed when the write completes */
};

static void	 pool_dispatch(struct pool *);
static void	 pool_lost(struct pool *, const char *why);
static void	 worker_start(struct pool *, unsigned slot);
static void	 worker_die(struct worker *, const char *why);

/*
 * Drop one hold on the pool; the last one closes the broker, frees the
 * pool and calls the close callback.  The last hold is always a close
 * callback ("bpoll" and "closer" are closed only by pool_close()), so
 * the pool never goes away under a running callback.  Returns true if
 * it was freed.
 */
static bool
pool_release(struct pool *pool)
{
	void	(*closed)(void *) = pool->closed;
	void	*arg = pool->closed_arg;

	if (--pool->live > 0)
		return false;
	brokerc_close(pool->bc);
	expected_free(pool->expected);
	free(pool->slots);
	free(pool->start_fails);
	free(pool->lost_why);
	free(pool);
	closed(arg);
	return true;
}

static void
pool_closer_cb(uv_handle_t *h)
{
	pool_release(h->data);
}

/* --- Jobs and queue --- */

static void
pool_job_free(struct pool_job *job)
{
	if (job == NULL)
		return;
	free(job->mode);
	free(job->program);
	json_decref(job->spec);
	free(job);
}

/* Finish a job that never ran (the pool closes, no helper can start)
 * with the verdict "internal", then free it. */
static void
pool_job_internal(struct pool_job *job, const char *message)
{
	struct sandbox_result res;

	sandbox_result_make(&res, PROTO_VERDICT_INTERNAL, message);
	job->done(&res, job->arg);
	sandbox_result_free(&res);
	pool_job_free(job);
}

/*
 * Finish a job on which the oracle failed on every attempt: the verdict
 * is "error", marked "oracle_error", so that it counts in n (nothing a
 * candidate does can take it out of the statistics) and reports can say
 * how many candidates it affected.  Then free it.
 */
static void
pool_job_oracle_error(struct pool_job *job, const char *why)
{
	struct sandbox_result res;
	char		 msg[400];

	snprintf(msg, sizeof(msg), "the oracle could not judge this "
	    "candidate (%u attempts on fresh workers): %s", job->attempts,
	    why);
	sandbox_result_make(&res, PROTO_VERDICT_ERROR, msg);
	res.oracle_error = true;
	job->done(&res, job->arg);
	sandbox_result_free(&res);
	pool_job_free(job);
}

void
pool_submit(struct pool *pool, const char *mode, const char *program,
    json_t *spec, const struct pool_limits *lim, pool_done_cb *done,
    void *arg)
{
	struct pool_job	*job = xcalloc(1, sizeof(*job));

	job->mode = xstrdup(mode);
	job->program = xstrdup(program);
	job->spec = json_incref(spec);
	job->cost_ms = pool->longest_first ? expected_cost(pool->expected,
	    spec) : -1;
	job->lim = *lim;
	job->done = done;
	job->arg = arg;
	TAILQ_INSERT_TAIL(&pool->queue, job, entry);
	pool->nqueued++;
	pool_dispatch(pool);
}

void
pool_expected_dir(struct pool *pool, int dirfd)
{
	expected_free(pool->expected);
	pool->expected = expected_new(dirfd);
}

void
pool_longest_first(struct pool *pool, bool on)
{
	pool->longest_first = on;
}

/* The time of spec's reference is known now: its queued jobs take it. */
static void
pool_costs(struct pool *pool, json_t *spec)
{
	struct pool_job	*job;
	int64_t		 ms;

	if (!pool->longest_first)
		return;
	ms = expected_cost(pool->expected, spec);
	TAILQ_FOREACH(job, &pool->queue, entry)
		if (job->spec == spec)
			job->cost_ms = ms;
}

/* The job a free worker takes next (still queued), or NULL. */
static struct pool_job *
pool_next(struct pool *pool)
{
	struct pool_job	*job, *best;

	best = TAILQ_FIRST(&pool->queue);
	if (pool->longest_first)
		TAILQ_FOREACH(job, &pool->queue, entry)
			if (job->cost_ms > best->cost_ms)
				best = job;
	return best;
}

size_t
pool_queued(const struct pool *pool)
{
	return pool->nqueued;
}

size_t
pool_running(const struct pool *pool)
{
	return pool->nrunning;
}

/* --- One worker --- */

static void
worker_write_cb(uv_write_t *req, int status)
{
	struct pool_write *w = (struct pool_write *)req;

	(void)status;			/* a dead pipe shows up as EOF/exit */
	free(w->buf);
	free(w);
}

/* Write a JSON object plus newline to a pipe; the object is borrowed. */
static int
worker_send(uv_pipe_t *pipe, json_t *obj)
{
	struct pool_write *w;
	uv_buf_t	 b;
	char		*s;
	size_t		 len;
	int		 r;

	if ((s = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII)) == NULL)
		return -ENOMEM;
	len = strlen(s);
	w = xmalloc(sizeof(*w));
	w->buf = xmalloc(len + 1);
	memcpy(w->buf, s, len);
	w->buf[len] = '\n';
	free(s);
	b = uv_buf_init(w->buf, (unsigned)len + 1);
	if ((r = uv_write(&w->req, (uv_stream_t *)pipe, &b, 1,
	    worker_write_cb)) < 0) {
		free(w->buf);
		free(w);
	}
	return r;
}

/*
 * Free a dead worker once its handles are closed and the broker reaped
 * its jail (or no one waits for that any more), then start its slot
 * again.
 */
static void
worker_maybe_free(struct worker *w)
{
	struct pool	*pool = w->pool;
	unsigned	 slot = w->slot;

	if (w->state != WORKER_DEAD || w->open_handles > 0)
		return;
	/* The slot's host uids are the old jail's until it is reaped. */
	if (!w->exited && !pool->closing && !pool->lost)
		return;
	pool->slots[slot] = NULL;
	json_decref(w->judge_spec);
	free(w->rbuf);
	free(w);
	if (pool_release(pool) || pool->closing || pool->lost)
		return;
	if (pool->start_fails[slot] >= POOL_MAX_START_FAILS)
		log_warnx("worker %u: helper keeps failing at start; slot "
		    "given up", slot);
	else
		worker_start(pool, slot);
	pool_dispatch(pool);
}

static void
worker_close_cb(uv_handle_t *h)
{
	struct worker	*w = h->data;

	if (--w->open_handles == 0)
		worker_maybe_free(w);
}

/* Close every handle of a worker (if it has them) and maybe free it. */
static void
worker_close(struct worker *w)
{
	uv_handle_t	*hs[] = {
		(uv_handle_t *)&w->zin, (uv_handle_t *)&w->zout,
		(uv_handle_t *)&w->jin, (uv_handle_t *)&w->backstop,
	};

	if (!w->piped) {
		worker_maybe_free(w);
		return;
	}
	for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++)
		if (!uv_is_closing(hs[i]))
			uv_close(hs[i], worker_close_cb);
}

/*
 * The jail is gone or unusable: have the broker kill its process
 * group, give its job another attempt (or end it "internal"; or hold
 * it, when the broker is lost), and close the worker.
 */
static void
worker_die(struct worker *w, const char *why)
{
	struct pool	*pool = w->pool;
	struct pool_job	*job = w->job;

	if (w->state == WORKER_DEAD)
		return;
	if (w->state == WORKER_SPAWNING || w->state == WORKER_STARTING)
		pool->start_fails[w->slot]++;
	w->state = WORKER_DEAD;
	if (pool->closing)
		log_debug("worker %u: %s", w->slot, why);
	else
		log_warnx("worker %u: %s", w->slot, why);
	if (w->jail != 0 && !w->exited && !pool->closing && !pool->lost &&
	    brokerc_kill(pool->bc, w->jail) < 0)
		pool_lost(pool, "cannot write to the jail broker");
	w->job = NULL;
	if (job != NULL && pool->lost)
		TAILQ_INSERT_TAIL(&pool->held, job, entry);
	else if (job != NULL) {
		pool->nrunning--;
		if (pool->closing)
			pool_job_internal(job, why);
		else if (job->attempts >= POOL_MAX_ATTEMPTS)
			pool_job_oracle_error(job, why);
		else {
			TAILQ_INSERT_HEAD(&pool->queue, job, entry);
			pool->nqueued++;
		}
	}
	worker_close(w);
}

static void
worker_backstop_cb(uv_timer_t *t)
{
	worker_die(t->data, "helper did not answer in time");
}

/* One line from the zygote. */
static void
worker_line(struct worker *w, const char *line, size_t len)
{
	struct pool	*pool = w->pool;
	struct pool_job	*job = w->job;
	struct sandbox_result r;
	json_error_t	 jerr;
	json_t		*res, *jid;
	char		 seq[32], why[300];

	if ((res = json_loadb(line, len, 0, &jerr)) == NULL ||
	    !json_is_object(res)) {
		json_decref(res);
		worker_die(w, "malformed line from helper");
		return;
	}
	if (json_is_string(json_object_get(res, "internal"))) {
		snprintf(why, sizeof(why), "%s",
		    json_string_value(json_object_get(res, "internal")));
		json_decref(res);
		worker_die(w, why);
		return;
	}
	if (json_is_true(json_object_get(res, "ready"))) {
		json_decref(res);
		if (w->state == WORKER_STARTING) {
			w->state = WORKER_IDLE;
			pool->start_fails[w->slot] = 0;
			pool_dispatch(pool);
		}
		return;
	}
	jid = json_object_get(res, "job");
	snprintf(seq, sizeof(seq), "%llu", job ? job->seq : 0ULL);
	if (job == NULL || !json_is_string(jid) ||
	    strcmp(json_string_value(jid), seq) != 0) {
		json_decref(res);
		worker_die(w, "result for a job that is not running");
		return;
	}
	if (sandbox_result_parse(res, &r, why, sizeof(why)) < 0) {
		json_decref(res);
		worker_die(w, why);
		return;
	}
	json_decref(res);
	if (r.expected != NULL && r.verdict != PROTO_VERDICT_INTERNAL) {
		expected_put(pool->expected, job->spec, r.expected,
		    r.expected_ms);
		r.expected = NULL;
		pool_costs(pool, job->spec);
	}
	if (r.verdict == PROTO_VERDICT_INTERNAL) {
		/* The oracle's own fault: this helper is not trusted for
		 * another job, and this one runs again on a fresh helper. */
		snprintf(why, sizeof(why), "%s", r.message[0] != '\0' ?
		    r.message : "internal");
		sandbox_result_free(&r);
		worker_die(w, why);
		return;
	}
	uv_timer_stop(&w->backstop);
	w->job = NULL;
	w->state = WORKER_IDLE;
	pool->nrunning--;
	job->done(&r, job->arg);
	sandbox_result_free(&r);
	pool_job_free(job);
	pool_dispatch(pool);
}

static void
worker_alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct worker	*w = h->data;

	(void)hint;
	if (w->rcap - w->rlen < 65536) {
		w->rcap = w->rcap ? w->rcap * 2 : 131072;
		w->rbuf = xreallocarray(w->rbuf, 1, w->rcap);
	}
	*buf = uv_buf_init(w->rbuf + w->rlen, (unsigned)(w->rcap - w->rlen));
}

static void
worker_read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct worker	*w = s->data;
	char		*nl;
	size_t		 off = 0;

	(void)buf;
	if (n < 0) {
		worker_die(w, n == UV_EOF ? "helper closed its result pipe" :
		    uv_strerror((int)n));
		return;
	}
	w->rlen += (size_t)n;
	while (w->state != WORKER_DEAD &&
	    (nl = memchr(w->rbuf + off, '\n', w->rlen - off)) != NULL) {
		size_t len = (size_t)(nl - (w->rbuf + off));

		worker_line(w, w->rbuf + off, len);
		off += len + 1;
	}
	if (w->state == WORKER_DEAD)
		return;
	memmove(w->rbuf, w->rbuf + off, w->rlen - off);
	w->rlen -= off;
	if (w->rlen > POOL_MAX_LINE)
		worker_die(w, "result line too long");
}

/* Ask the broker for a jail for one slot. */
static void
worker_start(struct pool *pool, unsigned slot)
{
	struct worker	*w = xcalloc(1, sizeof(*w));
	int		 r;

	w->pool = pool;
	w->slot = slot;
	w->state = WORKER_SPAWNING;
	pool->slots[slot] = w;
	pool->live++;
	if ((r = brokerc_spawn(pool->bc, slot)) < 0)
		pool_lost(pool, strerror(-r));
}

/* BROKER_SPAWNED: the slot's jail, with its pipes in fds (owned). */
static void
worker_spawned(struct pool *pool, const struct broker_rep *rep,
    const int fds[BROKER_NFDS])
{
	struct worker	*w = rep->slot < pool->workers ?
			    pool->slots[rep->slot] : NULL;
	uv_pipe_t	*pipes[BROKER_NFDS];
	int		 i, r = 0;

	if (w == NULL || w->state != WORKER_SPAWNING || rep->jail == 0) {
		for (i = 0; i < BROKER_NFDS; i++)
			close(fds[i]);
		pool_lost(pool, "the jail broker made a jail no one asked for");
		return;
	}
	w->jail = rep->jail;
	w->state = WORKER_STARTING;
	w->piped = true;
	w->open_handles = 4;
	pipes[0] = &w->zin;
	pipes[1] = &w->zout;
	pipes[2] = &w->jin;
	uv_timer_init(pool->loop, &w->backstop);
	w->backstop.data = w;
	/* In the order of BROKER_SPAWNED; a handle owns its fd once open. */
	for (i = 0; i < BROKER_NFDS; i++) {
		uv_pipe_init(pool->loop, pipes[i], 0);
		pipes[i]->data = w;
		if (r == 0 && (r = uv_pipe_open(pipes[i], fds[i])) == 0)
			continue;
		close(fds[i]);
	}
	if (r == 0)
		r = uv_read_start((uv_stream_t *)&w->zout, worker_alloc_cb,
		    worker_read_cb);
	if (r < 0) {
		worker_die(w, uv_strerror(r));
		return;
	}
	log_debug("worker %u: jail %llu", w->slot,
	    (unsigned long long)w->jail);
}

/* BROKER_FAILED: no jail for the slot. */
static void
worker_failed(struct pool *pool, const struct broker_rep *rep)
{
	struct worker	*w = rep->slot < pool->workers ?
			    pool->slots[rep->slot] : NULL;
	char		 why[BROKER_TEXT_LEN + 32];

	if (w == NULL || w->state != WORKER_SPAWNING) {
		pool_lost(pool, "the jail broker failed a jail no one asked "
		    "for");
		return;
	}
	w->exited = true;		/* no jail to wait for */
	snprintf(why, sizeof(why), "no jail: %s", rep->text);
	worker_die(w, why);
}

/* BROKER_EXITED: a jail was reaped; its slot may start again. */
static void
worker_exited(struct pool *pool, const struct broker_rep *rep)
{
	struct worker	*w = rep->slot < pool->workers ?
			    pool->slots[rep->slot] : NULL;
	char		 why[96];

	/* A jail of a worker already freed (the pool is closing). */
	if (w == NULL || w->jail != rep->jail)
		return;
	w->exited = true;
	if (w->state == WORKER_DEAD) {
		worker_maybe_free(w);
		return;
	}
	snprintf(why, sizeof(why), "helper exited (status %d, signal %d)",
	    (int)rep->status, (int)rep->signo);
	worker_die(w, why);
}

/* --- The broker --- */

static void
pool_lost_timer_cb(uv_timer_t *t)
{
	struct pool	*pool = t->data;

	pool->lost_cb(pool->lost_arg, pool->lost_why);
}

/*
 * The broker is gone or broke broker.h: close every worker (their jails
 * die with the broker), hold the running jobs, start nothing more, and
 * tell the owner from the loop.
 */
static void
pool_lost(struct pool *pool, const char *why)
{
	if (pool->lost || pool->closing)
		return;
	pool->lost = true;
	pool->lost_why = xstrdup(why);
	log_warnx("jail broker lost: %s", why);
	uv_poll_stop(&pool->bpoll);
	for (unsigned i = 0; i < pool->workers; i++)
		if (pool->slots[i] != NULL)
			worker_die(pool->slots[i], "the jail broker is gone");
	uv_timer_start(&pool->closer, pool_lost_timer_cb, 0, 0);
}

/* Messages from the broker: replies to our requests, and EXITED. */
static void
pool_broker_cb(uv_poll_t *h, int status, int events)
{
	struct pool	*pool = h->data;
	struct broker_rep rep;
	int		 fds[BROKER_NFDS], r = 0;
	char		 why[BROKER_TEXT_LEN + 64];

	(void)events;
	if (status < 0) {
		pool_lost(pool, uv_strerror(status));
		return;
	}
	while (!pool->lost && !pool->closing &&
	    (r = brokerc_recv(pool->bc, &rep, fds, 0)) == 1) {
		switch (rep.type) {
		case BROKER_SPAWNED:
			worker_spawned(pool, &rep, fds);
			break;
		case BROKER_FAILED:
			worker_failed(pool, &rep);
			break;
		case BROKER_EXITED:
			worker_exited(pool, &rep);
			break;
		default:
			snprintf(why, sizeof(why), "unexpected message %u "
			    "(%s)", rep.type, rep.text);
			pool_lost(pool, why);
			break;
		}
	}
	if (r == -EPIPE)
		pool_lost(pool, "the jail broker exited or was killed");
	else if (r == -EPROTO)
		pool_lost(pool, "a malformed message from the jail broker");
	else if (r < 0)
		pool_lost(pool, strerror(-r));
}

/* --- Dispatch --- */

/*
 * Send a job to an idle worker: the judge's spec first, then the job.
 *
 * A judge keeps the spec of its last job, prepared (for EvalPlus, with
 * the reference's outputs, kept or not): a job of the same problem as
 * the worker's last one is sent as {"same": <that job's seq>} in place
 * of the spec and its expected outputs, so that a problem's samples,
 * as they come, are parsed and prepared once per worker.  A worker
 * whose job ended "internal" is never used again, so the judge holds
 * what the pool thinks it holds; it checks the seq all the same, and a
 * mismatch ends the job "internal" (run again on a fresh worker).
 */
static void
worker_run(struct worker *w, struct pool_job *job)
{
	struct pool	*pool = w->pool;
	json_t		*zjob, *jjob;
	const char	*expected;
	char		 seq[32], same[32];
	uint64_t	 backstop;
	int		 r1, r2;

	job->seq = ++pool->next_seq;
	job->attempts++;
	snprintf(seq, sizeof(seq), "%llu", job->seq);
	jjob = json_pack("{s:s, s:I, s:I}", "job", seq,
	    "wall_ms", (json_int_t)job->lim.wall_ms,
	    "test_ms", (json_int_t)job->lim.test_ms);
	if (w->judge_spec == job->spec) {
		snprintf(same, sizeof(same), "%llu", w->judge_seq);
		json_object_set_new(jjob, "same", json_string(same));
	} else {
		json_object_set(jjob, "spec", job->spec);
		expected = expected_get(pool->expected, job->spec);
		if (expected != NULL)
			json_object_set_new(jjob, "expected",
			    json_string(expected));
		json_decref(w->judge_spec);
		w->judge_spec = json_incref(job->spec);
		w->judge_seq = job->seq;
	}
	zjob = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
	    "job", seq, "mode", job->mode, "program", job->program,
	    "wall_ms", (json_int_t)job->lim.wall_ms,
	    "cpu_ms", (json_int_t)job->lim.cpu_ms,
	    "test_ms", (json_int_t)job->lim.test_ms,
	    "mem_mb", (json_int_t)job->lim.mem_mb,
	    "nproc", (json_int_t)job->lim.nproc,
	    "fsize_kb", (json_int_t)job->lim.fsize_kb,
	    "out_kb", (json_int_t)job->lim.out_kb);
	w->job = job;
	w->state = WORKER_BUSY;
	pool->nrunning++;
	r1 = worker_send(&w->jin, jjob);
	r2 = worker_send(&w->zin, zjob);
	json_decref(jjob);
	json_decref(zjob);
	if (r1 < 0 || r2 < 0) {
		worker_die(w, "cannot write to helper");
		return;
	}
	backstop = (uint64_t)job->lim.wall_ms + POOL_BACKSTOP_GRACE_MS;
	uv_timer_start(&w->backstop, worker_backstop_cb, backstop, 0);
}

static void
pool_dispatch(struct pool *pool)
{
	struct pool_job	*job;
	bool		 any_alive = false;

	if (pool->closing || pool->lost)
		return;
	for (unsigned i = 0; i < pool->workers; i++) {
		struct worker *w = pool->slots[i];

		if (pool->start_fails[i] < POOL_MAX_START_FAILS)
			any_alive = true;
		if (w == NULL || w->state != WORKER_IDLE)
			continue;
		if ((job = pool_next(pool)) == NULL)
			return;
		TAILQ_REMOVE(&pool->queue, job, entry);
		pool->nqueued--;
		worker_run(w, job);
		if (pool->closing)
			return;
	}
	if (any_alive)
		return;
	/* No helper can start: fail closed, every job is "internal".
	 * A callback may close the pool; then the queue is already empty. */
	while (!pool->closing && (job = TAILQ_FIRST(&pool->queue)) != NULL) {
		TAILQ_REMOVE(&pool->queue, job, entry);
		pool->nqueued--;
		pool_job_internal(job, "no sandbox worker can start");
	}
}

/* --- The pool --- */

int
pool_new(uv_loop_t *loop, struct brokerc *bc, pool_lost_cb *lost, void *arg,
    struct pool **pp)
{
	struct pool	*pool;
	int		 r;

	pool = xcalloc(1, sizeof(*pool));
	if ((r = uv_poll_init(loop, &pool->bpoll, brokerc_fd(bc))) < 0) {
		brokerc_close(bc);
		free(pool);
		return r;
	}
	pool->loop = loop;
	pool->bc = bc;
	pool->workers = brokerc_workers(bc);
	pool->lost_cb = lost;
	pool->lost_arg = arg;
	pool->slots = xcalloc(pool->workers, sizeof(*pool->slots));
	pool->start_fails = xcalloc(pool->workers,
	    sizeof(*pool->start_fails));
	TAILQ_INIT(&pool->queue);
	TAILQ_INIT(&pool->held);
	pool->expected = expected_new(-1);
	uv_timer_init(loop, &pool->closer);
	pool->closer.data = pool->bpoll.data = pool;
	pool->live = 2;
	uv_poll_start(&pool->bpoll, UV_READABLE | UV_DISCONNECT,
	    pool_broker_cb);
	for (unsigned i = 0; i < pool->workers && !pool->lost; i++)
		worker_start(pool, i);
	*pp = pool;
	return 0;
}

void
pool_close(struct pool *pool, void (*closed)(void *), void *arg)
{
	struct pool_job	*job;

	pool->closing = true;
	pool->closed = closed;
	pool->closed_arg = arg;
	while ((job = TAILQ_FIRST(&pool->queue)) != NULL) {
		TAILQ_REMOVE(&pool->queue, job, entry);
		pool_job_free(job);
	}
	pool->nqueued = 0;
	for (unsigned i = 0; i < pool->workers; i++) {
		struct worker *w = pool->slots[i];

		/* One dead already may be waiting for the broker to reap its
		 * jail, which the closed broker socket will never say: it is
		 * freed now (or when its handles are closed). */
		if (w != NULL && w->state == WORKER_DEAD)
			worker_maybe_free(w);
		else if (w != NULL)
			worker_die(w, "pool closed");
	}
	while ((job = TAILQ_FIRST(&pool->held)) != NULL) {
		TAILQ_REMOVE(&pool->held, job, entry);
		pool->nrunning--;
		pool_job_internal(job, "the jail broker was lost");
	}
	uv_close((uv_handle_t *)&pool->bpoll, pool_closer_cb);
	uv_close((uv_handle_t *)&pool->closer, pool_closer_cb);
}
