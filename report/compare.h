/*
 * compare.h - the runs side by side, for report_build() (compare.c):
 * the "comparisons" and "disagreements" of the report (report.h).
 * Needs the pass@k curves, the rank-scores (with the per-problem ones
 * at w->rank_ks) and the budget grid of every run.  Pure computation, callable from any thread.
 */
#ifndef REPORT_COMPARE_H
#define REPORT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "report/report-int.h"

/*
 * The k of the tables' log2 grid up to kmax (at least 1): 1, 2, 4, ...
 * below kmax, then kmax; or "only" alone when it is not 0.  Returns a
 * new array of *nk ascending k.
 */
unsigned *report_compare_grid(unsigned kmax, unsigned only, size_t *nk);

/*
 * The k at which "pass" (rank false) or "rank" (rank true) compares the
 * runs: report_compare_grid() up to the least n_min (or rank_k_max) of
 * the runs that have one, or opts->k alone.  Returns a new
 * array of *nk ascending k, or NULL (*nk 0) when there is none: no run
 * with one, or opts->k past the least.
 */
unsigned *report_compare_ks(const struct report_work *w, bool rank,
	    size_t *nk);

/*
 * Whether the comparisons' tests fit in REPORT_BOOT_WORK (boot.h): the
 * resamples times the problems times the tests, at most (every other
 * run against the best at every point of every metric).  Returns 0, or
 * -EINVAL with a message that says what to ask for instead.  Needs the
 * counts and the budget grid.
 */
int	 report_compare_check(const struct report_work *w, char *errbuf,
	    size_t errlen);

/*
 * The "comparisons" array (new; w borrowed): empty for fewer than two
 * runs.  Allocation failures abort, as xmalloc does.
 */
json_t	*report_compare_json(const struct report_work *w);

/*
 * The "disagreements" array (new; w borrowed): empty for fewer than two
 * runs.  Allocation failures abort, as xmalloc does.
 */
json_t	*report_disagree_json(const struct report_work *w);

#endif /* REPORT_COMPARE_H */
