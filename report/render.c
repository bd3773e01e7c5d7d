/*
 * render.c - a report as JSON, CSV, Markdown, SVG or HTML.  See render.h.
 *
 * Everything is written into one growing buffer (struct render_buf).
 * The report is first read into series, one per run, of points sorted
 * by x (k, or a budget); the CSV, the tables and the plots all draw
 * from them.  Markdown and HTML share their tables through a small
 * document writer (struct render_doc) that writes a heading, a
 * paragraph or a table in either syntax, escaping as it goes; the
 * plot is one function, render_plot(), that writes the svg format and
 * the panels of the HTML page alike.
 *
 * Sections, in this order:
 *   Names       format and metric names, content types, plot labels
 *   Text        the buffer and the escapes of each format
 *   Reading     the parts of the report, series of points
 *   CSV
 *   Documents   headings, paragraphs and tables in Markdown and HTML
 *   Sections    the parts shared by Markdown and HTML
 *   Plots       scales, axes, polylines, stars, legend
 *   Formats     Markdown, SVG and HTML as a whole; render_report()
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/xmalloc.h"
#include "report/render.h"

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

static const char *const render_content_types[] = {
	[RENDER_JSON] = "application/json",
	[RENDER_CSV] = "text/csv; charset=utf-8",
	[RENDER_MD] = "text/markdown; charset=utf-8",
	[RENDER_SVG] = "image/svg+xml",
	[RENDER_HTML] = "text/html; charset=utf-8",
};

/* Also the "metric" of the report's comparisons. */
static const char *const render_metric_names[] = {
	[RENDER_PASS] = "pass",
	[RENDER_FLOPS] = "flops",
	[RENDER_TIME] = "time",
	[RENDER_RANK] = "rank",
};
#define RENDER_NMETRICS \
	(sizeof(render_metric_names) / sizeof(render_metric_names[0]))

/* What people read about a metric. */
struct render_label {
	const char	*value;		/* what a point's value is */
	const char	*xname;		/* what its x is */
	const char	*table;		/* heading of the table of values */
	const char	*title;		/* of the plot */
	const char	*xlabel;	/* of the plot's x axis */
	const char	*ylabel;	/* of its y axis */
	const char	*empty;		/* said when no run has a point */
	const char	*how;		/* how to read the plot */
};

static const struct render_label render_labels[] = {
	[RENDER_PASS] = {
		"pass@k", "k", "pass@k (%)", "pass@k vs k",
		"k, samples per problem (log2)", "pass@k (%)",
		"no pass@k in this report",
		"How to read: each line is a run's pass@k, the chance that "
		"at least one of k samples of a problem passes its tests, "
		"averaged over problems; k doubles from one grid line to the "
		"next.  A star is the run's greedy pass@1.  Higher is better.",
	},
	[RENDER_FLOPS] = {
		"pass at a FLOPs budget", "budget",
		"pass at a FLOPs budget (%)", "pass vs FLOPs budget",
		"FLOPs budget, in samples of the base model (log2)",
		"pass@k within the budget (%)",
		"no cost for these models",
		"How to read: at a budget B, each run gets as many samples "
		"as fit in the FLOPs of B samples of the base model, and "
		"scores its pass@k with them; at equal compute, the higher "
		"line is the better choice.  A star is one greedy sample, "
		"at its cost.",
	},
	[RENDER_TIME] = {
		"pass at a wall-time budget", "budget",
		"pass at a wall-time budget (%)", "pass vs wall-time budget",
		"wall-time budget, in samples of the base model (log2)",
		"pass@k within the budget (%)",
		"no cost for these models",
		"How to read: at a budget B, each run gets as many samples "
		"as fit in the wall time of B samples of the base model, "
		"and scores its pass@k with them; at equal time, the higher "
		"line is the better choice.  A star is one greedy sample, "
		"at its time.",
	},
	[RENDER_RANK] = {
		"rank-score@k", "k", "rank-score@k (%)", "rank-score@k vs k",
		"k, samples per problem (log2)", "rank-score@k (%)",
		"no rank scores in this report",
		"How to read: each line is a run's rank-score@k, the chance "
		"that the best-ranked of k samples (by the run's ranking "
		"score) passes; the gap to pass@k is what a perfect ranker "
		"would add.  A star is the run's greedy pass@1.",
	},
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
	int	 i = render_lookup(render_metric_names, RENDER_NMETRICS, s);

	if (i < 0)
		return i;
	*out = (enum render_metric)i;
	return 0;
}

const char *
render_content_type(enum render_format f)
{
	if ((size_t)f >= RENDER_NFORMATS)
		return "application/octet-stream";
	return render_content_types[f];
}

/* --- Text --- */

struct render_buf {
	char	*s;			/* NUL-terminated, or NULL if empty */
	size_t	 len;			/* bytes in s, NUL excluded */
	size_t	 cap;			/* bytes allocated */
};

/* Room for "n" more bytes and a NUL. */
static void
render_grow(struct render_buf *b, size_t n)
{
	size_t	 cap = b->cap != 0 ? b->cap : 1024;

	while (cap < b->len + n + 1)
		cap *= 2;
	if (cap != b->cap) {
		b->s = xreallocarray(b->s, cap, 1);
		b->cap = cap;
	}
}

static void
render_putn(struct render_buf *b, const char *s, size_t n)
{
	render_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
render_puts(struct render_buf *b, const char *s)
{
	render_putn(b, s, strlen(s));
}

static void render_vprintf(struct render_buf *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
render_vprintf(struct render_buf *b, const char *fmt, va_list ap)
{
	va_list	 aq;
	int	 n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	/* Only a format error or 2 GB of output: neither is ours to have. */
	if (n < 0)
		abort();
	render_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

static void render_printf(struct render_buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
render_printf(struct render_buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	render_vprintf(b, fmt, ap);
	va_end(ap);
}

/* The buffer's string, now the caller's; "" when nothing was put. */
static char *
render_take(struct render_buf *b)
{
	char	*s = b->s != NULL ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

/*
 * s (UTF-8, as jansson keeps strings) escaped for XML and HTML text and
 * attribute values, cut after "max" characters with an ellipsis.  The
 * control characters, which XML 1.0 cannot carry even as references,
 * become spaces, and the non-characters U+FFFE and U+FFFF, which it
 * does not allow either, become U+FFFD.
 */
static void
render_put_xml(struct render_buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		 nch = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) != 0x80 && nch++ == max) {
			render_puts(b, "\xe2\x80\xa6");
			return;
		}
		switch (*p) {
		case '&':
			render_puts(b, "&amp;");
			break;
		case '<':
			render_puts(b, "&lt;");
			break;
		case '>':
			render_puts(b, "&gt;");
			break;
		case '"':
			render_puts(b, "&quot;");
			break;
		case '\'':
			render_puts(b, "&#39;");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				render_puts(b, " ");
			} else if (p[0] == 0xef && p[1] == 0xbf &&
			    (p[2] == 0xbe || p[2] == 0xbf)) {
				render_puts(b, "\xef\xbf\xbd");
				p += 2;
			} else {
				render_putn(b, (const char *)p, 1);
			}
			break;
		}
	}
}

/*
 * s as Markdown text: the punctuation that could start emphasis, code,
 * a link, raw HTML, an entity or a table cell is backslash-escaped
 * (CommonMark allows it before any ASCII punctuation), and control
 * characters, a line end among them, become spaces so that a table row
 * stays one line.
 */
static void
render_put_md(struct render_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			render_puts(b, " ");
			continue;
		}
		if (strchr("\\`*_[]<>&|~!#", *s) != NULL)
			render_puts(b, "\\");
		render_putn(b, s, 1);
	}
}

/* s as one CSV field, quoted (RFC 4180) when it has to be. */
static void
render_put_csv(struct render_buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		render_puts(b, s);
		return;
	}
	render_puts(b, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '"')
			render_puts(b, "\"");
		render_putn(b, s, 1);
	}
	render_puts(b, "\"");
}

/* --- Reading --- */

/*
 * jansson's object iterators take a non-const object although they do
 * not change it: this is the one place where the const is dropped.
 */
static json_t *
render_unconst(const json_t *j)
{
	return (json_t *)(uintptr_t)j;
}

/* A number member of obj; NAN when missing, null or not a number. */
static double
render_num(const json_t *obj, const char *key)
{
	const json_t	*v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A string member of obj, or NULL. */
static const char *
render_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* A string member of obj, or "-" (the tables' "nothing"). */
static const char *
render_str_or_dash(const json_t *obj, const char *key)
{
	const char	*s = render_str(obj, key);

	return s != NULL ? s : "-";
}

static const char *
render_run_name(const json_t *run)
{
	const char	*s = render_str(run, "run");

	return s != NULL ? s : "(unnamed)";
}

static bool
render_is_partial(const json_t *run)
{
	return json_is_true(json_object_get(run, "partial"));
}

/* One point of a run's series. */
struct render_point {
	double		 x;		/* k, or the budget in base samples */
	double		 y;		/* the metric at x, percent */
	double		 k;		/* samples at x (x itself for k) */
	double		 err;		/* standard error of pass@k, or NAN */
	double		 rank;		/* rank-score at the budget, or NAN */
};

/* One run's points for one metric. */
struct render_series {
	const json_t	*run;		/* borrowed from the report */
	const char	*name;		/* its "run", borrowed */
	struct render_point *pt;	/* n points, x ascending; new */
	size_t		 n;
	double		 star_x;	/* greedy pass@1 is drawn here; NAN */
	double		 star_y;	/* greedy pass@1, percent */
};

static int
render_point_cmp(const void *a, const void *b)
{
	const struct render_point *pa = a, *pb = b;

	return (pa->x > pb->x) - (pa->x < pb->x);
}

/*
 * The points of a map {"k": pct} (pass_at_k, rank_score_at_k), with the
 * standard errors of errs (the same keys) when given.  Keys that are
 * not positive integers and values that are not finite are skipped.
 */
static void
render_series_kmap(struct render_series *s, const json_t *map,
    const json_t *errs)
{
	json_t		*m = render_unconst(map), *v;
	const char	*key;
	char		*end;
	unsigned long	 k;

	s->pt = xcalloc(json_object_size(m), sizeof(*s->pt));
	json_object_foreach(m, key, v) {
		errno = 0;
		k = strtoul(key, &end, 10);
		if (*key < '1' || *key > '9' || *end != '\0' || errno != 0 ||
		    !json_is_number(v) || !isfinite(json_number_value(v)))
			continue;
		s->pt[s->n].x = s->pt[s->n].k = (double)k;
		s->pt[s->n].y = json_number_value(v);
		s->pt[s->n].err = render_num(errs, key);
		s->pt[s->n].rank = NAN;
		s->n++;
	}
}

/* The points of a budgets list [{"budget", "k", "pass", "rank"}]. */
static void
render_series_budgets(struct render_series *s, const json_t *list)
{
	const json_t	*e;
	size_t		 i;
	double		 x, y;

	s->pt = xcalloc(json_array_size(list), sizeof(*s->pt));
	json_array_foreach(list, i, e) {
		x = render_num(e, "budget");
		y = render_num(e, "pass");
		if (!(x > 0.0) || !isfinite(x) || !isfinite(y))
			continue;
		s->pt[s->n].x = x;
		s->pt[s->n].y = y;
		s->pt[s->n].k = render_num(e, "k");
		s->pt[s->n].err = NAN;
		s->pt[s->n].rank = render_num(e, "rank");
		s->n++;
	}
}

/*
 * The series of metric m for one run.  Greedy pass@1 is placed at k = 1
 * for the k metrics, and at the budget of one sample of the run's model
 * (its cost over the base model's) for the budgets; only a run with
 * points gets it.
 */
static void
render_series_init(struct render_series *s, const json_t *report,
    const json_t *run, enum render_metric m)
{
	const char	*unit = m == RENDER_FLOPS ? "tflops" : "seconds";
	const json_t	*budgets;

	s->run = run;
	s->name = render_run_name(run);
	s->star_x = 1.0;
	switch (m) {
	case RENDER_PASS:
		render_series_kmap(s, json_object_get(run, "pass_at_k"),
		    json_object_get(run, "stderr_at_k"));
		break;
	case RENDER_RANK:
		render_series_kmap(s, json_object_get(run, "rank_score_at_k"),
		    NULL);
		break;
	case RENDER_FLOPS:
	case RENDER_TIME:
		budgets = json_object_get(run, "budgets");
		render_series_budgets(s, json_object_get(budgets,
		    render_metric_names[m]));
		s->star_x = render_num(json_object_get(run, "cost"), unit) /
		    render_num(json_object_get(report, "base"), unit);
		break;
	}
	qsort(s->pt, s->n, sizeof(*s->pt), render_point_cmp);
	s->star_y = render_num(run, "greedy_pass_at_1");
	if (s->n == 0 || !(s->star_x > 0.0) || !isfinite(s->star_x) ||
	    !isfinite(s->star_y))
		s->star_x = NAN;
}

/* The series of metric m of every run, in report order; *np of them. */
static struct render_series *
render_series_all(const json_t *report, enum render_metric m, size_t *np)
{
	const json_t	*runs = json_object_get(report, "runs");
	struct render_series *s;

	*np = json_array_size(runs);
	s = xcalloc(*np, sizeof(*s));
	for (size_t i = 0; i < *np; i++)
		render_series_init(&s[i], report, json_array_get(runs, i), m);
	return s;
}

static void
render_series_free(struct render_series *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].pt);
	free(s);
}

/* The point of s at x, or NULL. */
static const struct render_point *
render_point_at(const struct render_series *s, double x)
{
	struct render_point key = { .x = x };

	return bsearch(&key, s->pt, s->n, sizeof(*s->pt), render_point_cmp);
}

/*
 * Whether a row for x belongs in a table for people: x is a power of
 * two (the grid of the paper's log2 axes) or the last x, xmax.
 */
static bool
render_keep_x(double x, double xmax)
{
	int	 e;

	return frexp(x, &e) == 0.5 || x == xmax;
}

static int
render_double_cmp(const void *a, const void *b)
{
	double	 da = *(const double *)a, db = *(const double *)b;

	return (da > db) - (da < db);
}

/*
 * The rows of a table of the series: every x of any run, ascending,
 * once, kept by render_keep_x().  Returns a new array of *nxp values.
 */
static double *
render_rows(const struct render_series *s, size_t n, size_t *nxp)
{
	double	*xs;
	size_t	 nx = 0, kept = 0;

	for (size_t i = 0; i < n; i++)
		nx += s[i].n;
	xs = xcalloc(nx, sizeof(*xs));
	nx = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < s[i].n; j++)
			xs[nx++] = s[i].pt[j].x;
	}
	qsort(xs, nx, sizeof(*xs), render_double_cmp);
	for (size_t i = 0; i < nx; i++) {
		if ((i == 0 || xs[i] != xs[i - 1]) &&
		    render_keep_x(xs[i], xs[nx - 1]))
			xs[kept++] = xs[i];
	}
	*nxp = kept;
	return xs;
}

/* --- CSV --- */

static const char *const render_csv_headers[] = {
	[RENDER_PASS] = "run,model,k,pass,stderr,reliable",
	[RENDER_FLOPS] = "run,model,budget,k,pass,rank_score",
	[RENDER_TIME] = "run,model,budget,k,pass,rank_score",
	[RENDER_RANK] = "run,model,k,rank_score",
};

/* ",v", or "," alone when v is not a number. */
static void
render_csv_num(struct render_buf *b, double v)
{
	if (isfinite(v))
		render_printf(b, ",%.10g", v);
	else
		render_puts(b, ",");
}

static void
render_csv(struct render_buf *b, const json_t *report, enum render_metric m)
{
	struct render_series *s;
	const struct render_point *p;
	const char	*model;
	size_t		 n;
	double		 reliable;

	s = render_series_all(report, m, &n);
	render_printf(b, "%s\n", render_csv_headers[m]);
	for (size_t i = 0; i < n; i++) {
		reliable = render_num(s[i].run, "reliable_k_max");
		if ((model = render_str(s[i].run, "model")) == NULL)
			model = "";
		for (size_t j = 0; j < s[i].n; j++) {
			p = &s[i].pt[j];
			render_put_csv(b, s[i].name);
			render_puts(b, ",");
			render_put_csv(b, model);
			render_csv_num(b, p->x);
			if (m == RENDER_FLOPS || m == RENDER_TIME)
				render_csv_num(b, p->k);
			render_csv_num(b, p->y);
			if (m == RENDER_PASS) {
				render_csv_num(b, p->err);
				render_csv_num(b, isnan(reliable) ? NAN :
				    p->x <= reliable);
			} else if (m != RENDER_RANK) {
				render_csv_num(b, p->rank);
			}
			render_puts(b, "\n");
		}
	}
	render_series_free(s, n);
}

/* --- Documents --- */

/* A Markdown or HTML document being written. */
struct render_doc {
	struct render_buf b;
	bool		 html;		/* else Markdown */
};

/* A table of text cells, row-major, the header row first. */
struct render_table {
	size_t		 ncols;
	const char	*align;		/* 'l' or 'r' a column, the last
					   for all the columns past it */
	char		**cell;		/* ncells new strings, unescaped */
	size_t		 ncells;
	size_t		 cap;
};

static void
render_text(struct render_doc *d, const char *s)
{
	if (d->html)
		render_put_xml(&d->b, s, SIZE_MAX);
	else
		render_put_md(&d->b, s);
}

static void render_heading(struct render_doc *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* A heading of "level" (1..6), formatted, then escaped. */
static void
render_heading(struct render_doc *d, int level, const char *fmt, ...)
{
	struct render_buf t = { 0 };
	va_list		 ap;

	va_start(ap, fmt);
	render_vprintf(&t, fmt, ap);
	va_end(ap);
	if (d->html)
		render_printf(&d->b, "<h%d>", level);
	else
		render_printf(&d->b, "%.*s ", level, "######");
	render_text(d, t.s);
	if (d->html)
		render_printf(&d->b, "</h%d>\n", level);
	else
		render_puts(&d->b, "\n\n");
	free(t.s);
}

static void render_para(struct render_doc *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* A paragraph of HTML class "cls" (ours, or NULL), formatted, escaped. */
static void
render_para(struct render_doc *d, const char *cls, const char *fmt, ...)
{
	struct render_buf t = { 0 };
	va_list		 ap;

	va_start(ap, fmt);
	render_vprintf(&t, fmt, ap);
	va_end(ap);
	if (d->html && cls != NULL)
		render_printf(&d->b, "<p class=\"%s\">", cls);
	else if (d->html)
		render_puts(&d->b, "<p>");
	render_text(d, t.s);
	render_puts(&d->b, d->html ? "</p>\n" : "\n\n");
	free(t.s);
}

static void render_cell(struct render_table *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Add the next cell, formatted. */
static void
render_cell(struct render_table *t, const char *fmt, ...)
{
	struct render_buf c = { 0 };
	va_list		 ap;

	va_start(ap, fmt);
	render_vprintf(&c, fmt, ap);
	va_end(ap);
	if (t->ncells == t->cap) {
		t->cap = t->cap != 0 ? t->cap * 2 : 32;
		t->cell = xreallocarray(t->cell, t->cap, sizeof(*t->cell));
	}
	t->cell[t->ncells++] = render_take(&c);
}

/* A number cell, or "-" when v is not a number. */
static void
render_cell_pct(struct render_table *t, double v)
{
	if (isfinite(v))
		render_cell(t, "%.2f", v);
	else
		render_cell(t, "-");
}

/* A count cell, or "-" when v is not a number. */
static void
render_cell_count(struct render_table *t, double v)
{
	if (isfinite(v))
		render_cell(t, "%.0f", v);
	else
		render_cell(t, "-");
}

/* Whether column "col" of t is right-aligned. */
static bool
render_align_right(const struct render_table *t, size_t col)
{
	size_t	 n = strlen(t->align);

	return n > 0 && t->align[col < n ? col : n - 1] == 'r';
}

/* Write the table t into d and release its cells. */
static void
render_table_end(struct render_doc *d, struct render_table *t)
{
	const char	*tag;
	bool		 right;

	if (d->html)
		render_puts(&d->b, "<table>\n");
	for (size_t i = 0; i < t->ncells; i++) {
		right = render_align_right(t, i % t->ncols);
		if (i % t->ncols == 0)
			render_puts(&d->b, d->html ? "<tr>" : "|");
		tag = i < t->ncols ? "th" : "td";
		if (d->html)
			render_printf(&d->b, "<%s%s>", tag,
			    right ? " class=\"num\"" : "");
		else
			render_puts(&d->b, " ");
		render_text(d, t->cell[i]);
		if (d->html)
			render_printf(&d->b, "</%s>", tag);
		else
			render_puts(&d->b, " |");
		if (i % t->ncols == t->ncols - 1)
			render_puts(&d->b, d->html ? "</tr>\n" : "\n");
		/* Markdown's delimiter row follows the header. */
		if (!d->html && i == t->ncols - 1) {
			render_puts(&d->b, "|");
			for (size_t j = 0; j < t->ncols; j++)
				render_puts(&d->b, render_align_right(t, j) ?
				    " --: |" : " :-- |");
			render_puts(&d->b, "\n");
		}
		free(t->cell[i]);
	}
	render_puts(&d->b, d->html ? "</table>\n" : "\n");
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

/* --- Sections --- */

/* A line per partial run: its numbers are not final. */
static void
render_sec_partial(struct render_doc *d, const json_t *report)
{
	const json_t	*runs = json_object_get(report, "runs"), *run;
	struct render_buf count = { 0 };
	size_t		 i;

	json_array_foreach(runs, i, run) {
		if (!render_is_partial(run))
			continue;
		count.len = 0;		/* emptied, yet a string */
		render_puts(&count, "");
		if (isfinite(render_num(run, "pending")))
			render_printf(&count, "%.0f ", render_num(run,
			    "pending"));
		render_para(d, "partial", "partial: still being judged: %s "
		    "has %scandidates pending; its numbers will change.",
		    render_run_name(run), count.s);
	}
	free(count.s);
}

/* What budget 1 is, under the budget tables. */
static void
render_base_note(struct render_doc *d, const json_t *report,
    enum render_metric m)
{
	const json_t	*base = json_object_get(report, "base");
	double		 cost;

	cost = render_num(base, m == RENDER_FLOPS ? "tflops" : "seconds");
	if (!isfinite(cost))
		return;
	render_para(d, NULL, "A budget of 1 is one sample of the base model, "
	    "%s (%.4g %s); a run gets as many samples as fit in the budget.",
	    render_str_or_dash(base, "model"), cost,
	    m == RENDER_FLOPS ? "TFLOPs" : "s");
}

/*
 * A pass@k cell: "pct \xc2\xb1 stderr", and a dagger when k is past the
 * run's reliable_k_max.  Returns whether it is.
 */
static bool
render_cell_pass(struct render_table *t, const struct render_point *p,
    double reliable)
{
	const char	*dagger = p->x > reliable ? " \xe2\x80\xa0" : "";

	if (isfinite(p->err))
		render_cell(t, "%.2f \xc2\xb1 %.2f%s", p->y, p->err, dagger);
	else
		render_cell(t, "%.2f%s", p->y, dagger);
	return *dagger != '\0';
}

/* The table of metric m: a row per x, a column per run. */
static void
render_sec_values(struct render_doc *d, const json_t *report,
    enum render_metric m)
{
	const struct render_label *l = &render_labels[m];
	const struct render_point *p;
	struct render_table t = { .ncols = 0, .align = "lr" };
	struct render_series *s;
	size_t		 n, nx;
	double		*xs, reliable;
	bool		 beyond = false;

	s = render_series_all(report, m, &n);
	xs = render_rows(s, n, &nx);
	render_heading(d, 2, "%s", l->table);
	if (nx == 0) {
		render_para(d, "empty", "%s.", l->empty);
		goto out;
	}
	if (m == RENDER_FLOPS || m == RENDER_TIME)
		render_base_note(d, report, m);
	t.ncols = n + 1;
	render_cell(&t, "%s", l->xname);
	for (size_t i = 0; i < n; i++)
		render_cell(&t, "%s", s[i].name);
	for (size_t r = 0; r < nx; r++) {
		render_cell(&t, "%.10g", xs[r]);
		for (size_t i = 0; i < n; i++) {
			reliable = render_num(s[i].run, "reliable_k_max");
			if ((p = render_point_at(&s[i], xs[r])) == NULL)
				render_cell(&t, "-");
			else if (m == RENDER_PASS)
				beyond |= render_cell_pass(&t, p, reliable);
			else if (m == RENDER_RANK || !isfinite(p->k))
				render_cell_pct(&t, p->y);
			else
				render_cell(&t, "%.2f (k=%.0f)", p->y, p->k);
		}
	}
	render_table_end(d, &t);
	if (beyond)
		render_para(d, "note", "\xe2\x80\xa0 k above n_min / 2: fewer "
		    "distinct samples to draw from, less reliable (the paper "
		    "reports up to n / 2).  \xc2\xb1 is the standard error "
		    "over problems.");
	else if (m == RENDER_PASS)
		render_para(d, "note", "\xc2\xb1 is the standard error over "
		    "problems.");
out:
	free(xs);
	render_series_free(s, n);
}

/*
 * A run's status cell: complete or partial, with its pending candidates,
 * its internal errors (candidates never judged, counted as neither pass
 * nor fail) and the candidates the oracle could not judge (counted as
 * "error") when there are any.
 */
static void
render_status(struct render_table *t, const json_t *run)
{
	struct render_buf st = { 0 };
	double		 pending = render_num(run, "pending");
	double		 internal = render_num(run, "internal");
	double		 oracle = render_num(run, "oracle_errors");

	if (render_is_partial(run))
		render_puts(&st, "partial: still being judged");
	else
		render_puts(&st, "complete");
	if (pending > 0.0)
		render_printf(&st, ", %.0f pending", pending);
	if (internal > 0.0)
		render_printf(&st, ", internal errors: %.0f", internal);
	if (oracle > 0.0)
		render_printf(&st, ", %.0f the oracle could not judge "
		    "(counted as error)", oracle);
	render_cell(t, "%s", st.s);
	free(st.s);
}

/* The runs: what they are, how much was judged, what they cost. */
static void
render_sec_runs(struct render_doc *d, const json_t *report)
{
	const json_t	*runs = json_object_get(report, "runs"), *run, *cost;
	struct render_table t = { .ncols = 9, .align = "l" };
	double		 lo, hi, greedy, tflops, seconds;
	size_t		 i;

	render_heading(d, 2, "Runs");
	if (json_array_size(runs) == 0) {
		render_para(d, "empty", "No runs in this report.");
		return;
	}
	render_cell(&t, "run");
	render_cell(&t, "model");
	render_cell(&t, "ranker");
	render_cell(&t, "problems");
	render_cell(&t, "samples per problem");
	render_cell(&t, "greedy pass@1 (%%)");
	render_cell(&t, "cost per sample");
	render_cell(&t, "cost source");
	render_cell(&t, "status");
	json_array_foreach(runs, i, run) {
		render_cell(&t, "%s", render_run_name(run));
		render_cell(&t, "%s", render_str_or_dash(run, "model"));
		render_cell(&t, "%s", render_str_or_dash(run, "ranker"));
		render_cell_count(&t, render_num(run, "problems"));
		lo = render_num(run, "n_min");
		hi = render_num(run, "n_max");
		if (isfinite(lo) && isfinite(hi) && lo != hi)
			render_cell(&t, "%.0f..%.0f", lo, hi);
		else
			render_cell_count(&t, lo);
		greedy = render_num(run, "greedy_pass_at_1");
		if (isfinite(greedy) &&
		    isfinite(render_num(run, "greedy_problems")))
			render_cell(&t, "%.2f (%.0f problems)", greedy,
			    render_num(run, "greedy_problems"));
		else
			render_cell_pct(&t, greedy);
		cost = json_object_get(run, "cost");
		tflops = render_num(cost, "tflops");
		seconds = render_num(cost, "seconds");
		if (isfinite(tflops) && isfinite(seconds))
			render_cell(&t, "%.4g TFLOPs, %.4g s", tflops,
			    seconds);
		else if (isfinite(tflops) || isfinite(seconds))
			render_cell(&t, isfinite(tflops) ? "%.4g TFLOPs" :
			    "%.4g s", isfinite(tflops) ? tflops : seconds);
		else
			render_cell(&t, "-");
		render_cell(&t, "%s", render_str_or_dash(run, "cost_source"));
		render_status(&t, run);
	}
	render_table_end(d, &t);
}

/* Who wins metric m at each x, and where the lead changes hands. */
static void
render_sec_compare(struct render_doc *d, const json_t *report,
    enum render_metric m)
{
	const struct render_label *l = &render_labels[m];
	const json_t	*cmps = json_object_get(report, "comparisons");
	const json_t	*c = NULL, *e, *pts, *xo;
	const char	*name;
	struct render_table t = { .ncols = 3, .align = "llr" };
	double		 x, xmax = -INFINITY;
	size_t		 i;

	json_array_foreach(cmps, i, e) {
		name = render_str(e, "metric");
		if (name != NULL && strcmp(name, render_metric_names[m]) == 0)
			c = e;
	}
	if (c == NULL)
		return;
	pts = json_object_get(c, "points");
	xo = json_object_get(c, "crossovers");
	render_heading(d, 2, "Comparisons: %s", l->value);
	json_array_foreach(pts, i, e) {
		if (render_num(e, "x") > xmax)
			xmax = render_num(e, "x");
	}
	render_cell(&t, "%s", l->xname);
	render_cell(&t, "best");
	render_cell(&t, "margin (points)");
	json_array_foreach(pts, i, e) {
		x = render_num(e, "x");
		if (!(x > 0.0) || !render_keep_x(x, xmax))
			continue;
		render_cell(&t, "%.10g", x);
		render_cell(&t, "%s", render_str_or_dash(e, "best"));
		render_cell_pct(&t, render_num(e, "margin"));
	}
	render_table_end(d, &t);
	json_array_foreach(xo, i, e)
		render_para(d, NULL, "Crossover at %s = %.10g: %s overtakes "
		    "%s.", l->xname, render_num(e, "x"),
		    render_str_or_dash(e, "after"),
		    render_str_or_dash(e, "before"));
	if (json_array_size(xo) == 0)
		render_para(d, NULL, "No crossovers.");
}

/* The problems on which the runs disagree most. */
static void
render_sec_disagree(struct render_doc *d, const json_t *report)
{
	const json_t	*runs = json_object_get(report, "runs");
	const json_t	*list = json_object_get(report, "disagreements");
	const json_t	*e, *rates;
	struct render_table t = { .ncols = 0, .align = "lr" };
	size_t		 i, nruns = json_array_size(runs);

	if (json_array_size(list) == 0)
		return;
	render_heading(d, 2, "Disagreements");
	render_para(d, NULL, "The problems whose pass rates (%%) differ most "
	    "between the runs.");
	t.ncols = nruns + 2;
	render_cell(&t, "problem");
	render_cell(&t, "spread (points)");
	for (size_t j = 0; j < nruns; j++)
		render_cell(&t, "%s", render_run_name(json_array_get(runs, j)));
	json_array_foreach(list, i, e) {
		rates = json_object_get(e, "pass_rates");
		render_cell(&t, "%s", render_str_or_dash(e, "task_id"));
		render_cell_pct(&t, render_num(e, "spread"));
		for (size_t j = 0; j < nruns; j++)
			render_cell_pct(&t, render_num(rates,
			    render_run_name(json_array_get(runs, j))));
	}
	render_table_end(d, &t);
}

/* --- Plots --- */

/*
 * The geometry of a plot, in SVG user units (pixels at 100%): the plot
 * area is [RENDER_LEFT, RENDER_RIGHT] x [RENDER_TOP, RENDER_BOTTOM]; the
 * legend is under it, two entries a row, so that it takes the names'
 * room from nothing and the plot's height grows with the runs.
 */
#define RENDER_W		640
#define RENDER_LEFT		64
#define RENDER_RIGHT		620
#define RENDER_TOP		44
#define RENDER_BOTTOM		330
#define RENDER_LEGEND_Y		396	/* baseline of the first row */
#define RENDER_LEGEND_ROW	20
#define RENDER_LEGEND_COL	280	/* width of a legend column */
#define RENDER_LEGEND_NAME	30	/* characters of a name shown */
#define RENDER_XTICKS		8	/* labels, at most, on the x axis */
#define RENDER_XPAD		0.25	/* log2 units around the x range */
#define RENDER_MARKS_MAX	32	/* points marked on sparser lines */

/* Tableau 10: distinct, and readable on white. */
static const char *const render_colors[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1",
	"#76b7b2", "#9c755f", "#ff9da7", "#edc948", "#bab0ac",
};
#define RENDER_NCOLORS	(sizeof(render_colors) / sizeof(render_colors[0]))

/* A linear map from data to pixels; for a log2 axis, of log2(v). */
struct render_scale {
	double		 lo, hi;	/* data range, log2 units if log2 */
	double		 p0, p1;	/* pixels at lo and at hi */
	bool		 log2;
};

static double
render_px(const struct render_scale *sc, double v)
{
	if (sc->log2)
		v = log2(v);
	return sc->p0 + (v - sc->lo) / (sc->hi - sc->lo) * (sc->p1 - sc->p0);
}

/*
 * The x axis, log2, over [xmin, xmax] (> 0) and a little room each side:
 * a grid line at every power of two in it, a label at every one, or
 * every second, ..., so that there are at most RENDER_XTICKS labels.
 */
static void
render_axis_x(struct render_buf *b, struct render_scale *sc, double xmin,
    double xmax, const char *label)
{
	int	 lo = (int)floor(log2(xmin)), hi = (int)ceil(log2(xmax)), step;
	double	 px;

	if (hi <= lo)
		hi = lo + 1;
	*sc = (struct render_scale){ lo - RENDER_XPAD, hi + RENDER_XPAD,
	    RENDER_LEFT, RENDER_RIGHT, true };
	step = (hi - lo + RENDER_XTICKS) / RENDER_XTICKS;
	render_puts(b, "<g class=\"xaxis\" text-anchor=\"middle\">\n");
	for (int e = lo; e <= hi; e++) {
		px = render_px(sc, ldexp(1.0, e));
		render_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#e3e3e3\"/>\n", px, RENDER_TOP, px,
		    RENDER_BOTTOM);
		if ((e - lo) % step == 0)
			render_printf(b, "<text x=\"%.1f\" y=\"%d\">%.10g"
			    "</text>\n", px, RENDER_BOTTOM + 18, ldexp(1.0, e));
	}
	render_printf(b, "<text x=\"%d\" y=\"%d\">%s</text>\n</g>\n",
	    (RENDER_LEFT + RENDER_RIGHT) / 2, RENDER_BOTTOM + 40, label);
}

/*
 * The y axis, percent: from the tens below ymin to the tens above ymax
 * (at least ten points apart), a grid line every 2, 5 or 10 points.
 */
static void
render_axis_y(struct render_buf *b, struct render_scale *sc, double ymin,
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
	*sc = (struct render_scale){ lo, hi, RENDER_BOTTOM, RENDER_TOP, false };
	render_puts(b, "<g class=\"yaxis\" text-anchor=\"end\">\n");
	for (double v = lo; v <= hi + step / 2.0; v += step) {
		py = render_px(sc, v);
		render_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
		    "y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", RENDER_LEFT, py,
		    RENDER_RIGHT, py);
		render_printf(b, "<text x=\"%d\" y=\"%.1f\">%g</text>\n",
		    RENDER_LEFT - 6, py + 4.0, v);
	}
	render_printf(b, "<text transform=\"translate(20 %d) rotate(-90)\" "
	    "text-anchor=\"middle\">%s</text>\n</g>\n",
	    (RENDER_TOP + RENDER_BOTTOM) / 2, label);
}

/*
 * A five-pointed star of outer radius r at (cx, cy), of class "cls"
 * (ours).  The <polygon> tag is left open: the caller closes it with
 * "/>" or gives it children.
 */
static void
render_star(struct render_buf *b, const char *cls, double cx, double cy,
    double r, const char *color)
{
	double	 a, rr;

	render_printf(b, "<polygon class=\"%s\" fill=\"%s\" stroke=\"#222\" "
	    "stroke-width=\"0.8\" points=\"", cls, color);
	for (int i = 0; i < 10; i++) {
		a = -M_PI / 2.0 + i * M_PI / 5.0;
		rr = i % 2 == 0 ? r : r * 0.45;
		render_printf(b, "%s%.1f,%.1f", i == 0 ? "" : " ",
		    cx + rr * cos(a), cy + rr * sin(a));
	}
	render_puts(b, "\"");
}

/*
 * One run's line: a polyline, and marks at its points when sparse.  A
 * run without points has no line (its legend entry says so).
 */
static void
render_line(struct render_buf *b, const struct render_series *s,
    size_t idx, const struct render_scale *xs, const struct render_scale *ys)
{
	const char	*color = render_colors[idx % RENDER_NCOLORS];

	if (s->n == 0)
		return;
	render_puts(b, "<polyline class=\"run\" data-run=\"");
	render_put_xml(b, s->name, SIZE_MAX);
	render_printf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
	    "stroke-linejoin=\"round\"%s points=\"", color,
	    idx >= RENDER_NCOLORS ? " stroke-dasharray=\"6 3\"" : "");
	for (size_t j = 0; j < s->n; j++)
		render_printf(b, "%s%.1f,%.1f", j == 0 ? "" : " ",
		    render_px(xs, s->pt[j].x), render_px(ys, s->pt[j].y));
	render_puts(b, "\"/>\n");
	if (s->n > RENDER_MARKS_MAX)
		return;
	render_printf(b, "<g class=\"marks\" fill=\"%s\">", color);
	for (size_t j = 0; j < s->n; j++)
		render_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
		    render_px(xs, s->pt[j].x), render_px(ys, s->pt[j].y));
	render_puts(b, "</g>\n");
}

/* The height of a plot whose legend has "entries" entries. */
static int
render_plot_h(size_t entries)
{
	return RENDER_LEGEND_Y + (int)((entries + 1) / 2) * RENDER_LEGEND_ROW -
	    RENDER_LEGEND_ROW / 2;
}

/*
 * The legend, under the x axis label, two entries a row: a swatch and
 * the name (cut, the whole of it in a tooltip) of each run, then the
 * key to the stars when there are any.
 */
static void
render_legend(struct render_buf *b, const struct render_series *s,
    size_t n, bool stars)
{
	int	 x, y;

	render_puts(b, "<g class=\"legend\">\n");
	for (size_t i = 0; i < n + stars; i++) {
		x = RENDER_LEFT + (int)(i % 2) * RENDER_LEGEND_COL;
		y = RENDER_LEGEND_Y + (int)(i / 2) * RENDER_LEGEND_ROW;
		if (i == n) {
			render_star(b, "key", x + 11, y - 4, 7, "#fff");
			render_printf(b, "/>\n<text x=\"%d\" y=\"%d\">greedy "
			    "pass@1</text>\n", x + 30, y);
			break;
		}
		render_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"22\" "
		    "height=\"6\" fill=\"%s\"/>\n", x, y - 7,
		    render_colors[i % RENDER_NCOLORS]);
		render_printf(b, "<text x=\"%d\" y=\"%d\"><title>", x + 30, y);
		render_put_xml(b, s[i].name, SIZE_MAX);
		render_puts(b, "</title>");
		render_put_xml(b, s[i].name, RENDER_LEGEND_NAME);
		render_printf(b, "%s%s</text>\n", render_is_partial(s[i].run) ?
		    " (partial)" : "", s[i].n == 0 ? " (no data)" : "");
	}
	render_puts(b, "</g>\n");
}

/*
 * The plot of metric m over the series s[0..n-1], as an <svg> element
 * (standalone, with its namespace, and fit for inline HTML too).  With
 * no point at all, the plot is only its title and the metric's "empty"
 * message.  Returns whether there was something to plot.
 */
static bool
render_plot(struct render_buf *b, enum render_metric m,
    const struct render_series *s, size_t n)
{
	const struct render_label *l = &render_labels[m];
	struct render_scale xs, ys;
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
	h = xmin > xmax ? RENDER_BOTTOM : render_plot_h(n + stars);
	render_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"plot\" id=\"plot-%s\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Arial, "
	    "sans-serif\" font-size=\"13\">\n", render_metric_names[m],
	    RENDER_W, h, RENDER_W, h);
	render_printf(b, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
	    "<text x=\"%d\" y=\"26\" text-anchor=\"middle\" font-size=\"17\" "
	    "font-weight=\"bold\">%s</text>\n", RENDER_W, h,
	    (RENDER_LEFT + RENDER_RIGHT) / 2, l->title);
	if (xmin > xmax) {
		render_printf(b, "<text class=\"empty\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\" font-size=\"15\" fill=\"#666\">"
		    "%s</text>\n</svg>\n", (RENDER_LEFT + RENDER_RIGHT) / 2,
		    h / 2, l->empty);
		return false;
	}
	render_axis_x(b, &xs, xmin, xmax, l->xlabel);
	render_axis_y(b, &ys, ymin, ymax, l->ylabel);
	render_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"none\" stroke=\"#333\"/>\n", RENDER_LEFT, RENDER_TOP,
	    RENDER_RIGHT - RENDER_LEFT, RENDER_BOTTOM - RENDER_TOP);
	for (size_t i = 0; i < n; i++)
		render_line(b, &s[i], i, &xs, &ys);
	for (size_t i = 0; i < n; i++) {
		if (isnan(s[i].star_x))
			continue;
		render_star(b, "greedy", render_px(&xs, s[i].star_x),
		    render_px(&ys, s[i].star_y), 8,
		    render_colors[i % RENDER_NCOLORS]);
		render_puts(b, "><title>");
		render_put_xml(b, s[i].name, SIZE_MAX);
		render_printf(b, ": greedy pass@1 %.2f%%</title></polygon>\n",
		    s[i].star_y);
	}
	render_legend(b, s, n, stars);
	render_puts(b, "</svg>\n");
	return true;
}

/* --- Formats --- */

static void
render_md(struct render_doc *d, const json_t *report, enum render_metric m)
{
	render_heading(d, 1, "verdict report: %s", render_labels[m].value);
	render_sec_partial(d, report);
	render_sec_values(d, report, m);
	render_sec_runs(d, report);
	render_sec_compare(d, report, m);
	render_sec_disagree(d, report);
}

static void
render_svg(struct render_buf *b, const json_t *report, enum render_metric m)
{
	struct render_series *s;
	size_t		 n;

	s = render_series_all(report, m, &n);
	render_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	render_plot(b, m, s, n);
	render_series_free(s, n);
}

/* Whether any run has rank scores: the page then plots them too. */
static bool
render_has_rank(const json_t *report)
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
static const char render_css[] =
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

static void
render_html(struct render_doc *d, const json_t *report)
{
	static const enum render_metric panels[] = { RENDER_PASS,
	    RENDER_FLOPS, RENDER_TIME, RENDER_RANK };
	const json_t	*runs = json_object_get(report, "runs");
	struct render_buf title = { 0 };
	struct render_series *s;
	enum render_metric m;
	size_t		 n, npanels = render_has_rank(report) ? 4 : 3;

	render_puts(&title, "verdict report: ");
	for (size_t i = 0; i < json_array_size(runs); i++)
		render_printf(&title, "%s%s", i == 0 ? "" : ", ",
		    render_run_name(json_array_get(runs, i)));
	render_puts(&d->b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" "
	    "content=\"width=device-width\"/>\n<title>");
	render_text(d, title.s);
	render_printf(&d->b, "</title>\n<style>\n%s</style>\n</head>\n"
	    "<body>\n", render_css);
	render_heading(d, 1, "%s", title.s);
	free(title.s);
	render_sec_partial(d, report);
	render_puts(&d->b, "<div class=\"panels\">\n");
	for (size_t i = 0; i < npanels; i++) {
		m = panels[i];
		render_printf(&d->b, "<figure class=\"panel\" "
		    "id=\"panel-%s\">\n", render_metric_names[m]);
		s = render_series_all(report, m, &n);
		if (render_plot(&d->b, m, s, n))
			render_para(d, "how", "%s", render_labels[m].how);
		render_series_free(s, n);
		render_puts(&d->b, "</figure>\n");
	}
	render_puts(&d->b, "</div>\n");
	render_sec_runs(d, report);
	for (size_t i = 0; i < npanels; i++)
		render_sec_values(d, report, panels[i]);
	for (size_t i = 0; i < npanels; i++)
		render_sec_compare(d, report, panels[i]);
	render_sec_disagree(d, report);
	render_puts(&d->b, "</body>\n</html>\n");
}

/* json_dump_callback() into a render_buf; it cannot fail. */
static int
render_dump_cb(const char *s, size_t n, void *arg)
{
	render_putn(arg, s, n);
	return 0;
}

char *
render_report(const json_t *report, enum render_format format,
    enum render_metric metric)
{
	struct render_doc d = { .html = format == RENDER_HTML };

	if (report == NULL || (size_t)format >= RENDER_NFORMATS ||
	    (size_t)metric >= RENDER_NMETRICS)
		return NULL;
	switch (format) {
	case RENDER_JSON:
		if (json_dump_callback(report, render_dump_cb, &d.b,
		    JSON_COMPACT | JSON_ENCODE_ANY) != 0) {
			free(d.b.s);
			return NULL;
		}
		render_puts(&d.b, "\n");
		break;
	case RENDER_CSV:
		render_csv(&d.b, report, metric);
		break;
	case RENDER_MD:
		render_md(&d, report, metric);
		break;
	case RENDER_SVG:
		render_svg(&d.b, report, metric);
		break;
	case RENDER_HTML:
		render_html(&d, report);
		break;
	}
	return render_take(&d.b);
}
