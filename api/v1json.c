/*
 * v1json.c - the v1 API's JSON for what the store reads.  See v1json.h.
 *
 * The key order is the order of the v1json_set() calls: jansson keeps
 * insertion order, and json_dumps() writes it.  Candidates and results
 * lines share their runs of keys ("score" to "cost", "cpu_ms" to
 * "max_rss_kb"), so each run is built in one place.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api/v1json.h"
#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"

static const char *const v1json_states[] = {
	[STORE_QUEUED] = "queued",
	[STORE_RUNNING] = "running",
	[STORE_DONE] = "done",
};

/*
 * obj[key] = v, stealing v, which is never NULL: jansson allocates
 * through xmalloc (common/xjson.h), the keys are literals and the
 * values valid (strings through v1json_str(), finite reals).
 */
static void
v1json_set(json_t *obj, const char *key, json_t *v)
{
	json_object_set_new(obj, key, v);
}

/*
 * A JSON string of "s", or null for NULL.  Text that is not valid
 * UTF-8 (which the API never stores) is escaped to ASCII rather than
 * dropped.
 */
static json_t *
v1json_str(const char *s)
{
	json_t	*v;
	char	*esc;
	size_t	 len;

	if (s == NULL)
		return json_null();
	if ((v = json_string(s)) != NULL)
		return v;
	len = strlen(s);
	esc = xmalloc(4 * len + 4);
	log_escape(esc, 4 * len + 4, s, len);
	v = json_string(esc);
	free(esc);
	return v;
}

/* An integer, or null when not "given". */
static json_t *
v1json_int(int64_t v, bool given)
{
	return given ? json_integer(v) : json_null();
}

/* "verdict" (null when not done, verdict < 0) and "passed". */
static void
v1json_set_verdict(json_t *o, int verdict)
{
	if (verdict < 0) {
		v1json_set(o, "verdict", json_null());
		v1json_set(o, "passed", json_null());
		return;
	}
	v1json_set(o, "verdict", json_string(proto_verdict_name(
	    (enum proto_verdict)verdict)));
	v1json_set(o, "passed", json_boolean(verdict ==
	    PROTO_VERDICT_PASSED));
}

/* The cost object of the costs given, or null when none is. */
static json_t *
v1json_cost(const struct store_meta *m)
{
	json_t	*cost = NULL;

	if (m->cost_seconds >= 0 || m->cost_tflops >= 0 ||
	    m->cost_tokens >= 0)
		cost = json_object();
	if (m->cost_seconds >= 0)
		v1json_set(cost, "seconds", json_real(m->cost_seconds));
	if (m->cost_tflops >= 0)
		v1json_set(cost, "tflops", json_real(m->cost_tflops));
	if (m->cost_tokens >= 0)
		v1json_set(cost, "tokens", json_integer(m->cost_tokens));
	return cost != NULL ? cost : json_null();
}

/* "score", "greedy", "truncated" and "cost". */
static void
v1json_set_meta(json_t *o, const struct store_meta *m)
{
	v1json_set(o, "score", m->has_score ? json_real(m->score) :
	    json_null());
	v1json_set(o, "greedy", json_boolean(m->greedy));
	v1json_set(o, "truncated", json_boolean(m->truncated));
	v1json_set(o, "cost", v1json_cost(m));
}

/* "cpu_ms", "wall_ms" and "max_rss_kb", null when not recorded. */
static void
v1json_set_usage(json_t *o, const struct store_usage *u)
{
	v1json_set(o, "cpu_ms", v1json_int(u->cpu_ms, u->cpu_ms >= 0));
	v1json_set(o, "wall_ms", v1json_int(u->wall_ms, u->wall_ms >= 0));
	v1json_set(o, "max_rss_kb", v1json_int(u->max_rss_kb,
	    u->max_rss_kb >= 0));
}

/*
 * The per-test results: the stored array, or [] when a done candidate
 * has none (or text that is not an array); null before it is done.
 */
static json_t *
v1json_tests(const char *text, bool done)
{
	json_t	*tests;

	if (!done)
		return json_null();
	if (text != NULL && (tests = json_loads(text, 0, NULL)) != NULL) {
		if (json_is_array(tests))
			return tests;
		json_decref(tests);
	}
	return json_array();
}

/* The verdicts object: every kind, from counts[]. */
static json_t *
v1json_verdicts(const int64_t *counts)
{
	json_t	*v = json_object();

	for (int i = 0; i < PROTO_VERDICT_COUNT; i++)
		v1json_set(v, proto_verdict_name((enum proto_verdict)i),
		    json_integer(counts[i]));
	return v;
}

/* "ms" since the epoch as ISO 8601 UTC, "2024-05-01T12:00:00Z". */
static void
v1json_iso8601(int64_t ms, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)(ms / 1000);

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "1970-01-01T00:00:00Z");
}

json_t *
v1json_candidate(const struct store_candidate *c)
{
	json_t	*o = json_object();

	v1json_set(o, "id", v1json_str(c->id));
	v1json_set(o, "run", v1json_str(c->run));
	v1json_set(o, "model", v1json_str(c->model));
	v1json_set(o, "task_id", v1json_str(c->task_id));
	v1json_set(o, "sample", v1json_int(c->meta.sample,
	    c->meta.has_sample));
	v1json_set(o, "state", json_string(v1json_states[c->state]));
	v1json_set_verdict(o, c->verdict);
	v1json_set(o, "tests", v1json_tests(c->tests,
	    c->state == STORE_DONE));
	v1json_set_usage(o, &c->usage);
	v1json_set(o, "stderr", v1json_str(c->stderr_text));
	v1json_set(o, "message", v1json_str(c->message));
	v1json_set(o, "oracle_error", json_boolean(c->oracle_error));
	v1json_set_meta(o, &c->meta);
	if (c->original != NULL) {
		v1json_set(o, "sanitized", json_true());
		v1json_set(o, "original", v1json_str(c->original));
	}
	return o;
}

json_t *
v1json_reward(const struct store_candidate *c)
{
	json_t		*o = json_object(), *tests, *t;
	size_t		 i, passed = 0, n;

	v1json_set(o, "id", v1json_str(c->id));
	v1json_set(o, "task_id", v1json_str(c->task_id));
	v1json_set(o, "state", json_string(v1json_states[c->state]));
	v1json_set_verdict(o, c->verdict);
	if (c->original != NULL)
		v1json_set(o, "sanitized", json_true());
	if (c->state != STORE_DONE) {
		v1json_set(o, "tests_passed", json_null());
		v1json_set(o, "tests", json_null());
		return o;
	}
	tests = v1json_tests(c->tests, true);
	n = json_array_size(tests);
	json_array_foreach(tests, i, t)
		if (json_is_string(json_object_get(t, "status")) &&
		    strcmp(json_string_value(json_object_get(t, "status")),
		    "passed") == 0)
			passed++;
	json_decref(tests);
	v1json_set(o, "tests_passed", json_real(n > 0 ? (double)passed /
	    (double)n : c->verdict == PROTO_VERDICT_PASSED ? 1.0 : 0.0));
	v1json_set(o, "tests", json_integer((json_int_t)n));
	return o;
}

json_t *
v1json_run(const struct store_run *r)
{
	json_t		*o = json_object();
	int64_t		 done = 0, all;
	char		 created[32];

	for (int i = 0; i < PROTO_VERDICT_COUNT; i++)
		done += r->counts.verdicts[i];
	all = r->counts.pending + done;
	v1json_iso8601(r->created_ms, created, sizeof(created));
	v1json_set(o, "run", v1json_str(r->name));
	v1json_set(o, "model", v1json_str(r->model));
	v1json_set(o, "ranker", v1json_str(r->ranker));
	v1json_set(o, "created", json_string(created));
	v1json_set(o, "candidates", json_integer(all));
	v1json_set(o, "problems", json_integer(r->problems));
	v1json_set(o, "queued", json_integer(r->counts.pending - r->running));
	v1json_set(o, "running", json_integer(r->running));
	v1json_set(o, "done", json_integer(done));
	v1json_set(o, "progress", json_real(all > 0 ?
	    (double)done / (double)all : 0.0));
	v1json_set(o, "verdicts", v1json_verdicts(r->counts.verdicts));
	v1json_set(o, "oracle_errors", json_integer(r->counts.oracle_errors));
	return o;
}

json_t *
v1json_problem(const struct store_problem *p)
{
	json_t	*o = json_object();
	int64_t	 n = 0, c = p->counts.verdicts[PROTO_VERDICT_PASSED];

	/* The oracle's own fault is never a fail: not counted in n. */
	for (int i = 0; i < PROTO_VERDICT_COUNT; i++) {
		if (i != PROTO_VERDICT_INTERNAL)
			n += p->counts.verdicts[i];
	}
	v1json_set(o, "task_id", v1json_str(p->task_id));
	v1json_set(o, "n", json_integer(n));
	v1json_set(o, "c", json_integer(c));
	/* A percent, as everywhere in the API and the reports. */
	v1json_set(o, "pass_rate", n > 0 ? json_real(100.0 * (double)c /
	    (double)n) : json_null());
	v1json_set(o, "pending", json_integer(p->counts.pending));
	v1json_set(o, "verdicts", v1json_verdicts(p->counts.verdicts));
	v1json_set(o, "oracle_errors", json_integer(p->counts.oracle_errors));
	return o;
}

json_t *
v1json_verdict(const struct store_verdict *v, unsigned fields)
{
	json_t	*o = json_object();

	v1json_set(o, "id", v1json_str(v->id));
	v1json_set(o, "task_id", v1json_str(v->task_id));
	v1json_set(o, "sample", v1json_int(v->meta.sample,
	    v->meta.has_sample));
	v1json_set_verdict(o, v->verdict);
	v1json_set_meta(o, &v->meta);
	v1json_set_usage(o, &v->usage);
	if (fields & V1JSON_MESSAGE)
		v1json_set(o, "message", v1json_str(v->message));
	if (fields & V1JSON_TESTS)
		v1json_set(o, "tests", v1json_tests(v->tests, true));
	if (fields & V1JSON_STDERR)
		v1json_set(o, "stderr", v1json_str(v->stderr_text));
	if (v->sanitized)
		v1json_set(o, "sanitized", json_true());
	if (v->sanitized && (fields & V1JSON_ORIGINAL))
		v1json_set(o, "original", v1json_str(v->original));
	return o;
}
