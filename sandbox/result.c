/*
 * result.c - the jail's result record, typed.  See result.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "sandbox/result.h"

#define RESULT_NOT_RUN	"not_run"

/* Format an error naming "key" into errbuf; returns -EINVAL. */
static int
result_bad(char *errbuf, size_t errlen, const char *key, const char *what)
{
	snprintf(errbuf, errlen, "result record: \"%s\" %s", key, what);
	return -EINVAL;
}

/* rec[key] as an integer into *v (dflt when absent); -EINVAL if not. */
static int
result_int(const json_t *rec, const char *key, int64_t dflt, int64_t *v,
    char *errbuf, size_t errlen)
{
	json_t	*x = json_object_get(rec, key);

	if (x == NULL || json_is_null(x))
		*v = dflt;
	else if (json_is_integer(x))
		*v = json_integer_value(x);
	else
		return result_bad(errbuf, errlen, key, "is not an integer");
	return 0;
}

/* rec[key] as a new string in *s ("" or NULL when absent). */
static int
result_str(const json_t *rec, const char *key, const char *dflt, char **s,
    char *errbuf, size_t errlen)
{
	json_t	*x = json_object_get(rec, key);

	if (x == NULL || json_is_null(x))
		*s = dflt != NULL ? xstrdup(dflt) : NULL;
	else if (json_is_string(x))
		*s = xstrdup(json_string_value(x));
	else
		return result_bad(errbuf, errlen, key, "is not a string");
	return 0;
}

/* rec[key] as a boolean (false when absent). */
static int
result_bool(const json_t *rec, const char *key, bool *b, char *errbuf,
    size_t errlen)
{
	json_t	*x = json_object_get(rec, key);

	if (x != NULL && !json_is_boolean(x) && !json_is_null(x))
		return result_bad(errbuf, errlen, key, "is not a boolean");
	*b = json_is_true(x);
	return 0;
}

static const char *const result_cost_keys[SANDBOX_COST_COUNT] = {
	"cand_minflt", "cand_majflt", "cand_nvcsw", "cand_nivcsw",
	"cand_cpu_us",
	"forker_minflt", "forker_majflt", "forker_nvcsw", "forker_nivcsw",
	"forker_cpu_us",
	"zygote_minflt", "zygote_majflt", "zygote_nvcsw", "zygote_nivcsw",
	"zygote_cpu_us",
	"judge_minflt", "judge_majflt", "judge_nvcsw", "judge_nivcsw",
	"judge_cpu_us",
};

const char *
sandbox_cost_key(enum sandbox_cost_kind k)
{
	return k < SANDBOX_COST_COUNT ? result_cost_keys[k] : "?";
}

/* rec["cost"] into cost[] (-1 for each key absent); -EINVAL naming
 * "cost" or "cost.KEY" when it is not an object of integers. */
static int
result_cost(const json_t *rec, int64_t cost[SANDBOX_COST_COUNT],
    char *errbuf, size_t errlen)
{
	json_t	*o = json_object_get(rec, "cost");
	char	 key[64];

	for (int k = 0; k < SANDBOX_COST_COUNT; k++)
		cost[k] = -1;
	if (o == NULL || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return result_bad(errbuf, errlen, "cost", "is not an object");
	for (int k = 0; k < SANDBOX_COST_COUNT; k++)
		if (result_int(o, result_cost_keys[k], -1, &cost[k], errbuf,
		    errlen) < 0) {
			snprintf(key, sizeof(key), "cost.%s",
			    result_cost_keys[k]);
			return result_bad(errbuf, errlen, key,
			    "is not an integer");
		}
	return 0;
}

/* One entry of "tests" into *t. */
static int
result_test(const json_t *o, struct sandbox_test *t, char *errbuf,
    size_t errlen)
{
	const char		*st = json_string_value(json_object_get(o,
				    "status"));
	enum proto_verdict	 v;
	int			 r;

	if (!json_is_object(o))
		return result_bad(errbuf, errlen, "tests", "holds a non-object");
	if (st != NULL && strcmp(st, RESULT_NOT_RUN) == 0)
		t->status = SANDBOX_NOT_RUN;
	else if (st != NULL && proto_verdict_parse(st, &v) == 0)
		t->status = (int)v;
	else
		return result_bad(errbuf, errlen, "tests[].status",
		    "is not a verdict");
	if ((r = result_str(o, "name", "", &t->name, errbuf, errlen)) < 0 ||
	    (r = result_int(o, "ms", 0, &t->ms, errbuf, errlen)) < 0 ||
	    (r = result_str(o, "message", NULL, &t->message, errbuf,
	    errlen)) < 0)
		return r;
	return 0;
}

int
sandbox_result_parse(const json_t *rec, struct sandbox_result *res,
    char *errbuf, size_t errlen)
{
	const char	*name = json_string_value(json_object_get(rec,
			    "verdict"));
	json_t		*tests = json_object_get(rec, "tests");
	int		 r;

	memset(res, 0, sizeof(*res));
	if (name == NULL || proto_verdict_parse(name, &res->verdict) < 0) {
		r = result_bad(errbuf, errlen, "verdict", "is not a verdict");
		goto fail;
	}
	if (tests != NULL && !json_is_array(tests) && !json_is_null(tests)) {
		r = result_bad(errbuf, errlen, "tests", "is not an array");
		goto fail;
	}
	if (json_array_size(tests) > 0)
		res->tests = xcalloc(json_array_size(tests),
		    sizeof(*res->tests));
	for (size_t i = 0; i < json_array_size(tests); i++) {
		res->ntests++;
		if ((r = result_test(json_array_get(tests, i),
		    &res->tests[i], errbuf, errlen)) < 0)
			goto fail;
	}
	if ((r = result_bool(rec, "oracle_error", &res->oracle_error, errbuf,
	    errlen)) < 0 ||
	    (r = result_bool(rec, "rechecked", &res->rechecked, errbuf,
	    errlen)) < 0 ||
	    (r = result_int(rec, "cpu_ms", 0, &res->cpu_ms, errbuf,
	    errlen)) < 0 ||
	    (r = result_int(rec, "wall_ms", 0, &res->wall_ms, errbuf,
	    errlen)) < 0 ||
	    (r = result_int(rec, "max_rss_kb", 0, &res->max_rss_kb, errbuf,
	    errlen)) < 0 ||
	    (r = result_int(rec, "jail_rss_kb", 0, &res->jail_rss_kb, errbuf,
	    errlen)) < 0 ||
	    (r = result_int(rec, "jail_fds", -1, &res->jail_fds, errbuf,
	    errlen)) < 0 ||
	    (r = result_int(rec, "forker_fds", -1, &res->forker_fds, errbuf,
	    errlen)) < 0 ||
	    (r = result_str(rec, "stderr", "", &res->stderr_text, errbuf,
	    errlen)) < 0 ||
	    (r = result_str(rec, "message", "", &res->message, errbuf,
	    errlen)) < 0 ||
	    (r = result_str(rec, "expected", NULL, &res->expected, errbuf,
	    errlen)) < 0 ||
	    (r = result_int(rec, "expected_ms", -1, &res->expected_ms, errbuf,
	    errlen)) < 0 ||
	    (r = result_cost(rec, res->cost, errbuf, errlen)) < 0)
		goto fail;
	return 0;
 fail:
	sandbox_result_free(res);
	return r;
}

void
sandbox_result_make(struct sandbox_result *res, enum proto_verdict v,
    const char *message)
{
	memset(res, 0, sizeof(*res));
	res->verdict = v;
	res->stderr_text = xstrdup("");
	res->message = xstrdup(message != NULL ? message : "");
	res->jail_fds = res->forker_fds = res->expected_ms = -1;
	for (int k = 0; k < SANDBOX_COST_COUNT; k++)
		res->cost[k] = -1;
}

json_t *
sandbox_result_tests_json(const struct sandbox_result *res)
{
	json_t	*a = json_array(), *o;

	for (size_t i = 0; i < res->ntests; i++) {
		const struct sandbox_test *t = &res->tests[i];

		o = json_pack("{s:s, s:s, s:I}", "name", t->name, "status",
		    t->status == SANDBOX_NOT_RUN ? RESULT_NOT_RUN :
		    proto_verdict_name((enum proto_verdict)t->status), "ms",
		    (json_int_t)t->ms);
		if (t->message != NULL)
			json_object_set_new(o, "message",
			    json_string(t->message));
		json_array_append_new(a, o);
	}
	return a;
}

void
sandbox_result_free(struct sandbox_result *res)
{
	if (res == NULL)
		return;
	for (size_t i = 0; i < res->ntests; i++) {
		free(res->tests[i].name);
		free(res->tests[i].message);
	}
	free(res->tests);
	free(res->stderr_text);
	free(res->message);
	free(res->expected);
	memset(res, 0, sizeof(*res));
}
