/*
 * v1.c - the REST API's routes and handlers.  See v1.h.
 *
 * Sections: routing, submission, candidates, runs, problems, health and
 * metrics.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/v1.h"
#include "api/v1args.h"
#include "api/v1body.h"
#include "api/v1json.h"
#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "daemon/bench.h"
#include "daemon/candidate.h"
#include "daemon/reports.h"
#include "report/render.h"

#define V1_MAX_PARAMS		2
#define V1_MAX_WAIT_S		300	/* longest ?wait= */
#define V1_RESULTS_PAGE		1000	/* rows per store read */
#define V1_FOLLOW_PAGE		100	/* ... of a feed that follows: what
					   each of many holds at most */
#define V1_RETRY_FULL_S		2	/* Retry-After of a full queue */
#define V1_RETRY_DRAIN_S	5	/* ... of a daemon stopping */
#define V1_MAX_WAIT_IDS		1000	/* ids of GET /v1/candidates */
#define V1_FEED_MAX_S		3600	/* longest ?follow=1 stream */
#define V1_FEED_ALIVE_MS	15000	/* a line at least this often */

/* --- Routing --- */

typedef enum MHD_Result v1_fn(struct http_req *, char **params);

/*
 * A route: "{}" matches one path segment, "{+}" the rest of the path
 * (one or more segments, for task ids such as "HumanEval/0").
 */
struct v1_route {
	const char	*method;
	const char	*pattern;
	v1_fn		*fn;
};

static v1_fn	 v1_post_candidates, v1_get_candidates, v1_get_candidate,
		 v1_get_runs,
		 v1_get_run, v1_delete_run, v1_patch_run,
		 v1_get_run_problems, v1_get_run_results, v1_get_run_feed,
		 v1_get_problems, v1_post_problems, v1_get_problem,
		 v1_get_reports, v1_get_health, v1_get_openapi,
		 v1_get_metrics;

static const struct v1_route v1_routes[] = {
	{ "POST", "/v1/candidates", v1_post_candidates },
	{ "GET", "/v1/candidates", v1_get_candidates },
	{ "GET", "/v1/candidates/{}", v1_get_candidate },
	{ "GET", "/v1/runs", v1_get_runs },
	{ "GET", "/v1/runs/{}", v1_get_run },
	{ "DELETE", "/v1/runs/{}", v1_delete_run },
	{ "PATCH", "/v1/runs/{}", v1_patch_run },
	{ "GET", "/v1/runs/{}/problems", v1_get_run_problems },
	{ "GET", "/v1/runs/{}/results", v1_get_run_results },
	{ "GET", "/v1/runs/{}/feed", v1_get_run_feed },
	{ "GET", "/v1/problems", v1_get_problems },
	{ "POST", "/v1/problems", v1_post_problems },
	{ "GET", "/v1/problems/{+}", v1_get_problem },
	{ "GET", "/v1/reports", v1_get_reports },
	{ "GET", "/v1/health", v1_get_health },
	{ "GET", "/v1/openapi.json", v1_get_openapi },
	{ "GET", "/metrics", v1_get_metrics },
};

/*
 * Match "path" against "pattern"; on a match, params[] get new strings
 * (free them) and the result is true.
 */
static bool
v1_match(const char *pattern, const char *path, char **params)
{
	const char	*p = pattern, *s = path, *end;
	size_t		 np = 0;

	while (*p != '\0') {
		if (strncmp(p, "{+}", 3) == 0) {
			/* Only at the end of a pattern. */
			if (*s == '\0' || np == V1_MAX_PARAMS)
				goto no;
			params[np++] = xstrdup(s);
			return true;
		}
		if (strncmp(p, "{}", 2) == 0) {
			end = strchr(s, '/');
			if (end == NULL)
				end = s + strlen(s);
			if (end == s || np == V1_MAX_PARAMS)
				goto no;
			params[np++] = xstrndup(s, (size_t)(end - s));
			s = end;
			p += 2;
			continue;
		}
		if (*p != *s)
			goto no;
		p++;
		s++;
	}
	if (*s == '\0')
		return true;
 no:
	while (np > 0)
		free(params[--np]);
	return false;
}

enum MHD_Result
v1_handle(struct http_req *req)
{
	char		*params[V1_MAX_PARAMS] = { NULL, NULL };
	const struct v1_route *rt;
	enum MHD_Result	 r;
	char		 allow[64] = "";

	for (size_t i = 0; i < sizeof(v1_routes) / sizeof(v1_routes[0]);
	    i++) {
		rt = &v1_routes[i];
		if (!v1_match(rt->pattern, req->path, params))
			continue;
		if (strcmp(rt->method, req->method) != 0) {
			if (strstr(allow, rt->method) == NULL)
				snprintf(allow + strlen(allow), sizeof(allow) -
				    strlen(allow), "%s%s", allow[0] != '\0' ?
				    ", " : "", rt->method);
			for (size_t j = 0; j < V1_MAX_PARAMS; j++) {
				free(params[j]);
				params[j] = NULL;
			}
			continue;
		}
		r = rt->fn(req, params);
		for (size_t j = 0; j < V1_MAX_PARAMS; j++)
			free(params[j]);
		return r;
	}
	if (allow[0] != '\0') {
		req->allow = allow;
		return http_reply_error(req, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "method_not_allowed", NULL, 0, "%s is not allowed here "
		    "(allowed: %s)", req->method, allow);
	}
	return http_reply_error(req, MHD_HTTP_NOT_FOUND, "not_found", NULL, 0,
	    "no such resource");
}

/*
 * The store of this thread, or a 503 reply when it cannot be opened
 * (v1_errnos' last row).
 */
#define V1_STORE(req, st) do {						\
	if (((st) = service_store((req)->svc)) == NULL)			\
		return v1_reply_errno((req), -EIO, "store",		\
		    "the store cannot be opened");			\
} while (0)

/*
 * How a negative errno from the store or the service becomes an HTTP
 * error, for the object a route is about ("what"): the status, the
 * error's "code" and the Retry-After seconds.  The first row that
 * matches wins; the last, errno 0, is any other error: the store failed,
 * retry in a second.  The messages are the routes'.
 */
static const struct v1_errno {
	int		 err;		/* negative errno; 0: any */
	const char	*what;		/* the route's object */
	unsigned	 status;
	const char	*code;
	unsigned	 retry_after_s;
} v1_errnos[] = {
	{ -ENOENT, "candidate",	MHD_HTTP_NOT_FOUND, "unknown_candidate", 0 },
	{ -ENOENT, "run",	MHD_HTTP_NOT_FOUND, "unknown_run", 0 },
	{ -ENOENT, "report",	MHD_HTTP_NOT_FOUND, "unknown_run", 0 },
	{ -EEXIST, "candidate",	MHD_HTTP_CONFLICT, "id_conflict", 0 },
	{ -EINVAL, "run",	MHD_HTTP_BAD_REQUEST, "invalid_run", 0 },
	{ -EEXIST, "problem",	MHD_HTTP_CONFLICT, "problem_exists", 0 },
	{ -EINVAL, "problem",	MHD_HTTP_BAD_REQUEST, "invalid_problems", 0 },
	{ -EFBIG, "problem",	MHD_HTTP_CONTENT_TOO_LARGE, "body_too_large",
	    0 },
	{ -EINVAL, "report",	MHD_HTTP_BAD_REQUEST, "invalid_report", 0 },
	{ 0, NULL, MHD_HTTP_SERVICE_UNAVAILABLE, "store_unavailable", 1 },
};

/* The row of v1_errnos for the error r (negative errno) about "what". */
static const struct v1_errno *
v1_errno_find(int r, const char *what)
{
	const struct v1_errno *e = v1_errnos;

	while (e->err != 0 && (e->err != r || strcmp(e->what, what) != 0))
		e++;
	return e;
}

/*
 * Reply for the error r (negative errno) about "what" with the status,
 * code and Retry-After of its row in v1_errnos and the printf-style
 * message.
 */
static enum MHD_Result
v1_reply_errno(struct http_req *req, int r, const char *what,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum MHD_Result
v1_reply_errno(struct http_req *req, int r, const char *what,
    const char *fmt, ...)
{
	const struct v1_errno *e = v1_errno_find(r, what);
	va_list		 ap;
	char		 msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return http_reply_error(req, e->status, e->code, NULL,
	    e->retry_after_s, "%s", msg);
}

/*
 * A reply for a store error about the object "what" called "name", with
 * the store's own words: "no what named name" (-ENOENT), else "the
 * store failed (strerror)".
 */
static enum MHD_Result
v1_store_error(struct http_req *req, int r, const char *what,
    const char *name)
{
	if (r == -ENOENT)
		return v1_reply_errno(req, r, what, "no %s named \"%.128s\"",
		    what, name);
	return v1_reply_errno(req, r, what, "the store failed (%s)",
	    strerror(-r));
}

/* A 400 naming the query argument "field". */
#define V1_BAD_ARG(req, field, ...)					\
	http_reply_error((req), MHD_HTTP_BAD_REQUEST, "invalid_argument", \
	    json_pack("{s:s}", "field", (field)), 0, __VA_ARGS__)

/* --- Waiting for candidates --- */

/*
 * The next item of a list separated by commas: the one *p starts, of
 * *len bytes (0 for an empty one); *p moves past it, to NULL after the
 * last.  Returns its start.
 */
static const char *
v1_list_next(const char **p, size_t *len)
{
	const char	*item = *p, *comma = strchr(item, ',');

	*len = comma != NULL ? (size_t)(comma - item) : strlen(item);
	*p = comma != NULL ? comma + 1 : NULL;
	return item;
}

/*
 * The "wait" argument of a long poll, 0 to V1_MAX_WAIT_S seconds, in
 * *secs (-1 when there is none).  Returns true, or false with a 400
 * queued in *ret.
 */
static bool
v1_wait_arg(struct http_req *req, double *secs, enum MHD_Result *ret)
{
	const char	*w;
	char		*end;

	*secs = -1;
	if ((w = http_arg(req, "wait")) == NULL)
		return true;
	*secs = strtod(w, &end);
	if (*w == '\0' || *end != '\0' || !(*secs >= 0) ||
	    *secs > V1_MAX_WAIT_S) {
		*ret = http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_argument", json_pack("{s:s}", "field", "wait"), 0,
		    "wait must be 0 to %d seconds", V1_MAX_WAIT_S);
		return false;
	}
	return true;
}

/*
 * The "sanitize" argument of a submission, the default of its
 * candidates' "sanitize": 1 or true, 0 or false, into *on (false when
 * there is none).  Returns true, or false with a 400 queued in *ret.
 */
static bool
v1_sanitize_arg(struct http_req *req, bool *on, enum MHD_Result *ret)
{
	const char	*v = http_arg(req, "sanitize");

	*on = v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	if (v == NULL || *on || strcmp(v, "0") == 0 ||
	    strcmp(v, "false") == 0)
		return true;
	*ret = http_reply_error(req, MHD_HTTP_BAD_REQUEST, "invalid_argument",
	    json_pack("{s:s}", "field", "sanitize"), 0, "sanitize must be 1, "
	    "true, 0 or false");
	return false;
}

/*
 * The candidates a request waits for (POST /v1/candidates?wait=, GET
 * /v1/candidates?ids=...&wait=), kept in req->state across the calls of
 * its long poll.
 */
struct v1_waitset {
	char		**ids;
	size_t		 n;
	double		 secs;
	json_t		*accepted;	/* POST: its 202 answer; GET: NULL */
};

static void
v1_waitset_free(void *p)
{
	struct v1_waitset *ws = p;

	for (size_t i = 0; i < ws->n; i++)
		free(ws->ids[i]);
	free(ws->ids);
	json_decref(ws->accepted);
	free(ws);
}

/* Keep "ws" (owned from now) with the request. */
static void
v1_waitset_keep(struct http_req *req, struct v1_waitset *ws)
{
	req->state = ws;
	req->state_free = v1_waitset_free;
}

/*
 * Answer once every candidate of req->state is done, or its wait is
 * over: a POST with 200 and the results when all are done, else 202
 * (the ids, and the results so far); a GET with 200 and "done" true or
 * false.  Between, the request sleeps on the job that will likely end
 * last (the highest id not done) and looks again at every wake-up.
 */
static enum MHD_Result
v1_wait_candidates(struct http_req *req)
{
	struct v1_waitset *ws = req->state;
	struct store_candidate c;
	struct store	*st;
	json_t		*results, *ans;
	int64_t		 job;
	uint64_t	 gen;
	bool		 done;
	int		 r;

	V1_STORE(req, st);
	if (req->deadline_ms == 0)
		req->deadline_ms = http_now_ms() + (uint64_t)(ws->secs * 1000);
	for (;;) {
		gen = http_wake_gen(req->http, false);
		results = json_array();
		done = true;
		job = 0;
		for (size_t i = 0; i < ws->n; i++) {
			if ((r = store_candidate(st, ws->ids[i], &c)) < 0) {
				json_decref(results);
				return v1_store_error(req, r, "candidate",
				    ws->ids[i]);
			}
			if (c.state != STORE_DONE) {
				done = false;
				job = c.job > job ? c.job : job;
			}
			json_array_append_new(results, v1json_reward(&c));
			store_candidate_free(&c);
		}
		if (done || http_now_ms() >= req->deadline_ms)
			break;
		json_decref(results);
		if (http_wait(req, job, req->deadline_ms, gen))
			return MHD_YES;
	}
	if (ws->accepted == NULL)
		return http_reply_json(req, MHD_HTTP_OK, json_pack("{s:b, s:o}",
		    "done", done, "candidates", results));
	ans = json_deep_copy(ws->accepted);
	json_object_set_new(ans, "done", json_boolean(done));
	json_object_set_new(ans, "results", results);
	return http_reply_json(req, done ? MHD_HTTP_OK : MHD_HTTP_ACCEPTED,
	    ans);
}

/*
 * GET /v1/candidates?ids=A,B,...&wait=S: up to V1_MAX_WAIT_IDS
 * candidates at once, as v1_wait_candidates() answers.
 */
static enum MHD_Result
v1_get_candidates(struct http_req *req, char **params)
{
	struct v1_waitset *ws;
	enum MHD_Result	 ret;
	const char	*list, *item;
	double		 secs;
	size_t		 len;

	(void)params;
	if (req->state != NULL)
		return v1_wait_candidates(req);
	if (!v1_wait_arg(req, &secs, &ret))
		return ret;
	if ((list = http_arg(req, "ids")) == NULL || *list == '\0')
		return http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_argument", json_pack("{s:s}", "field", "ids"), 0,
		    "ids is required: candidate ids separated by commas");
	ws = xcalloc(1, sizeof(*ws));
	ws->secs = secs > 0 ? secs : 0;
	while (list != NULL) {
		item = v1_list_next(&list, &len);
		if (len == 0 || len > STORE_ID_MAX ||
		    ws->n == V1_MAX_WAIT_IDS) {
			v1_waitset_free(ws);
			return http_reply_error(req, MHD_HTTP_BAD_REQUEST,
			    "invalid_argument", json_pack("{s:s}", "field",
			    "ids"), 0, "ids: 1 to %d ids of 1 to %d "
			    "characters, separated by commas", V1_MAX_WAIT_IDS,
			    STORE_ID_MAX);
		}
		ws->ids = xreallocarray(ws->ids, ws->n + 1, sizeof(*ws->ids));
		ws->ids[ws->n++] = xstrndup(item, len);
	}
	v1_waitset_keep(req, ws);
	return v1_wait_candidates(req);
}

/* --- Submission --- */

/* Why a body or an item is bad: its line, and the field and reason. */
struct v1_bad {
	size_t		 line;
	struct candidate_bad why;
};

/*
 * Check one candidate object (daemon/candidate.h) against the problem
 * set "ps" (under its read lock) and the config, and set its limits;
 * "sanitize" is the request's default (?sanitize=1).
 * Returns 0, or -EINVAL with the field and reason in *bad.
 */
static int
v1_item_check(const struct problemset *ps, const struct config *cfg,
    bool sanitize, json_t *o, struct candidate *cd, struct v1_bad *bad)
{
	struct candidate_rules rules;

	rules.ps = ps;
	rules.max_program = cfg->max_program;
	rules.meta = true;
	rules.dataset = NULL;
	rules.sanitize = sanitize;
	if (candidate_check(&rules, o, cd, &bad->why) < 0)
		return -EINVAL;
	bench_limits_conf(cd->pb, config_limits_of(cfg, cd->pb->bench),
	    &cd->c.limits);
	return 0;
}

/*
 * Split the body into JSON values (api/v1body.h): NDJSON when the
 * content type says so, else a JSON array.  Returns a new array, or
 * NULL with the reason in *bad.
 */
static json_t *
v1_parse_body(struct http_req *req, size_t **lines, struct v1_bad *bad)
{
	bool		 ndjson;

	ndjson = req->content_type != NULL && strncmp(req->content_type,
	    "application/x-ndjson", 20) == 0;
	return v1body_split(req->body, req->len, ndjson, lines, &bad->line,
	    &bad->why);
}

/* A batch of candidates being checked, for v1_check_cb(). */
struct v1_check {
	const struct config *cfg;
	json_t		*arr;
	size_t		*lines;
	size_t		 n, checked;
	bool		 sanitize;	/* ?sanitize=1 */
	struct candidate *items;
	struct v1_bad	*bad;
};

/* Check the batch up to its first bad item, under one read lock. */
static void
v1_check_cb(const struct problemset *ps, void *arg)
{
	struct v1_check	*ck = arg;

	for (ck->checked = 0; ck->checked < ck->n; ck->checked++) {
		if (v1_item_check(ps, ck->cfg, ck->sanitize,
		    json_array_get(ck->arr, ck->checked),
		    &ck->items[ck->checked], ck->bad) < 0) {
			ck->bad->line = ck->lines[ck->checked];
			break;
		}
	}
}

static enum MHD_Result
v1_post_candidates(struct http_req *req, char **params)
{
	struct service	*svc = req->svc;
	struct candidate *items = NULL;
	struct store_cand *cands = NULL;
	struct store_added *out = NULL;
	struct v1_bad	 bad;
	struct v1_check	 ck;
	struct store	*st;
	json_t		*arr, *ids, *ans;
	size_t		*lines = NULL, n = 0, checked = 0, new_jobs = 0;
	size_t		 dups = 0, reused = 0, nruns = 0, limit;
	int64_t		*runs = NULL;
	char		 err[512];
	enum MHD_Result	 ret;
	struct v1_waitset *ws;
	double		 secs;
	bool		 sanitize, done = false;
	int		 r;

	(void)params;
	if (req->state != NULL)
		return v1_wait_candidates(req);	/* stored: a long poll */
	if (!v1_wait_arg(req, &secs, &ret) ||
	    !v1_sanitize_arg(req, &sanitize, &ret))
		return ret;
	if (service_draining(svc))
		return http_reply_error(req, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "draining", NULL, V1_RETRY_DRAIN_S, "the daemon is "
		    "stopping; post again later");
	V1_STORE(req, st);
	memset(&bad, 0, sizeof(bad));
	if ((arr = v1_parse_body(req, &lines, &bad)) == NULL)
		goto bad;
	if ((n = json_array_size(arr)) == 0) {
		candidate_refuse(&bad.why, "", "no candidates in the body");
		goto bad;
	}
	items = xreallocarray(NULL, n, sizeof(*items));
	limit = req->cfg->queue_limit;
	ck = (struct v1_check){ req->cfg, arr, lines, n, 0, sanitize, items,
	    &bad };
	service_problems(svc, v1_check_cb, &ck);
	checked = ck.checked;
	if (checked < n)
		goto bad;

	/*
	 * Backpressure: a batch that may not fit waits for the jail; one
	 * that can never fit (more candidates than the queue may hold) is
	 * refused for good, naming the limit, so that the client posts
	 * smaller batches instead of waiting for ever.
	 */
	if (n > limit) {
		ret = http_reply_error(req, MHD_HTTP_CONTENT_TOO_LARGE,
		    "batch_over_queue_limit", json_pack("{s:I}", "queue_limit",
		    (json_int_t)limit), 0, "a batch of %zu candidates can never "
		    "fit the queue (queue_limit %zu): post at most %zu per "
		    "request", n, limit, limit);
		goto out;
	}
	if (service_queued(svc) + n > limit) {
		ret = http_reply_error(req, MHD_HTTP_TOO_MANY_REQUESTS,
		    "queue_full", NULL, V1_RETRY_FULL_S, "the queue holds %zu "
		    "jobs (queue_limit %zu); retry later",
		    service_queued(svc), limit);
		goto out;
	}
	cands = xreallocarray(NULL, n, sizeof(*cands));
	out = xreallocarray(NULL, n, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		cands[i] = items[i].c;
	r = store_add(st, cands, n, out, &new_jobs, err, sizeof(err));
	if (r == -EEXIST) {
		ret = v1_reply_errno(req, r, "candidate", "%s", err);
		goto out;
	}
	if (r < 0) {
		ret = v1_reply_errno(req, r, "candidate", "the store failed: "
		    "%s", r == -EIO ? err : strerror(-r));
		goto out;
	}
	service_queued_add(svc, (long)new_jobs);
	ids = json_array();
	runs = xreallocarray(NULL, n, sizeof(*runs));
	for (size_t i = 0; i < n; i++) {
		size_t	 j;

		json_array_append_new(ids, json_string(out[i].id));
		if (out[i].existed) {
			dups++;
			continue;
		}
		if (!out[i].new_job) {
			reused++;
			done = done || out[i].done;
			continue;
		}
		for (j = 0; j < nruns && runs[j] != out[i].run_id; j++)
			;
		if (j == nruns)
			runs[nruns++] = out[i].run_id;
	}
	if (nruns > 0)
		service_notify(svc, runs, nruns);
	/* Verdicts at once (done jobs joined): the feeds that follow. */
	if (done)
		http_wake(req->http, NULL, 0);
	metrics_submitted(service_metrics(svc), n - dups, dups, reused);
	ans = json_pack("{s:I, s:I, s:o}", "accepted", (json_int_t)n,
	    "duplicates", (json_int_t)dups, "ids", ids);
	if (secs < 0) {
		ret = http_reply_json(req, MHD_HTTP_ACCEPTED, ans);
		goto out;
	}
	/* ?wait=S: the verdicts inline when they come within S seconds. */
	ws = xcalloc(1, sizeof(*ws));
	ws->secs = secs;
	ws->accepted = ans;
	ws->ids = xreallocarray(NULL, n, sizeof(*ws->ids));
	for (size_t i = 0; i < n; i++)
		ws->ids[ws->n++] = xstrdup(out[i].id);
	v1_waitset_keep(req, ws);
	ret = v1_wait_candidates(req);
	goto out;
 bad:
	snprintf(err, sizeof(err), "line %zu: ", bad.line);
	ret = http_reply_error(req, MHD_HTTP_BAD_REQUEST, "invalid_candidate",
	    json_pack("{s:I, s:s}", "line", (json_int_t)bad.line, "field",
	    bad.why.field != NULL ? bad.why.field : ""), 0, "%s%s%s%s%s",
	    bad.line > 0 ? err : "",
	    bad.why.field != NULL && bad.why.field[0] != '\0' ? "field '" : "",
	    bad.why.field != NULL ? bad.why.field : "",
	    bad.why.field != NULL && bad.why.field[0] != '\0' ? "': " : "",
	    bad.why.msg);
 out:
	for (size_t i = 0; i < checked && items != NULL; i++)
		candidate_clear(&items[i]);
	free(items);
	free(cands);
	free(out);
	free(runs);
	free(lines);
	json_decref(arr);
	return ret;
}

/* --- Candidates --- */

static enum MHD_Result
v1_get_candidate(struct http_req *req, char **params)
{
	struct store	*st;
	struct store_candidate cand;
	enum MHD_Result	 ret;
	json_t		*o;
	int64_t		 job;
	uint64_t	 gen;
	double		 secs;
	int		 r;

	V1_STORE(req, st);
	if (!v1_wait_arg(req, &secs, &ret))
		return ret;
	for (;;) {
		gen = http_wake_gen(req->http, false);
		if ((r = store_candidate(st, params[0], &cand)) < 0) {
			if (r == -ENOENT)
				return v1_reply_errno(req, r, "candidate",
				    "no candidate with id \"%.128s\"",
				    params[0]);
			return v1_store_error(req, r, "candidate", params[0]);
		}
		if (secs <= 0 || cand.state == STORE_DONE)
			break;
		if (req->deadline_ms == 0)
			req->deadline_ms = http_now_ms() +
			    (uint64_t)(secs * 1000);
		if (http_now_ms() >= req->deadline_ms)
			break;
		job = cand.job;
		store_candidate_free(&cand);
		if (http_wait(req, job, req->deadline_ms, gen))
			return MHD_YES;
	}
	o = v1json_candidate(&cand);
	store_candidate_free(&cand);
	return http_reply_json(req, MHD_HTTP_OK, o);
}

/* --- Runs --- */

/* What GET /v1/runs lists: runs matching every filter given. */
struct v1_runs_filter {
	const char	*name;		/* a glob (fnmatch), or NULL */
	const char	*model;		/* the run's model, or NULL */
	int		 state;		/* V1_RUNS_ANY, _PENDING or _DONE */
};

enum {
	V1_RUNS_ANY,
	V1_RUNS_PENDING,		/* with candidates not yet judged */
	V1_RUNS_DONE,			/* every candidate judged */
};

/*
 * The filters of GET /v1/runs (?name=GLOB, ?model=M,
 * ?state=pending|done) into *f.  Returns true, or false with a 400
 * naming the argument queued in *ret.
 */
static bool
v1_runs_filter(struct http_req *req, struct v1_runs_filter *f,
    enum MHD_Result *ret)
{
	const char	*v;

	memset(f, 0, sizeof(*f));
	f->name = http_arg(req, "name");
	f->model = http_arg(req, "model");
	if (f->name != NULL && (f->name[0] == '\0' ||
	    strlen(f->name) > CANDIDATE_NAME_MAX)) {
		*ret = http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_argument", json_pack("{s:s}", "field", "name"), 0,
		    "name must be a run name or a glob (* ? [...]) of 1 to %d "
		    "characters", CANDIDATE_NAME_MAX);
		return false;
	}
	if (f->model != NULL && (f->model[0] == '\0' ||
	    strlen(f->model) > CANDIDATE_NAME_MAX)) {
		*ret = http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_argument", json_pack("{s:s}", "field", "model"),
		    0, "model must be 1 to %d characters", CANDIDATE_NAME_MAX);
		return false;
	}
	if ((v = http_arg(req, "state")) == NULL)
		return true;
	if (strcmp(v, "pending") == 0)
		f->state = V1_RUNS_PENDING;
	else if (strcmp(v, "done") == 0)
		f->state = V1_RUNS_DONE;
	else {
		*ret = http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_argument", json_pack("{s:s}", "field", "state"), 0,
		    "state must be pending (runs with candidates not yet "
		    "judged) or done (every candidate judged)");
		return false;
	}
	return true;
}

/* Does run "r" pass the filters "f"? */
static bool
v1_runs_match(const struct v1_runs_filter *f, const struct store_run *r)
{
	if (f->name != NULL && fnmatch(f->name, r->name, 0) != 0)
		return false;
	if (f->model != NULL && (r->model == NULL ||
	    strcmp(f->model, r->model) != 0))
		return false;
	if (f->state == V1_RUNS_PENDING)
		return r->counts.pending > 0;
	if (f->state == V1_RUNS_DONE)
		return r->counts.pending == 0;
	return true;
}

static enum MHD_Result
v1_get_runs(struct http_req *req, char **params)
{
	struct v1_runs_filter f;
	struct store	*st;
	struct store_run *runs;
	enum MHD_Result	 ret;
	json_t		*a;
	size_t		 n;
	int		 r;

	(void)params;
	if (!v1_runs_filter(req, &f, &ret))
		return ret;
	V1_STORE(req, st);
	if ((r = store_runs(st, &runs, &n)) < 0)
		return v1_store_error(req, r, "run", "");
	a = json_array();
	for (size_t i = 0; i < n; i++)
		if (v1_runs_match(&f, &runs[i]))
			json_array_append_new(a, v1json_run(&runs[i]));
	store_runs_free(runs, n);
	return http_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}", "runs",
	    a));
}

static enum MHD_Result
v1_get_run(struct http_req *req, char **params)
{
	struct store	*st;
	struct store_run run;
	json_t		*o;
	int		 r;

	V1_STORE(req, st);
	if ((r = store_run(st, params[0], &run)) < 0)
		return v1_store_error(req, r, "run", params[0]);
	o = v1json_run(&run);
	store_run_free(&run);
	return http_reply_json(req, MHD_HTTP_OK, o);
}

/*
 * DELETE /v1/runs/{run}: the run, its candidates and the jobs no other
 * run uses (store_run_delete()).  The scheduler forgets the run and
 * serves the jobs it shared as their heirs'; every long poll looks
 * again, and those waiting for its candidates answer 404.
 */
static enum MHD_Result
v1_delete_run(struct http_req *req, char **params)
{
	struct store_deleted del;
	struct store	*st;
	json_t		*o;
	int		 r;

	V1_STORE(req, st);
	if ((r = store_run_delete(st, params[0], &del)) < 0)
		return v1_store_error(req, r, "run", params[0]);
	service_run_deleted(req->svc, &del);
	http_wake_all(req->http);
	log_info("run %s deleted: %jd candidates, %jd jobs deleted, %jd "
	    "kept for other runs", params[0], (intmax_t)del.candidates,
	    (intmax_t)del.jobs_deleted, (intmax_t)del.jobs_kept);
	o = json_pack("{s:s, s:I, s:I, s:I}", "run", params[0], "candidates",
	    (json_int_t)del.candidates, "jobs_deleted",
	    (json_int_t)del.jobs_deleted, "jobs_kept",
	    (json_int_t)del.jobs_kept);
	free(del.heirs);
	return http_reply_json(req, MHD_HTTP_OK, o);
}

/*
 * PATCH /v1/runs/{run}: {"model": M, "ranker": R}, either or both (null:
 * left as it is); any other member is refused.  Answers the run as GET
 * /v1/runs/{run} shows it.
 */
static enum MHD_Result
v1_patch_run(struct http_req *req, char **params)
{
	struct candidate_bad bad;
	struct store_run run;
	struct store	*st;
	const char	*key, *model = NULL, *ranker = NULL;
	json_t		*o, *v;
	json_error_t	 je;
	enum MHD_Result	 ret;
	int		 r;

	V1_STORE(req, st);
	if ((o = json_loadb(req->body, req->len, JSON_REJECT_DUPLICATES,
	    &je)) == NULL || !json_is_object(o)) {
		json_decref(o);
		return v1_reply_errno(req, -EINVAL, "run", "the body must be "
		    "a JSON object {\"model\": \"...\", \"ranker\": "
		    "\"...\"}%s%s", req->len > 0 && o == NULL ? ": " : "",
		    req->len > 0 && o == NULL ? je.text : "");
	}
	memset(&bad, 0, sizeof(bad));
	json_object_foreach(o, key, v) {
		if (strcmp(key, "model") != 0 && strcmp(key, "ranker") != 0) {
			ret = http_reply_error(req, MHD_HTTP_BAD_REQUEST,
			    "invalid_run", json_pack("{s:s}", "field", key), 0,
			    "unknown field \"%.64s\": only model and ranker "
			    "can change", key);
			goto out;
		}
	}
	if (candidate_labels(o, &model, &ranker, &bad) < 0) {
		ret = http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_run", json_pack("{s:s}", "field", bad.field), 0,
		    "%s %s", bad.field, bad.msg);
		goto out;
	}
	if (model == NULL && ranker == NULL) {
		ret = v1_reply_errno(req, -EINVAL, "run", "nothing to change: "
		    "give model, ranker or both");
		goto out;
	}
	if ((r = store_run_update(st, params[0], model, ranker)) < 0 ||
	    (r = store_run(st, params[0], &run)) < 0) {
		ret = v1_store_error(req, r, "run", params[0]);
		goto out;
	}
	/* The names themselves are the client's: not logged raw. */
	log_info("run %s: %s%s%s set", params[0], model != NULL ? "model" :
	    "", model != NULL && ranker != NULL ? " and " : "",
	    ranker != NULL ? "ranker" : "");
	ret = http_reply_json(req, MHD_HTTP_OK, v1json_run(&run));
	store_run_free(&run);
 out:
	json_decref(o);
	return ret;
}

static enum MHD_Result
v1_get_run_problems(struct http_req *req, char **params)
{
	struct store	*st;
	struct store_problem *probs;
	json_t		*a;
	size_t		 n;
	int		 r;

	V1_STORE(req, st);
	if ((r = store_run_problems(st, params[0], &probs, &n)) < 0)
		return v1_store_error(req, r, "run", params[0]);
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, v1json_problem(&probs[i]));
	store_problems_free(probs, n);
	return http_reply_json(req, MHD_HTTP_OK, json_pack("{s:s, s:o}",
	    "run", params[0], "problems", a));
}

/*
 * The state of one results stream, or of a feed: the same lines, by
 * seq, each with its "cursor"; a feed that follows waits for more when
 * it has sent all there is (v1_feed_wait()).
 */
struct v1_results {
	struct service	*svc;
	struct http	*http;
	struct http_req	*req;		/* follow: the request, to wait (its
					   life is the stream's) */
	char		*run;
	int64_t		 after;		/* last row (feed: seq) sent */
	char		*buf;		/* NDJSON not yet sent */
	size_t		 len, off, cap;
	size_t		 rows;		/* in the page being read */
	unsigned	 fields;	/* V1JSON_*: what lines add */
	bool		 feed;		/* by seq, lines with "cursor" */
	bool		 follow;	/* a feed that waits for more */
	uint64_t	 gen;		/* http_wake_gen() before the read */
	uint64_t	 end_ms;	/* follow: when the stream ends */
	uint64_t	 alive_ms;	/* follow: the next keep-alive line */
	bool		 end;
};

/* Append "o" (stolen) to rs->buf as a line of NDJSON. */
static void
v1_results_line(struct v1_results *rs, json_t *o)
{
	char		*line;
	size_t		 n;

	line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	n = strlen(line);
	if (rs->len + n + 1 > rs->cap) {
		rs->cap = (rs->len + n + 1) * 2;
		rs->buf = xreallocarray(rs->buf, rs->cap, 1);
	}
	memcpy(rs->buf + rs->len, line, n);
	rs->buf[rs->len + n] = '\n';
	rs->len += n + 1;
	free(line);
}

/* Append one done candidate to rs->buf. */
static int
v1_results_row_cb(const struct store_verdict *v, void *arg)
{
	struct v1_results *rs = arg;
	json_t		*row = v1json_verdict(v, rs->fields);

	rs->rows++;
	if (rs->feed)
		json_object_set_new(row, "cursor", json_integer(v->seq));
	v1_results_line(rs, row);
	return 0;
}

/* Read the next page of results into rs->buf.  Returns 0 or -errno. */
static int
v1_results_fill(struct v1_results *rs)
{
	struct store	*st;
	int		 r;

	free(rs->buf);
	rs->buf = NULL;
	rs->len = rs->off = rs->cap = rs->rows = 0;
	if ((st = service_store(rs->svc)) == NULL)
		return -EIO;
	/* Before the read: a verdict after it wakes the wait after it. */
	rs->gen = http_wake_gen(rs->http, true);
	if ((r = (rs->feed ? store_feed : store_results)(st, rs->run,
	    rs->after, rs->follow ? V1_FOLLOW_PAGE : V1_RESULTS_PAGE,
	    rs->fields != 0, v1_results_row_cb, rs, &rs->after)) < 0)
		return r;
	if (rs->rows > 0)
		rs->alive_ms = http_now_ms() + V1_FEED_ALIVE_MS;
	else if (!rs->follow)
		rs->end = true;
	return 0;
}

/*
 * A follower that has sent all there is: the end of the stream at its
 * timeout, or when the daemon drains (its client comes back with the
 * cursor); else a keep-alive line, {"cursor": N}, after
 * V1_FEED_ALIVE_MS of silence; else sleep, holding neither a thread
 * nor a store connection, until a verdict lands anywhere (http_wake():
 * this node's, or another node's NOTIFY; at most once a tick), the
 * keep-alive or the end.
 * Returns true when the connection is suspended.
 */
static bool
v1_feed_wait(struct v1_results *rs)
{
	uint64_t	 now = http_now_ms();

	if (now >= rs->end_ms || service_draining(rs->svc)) {
		rs->end = true;
		return false;
	}
	if (now >= rs->alive_ms) {
		v1_results_line(rs, json_pack("{s:I}", "cursor",
		    (json_int_t)rs->after));
		rs->alive_ms = now + V1_FEED_ALIVE_MS;
		return false;
	}
	return http_wait(rs->req, HTTP_WAIT_ANY, rs->alive_ms < rs->end_ms ?
	    rs->alive_ms : rs->end_ms, rs->gen);
}

static ssize_t
v1_results_read_cb(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct v1_results *rs = cls;
	size_t		 n;
	int		 r;

	(void)pos;
	while (rs->off == rs->len) {
		if (rs->end)
			return MHD_CONTENT_READER_END_OF_STREAM;
		/* A run deleted meanwhile: nothing more will come, a clean
		 * end (the client's next request is a 404); a store that
		 * failed: an error, and the client comes back with the
		 * cursor. */
		if ((r = v1_results_fill(rs)) == -ENOENT)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (r < 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		/* Suspended: called again when resumed. */
		if (rs->rows == 0 && rs->follow && v1_feed_wait(rs))
			return 0;
	}
	n = rs->len - rs->off < max ? rs->len - rs->off : max;
	memcpy(buf, rs->buf + rs->off, n);
	rs->off += n;
	return (ssize_t)n;
}

static void
v1_results_free_cb(void *cls)
{
	struct v1_results *rs = cls;

	if (rs->follow)
		http_follow_end(rs->http);
	free(rs->buf);
	free(rs->run);
	free(rs);
}

/*
 * The "fields" argument of the results stream: names separated by
 * commas, of message, tests, stderr and original, into *fields
 * (V1JSON_*).
 * Returns true, or false when a name is none of those.
 */
static bool
v1_results_fields(const char *arg, unsigned *fields)
{
	static const struct {
		const char	*name;
		unsigned	 flag;
	} names[] = {
		{ "message", V1JSON_MESSAGE },
		{ "tests", V1JSON_TESTS },
		{ "stderr", V1JSON_STDERR },
		{ "original", V1JSON_ORIGINAL },
	};
	const char	*item;
	size_t		 len, i;

	*fields = 0;
	while (arg != NULL) {
		item = v1_list_next(&arg, &len);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len &&
			    strncmp(item, names[i].name, len) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return false;
		*fields |= names[i].flag;
	}
	return true;
}

/*
 * A new stream of run "run" for the request: a feed (by seq, after
 * "after") or the results (by row), and one that follows (counted:
 * http_follow_begin() was true) until "secs" from now.
 */
static struct v1_results *
v1_results_new(struct http_req *req, const char *run, bool feed,
    int64_t after, bool follow, int64_t secs)
{
	struct v1_results *rs = xcalloc(1, sizeof(*rs));

	rs->svc = req->svc;
	rs->http = req->http;
	rs->run = xstrdup(run);
	rs->feed = feed;
	rs->after = after;
	if (follow) {
		rs->follow = true;
		rs->req = req;
		rs->end_ms = http_now_ms() + (uint64_t)secs * 1000;
		rs->alive_ms = http_now_ms() + V1_FEED_ALIVE_MS;
	}
	return rs;
}

/*
 * Answer with the stream "rs" (stolen): its lines' fields from ?fields=,
 * and its first page now, so that an unknown run is a 404, not an empty
 * 200.
 */
static enum MHD_Result
v1_results_reply(struct http_req *req, struct v1_results *rs,
    const char *run)
{
	int		 r;

	if (!v1_results_fields(http_arg(req, "fields"), &rs->fields)) {
		v1_results_free_cb(rs);
		return V1_BAD_ARG(req, "fields", "fields: names separated by "
		    "commas, of message, tests, stderr and original");
	}
	if ((r = v1_results_fill(rs)) < 0) {
		v1_results_free_cb(rs);
		return v1_store_error(req, r, "run", run);
	}
	return http_reply_stream(req, "application/x-ndjson",
	    v1_results_read_cb, rs, v1_results_free_cb);
}

static enum MHD_Result
v1_get_run_results(struct http_req *req, char **params)
{
	return v1_results_reply(req, v1_results_new(req, params[0], false, 0,
	    false, 0), params[0]);
}

/*
 * GET /v1/runs/{run}/feed?after=CURSOR&follow=1&timeout=S&fields=...:
 * the run's verdicts in the order they came, each line with its
 * "cursor"; after the last, the stream ends, or with follow it waits
 * for more (v1_feed_wait()) until "timeout" (at most V1_FEED_MAX_S).
 * Streams that follow at once are at most half of max_connections, so
 * that followers never take every connection: beyond, 503.
 */
static enum MHD_Result
v1_get_run_feed(struct http_req *req, char **params)
{
	const char	*v;
	int64_t		 after = 0, secs = V1_FEED_MAX_S, follow = 0;
	unsigned	 max = req->cfg->max_connections > 1 ?
			    req->cfg->max_connections / 2 : 1;

	if ((v = http_arg(req, "after")) != NULL &&
	    !v1args_int(v, 0, INT64_MAX, &after))
		return V1_BAD_ARG(req, "after", "after must be a cursor: a "
		    "line's \"cursor\", a whole number from 0 to %jd",
		    (intmax_t)INT64_MAX);
	if ((v = http_arg(req, "follow")) != NULL && !v1args_int(v, 0, 1,
	    &follow))
		return V1_BAD_ARG(req, "follow", "follow must be 1 (wait for "
		    "more verdicts) or 0");
	if ((v = http_arg(req, "timeout")) != NULL &&
	    (!v1args_int(v, 1, V1_FEED_MAX_S, &secs) || !follow))
		return V1_BAD_ARG(req, "timeout", "timeout must be 1 to %d "
		    "seconds, with follow=1", V1_FEED_MAX_S);
	if (follow && !http_follow_begin(req->http, max))
		return http_reply_error(req, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "too_many_followers", NULL, V1_RETRY_FULL_S, "%u feeds "
		    "follow already (half of max_connections); retry later",
		    max);
	return v1_results_reply(req, v1_results_new(req, params[0], true,
	    after, follow, secs), params[0]);
}

/* --- Problems --- */

/*
 * The summary of a problem: {"task_id", "dataset", "benchmark", "mode",
 * "tests", "base_tests"} (base_tests: of tests, EvalPlus's base inputs;
 * null when the problem has no base and plus split).
 */
static json_t *
v1_problem_json(const struct problem *pb)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "task_id",
	    pb->task_id, "dataset", pb->dataset, "benchmark",
	    bench_get(pb->bench)->name, "mode", bench_mode(pb), "tests",
	    (json_int_t)pb->ntests, "base_tests", pb->nbase > 0 ?
	    json_integer((json_int_t)pb->nbase) : json_null());
}

/* A listing of problems, for v1_problems_cb(). */
struct v1_problems {
	const char	*bench;		/* NULL: all */
	enum bench_id	 b;
	const char	*dataset;	/* NULL: all */
	json_t		*list;
};

/* List the problems of the set, under its read lock. */
static void
v1_problems_cb(const struct problemset *ps, void *arg)
{
	struct v1_problems *lp = arg;
	const struct problem *pb;

	for (size_t i = 0; i < problemset_count(ps); i++) {
		pb = problemset_at(ps, i);
		if ((lp->bench == NULL || pb->bench == lp->b) &&
		    (lp->dataset == NULL ||
		    strcmp(pb->dataset, lp->dataset) == 0))
			json_array_append_new(lp->list, v1_problem_json(pb));
	}
}

static enum MHD_Result
v1_get_problems(struct http_req *req, char **params)
{
	const char	*bench = http_arg(req, "benchmark");
	enum bench_id	 b = BENCH_COUNT;
	struct v1_problems lp;

	(void)params;
	if (bench != NULL && bench_find(bench, strlen(bench), &b) < 0)
		return http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_argument", json_pack("{s:s}", "field",
		    "benchmark"), 0, "unknown benchmark \"%.32s\" (%s)",
		    bench, bench_names());
	lp = (struct v1_problems){ bench, b, http_arg(req, "dataset"),
	    json_array() };
	service_problems(req->svc, v1_problems_cb, &lp);
	return http_reply_json(req, MHD_HTTP_OK, json_pack("{s:o}",
	    "problems", lp.list));
}

/* One problem in full, as a new object in *(json_t **)arg, or NULL. */
static void
v1_problem_cb(const struct problem *pb, void *arg)
{
	json_t	**op = arg, *o;

	if (pb == NULL)
		return;
	o = v1_problem_json(pb);
	json_object_set_new(o, "prompt", json_string(pb->prompt));
	json_object_set_new(o, "suffix", json_string(pb->suffix));
	json_object_set_new(o, "canonical_solution", pb->canonical ?
	    json_string(pb->canonical) : json_null());
	*op = o;
}

static enum MHD_Result
v1_get_problem(struct http_req *req, char **params)
{
	json_t		*o = NULL;

	service_problem_find(req->svc, params[0], v1_problem_cb, &o);
	if (o == NULL)
		return http_reply_error(req, MHD_HTTP_NOT_FOUND,
		    "unknown_problem", NULL, 0, "no problem \"%.128s\"",
		    params[0]);
	return http_reply_json(req, MHD_HTTP_OK, o);
}

static enum MHD_Result
v1_post_problems(struct http_req *req, char **params)
{
	struct store_import imp = { http_arg(req, "format"),
	    http_arg(req, "dataset"), req->body, req->len };
	json_t		*ids;
	unsigned	 fmt;
	bool		 same;
	char		 err[1024];
	int		 r;

	(void)params;
	if (imp.format == NULL || bench_format_parse(imp.format, &fmt) < 0)
		return http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_argument", json_pack("{s:s}", "field", "format"),
		    0, "?format=humaneval|mbpp|apps|evalplus is required");
	if (imp.dataset != NULL && !problemset_dataset_ok(imp.dataset))
		return http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_argument", json_pack("{s:s}", "field", "dataset"),
		    0, "a dataset name is 1 to %d of a-z 0-9 . _ + -, "
		    "starting with a letter or digit", PROBLEMSET_DATASET_MAX);
	if (req->len == 0)
		return http_reply_error(req, MHD_HTTP_BAD_REQUEST,
		    "invalid_problems", NULL, 0, "the body is empty: send the "
		    "problem file");
	r = service_import(req->svc, &imp, &ids, &same, err, sizeof(err));
	if (r < 0)
		return v1_reply_errno(req, r, "problem", "%s", err);
	/* The same file again: 200, nothing new. */
	return http_reply_json(req, same ? MHD_HTTP_OK : MHD_HTTP_CREATED,
	    json_pack("{s:I, s:b, s:o}", "imported", same ? (json_int_t)0 :
	    (json_int_t)json_array_size(ids), "unchanged", same, "task_ids",
	    ids));
}

/* --- Reports --- */

/* A report and the time it is made, for v1_reports_meta_cb(). */
struct v1_reports_meta {
	json_t		*report;
	time_t		 now;
};

/* Add the report's "meta", under the problem set's read lock. */
static void
v1_reports_meta_cb(const struct problemset *ps, void *arg)
{
	struct v1_reports_meta *m = arg;

	reports_meta(m->report, ps, m->now);
}

/* libmicrohttpd's query argument "key" of the request "arg". */
static const char *
v1_arg_cb(void *arg, const char *key)
{
	return http_arg(arg, key);
}

static enum MHD_Result
v1_get_reports(struct http_req *req, char **params)
{
	struct v1args_report a;
	struct v1args_bad bad;
	struct v1_reports_meta meta;
	const struct models *models;
	struct models	*own = NULL;
	struct store	*st;
	json_t		*rep;
	char		*p, err[512];
	int		 r;

	(void)params;
	if (v1args_report(v1_arg_cb, req, &a, &bad) < 0)
		return V1_BAD_ARG(req, bad.field, "%s", bad.msg);
	/* A cost table of the request's own over the config's: for this
	 * report alone. */
	models = service_config_models(req->cfg);
	if (a.cost != NULL) {
		if (models_from_request(a.cost, models, &own, err,
		    sizeof(err)) < 0) {
			v1args_report_free(&a);
			return V1_BAD_ARG(req, "cost", "cost: %s", err);
		}
		models = own;
	}
	if ((st = service_store(req->svc)) == NULL) {
		v1args_report_free(&a);
		models_free(own);
		return v1_reply_errno(req, -EIO, "store",
		    "the store cannot be opened");
	}
	r = reports_build(st, models, &a.rq, &rep, err, sizeof(err));
	v1args_report_free(&a);
	models_free(own);
	if (r < 0)
		return v1_reply_errno(req, r, "report", "%s", err);
	meta.report = rep;
	meta.now = time(NULL);
	service_problems(req->svc, v1_reports_meta_cb, &meta);
	if (a.fmt == RENDER_JSON)
		return http_reply_json(req, MHD_HTTP_OK, rep);
	p = render_report(rep, a.fmt, a.metric, &a.ro);
	json_decref(rep);
	return http_reply_text(req, MHD_HTTP_OK, render_content_type(a.fmt), p);
}

/* --- Health and metrics --- */

static enum MHD_Result
v1_get_health(struct http_req *req, char **params)
{
	struct service	*svc = req->svc;

	(void)params;
	/* The database by its backend only: its name or URI would tell
	 * anyone (the health is open) where it lives. */
	return http_reply_json(req, MHD_HTTP_OK, json_pack("{s:s, s:s, s:s, "
	    "s:I, s:I, s:I, s:I, s:{s:s, s:b}}", "status",
	    service_draining(svc) ? "draining" : "ok", "version",
	    PROTO_VERSION, "node", req->cfg->node_id, "problems",
	    (json_int_t)service_problem_count(svc), "workers",
	    (json_int_t)req->cfg->workers, "queued",
	    (json_int_t)service_queued(svc), "running",
	    (json_int_t)service_running(svc), "database", "backend",
	    service_db_backend(svc), "reachable",
	    service_db_reachable(svc)));
}

/* api/openapi.json, compiled in (tools/embed.sh). */
extern const char v1_openapi_json[];

/* The API's OpenAPI 3.1 description, as api/openapi.json says it. */
static enum MHD_Result
v1_get_openapi(struct http_req *req, char **params)
{
	(void)params;
	return http_reply_text(req, MHD_HTTP_OK, "application/json",
	    xstrdup(v1_openapi_json));
}

static enum MHD_Result
v1_get_metrics(struct http_req *req, char **params)
{
	(void)params;
	return http_reply_text(req, MHD_HTTP_OK,
	    "text/plain; version=0.0.4; charset=utf-8",
	    metrics_render(service_metrics(req->svc), service_queued(req->svc),
	    service_running(req->svc)));
}
