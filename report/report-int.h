/*
 * report-int.h - the figures report_build() works out for each run
 * before it writes any JSON: the types that the files of report_build()
 * share, and no one else uses.  Each file declares its own functions:
 *
 *   report.c    report_build(): checks, counts, pass@k, the JSON
 *   problems.c  the problems the runs share (problems.h)
 *   rank.c      rank-score@k, for one problem and for a whole run
 *               (rank.h)
 *   budget.c    costs per sample, the base, the budget grid (budget.h)
 *   compare.c   comparisons and disagreements across runs (compare.h)
 *
 * report_build() calls them in that order: problem sets, counts, costs,
 * budget grid, rank-scores, JSON (the comparisons drawing on boot.h); report.c and compare.c write it
 * through rjson.h.
 */
#ifndef REPORT_REPORT_INT_H
#define REPORT_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "report/problems.h"
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
	double		*pass;		/* pass@k, n_max of them, each
					   over the problems with n >= k */
	double		*se;		/* its standard error, n_max */
	size_t		*used;		/* n_max: problems with n >= k */
	size_t		 ranked;	/* problems with ranked > 0 */
	unsigned	 rank_k_max;	/* least ranked of those; 0: none */
	bool		*rank_want;	/* rank_k_max: rank[] needed there */
	double		*rank;		/* rank_k_max: rank-score or NAN */
	double		*rank_pp;	/* w->nrank_ks * run->np: the
					   rank-score of problem p at
					   w->rank_ks[j] in [j * np + p],
					   NAN where it has none */
	double		 cost[REPORT_NAXES];	/* per sample; NAN: unknown */
	bool		 measured;	/* a cost[] came from the candidates */
	double		 ranker[REPORT_NAXES];	/* per sample; NAN: unknown */
	unsigned	*k[REPORT_NAXES];	/* at budget 2^e: k, 0: none */
	unsigned	*rank_k[REPORT_NAXES];	/* same, ranker cost added */
};

/* Everything report_build() works out, before the JSON. */
struct report_work {
	const struct report_opts *opts;	/* borrowed */
	struct report_problems ps;	/* the runs' problem sets */
	struct report_stat *st;		/* nruns, in the caller's order */
	size_t		 nruns;
	const char	*base_model;	/* borrowed, or NULL */
	double		 base[REPORT_NAXES];	/* NAN: no budgets there */
	size_t		 nbudgets[REPORT_NAXES]; /* budgets 2^0..2^(n-1) */
	unsigned	*rank_ks;	/* the k of the "rank" comparison,
					   report_compare_ks(); new */
	size_t		 nrank_ks;
};

#endif /* REPORT_REPORT_INT_H */
