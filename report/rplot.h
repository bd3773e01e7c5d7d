/*
 * rplot.h - the plots of the renderers (render.h): one metric against x
 * on a log2 axis, percent on the y axis, a polyline per run over the
 * band of its 95% interval, greedy pass@1 as a star, and a legend under
 * the plot.  The svg format is one of them; the html page has one per
 * panel.  Callable from any thread.
 *
 * A run's look comes from its name alone, never from its place in the
 * report, so that it is the same in every report: a hash of the name
 * picks its colour out of the nine of Paul Tol's colour-blind-safe
 * "muted" scheme, its dash pattern (of four) and the shape of its
 * markers (of four), and the legend shows all three.  Two names of the same colour are then most often
 * apart by their dashes or their markers; runs of the same name are
 * the same run.
 */
#ifndef REPORT_RPLOT_H
#define REPORT_RPLOT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "report/render.h"

/* What rplot_svg() drew, as bits. */
#define RPLOT_DRAWN	1u	/* some point: a plot, not only a title */
#define RPLOT_BANDS	2u	/* a band, where a run has standard errors */
#define RPLOT_BEYOND	4u	/* a line past k = reliable_k_max, lighter */
#define RPLOT_FEWER	8u	/* a hollow marker: over fewer problems */

/*
 * Write the plot of metric m of "report" (borrowed) onto f, as an <svg>
 * element, standalone (with its namespace) and fit for inline HTML too,
 * with the options o (not NULL).  With no point at all, the plot is only
 * its title and the metric's "empty" message.  The report's "meta"
 * (daemon/reports.h), when it has one, gives a line under the title.
 * "sets" puts a line on the runs' problem sets under the legend when
 * they differ: their own problems as a warning, or the problems they
 * were cut to and what each dropped (the html page says it once, above
 * the plots, instead).  Returns what it drew, the RPLOT_* bits (0: no
 * point).  Allocation failures abort, as xmalloc does; write errors stay
 * with f.
 */
unsigned rplot_svg(FILE *f, const json_t *report, enum render_metric m,
	    const struct render_opts *o, bool sets);

#endif /* REPORT_RPLOT_H */
