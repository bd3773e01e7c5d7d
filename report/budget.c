/*
 * budget.c - costs per sample and the budget grid (report.h, budgets).
 *
 * A run's cost per sample on each axis (TFLOPs, seconds) comes from the
 * cost table row of its model, or, with opts->measured, from the mean
 * of its candidates' own measurements.  Budgets are counted in units of
 * the base model's cost: at budget B a run gets report_budget_k(B,
 * base, cost) samples.  The grid is B = 2^e, e = 0, 1, ..., shared by
 * every run of an axis, so that the comparisons can line runs up.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "report/budget.h"

/*
 * How near an integer budget * base / cost may fall and still count as
 * that integer: costs such as 0.15 and 0.05 are not exact in binary,
 * and 1 * 0.15 / 0.05 comes out as 2.9999999999999996, which floor()
 * would make 2.  Rounding errors of a few ulps are far inside 1e-9; a
 * true quotient within 1e-9 of an integer (measured costs could give
 * one) is taken for it, a billionth of a sample being no difference.
 */
#define REPORT_BUDGET_SNAP	1e-9

static const char *const report_axis_names[REPORT_NAXES] = {
	"flops", "time"
};
static const char *const report_axis_cost_names[REPORT_NAXES] = {
	"tflops", "seconds"
};

const char *
report_axis_name(enum report_axis a)
{
	return report_axis_names[a];
}

const char *
report_axis_cost_name(enum report_axis a)
{
	return report_axis_cost_names[a];
}

double
report_budget_at(size_t e)
{
	return ldexp(1.0, (int)e);
}

unsigned
report_budget_k(double budget, double base, double cost)
{
	double	 q, r;

	q = budget * base / cost;
	r = round(q);
	if (fabs(q - r) <= REPORT_BUDGET_SNAP * r)
		q = r;
	if (!(q >= 1.0))
		return 0;		/* also NaN */
	if (q >= (double)UINT_MAX)
		return UINT_MAX;
	return (unsigned)q;
}

/* A cost that can divide a budget, or NAN. */
static double
report_budget_valid(double x)
{
	return isfinite(x) && x > 0.0 ? x : NAN;
}

/* The cost table row of "model" (NULL: none), or NULL. */
static const struct report_cost *
report_budget_row(const struct report_opts *opts, const char *model)
{
	if (model == NULL)
		return NULL;
	for (size_t i = 0; i < opts->ncosts; i++) {
		if (opts->costs[i].model != NULL &&
		    strcmp(opts->costs[i].model, model) == 0)
			return &opts->costs[i];
	}
	return NULL;
}

/* The table cost of "model" on axis "a", or NAN. */
static double
report_budget_table(const struct report_opts *opts, const char *model,
    enum report_axis a)
{
	const struct report_cost *row = report_budget_row(opts, model);

	if (row == NULL)
		return NAN;
	return report_budget_valid(a == REPORT_FLOPS ? row->tflops :
	    row->seconds);
}

/*
 * The mean measured cost on axis "a" of the run's sampled candidates,
 * or NAN unless every one of them carries it.
 */
static double
report_budget_measured(const struct report_run *run, enum report_axis a)
{
	double	 sum = 0.0, x;
	size_t	 n = 0;

	for (size_t p = 0; p < run->np; p++) {
		for (size_t i = 0; i < run->p[p].ns; i++) {
			const struct report_sample *s = &run->p[p].s[i];

			if (s->greedy)
				continue;
			x = a == REPORT_FLOPS ? s->tflops : s->seconds;
			if (!(x >= 0.0))
				return NAN;	/* not given */
			sum += x;
			n++;
		}
	}
	return n == 0 ? NAN : report_budget_valid(sum / (double)n);
}

int
report_budget_costs(struct report_work *w, char *errbuf, size_t errlen)
{
	const struct report_opts *opts = w->opts;
	const struct report_cost *row;
	const char	*cheapest[REPORT_NAXES] = { NULL, NULL };
	double		 m;

	for (size_t i = 0; i < w->nruns; i++) {
		struct report_stat	*st = &w->st[i];

		for (int a = 0; a < REPORT_NAXES; a++) {
			m = opts->measured ?
			    report_budget_measured(st->run, a) : NAN;
			if (!isnan(m))
				st->measured = true;
			st->cost[a] = !isnan(m) ? m :
			    report_budget_table(opts, st->run->model, a);
			st->ranker[a] = report_budget_table(opts,
			    st->run->ranker, a);
		}
	}

	if (opts->base_model != NULL) {
		if ((row = report_budget_row(opts, opts->base_model)) ==
		    NULL) {
			log_errbuf(errbuf, errlen, "unknown base model %s",
			    opts->base_model);
			return -EINVAL;
		}
		w->base_model = opts->base_model;
		for (int a = 0; a < REPORT_NAXES; a++)
			w->base[a] = report_budget_table(opts, row->model, a);
		return 0;
	}

	/*
	 * The cheapest run of each axis.  The base is named after a model
	 * only when one model is the cheapest on every axis with a cost.
	 */
	for (int a = 0; a < REPORT_NAXES; a++) {
		w->base[a] = NAN;
		for (size_t i = 0; i < w->nruns; i++) {
			m = w->st[i].cost[a];
			if (!isnan(m) && !(m >= w->base[a])) {
				w->base[a] = m;
				cheapest[a] = w->st[i].run->model;
			}
		}
	}
	if (isnan(w->base[REPORT_FLOPS]) || isnan(w->base[REPORT_TIME]))
		w->base_model = cheapest[isnan(w->base[REPORT_FLOPS]) ?
		    REPORT_TIME : REPORT_FLOPS];
	else if (cheapest[REPORT_FLOPS] != NULL &&
	    cheapest[REPORT_TIME] != NULL &&
	    strcmp(cheapest[REPORT_FLOPS], cheapest[REPORT_TIME]) == 0)
		w->base_model = cheapest[REPORT_FLOPS];
	return 0;
}

/*
 * The number of budgets of axis "a": they stop at the first budget where
 * every run with a cost has more than n_max samples.  k grows with the
 * budget, so a run past its n_max never comes back; a run that cannot
 * afford one sample yet keeps the grid going.  It ends: at the latest,
 * when 2^e overflows to infinity, every k is UINT_MAX.
 */
static size_t
report_budget_count(const struct report_work *w, enum report_axis a)
{
	size_t	 nb = 0, e;

	for (size_t i = 0; i < w->nruns; i++) {
		const struct report_stat *st = &w->st[i];

		if (isnan(st->cost[a]))
			continue;
		for (e = 0; report_budget_k(report_budget_at(e), w->base[a],
		    st->cost[a]) <= st->n_max; e++)
			;
		if (e > nb)
			nb = e;
	}
	return nb;
}

void
report_budget_grid(struct report_work *w)
{
	unsigned	 k, rk;
	double		 b;

	for (int a = 0; a < REPORT_NAXES; a++) {
		w->nbudgets[a] = isnan(w->base[a]) ? 0 :
		    report_budget_count(w, a);
		for (size_t i = 0; i < w->nruns; i++) {
			struct report_stat	*st = &w->st[i];

			st->k[a] = xcalloc(w->nbudgets[a], sizeof(*st->k[a]));
			st->rank_k[a] = xcalloc(w->nbudgets[a],
			    sizeof(*st->rank_k[a]));
			if (isnan(st->cost[a]))
				continue;
			for (size_t e = 0; e < w->nbudgets[a]; e++) {
				b = report_budget_at(e);
				k = report_budget_k(b, w->base[a], st->cost[a]);
				if (k == 0 || k > st->n_max)
					continue;
				st->k[a][e] = k;
				rk = isnan(st->ranker[a]) ? 0 :
				    report_budget_k(b, w->base[a],
				    st->cost[a] + st->ranker[a]);
				if (rk == 0 || rk > st->rank_k_max)
					continue;
				st->rank_k[a][e] = rk;
				st->rank_want[rk - 1] = true;
			}
		}
	}
}
