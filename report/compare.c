/*
 * compare.c - runs side by side: the "comparisons" and "disagreements"
 * of the report (report.h).
 *
 * A comparison lines the runs up on one axis, k for "pass" and "rank",
 * the budget for "flops" and "time", and names the best run at each x
 * where two runs or more have a value.  When values tie, the leader of
 * the previous point keeps the lead (else the first run given at the
 * top does), so that two curves meeting at 100% make no crossover.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "report/budget.h"
#include "report/compare.h"
#include "report/rjson.h"

/* Disagreements listed at most. */
#define REPORT_DISAGREE_MAX	10

/* One problem's pass rate in one run. */
struct report_rate {
	const char	*task_id;	/* borrowed from the run */
	size_t		 run;		/* index in the report */
	double		 rate;		/* c / n */
};

/* The rates of one task id: rates[first .. first + n - 1]. */
struct report_spread {
	const char	*task_id;	/* borrowed from the run */
	size_t		 first, n;
	double		 spread;	/* max - min rate */
};

/* --- Comparisons --- */

/* New: x as JSON, an integer k or a budget. */
static json_t *
report_compare_x(double x, bool is_k)
{
	return is_k ? json_integer((json_int_t)x) : rjson_num(x);
}

/*
 * One comparison of "metric" over x[0..nx-1] (k when is_k, else
 * budgets), val[r * nx + j] being run r's value at x[j] as a fraction,
 * NAN where it has none.  Returns a new object, or NULL when no x has
 * two values.
 */
static json_t *
report_compare_one(const struct report_work *w, const char *metric,
    const double *x, bool is_k, size_t nx, const double *val)
{
	json_t		*cmp, *points, *cross, *pt, *values;
	size_t		 prev = SIZE_MAX, best, have;
	double		 v, top, second;

	points = json_array();
	cross = json_array();
	for (size_t j = 0; j < nx; j++) {
		have = 0;
		top = NAN;
		for (size_t r = 0; r < w->nruns; r++) {
			v = val[r * nx + j];
			if (isnan(v))
				continue;
			have++;
			if (!(v <= top))
				top = v;	/* also the first */
		}
		if (have < 2)
			continue;
		best = 0;
		if (prev != SIZE_MAX && val[prev * nx + j] == top)
			best = prev;
		else
			while (val[best * nx + j] != top)
				best++;
		second = NAN;
		values = json_object();
		for (size_t r = 0; r < w->nruns; r++) {
			v = val[r * nx + j];
			if (isnan(v))
				continue;
			json_object_set_new(values, w->st[r].run->run,
			    rjson_pct(v));
			if (r != best && !(v <= second))
				second = v;
		}

		pt = json_object();
		json_object_set_new(pt, "x", report_compare_x(x[j], is_k));
		json_object_set_new(pt, "best",
		    rjson_str(w->st[best].run->run));
		json_object_set_new(pt, "margin", rjson_pct(top - second));
		json_object_set_new(pt, "values", values);
		json_array_append_new(points, pt);
		if (prev != SIZE_MAX && best != prev) {
			pt = json_object();
			json_object_set_new(pt, "x", report_compare_x(x[j],
			    is_k));
			json_object_set_new(pt, "before",
			    rjson_str(w->st[prev].run->run));
			json_object_set_new(pt, "after",
			    rjson_str(w->st[best].run->run));
			json_array_append_new(cross, pt);
		}
		prev = best;
	}
	if (json_array_size(points) == 0) {
		json_decref(points);
		json_decref(cross);
		return NULL;
	}
	cmp = json_object();
	json_object_set_new(cmp, "metric", rjson_str(metric));
	json_object_set_new(cmp, "points", points);
	json_object_set_new(cmp, "crossovers", cross);
	return cmp;
}

/* Append cmp to arr unless it is NULL. */
static void
report_compare_add(json_t *arr, json_t *cmp)
{
	if (cmp != NULL)
		json_array_append_new(arr, cmp);
}

/*
 * "pass" (rank false) or "rank" over k = 1 .. the least n_min or
 * rank_k_max of the runs that have one, or over opts->k alone.
 */
static json_t *
report_compare_k(const struct report_work *w, bool rank)
{
	const struct report_stat *st;
	json_t		*cmp;
	double		*x, *val;
	unsigned	 kmax = UINT_MAX, m, k0, k1;
	size_t		 nx;

	for (size_t r = 0; r < w->nruns; r++) {
		m = rank ? w->st[r].rank_k_max : w->st[r].n_min;
		if (m > 0 && m < kmax)
			kmax = m;
	}
	k0 = w->opts->k != 0 ? w->opts->k : 1;
	k1 = w->opts->k != 0 ? w->opts->k : kmax;
	if (kmax == UINT_MAX || k1 > kmax)
		return NULL;
	nx = k1 - k0 + 1;
	x = xreallocarray(NULL, nx, sizeof(*x));
	val = xreallocarray(NULL, nx * w->nruns, sizeof(*val));
	for (size_t j = 0; j < nx; j++) {
		x[j] = k0 + j;
		for (size_t r = 0; r < w->nruns; r++) {
			st = &w->st[r];
			if (!rank)
				val[r * nx + j] = st->pass[k0 + j - 1];
			else if (k0 + j <= st->rank_k_max)
				val[r * nx + j] = st->rank[k0 + j - 1];
			else
				val[r * nx + j] = NAN;
		}
	}
	cmp = report_compare_one(w, rank ? "rank" : "pass", x, true, nx,
	    val);
	free(x);
	free(val);
	return cmp;
}

/* pass@k at each budget of axis "a". */
static json_t *
report_compare_budget(const struct report_work *w, enum report_axis a)
{
	const struct report_stat *st;
	json_t		*cmp;
	double		*x, *val;
	size_t		 nx = w->nbudgets[a];

	if (nx == 0)
		return NULL;
	x = xreallocarray(NULL, nx, sizeof(*x));
	val = xreallocarray(NULL, nx * w->nruns, sizeof(*val));
	for (size_t e = 0; e < nx; e++) {
		x[e] = report_budget_at(e);
		for (size_t r = 0; r < w->nruns; r++) {
			st = &w->st[r];
			val[r * nx + e] = st->k[a][e] == 0 ? NAN :
			    st->pass[st->k[a][e] - 1];
		}
	}
	cmp = report_compare_one(w, report_axis_name(a), x, false, nx, val);
	free(x);
	free(val);
	return cmp;
}

json_t *
report_compare_json(const struct report_work *w)
{
	json_t	*arr = json_array();

	if (w->nruns < 2)
		return arr;
	report_compare_add(arr, report_compare_k(w, false));
	for (int a = 0; a < REPORT_NAXES; a++)
		report_compare_add(arr, report_compare_budget(w, a));
	report_compare_add(arr, report_compare_k(w, true));
	return arr;
}

/* --- Disagreements --- */

/* By task id, then by run. */
static int
report_rate_cmp(const void *a, const void *b)
{
	const struct report_rate *x = a, *y = b;
	int	 c = strcmp(x->task_id, y->task_id);

	if (c != 0)
		return c;
	return (x->run > y->run) - (x->run < y->run);
}

/* The widest spread first; equal spreads by task id. */
static int
report_spread_cmp(const void *a, const void *b)
{
	const struct report_spread *x = a, *y = b;

	if (x->spread != y->spread)
		return x->spread > y->spread ? -1 : 1;
	return strcmp(x->task_id, y->task_id);
}

/*
 * Every pass rate of every run, sorted by task id; each task id of two
 * runs or more whose rates are not all equal is a disagreement.  A
 * problem without sampled candidates has no rate.
 */
json_t *
report_disagree_json(const struct report_work *w)
{
	struct report_rate	*rates;
	struct report_spread	*sp;
	json_t			*arr = json_array(), *d, *pr;
	size_t			 nrates = 0, nsp = 0, j;
	double			 lo, hi;

	if (w->nruns < 2)
		return arr;
	for (size_t r = 0; r < w->nruns; r++)
		nrates += w->st[r].problems;
	rates = xreallocarray(NULL, nrates, sizeof(*rates));
	sp = xreallocarray(NULL, nrates, sizeof(*sp));
	nrates = 0;
	for (size_t r = 0; r < w->nruns; r++) {
		const struct report_stat *st = &w->st[r];

		for (size_t p = 0; p < st->run->np; p++) {
			if (st->count[p].n == 0)
				continue;
			rates[nrates].task_id = st->run->p[p].task_id;
			rates[nrates].run = r;
			rates[nrates++].rate = (double)st->count[p].c /
			    (double)st->count[p].n;
		}
	}
	qsort(rates, nrates, sizeof(*rates), report_rate_cmp);

	for (size_t i = 0; i < nrates; i = j) {
		lo = hi = rates[i].rate;
		for (j = i + 1; j < nrates && strcmp(rates[i].task_id,
		    rates[j].task_id) == 0; j++) {
			lo = fmin(lo, rates[j].rate);
			hi = fmax(hi, rates[j].rate);
		}
		if (j - i < 2 || hi == lo)
			continue;
		sp[nsp++] = (struct report_spread){ .task_id =
		    rates[i].task_id, .first = i, .n = j - i,
		    .spread = hi - lo };
	}
	qsort(sp, nsp, sizeof(*sp), report_spread_cmp);

	for (size_t i = 0; i < nsp && i < REPORT_DISAGREE_MAX; i++) {
		pr = json_object();
		for (j = sp[i].first; j < sp[i].first + sp[i].n; j++)
			json_object_set_new(pr, w->st[rates[j].run].run->run,
			    rjson_pct(rates[j].rate));
		d = json_object();
		json_object_set_new(d, "task_id", rjson_str(sp[i].task_id));
		json_object_set_new(d, "spread", rjson_pct(sp[i].spread));
		json_object_set_new(d, "pass_rates", pr);
		json_array_append_new(arr, d);
	}
	free(rates);
	free(sp);
	return arr;
}
