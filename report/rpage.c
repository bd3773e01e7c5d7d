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

    ".panels{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(540px,1fr));gap:16px}\n"
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

void
rpage_html(FILE *f, const json_t *report)
{
	static const enum render_metric panels[] = { RENDER_PASS,
	    RENDER_FLOPS, RENDER_TIME, RENDER_RANK };
	const json_t	*runs = json_object_get(report, "runs");
	struct rdoc	 d = { .f = f, .html = true };
	struct rtext	 t;
	struct rdata_series *s;
	enum render_metric m;
	char		*title;
	bool		 warning;
	size_t		 n, npanels = rpage_has_rank(report) ? 4 : 3;

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
	rsection_partial(&d, report);
	rsection_problem_sets(&d, report);
	fputs("<div class=\"panels\">\n", f);
	for (size_t i = 0; i < npanels; i++) {
		m = panels[i];
		fprintf(f, "<figure class=\"panel\" "
		    "id=\"panel-%s\">\n", rmetric_names[m]);
		s = rdata_series_all(report, m, &n);
		if (rplot_svg(f, m, s, n, NULL))
			rdoc_para(&d, "how", "%s", rmetric_labels[m].how);
		rdata_series_free(s, n);
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
