/*
 * http.h - verdictd's HTTP server: libmicrohttpd glue.
 *
 * Why libmicrohttpd's own threads and not the libuv loop: answering a
 * request may commit to SQLite (an fsync: milliseconds) or read a run
 * of a million rows (a report: hundreds of milliseconds).  On the loop
 * that would stall the jail pool and every other client; on a small
 * pool of HTTP threads (epoll, one SQLite connection each) it runs
 * beside the jail and beside other requests.  The loop keeps the pool
 * and the scheduler; the two sides meet in daemon/service.h.
 *
 * This module owns the request life: the body (capped at max_body:
 * 413; all bodies at once at 4 * max_body: 503), bearer-token auth (401; /v1/health is open), long-poll
 * suspension (of requests, and of streams that follow: the count of
 * those too), and replies, all JSON errors shaped
 * {"error": {"code", "message", ...}}.  Routing is the handler's job
 * (api/v1.c).  Reply functions return an MHD_Result for the handler to
 * return.
 */
#ifndef API_HTTP_H
#define API_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>
#include <microhttpd.h>

#include "daemon/service.h"

struct http;				/* opaque */

/* One request, as the handler sees it.  Fields are the interface. */
struct http_req {
	struct http	*http;
	struct service	*svc;
	const struct config *cfg;	/* the config when the request came:
					   one snapshot for its whole life */
	struct MHD_Connection *conn;
	const char	*method;	/* "GET", "POST", ... */
	const char	*path;		/* decoded, without the query */
	const char	*content_type;	/* or NULL */
	char		*body;		/* NUL-terminated; len bytes */
	size_t		 len;
	uint64_t	 deadline_ms;	/* long poll: 0 until http_wait() */
	void		*state;		/* the handler's, kept across the calls
					   of a long poll; freed with
					   state_free() when the request
					   ends */
	void		(*state_free)(void *);
	const char	*allow;		/* the Allow header of a 405: the
					   methods of the path (borrowed until
					   the reply is queued) */
	/* Private to http.c. */
	uint64_t	 t0_us;		/* when it came (monotonic) */
	size_t		 cap;		/* max_body */
	size_t		 counted;	/* body bytes in the budget */
	bool		 too_big, busy, started, suspended;
	bool		 nomem;		/* the body did not fit in memory */
	int64_t		 wait_job;
	struct http_req	*wprev, *wnext;	/* in the waiters list */
};

/* Handle a complete request: reply with one of the http_reply_*(). */
typedef enum MHD_Result http_handler(struct http_req *);

struct http_opts {
	const char	*host;		/* address or name to listen on */
	uint16_t	 port;		/* 0: any free port */
	unsigned	 threads;
	unsigned	 max_connections;
	unsigned	 timeout_s;	/* idle or slow connections */
};

/*
 * Start serving on its own threads.  Returns 0, a new server in *hp and
 * the bound port in *port, or a negative errno with the reason in
 * errbuf (an address that does not resolve, a port in use).
 */
int	 http_start(const struct http_opts *, struct service *,
	    http_handler *, struct http **hp, uint16_t *port, char *errbuf,
	    size_t errlen);

/* Reply with a JSON body (stolen) and this status. */
enum MHD_Result http_reply_json(struct http_req *, unsigned status,
	    json_t *body);

/*
 * Reply with {"error": {"code": code, "message": ...}} plus the members
 * of "extra" (stolen, may be NULL) in the error object.
 * "retry_after" > 0 adds a Retry-After header (seconds).
 */
enum MHD_Result http_reply_error(struct http_req *, unsigned status,
	    const char *code, json_t *extra, unsigned retry_after,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Reply with text (stolen, malloc'd) of this content type. */
enum MHD_Result http_reply_text(struct http_req *, unsigned status,
	    const char *content_type, char *text);

/*
 * Reply with a chunked body produced by "reader" (libmicrohttpd's
 * content reader callback, run on this connection's thread); "free_cb"
 * frees "cls" when the response is done.
 */
enum MHD_Result http_reply_stream(struct http_req *, const char *content_type,
	    MHD_ContentReaderCallback reader, void *cls,
	    MHD_ContentReaderFreeCallback free_cb);

/* A query argument of the request, or NULL. */
const char *http_arg(struct http_req *, const char *key);

/*
 * The number of http_wake() calls so far, or with "any" the number of
 * http_tick() calls that followed some (see HTTP_WAIT_ANY).  A handler
 * reads it before it looks at a job's state (or a feed) and passes it
 * to http_wait(), so that a wake between the two is not missed.
 */
uint64_t http_wake_gen(struct http *, bool any);

/*
 * http_wait()'s job for a feed follower: woken by any http_wake(), not
 * at once but by the next http_tick(), so that however many verdicts
 * land, a follower looks again at most once a tick.
 */
#define HTTP_WAIT_ANY		(-1)

/*
 * Long poll: suspend the request until job "job" (or, HTTP_WAIT_ANY,
 * any job) is woken or the clock passes "deadline_ms" (uv_hrtime
 * milliseconds), then call the handler again, or the content reader of
 * a stream when it is one that waits.  Returns true when suspended (the
 * handler returns MHD_YES; a content reader returns 0), or false when a
 * wake happened since "gen" (http_wake_gen() of the same kind: look
 * again now).
 */
bool	 http_wait(struct http_req *, int64_t job, uint64_t deadline_ms,
	    uint64_t gen);

/*
 * Count one more stream that follows (GET /v1/runs/{run}/feed?follow=1)
 * if fewer than "max" do now.  Returns true when counted; give it back
 * with http_follow_end() when the stream is freed.  Any thread.
 */
bool	 http_follow_begin(struct http *, unsigned max);
void	 http_follow_end(struct http *);

/* Monotonic milliseconds, the clock of deadlines. */
uint64_t http_now_ms(void);

/*
 * Resume long polls waiting on jobs[0..n-1], and at the next
 * http_tick() those waiting on any (HTTP_WAIT_ANY; n may be 0).  Any
 * thread.
 */
void	 http_wake(struct http *, const int64_t *jobs, size_t n);

/*
 * Resume every long poll and follower now, whatever it waits on (a run
 * deleted: its candidates' polls answer 404 at once).  Any thread.
 */
void	 http_wake_all(struct http *);

/*
 * Resume long polls whose deadline passed, and the feed followers
 * (HTTP_WAIT_ANY) when a wake came since the last tick.  Call it every
 * 100 ms or so: the followers' latency.
 */
void	 http_tick(struct http *);

/* How long http_stop() waits for followers to end their streams. */
#define HTTP_STOP_FOLLOWS_MS	2000

/*
 * Resume every long poll, wait up to HTTP_STOP_FOLLOWS_MS for the
 * followers (http_follow_begin()) to end their streams, close every
 * connection, join the threads and free the server.
 */
void	 http_stop(struct http *);

#endif /* API_HTTP_H */
