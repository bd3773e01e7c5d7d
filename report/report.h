/*
 * report.h - the reports of Hassid et al. (2024), "The Larger the
 * Better? Improved LLM Code-Generation via Budget Reallocation", over
 * the pass bits of stored candidates.  Pure computation: the caller
 * (the daemon) reads the store and hands the samples in; the result is
 * a jansson object that api/ serves and report/render.c turns into
 * CSV, Markdown, SVG and HTML.  No I/O, callable from any thread.
 *
 * What report/ owns and may include: the reports, that is
 * report_build() and the files behind it (report-int.h; problems.c,
 * rank.c, budget.c and compare.c, then rjson.c, the JSON helpers, at
 * the bottom), the pass@k estimator (passk.h) and the renderers (render.h;
 * render.c over rpage, rsection, rplot, rcsv, rdoc, rdata, rmetric and
 * rtext).  It is pure computation: no file, socket, clock or process,
 * only memory (the renderers write through open_memstream()).  It
 * includes common/ (log_errbuf() for messages, xmalloc, proto) and
 * jansson, and nothing else of ours: daemon/, api/ and the tests
 * include report/, never the reverse.  Inside it, the includes form a
 * DAG, with rjson.h and rtext.h, which include none of report/, at the
 * bottom.
 *
 * Metrics, each computed per problem and averaged over problems, in
 * percent:
 *   pass@k        for k = 1 .. n_max, each over the problems with at
 *                 least k samples (all of them up to n_min; RL and
 *                 streaming runs have uneven n), with the standard
 *                 error over those problems (report/passk.h); k <=
 *                 n_min / 2 are marked reliable, as the paper reports
 *                 up to n/2.
 *   budgets       pass@k at a FLOPs or wall-time budget: a model's cost
 *                 per sample (the cost table, or the measured mean of
 *                 its candidates' "cost") in units of the base model's
 *                 (default: the cheapest model of the report); at a
 *                 budget B = 1, 2, 4, ... (log2 axis) a run gets
 *                 k = max{k' : k' * cost <= B * base} samples; a budget
 *                 below one sample gives no point (never k = 0); budgets
 *                 stop where no run has k <= n_max left; pass@k there
 *                 is the run's pass_at_k, over the problems with
 *                 n >= k.  The measured cost of an axis needs every
 *                 sampled candidate of the run to carry it; else the
 *                 table gives that axis.
 *   rank-score@k  candidates ranked by "score" (lower is better unless
 *                 opts->higher_is_better): sum_{i=1}^{n-k+1}
 *                 C(n-i, k-1) * pass_i / C(n, k), the chance that the
 *                 best-ranked of k random samples passes, computed with
 *                 a running ratio, never with binomials.  Ties in score
 *                 are the expectation over their orders: each member of
 *                 a tie group counts as the group's pass rate at each of
 *                 its positions.  Truncated candidates are left out, as
 *                 in the paper; so are candidates without a score, or
 *                 with a NaN one (a problem with none is left out of
 *                 rank-score).  Reported for k = 1 .. the fewest ranked
 *                 candidates of a problem that has some, over every
 *                 such problem: not past it over fewer, as pass@k is,
 *                 because truncation makes ranked counts uneven in runs
 *                 of even n, whose reports stay as they were.
 *                 Under a budget, the ranker's cost per sample (the
 *                 run's "ranker" model in the cost table) is added to
 *                 the generator's; no ranker cost, no "rank" there.
 *   greedy        candidates with "greedy" set are their own point,
 *                 pass@1 greedy, and never enter the estimates above.
 *
 * The report object ("runs" in the order given):
 *   {"runs": [{
 *      "run": str, "model": str|null, "ranker": str|null,
 *      "problems": int,            problems with at least one sample
 *      "problems_dropped": int,    only when the runs' problems differ:
 *                                  its problems left out because not
 *                                  every run has them (0 with
 *                                  opts->own_problems)
 *      "n_min": int, "n_max": int, sampled (not greedy) per problem
 *      "samples": int,             judged candidates, greedy included
 *      "pending": int, "internal": int,
 *      "oracle_errors": int,       "error" because the oracle could
 *                                  not judge (counted in n, as fails)
 *      "partial": bool,            pending > 0: still being judged
 *      "reliable_k_max": int,      n_min / 2
 *      "pass_at_k": {"1": pct, ...}, "stderr_at_k": {"1": pct, ...},
 *      "ci95_at_k": {"1": [lo, hi], ...},  the normal 95% interval
 *                                  of pass@k, [max(0, p - 1.96 se),
 *                                  min(100, p + 1.96 se)] in percent
 *                                  (passk_ci95()); null where the
 *                                  standard error is
 *      "problems_at_k": {"1": int, ...},  only when n_min < n_max:
 *                                  the problems with n >= k, behind
 *                                  pass@k and its standard error (null
 *                                  where only one problem has n >= k)
 *      "greedy_pass_at_1": pct|null, "greedy_problems": int,
 *      "rank_score_at_k": {"1": pct, ...}|null,  null: no scores
 *      "cost": {"tflops": num|null, "seconds": num|null},
 *      "cost_source": "table"|"measured"|null,  measured: on one axis
 *                                  at least, the table on the other
 *      "budgets": {"flops": [{"budget": num, "k": int, "pass": pct,
 *                            "stderr": pct|null, "ci95": [lo, hi]|null,
 *                            "rank": pct|null}],   stderr and ci95 are
 *                                  the run's at that point's k
 *                  "time":  [...same...]},
 *      "per_problem": [{"task_id", "n", "c", "pass_rate", "greedy"
 *                       (pass rate of its greedy candidates or null),
 *                       "verdicts": {"passed": int, ...},
 *                       "oracle_errors": int}],
 *      "tests": "base"             only on a run with base_of set
 *    }],
 *    "problem_sets": {"mode": "common"|"all", "common": int,
 *                     "note"|"warning": str},   only when some run has
 *                     a task id that another lacks: by default every
 *                     run is cut to the "common" task ids that all
 *                     have, said in "note"; with opts->own_problems
 *                     ("all") each keeps its own, and "warning" says
 *                     the runs are not compared like for like
 *    "base": {"model": str|null, "tflops": num|null,
 *             "seconds": num|null},     the cheapest on each axis; a
 *                                       model when one is on both
 *    "bootstrap": {"method": str, "resamples": int, "seed": int,
 *                  "level": 0.95}      2+ runs: how the tests below
 *                                      were drawn (boot.h)
 *    "comparisons": [{"metric": "pass"|"flops"|"time"|"rank",
 *       "points": [{"x": num (k or budget), "best": run,
 *                   "margin": pct (best minus second), "values":
 *                   {run: pct},
 *                   "tests": {run: {"difference": pct (run minus
 *                             best), "ci95": [pct, pct], "p": num,
 *                             "verdict": "better"|"worse"|"tie",
 *                             "problems": int}},
 *                   "tied": [best, runs not "worse" or untested]}],
 *       "crossovers": [{"x": num, "before": run, "after": run,
 *                       "test": {... of after minus before}}]}],
 *                       points where 2+ runs have a value, at k = 1,
 *                       2, 4, ... and the least n_min (or rank_k_max)
 *                       for "pass" and "rank", at every budget for
 *                       "flops" and "time"; a metric without any is
 *                       left out; a value tie keeps the previous
 *                       point's best.  Every other run is tested
 *                       against the best with the paired bootstrap
 *                       over the problems both have a value on (pass@k
 *                       at each run's own k; rank-score per problem);
 *                       a crossover is where the clear leader (tied
 *                       with no one) changes, from the last clear one
 * *    "disagreements": [{"task_id", "spread": pct, "pass_rates":
 *                       {run: pct}}]      the 10 problems whose pass
 *                                         rates differ most (2+ runs;
 *                                         spread 0 is no disagreement;
 *                                         equal spreads by task_id)
 *    "base_plus": [{"run": str, "base_run": str,
 *       "base": {"1": pct, ...}, "plus": {...},
 *       "drop": {...},          base minus plus, in points
 *       "drop_relative": {...}, the drop in percent of base (null
 *                               where base is 0)
 *       "greedy": {"base", "plus", "drop", "drop_relative"}}]
 *                               greedy pass@1 the same way, each
 *                               pct|null (null: no greedy samples)
 *                       only when some run has base_of: one entry per
 *                       such run, in report order, with the run it
 *                       names, as EvalPlus's leaderboard shows them;
 *                       at k = 1, 2, 4, ... and the pair's least n_min
 *                       (opts->k alone with opts->k), each from the
 *                       runs' pass_at_k, so over the problems they are
 *                       reported over (problem_sets)
 *   }
 * The daemon adds "missing_costs" and "meta" (the benchmarks, problem
 * count, date and version that a title shows: daemon/reports.h), which
 * need the cost table, the problem set and a clock that report/ keeps
 * out of.  Percentages are numbers (31.25 means 31.25%); k are string
 * keys.
 * With opts->k, the k-keyed objects and the "pass" and "rank"
 * comparisons hold that k alone (rank_score_at_k is {} when some
 * problem has fewer ranked candidates); budgets keep their own k.
 */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/proto.h"

/* One judged candidate (not internal, not pending). */
struct report_sample {
	bool		 passed;
	bool		 greedy;
	bool		 truncated;
	bool		 has_score;
	double		 score;
	double		 seconds;	/* measured cost; < 0: not given */
	double		 tflops;	/* measured cost; < 0: not given */
};

/* One problem of a run: its judged candidates and its counts. */
struct report_problem {
	const char	*task_id;
	const struct report_sample *s;	/* ns samples, greedy included */
	size_t		 ns;
	unsigned	 pending;	/* not judged yet */
	unsigned	 verdicts[PROTO_VERDICT_COUNT]; /* internal included */
	unsigned	 oracle_errors;	/* of verdicts[error]: the oracle
					   failed on every attempt */
};

/* One run: a model's candidates over some problems. */
struct report_run {
	const char	*run;
	const char	*model;		/* or NULL */
	const char	*ranker;	/* ranker model, or NULL */
	const struct report_problem *p;	/* np problems */
	size_t		 np;
	const char	*base_of;	/* or NULL: the run whose candidates
					   these are, judged by the base
					   tests alone (EvalPlus) */
};

/* One row of the model cost table (conf/models.conf). */
struct report_cost {
	const char	*model;
	double		 tflops;	/* per sample */
	double		 seconds;	/* per sample */
};

struct report_opts {
	const struct report_cost *costs; /* the table, ncosts rows */
	size_t		 ncosts;
	const char	*base_model;	/* NULL: the cheapest run's model */
	bool		 measured;	/* prefer candidates' measured costs */
	bool		 higher_is_better; /* scores: higher ranks first */
	unsigned	 k;		/* 0: every k; else only this k */
	bool		 own_problems;	/* runs over different problems:
					   each over its own, not over
					   those every run has */
	unsigned	 resamples;	/* of the comparisons' bootstrap;
					   0: REPORT_BOOT_RESAMPLES */
	uint64_t	 seed;		/* of its draws; below 2^63 */
};

/*
 * Build the report of runs[0..nruns-1] (all borrowed).  Returns 0 and a
 * new object in *out, or -EINVAL with the reason in errbuf (which may be
 * NULL) and *out untouched: no runs, a run without judged samples
 * (after the cut to the common problems), a run with a task id given
 * twice, runs with no problem in common (unless opts->own_problems),
 * opts->k larger than a run's n_max, an unknown base model, a name or
 * task id that is not UTF-8, a base_of that names no other run of the
 * report, or comparisons
 * whose tests would take more than REPORT_BOOT_WORK.  O(n log n) per
 * problem of n samples, and the tests.
 */
int	 report_build(const struct report_run *runs, size_t nruns,
	    const struct report_opts *opts, json_t **out, char *errbuf,
	    size_t errlen);

/*
 * rank-score@k of one problem: pass[i] and score[i] of its n candidates
 * (borrowed; truncated ones already left out), ranked by score (lower
 * first unless higher_is_better; NaN last), ties as the expectation over
 * their orders.  Returns a value in [0, 1], or NAN when k == 0 or k > n.
 */
double	 report_rank_score(const bool *pass, const double *score, size_t n,
	    unsigned k, bool higher_is_better);

/*
 * The budget mapping: the number of samples a model of "cost" per
 * sample gets at "budget" units of "base" each, max{k : k * cost <=
 * budget * base}, computed so that exact multiples are not lost to
 * rounding (a quotient budget * base / cost within 1e-9 of an integer
 * counts as that integer).  Returns 0 when not even one sample fits or
 * an argument is NaN, UINT_MAX when that many or more fit.
 */
unsigned report_budget_k(double budget, double base, double cost);

#endif /* REPORT_REPORT_H */
