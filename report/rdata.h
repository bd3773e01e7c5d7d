/*
 * rdata.h - the report object (report.h) as the renderers read it: its
 * members, read leniently (a part that is missing, null or of the wrong
 * type reads as absent), and, for each metric, a series of points per
 * run, from which the CSV, the tables and the plots all draw.  Pure
 * functions, callable from any thread.
 */
#ifndef REPORT_RDATA_H
#define REPORT_RDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "report/render.h"

/* --- Members --- */

/*
 * A number member of obj (obj may be anything, NULL included); NAN when
 * missing, null or not a number.
 */
double	 rdata_num(const json_t *obj, const char *key);

/* A string member of obj, borrowed from it, or NULL. */
const char *rdata_str(const json_t *obj, const char *key);

/* A string member of obj, borrowed, or "-" (the tables' "nothing"). */
const char *rdata_str_or_dash(const json_t *obj, const char *key);

/* The "run" of a run, borrowed, or "(unnamed)". */
const char *rdata_run_name(const json_t *run);

/*
 * What a report of runs over different problems says about it
 * ("problem_sets"), borrowed from the report, or NULL when the runs
 * share their problems; *warning tells a warning (each run over its own
 * problems) from a note (the runs cut to the common ones).
 */
const char *rdata_problem_sets(const json_t *report, bool *warning);

/* Whether a run is still being judged ("partial": true). */
bool	 rdata_is_partial(const json_t *run);

/*
 * The line under a report's title, from the "meta" the daemon adds
 * (daemon/reports.h): its benchmarks, its problem count, the date and
 * verdict's version, "humaneval, mbpp \xc2\xb7 664 problems \xc2\xb7
 * 2026-12-05 \xc2\xb7 verdict 0.2.0", each part only when meta has
 * it.  Returns a new string that the caller frees, or NULL when the
 * report has no meta, or a meta with none of them.
 */
char	*rdata_subtitle(const json_t *report);

/* --- Series --- */

/* One point of a run's series. */
struct rdata_point {
	double		 x;		/* k, or the budget in base samples */
	double		 y;		/* the metric at x, percent */
	double		 k;		/* samples at x (x itself for k) */
	double		 err;		/* standard error of pass@k at k, or
					   NAN */
	double		 rank;		/* rank-score at the budget, or NAN */
	double		 used;		/* problems behind pass@k at x, when
					   fewer than the run's; else NAN */
};

/* One run's points for one metric. */
struct rdata_series {
	const json_t	*run;		/* borrowed from the report */
	const char	*name;		/* its "run", borrowed */
	struct rdata_point *pt;		/* n points, x ascending; new */
	size_t		 n;
	double		 star_x;	/* greedy pass@1 is drawn here; NAN */
	double		 star_y;	/* greedy pass@1, percent */
};

/*
 * The series of metric m of every run of "report" (borrowed; the series
 * borrow from it), in report order: a new array of *np series that the
 * caller releases with rdata_series_free().  The points are those of
 * pass_at_k (with stderr_at_k and problems_at_k), rank_score_at_k or
 * the budget list of the metric whose x and value are finite numbers
 * (and x a positive integer key for k).  Greedy pass@1 is placed at
 * k = 1 for the k metrics, and at the budget of one sample of the run's
 * model (its cost over the base model's) for the budgets; only a run
 * with points gets it.  Allocation failures abort, as xmalloc does.
 */
struct rdata_series *rdata_series_all(const json_t *report,
	    enum render_metric m, size_t *np);

/*
 * The normal 95% interval of the point's pass@k, in percent
 * (passk_ci95()): stores it in *lo and *hi and returns true, or returns
 * false without a standard error.
 */
bool	 rdata_ci95(const struct rdata_point *p, double *lo, double *hi);

/* Release n series of rdata_series_all(); (NULL, 0) is a no-op. */
void	 rdata_series_free(struct rdata_series *s, size_t n);

/* The point of s at x, borrowed from s, or NULL. */
const struct rdata_point *rdata_point_at(const struct rdata_series *s,
	    double x);

/*
 * Whether a row for x belongs in a table for people: x is a power of
 * two (the grid of the paper's log2 axes) or the last x, xmax.
 */
bool	 rdata_keep_x(double x, double xmax);

/*
 * The rows of a table of the series s[0..n-1] (borrowed): every x of
 * any run, ascending, once, kept by rdata_keep_x().  Returns a new
 * array of *nxp values that the caller frees.
 */
double	*rdata_rows(const struct rdata_series *s, size_t n, size_t *nxp);

#endif /* REPORT_RDATA_H */
