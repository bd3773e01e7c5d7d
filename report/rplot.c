/*
 * rplot.c - the plots.  See rplot.h.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "common/hash.h"
#include "report/rdata.h"
#include "report/rmetric.h"
#include "report/rplot.h"
#include "report/rtext.h"

/*
 * The geometry of a plot, in SVG user units (pixels at 100%): the plot
 * area is [RPLOT_LEFT, RPLOT_RIGHT] x [RPLOT_TOP, RPLOT_BOTTOM]; the
 * legend is under it, two entries a row, so that it takes the names'
 * room from nothing and the plot's height grows with the runs.  A plot
 * with a subtitle has all of it RPLOT_SUB_H lower.
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
#define RPLOT_XPAD		0.15	/* log2 units beyond the data */
#define RPLOT_MARKS_MAX		32	/* lines up to this many points are
					   marked at each, longer ones at
					   the rows of the tables */
#define RPLOT_SETS_H		24	/* room for the problem sets' line */
#define RPLOT_SUB_H		20	/* room for the subtitle */
#define RPLOT_BEYOND_OPACITY	"0.4"	/* of a line past reliable_k_max */
#define RPLOT_BAND_OPACITY	"0.15"	/* of the bands */

/*
 * Paul Tol's "muted" qualitative scheme (Tol, "Colour Schemes", SRON
 * technical note, 2021), its nine colours without the pale grey it keeps
 * for missing data: told apart by people with any of the common
 * colour-vision deficiencies, and all dark enough for a line on white.
 */
static const char *const rplot_colors[] = {
	"#cc6677", "#332288", "#ddcc77", "#117733", "#88ccee",
	"#882255", "#44aa99", "#999933", "#aa4499",
};
#define RPLOT_NCOLORS	(sizeof(rplot_colors) / sizeof(rplot_colors[0]))

/* The dash patterns of the lines (stroke-dasharray; NULL: solid). */
static const char *const rplot_dashes[] = { NULL, "7 3", "2 2", "7 2 2 2" };
#define RPLOT_NDASHES	(sizeof(rplot_dashes) / sizeof(rplot_dashes[0]))

/* The shapes of the markers. */
enum rplot_shape {
	RPLOT_CIRCLE,
	RPLOT_SQUARE,
	RPLOT_TRIANGLE,
	RPLOT_DIAMOND,
};
#define RPLOT_NSHAPES	4

/* How a run is drawn: all of it from its name (rplot_style()). */
struct rplot_style {
	const char	*color;
	const char	*dash;		/* or NULL */
	enum rplot_shape shape;
};

/* A linear map from data to pixels; for a log2 axis, of log2(v * mul). */
struct rplot_scale {
	double		 lo, hi;	/* data range, log2 units if log2 */
	double		 p0, p1;	/* pixels at lo and at hi */
	bool		 log2;
	double		 mul;		/* data to axis units: the base
					   model's cost on an absolute
					   budget axis, else 1 */
};

/*
 * The look of the run "name": its colour from the hash's value modulo
 * the colours, its dash pattern and its marker shape from the quotient,
 * so that two names of one colour still differ, most of the time.  The
 * hash is common/'s FNV-1a, written by hand and fixed for good (it is
 * in the store's file format): a run's look must stay the same in every
 * report, on every machine and in every version, which a library's hash
 * need not (jansson seeds its own at random), and a hash of the name,
 * not a place in the report, is what makes it stable.
 */
static void
rplot_style(const char *name, struct rplot_style *st)
{
	uint64_t	 h = hash_fnv1a(name);

	st->color = rplot_colors[h % RPLOT_NCOLORS];
	h /= RPLOT_NCOLORS;
	st->dash = rplot_dashes[h % RPLOT_NDASHES];
	h /= RPLOT_NDASHES;
	st->shape = (enum rplot_shape)(h % RPLOT_NSHAPES);
}

static double
rplot_px(const struct rplot_scale *sc, double v)
{
	if (sc->log2)
		v = log2(v * sc->mul);
	return sc->p0 + (v - sc->lo) / (sc->hi - sc->lo) * (sc->p1 - sc->p0);
}

/*
 * The x axis, log2, over [xmin, xmax] (> 0, in data units, mul times
 * that in the axis's) and RPLOT_XPAD beyond, so that it ends at the
 * data; at least one power of two wide.  A grid line at every power of
 * two in it, a label at every one, or every second, ..., so that there
 * are at most RPLOT_XTICKS labels.
 */
static void
rplot_axis_x(FILE *f, struct rplot_scale *sc, double xmin, double xmax,
    double mul, const char *label)
{
	double	 lo = log2(xmin * mul), hi = log2(xmax * mul), mid, px;
	int	 first, last, step;

	/*
	 * A double above 0 is 2^-1074 to 2^1024; a product with mul past
	 * that (any JSON is drawn) is held there, so that the powers of two
	 * below are ints and a few thousand at most.
	 */
	lo = fmin(fmax(lo, -1075.0), 1025.0);
	hi = fmin(fmax(hi, -1075.0), 1025.0);
	if (hi - lo < 1.0) {
		mid = (lo + hi) / 2.0;
		lo = mid - 0.5;
		hi = mid + 0.5;
	}
	*sc = (struct rplot_scale){ lo - RPLOT_XPAD, hi + RPLOT_XPAD,
	    RPLOT_LEFT, RPLOT_RIGHT, true, mul };
	first = (int)ceil(sc->lo);
	last = (int)floor(sc->hi);
	step = (last - first + RPLOT_XTICKS) / RPLOT_XTICKS;
	fputs("<g class=\"xaxis\" text-anchor=\"middle\">\n", f);
	for (int e = first; e <= last; e++) {
		px = rplot_px(sc, ldexp(1.0, e) / mul);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#e3e3e3\"/>\n", px, RPLOT_TOP, px,
		    RPLOT_BOTTOM);
		if ((e - first) % step == 0)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.10g"
			    "</text>\n", px, RPLOT_BOTTOM + 18, ldexp(1.0, e));
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n</g>\n",
	    (RPLOT_LEFT + RPLOT_RIGHT) / 2, RPLOT_BOTTOM + 40, label);
}

/*
 * The y axis, percent: from the tens below ymin to the tens above ymax
 * (at least ten points apart), a grid line every 2, 5 or 10 points.
 * The axis stays within 0 to 100: a value past them (any JSON is drawn)
 * is drawn off the axis, not given a million grid lines.
 */
static void
rplot_axis_y(FILE *f, struct rplot_scale *sc, double ymin,
    double ymax, const char *label)
{
	double	 lo, hi, step, py;

	ymin = fmin(fmax(ymin, 0.0), 100.0);
	ymax = fmin(fmax(ymax, 0.0), 100.0);
	lo = floor(ymin / 10.0) * 10.0;
	hi = ceil(ymax / 10.0) * 10.0;
	if (hi <= lo) {
		if (lo >= 10.0)
			lo -= 10.0;
		else
			hi = lo + 10.0;
	}
	step = hi - lo <= 20.0 ? 2.0 : hi - lo <= 50.0 ? 5.0 : 10.0;
	*sc = (struct rplot_scale){ lo, hi, RPLOT_BOTTOM, RPLOT_TOP, false,
	    1.0 };
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
 * A marker of the style's shape at (cx, cy), in the fill and stroke of
 * its group; hollow (white inside, class "fewer") when asked.
 */
static void
rplot_marker(FILE *f, const struct rplot_style *st, double cx, double cy,
    bool hollow)
{
	const char	*attr = hollow ? " class=\"fewer\" fill=\"#fff\"" : "";

	switch (st->shape) {
	case RPLOT_CIRCLE:
		fprintf(f, "<circle%s cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
		    attr, cx, cy);
		break;
	case RPLOT_SQUARE:
		fprintf(f, "<rect%s x=\"%.1f\" y=\"%.1f\" width=\"6\" "
		    "height=\"6\"/>", attr, cx - 3.0, cy - 3.0);
		break;
	case RPLOT_TRIANGLE:
		fprintf(f, "<polygon%s points=\"%.1f,%.1f %.1f,%.1f "
		    "%.1f,%.1f\"/>", attr, cx, cy - 4.0, cx + 3.5, cy + 2.5,
		    cx - 3.5, cy + 2.5);
		break;
	case RPLOT_DIAMOND:
		fprintf(f, "<polygon%s points=\"%.1f,%.1f %.1f,%.1f "
		    "%.1f,%.1f %.1f,%.1f\"/>", attr, cx, cy - 4.0, cx + 4.0,
		    cy, cx, cy + 4.0, cx - 4.0, cy);
		break;
	}
}

/* The start of an element of a run: its tag, class and data-run. */
static void
rplot_open(FILE *f, const char *tag, const char *cls, const char *name)
{
	fprintf(f, "<%s class=\"%s\" data-run=\"", tag, cls);
	rtext_xml(f, name, SIZE_MAX);
	fputs("\"", f);
}

/*
 * The bands of a run: a polygon of its 95% interval (rdata_ci95()) over
 * each stretch of two or more points that have a standard error, none
 * elsewhere.  Returns whether it drew one.
 */
static bool
rplot_bands(FILE *f, const struct rdata_series *s,
    const struct rplot_style *st, const struct rplot_scale *xs,
    const struct rplot_scale *ys)
{
	size_t		 i = 0, j;
	double		 lo, hi;
	bool		 drawn = false;

	while (i < s->n) {
		for (j = i; j < s->n && rdata_ci95(&s->pt[j], &lo, &hi); j++)
			;
		if (j - i >= 2) {
			rplot_open(f, "polygon", "band", s->name);
			fprintf(f, " fill=\"%s\" fill-opacity=\""
			    RPLOT_BAND_OPACITY "\" stroke=\"none\" points=\"",
			    st->color);
			for (size_t q = i; q < j; q++) {
				rdata_ci95(&s->pt[q], &lo, &hi);
				fprintf(f, "%s%.1f,%.1f", q == i ? "" : " ",
				    rplot_px(xs, s->pt[q].x),
				    rplot_px(ys, hi));
			}
			for (size_t q = j; q-- > i;) {
				rdata_ci95(&s->pt[q], &lo, &hi);
				fprintf(f, " %.1f,%.1f",
				    rplot_px(xs, s->pt[q].x),
				    rplot_px(ys, lo));
			}
			fputs("\"/>\n", f);
			drawn = true;
		}
		i = j + 1;
	}
	return drawn;
}

/*
 * A polyline of the points s->pt[from .. to - 1] of a run, of class
 * "cls"; lighter when "beyond".
 */
static void
rplot_polyline(FILE *f, const struct rdata_series *s, size_t from,
    size_t to, const char *cls, bool beyond, const struct rplot_style *st,
    const struct rplot_scale *xs, const struct rplot_scale *ys)
{
	rplot_open(f, "polyline", cls, s->name);
	fprintf(f, " fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
	    "stroke-linejoin=\"round\"", st->color);
	if (st->dash != NULL)
		fprintf(f, " stroke-dasharray=\"%s\"", st->dash);
	if (beyond)
		fputs(" stroke-opacity=\"" RPLOT_BEYOND_OPACITY "\"", f);
	fputs(" points=\"", f);
	for (size_t j = from; j < to; j++)
		fprintf(f, "%s%.1f,%.1f", j == from ? "" : " ",
		    rplot_px(xs, s->pt[j].x), rplot_px(ys, s->pt[j].y));
	fputs("\"/>\n", f);
}

/*
 * One run's line: a polyline, class "run", up to k = reliable_k_max,
 * and a lighter one, class "beyond", from there on (a run that is past
 * it from its first point has one line, class "run beyond"); then its
 * markers, at every point of a short line and at the table rows of a
 * long one, hollow where pass@k is over fewer problems than the run
 * has.  A run without points has no line (its legend entry says so).
 * Returns the RPLOT_BEYOND and RPLOT_FEWER bits of what it drew.
 */
static unsigned
rplot_line(FILE *f, const struct rdata_series *s,
    const struct rplot_style *st, const struct rplot_scale *xs,
    const struct rplot_scale *ys)
{
	double		 reliable = rdata_num(s->run, "reliable_k_max");
	double		 xmax;
	size_t		 cut = 0;
	unsigned	 drew = 0;
	bool		 fewer;

	if (s->n == 0)
		return 0;
	while (cut < s->n && !(s->pt[cut].k > reliable))
		cut++;
	if (cut == 0) {
		rplot_polyline(f, s, 0, s->n, "run beyond", true, st, xs, ys);
		drew |= RPLOT_BEYOND;
	} else {
		rplot_polyline(f, s, 0, cut, "run", false, st, xs, ys);
		if (cut < s->n) {
			rplot_polyline(f, s, cut - 1, s->n, "beyond", true,
			    st, xs, ys);
			drew |= RPLOT_BEYOND;
		}
	}
	xmax = s->pt[s->n - 1].x;
	fprintf(f, "<g class=\"marks\" fill=\"%s\" stroke=\"%s\">",
	    st->color, st->color);
	for (size_t j = 0; j < s->n; j++) {
		if (s->n > RPLOT_MARKS_MAX && !rdata_keep_x(s->pt[j].x, xmax))
			continue;
		fewer = isfinite(s->pt[j].used);
		rplot_marker(f, st, rplot_px(xs, s->pt[j].x),
		    rplot_px(ys, s->pt[j].y), fewer);
		drew |= fewer ? RPLOT_FEWER : 0;
	}
	fputs("</g>\n", f);
	return drew;
}

/* The height of a plot whose legend has "entries" entries. */
static int
rplot_h(size_t entries)
{
	return RPLOT_LEGEND_Y + (int)((entries + 1) / 2) * RPLOT_LEGEND_ROW -
	    RPLOT_LEGEND_ROW / 2;
}

/*
 * The legend, under the x axis label, two entries a row: a swatch of
 * each run's line, its dashes and its marker, and its name (cut, the
 * whole of it in a tooltip), then the key to the stars when there are
 * any.
 */
static void
rplot_legend(FILE *f, const struct rdata_series *s,
    size_t n, bool stars)
{
	struct rplot_style st;
	int		 x, y;

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
		rplot_style(s[i].name, &st);
		rplot_open(f, "line", "swatch", s[i].name);
		fprintf(f, " x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"%s\" stroke-width=\"2\"", x, y - 4, x + 22,
		    y - 4, st.color);
		if (st.dash != NULL)
			fprintf(f, " stroke-dasharray=\"%s\"", st.dash);
		fprintf(f, "/>\n<g fill=\"%s\" stroke=\"%s\">", st.color,
		    st.color);
		rplot_marker(f, &st, x + 11, y - 4, false);
		fprintf(f, "</g>\n<text x=\"%d\" y=\"%d\"><title>", x + 30, y);
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

/* The range of the series: x of points and stars, y of bands too. */
struct rplot_range {
	double		 xmin, xmax, ymin, ymax;
	bool		 stars;
};

static void
rplot_range(const struct rdata_series *s, size_t n, struct rplot_range *r)
{
	double		 lo, hi;

	*r = (struct rplot_range){ INFINITY, -INFINITY, INFINITY,
	    -INFINITY, false };
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < s[i].n; j++) {
			r->xmin = fmin(r->xmin, s[i].pt[j].x);
			r->xmax = fmax(r->xmax, s[i].pt[j].x);
			r->ymin = fmin(r->ymin, s[i].pt[j].y);
			r->ymax = fmax(r->ymax, s[i].pt[j].y);
			if (rdata_ci95(&s[i].pt[j], &lo, &hi)) {
				r->ymin = fmin(r->ymin, lo);
				r->ymax = fmax(r->ymax, hi);
			}
		}
		if (!isnan(s[i].star_x)) {
			r->xmin = fmin(r->xmin, s[i].star_x);
			r->xmax = fmax(r->xmax, s[i].star_x);
			r->ymin = fmin(r->ymin, s[i].star_y);
			r->ymax = fmax(r->ymax, s[i].star_y);
			r->stars = true;
		}
	}
}

/*
 * What one unit of x is on the axis: the base model's cost of a sample
 * on an absolute budget axis, with the axis's label in *label; else 1
 * and the metric's label.
 */
static double
rplot_unit(const json_t *report, enum render_metric m,
    const struct render_opts *o, const char **label)
{
	const json_t	*base = json_object_get(report, "base");
	double		 cost;

	*label = rmetric_labels[m].xlabel;
	if (o->axis != RENDER_AXIS_ABSOLUTE ||
	    rmetric_labels[m].xabsolute == NULL)
		return 1.0;
	cost = rdata_num(base, m == RENDER_FLOPS ? "tflops" : "seconds");
	if (!(cost > 0.0) || !isfinite(cost))
		return 1.0;
	*label = rmetric_labels[m].xabsolute;
	return cost;
}

/* The plot area, its lines and its stars (rplot_svg()). */
static unsigned
rplot_body(FILE *f, const json_t *report, enum render_metric m,
    const struct render_opts *o, const struct rdata_series *s, size_t n,
    const struct rplot_range *r)
{
	const struct rmetric_label *l = &rmetric_labels[m];
	struct rplot_scale xs, ys;
	struct rplot_style st;
	const char	*xlabel;
	double		 mul = rplot_unit(report, m, o, &xlabel);
	unsigned	 drew = RPLOT_DRAWN;

	rplot_axis_x(f, &xs, r->xmin, r->xmax, mul, xlabel);
	rplot_axis_y(f, &ys, r->ymin, r->ymax, l->ylabel);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"none\" stroke=\"#333\"/>\n", RPLOT_LEFT, RPLOT_TOP,
	    RPLOT_RIGHT - RPLOT_LEFT, RPLOT_BOTTOM - RPLOT_TOP);
	for (size_t i = 0; i < n; i++) {
		rplot_style(s[i].name, &st);
		if (rplot_bands(f, &s[i], &st, &xs, &ys))
			drew |= RPLOT_BANDS;
	}
	for (size_t i = 0; i < n; i++) {
		rplot_style(s[i].name, &st);
		drew |= rplot_line(f, &s[i], &st, &xs, &ys);
	}
	for (size_t i = 0; i < n; i++) {
		if (isnan(s[i].star_x))
			continue;
		rplot_style(s[i].name, &st);
		rplot_star(f, "greedy", rplot_px(&xs, s[i].star_x),
		    rplot_px(&ys, s[i].star_y), 8, st.color);
		fputs("><title>", f);
		rtext_xml(f, s[i].name, SIZE_MAX);
		fprintf(f, ": greedy pass@1 %.2f%%</title></polygon>\n",
		    s[i].star_y);
	}
	rplot_legend(f, s, n, r->stars);
	return drew;
}

unsigned
rplot_svg(FILE *f, const json_t *report, enum render_metric m,
    const struct render_opts *o, bool sets)
{
	const struct rmetric_label *l = &rmetric_labels[m];
	const json_t	*ps = sets ? json_object_get(report, "problem_sets") :
			    NULL;
	struct rdata_series *s;
	struct rplot_range r;
	char		*sub = rdata_subtitle(report);
	size_t		 n;
	unsigned	 drew = 0;
	int		 h, dy = sub != NULL ? RPLOT_SUB_H : 0;

	if (!json_is_object(ps))
		ps = NULL;
	s = rdata_series_all(report, m, &n);
	rplot_range(s, n, &r);
	h = (r.xmin > r.xmax ? RPLOT_BOTTOM : rplot_h(n + r.stars)) + dy +
	    (ps != NULL ? RPLOT_SETS_H : 0);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"plot\" id=\"plot-%s\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, "
	    "sans-serif\" font-size=\"13\">\n", rmetric_names[m],
	    RPLOT_W, h, RPLOT_W, h);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
	    "<text x=\"%d\" y=\"26\" text-anchor=\"middle\" font-size=\"17\" "
	    "font-weight=\"bold\">%s</text>\n", RPLOT_W, h,
	    (RPLOT_LEFT + RPLOT_RIGHT) / 2, l->title);
	if (sub != NULL) {
		fprintf(f, "<text class=\"subtitle\" x=\"%d\" y=\"46\" "
		    "text-anchor=\"middle\" font-size=\"12\" fill=\"#555\">",
		    (RPLOT_LEFT + RPLOT_RIGHT) / 2);
		rtext_xml(f, sub, SIZE_MAX);
		fprintf(f, "</text>\n<g transform=\"translate(0 %d)\">\n", dy);
	}
	if (ps != NULL)
		rplot_sets(f, ps, s, n, h - dy - 10);
	if (r.xmin > r.xmax)
		fprintf(f, "<text class=\"empty\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\" font-size=\"15\" fill=\"#666\">"
		    "%s</text>\n", (RPLOT_LEFT + RPLOT_RIGHT) / 2,
		    (h - dy) / 2, l->empty);
	else
		drew = rplot_body(f, report, m, o, s, n, &r);
	fputs(sub != NULL ? "</g>\n</svg>\n" : "</svg>\n", f);
	free(sub);
	rdata_series_free(s, n);
	return drew;
}
