/*
 * rpage.c - the html page.  See rpage.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "report/rdata.h"
#include "report/rdoc.h"
#include "report/rmetric.h"
#include "report/rpage.h"
#include "report/rplot.h"
#include "report/rsection.h"
#include "report/rtext.h"

/* Whether any run has rank scores: the page then plots them too. */
static bool
rpage_has_rank(const json_t *report)
{
	const json_t	*runs = json_object_get(report, "runs"), *run;
	size_t		 i;

	json_array_foreach(runs, i, run) {
		if (json_is_object(json_object_get(run, "rank_score_at_k")))
			return true;
	}
	return false;
}

/*
 * The panels' grid never leaves an empty cell: two columns for an even
 * number of panels (one on a narrow page), and for an odd number three
 * on a wide page, else the last panel alone on its row, as wide as the
 * others (its width is that of a column: half the row less half the
 * 16px gap and its own 2 x 8px padding and 2 x 1px border).
 *
 * No script, no external resource: the page works offline, from a file
 * or an attachment.  Every tag is closed ("<meta/>"), so that the page
 * is well-formed XML as well, which the unit tests check.
 */
static const char rpage_css[] =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:16px 24px;"
    "color:#222;max-width:1500px}\n"
    "h1{font-size:22px}h2{font-size:18px;margin-top:28px}\n"
    ".partial{background:#fff3cd;border:1px solid #d9a400;padding:8px 12px;"
    "font-weight:bold}\n"

    ".subtitle{color:#555;font-size:14px;margin-top:-6px}\n"
    ".panels{display:grid;grid-template-columns:minmax(0,1fr);gap:16px}\n"
    "@media(min-width:1140px){.panels{grid-template-columns:repeat(2,"
    "minmax(0,1fr))}.odd>.panel:last-child{grid-column:1/-1;"
    "justify-self:center;width:calc(50% - 26px)}}\n"
    "@media(min-width:1300px){.panels.odd{grid-template-columns:repeat(3,"
    "minmax(0,1fr))}.odd>.panel:last-child{grid-column:auto;"
    "width:auto;justify-self:stretch}}\n"
    ".panel{border:1px solid #ddd;padding:8px;margin:0}\n"
    ".panel svg{display:block;width:100%;height:auto}\n"
    ".how{font-size:13px;color:#444;margin:6px 4px}\n"
    "table{border-collapse:collapse;margin:8px 0}\n"
    "th,td{border:1px solid #ccc;padding:3px 8px;font-size:13px}\n"
    "th{background:#f2f2f2}.num{text-align:right}\n"
    ".note,.empty{color:#555;font-size:13px}.empty{font-style:italic}\n";

/*
 * The style of the problem sets' warning: only a page that has one
 * carries it, so that the others stay as they were.
 */
static const char rpage_css_warning[] =
    ".warning{background:#fde2e1;border:1px solid #c0392b;"
    "padding:8px 12px;font-weight:bold}\n";

/*
 * The line on how to read the plot of metric m, with a sentence on each
 * mark that rplot_svg() says it drew ("drew", its RPLOT_* bits).
 */
static void
rpage_how(struct rdoc *d, enum render_metric m, unsigned drew)
{
	struct rtext	 t;
	char		*s;

	rtext_open(&t);
	fputs(rmetric_labels[m].how, t.f);
	if (drew & RPLOT_BANDS)
		fputs("  The shaded band around a line is its 95% interval, "
		    "pass@k \xc2\xb1 1.96 standard errors over problems.", t.f);
	if (drew & RPLOT_BEYOND)
		fputs("  A lighter line is past k = n / 2, where fewer "
		    "distinct samples make pass@k less reliable.", t.f);
	if (drew & RPLOT_FEWER)
		fputs("  A hollow marker is over fewer problems than the run "
		    "has: those with at least k samples.", t.f);
	s = rtext_close(&t);
	rdoc_para(d, "how", "%s", s);
	free(s);
}

void
rpage_html(FILE *f, const json_t *report, const struct render_opts *o)
{
	static const enum render_metric panels[] = { RENDER_PASS,
	    RENDER_FLOPS, RENDER_TIME, RENDER_RANK };
	const json_t	*runs = json_object_get(report, "runs");
	struct rdoc	 d = { .f = f, .html = true };
	struct rtext	 t;
	enum render_metric m;
	char		*title;
	bool		 warning;
	size_t		 npanels = rpage_has_rank(report) ? 4 : 3;
	unsigned	 drew;

	rtext_open(&t);
	fputs("verdict report: ", t.f);
	for (size_t i = 0; i < json_array_size(runs); i++)
		fprintf(t.f, "%s%s", i == 0 ? "" : ", ",
		    rdata_run_name(json_array_get(runs, i)));
	title = rtext_close(&t);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" "
	    "content=\"width=device-width\"/>\n<title>", f);
	rdoc_text(&d, title);
	fprintf(f, "</title>\n<style>\n%s%s</style>\n</head>\n"
	    "<body>\n", rpage_css,
	    rdata_problem_sets(report, &warning) != NULL && warning ?
	    rpage_css_warning : "");
	rdoc_heading(&d, 1, "%s", title);
	free(title);
	rsection_subtitle(&d, report);
	rsection_partial(&d, report);
	rsection_problem_sets(&d, report);
	fprintf(f, "<div class=\"panels%s\">\n", npanels % 2 != 0 ?
	    " odd" : "");
	for (size_t i = 0; i < npanels; i++) {
		m = panels[i];
		fprintf(f, "<figure class=\"panel\" "
		    "id=\"panel-%s\">\n", rmetric_names[m]);
		if ((drew = rplot_svg(f, report, m, o, false)) != 0)
			rpage_how(&d, m, drew);
		fputs("</figure>\n", f);
	}
	fputs("</div>\n", f);
	rsection_runs(&d, report);
	rsection_base_plus(&d, report);
	for (size_t i = 0; i < npanels; i++)
		rsection_values(&d, report, panels[i]);
	for (size_t i = 0; i < npanels; i++)
		rsection_compare(&d, report, panels[i]);
	rsection_disagree(&d, report);
	fputs("</body>\n</html>\n", f);
}
