/*
 * render.h - a report object (report.h) as text for people and
 * programs: JSON, CSV, Markdown, an SVG plot, or a standalone HTML page.
 * Pure functions: no I/O, no state, callable from any thread.
 *
 * The report is read as documented in report.h; a part that is missing,
 * null or of the wrong type is rendered as absent ("no cost for these
 * models" instead of a budget plot, no rank panel, no subtitle), never
 * as an error.  The daemon's "meta" (daemon/reports.h: benchmarks,
 * problems, date, version) gives a line under the title of the md and
 * html formats and of every plot.
 * Everything that comes from the report (run and model names, task ids)
 * is escaped for the format: quoted in CSV, backslash-escaped in
 * Markdown, entity-escaped in SVG and HTML.
 *
 * The formats:
 *   json  the report as compact JSON and a newline.
 *   csv   one header line, then one line per (run, x) of the metric,
 *         runs in report order, x ascending; "\n" line ends, fields
 *         quoted as in RFC 4180 when they hold a comma, a quote or a
 *         line end; a null value is an empty field; percentages as
 *         numbers (31.25 means 31.25%).  The columns:
 *           pass   run,model,k,pass,stderr,ci95_lo,ci95_hi,reliable
 *           rank   run,model,k,rank_score
 *           flops  run,model,budget,k,pass,stderr,ci95_lo,ci95_hi,
 *                  rank_score
 *           time   the same as flops
 *         "reliable" is 1 when k <= reliable_k_max, else 0; "budget"
 *         is in samples of the base model (report.h "budgets"), whatever
 *         the axis option; ci95_lo and ci95_hi are the normal 95%
 *         interval, pass -+ 1.96 stderr cut to [0, 100] (empty without
 *         a standard error).  When
 *         a run has problems_at_k (uneven n), the pass columns end with
 *         ",problems": the problems behind each pass@k.
 *         When the runs are over different problems ("problem_sets"),
 *         a line "# Note: ..." or "# Warning: ..." comes first.
 *   md    the metric's table (one row per x, one column per run; for a
 *         budget, after the note of "missing_costs" when the daemon
 *         added one, daemon/reports.h), the
 *         runs' summary, the base and plus scores of runs judged by
 *         both ("base_plus": a row per run and k, and greedy pass@1,
 *         with the drop in points and in percent of base), the
 *         comparisons of the metric (the best run at each x, or
 *         "tie: " and the runs tied with it, its margin in points and
 *         the 95% interval and p of its lead over the runner-up, a note
 *         on the bootstrap, then the crossovers with their test) and
 *         the disagreements.  The tables for people keep the rows whose x is
 *         a power of two, and the largest x: the paper's log2 grid,
 *         not 2000 rows of pass@k.  A pass@k cell, and a budget's,
 *         reads "pct \xc2\xb1 stderr (lo\xe2\x80\x93hi)" with its 95%
 *         interval where the standard error is known, and carries a
 *         dagger past reliable_k_max and a double dagger when it is over
 *         fewer problems than the run has, each explained under the
 *         table.
 *   svg   one plot of the metric against x on a log2 axis (ticks at
 *         powers of two, ending at the data but for a small margin),
 *         percent on the y axis, one polyline per run (class "run",
 *         then class "beyond", lighter, past reliable_k_max) over a
 *         translucent band of its 95% interval where it has standard
 *         errors (class "band"), markers hollow where pass@k is over
 *         fewer problems, a legend, greedy pass@1 as a star, and a line
 *         under the legend when the runs are over different problems.
 *         A run's colour (of Paul Tol's colour-blind-safe "muted"
 *         scheme), dash pattern and marker shape come from a hash of its
 *         name (rplot.h), never from its place: the same run looks the
 *         same in every report.  With RENDER_AXIS_ABSOLUTE, the budget
 *         plots' x is the budget times the base model's cost of a sample
 *         (TFLOPs, seconds), and the axis label says so; without a base
 *         cost the axis stays in samples.
 *   html  a page with no external resources and no script: the plots of
 *         pass@k, pass at a FLOPs budget and at a wall-time budget (and
 *         of rank-score@k when a run has it), in a grid that leaves no
 *         cell empty, each with a line on how to read it (and on its
 *         bands, lighter lines and hollow markers when it has some),
 *         then the tables of the Markdown rendering for every metric,
 *         and a banner when a run is still being judged.  The
 *         md and html formats say what "problem_sets" says, a note or
 *         a warning, under the title.
 */
#ifndef REPORT_RENDER_H
#define REPORT_RENDER_H

#include <jansson.h>

enum render_format {
	RENDER_JSON,
	RENDER_CSV,
	RENDER_MD,
	RENDER_SVG,
	RENDER_HTML,
};

enum render_metric {
	RENDER_PASS,			/* pass@k against k */
	RENDER_FLOPS,			/* pass at a FLOPs budget */
	RENDER_TIME,			/* pass at a wall-time budget */
	RENDER_RANK,			/* rank-score@k against k */
};

/*
 * Parse a format name, "json", "csv", "md", "svg" or "html" (exact,
 * lower case).  Returns 0 and stores the format in *out, or -EINVAL
 * (storing nothing) for any other string or NULL.
 */
int	 render_format_parse(const char *, enum render_format *out);

/*
 * Parse a metric name, "pass", "flops", "time" or "rank", as
 * render_format_parse() does.
 */
int	 render_metric_parse(const char *, enum render_metric *out);

/*
 * The HTTP Content-Type of a format, with the charset for text types.
 * Returns a static string.
 */
const char *render_content_type(enum render_format);

/* The x axis of the budget plots. */
enum render_axis {
	RENDER_AXIS_SAMPLES,		/* in samples of the base model */
	RENDER_AXIS_ABSOLUTE,		/* in TFLOPs or seconds */
};

/* How to render, beyond the format and the metric. */
struct render_opts {
	enum render_axis axis;		/* of the budget plots (svg, html) */
};

/*
 * Parse an axis name, "samples" or "absolute", as render_format_parse()
 * does.
 */
int	 render_axis_parse(const char *, enum render_axis *out);

/*
 * Render "report" (borrowed, a report object as in report.h) in
 * "format", with the options "opts" (borrowed; NULL: every option's
 * default, the zero value).  The metric selects the data of csv, md and
 * svg; json and html ignore it.  Returns a new NUL-terminated string
 * that the caller frees, or NULL when report is NULL, the format, the
 * metric or the axis is not one of the enums, or (json) jansson cannot
 * encode the report (a reference cycle).  Allocation failures abort, as
 * xmalloc does.
 */
char	*render_report(const json_t *report, enum render_format format,
	    enum render_metric metric, const struct render_opts *opts);

#endif /* REPORT_RENDER_H */
