/*
 * rcsv.h - the csv format of the renderers (render.h): one header line,
 * then one line per (run, x) of the metric.  Pure, callable from any
 * thread.
 */
#ifndef REPORT_RCSV_H
#define REPORT_RCSV_H

#include <stdio.h>
#include <jansson.h>

#include "report/render.h"

/*
 * Write the csv rendering of metric m of "report" (borrowed) onto f, as
 * render.h describes it.  Allocation failures abort, as xmalloc does;
 * write errors stay with f.
 */
void	 rcsv_write(FILE *f, const json_t *report, enum render_metric m);

#endif /* REPORT_RCSV_H */
