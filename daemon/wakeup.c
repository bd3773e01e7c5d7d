/*
 * wakeup.c - notes from the other nodes, on the loop.  See wakeup.h.
 *
 * State: the listening store connection, a uv_poll_t on its socket
 * (made again after each reconnection: the socket changes) and a timer
 * for the reconnections.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/wakeup.h"

#define WAKEUP_RETRY_MS		1000	/* the first reconnection's delay */
#define WAKEUP_RETRY_MAX_MS	8000	/* the backoff's ceiling */

struct wakeup {
	uv_loop_t	*loop;
	struct store	*st;		/* the listening connection */
	char		*name;		/* the database, for the log */
	store_note_cb	*cb;
	void		*arg;
	uv_poll_t	*poll;		/* NULL while disconnected */
	uv_timer_t	 retry;
	uint64_t	 retry_ms;	/* the next reconnection's delay */
	bool		 lost;		/* logged the loss */
	bool		 closing;
	unsigned	 nclosing;	/* handles still to close */
};

static void	 wakeup_retry_cb(uv_timer_t *);

static void
wakeup_free(struct wakeup *w)
{
	store_close(w->st);
	free(w->name);
	free(w);
}

static void
wakeup_closed_cb(uv_handle_t *h)
{
	struct wakeup	*w = h->data;

	if (h != (uv_handle_t *)&w->retry)
		free(h);
	if (--w->nclosing == 0 && w->closing)
		wakeup_free(w);
}

/* Close the poll handle of a connection that is gone or going. */
static void
wakeup_unpoll(struct wakeup *w)
{
	if (w->poll == NULL)
		return;
	uv_poll_stop(w->poll);
	w->nclosing++;
	uv_close((uv_handle_t *)w->poll, wakeup_closed_cb);
	w->poll = NULL;
}

/* The connection is lost: poll no more, connect again later. */
static void
wakeup_lost(struct wakeup *w)
{
	wakeup_unpoll(w);
	if (!w->lost) {
		log_warnx("wakeup: %s: the listening connection is lost; "
		    "connecting again", w->name);
		w->retry_ms = WAKEUP_RETRY_MS;
	}
	w->lost = true;
	/* A connection attempt blocks the loop (up to libpq's
	 * connect_timeout when the host does not answer): back off. */
	uv_timer_start(&w->retry, wakeup_retry_cb, w->retry_ms, 0);
	w->retry_ms = w->retry_ms * 2 < WAKEUP_RETRY_MAX_MS ?
	    w->retry_ms * 2 : WAKEUP_RETRY_MAX_MS;
}

static void
wakeup_poll_cb(uv_poll_t *p, int status, int events)
{
	struct wakeup	*w = p->data;

	(void)events;
	if (status < 0 || store_notes(w->st, w->cb, w->arg) < 0)
		wakeup_lost(w);
}

/*
 * After a reconnection: notes may have been lost meanwhile, so tell the
 * runs that have queued jobs now.
 */
static void
wakeup_resync(struct wakeup *w)
{
	int64_t		*runs = NULL;
	size_t		 n = 0;

	if (store_queued_runs(w->st, &runs, &n) == 0 && n > 0)
		w->cb(STORE_NOTE_QUEUED, runs, n, w->arg);
	free(runs);
}

/*
 * Poll the listening connection's socket "fd".  Returns true, or false
 * when it cannot (then treated as a lost connection).
 */
static bool
wakeup_poll(struct wakeup *w, int fd)
{
	w->poll = xcalloc(1, sizeof(*w->poll));
	w->poll->data = w;
	if (uv_poll_init(w->loop, w->poll, fd) < 0) {
		free(w->poll);
		w->poll = NULL;
		wakeup_lost(w);
		return false;
	}
	uv_poll_start(w->poll, UV_READABLE, wakeup_poll_cb);
	return true;
}

/* LISTEN again and poll the connection's new socket. */
static void
wakeup_retry_cb(uv_timer_t *t)
{
	struct wakeup	*w = t->data;
	int		 fd;

	if (w->closing)
		return;
	if (store_listen(w->st, &fd) < 0) {
		wakeup_lost(w);
		return;
	}
	if (!wakeup_poll(w, fd))
		return;
	if (w->lost) {
		log_info("wakeup: %s: listening again", w->name);
		w->lost = false;
		wakeup_resync(w);
	}
}

int
wakeup_start(uv_loop_t *loop, const char *target, const char *name,
    store_note_cb *cb, void *arg, struct wakeup **wp)
{
	struct wakeup	*w;
	struct store	*st;
	char		 err[512];
	int		 fd, r;

	*wp = NULL;
	if ((r = store_open(target, &st, err, sizeof(err))) < 0) {
		log_warnx("wakeup: %s", err);
		return r;
	}
	if ((r = store_listen(st, &fd)) < 0) {
		if (r != -ENOTSUP)
			log_warnx("wakeup: %s: cannot listen", name);
		store_close(st);
		return r;
	}
	w = xcalloc(1, sizeof(*w));
	w->loop = loop;
	w->st = st;
	w->name = xstrdup(name);
	w->cb = cb;
	w->arg = arg;
	uv_timer_init(loop, &w->retry);
	w->retry.data = w;
	(void)wakeup_poll(w, fd);
	*wp = w;
	return 0;
}

void
wakeup_close(struct wakeup *w)
{
	if (w == NULL)
		return;
	w->closing = true;
	wakeup_unpoll(w);
	uv_timer_stop(&w->retry);
	w->nclosing++;
	uv_close((uv_handle_t *)&w->retry, wakeup_closed_cb);
}
