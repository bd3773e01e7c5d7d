/*
 * http.c - libcurl wrapper and retry policy of the verdict client.  See
 * http.h.
 *
 * One easy handle serves every request, so libcurl keeps the
 * connection open between them (a submission posts many batches).  An
 * answer's body goes to a FILE: the caller's for a streamed 2xx body,
 * else an open_memstream() buffer that becomes resp->body.  Which one
 * is decided on the first body bytes, when the status is known.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "client/http.h"
#include "client/out.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define HTTP_RETRY_AFTER_DEFAULT 1	/* seconds, when none is given */
#define HTTP_RETRY_AFTER_MAX	60	/* seconds, cap on one wait */
#define HTTP_CONNECT_TIMEOUT	10	/* seconds */

struct http {
	CURL		*curl;		/* reused: keeps the connection */
	char		*base;		/* URL without trailing '/' */
	char		*auth;		/* "Authorization: Bearer T" or NULL */
	double		 max_wait_s;	/* for 429/503; < 0: no limit */
	int		 tries;		/* attempts without an answer */
	char		 errbuf[CURL_ERROR_SIZE];
};

/* Where the body of one attempt goes. */
struct http_sink {
	struct http	*h;
	FILE		*out;		/* for a 2xx body, or NULL */
	FILE		*mem;		/* open_memstream() for the others */
	size_t		 written;	/* bytes written to out */
	int		 werr;		/* errno of a failed write to out */
};

int
http_new(const char *url, const char *token, const char *agent,
    struct http **hp)
{
	struct http	*h;
	CURLU		*u;
	char		*scheme = NULL;
	size_t		 n;
	int		 r = -EINVAL;

	*hp = NULL;
	u = curl_url();
	if (u == NULL)
		fatalx("curl_url: out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		out_err("bad server URL \"%s\": want http://HOST[:PORT]", url);
		goto out;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	h = xcalloc(1, sizeof(*h));
	if ((h->curl = curl_easy_init()) == NULL)
		fatalx("curl_easy_init failed");
	h->base = xstrdup(url);
	n = strlen(h->base);
	while (n > 0 && h->base[n - 1] == '/')
		h->base[--n] = '\0';
	if (token != NULL)
		h->auth = xasprintf("Authorization: Bearer %s", token);
	h->max_wait_s = -1;
	h->tries = HTTP_TRIES;

	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, agent);
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT,
	    (long)HTTP_CONNECT_TIMEOUT);
	curl_easy_setopt(h->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	/* One thread, no alarm(): libcurl must not touch signals. */
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	/* Redirects are not followed: the token must stay with this host. */
	curl_easy_setopt(h->curl, CURLOPT_FOLLOWLOCATION, 0L);
	*hp = h;
	r = 0;
 out:
	curl_free(scheme);
	curl_url_cleanup(u);
	return r;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h->base);
	free(h->auth);
	free(h);
	curl_global_cleanup();
}

void
http_set_retry(struct http *h, double max_wait_s, int tries)
{
	h->max_wait_s = max_wait_s;
	h->tries = tries < 1 ? 1 : tries;
}

/* libcurl's write callback: the bytes of the body, to the sink. */
static size_t
http_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct http_sink	*sk = arg;
	long			 status = 0;
	size_t			 n = size * nmemb;

	curl_easy_getinfo(sk->h->curl, CURLINFO_RESPONSE_CODE, &status);
	if (sk->out == NULL || status < 200 || status > 299)
		return fwrite(ptr, 1, n, sk->mem);
	errno = 0;
	if (fwrite(ptr, 1, n, sk->out) != n) {
		sk->werr = errno ? errno : EIO;
		return 0;		/* CURLE_WRITE_ERROR */
	}
	sk->written += n;
	return n;
}

/*
 * One attempt at the request; the answer, if any, goes to *resp (which
 * must hold no body).  Returns libcurl's result.
 */
static CURLcode
http_attempt(struct http *h, const char *method, const char *url,
    const char *body, size_t len, const char *ctype, struct http_sink *sk,
    struct http_resp *resp)
{
	struct curl_slist	*hdrs = NULL, *tmp;
	char			*ct = NULL;
	CURLcode		 rc;

	if ((sk->mem = open_memstream(&resp->body, &resp->len)) == NULL)
		fatal("open_memstream");
	if (h->auth != NULL) {
		if ((tmp = curl_slist_append(hdrs, h->auth)) == NULL)
			fatalx("curl_slist_append: out of memory");
		hdrs = tmp;
	}
	if (body != NULL) {
		ct = xasprintf("Content-Type: %s", ctype);
		if ((tmp = curl_slist_append(hdrs, ct)) == NULL)
			fatalx("curl_slist_append: out of memory");
		hdrs = tmp;
		curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	} else
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	/* DELETE, PATCH: GET's or POST's request with another method. */
	curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST,
	    strcmp(method, body != NULL ? "POST" : "GET") != 0 ? method :
	    NULL);
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, sk);
	h->errbuf[0] = '\0';

	rc = curl_easy_perform(h->curl);

	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_slist_free_all(hdrs);
	free(ct);
	if (fclose(sk->mem) != 0)
		fatal("open_memstream");
	sk->mem = NULL;
	if (rc == CURLE_OK)
		curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE,
		    &resp->status);
	return rc;
}

/* Seconds to wait before asking again after a 429 or 503. */
static double
http_retry_after(struct http *h)
{
	curl_off_t	 secs = 0;

	/* libcurl reads both forms of the header: seconds and a date. */
	if (curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &secs) !=
	    CURLE_OK || secs <= 0)
		return HTTP_RETRY_AFTER_DEFAULT;
	return secs > HTTP_RETRY_AFTER_MAX ? HTTP_RETRY_AFTER_MAX :
	    (double)secs;
}

/*
 * The request "method" with the retry policy of http.h.  The one loop
 * every request goes through.  Messages name the path only: the URL
 * may hold a user and password.
 */
static int
http_request(struct http *h, const char *method, const char *path,
    const char *body, size_t len, const char *ctype, FILE *out,
    struct http_resp *resp)
{
	struct http_sink	 sk;
	char			*url, reason[CURL_ERROR_SIZE + 32];
	double			 waited = 0, delay, backoff = 1;
	int			 fails = 0, r;
	CURLcode		 rc;

	memset(resp, 0, sizeof(*resp));
	memset(&sk, 0, sizeof(sk));
	sk.h = h;
	sk.out = out;
	url = xasprintf("%s%s", h->base, path);
	for (;;) {
		http_resp_free(resp);
		resp->token_sent = h->auth != NULL;
		rc = http_attempt(h, method, url, body, len, ctype, &sk,
		    resp);
		if (rc == CURLE_OK &&
		    (resp->status == 429 || resp->status == 503)) {
			delay = http_retry_after(h);
			if (h->max_wait_s >= 0 &&
			    waited + delay > h->max_wait_s) {
				if (h->max_wait_s > 0)
					out_err("server still busy after %.0f "
					    "s; giving up (--max-wait %g)",
					    waited, h->max_wait_s);
				r = 0;		/* the caller reports it */
				break;
			}
			out_err("server busy (HTTP %ld); retrying in %.0f s",
			    resp->status, delay);
			out_sleep(delay);
			waited += delay;
			continue;
		}
		if (rc == CURLE_OK && resp->status < 500) {
			r = 0;
			break;
		}
		if (sk.werr != 0) {
			out_err("write: %s", strerror(sk.werr));
			r = -sk.werr;
			break;
		}
		if (rc != CURLE_OK)
			snprintf(reason, sizeof(reason), "%s", h->errbuf[0] ?
			    h->errbuf : curl_easy_strerror(rc));
		else
			snprintf(reason, sizeof(reason), "HTTP %ld",
			    resp->status);
		if (sk.written > 0) {
			out_err("%s %s: %s after %zu bytes", method, path,
			    reason, sk.written);
			r = -EHOSTUNREACH;
			break;
		}
		if (++fails >= h->tries) {
			if (rc == CURLE_OK) {
				r = 0;	/* a 5xx: the caller reports it */
				break;
			}
			out_err("%s %s: %s", method, path, reason);
			r = -EHOSTUNREACH;
			break;
		}
		out_err("%s %s: %s; retrying in %.0f s", method, path, reason,
		    backoff);
		out_sleep(backoff);
		backoff *= 2;
	}
	free(url);
	if (r < 0)
		http_resp_free(resp);
	return r;
}

int
http_post(struct http *h, const char *path, const char *body, size_t len,
    const char *ctype, struct http_resp *resp)
{
	return http_request(h, "POST", path, body, len, ctype, NULL, resp);
}

int
http_send(struct http *h, const char *method, const char *path,
    const char *body, size_t len, const char *ctype, struct http_resp *resp)
{
	return http_request(h, method, path, body, len, ctype, NULL, resp);
}

int
http_get_to(struct http *h, const char *path, FILE *out,
    struct http_resp *resp)
{
	return http_request(h, "GET", path, NULL, 0, NULL, out, resp);
}

void
http_resp_free(struct http_resp *resp)
{
	free(resp->body);
	resp->body = NULL;
	resp->len = 0;
	resp->status = 0;
}

json_t *
http_resp_error(const struct http_resp *resp)
{
	json_t	*root, *err;

	if (resp->body == NULL ||
	    (root = json_loadb(resp->body, resp->len, 0, NULL)) == NULL)
		return NULL;
	err = json_object_get(root, "error");
	if (json_is_object(err))
		json_incref(err);
	else
		err = NULL;
	json_decref(root);
	return err;
}

char *
http_resp_reason(const struct http_resp *resp, char *buf, size_t len)
{
	json_t		*err;
	const char	*msg, *code;
	char		 emsg[512], ecode[64];

	err = http_resp_error(resp);
	msg = json_string_value(json_object_get(err, "message"));
	code = json_string_value(json_object_get(err, "code"));
	if (msg != NULL) {
		log_escape(emsg, sizeof(emsg), msg, strlen(msg));
		log_escape(ecode, sizeof(ecode), code ? code : "",
		    code ? strlen(code) : 0);
		snprintf(buf, len, "%s (%ld%s%s)", emsg, resp->status,
		    code ? " " : "", ecode);
	} else
		snprintf(buf, len, "HTTP %ld", resp->status);
	json_decref(err);
	return buf;
}

char *
http_escape(struct http *h, const char *s)
{
	char	*e, *copy;

	if ((e = curl_easy_escape(h->curl, s, 0)) == NULL)
		fatalx("curl_easy_escape: out of memory");
	copy = xstrdup(e);	/* so that callers free() it like the rest */
	curl_free(e);
	return copy;
}
