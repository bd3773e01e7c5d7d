/*
 * rsection.h - the sections of a report that the md and html formats
 * (render.h) share, each written once, for both, through a document
 * (rdoc.h): the partial banner, the table of a metric's values, the
 * runs, the comparisons, the disagreements and the base and plus
 * scores.  A section of which the report has nothing writes nothing, or
 * says so.  Callable from any thread; allocation failures abort, as
 * xmalloc does.  In every function, "report" is borrowed.
 */
#ifndef REPORT_RSECTION_H
#define REPORT_RSECTION_H

#include <jansson.h>

#include "report/rdoc.h"
#include "report/render.h"

/*
 * A paragraph on the runs' problem sets when they differ (HTML class
 * "warning" when each run is over its own problems, else "note").
 */
void	 rsection_problem_sets(struct rdoc *d, const json_t *report);

/*
 * The line under the title (HTML class "subtitle"): the benchmarks, the
 * problems, the date and verdict's version, from the report's "meta"
 * (rdata_subtitle()); nothing without one.
 */
void	 rsection_subtitle(struct rdoc *d, const json_t *report);

/* A paragraph (HTML class "partial") per run still being judged. */
void	 rsection_partial(struct rdoc *d, const json_t *report);

/*
 * The table of metric m: a row per x (rdata_rows()), a column per run;
 * pass@k, and pass at a budget, with its standard error and 95%
 * interval where known, a dagger past reliable_k_max and a double
 * dagger over fewer problems, each explained under the table; the
 * budgets with their k and a note on what budget 1 is.
 */
void	 rsection_values(struct rdoc *d, const json_t *report,
	    enum render_metric m);

/*
 * The runs: model, ranker, problems, samples per problem, greedy
 * pass@1, cost per sample and its source, and status (partial, pending,
 * internal errors, what the oracle could not judge).
 */
void	 rsection_runs(struct rdoc *d, const json_t *report);

/*
 * The comparison of metric m, when the report has one: the best run at
 * each x kept by rdata_keep_x() and its margin, then the crossovers.
 */
void	 rsection_compare(struct rdoc *d, const json_t *report,
	    enum render_metric m);

/* The disagreements, when the report has some. */
void	 rsection_disagree(struct rdoc *d, const json_t *report);

/*
 * The base and plus scores of the runs judged by both (the report's
 * "base_plus"), when it has some: a row per run and k (those of the
 * run's pass@k that base_plus gives), then greedy pass@1, with the
 * drop from base to plus in points and in percent of base.
 */
void	 rsection_base_plus(struct rdoc *d, const json_t *report);

#endif /* REPORT_RSECTION_H */
