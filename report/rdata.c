/*
 * rdata.c - the report object as the renderers read it.  See rdata.h.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "common/xmalloc.h"
#include "report/passk.h"
#include "report/rdata.h"
#include "report/rmetric.h"
#include "report/rtext.h"

/*
 * jansson's object iterators take a non-const object although they do
 * not change it: this is the one place where the const is dropped.
 */
static json_t *
rdata_unconst(const json_t *j)
{
	return (json_t *)(uintptr_t)j;
}

double
rdata_num(const json_t *obj, const char *key)
{
	const json_t	*v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

const char *
rdata_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

const char *
rdata_str_or_dash(const json_t *obj, const char *key)
{
	const char	*s = rdata_str(obj, key);

	return s != NULL ? s : "-";
}

const char *
rdata_run_name(const json_t *run)
{
	const char	*s = rdata_str(run, "run");

	return s != NULL ? s : "(unnamed)";
}

const char *
rdata_problem_sets(const json_t *report, bool *warning)
{
	const json_t	*ps = json_object_get(report, "problem_sets");
	const char	*s;

	*warning = (s = rdata_str(ps, "warning")) != NULL;
	return s != NULL ? s : rdata_str(ps, "note");
}

bool
rdata_is_partial(const json_t *run)
{
	return json_is_true(json_object_get(run, "partial"));
}

/* The separator of the parts of the subtitle: " \xc2\xb7 ", a middle dot. */
#define RDATA_SEP	" \xc2\xb7 "

char *
rdata_subtitle(const json_t *report)
{
	const json_t	*meta = json_object_get(report, "meta"), *e;
	const char	*sep = "", *date, *version;
	struct rtext	 t;
	double		 problems;
	size_t		 i, nb = 0;
	char		*s;

	rtext_open(&t);
	json_array_foreach(json_object_get(meta, "benchmarks"), i, e) {
		if (!json_is_string(e))
			continue;
		fprintf(t.f, "%s%s", nb++ == 0 ? "" : ", ",
		    json_string_value(e));
		sep = RDATA_SEP;
	}
	if ((problems = rdata_num(meta, "problems")) >= 0.0) {
		fprintf(t.f, "%s%.0f problem%s", sep, problems,
		    problems == 1.0 ? "" : "s");
		sep = RDATA_SEP;
	}
	if ((date = rdata_str(meta, "generated")) != NULL) {
		fprintf(t.f, "%s%s", sep, date);
		sep = RDATA_SEP;
	}
	if ((version = rdata_str(meta, "version")) != NULL)
		fprintf(t.f, "%sverdict %s", sep, version);
	s = rtext_close(&t);
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

bool
rdata_ci95(const struct rdata_point *p, double *lo, double *hi)
{
	return passk_ci95(p->y, p->err, 100.0, lo, hi);
}

/* By x, for qsort() and bsearch(). */
static int
rdata_point_cmp(const void *a, const void *b)
{
	const struct rdata_point *pa = a, *pb = b;

	return (pa->x > pb->x) - (pa->x < pb->x);
}

/*
 * The points of a map {"k": pct} (pass_at_k, rank_score_at_k), with the
 * standard errors of errs (the same keys) when given, and the number of
 * problems behind each of the "uneven" run's (problems_at_k; NULL for a
 * run without it) where it is below the run's "problems".  Keys that
 * are not positive integers and values that are not finite are skipped.
 */
static void
rdata_series_kmap(struct rdata_series *s, const json_t *map,
    const json_t *errs, const json_t *uneven)
{
	const json_t	*counts = json_object_get(uneven, "problems_at_k");
	double		 all = rdata_num(uneven, "problems"), u;

	json_t		*m = rdata_unconst(map), *v;
	const char	*key;
	char		*end;
	unsigned long	 k;

	s->pt = xcalloc(json_object_size(m), sizeof(*s->pt));
	json_object_foreach(m, key, v) {
		errno = 0;
		k = strtoul(key, &end, 10);
		if (*key < '1' || *key > '9' || *end != '\0' || errno != 0 ||
		    !json_is_number(v) || !isfinite(json_number_value(v)))
			continue;
		s->pt[s->n].x = s->pt[s->n].k = (double)k;
		s->pt[s->n].y = json_number_value(v);
		s->pt[s->n].err = rdata_num(errs, key);
		s->pt[s->n].rank = NAN;
		u = rdata_num(counts, key);
		s->pt[s->n].used = u < all ? u : NAN;
		s->n++;
	}
}

/*
 * The points of a budgets list [{"budget", "k", "pass", "stderr",
 * "rank"}].
 */
static void
rdata_series_budgets(struct rdata_series *s, const json_t *list)
{
	const json_t	*e;
	size_t		 i;
	double		 x, y;

	s->pt = xcalloc(json_array_size(list), sizeof(*s->pt));
	json_array_foreach(list, i, e) {
		x = rdata_num(e, "budget");
		y = rdata_num(e, "pass");
		if (!(x > 0.0) || !isfinite(x) || !isfinite(y))
			continue;
		s->pt[s->n].x = x;
		s->pt[s->n].y = y;
		s->pt[s->n].k = rdata_num(e, "k");
		s->pt[s->n].err = rdata_num(e, "stderr");
		s->pt[s->n].rank = rdata_num(e, "rank");
		s->pt[s->n].used = NAN;
		s->n++;
	}
}

/* The series of metric m for one run (rdata_series_all()). */
static void
rdata_series_init(struct rdata_series *s, const json_t *report,
    const json_t *run, enum render_metric m)
{
	const char	*unit = m == RENDER_FLOPS ? "tflops" : "seconds";
	const json_t	*budgets;

	s->run = run;
	s->name = rdata_run_name(run);
	s->star_x = 1.0;
	switch (m) {
	case RENDER_PASS:
		rdata_series_kmap(s, json_object_get(run, "pass_at_k"),
		    json_object_get(run, "stderr_at_k"), run);
		break;
	case RENDER_RANK:
		rdata_series_kmap(s, json_object_get(run, "rank_score_at_k"),
		    NULL, NULL);
		break;
	case RENDER_FLOPS:
	case RENDER_TIME:
		budgets = json_object_get(run, "budgets");
		rdata_series_budgets(s, json_object_get(budgets,
		    rmetric_names[m]));
		s->star_x = rdata_num(json_object_get(run, "cost"), unit) /
		    rdata_num(json_object_get(report, "base"), unit);
		break;
	}
	qsort(s->pt, s->n, sizeof(*s->pt), rdata_point_cmp);
	s->star_y = rdata_num(run, "greedy_pass_at_1");
	if (s->n == 0 || !(s->star_x > 0.0) || !isfinite(s->star_x) ||
	    !isfinite(s->star_y))
		s->star_x = NAN;
}

struct rdata_series *
rdata_series_all(const json_t *report, enum render_metric m, size_t *np)
{
	const json_t	*runs = json_object_get(report, "runs");
	struct rdata_series *s;

	*np = json_array_size(runs);
	s = xcalloc(*np, sizeof(*s));
	for (size_t i = 0; i < *np; i++)
		rdata_series_init(&s[i], report, json_array_get(runs, i), m);
	return s;
}

void
rdata_series_free(struct rdata_series *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].pt);
	free(s);
}

const struct rdata_point *
rdata_point_at(const struct rdata_series *s, double x)
{
	struct rdata_point key = { .x = x };

	return bsearch(&key, s->pt, s->n, sizeof(*s->pt), rdata_point_cmp);
}

bool
rdata_keep_x(double x, double xmax)
{
	int	 e;

	return frexp(x, &e) == 0.5 || x == xmax;
}

static int
rdata_double_cmp(const void *a, const void *b)
{
	double	 da = *(const double *)a, db = *(const double *)b;

	return (da > db) - (da < db);
}

double *
rdata_rows(const struct rdata_series *s, size_t n, size_t *nxp)
{
	double	*xs;
	size_t	 nx = 0, kept = 0;

	for (size_t i = 0; i < n; i++)
		nx += s[i].n;
	xs = xcalloc(nx, sizeof(*xs));
	nx = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < s[i].n; j++)
			xs[nx++] = s[i].pt[j].x;
	}
	qsort(xs, nx, sizeof(*xs), rdata_double_cmp);
	for (size_t i = 0; i < nx; i++) {
		if ((i == 0 || xs[i] != xs[i - 1]) &&
		    rdata_keep_x(xs[i], xs[nx - 1]))
			xs[kept++] = xs[i];
	}
	*nxp = kept;
	return xs;
}
