/*
 * render.c - a report as JSON, CSV, Markdown, SVG or HTML.  See render.h.
 *
 * The output is written onto one memory stream (rtext.h).  The report is
 * first read into series, one per run, of points sorted by x (k, or a
 * budget: rdata.h); the CSV, the tables and the plots all draw from
 * them.  Markdown and HTML share their sections (rsection.h) through a
 * document writer (rdoc.h) that writes a heading, a paragraph or a
 * table in either syntax, escaping as it goes; the plot (rplot.h) is
 * one function that writes the svg format and the panels of the HTML
 * page (rpage.h) alike.  This file holds the format names and the
 * formats as a whole; who includes whom:
 *
 *   render.c    rcsv, rsection, rdoc, rpage, rplot, rdata, rmetric, rtext
 *   rpage.c     rsection, rplot, rdoc, rdata, rmetric, rtext
 *   rsection.c  rdoc, rdata, rmetric, rtext
 *   rplot.c     rdata, rmetric, rtext
 *   rcsv.c      rdata, rtext
 *   rdoc.c      rtext
 *   rdata.c     rmetric, rtext, passk (the 95% interval)
 *   rmetric.c   render.h (the enums) only; rtext.c none of report/
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/rcsv.h"
#include "report/rdata.h"
#include "report/rdoc.h"
#include "report/render.h"
#include "report/rmetric.h"
#include "report/rpage.h"
#include "report/rplot.h"
#include "report/rsection.h"
#include "report/rtext.h"

/* --- Names --- */

static const char *const render_format_names[] = {
	[RENDER_JSON] = "json",
	[RENDER_CSV] = "csv",
	[RENDER_MD] = "md",
	[RENDER_SVG] = "svg",
	[RENDER_HTML] = "html",
};
#define RENDER_NFORMATS \
	(sizeof(render_format_names) / sizeof(render_format_names[0]))

static const char *const render_axis_names[] = {
	[RENDER_AXIS_SAMPLES] = "samples",
	[RENDER_AXIS_ABSOLUTE] = "absolute",
};
#define RENDER_NAXES \
	(sizeof(render_axis_names) / sizeof(render_axis_names[0]))

static const char *const render_content_types[] = {
	[RENDER_JSON] = "application/json",
	[RENDER_CSV] = "text/csv; charset=utf-8",
	[RENDER_MD] = "text/markdown; charset=utf-8",
	[RENDER_SVG] = "image/svg+xml",
	[RENDER_HTML] = "text/html; charset=utf-8",
};

/* The index of s in names[0..n-1], or -EINVAL. */
static int
render_lookup(const char *const *names, size_t n, const char *s)
{
	if (s == NULL)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], s) == 0)
			return (int)i;
	}
	return -EINVAL;
}

int
render_format_parse(const char *s, enum render_format *out)
{
	int	 i = render_lookup(render_format_names, RENDER_NFORMATS, s);

	if (i < 0)
		return i;
	*out = (enum render_format)i;
	return 0;
}

int
render_metric_parse(const char *s, enum render_metric *out)
{
	int	 i = render_lookup(rmetric_names, RMETRIC_N, s);

	if (i < 0)
		return i;
	*out = (enum render_metric)i;
	return 0;
}

int
render_axis_parse(const char *s, enum render_axis *out)
{
	int	 i = render_lookup(render_axis_names, RENDER_NAXES, s);

	if (i < 0)
		return i;
	*out = (enum render_axis)i;
	return 0;
}

const char *
render_content_type(enum render_format f)
{
	if ((size_t)f >= RENDER_NFORMATS)
		return "application/octet-stream";
	return render_content_types[f];
}

/* --- Formats --- */

static void
render_md(FILE *f, const json_t *report, enum render_metric m)
{
	struct rdoc	 d = { .f = f, .html = false };

	rdoc_heading(&d, 1, "verdict report: %s", rmetric_labels[m].value);
	rsection_subtitle(&d, report);
	rsection_partial(&d, report);
	rsection_problem_sets(&d, report);
	rsection_values(&d, report, m);
	rsection_runs(&d, report);
	rsection_base_plus(&d, report);
	rsection_compare(&d, report, m);
	rsection_disagree(&d, report);
}

static void
render_svg(FILE *f, const json_t *report, enum render_metric m,
    const struct render_opts *o)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	rplot_svg(f, report, m, o, true);
}

/*
 * json_dumpf() fails on a reference cycle, which is NULL, and on a
 * failed write, which rtext_close() turns into an abort.
 */
char *
render_report(const json_t *report, enum render_format format,
    enum render_metric metric, const struct render_opts *opts)
{
	static const struct render_opts defaults;
	struct rtext	 out;

	if (opts == NULL)
		opts = &defaults;
	if (report == NULL || (size_t)format >= RENDER_NFORMATS ||
	    (size_t)metric >= RMETRIC_N ||
	    (size_t)opts->axis >= RENDER_NAXES)
		return NULL;
	rtext_open(&out);
	switch (format) {
	case RENDER_JSON:
		if (json_dumpf(report, out.f,
		    JSON_COMPACT | JSON_ENCODE_ANY) != 0) {
			free(rtext_close(&out));
			return NULL;
		}
		fputs("\n", out.f);
		break;
	case RENDER_CSV:
		rcsv_write(out.f, report, metric);
		break;
	case RENDER_MD:
		render_md(out.f, report, metric);
		break;
	case RENDER_SVG:
		render_svg(out.f, report, metric, opts);
		break;
	case RENDER_HTML:
		rpage_html(out.f, report, opts);
		break;
	}
	return rtext_close(&out);
}
