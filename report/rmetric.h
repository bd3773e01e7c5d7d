/*
 * rmetric.h - the four metrics of the renderers (enum render_metric in
 * render.h): their wire names and what people read about them, in
 * tables indexed by the metric.  Nothing of report/ below it but the
 * enum.  Static data, callable from any thread.
 */
#ifndef REPORT_RMETRIC_H
#define REPORT_RMETRIC_H

#include "report/render.h"

/* The number of metrics: RENDER_PASS .. RENDER_RANK. */
#define RMETRIC_N	4

/*
 * The wire names, "pass", "flops", "time" and "rank": the "metric"
 * parameter of a report request, the "metric" of the report's
 * comparisons, and the budget lists' keys for flops and time.
 */
extern const char *const rmetric_names[RMETRIC_N];

/* What people read about a metric. */
struct rmetric_label {
	const char	*value;		/* what a point's value is */
	const char	*xname;		/* what its x is */
	const char	*table;		/* heading of the table of values */
	const char	*title;		/* of the plot */
	const char	*xlabel;	/* of the plot's x axis */
	const char	*xabsolute;	/* of it in TFLOPs or seconds
					   (RENDER_AXIS_ABSOLUTE); NULL:
					   not a budget */
	const char	*ylabel;	/* of its y axis */
	const char	*empty;		/* said when no run has a point */
	const char	*how;		/* how to read the plot */
};

/* The labels of each metric. */
extern const struct rmetric_label rmetric_labels[RMETRIC_N];

#endif /* REPORT_RMETRIC_H */
