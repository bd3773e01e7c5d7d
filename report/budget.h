/*
 * budget.h - costs per sample, the base and the budget grid, for
 * report_build() (budget.c; report_budget_k(), the mapping itself, is in
 * report.h).  Pure computation, callable from any thread.
 */
#ifndef REPORT_BUDGET_H
#define REPORT_BUDGET_H

#include <stddef.h>

#include "report/report-int.h"

/*
 * Work out every run's cost[], measured and ranker[], then the base,
 * from w->opts and the runs.  Returns 0, or -EINVAL with a message in
 * errbuf (which may be NULL) for an unknown opts->base_model.
 */
int	 report_budget_costs(struct report_work *w, char *errbuf,
	    size_t errlen);

/*
 * Lay out the budgets of each axis and every run's k[] and rank_k[] on
 * them (new, owned by w), and mark the rank_want[] those need.  Needs
 * the costs, n_max and rank_k_max.  Allocation failures abort, as
 * xmalloc does.
 */
void	 report_budget_grid(struct report_work *w);

/* Budget number e of every axis: 2^e. */
double	 report_budget_at(size_t e);

/*
 * The wire names of an axis: the budget list ("flops", "time") and the
 * cost field ("tflops", "seconds").  Static strings.
 */
const char *report_axis_name(enum report_axis a);
const char *report_axis_cost_name(enum report_axis a);

#endif /* REPORT_BUDGET_H */
