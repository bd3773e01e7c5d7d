/*
 * rank.h - rank-score@k over a whole run, for report_build() (rank.c;
 * report_rank_score(), for one problem, is in report.h).  Pure
 * computation, callable from any thread.
 */
#ifndef REPORT_RANK_H
#define REPORT_RANK_H

#include <stdbool.h>

#include "report/report-int.h"

/*
 * Whether candidate "s" (borrowed) takes part in rank-score: sampled,
 * not truncated, with a score that is not NaN (report.h).
 */
bool	 report_rank_counts(const struct report_sample *s);

/*
 * Fill st->rank[k - 1] for every k <= st->rank_k_max with
 * st->rank_want[k - 1]: the mean rank-score@k over the run's problems
 * with ranked candidates; NAN elsewhere.  When the run has ranked
 * candidates, also keep each problem's rank-score at ks[0..nks-1]
 * (ascending, each at most st->rank_k_max) in st->rank_pp (new), as
 * report-int.h lays it out.  Needs st->count.  Allocation failures
 * abort, as xmalloc does.
 */
void	 report_rank_run(struct report_stat *st, bool higher_is_better,
	    const unsigned *ks, size_t nks);

#endif /* REPORT_RANK_H */
