/*
 * http.h - the verdict client's HTTP side: one libcurl handle, reused
 * with keep-alive for every request, and the retry policy.
 *
 * The retry policy lives here and nowhere else:
 *   - 429 and 503 mean "busy": wait the Retry-After seconds (default 1,
 *     at most 60) and send the same request again, until the waits for
 *     this request would pass the "max wait" (forever by default);
 *   - no answer (connection refused, reset, timed out) or another 5xx:
 *     try again after 1, 2, 4, ... seconds, up to "tries" attempts in
 *     all (4 by default), then give up;
 *   - any other status is the answer.
 * Each wait is announced on standard error.  Every request the client
 * sends can be sent twice: submissions are made idempotent by the
 * client (see cmd-submit.c), a model set twice is set once, the rest
 * are reads or imports; a run deleted twice answers 404 the second
 * time (cmd-run.c says what that means).
 *
 * The token is only ever put in the Authorization header; nothing here
 * prints it.
 */
#ifndef CLIENT_HTTP_H
#define CLIENT_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct http;				/* opaque */

/* The final answer to a request. */
struct http_resp {
	long		 status;	/* HTTP status, 0 before any answer */
	char		*body;		/* new; NUL-terminated */
	size_t		 len;		/* bytes in body, without the NUL */
	bool		 token_sent;	/* the request carried a token */
};

/* Default number of attempts when there is no answer (see above). */
#define HTTP_TRIES		4

/*
 * Create a client for the server at "url" (http:// or https://, maybe
 * with a path prefix) with the bearer "token" (NULL: none), sending
 * "agent" as its User-Agent; all are copied.  Returns 0 and a new client
 * in *hp, or -EINVAL for a URL that is not one (message printed).  Call
 * once per process: it also initialises libcurl.
 */
int	 http_new(const char *url, const char *token, const char *agent,
	    struct http **hp);

/* Release the client and libcurl.  http_free(NULL) is a no-op. */
void	 http_free(struct http *);

/*
 * Set the retry policy: "max_wait_s" is the longest total wait for 429
 * and 503 answers to one request (negative: no limit; 0: no wait), and
 * "tries" the attempts when there is no answer (at least 1).
 */
void	 http_set_retry(struct http *, double max_wait_s, int tries);

/*
 * Send the request "method" ("GET", "POST", "DELETE", "PATCH") to
 * "path" (relative to the URL, starting with "/") and collect the body;
 * with "len" bytes of "body" (borrowed; NULL: none) of the Content-Type
 * "ctype".  Returns 0 when an answer came (its status may be anything,
 * including a 429 or 503 given up on: see the policy), with the answer
 * in *resp, to release with http_resp_free(); or -EHOSTUNREACH when
 * none did after the retries, with the reason printed and *resp zeroed.
 * http_post() is http_send() of "POST".
 */
int	 http_send(struct http *, const char *method, const char *path,
	    const char *body, size_t len, const char *ctype,
	    struct http_resp *resp);
int	 http_post(struct http *, const char *path, const char *body,
	    size_t len, const char *ctype, struct http_resp *resp);

/*
 * GET "path" and write the body of a 2xx answer to "out" as it comes;
 * other answers are collected in resp->body as with http_send(), and the
 * body of a 2xx answer is not.  Returns as http_send(), except that a
 * connection lost after bytes were written is not retried (they cannot
 * be taken back) and gives -EHOSTUNREACH at once, and that a failed
 * write to "out" gives its negative errno (message printed).
 */
int	 http_get_to(struct http *, const char *path, FILE *out,
	    struct http_resp *resp);

/* Release the body of *resp and zero it.  Safe on a zeroed answer. */
void	 http_resp_free(struct http_resp *);

/*
 * The "error" object of an error answer {"error": {"code", "message",
 * ...}}, as a new reference the caller decrefs, or NULL when the body
 * is not one.
 */
json_t	*http_resp_error(const struct http_resp *);

/*
 * Describe an error answer in buf (size len) for a message: "MESSAGE
 * (STATUS CODE)" from the error object, or "HTTP STATUS" without one.
 * The server's text is escaped (log_escape()).  Returns buf.
 */
char	*http_resp_reason(const struct http_resp *, char *buf, size_t len);

/*
 * Percent-encode "s" for one path segment or query value (task ids hold
 * "/").  Returns a new string, to free().
 */
char	*http_escape(struct http *, const char *s);

#endif /* CLIENT_HTTP_H */
