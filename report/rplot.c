/*
 * rplot.c - the plots.  See rplot.h.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report/rdata.h"
#include "report/rmetric.h"
#include "report/rplot.h"
#include "report/rtext.h"

/*
 * The geometry of a plot, in SVG user units (pixels at 100%): the plot
 * area is [RPLOT_LEFT, RPLOT_RIGHT] x [RPLOT_TOP, RPLOT_BOTTOM]; the
 * legend is under it, two entries a row, so that it takes the names'
 * room from nothing and the plot's height grows with the runs.
 */
#define RPLOT_W			640
#define RPLOT_LEFT		64
#define RPLOT_RIGHT		620
#define RPLOT_TOP		44
#define RPLOT_BOTTOM		330
#define RPLOT_LEGEND_Y		396	/* baseline of the first row */
#define RPLOT_LEGEND_ROW	20
#define RPLOT_LEGEND_COL	280	/* width of a legend column */
#define RPLOT_LEGEND_NAME	30	/* characters of a name shown */
#define RPLOT_XTICKS		8	/* labels, at most, on the x axis */
#define RPLOT_XPAD		0.25	/* log2 units around the x range */
#define RPLOT_MARKS_MAX		32	/* points marked on sparser lines */
#define RPLOT_SETS_H		24	/* room for the problem sets' line */

/* Tableau 10: distinct, and readable on white. */
static const char *const rplot_colors[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1",
	"#76b7b2", "#9c755f", "#ff9da7", "#edc948", "#bab0ac",
};
#define RPLOT_NCOLORS	(sizeof(rplot_colors) / sizeof(rplot_colors[0]))

/* A linear map from data to pixels; for a log2 axis, of log2(v). */
struct rplot_scale {
	double		 lo, hi;	/* data range, log2 units if log2 */
	double		 p0, p1;	/* pixels at lo and at hi */
	bool		 log2;
};

static double
rplot_px(const struct rplot_scale *sc, double v)
{
	if (sc->log2)
		v = log2(v);
	return sc->p0 + (v - sc->lo) / (sc->hi - sc->lo) * (sc->p1 - sc->p0);
}

/*
 * The x axis, log2, over [xmin, xmax] (> 0) and a little room each side:
 * a grid line at every power of two in it, a label at every one, or
 * every second, ..., so that there are at most RPLOT_XTICKS labels.
 */
static void
rplot_axis_x(FILE *f, struct rplot_scale *sc, double xmin,
    double xmax, const char *label)
{
	int	 lo = (int)floor(log2(xmin)), hi = (int)ceil(log2(xmax)), step;
	double	 px;

	if (hi <= lo)
		hi = lo + 1;
	*sc = (struct rplot_scale){ lo - RPLOT_XPAD, hi + RPLOT_XPAD,
	    RPLOT_LEFT, RPLOT_RIGHT, true };
	step = (hi - lo + RPLOT_XTICKS) / RPLOT_XTICKS;
	fputs("<g class=\"xaxis\" text-anchor=\"middle\">\n", f);
	for (int e = lo; e <= hi; e++) {
		px = rplot_px(sc, ldexp(1.0, e));
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#e3e3e3\"/>\n", px, RPLOT_TOP, px,
		    RPLOT_BOTTOM);
		if ((e - lo) % step == 0)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.10g"
			    "</text>\n", px, RPLOT_BOTTOM + 18, ldexp(1.0, e));
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n</g>\n",
	    (RPLOT_LEFT + RPLOT_RIGHT) / 2, RPLOT_BOTTOM + 40, label);
}

/*
 * The y axis, percent: from the tens below ymin to the tens above ymax
 * (at least ten points apart), a grid line every 2, 5 or 10 points.
 */
static void
rplot_axis_y(FILE *f, struct rplot_scale *sc, double ymin,
    double ymax, const char *label)
{
	double	 lo = floor(ymin / 10.0) * 10.0, hi = ceil(ymax / 10.0) * 10.0;
	double	 step, py;

	if (hi <= lo) {
		if (lo >= 10.0)
			lo -= 10.0;
		else
			hi = lo + 10.0;
	}
	step = hi - lo <= 20.0 ? 2.0 : hi - lo <= 50.0 ? 5.0 : 10.0;
	*sc = (struct rplot_scale){ lo, hi, RPLOT_BOTTOM, RPLOT_TOP, false };
	fputs("<g class=\"yaxis\" text-anchor=\"end\">\n", f);
	for (double v = lo; v <= hi + step / 2.0; v += step) {
		py = rplot_px(sc, v);
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
		    "y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", RPLOT_LEFT, py,
		    RPLOT_RIGHT, py);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\">%g</text>\n",
		    RPLOT_LEFT - 6, py + 4.0, v);
	}
	fprintf(f, "<text transform=\"translate(20 %d) rotate(-90)\" "
	    "text-anchor=\"middle\">%s</text>\n</g>\n",
	    (RPLOT_TOP + RPLOT_BOTTOM) / 2, label);
}

/*
 * A five-pointed star of outer radius r at (cx, cy), of class "cls"
 * (ours).  The <polygon> tag is left open: the caller closes it with
 * "/>" or gives it children.
 */
static void
rplot_star(FILE *f, const char *cls, double cx, double cy,
    double r, const char *color)
{
	double	 a, rr;

	fprintf(f, "<polygon class=\"%s\" fill=\"%s\" stroke=\"#222\" "
	    "stroke-width=\"0.8\" points=\"", cls, color);
	for (int i = 0; i < 10; i++) {
		a = -M_PI / 2.0 + i * M_PI / 5.0;
		rr = i % 2 == 0 ? r : r * 0.45;
		fprintf(f, "%s%.1f,%.1f", i == 0 ? "" : " ",
		    cx + rr * cos(a), cy + rr * sin(a));
	}
	fputs("\"", f);
}

/*
 * One run's line: a polyline, and marks at its points when sparse.  A
 * run without points has no line (its legend entry says so).
 */
static void
rplot_line(FILE *f, const struct rdata_series *s,
    size_t idx, const struct rplot_scale *xs, const struct rplot_scale *ys)
{
	const char	*color = rplot_colors[idx % RPLOT_NCOLORS];

	if (s->n == 0)
		return;
	fputs("<polyline class=\"run\" data-run=\"", f);
	rtext_xml(f, s->name, SIZE_MAX);
	fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
	    "stroke-linejoin=\"round\"%s points=\"", color,
	    idx >= RPLOT_NCOLORS ? " stroke-dasharray=\"6 3\"" : "");
	for (size_t j = 0; j < s->n; j++)
		fprintf(f, "%s%.1f,%.1f", j == 0 ? "" : " ",
		    rplot_px(xs, s->pt[j].x), rplot_px(ys, s->pt[j].y));
	fputs("\"/>\n", f);
	if (s->n > RPLOT_MARKS_MAX)
		return;
	fprintf(f, "<g class=\"marks\" fill=\"%s\">", color);
	for (size_t j = 0; j < s->n; j++)
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
		    rplot_px(xs, s->pt[j].x), rplot_px(ys, s->pt[j].y));
	fputs("</g>\n", f);
}

/* The height of a plot whose legend has "entries" entries. */
static int
rplot_h(size_t entries)
{
	return RPLOT_LEGEND_Y + (int)((entries + 1) / 2) * RPLOT_LEGEND_ROW -
	    RPLOT_LEGEND_ROW / 2;
}

/*
 * The legend, under the x axis label, two entries a row: a swatch and
 * the name (cut, the whole of it in a tooltip) of each run, then the
 * key to the stars when there are any.
 */
static void
rplot_legend(FILE *f, const struct rdata_series *s,
    size_t n, bool stars)
{
	int	 x, y;

	fputs("<g class=\"legend\">\n", f);
	for (size_t i = 0; i < n + stars; i++) {
		x = RPLOT_LEFT + (int)(i % 2) * RPLOT_LEGEND_COL;
		y = RPLOT_LEGEND_Y + (int)(i / 2) * RPLOT_LEGEND_ROW;
		if (i == n) {
			rplot_star(f, "key", x + 11, y - 4, 7, "#fff");
			fprintf(f, "/>\n<text x=\"%d\" y=\"%d\">greedy "
			    "pass@1</text>\n", x + 30, y);
			break;
		}
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"22\" "
		    "height=\"6\" fill=\"%s\"/>\n", x, y - 7,
		    rplot_colors[i % RPLOT_NCOLORS]);
		fprintf(f, "<text x=\"%d\" y=\"%d\"><title>", x + 30, y);
		rtext_xml(f, s[i].name, SIZE_MAX);
		fputs("</title>", f);
		rtext_xml(f, s[i].name, RPLOT_LEGEND_NAME);
		fprintf(f, "%s%s</text>\n", rdata_is_partial(s[i].run) ?
		    " (partial)" : "", s[i].n == 0 ? " (no data)" : "");
	}
	fputs("</g>\n", f);
}

/*
 * The line on the runs' problem sets (rplot_svg()), its baseline at y:
 * a warning when each run is over its own problems, else the problems
 * they were cut to and what each run dropped; the report's whole
 * sentence is its tooltip.
 */
static void
rplot_sets(FILE *f, const json_t *sets, const struct rdata_series *s,
    size_t n, int y)
{
	const char	*warning = rdata_str(sets, "warning");

	fprintf(f, "<text class=\"problem-sets\" x=\"%d\" y=\"%d\" "
	    "font-size=\"12\" fill=\"%s\"><title>", RPLOT_LEFT, y,
	    warning != NULL ? "#b00" : "#555");
	rtext_xml(f, warning != NULL ? warning : rdata_str_or_dash(sets,
	    "note"), SIZE_MAX);
	fputs("</title>", f);
	if (warning != NULL) {
		fputs("Warning: each run over its own problems, not like for "
		    "like</text>\n", f);
		return;
	}
	fprintf(f, "Over the %.0f problems every run has; dropped:",
	    rdata_num(sets, "common"));
	for (size_t i = 0; i < n; i++) {
		fputs(i == 0 ? " " : ", ", f);
		rtext_xml(f, s[i].name, RPLOT_LEGEND_NAME);
		fprintf(f, " %.0f", rdata_num(s[i].run, "problems_dropped"));
	}
	fputs("</text>\n", f);
}

bool
rplot_svg(FILE *f, enum render_metric m,
    const struct rdata_series *s, size_t n, const json_t *sets)
{
	const struct rmetric_label *l = &rmetric_labels[m];
	struct rplot_scale xs, ys;
	double		 xmin = INFINITY, xmax = -INFINITY;
	double		 ymin = INFINITY, ymax = -INFINITY;
	bool		 stars = false;
	int		 h;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < s[i].n; j++) {
			xmin = fmin(xmin, s[i].pt[j].x);
			xmax = fmax(xmax, s[i].pt[j].x);
			ymin = fmin(ymin, s[i].pt[j].y);
			ymax = fmax(ymax, s[i].pt[j].y);
		}
		if (!isnan(s[i].star_x)) {
			xmin = fmin(xmin, s[i].star_x);
			xmax = fmax(xmax, s[i].star_x);
			ymin = fmin(ymin, s[i].star_y);
			ymax = fmax(ymax, s[i].star_y);
			stars = true;
		}
	}
	h = (xmin > xmax ? RPLOT_BOTTOM : rplot_h(n + stars)) +
	    (sets != NULL ? RPLOT_SETS_H : 0);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"plot\" id=\"plot-%s\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, "
	    "sans-serif\" font-size=\"13\">\n", rmetric_names[m],
	    RPLOT_W, h, RPLOT_W, h);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
	    "<text x=\"%d\" y=\"26\" text-anchor=\"middle\" font-size=\"17\" "
	    "font-weight=\"bold\">%s</text>\n", RPLOT_W, h,
	    (RPLOT_LEFT + RPLOT_RIGHT) / 2, l->title);
	if (sets != NULL)
		rplot_sets(f, sets, s, n, h - 10);
	if (xmin > xmax) {
		fprintf(f, "<text class=\"empty\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\" font-size=\"15\" fill=\"#666\">"
		    "%s</text>\n</svg>\n", (RPLOT_LEFT + RPLOT_RIGHT) / 2,
		    h / 2, l->empty);
		return false;
	}
	rplot_axis_x(f, &xs, xmin, xmax, l->xlabel);
	rplot_axis_y(f, &ys, ymin, ymax, l->ylabel);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"none\" stroke=\"#333\"/>\n", RPLOT_LEFT, RPLOT_TOP,
	    RPLOT_RIGHT - RPLOT_LEFT, RPLOT_BOTTOM - RPLOT_TOP);
	for (size_t i = 0; i < n; i++)
		rplot_line(f, &s[i], i, &xs, &ys);
	for (size_t i = 0; i < n; i++) {
		if (isnan(s[i].star_x))
			continue;
		rplot_star(f, "greedy", rplot_px(&xs, s[i].star_x),
		    rplot_px(&ys, s[i].star_y), 8,
		    rplot_colors[i % RPLOT_NCOLORS]);
		fputs("><title>", f);
		rtext_xml(f, s[i].name, SIZE_MAX);
		fprintf(f, ": greedy pass@1 %.2f%%</title></polygon>\n",
		    s[i].star_y);
	}
	rplot_legend(f, s, n, stars);
	fputs("</svg>\n", f);
	return true;
}
