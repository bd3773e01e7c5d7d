/*
 * v1args.c - the query arguments of GET /v1/reports.  See v1args.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/v1args.h"
#include "common/xmalloc.h"
#include "daemon/candidate.h"
#include "daemon/reports.h"
#include "report/boot.h"
#include "report/render.h"

/* Refuse the argument "field" for the reason printf() makes of fmt. */
static int __attribute__((format(printf, 3, 4)))
v1args_refuse(struct v1args_bad *bad, const char *field, const char *fmt,
    ...)
{
	va_list	 ap;

	bad->field = field;
	va_start(ap, fmt);
	vsnprintf(bad->msg, sizeof(bad->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

bool
v1args_int(const char *arg, int64_t lo, int64_t hi, int64_t *v)
{
	char		*end;
	long long	 n;

	if (arg[0] < '0' || arg[0] > '9')
		return false;		/* no sign, no space */
	errno = 0;
	n = strtoll(arg, &end, 10);
	if (*end != '\0' || errno != 0 || n < lo || n > hi)
		return false;
	*v = n;
	return true;
}

/* The rendering: format, metric and axis. */
static int
v1args_render(v1args_get_cb *get, void *arg, struct v1args_report *a,
    struct v1args_bad *bad)
{
	const char	*v;

	if ((v = get(arg, "format")) != NULL &&
	    render_format_parse(v, &a->fmt) < 0)
		return v1args_refuse(bad, "format", "unknown format \"%.32s\" "
		    "(json, csv, md, svg, html)", v);
	if ((v = get(arg, "metric")) != NULL &&
	    render_metric_parse(v, &a->metric) < 0)
		return v1args_refuse(bad, "metric", "unknown metric \"%.32s\" "
		    "(pass, flops, time, rank)", v);
	if ((v = get(arg, "axis")) != NULL &&
	    render_axis_parse(v, &a->ro.axis) < 0)
		return v1args_refuse(bad, "axis", "unknown axis \"%.32s\" "
		    "(samples, absolute)", v);
	return 0;
}

/* The numbers: k, resamples and seed. */
static int
v1args_numbers(v1args_get_cb *get, void *arg, struct reports_req *rq,
    struct v1args_bad *bad)
{
	const char	*v;
	int64_t		 k;

	if ((v = get(arg, "k")) != NULL) {
		if (!v1args_int(v, 1, 1000000, &k))
			return v1args_refuse(bad, "k", "k must be a whole "
			    "number >= 1");
		rq->k = (unsigned)k;
	}
	if ((v = get(arg, "resamples")) != NULL) {
		if (!v1args_int(v, REPORT_BOOT_RESAMPLES_MIN,
		    REPORT_BOOT_RESAMPLES_MAX, &k))
			return v1args_refuse(bad, "resamples", "resamples "
			    "must be a whole number from %d to %d",
			    REPORT_BOOT_RESAMPLES_MIN,
			    REPORT_BOOT_RESAMPLES_MAX);
		rq->resamples = (unsigned)k;
	}
	if ((v = get(arg, "seed")) != NULL) {
		if (!v1args_int(v, 0, INT64_MAX, &k))
			return v1args_refuse(bad, "seed", "seed must be a "
			    "whole number from 0 to %jd", (intmax_t)INT64_MAX);
		rq->seed = (uint64_t)k;
	}
	return 0;
}

/* The words: cost (but a JSON object), order, tests and problems. */
static int
v1args_words(v1args_get_cb *get, void *arg, struct v1args_report *a,
    struct v1args_bad *bad)
{
	struct reports_req *rq = &a->rq;
	const char	*v;

	if ((v = get(arg, "cost")) != NULL && v[0] != '{') {
		if (strcmp(v, "measured") != 0 && strcmp(v, "table") != 0)
			return v1args_refuse(bad, "cost", "cost must be "
			    "table, measured or a JSON object of costs");
		rq->measured = strcmp(v, "measured") == 0;
	} else
		a->cost = v;
	if ((v = get(arg, "order")) != NULL) {
		if (strcmp(v, "lower") != 0 && strcmp(v, "higher") != 0)
			return v1args_refuse(bad, "order", "order must be "
			    "lower (lower scores rank first) or higher");
		rq->higher_is_better = strcmp(v, "higher") == 0;
	}
	if ((v = get(arg, "tests")) != NULL) {
		if (strcmp(v, "plus") == 0)
			rq->tests = REPORTS_TESTS_PLUS;
		else if (strcmp(v, "base") == 0)
			rq->tests = REPORTS_TESTS_BASE;
		else if (strcmp(v, "both") == 0)
			rq->tests = REPORTS_TESTS_BOTH;
		else
			return v1args_refuse(bad, "tests", "tests must be "
			    "plus (every test), base (EvalPlus's base tests) "
			    "or both");
	}
	if ((v = get(arg, "problems")) != NULL) {
		if (strcmp(v, "common") != 0 && strcmp(v, "all") != 0)
			return v1args_refuse(bad, "problems", "problems must "
			    "be common (the problems every run has) or all "
			    "(each run's own)");
		rq->own_problems = strcmp(v, "all") == 0;
	}
	return 0;
}

int
v1args_report(v1args_get_cb *get, void *arg, struct v1args_report *a,
    struct v1args_bad *bad)
{
	const char	*runs;
	char		*p, *save;
	int		 r;

	memset(a, 0, sizeof(*a));
	a->fmt = RENDER_JSON;
	a->metric = RENDER_PASS;
	a->ro.axis = RENDER_AXIS_SAMPLES;
	if ((r = v1args_render(get, arg, a, bad)) < 0 ||
	    (r = v1args_numbers(get, arg, &a->rq, bad)) < 0 ||
	    (r = v1args_words(get, arg, a, bad)) < 0)
		return r;
	a->rq.base_model = get(arg, "base");
	runs = get(arg, "runs");
	if (runs == NULL || runs[0] == '\0')
		return v1args_refuse(bad, "runs", "runs=NAME[,NAME...] is "
		    "required");
	a->list = xstrdup(runs);
	for (p = strtok_r(a->list, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		if (a->rq.nruns == V1ARGS_MAX_RUNS ||
		    !candidate_name_ok(p, false)) {
			v1args_report_free(a);
			return v1args_refuse(bad, "runs", "runs must be 1 to "
			    "%d run names separated by commas",
			    V1ARGS_MAX_RUNS);
		}
		a->names[a->rq.nruns++] = p;
	}
	a->rq.runs = a->names;
	return 0;
}

void
v1args_report_free(struct v1args_report *a)
{
	free(a->list);
	a->list = NULL;
}
