/*
 * http.c - libmicrohttpd glue: request life, auth, replies, long polls.
 * See http.h.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "api/http.h"
#include "common/log.h"
#include "common/xmalloc.h"

/* All bodies being received at once may hold this many max_body. */
#define HTTP_BODY_BUDGET	4
#define HTTP_BACKLOG		1024	/* connections waiting for accept() */

struct http {
	struct MHD_Daemon *d;
	atomic_size_t	 buffered;	/* body bytes held by requests */
	size_t		 budget;	/* HTTP_BODY_BUDGET * max_body */
	struct service	*svc;
	http_handler	*handler;
	pthread_mutex_t	 mu;		/* guards the fields below */
	struct http_req	*waiters;	/* suspended long polls */
	uint64_t	 gen;		/* http_wake() calls */
	uint64_t	 ticked_gen;	/* gen at the last http_tick() */
	uint64_t	 epoch;		/* http_tick()s that woke followers */
	bool		 stopping;
	atomic_uint	 follows;	/* streams that follow (feeds) */
};

/* Monotonic microseconds: when a request came, and how long it took. */
static uint64_t
http_now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t
http_now_ms(void)
{
	return http_now_us() / 1000;
}

/* --- Replies --- */

static enum MHD_Result
http_queue(struct http_req *req, unsigned status, const char *content_type,
    char *buf, size_t len, unsigned retry_after)
{
	struct MHD_Response *resp;
	enum MHD_Result	 r;
	char		 secs[16];

	resp = MHD_create_response_from_buffer_with_free_callback(len, buf,
	    free);
	if (resp == NULL) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    content_type);
	if (retry_after > 0) {
		snprintf(secs, sizeof(secs), "%u", retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER,
		    secs);
	}
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp,
		    MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED && req->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    req->allow);
	metrics_http(service_metrics(req->svc), status, http_now_us() -
	    req->t0_us);
	r = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

enum MHD_Result
http_reply_json(struct http_req *req, unsigned status, json_t *body)
{
	char	*s;

	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (s == NULL)
		return MHD_NO;
	s = xreallocarray(s, strlen(s) + 2, 1);
	strcat(s, "\n");
	return http_queue(req, status, "application/json", s, strlen(s), 0);
}

enum MHD_Result
http_reply_error(struct http_req *req, unsigned status, const char *code,
    json_t *extra, unsigned retry_after, const char *fmt, ...)
{
	json_t	*err, *root;
	va_list	 ap;
	char	 msg[1024], *s;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err = json_pack("{s:s, s:s}", "code", code, "message", msg);
	if (err == NULL) {
		/* A message that is not UTF-8 (it quotes input): escape it. */
		char	 esc[1024];

		log_escape(esc, sizeof(esc), msg, strlen(msg));
		err = json_pack("{s:s, s:s}", "code", code, "message", esc);
	}
	if (extra != NULL)
		json_object_update(err, extra);
	json_decref(extra);
	root = json_pack("{s:o}", "error", err);
	s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	s = xreallocarray(s, strlen(s) + 2, 1);
	strcat(s, "\n");
	return http_queue(req, status, "application/json", s, strlen(s),
	    retry_after);
}

enum MHD_Result
http_reply_text(struct http_req *req, unsigned status,
    const char *content_type, char *text)
{
	return http_queue(req, status, content_type, text, strlen(text), 0);
}

enum MHD_Result
http_reply_stream(struct http_req *req, const char *content_type,
    MHD_ContentReaderCallback reader, void *cls,
    MHD_ContentReaderFreeCallback free_cb)
{
	struct MHD_Response *resp;
	enum MHD_Result	 r;

	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
	    reader, cls, free_cb);
	if (resp == NULL) {
		free_cb(cls);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    content_type);
	metrics_http(service_metrics(req->svc), MHD_HTTP_OK, http_now_us() -
	    req->t0_us);
	r = MHD_queue_response(req->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return r;
}

const char *
http_arg(struct http_req *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    key);
}

/* --- Long polls --- */

/* Unlink req from the waiters and resume it; h->mu held. */
static void
http_resume_locked(struct http *h, struct http_req *req)
{
	if (req->wprev != NULL)
		req->wprev->wnext = req->wnext;
	else
		h->waiters = req->wnext;
	if (req->wnext != NULL)
		req->wnext->wprev = req->wprev;
	req->wprev = req->wnext = NULL;
	req->suspended = false;
	MHD_resume_connection(req->conn);
}

uint64_t
http_wake_gen(struct http *h, bool any)
{
	uint64_t	 g;

	pthread_mutex_lock(&h->mu);
	g = any ? h->epoch : h->gen;
	pthread_mutex_unlock(&h->mu);
	return g;
}

bool
http_wait(struct http_req *req, int64_t job, uint64_t deadline_ms,
    uint64_t gen)
{
	struct http	*h = req->http;

	pthread_mutex_lock(&h->mu);
	req->deadline_ms = deadline_ms;
	if (h->stopping)
		req->deadline_ms = 1;	/* answer now */
	if (h->stopping || (job == HTTP_WAIT_ANY ? h->epoch : h->gen) !=
	    gen) {
		pthread_mutex_unlock(&h->mu);
		return false;
	}
	req->wait_job = job;
	req->suspended = true;
	req->wprev = NULL;
	req->wnext = h->waiters;
	if (h->waiters != NULL)
		h->waiters->wprev = req;
	h->waiters = req;
	/* Under the lock: no wake can resume it before it is suspended. */
	MHD_suspend_connection(req->conn);
	pthread_mutex_unlock(&h->mu);
	return true;
}

void
http_wake(struct http *h, const int64_t *jobs, size_t n)
{
	struct http_req	*req, *next;

	pthread_mutex_lock(&h->mu);
	h->gen++;
	for (req = h->waiters; req != NULL; req = next) {
		next = req->wnext;
		for (size_t i = 0; i < n; i++)
			if (jobs[i] == req->wait_job) {
				http_resume_locked(h, req);
				break;
			}
	}
	pthread_mutex_unlock(&h->mu);
}

void
http_wake_all(struct http *h)
{
	struct http_req	*req, *next;

	pthread_mutex_lock(&h->mu);
	h->gen++;
	for (req = h->waiters; req != NULL; req = next) {
		next = req->wnext;
		http_resume_locked(h, req);
	}
	pthread_mutex_unlock(&h->mu);
}

bool
http_follow_begin(struct http *h, unsigned max)
{
	unsigned	 n = atomic_load(&h->follows);

	do {
		if (n >= max)
			return false;
	} while (!atomic_compare_exchange_weak(&h->follows, &n, n + 1));
	return true;
}

void
http_follow_end(struct http *h)
{
	atomic_fetch_sub(&h->follows, 1);
}

void
http_tick(struct http *h)
{
	struct http_req	*req, *next;
	uint64_t	 now = http_now_ms();
	bool		 woken;

	pthread_mutex_lock(&h->mu);
	/* Wakes since the last tick: a new epoch, and every follower looks
	 * again, once for all of them. */
	if ((woken = h->gen != h->ticked_gen)) {
		h->ticked_gen = h->gen;
		h->epoch++;
	}
	for (req = h->waiters; req != NULL; req = next) {
		next = req->wnext;
		if (req->deadline_ms <= now ||
		    (woken && req->wait_job == HTTP_WAIT_ANY))
			http_resume_locked(h, req);
	}
	pthread_mutex_unlock(&h->mu);
}

/* --- Request life --- */

/* Free the body of req and give its bytes back to the budget. */
static void
http_drop_body(struct http *h, struct http_req *req)
{
	if (req->counted > 0)
		atomic_fetch_sub(&h->buffered, req->counted);
	req->counted = 0;
	free(req->body);
	req->body = NULL;
	req->len = 0;
}

/* Is the request's bearer token one of the config's (or none set)? */
static bool
http_authorized(struct http_req *req)
{
	const char	*auth;
	bool		 ok;

	auth = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (req->cfg->ntokens == 0)
		ok = true;
	else
		ok = auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0 &&
		    config_token_ok(req->cfg, auth + 7);
	return ok;
}

static enum MHD_Result
http_access_cb(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http	*h = cls;
	struct http_req	*req = *con_cls;
	const char	*cl;
	char		*body;
	size_t		 max_body;

	(void)version;
	if (req == NULL) {
		req = xcalloc(1, sizeof(*req));
		req->t0_us = http_now_us();
		req->http = h;
		req->svc = h->svc;
		req->cfg = service_config(h->svc);
		req->conn = conn;
		req->method = method;
		req->path = url;
		req->content_type = MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		*con_cls = req;
		req->cap = max_body = req->cfg->max_body;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > max_body)
			return http_reply_error(req, MHD_HTTP_CONTENT_TOO_LARGE,
			    "body_too_large", NULL, 0, "the body is over the "
			    "limit of %zu bytes (max_body)", max_body);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		/* req->cap is the limit, max_body. */
		if (!req->too_big && *upload_data_size > req->cap - req->len) {
			req->too_big = true;
			http_drop_body(h, req);
		}
		if (!req->too_big && !req->busy && atomic_fetch_add(
		    &h->buffered, *upload_data_size) + *upload_data_size >
		    h->budget) {
			/* Memory stays bounded whatever the clients do. */
			atomic_fetch_sub(&h->buffered, *upload_data_size);
			req->busy = true;
			http_drop_body(h, req);
		}
		/* The one allocation a client sizes (up to max_body): out
		 * of memory here is a 503 for this request, not an abort
		 * of the daemon (xmalloc's rule is for our own needs). */
		if (!req->too_big && !req->busy && (body = realloc(req->body,
		    req->len + *upload_data_size + 1)) == NULL) {
			atomic_fetch_sub(&h->buffered, *upload_data_size);
			req->busy = req->nomem = true;
			http_drop_body(h, req);
		}
		if (!req->too_big && !req->busy) {
			req->body = body;
			memcpy(req->body + req->len, upload_data,
			    *upload_data_size);
			req->len += *upload_data_size;
			req->counted += *upload_data_size;
			req->body[req->len] = '\0';
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->too_big)
		return http_reply_error(req, MHD_HTTP_CONTENT_TOO_LARGE,
		    "body_too_large", NULL, 0, "the body is over the limit "
		    "(max_body)");
	if (req->busy && req->nomem)
		return http_reply_error(req, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "out_of_memory", NULL, 1, "the daemon is out of memory "
		    "for this body; retry later, or post smaller batches");
	if (req->busy)
		return http_reply_error(req, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "busy", NULL, 1, "too many large requests at once; "
		    "retry later");
	if (!req->started) {
		req->started = true;
		if (strcmp(req->path, "/v1/health") != 0 &&
		    strcmp(req->path, "/v1/openapi.json") != 0 &&
		    !http_authorized(req))
			return http_reply_error(req, MHD_HTTP_UNAUTHORIZED,
			    "unauthorized", NULL, 0, "a valid bearer token is "
			    "required (Authorization: Bearer TOKEN)");
	}
	if (req->body == NULL) {
		req->body = xstrdup("");
		req->len = 0;
	}
	return h->handler(req);
}

static void
http_completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http	*h = cls;
	struct http_req	*req = *con_cls;

	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	if (req->suspended)
		http_resume_locked(h, req);
	pthread_mutex_unlock(&h->mu);
	http_drop_body(h, req);
	if (req->state_free != NULL)
		req->state_free(req->state);
	service_config_put(req->cfg);
	free(req);
	*con_cls = NULL;
}

static void
http_log_cb(void *cls, const char *fmt, va_list ap)
{
	char	 msg[512], esc[600];
	size_t	 n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_escape(esc, sizeof(esc), msg, n);
	log_info("http: %s", esc);
}

/*
 * The listening socket of "ai" (the first address of o->host), made here
 * rather than by libmicrohttpd so that a failure says why, for the
 * address asked for (libmicrohttpd says "Failed to bind to port 0" of
 * an address given as a sockaddr).  Returns the socket, or a negative
 * errno with "listen HOST:PORT: reason" in errbuf.
 */
static int
http_listen_socket(const struct addrinfo *ai, char *errbuf, size_t errlen,
    const struct http_opts *o)
{
	int	 fd, on = 1, e;

	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol)) < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) < 0) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, HTTP_BACKLOG) < 0)
		goto fail;
	return fd;
 fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	snprintf(errbuf, errlen, "listen %s%s%s:%u: %s%s",
	    strchr(o->host, ':') != NULL ? "[" : "", o->host,
	    strchr(o->host, ':') != NULL ? "]" : "", (unsigned)o->port,
	    strerror(e), e == EADDRINUSE ? " (another program listens "
	    "there: stop it, or pick another port)" : e == EADDRNOTAVAIL ?
	    " (not an address of this machine)" : "");
	return -e;
}

int
http_start(const struct http_opts *o, struct service *svc,
    http_handler *handler, struct http **hp, uint16_t *port, char *errbuf,
    size_t errlen)
{
	struct addrinfo	 hints, *ai = NULL;
	const union MHD_DaemonInfo *info;
	const struct config *cfg;
	struct http	*h;
	char		 serv[8];
	unsigned	 flags;
	int		 r, fd;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(serv, sizeof(serv), "%u", (unsigned)o->port);
	if ((r = getaddrinfo(o->host, serv, &hints, &ai)) != 0) {
		snprintf(errbuf, errlen, "listen %s: %s", o->host,
		    gai_strerror(r));
		return -EINVAL;
	}
	if ((fd = http_listen_socket(ai, errbuf, errlen, o)) < 0) {
		freeaddrinfo(ai);
		return fd;
	}
	h = xcalloc(1, sizeof(*h));
	h->svc = svc;
	h->handler = handler;
	cfg = service_config(svc);
	h->budget = HTTP_BODY_BUDGET * cfg->max_body;
	service_config_put(cfg);
	atomic_init(&h->buffered, 0);
	atomic_init(&h->follows, 0);
	pthread_mutex_init(&h->mu, NULL);
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The logger first, or MHD logs the options before it to stderr. */
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, http_access_cb, h,
	    MHD_OPTION_EXTERNAL_LOGGER, http_log_cb, h,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 1 ?
	    o->threads : 0),
	    MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed_cb, h,
	    MHD_OPTION_END);
	freeaddrinfo(ai);
	if (h->d == NULL) {
		snprintf(errbuf, errlen, "listen %s:%u: cannot start the HTTP "
		    "server", o->host, (unsigned)o->port);
		close(fd);
		pthread_mutex_destroy(&h->mu);
		free(h);
		return -EIO;
	}
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info != NULL ? info->port : o->port;
	*hp = h;
	return 0;
}

void
http_stop(struct http *h)
{
	pthread_mutex_lock(&h->mu);
	h->stopping = true;
	while (h->waiters != NULL)
		http_resume_locked(h, h->waiters);
	pthread_mutex_unlock(&h->mu);
	/* The followers just resumed end their streams whole (the drain
	 * ends them): a moment for them to, bounded (HTTP_STOP_FOLLOWS_MS),
	 * since a client that does not read never lets one end. */
	for (unsigned ms = 0; ms < HTTP_STOP_FOLLOWS_MS &&
	    atomic_load(&h->follows) > 0; ms += 10)
		usleep(10 * 1000);
	MHD_stop_daemon(h->d);
	pthread_mutex_destroy(&h->mu);
	free(h);
}
