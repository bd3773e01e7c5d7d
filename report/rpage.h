/*
 * rpage.h - the html format of the renderers (render.h): a standalone
 * page with no script and no external resource, the plots of the
 * metrics in panels (rplot.h), each with a line on how to read it, then
 * the sections (rsection.h) of every metric.  Callable from any thread.
 */
#ifndef REPORT_RPAGE_H
#define REPORT_RPAGE_H

#include <stdio.h>
#include <jansson.h>

#include "report/render.h"

/*
 * Write the html page of "report" (borrowed) onto f with the options o
 * (borrowed, not NULL), as render.h describes it: the panels of pass@k,
 * pass at a FLOPs and at a wall-time budget, and of rank-score@k when
 * a run has it, laid out with no empty cell.  Allocation failures
 * abort, as xmalloc does; write errors stay with f.
 */
void	 rpage_html(FILE *f, const json_t *report,
	    const struct render_opts *o);

#endif /* REPORT_RPAGE_H */
