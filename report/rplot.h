/*
 * rplot.h - the plots of the renderers (render.h): one metric against x
 * on a log2 axis, percent on the y axis, a polyline per run, greedy
 * pass@1 as a star, and a legend under the plot.  The svg format is one
 * of them; the html page has one per panel.  Callable from any thread.
 */
#ifndef REPORT_RPLOT_H
#define REPORT_RPLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "report/rdata.h"
#include "report/render.h"

/*
 * Write the plot of metric m over the series s[0..n-1] (borrowed) onto
 * f, as an <svg> element, standalone (with its namespace) and fit for
 * inline HTML too.  With no point at all, the plot is only its title and
 * the metric's "empty" message.  "sets" (the report's "problem_sets",
 * borrowed; NULL for none) puts a line under the legend: the runs' own
 * problems as a warning, or the problems they were cut to and what each
 * dropped (the html page says it once, above the plots, instead).
 * Returns whether there was something to plot.  Write errors stay with
 * f.
 */
bool	 rplot_svg(FILE *f, enum render_metric m,
	    const struct rdata_series *s, size_t n, const json_t *sets);

#endif /* REPORT_RPLOT_H */
