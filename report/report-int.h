/*
 * report-int.h - what the files of the report module share, and no one
 * else uses: the figures report_build() works out for each run before
 * it writes any JSON, and the helpers that write it.
 *
 *   report.c    report_build(): checks, counts, pass@k, the JSON
 *   rank.c      rank-score@k, for one problem and for a whole run
 *   budget.c    costs per sample, the base, the budget grid
 *   compare.c   comparisons and disagreements across runs
 *
 * Everything here is called from report_build() only, in that order:
 * counts, costs, budget grid, rank-scores, JSON.
 */
#ifndef REPORT_REPORT_INT_H
#define REPORT_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "report/report.h"

/* The budget axes, in the order the "budgets" object lists them. */
enum report_axis {
	REPORT_FLOPS,			/* "flops", cost "tflops" */
	REPORT_TIME,			/* "time", cost "seconds" */
	REPORT_NAXES
};

/* One problem of a run, counted. */
struct report_count {
	unsigned	 n;		/* judged sampled (not greedy) */
	unsigned	 c;		/* of which passed */
	unsigned	 greedy;	/* judged greedy */
	unsigned	 greedy_c;	/* of which passed */
	unsigned	 ranked;	/* counted by report_rank_counts() */
};

/*
 * One run's figures.  Every pointer but "run" is new, owned by the
 * report_work it sits in; k-indexed arrays hold k at [k - 1].
 */
struct report_stat {
	const struct report_run *run;	/* borrowed */
	struct report_count *count;	/* run->np */
	size_t		 problems;	/* with n > 0 */
	size_t		 greedy_problems; /* with greedy > 0 */
	unsigned	 n_min, n_max;	/* n over those problems */
	double		*pass;		/* pass@k, n_min of them */
	double		*se;		/* its standard error, n_min */
	size_t		 ranked;	/* problems with ranked > 0 */
	unsigned	 rank_k_max;	/* least ranked of those; 0: none */
	bool		*rank_want;	/* rank_k_max: rank[] needed there */
	double		*rank;		/* rank_k_max: rank-score or NAN */
	double		 cost[REPORT_NAXES];	/* per sample; NAN: unknown */
	bool		 measured;	/* a cost[] came from the candidates */
	double		 ranker[REPORT_NAXES];	/* per sample; NAN: unknown */
	unsigned	*k[REPORT_NAXES];	/* at budget 2^e: k, 0: none */
	unsigned	*rank_k[REPORT_NAXES];	/* same, ranker cost added */
};

/* Everything report_build() works out, before the JSON. */
struct report_work {
	const struct report_opts *opts;	/* borrowed */
	struct report_stat *st;		/* nruns, in the caller's order */
	size_t		 nruns;
	const char	*base_model;	/* borrowed, or NULL */
	double		 base[REPORT_NAXES];	/* NAN: no budgets there */
	size_t		 nbudgets[REPORT_NAXES]; /* budgets 2^0..2^(n-1) */
};

/* --- rank.c --- */

/* Whether candidate "s" takes part in rank-score (report.h). */
bool	 report_rank_counts(const struct report_sample *s);

/*
 * Fill st->rank[k - 1] for every k <= st->rank_k_max with
 * st->rank_want[k - 1]: the mean rank-score@k over the run's problems
 * with ranked candidates; NAN elsewhere.  Needs st->count.
 */
void	 report_rank_run(struct report_stat *st, bool higher_is_better);

/* --- budget.c --- */

/*
 * Work out every run's cost[], measured and ranker[], then the base.
 * Returns 0, or -EINVAL with a message in errbuf for an unknown
 * opts->base_model.
 */
int	 report_budget_costs(struct report_work *w, char *errbuf,
	    size_t errlen);

/*
 * Lay out the budgets of each axis and every run's k[] and rank_k[] on
 * them, and mark the rank_want[] those need.  Needs the costs, n_min
 * and rank_k_max.
 */
void	 report_budget_grid(struct report_work *w);

/* Budget number e of every axis: 2^e. */
double	 report_budget_at(size_t e);

/* The wire names of an axis: the budget list and the cost field. */
const char *report_axis_name(enum report_axis a);
const char *report_axis_cost_name(enum report_axis a);

/* --- compare.c --- */

/* The "comparisons" array (new): empty for fewer than two runs. */
json_t	*report_compare_json(const struct report_work *w);

/* The "disagreements" array (new): empty for fewer than two runs. */
json_t	*report_disagree_json(const struct report_work *w);

/* --- report.c --- */

/*
 * JSON helpers.  They abort when jansson runs out of memory, as xmalloc
 * does.
 */

/* obj[key] = v, stealing v. */
void	 report_set(json_t *obj, const char *key, json_t *v);

/* Append v to arr, stealing v. */
void	 report_push(json_t *arr, json_t *v);

/* New: a string, or null for NULL.  "s" must be UTF-8 (checked). */
json_t	*report_jstr(const char *s);

/* New: a number, or null for NAN. */
json_t	*report_jnum(double x);

/* New: 100 * x, a percentage, or null for NAN. */
json_t	*report_jpct(double x);

/* New: an empty object or array. */
json_t	*report_jobj(void);
json_t	*report_jarr(void);

#endif /* REPORT_REPORT_INT_H */
