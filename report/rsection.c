/*
 * rsection.c - the sections of the md and html formats.  See
 * rsection.h.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/xmalloc.h"
#include "report/rdata.h"
#include "report/rdoc.h"
#include "report/rmetric.h"
#include "report/rsection.h"
#include "report/rtext.h"

void
rsection_partial(struct rdoc *d, const json_t *report)
{
	const json_t	*runs = json_object_get(report, "runs"), *run;
	char		*count;
	double		 pending;
	size_t		 i;

	json_array_foreach(runs, i, run) {
		if (!rdata_is_partial(run))
			continue;
		pending = rdata_num(run, "pending");
		count = isfinite(pending) ? xasprintf("%.0f ", pending) :
		    xstrdup("");
		rdoc_para(d, "partial", "partial: still being judged: %s "
		    "has %scandidates pending; its numbers will change.",
		    rdata_run_name(run), count);
		free(count);
	}
}

void
rsection_subtitle(struct rdoc *d, const json_t *report)
{
	char	*s;

	if ((s = rdata_subtitle(report)) == NULL)
		return;
	rdoc_para(d, "subtitle", "%s", s);
	free(s);
}

void
rsection_problem_sets(struct rdoc *d, const json_t *report)
{
	const char	*s;
	bool		 warning;

	if ((s = rdata_problem_sets(report, &warning)) != NULL)
		rdoc_para(d, warning ? "warning" : "note", "%s: %s.",
		    warning ? "Warning" : "Note", s);
}

/* What budget 1 is, under the budget tables. */
static void
rsection_base_note(struct rdoc *d, const json_t *report,
    enum render_metric m)
{
	const json_t	*base = json_object_get(report, "base");
	double		 cost;

	cost = rdata_num(base, m == RENDER_FLOPS ? "tflops" : "seconds");
	if (!isfinite(cost))
		return;
	rdoc_para(d, NULL, "A budget of 1 is one sample of the base model, "
	    "%s (%.4g %s); a run gets as many samples as fit in the budget.",
	    rdata_str_or_dash(base, "model"), cost,
	    m == RENDER_FLOPS ? "TFLOPs" : "s");
}

/* The marks of a pass@k cell, as bits. */
#define RSECTION_BEYOND	1u	/* k past reliable_k_max: a dagger */
#define RSECTION_FEWER	2u	/* over fewer problems: a double dagger */
#define RSECTION_CI	4u	/* a standard error and its interval */

/*
 * A pass@k cell, of pass@k or of pass at a budget: "pct \xc2\xb1 stderr
 * (lo\xe2\x80\x93hi)" with the 95% interval (rdata_ci95()) when the standard error
 * is known, else "pct"; then " (k=K)" when "budget" (and K is known), a
 * dagger when k is past the run's reliable_k_max, and a double dagger
 * when pass@k is over fewer problems than the run has (those with
 * n >= k).  Returns the marks it has, RSECTION_* bits.
 */
static unsigned
rsection_cell_pass(struct rdoc_table *t, const struct rdata_point *p,
    double reliable, bool budget)
{
	const char	*dagger = p->k > reliable ? " \xe2\x80\xa0" : "";
	const char	*ddagger = isfinite(p->used) ? " \xe2\x80\xa1" : "";
	struct rtext	 c;
	double		 lo, hi;
	char		*s;
	bool		 ci = rdata_ci95(p, &lo, &hi);

	rtext_open(&c);
	fprintf(c.f, "%.2f", p->y);
	if (ci)
		fprintf(c.f, " \xc2\xb1 %.2f (%.2f\xe2\x80\x93%.2f)", p->err,
		    lo, hi);
	if (budget && isfinite(p->k))
		fprintf(c.f, " (k=%.0f)", p->k);
	s = rtext_close(&c);
	rdoc_cell(t, "%s%s%s", s, dagger, ddagger);
	free(s);
	return (*dagger != '\0' ? RSECTION_BEYOND : 0) |
	    (*ddagger != '\0' ? RSECTION_FEWER : 0) |
	    (ci ? RSECTION_CI : 0);
}

void
rsection_values(struct rdoc *d, const json_t *report,
    enum render_metric m)
{
	const struct rmetric_label *l = &rmetric_labels[m];
	const struct rdata_point *p;
	struct rdoc_table t = { .ncols = 0, .align = "lr" };
	struct rdata_series *s;
	const char	*note;
	size_t		 n, nx;
	double		*xs, reliable;
	unsigned	 marks = 0;

	s = rdata_series_all(report, m, &n);
	xs = rdata_rows(s, n, &nx);
	rdoc_heading(d, 2, "%s", l->table);
	/* The models without a cost and what to do (the daemon's note). */
	if ((m == RENDER_FLOPS || m == RENDER_TIME) && (note = rdata_str(
	    json_object_get(report, "missing_costs"), "note")) != NULL)
		rdoc_para(d, "note", "%s", note);
	if (nx == 0) {
		rdoc_para(d, "empty", "%s.", l->empty);
		goto out;
	}
	if (m == RENDER_FLOPS || m == RENDER_TIME)
		rsection_base_note(d, report, m);
	t.ncols = n + 1;
	rdoc_cell(&t, "%s", l->xname);
	for (size_t i = 0; i < n; i++)
		rdoc_cell(&t, "%s", s[i].name);
	for (size_t r = 0; r < nx; r++) {
		rdoc_cell(&t, "%.10g", xs[r]);
		for (size_t i = 0; i < n; i++) {
			reliable = rdata_num(s[i].run, "reliable_k_max");
			if ((p = rdata_point_at(&s[i], xs[r])) == NULL)
				rdoc_cell(&t, "-");
			else if (m == RENDER_RANK)
				rdoc_cell_pct(&t, p->y);
			else
				marks |= rsection_cell_pass(&t, p, reliable,
				    m != RENDER_PASS);
		}
	}
	rdoc_table_end(d, &t);
	if (marks & RSECTION_FEWER)
		rdoc_para(d, "note", "\xe2\x80\xa1 over fewer problems than "
		    "the run has: pass@k is the mean over the problems with at "
		    "least k samples alone, and its standard error over those, "
		    "none over one (problems_at_k in the JSON and "
		    "\"problems\" in the CSV give their number).");
	if (marks & RSECTION_BEYOND)
		rdoc_para(d, "note", "\xe2\x80\xa0 k above n_min / 2: fewer "
		    "distinct samples to draw from, less reliable (the paper "
		    "reports up to n / 2).");
	if (marks & RSECTION_CI)
		rdoc_para(d, "note", "\xc2\xb1 is the standard error over "
		    "problems; (lo\xe2\x80\x93hi) is the normal 95%% interval, "
		    "pass@k \xc2\xb1 1.96 standard errors, cut to 0..100.");
out:
	free(xs);
	rdata_series_free(s, n);
}

/*
 * A run's status cell: complete or partial, with its pending candidates,
 * its internal errors (candidates never judged, counted as neither pass
 * nor fail) and the candidates the oracle could not judge (counted as
 * "error") when there are any.
 */
static void
rsection_status(struct rdoc_table *t, const json_t *run)
{
	struct rtext	 st;
	char		*s;
	double		 pending = rdata_num(run, "pending");
	double		 internal = rdata_num(run, "internal");
	double		 oracle = rdata_num(run, "oracle_errors");

	rtext_open(&st);
	if (rdata_is_partial(run))
		fputs("partial: still being judged", st.f);
	else
		fputs("complete", st.f);
	if (pending > 0.0)
		fprintf(st.f, ", %.0f pending", pending);
	if (internal > 0.0)
		fprintf(st.f, ", internal errors: %.0f", internal);
	if (oracle > 0.0)
		fprintf(st.f, ", %.0f the oracle could not judge "
		    "(counted as error)", oracle);
	s = rtext_close(&st);
	rdoc_cell(t, "%s", s);
	free(s);
}

void
rsection_runs(struct rdoc *d, const json_t *report)
{
	const json_t	*runs = json_object_get(report, "runs"), *run, *cost;
	struct rdoc_table t = { .ncols = 9, .align = "l" };
	double		 lo, hi, greedy, tflops, seconds;
	size_t		 i;

	rdoc_heading(d, 2, "Runs");
	if (json_array_size(runs) == 0) {
		rdoc_para(d, "empty", "No runs in this report.");
		return;
	}
	rdoc_cell(&t, "run");
	rdoc_cell(&t, "model");
	rdoc_cell(&t, "ranker");
	rdoc_cell(&t, "problems");
	rdoc_cell(&t, "samples per problem");
	rdoc_cell(&t, "greedy pass@1 (%%)");
	rdoc_cell(&t, "cost per sample");
	rdoc_cell(&t, "cost source");
	rdoc_cell(&t, "status");
	json_array_foreach(runs, i, run) {
		rdoc_cell(&t, "%s", rdata_run_name(run));
		rdoc_cell(&t, "%s", rdata_str_or_dash(run, "model"));
		rdoc_cell(&t, "%s", rdata_str_or_dash(run, "ranker"));
		rdoc_cell_count(&t, rdata_num(run, "problems"));
		lo = rdata_num(run, "n_min");
		hi = rdata_num(run, "n_max");
		if (isfinite(lo) && isfinite(hi) && lo != hi)
			rdoc_cell(&t, "%.0f..%.0f", lo, hi);
		else
			rdoc_cell_count(&t, lo);
		greedy = rdata_num(run, "greedy_pass_at_1");
		if (isfinite(greedy) &&
		    isfinite(rdata_num(run, "greedy_problems")))
			rdoc_cell(&t, "%.2f (%.0f problems)", greedy,
			    rdata_num(run, "greedy_problems"));
		else
			rdoc_cell_pct(&t, greedy);
		cost = json_object_get(run, "cost");
		tflops = rdata_num(cost, "tflops");
		seconds = rdata_num(cost, "seconds");
		if (isfinite(tflops) && isfinite(seconds))
			rdoc_cell(&t, "%.4g TFLOPs, %.4g s", tflops,
			    seconds);
		else if (isfinite(tflops) || isfinite(seconds))
			rdoc_cell(&t, isfinite(tflops) ? "%.4g TFLOPs" :
			    "%.4g s", isfinite(tflops) ? tflops : seconds);
		else
			rdoc_cell(&t, "-");
		rdoc_cell(&t, "%s", rdata_str_or_dash(run, "cost_source"));
		rsection_status(&t, run);
	}
	rdoc_table_end(d, &t);
}

/* End i (0: low, 1: high) of a test's "ci95", or NAN. */
static double
rsection_ci_end(const json_t *test, size_t i)
{
	const json_t	*v = json_array_get(json_object_get(test, "ci95"), i);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/*
 * The test of a comparison point's runner-up (the run after the best
 * in "values") against the best, borrowed, or NULL.
 */
static const json_t *
rsection_runner_up(const json_t *pt)
{
	const json_t	*values = json_object_get(pt, "values"), *v;
	const char	*best = rdata_str(pt, "best"), *key, *up = NULL;
	double		 top = -INFINITY;

	json_object_foreach((json_t *)(uintptr_t)values, key, v) {
		if (best != NULL && strcmp(key, best) != 0 &&
		    json_is_number(v) && json_number_value(v) > top) {
			top = json_number_value(v);
			up = key;
		}
	}
	return up == NULL ? NULL : json_object_get(json_object_get(pt,
	    "tests"), up);
}

/*
 * New: the best of a comparison point, or "tie: " and the runs tied
 * with it ("tied"), when there are some.
 */
static char *
rsection_tied(const json_t *pt)
{
	const json_t	*tied = json_object_get(pt, "tied");
	struct rtext	 t;
	size_t		 i;

	if (json_array_size(tied) < 2)
		return xstrdup(rdata_str_or_dash(pt, "best"));
	rtext_open(&t);
	fputs("tie: ", t.f);
	for (i = 0; i < json_array_size(tied); i++)
		fprintf(t.f, "%s%s", i == 0 ? "" : ", ",
		    json_is_string(json_array_get(tied, i)) ?
		    json_string_value(json_array_get(tied, i)) : "-");
	return rtext_close(&t);
}

/*
 * A cell of the best's lead over the runner-up: its test's interval,
 * seen from the best (the test is of the runner-up minus the best).
 */
static void
rsection_ci(struct rdoc_table *t, const json_t *test)
{
	double	 lo = rsection_ci_end(test, 0), hi = rsection_ci_end(test, 1);

	if (isfinite(lo) && isfinite(hi))
		rdoc_cell(t, "%.2f to %.2f", -hi, -lo);
	else
		rdoc_cell(t, "-");
}

/* A test's p-value in buf, to two digits, or "-" when none. */
static const char *
rsection_p(const json_t *test, char *buf, size_t len)
{
	double	 p = rdata_num(test, "p");

	if (!isfinite(p))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2g", p);
	return buf;
}

/* What the comparison tables' ties, intervals and p-values are. */
static void
rsection_boot_note(struct rdoc *d, const json_t *report)
{
	const json_t	*b = json_object_get(report, "bootstrap");

	if (b == NULL)
		return;
	rdoc_para(d, "note", "A paired bootstrap over problems (%.0f "
	    "resamples, seed %.0f) tests each run against the best: \"tie\" "
	    "lists the runs whose difference from it is not significant at "
	    "95%%. The interval and p are of the best's lead over the "
	    "runner-up; a crossover is where the clear leader changes.",
	    rdata_num(b, "resamples"), rdata_num(b, "seed"));
}

void
rsection_compare(struct rdoc *d, const json_t *report,
    enum render_metric m)
{
	const struct rmetric_label *l = &rmetric_labels[m];
	const json_t	*cmps = json_object_get(report, "comparisons");
	const json_t	*c = NULL, *e, *pts, *xo, *test;
	const char	*name;
	struct rdoc_table t = { .ncols = 5, .align = "llrrr" };
	double		 x, xmax = -INFINITY;
	size_t		 i;
	char		*best, p[32];

	json_array_foreach(cmps, i, e) {
		name = rdata_str(e, "metric");
		if (name != NULL && strcmp(name, rmetric_names[m]) == 0)
			c = e;
	}
	if (c == NULL)
		return;
	pts = json_object_get(c, "points");
	xo = json_object_get(c, "crossovers");
	rdoc_heading(d, 2, "Comparisons: %s", l->value);
	json_array_foreach(pts, i, e) {
		if (rdata_num(e, "x") > xmax)
			xmax = rdata_num(e, "x");
	}
	rdoc_cell(&t, "%s", l->xname);
	rdoc_cell(&t, "best");
	rdoc_cell(&t, "margin (points)");
	rdoc_cell(&t, "95%% CI");
	rdoc_cell(&t, "p");
	json_array_foreach(pts, i, e) {
		x = rdata_num(e, "x");
		if (!(x > 0.0) || !rdata_keep_x(x, xmax))
			continue;
		test = rsection_runner_up(e);
		best = rsection_tied(e);
		rdoc_cell(&t, "%.10g", x);
		rdoc_cell(&t, "%s", best);
		rdoc_cell_pct(&t, rdata_num(e, "margin"));
		rsection_ci(&t, test);
		rdoc_cell(&t, "%s", rsection_p(test, p, sizeof(p)));
		free(best);
	}
	rdoc_table_end(d, &t);
	rsection_boot_note(d, report);
	json_array_foreach(xo, i, e) {
		test = json_object_get(e, "test");
		rdoc_para(d, NULL, "Crossover at %s = %.10g: %s overtakes "
		    "%s by %.2f points (95%% CI %.2f to %.2f, p %s).",
		    l->xname, rdata_num(e, "x"),
		    rdata_str_or_dash(e, "after"),
		    rdata_str_or_dash(e, "before"),
		    rdata_num(test, "difference"), rsection_ci_end(test, 0),
		    rsection_ci_end(test, 1), rsection_p(test, p, sizeof(p)));
	}
	if (json_array_size(xo) == 0)
		rdoc_para(d, NULL, "No significant crossovers.");
}

void
rsection_disagree(struct rdoc *d, const json_t *report)
{
	const json_t	*runs = json_object_get(report, "runs");
	const json_t	*list = json_object_get(report, "disagreements");
	const json_t	*e, *rates;
	struct rdoc_table t = { .ncols = 0, .align = "lr" };
	size_t		 i, nruns = json_array_size(runs);

	if (json_array_size(list) == 0)
		return;
	rdoc_heading(d, 2, "Disagreements");
	rdoc_para(d, NULL, "The problems whose pass rates (%%) differ most "
	    "between the runs.");
	t.ncols = nruns + 2;
	rdoc_cell(&t, "problem");
	rdoc_cell(&t, "spread (points)");
	for (size_t j = 0; j < nruns; j++)
		rdoc_cell(&t, "%s", rdata_run_name(json_array_get(runs, j)));
	json_array_foreach(list, i, e) {
		rates = json_object_get(e, "pass_rates");
		rdoc_cell(&t, "%s", rdata_str_or_dash(e, "task_id"));
		rdoc_cell_pct(&t, rdata_num(e, "spread"));
		for (size_t j = 0; j < nruns; j++)
			rdoc_cell_pct(&t, rdata_num(rates,
			    rdata_run_name(json_array_get(runs, j))));
	}
	rdoc_table_end(d, &t);
}

/* The members of a pair of "base_plus" (report.h), in table order. */
static const char *const rsection_pair_cols[4] = { "base", "plus", "drop",
    "drop_relative" };

/*
 * A row of the base and plus table: the run "name", what it compares,
 * then the base, plus, drop and relative drop, key[i] of o[i] each.
 */
static void
rsection_pair_row(struct rdoc_table *t, const char *name, const char *what,
    const json_t *const o[4], const char *const key[4])
{
	rdoc_cell(t, "%s", name);
	rdoc_cell(t, "%s", what);
	for (size_t i = 0; i < 4; i++)
		rdoc_cell_pct(t, rdata_num(o[i], key[i]));
}

/*
 * The rows of one pair e of "base_plus": pass@k at each k of the
 * run's series s (the pass@k of the runs, n of them) that the pair has,
 * then greedy pass@1 when the pair has it.
 */
static void
rsection_pair_rows(struct rdoc_table *t, const json_t *e,
    const struct rdata_series *s, size_t n)
{
	const char	*name = rdata_str_or_dash(e, "run");
	const json_t	*o[4], *g = json_object_get(e, "greedy");
	const json_t *const go[4] = { g, g, g, g };
	const char	*keys[4];
	char		 key[32], what[48];
	size_t		 j;

	for (size_t i = 0; i < 4; i++) {
		o[i] = json_object_get(e, rsection_pair_cols[i]);
		keys[i] = key;
	}
	for (j = 0; j < n && strcmp(s[j].name, name) != 0; j++)
		continue;
	for (size_t p = 0; j < n && p < s[j].n; p++) {
		snprintf(key, sizeof(key), "%.0f", s[j].pt[p].x);
		snprintf(what, sizeof(what), "pass@%s", key);
		if (json_object_get(o[0], key) != NULL)
			rsection_pair_row(t, name, what, o, keys);
	}
	if (isfinite(rdata_num(g, "base")) || isfinite(rdata_num(g, "plus")))
		rsection_pair_row(t, name, "greedy pass@1", go,
		    rsection_pair_cols);
}

void
rsection_base_plus(struct rdoc *d, const json_t *report)
{
	const json_t	*pairs = json_object_get(report, "base_plus"), *e;
	struct rdoc_table t = { .ncols = 6, .align = "llr" };
	struct rdata_series *s;
	size_t		 i, n;

	if (json_array_size(pairs) == 0)
		return;
	s = rdata_series_all(report, RENDER_PASS, &n);
	rdoc_heading(d, 2, "Base and plus tests");
	rdoc_para(d, NULL, "The same candidates judged twice: by the base "
	    "tests alone (the dataset's own, as in HumanEval) and by the plus "
	    "tests (EvalPlus's: the base tests and many more).  The drop is "
	    "base minus plus, in points and in percent of base: candidates "
	    "that pass the base tests but not the plus ones.");
	rdoc_cell(&t, "run");
	rdoc_cell(&t, "metric");
	rdoc_cell(&t, "base (%%)");
	rdoc_cell(&t, "plus (%%)");
	rdoc_cell(&t, "drop (points)");
	rdoc_cell(&t, "drop (%% of base)");
	json_array_foreach(pairs, i, e)
		rsection_pair_rows(&t, e, s, n);
	rdoc_table_end(d, &t);
	rdata_series_free(s, n);
}
