/*
 * compare.h - the runs side by side, for report_build() (compare.c):
 * the "comparisons" and "disagreements" of the report (report.h).
 * Needs the pass@k curves, the rank-scores and the budget grid of every
 * run.  Pure computation, callable from any thread.
 */
#ifndef REPORT_COMPARE_H
#define REPORT_COMPARE_H

#include <jansson.h>

#include "report/report-int.h"

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
