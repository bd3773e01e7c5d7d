/*
 * render-main.c - a test driver for report/render.c: render a report
 * JSON file on standard output, for tests/report/browser.py.  Not part
 * of the product, not installed.
 *
 *   render-main FORMAT METRIC FILE [AXIS]
 *
 * FORMAT, METRIC and AXIS are the names render_format_parse(),
 * render_metric_parse() and render_axis_parse() take (AXIS: samples
 * by default).  Exits 0 when the rendering was written,
 * 1 when the file cannot be read or rendered, 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "common/xjson.h"
#include "report/render.h"

int
main(int argc, char **argv)
{
	enum render_format f;
	enum render_metric m;
	struct render_opts o = { .axis = RENDER_AXIS_SAMPLES };
	json_error_t	 err;
	json_t		*report;
	char		*out;
	int		 r = 1;

	xjson_init();
	if ((argc != 4 && argc != 5) || render_format_parse(argv[1], &f) != 0 ||
	    render_metric_parse(argv[2], &m) != 0 ||
	    (argc == 5 && render_axis_parse(argv[4], &o.axis) != 0)) {
		fprintf(stderr, "usage: render-main json|csv|md|svg|html "
		    "pass|flops|time|rank FILE [samples|absolute]\n");
		return 2;
	}
	if ((report = json_load_file(argv[3], 0, &err)) == NULL) {
		fprintf(stderr, "render-main: %s:%d: %s\n", argv[3], err.line,
		    err.text);
		return 1;
	}
	if ((out = render_report(report, f, m, &o)) == NULL)
		fprintf(stderr, "render-main: %s: cannot render\n", argv[3]);
	else if (fputs(out, stdout) == EOF || fflush(stdout) == EOF)
		perror("render-main: stdout");
	else
		r = 0;
	free(out);
	json_decref(report);
	return r;
}
