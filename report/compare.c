/*
 * compare.c - runs side by side: the "comparisons" and "disagreements"
 * of the report (report.h).
 *
 * A comparison lines the runs up on one axis, k for "pass" and "rank",
 * the budget for "flops" and "time", at the x of the paper's log2 grid
 * (report_compare_ks()), and names the best run at each x where two
 * runs or more have a value.  When values tie, the leader of the
 * previous point keeps the lead (else the first run given at the top
 * does), so that two curves meeting at 100% make no crossover.
 *
 * Each other run is then tested against the best with the paired
 * bootstrap (boot.h) over the problems both have a value on, at the
 * best's and its own k; the runs it does not beat at 95% are "tied"
 * with it.  A point with no tie has a clear leader, and a crossover is
 * where the clear leader changes: the new one significantly above the
 * old, which was significantly above it at the last clear point.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "report/boot.h"
#include "report/budget.h"
#include "report/compare.h"
#include "report/passk.h"
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

/* A problem of a run, by task id, for numbering the problems. */
struct report_key {
	const char	*task_id;	/* borrowed from the run */
	size_t		 run, p;	/* its run and index there */
};

/* One test: run r against the best run of point j. */
struct report_test {
	size_t		 j, r;
	size_t		 n;		/* problems behind it; 0: none */
	size_t		*id;		/* their numbers, ascending; new */
	double		*d;		/* r's value minus the best's on
					   each; new */
	struct report_boot b;
};

/*
 * One comparison under way: its metric, its x, and for each run r and
 * point j the value val[r * nx + j] (a fraction, NAN where the run has
 * none) and the k behind it, k[r * nx + j] (0: none).  The problems of
 * every run are numbered by task id across the report: id[r][p], and
 * order[r] lists run r's problems by number.
 */
struct report_cmp {
	const struct report_work *w;
	const char	*metric;
	bool		 rank;		/* per-problem values: rank_pp */
	bool		 is_k;		/* x is k, else a budget */
	size_t		 nx;
	double		*x;
	double		*val;
	unsigned	*k;
	size_t		**id;
	size_t		**order;
	size_t		*best;		/* nx: the best run, or SIZE_MAX */
	struct report_test *tests;
	size_t		 ntests;
};

/* --- Comparisons --- */

unsigned *
report_compare_grid(unsigned kmax, unsigned only, size_t *nk)
{
	unsigned	*ks;

	*nk = 0;
	ks = xreallocarray(NULL, sizeof(kmax) * CHAR_BIT + 1, sizeof(*ks));
	if (only != 0)
		ks[(*nk)++] = only;
	else {
		for (unsigned k = 1; k < kmax && k <= UINT_MAX / 2; k *= 2)
			ks[(*nk)++] = k;
		ks[(*nk)++] = kmax;
	}
	return ks;
}

unsigned *
report_compare_ks(const struct report_work *w, bool rank, size_t *nk)
{
	unsigned	 kmax = UINT_MAX, m;

	*nk = 0;
	for (size_t r = 0; r < w->nruns; r++) {
		m = rank ? w->st[r].rank_k_max : w->st[r].n_min;
		if (m > 0 && m < kmax)
			kmax = m;
	}
	if (kmax == UINT_MAX || w->opts->k > kmax)
		return NULL;
	return report_compare_grid(kmax, w->opts->k, nk);
}

int
report_compare_check(const struct report_work *w, char *errbuf,
    size_t errlen)
{
	unsigned	 resamples = w->opts->resamples != 0 ?
			    w->opts->resamples : REPORT_BOOT_RESAMPLES;
	size_t		 points = 0, most = 0, nk;
	double		 work;

	if (w->nruns < 2)
		return 0;
	for (int rank = 0; rank < 2; rank++) {
		free(report_compare_ks(w, rank, &nk));
		points += nk;
	}
	for (int a = 0; a < REPORT_NAXES; a++)
		points += w->nbudgets[a];
	for (size_t r = 0; r < w->nruns; r++) {
		if (w->st[r].run->np > most)
			most = w->st[r].run->np;
	}
	work = (double)resamples * (double)most * (double)points *
	    (double)(w->nruns - 1);
	if (work <= REPORT_BOOT_WORK)
		return 0;
	log_errbuf(errbuf, errlen, "the comparisons' tests would sum %.3g "
	    "differences (%u resamples, %zu problems, %zu points, %zu runs), "
	    "more than %.0e: ask for fewer resamples or fewer runs", work,
	    resamples, most, points, w->nruns, REPORT_BOOT_WORK);
	return -EINVAL;
}

/* New: x as JSON, an integer k or a budget. */
static json_t *
report_compare_x(double x, bool is_k)
{
	return is_k ? json_integer((json_int_t)x) : rjson_num(x);
}

/* By task id, then by run, for qsort(). */
static int
report_key_cmp(const void *a, const void *b)
{
	const struct report_key *x = a, *y = b;
	int	 c = strcmp(x->task_id, y->task_id);

	if (c != 0)
		return c;
	return (x->run > y->run) - (x->run < y->run);
}

/*
 * Number the problems of every run by task id (the same task id, the
 * same number, in every run) into c->id and c->order.
 */
static void
report_cmp_number(struct report_cmp *c)
{
	const struct report_work *w = c->w;
	struct report_key *keys;
	size_t		 nkeys = 0, num = 0, *fill;

	for (size_t r = 0; r < w->nruns; r++)
		nkeys += w->st[r].run->np;
	keys = xreallocarray(NULL, nkeys + 1, sizeof(*keys));
	fill = xcalloc(w->nruns, sizeof(*fill));
	c->id = xcalloc(w->nruns, sizeof(*c->id));
	c->order = xcalloc(w->nruns, sizeof(*c->order));
	nkeys = 0;
	for (size_t r = 0; r < w->nruns; r++) {
		c->id[r] = xreallocarray(NULL, w->st[r].run->np + 1,
		    sizeof(**c->id));
		c->order[r] = xreallocarray(NULL, w->st[r].run->np + 1,
		    sizeof(**c->order));
		for (size_t p = 0; p < w->st[r].run->np; p++)
			keys[nkeys++] = (struct report_key){
			    w->st[r].run->p[p].task_id, r, p };
	}
	qsort(keys, nkeys, sizeof(*keys), report_key_cmp);
	for (size_t i = 0; i < nkeys; i++) {
		if (i > 0 && strcmp(keys[i - 1].task_id, keys[i].task_id) != 0)
			num++;
		c->id[keys[i].run][keys[i].p] = num;
		c->order[keys[i].run][fill[keys[i].run]++] = keys[i].p;
	}
	free(keys);
	free(fill);
}

/*
 * The value of run r on its problem p at point j, a fraction, or NAN
 * where it has none there.
 */
static double
report_cmp_problem(const struct report_cmp *c, size_t r, size_t j,
    size_t p)
{
	const struct report_stat *st = &c->w->st[r];
	unsigned	 k = c->k[r * c->nx + j];

	if (k == 0)
		return NAN;
	if (c->rank)
		return st->rank_pp[j * st->run->np + p];
	if (st->count[p].n < k)
		return NAN;
	return passk_estimate(st->count[p].n, st->count[p].c, k);
}

/*
 * Lay out test t: the problems that its run and the best both have a
 * value on at its point, in number order, and the differences there.
 */
static void
report_cmp_pair(const struct report_cmp *c, struct report_test *t)
{
	size_t		 a = t->r, b = c->best[t->j], i = 0, l = 0, pa, pb;
	size_t		 na = c->w->st[a].run->np, nb = c->w->st[b].run->np;
	double		 va, vb;

	t->id = xreallocarray(NULL, na + 1, sizeof(*t->id));
	t->d = xreallocarray(NULL, na + 1, sizeof(*t->d));
	t->n = 0;
	while (i < na && l < nb) {
		pa = c->order[a][i];
		pb = c->order[b][l];
		if (c->id[a][pa] != c->id[b][pb]) {
			if (c->id[a][pa] < c->id[b][pb])
				i++;
			else
				l++;
			continue;
		}
		i++;
		l++;
		va = report_cmp_problem(c, a, t->j, pa);
		vb = report_cmp_problem(c, b, t->j, pb);
		if (isnan(va) || isnan(vb))
			continue;
		t->id[t->n] = c->id[a][pa];
		t->d[t->n++] = va - vb;
	}
}

/*
 * Draw every test of c, those over the same problems together (in the
 * usual report, all of them: the runs share their problems).
 */
static void
report_cmp_draw(struct report_cmp *c)
{
	const struct report_opts *opts = c->w->opts;
	struct report_test *t, *u;
	size_t		*batch, nb, n;
	double		*d;
	struct report_boot *out;

	batch = xreallocarray(NULL, c->ntests + 1, sizeof(*batch));
	out = xreallocarray(NULL, c->ntests + 1, sizeof(*out));
	for (size_t i = 0; i < c->ntests; i++) {
		t = &c->tests[i];
		if (t->n == 0 || t->id == NULL)
			continue;	/* no test, or drawn already */
		nb = 0;
		for (size_t l = i; l < c->ntests; l++) {
			u = &c->tests[l];
			if (u->id != NULL && u->n == t->n && memcmp(u->id,
			    t->id, t->n * sizeof(*t->id)) == 0)
				batch[nb++] = l;
		}
		n = t->n;
		d = xreallocarray(NULL, n * nb, sizeof(*d));
		for (size_t q = 0; q < n; q++) {
			for (size_t l = 0; l < nb; l++)
				d[q * nb + l] = c->tests[batch[l]].d[q];
		}
		report_boot_paired(d, n, nb, opts->resamples != 0 ?
		    opts->resamples : REPORT_BOOT_RESAMPLES, opts->seed, out);
		for (size_t l = 0; l < nb; l++) {
			u = &c->tests[batch[l]];
			u->b = out[l];
			free(u->id);
			u->id = NULL;
		}
		free(d);
	}
	free(batch);
	free(out);
}

/* New: a test as JSON, of its run against the point's best. */
static json_t *
report_cmp_test_json(const struct report_boot *b, size_t n)
{
	json_t	*o = json_object(), *ci = json_array();

	json_array_append_new(ci, rjson_pct(b->lo));
	json_array_append_new(ci, rjson_pct(b->hi));
	json_object_set_new(o, "difference", rjson_pct(b->diff));
	json_object_set_new(o, "ci95", ci);
	json_object_set_new(o, "p", rjson_num(b->p));
	json_object_set_new(o, "verdict",
	    rjson_str(report_boot_verdict_name(b->verdict)));
	json_object_set_new(o, "problems", json_integer((json_int_t)n));
	return o;
}

/*
 * The best run at point j: the highest value, the previous point's
 * best "prev" when it has it too, else the first run with it; SIZE_MAX
 * when fewer than two runs have a value there.
 */
static size_t
report_cmp_best(const struct report_cmp *c, size_t j, size_t prev)
{
	size_t	 nx = c->nx, best = 0, have = 0;
	double	 v, top = NAN;

	for (size_t r = 0; r < c->w->nruns; r++) {
		v = c->val[r * nx + j];
		if (isnan(v))
			continue;
		have++;
		if (!(v <= top))
			top = v;	/* also the first */
	}
	if (have < 2)
		return SIZE_MAX;
	if (prev != SIZE_MAX && c->val[prev * nx + j] == top)
		return prev;
	while (c->val[best * nx + j] != top)
		best++;
	return best;
}

/*
 * The best run of every point, and the tests of the others against
 * it, drawn.
 */
static void
report_cmp_test_all(struct report_cmp *c)
{
	size_t	 prev = SIZE_MAX, nruns = c->w->nruns;

	c->best = xreallocarray(NULL, c->nx, sizeof(*c->best));
	c->tests = xreallocarray(NULL, c->nx * nruns + 1,
	    sizeof(*c->tests));
	c->ntests = 0;
	for (size_t j = 0; j < c->nx; j++) {
		c->best[j] = report_cmp_best(c, j, prev);
		if (c->best[j] == SIZE_MAX)
			continue;
		prev = c->best[j];
		for (size_t r = 0; r < nruns; r++) {
			if (r == c->best[j] || isnan(c->val[r * c->nx + j]))
				continue;
			c->tests[c->ntests] = (struct report_test){ .j = j,
			    .r = r };
			report_cmp_pair(c, &c->tests[c->ntests++]);
		}
	}
	report_cmp_draw(c);
}

/*
 * The JSON of one comparison: the points where two runs or more have a
 * value, each with its best, the tests of the others against it, and
 * the runs tied with it; then the crossovers of the clear leader.
 * Returns a new object, or NULL when no x has two values.
 */
static json_t *
report_compare_one(struct report_cmp *c)
{
	const struct report_work *w = c->w;
	const struct report_test *t = c->tests;
	json_t		*cmp, *points, *cross, *pt, *values, *tests, *tied;
	struct report_boot back;
	size_t		 lead = SIZE_MAX, best, nback;
	double		 second, v;

	points = json_array();
	cross = json_array();
	for (size_t j = 0; j < c->nx; j++) {
		if ((best = c->best[j]) == SIZE_MAX)
			continue;
		values = json_object();
		tests = json_object();
		tied = json_array();
		json_array_append_new(tied, rjson_str(w->st[best].run->run));
		second = NAN;
		nback = 0;
		for (size_t r = 0; r < w->nruns; r++) {
			if (isnan(v = c->val[r * c->nx + j]))
				continue;
			json_object_set_new(values, w->st[r].run->run,
			    rjson_pct(v));
			if (r == best)
				continue;
			if (!(v <= second))
				second = v;
			/* The tests are in the order of j, then r. */
			if (t->n == 0 || t->b.verdict != REPORT_BOOT_WORSE)
				json_array_append_new(tied,
				    rjson_str(w->st[r].run->run));
			if (t->n > 0)
				json_object_set_new(tests, w->st[r].run->run,
				    report_cmp_test_json(&t->b, t->n));
			if (r == lead && t->n > 0) {
				back = t->b;
				report_boot_flip(&back);
				nback = t->n;
			}
			t++;
		}

		pt = json_object();
		json_object_set_new(pt, "x", report_compare_x(c->x[j],
		    c->is_k));
		json_object_set_new(pt, "best",
		    rjson_str(w->st[best].run->run));
		json_object_set_new(pt, "margin", rjson_pct(
		    c->val[best * c->nx + j] - second));
		json_object_set_new(pt, "values", values);
		json_object_set_new(pt, "tests", tests);
		json_object_set_new(pt, "tied", tied);
		json_array_append_new(points, pt);
		if (json_array_size(tied) > 1)
			continue;
		if (lead != SIZE_MAX && lead != best && nback > 0) {
			pt = json_object();
			json_object_set_new(pt, "x", report_compare_x(c->x[j],
			    c->is_k));
			json_object_set_new(pt, "before",
			    rjson_str(w->st[lead].run->run));
			json_object_set_new(pt, "after",
			    rjson_str(w->st[best].run->run));
			json_object_set_new(pt, "test",
			    report_cmp_test_json(&back, nback));
			json_array_append_new(cross, pt);
		}
		lead = best;
	}
	if (json_array_size(points) == 0) {
		json_decref(points);
		json_decref(cross);
		return NULL;
	}
	cmp = json_object();
	json_object_set_new(cmp, "metric", rjson_str(c->metric));
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
 * Make the comparison that c is set up for (x, val and k filled), and
 * release what it holds for it.
 */
static json_t *
report_compare_run(struct report_cmp *c)
{
	json_t	*cmp;

	report_cmp_test_all(c);
	cmp = report_compare_one(c);
	for (size_t i = 0; i < c->ntests; i++) {
		free(c->tests[i].id);
		free(c->tests[i].d);
	}
	free(c->tests);
	free(c->best);
	free(c->x);
	free(c->val);
	free(c->k);
	return cmp;
}

/* Room in c for nx points of every run. */
static void
report_compare_alloc(struct report_cmp *c, size_t nx)
{
	c->nx = nx;
	c->x = xreallocarray(NULL, nx, sizeof(*c->x));
	c->val = xreallocarray(NULL, nx * c->w->nruns, sizeof(*c->val));
	c->k = xcalloc(nx * c->w->nruns, sizeof(*c->k));
}

/*
 * "pass" (rank false) or "rank" at the k of report_compare_ks(); rank
 * uses the rank_pp[] that report_rank_run() kept at w->rank_ks, the
 * same k.
 */
static json_t *
report_compare_k(struct report_cmp *c, bool rank)
{
	const struct report_work *w = c->w;
	const struct report_stat *st;
	unsigned	*ks;
	size_t		 nx, i;

	if ((ks = report_compare_ks(w, rank, &nx)) == NULL)
		return NULL;
	c->metric = rank ? "rank" : "pass";
	c->rank = rank;
	c->is_k = true;
	report_compare_alloc(c, nx);
	for (size_t j = 0; j < nx; j++) {
		c->x[j] = ks[j];
		for (size_t r = 0; r < w->nruns; r++) {
			st = &w->st[r];
			i = r * nx + j;
			c->val[i] = NAN;
			if (!rank)
				c->val[i] = st->pass[ks[j] - 1];
			else if (ks[j] <= st->rank_k_max)
				c->val[i] = st->rank[ks[j] - 1];
			if (!isnan(c->val[i]))
				c->k[i] = ks[j];
		}
	}
	free(ks);
	return report_compare_run(c);
}

/* pass@k at each budget of axis "a", at each run's own k. */
static json_t *
report_compare_budget(struct report_cmp *c, enum report_axis a)
{
	const struct report_work *w = c->w;
	const struct report_stat *st;
	size_t		 nx = w->nbudgets[a];

	if (nx == 0)
		return NULL;
	c->metric = report_axis_name(a);
	c->rank = false;
	c->is_k = false;
	report_compare_alloc(c, nx);
	for (size_t e = 0; e < nx; e++) {
		c->x[e] = report_budget_at(e);
		for (size_t r = 0; r < w->nruns; r++) {
			st = &w->st[r];
			c->k[r * nx + e] = st->k[a][e];
			c->val[r * nx + e] = st->k[a][e] == 0 ? NAN :
			    st->pass[st->k[a][e] - 1];
		}
	}
	return report_compare_run(c);
}

json_t *
report_compare_json(const struct report_work *w)
{
	struct report_cmp c = { .w = w };
	json_t		*arr = json_array();

	if (w->nruns < 2)
		return arr;
	report_cmp_number(&c);
	report_compare_add(arr, report_compare_k(&c, false));
	for (int a = 0; a < REPORT_NAXES; a++)
		report_compare_add(arr, report_compare_budget(&c, a));
	report_compare_add(arr, report_compare_k(&c, true));
	for (size_t r = 0; r < w->nruns; r++) {
		free(c.id[r]);
		free(c.order[r]);
	}
	free(c.id);
	free(c.order);
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
