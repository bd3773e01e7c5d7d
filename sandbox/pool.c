/*
 * pool.c - a pool of verdict-jail helpers driven from the libuv loop.
 * See pool.h for the contract.
 *
 * Sections: jobs and queue, one worker (spawn, read, write, death),
 * dispatch, the pool.
 *
 * A worker owns five handles (process, three pipes, a timer).  It is
 * dead once the helper exited OR its result pipe reached EOF OR its
 * backstop fired; its memory goes away only in the last close callback
 * (libuv's close rule), after which the slot is restarted.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/queue.h>

#include "common/log.h"
#include "common/xmalloc.h"
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
};
TAILQ_HEAD(pool_jobq, pool_job);

enum worker_state {
	WORKER_STARTING,		/* spawned, waiting for "ready" */
	WORKER_IDLE,
	WORKER_BUSY,
	WORKER_DEAD,			/* closing its handles */
};

struct worker {
	struct pool	*pool;
	unsigned	 slot;
	enum worker_state state;
	uv_process_t	 proc;
	uv_pipe_t	 zin;		/* jobs to the zygote (fd 0) */
	uv_pipe_t	 zout;		/* results from the zygote (fd 1) */
	uv_pipe_t	 jin;		/* specs to the judge (fd 3) */
	uv_timer_t	 backstop;
	int		 open_handles;	/* closed in worker_close_cb */
	char		*rbuf;		/* partial result line */
	size_t		 rlen, rcap;
	struct pool_job	*job;		/* running job, or NULL */
};

struct pool {
	uv_loop_t	*loop;
	struct pool_opts opts;
	char		*jail_path;
	struct worker	**slots;	/* NULL while a slot restarts */
	unsigned	*start_fails;	/* per slot */
	struct pool_jobq queue;
	size_t		 nqueued, nrunning;
	unsigned long long next_seq;
	bool		 closing;
	unsigned	 live;		/* handles holding the pool: workers
					   not yet freed, plus "closer" */
	uv_timer_t	 closer;	/* closed last; frees the pool */
	void		(*closed)(void *);
	void		*closed_arg;
};

struct pool_write {
	uv_write_t	 req;
	char		*buf;		/* freed when the write completes */
};

static void	 pool_dispatch(struct pool *);
static int	 worker_start(struct pool *, unsigned slot);
static void	 worker_die(struct worker *, const char *why);

/*
 * Drop one hold on the pool; the last one frees it and calls the close
 * callback.  Only ever called from a close callback, so the pool never
 * goes away under a running callback.  Returns true if it was freed.
 */
static bool
pool_release(struct pool *pool)
{
	void	(*closed)(void *) = pool->closed;
	void	*arg = pool->closed_arg;

	if (--pool->live > 0)
		return false;
	free(pool->slots);
	free(pool->start_fails);
	free(pool->jail_path);
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
	json_t	*res;

	res = json_pack("{s:s, s:s, s:[]}", "verdict", "internal",
	    "message", message, "tests");
	job->done(res, job->arg);
	json_decref(res);
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
	json_t	*res;
	char	 msg[400];

	snprintf(msg, sizeof(msg), "the oracle could not judge this "
	    "candidate (%u attempts on fresh workers): %s", job->attempts,
	    why);
	res = json_pack("{s:s, s:s, s:[], s:b}", "verdict", "error",
	    "message", msg, "tests", "oracle_error", 1);
	job->done(res, job->arg);
	json_decref(res);
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
	job->lim = *lim;
	job->done = done;
	job->arg = arg;
	TAILQ_INSERT_TAIL(&pool->queue, job, entry);
	pool->nqueued++;
	pool_dispatch(pool);
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

static void
worker_close_cb(uv_handle_t *h)
{
	struct worker	*w = h->data;
	struct pool	*pool = w->pool;
	unsigned	 slot = w->slot;

	if (--w->open_handles > 0)
		return;
	free(w->rbuf);
	free(w);
	if (pool_release(pool))
		return;
	if (pool->closing)
		return;
	if (pool->start_fails[slot] >= POOL_MAX_START_FAILS) {
		log_warnx("worker %u: helper keeps failing at start; slot "
		    "given up", slot);
		pool_dispatch(pool);
		return;
	}
	if (worker_start(pool, slot) < 0)
		pool->start_fails[slot] = POOL_MAX_START_FAILS;
	pool_dispatch(pool);
}

/* Close every handle of a worker; the last close frees it. */
static void
worker_close(struct worker *w)
{
	uv_handle_t	*hs[] = {
		(uv_handle_t *)&w->proc, (uv_handle_t *)&w->zin,
		(uv_handle_t *)&w->zout, (uv_handle_t *)&w->jin,
		(uv_handle_t *)&w->backstop,
	};

	for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++)
		if (!uv_is_closing(hs[i]))
			uv_close(hs[i], worker_close_cb);
}

/*
 * The helper is gone or unusable: kill its process group, give its
 * job another attempt (or end it "internal"), and close the worker.
 */
static void
worker_die(struct worker *w, const char *why)
{
	struct pool	*pool = w->pool;
	struct pool_job	*job = w->job;

	if (w->state == WORKER_DEAD)
		return;
	if (w->state == WORKER_STARTING)
		pool->start_fails[w->slot]++;
	w->state = WORKER_DEAD;
	pool->slots[w->slot] = NULL;
	if (w->proc.pid > 0)
		kill(-w->proc.pid, SIGKILL);
	if (pool->closing)
		log_debug("worker %u: %s", w->slot, why);
	else
		log_warnx("worker %u: %s", w->slot, why);
	w->job = NULL;
	if (job != NULL) {
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
worker_exit_cb(uv_process_t *proc, int64_t status, int signo)
{
	struct worker	*w = proc->data;
	char		 why[96];

	snprintf(why, sizeof(why), "helper exited (status %lld, signal %d)",
	    (long long)status, signo);
	worker_die(w, why);
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
	if (strcmp(json_string_value(json_object_get(res, "verdict")) ?
	    json_string_value(json_object_get(res, "verdict")) : "",
	    "internal") == 0) {
		/* The oracle's own fault: this helper is not trusted for
		 * another job, and this one runs again on a fresh helper. */
		snprintf(why, sizeof(why), "%s", json_string_value(
		    json_object_get(res, "message")) ? json_string_value(
		    json_object_get(res, "message")) : "internal");
		json_decref(res);
		worker_die(w, why);
		return;
	}
	uv_timer_stop(&w->backstop);
	w->job = NULL;
	w->state = WORKER_IDLE;
	pool->nrunning--;
	json_object_del(res, "job");
	job->done(res, job->arg);
	json_decref(res);
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

/* Spawn the helper for one slot; returns 0 or a libuv error. */
static int
worker_start(struct pool *pool, unsigned slot)
{
	struct worker		*w = xcalloc(1, sizeof(*w));
	uv_process_options_t	 po;
	uv_stdio_container_t	 stdio[4];
	char			 base[32], scratch[32];
	char			 a_uid[] = "--uid-base", a_scr[] = "--scratch-mb";
	char			*args[6];
	int			 r;

	w->pool = pool;
	w->slot = slot;
	w->state = WORKER_STARTING;
	uv_pipe_init(pool->loop, &w->zin, 0);
	uv_pipe_init(pool->loop, &w->zout, 0);
	uv_pipe_init(pool->loop, &w->jin, 0);
	uv_timer_init(pool->loop, &w->backstop);
	w->zin.data = w->zout.data = w->jin.data = w->backstop.data = w;
	w->proc.data = w;
	w->open_handles = 4;
	pool->live++;

	snprintf(base, sizeof(base), "%lu",
	    (unsigned long)pool->opts.uid_base + 4UL * slot);
	snprintf(scratch, sizeof(scratch), "%u", pool->opts.scratch_mb);
	args[0] = pool->jail_path;
	args[1] = a_uid;
	args[2] = base;
	args[3] = a_scr;
	args[4] = scratch;
	args[5] = NULL;

	memset(stdio, 0, sizeof(stdio));
	stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
	stdio[0].data.stream = (uv_stream_t *)&w->zin;
	stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[1].data.stream = (uv_stream_t *)&w->zout;
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = 2;
	stdio[3].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
	stdio[3].data.stream = (uv_stream_t *)&w->jin;

	memset(&po, 0, sizeof(po));
	po.file = pool->jail_path;
	po.args = args;
	po.stdio = stdio;
	po.stdio_count = 4;
	po.exit_cb = worker_exit_cb;
	/* Its own process group, so a kill reaches the whole helper. */
	po.flags = UV_PROCESS_DETACHED;

	if ((r = uv_spawn(pool->loop, &w->proc, &po)) < 0) {
		log_warnx("worker %u: cannot start %s: %s", slot,
		    pool->jail_path, uv_strerror(r));
		w->state = WORKER_DEAD;
		/* The process handle must be closed even after a failure. */
		w->open_handles++;
		worker_close(w);
		return r;
	}
	w->open_handles++;
	pool->slots[slot] = w;
	if ((r = uv_read_start((uv_stream_t *)&w->zout, worker_alloc_cb,
	    worker_read_cb)) < 0)
		worker_die(w, uv_strerror(r));
	log_debug("worker %u: helper pid %d", slot, w->proc.pid);
	return 0;
}

/* --- Dispatch --- */

/* Send a job to an idle worker: the judge's spec first, then the job. */
static void
worker_run(struct worker *w, struct pool_job *job)
{
	struct pool	*pool = w->pool;
	json_t		*zjob, *jjob;
	char		 seq[32];
	uint64_t	 backstop;
	int		 r1, r2;

	job->seq = ++pool->next_seq;
	job->attempts++;
	snprintf(seq, sizeof(seq), "%llu", job->seq);
	jjob = json_pack("{s:s, s:I, s:I, s:O}", "job", seq,
	    "wall_ms", (json_int_t)job->lim.wall_ms,
	    "test_ms", (json_int_t)job->lim.test_ms, "spec", job->spec);
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

	if (pool->closing)
		return;
	for (unsigned i = 0; i < pool->opts.workers; i++) {
		struct worker *w = pool->slots[i];

		if (pool->start_fails[i] < POOL_MAX_START_FAILS)
			any_alive = true;
		if (w == NULL || w->state != WORKER_IDLE)
			continue;
		if ((job = TAILQ_FIRST(&pool->queue)) == NULL)
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
pool_new(uv_loop_t *loop, const struct pool_opts *opts, struct pool **pp)
{
	struct pool	*pool;

	if (opts->workers == 0 || opts->jail_path == NULL)
		return -EINVAL;
	if (access(opts->jail_path, X_OK) < 0)
		return -errno;
	pool = xcalloc(1, sizeof(*pool));
	pool->loop = loop;
	pool->opts = *opts;
	pool->jail_path = xstrdup(opts->jail_path);
	pool->opts.jail_path = pool->jail_path;
	pool->slots = xcalloc(opts->workers, sizeof(*pool->slots));
	pool->start_fails = xcalloc(opts->workers,
	    sizeof(*pool->start_fails));
	TAILQ_INIT(&pool->queue);
	uv_timer_init(loop, &pool->closer);
	pool->closer.data = pool;
	pool->live = 1;
	/* A slot that cannot spawn is restarted by its close callback
	 * and given up after POOL_MAX_START_FAILS tries. */
	for (unsigned i = 0; i < opts->workers; i++)
		(void)worker_start(pool, i);
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
	for (unsigned i = 0; i < pool->opts.workers; i++)
		if (pool->slots[i] != NULL)
			worker_die(pool->slots[i], "pool closed");
	uv_close((uv_handle_t *)&pool->closer, pool_closer_cb);
}
