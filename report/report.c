/*
 * report.c - report_build(): the report of Hassid et al. (2024) over
 * the pass bits of some runs.  See report.h for what it holds, and
 * report-int.h for how the work is split over the files of report/.
 *
 * Sections: counting a run, the run object, base and plus,
 * report_build().
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "report/boot.h"
#include "report/budget.h"
#include "report/compare.h"
#include "report/passk.h"
#include "report/rank.h"
#include "report/report-int.h"
#include "report/rjson.h"

/* Release what report_build() worked out. */
static void
report_work_free(struct report_work *w)
{
	for (size_t i = 0; i < w->nruns; i++) {
		struct report_stat	*st = &w->st[i];

		free(st->count);
		free(st->pass);
		free(st->se);
		free(st->used);
		free(st->rank_want);
		free(st->rank);
		free(st->rank_pp);
		for (int a = 0; a < REPORT_NAXES; a++) {
			free(st->k[a]);
			free(st->rank_k[a]);
		}
	}
	free(w->st);
	free(w->rank_ks);
	report_problems_free(&w->ps, w->nruns);
}

/* --- Counting a run --- */

/*
 * Whether run number idx's names and task ids are UTF-8 (and not NULL,
 * but for the model and the ranker), whether no task id is there twice
 * (report/problems.c counts a run's problems by their ids), and whether
 * it has a judged sample (before any cut to the problems the runs
 * share).  Returns 0, or -EINVAL with a message.
 */
static int
report_check_run(const struct report_run *run, size_t idx, char *errbuf,
    size_t errlen)
{
	const char	**ids;
	bool		 sampled = false;
	int		 r = -EINVAL;

	if (run->run == NULL || !rjson_is_utf8(run->run) ||
	    !rjson_is_utf8(run->model) || !rjson_is_utf8(run->ranker)) {
		log_errbuf(errbuf, errlen, "run #%zu: names must be UTF-8",
		    idx + 1);
		return -EINVAL;
	}
	ids = xcalloc(run->np + 1, sizeof(*ids));
	for (size_t p = 0; p < run->np; p++) {
		if (run->p[p].task_id == NULL ||
		    !rjson_is_utf8(run->p[p].task_id)) {
			log_errbuf(errbuf, errlen, "run %s: task ids must be "
			    "UTF-8", run->run);
			goto out;
		}
		ids[p] = run->p[p].task_id;
		for (size_t i = 0; i < run->p[p].ns && !sampled; i++)
			sampled = !run->p[p].s[i].greedy;
	}
	qsort(ids, run->np, sizeof(*ids), report_problems_cmp);
	for (size_t p = 1; p < run->np; p++) {
		if (strcmp(ids[p - 1], ids[p]) == 0) {
			log_errbuf(errbuf, errlen, "run %s: problem %s is "
			    "there twice", run->run, ids[p]);
			goto out;
		}
	}
	if (!sampled) {
		log_errbuf(errbuf, errlen, "run %s has no judged samples",
		    run->run);
		goto out;
	}
	r = 0;
 out:
	free(ids);
	return r;
}

/*
 * Count the candidates of st->run, problem by problem, and work out its
 * pass@k curve, k = 1 .. n_max (at each k over the problems with
 * n >= k), and which rank-scores it needs.  Returns 0, or -EINVAL with
 * a message: no judged sample, opts->k above n_max.
 */
static int
report_count_run(struct report_stat *st, const struct report_opts *opts,
    char *errbuf, size_t errlen)
{
	const struct report_run	*run = st->run;
	struct report_count	*cnt;
	unsigned		*n = NULL, *c = NULL;
	int			 r = -EINVAL;

	st->count = xcalloc(run->np, sizeof(*st->count));
	n = xreallocarray(NULL, run->np, sizeof(*n));
	c = xreallocarray(NULL, run->np, sizeof(*c));
	for (size_t p = 0; p < run->np; p++) {
		cnt = &st->count[p];
		for (size_t i = 0; i < run->p[p].ns; i++) {
			const struct report_sample *s = &run->p[p].s[i];

			if (s->greedy) {
				cnt->greedy++;
				cnt->greedy_c += s->passed;
			} else {
				cnt->n++;
				cnt->c += s->passed;
			}
			cnt->ranked += report_rank_counts(s);
		}
		if (cnt->n > 0) {
			if (st->problems == 0 || cnt->n < st->n_min)
				st->n_min = cnt->n;
			if (cnt->n > st->n_max)
				st->n_max = cnt->n;
			n[st->problems] = cnt->n;
			c[st->problems++] = cnt->c;
		}
		if (cnt->greedy > 0)
			st->greedy_problems++;
		if (cnt->ranked > 0) {
			if (st->ranked == 0 || cnt->ranked < st->rank_k_max)
				st->rank_k_max = cnt->ranked;
			st->ranked++;
		}
	}
	if (st->problems == 0) {
		log_errbuf(errbuf, errlen, "run %s has no judged samples",
		    run->run);
		goto out;
	}
	if (opts->k > st->n_max) {
		log_errbuf(errbuf, errlen, "k=%u is more than run %s's n_max "
		    "%u", opts->k, run->run, st->n_max);
		goto out;
	}

	st->pass = xreallocarray(NULL, st->n_max, sizeof(*st->pass));
	st->se = xreallocarray(NULL, st->n_max, sizeof(*st->se));
	st->used = xreallocarray(NULL, st->n_max, sizeof(*st->used));
	r = passk_curve_uneven(n, c, st->problems, st->n_max, st->pass,
	    st->se, st->used);
	assert(r == 0);			/* 1 <= n_max, c <= n: counted so */
	/*
	 * Over one problem there is no spread to measure: an uneven run's
	 * standard error is null there, not 0 (an even run's stays as it
	 * was, 0 for a run of one problem).
	 */
	for (unsigned k = st->n_min + 1; k <= st->n_max; k++) {
		if (st->used[k - 1] < 2)
			st->se[k - 1] = NAN;
	}

	/* Every k, or opts->k; report_budget_grid() may add more. */
	st->rank_want = xcalloc(st->rank_k_max, sizeof(*st->rank_want));
	st->rank = xreallocarray(NULL, st->rank_k_max, sizeof(*st->rank));
	for (unsigned k = 1; k <= st->rank_k_max; k++)
		st->rank_want[k - 1] = opts->k == 0 || opts->k == k;
	r = 0;
 out:
	free(n);
	free(c);
	return r;
}

/* --- The run object --- */

/* greedy pass@1 of a run: the mean over its problems with greedy > 0. */
static double
report_greedy(const struct report_stat *st)
{
	double	 sum = 0.0;

	if (st->greedy_problems == 0)
		return NAN;
	for (size_t p = 0; p < st->run->np; p++) {
		if (st->count[p].greedy > 0)
			sum += (double)st->count[p].greedy_c /
			    (double)st->count[p].greedy;
	}
	return sum / (double)st->greedy_problems;
}

/*
 * New: the normal 95% interval of pass@k "p" of standard error "se"
 * (passk_ci95()), as [lo, hi] in percent, or null without a standard
 * error.
 */
static json_t *
report_ci95_json(double p, double se)
{
	json_t	*a;
	double	 lo, hi;

	if (!passk_ci95(p, se, 1.0, &lo, &hi))
		return json_null();
	a = json_array();
	json_array_append_new(a, rjson_pct(lo));
	json_array_append_new(a, rjson_pct(hi));
	return a;
}

/*
 * A k-keyed object, k = 1 .. kmax, or k = only alone (when only != 0;
 * empty when only > kmax), of: the intervals of the percentages v[k - 1]
 * of standard errors se[k - 1] when se is not NULL, else the percentages
 * v[k - 1], or, when v is NULL, the counts u[k - 1].
 */
static json_t *
report_curve_json(const double *v, const double *se, const size_t *u,
    unsigned kmax, unsigned only)
{
	json_t		*o = json_object(), *e;
	char		 key[16];
	unsigned	 lo = only != 0 ? only : 1;
	unsigned	 hi = only != 0 && only < kmax ? only : kmax;

	for (unsigned k = lo; k <= hi; k++) {
		snprintf(key, sizeof(key), "%u", k);
		if (v == NULL)
			e = json_integer((json_int_t)u[k - 1]);
		else if (se != NULL)
			e = report_ci95_json(v[k - 1], se[k - 1]);
		else
			e = rjson_pct(v[k - 1]);
		json_object_set_new(o, key, e);
	}
	return o;
}

/* The "budgets" object of one run. */
static json_t *
report_budgets_json(const struct report_work *w,
    const struct report_stat *st)
{
	json_t		*o = json_object(), *list, *pt;
	unsigned	 k, rk;

	for (int a = 0; a < REPORT_NAXES; a++) {
		list = json_array();
		for (size_t e = 0; e < w->nbudgets[a]; e++) {
			if ((k = st->k[a][e]) == 0)
				continue;
			rk = st->rank_k[a][e];
			pt = json_object();
			json_object_set_new(pt, "budget",
			    rjson_num(report_budget_at(e)));
			json_object_set_new(pt, "k", json_integer(k));
			json_object_set_new(pt, "pass",
			    rjson_pct(st->pass[k - 1]));
			json_object_set_new(pt, "stderr",
			    rjson_pct(st->se[k - 1]));
			json_object_set_new(pt, "ci95", report_ci95_json(
			    st->pass[k - 1], st->se[k - 1]));
			json_object_set_new(pt, "rank", rk == 0 ? json_null() :
			    rjson_pct(st->rank[rk - 1]));
			json_array_append_new(list, pt);
		}
		json_object_set_new(o, report_axis_name(a), list);
	}
	return o;
}

/* One entry of "per_problem". */
static json_t *
report_problem_json(const struct report_problem *p,
    const struct report_count *cnt)
{
	json_t	*o = json_object(), *v = json_object();

	json_object_set_new(o, "task_id", rjson_str(p->task_id));
	json_object_set_new(o, "n", json_integer(cnt->n));
	json_object_set_new(o, "c", json_integer(cnt->c));
	json_object_set_new(o, "pass_rate", rjson_pct(cnt->n == 0 ? NAN :
	    (double)cnt->c / (double)cnt->n));
	json_object_set_new(o, "greedy", rjson_pct(cnt->greedy == 0 ? NAN :
	    (double)cnt->greedy_c / (double)cnt->greedy));
	for (int i = 0; i < PROTO_VERDICT_COUNT; i++)
		json_object_set_new(v, proto_verdict_name(i),
		    json_integer(p->verdicts[i]));
	json_object_set_new(o, "verdicts", v);
	json_object_set_new(o, "oracle_errors", json_integer(p->oracle_errors));
	return o;
}

static json_t *
report_run_json(const struct report_work *w, const struct report_stat *st)
{
	const struct report_run	*run = st->run;
	json_t			*o = json_object(), *cost, *pp;
	json_int_t		 samples = 0, pending = 0, internal = 0;
	json_int_t		 oracle = 0;
	const char		*source = NULL;
	unsigned		 only = w->opts->k;

	pp = json_array();
	for (size_t p = 0; p < run->np; p++) {
		const struct report_count *cnt = &st->count[p];

		samples += (json_int_t)run->p[p].ns;
		pending += run->p[p].pending;
		internal += run->p[p].verdicts[PROTO_VERDICT_INTERNAL];
		oracle += run->p[p].oracle_errors;
		json_array_append_new(pp, report_problem_json(&run->p[p], cnt));
	}
	if (st->measured)
		source = "measured";
	else if (!isnan(st->cost[REPORT_FLOPS]) ||
	    !isnan(st->cost[REPORT_TIME]))
		source = "table";

	json_object_set_new(o, "run", rjson_str(run->run));
	json_object_set_new(o, "model", rjson_str(run->model));
	json_object_set_new(o, "ranker", rjson_str(run->ranker));
	json_object_set_new(o, "problems",
	    json_integer((json_int_t)st->problems));
	if (w->ps.differ)
		json_object_set_new(o, "problems_dropped",
		    json_integer(w->ps.runs == NULL ? 0 :
		    (json_int_t)w->ps.outside[st - w->st]));
	json_object_set_new(o, "n_min", json_integer(st->n_min));
	json_object_set_new(o, "n_max", json_integer(st->n_max));
	json_object_set_new(o, "samples", json_integer(samples));
	json_object_set_new(o, "pending", json_integer(pending));
	json_object_set_new(o, "internal", json_integer(internal));
	json_object_set_new(o, "oracle_errors", json_integer(oracle));
	json_object_set_new(o, "partial", json_boolean(pending > 0));
	json_object_set_new(o, "reliable_k_max", json_integer(st->n_min / 2));
	json_object_set_new(o, "pass_at_k", report_curve_json(st->pass,
	    NULL, NULL, st->n_max, only));
	json_object_set_new(o, "stderr_at_k", report_curve_json(st->se,
	    NULL, NULL, st->n_max, only));
	json_object_set_new(o, "ci95_at_k", report_curve_json(st->pass,
	    st->se, NULL, st->n_max, only));
	/* Only uneven runs have it: an even run's report is unchanged. */
	if (st->n_min < st->n_max)
		json_object_set_new(o, "problems_at_k",
		    report_curve_json(NULL, NULL, st->used, st->n_max,
		    only));
	json_object_set_new(o, "greedy_pass_at_1",
	    rjson_pct(report_greedy(st)));
	json_object_set_new(o, "greedy_problems",
	    json_integer((json_int_t)st->greedy_problems));
	json_object_set_new(o, "rank_score_at_k", st->rank_k_max == 0 ?
	    json_null() : report_curve_json(st->rank, NULL, NULL,
	    st->rank_k_max, only));
	cost = json_object();
	for (int a = 0; a < REPORT_NAXES; a++)
		json_object_set_new(cost, report_axis_cost_name(a),
		    rjson_num(st->cost[a]));
	json_object_set_new(o, "cost", cost);
	json_object_set_new(o, "cost_source", rjson_str(source));
	json_object_set_new(o, "budgets", report_budgets_json(w, st));
	json_object_set_new(o, "per_problem", pp);
	if (run->base_of != NULL)
		json_object_set_new(o, "tests", json_string("base"));
	return o;
}

/* --- Base and plus --- */

/*
 * The index in w->st of the run whose base results st's run holds (the
 * other run its base_of names), or w->nruns when there is none.
 */
static size_t
report_plus_index(const struct report_work *w, const struct report_stat *st)
{
	const char	*name = st->run->base_of;

	if (name == NULL)
		return w->nruns;
	for (size_t j = 0; j < w->nruns; j++) {
		if (&w->st[j] != st && strcmp(w->st[j].run->run, name) == 0)
			return j;
	}
	return w->nruns;
}

/*
 * Whether every base_of names another run of the report.  Returns 0, or
 * -EINVAL with a message.
 */
static int
report_check_pairs(const struct report_work *w, char *errbuf, size_t errlen)
{
	for (size_t i = 0; i < w->nruns; i++) {
		if (w->st[i].run->base_of != NULL &&
		    report_plus_index(w, &w->st[i]) == w->nruns) {
			log_errbuf(errbuf, errlen, "run %s: base_of names no "
			    "other run of the report", w->st[i].run->run);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Set the base value b, the plus value p, their drop and the drop in
 * percent of the base as o[0..3][key[0..3]]; the drop is the difference
 * of the two percentages, so exactly base minus plus as written.
 */
static void
report_pair_set(json_t *const o[4], const char *const key[4], double b,
    double p)
{
	json_object_set_new(o[0], key[0], rjson_pct(b));
	json_object_set_new(o[1], key[1], rjson_pct(p));
	json_object_set_new(o[2], key[2], rjson_num(100.0 * b - 100.0 * p));
	json_object_set_new(o[3], key[3], rjson_pct(b > 0.0 ? (b - p) / b :
	    NAN));
}

/* One entry of "base_plus": the run "plus" and its base results. */
static json_t *
report_pair_json(const struct report_work *w, const struct report_stat *base,
    const struct report_stat *plus)
{
	static const char *const names[4] = { "base", "plus", "drop",
	    "drop_relative" };
	json_t		*o = json_object(), *g = json_object(), *v[4];
	json_t *const	 gs[4] = { g, g, g, g };
	const char	*keys[4];
	unsigned	 n = base->n_min < plus->n_min ? base->n_min :
			    plus->n_min;
	unsigned	*ks;
	size_t		 nk;
	char		 key[16];

	json_object_set_new(o, "run", rjson_str(plus->run->run));
	json_object_set_new(o, "base_run", rjson_str(base->run->run));
	for (int i = 0; i < 4; i++) {
		v[i] = json_object();
		keys[i] = key;
		json_object_set_new(o, names[i], v[i]);
	}
	ks = report_compare_grid(n, w->opts->k, &nk);
	for (size_t j = 0; j < nk; j++) {
		snprintf(key, sizeof(key), "%u", ks[j]);
		report_pair_set(v, keys, base->pass[ks[j] - 1],
		    plus->pass[ks[j] - 1]);
	}
	free(ks);
	report_pair_set(gs, names, report_greedy(base), report_greedy(plus));
	json_object_set_new(o, "greedy", g);
	return o;
}

/*
 * The "base_plus" array (new), one entry per run that holds another's
 * base results, or NULL when no run does.
 */
static json_t *
report_base_plus_json(const struct report_work *w)
{
	json_t		*a = NULL;
	size_t		 j;

	for (size_t i = 0; i < w->nruns; i++) {
		if ((j = report_plus_index(w, &w->st[i])) == w->nruns)
			continue;
		if (a == NULL)
			a = json_array();
		json_array_append_new(a, report_pair_json(w, &w->st[i],
		    &w->st[j]));
	}
	return a;
}

/* --- report_build() --- */

/* What the comparisons' tests were drawn with, for a paper to cite. */
static json_t *
report_boot_json(const struct report_opts *opts)
{
	json_t	*o = json_object();

	json_object_set_new(o, "method", json_string("paired percentile "
	    "bootstrap over the problems both runs have"));
	json_object_set_new(o, "resamples", json_integer(opts->resamples ?
	    opts->resamples : REPORT_BOOT_RESAMPLES));
	json_object_set_new(o, "seed", json_integer((json_int_t)opts->seed));
	json_object_set_new(o, "level", json_real(REPORT_BOOT_LEVEL));
	return o;
}

/*
 * The "problem_sets" of a report whose runs have different problems:
 * the mode, the problems every run has, and what people read about it,
 * a "note" when the runs were cut to those, else a "warning".
 */
static json_t *
report_sets_json(const struct report_work *w)
{
	json_t		*o = json_object();
	char		*list = xstrdup(""), *s;
	bool		 own = w->ps.runs == NULL;

	for (size_t i = 0; i < w->nruns; i++) {
		s = xasprintf("%s%s%s %zu", list, i == 0 ? "" : ", ",
		    w->st[i].run->run, w->ps.outside[i]);
		free(list);
		list = s;
	}
	json_object_set_new(o, "mode", json_string(own ? "all" : "common"));
	json_object_set_new(o, "common",
	    json_integer((json_int_t)w->ps.common));
	if (own)
		s = xasprintf("the runs are over different problems and each "
		    "is reported over its own (problems=all), so they are not "
		    "compared like for like; problems not in every run: %s",
		    list);
	else
		s = xasprintf("the runs are over different problems: each is "
		    "reported over the %zu that every run has; dropped: %s "
		    "(problems=all keeps each run's own)", w->ps.common, list);
	json_object_set_new(o, own ? "warning" : "note", rjson_str(s));
	free(s);
	free(list);
	return o;
}

int
report_build(const struct report_run *runs, size_t nruns,
    const struct report_opts *opts, json_t **out, char *errbuf,
    size_t errlen)
{
	struct report_work	 w = { .opts = opts };
	json_t			*doc, *arr, *base, *pairs;
	int			 r;

	if (nruns == 0) {
		log_errbuf(errbuf, errlen, "no runs");
		return -EINVAL;
	}
	for (size_t i = 0; i < nruns; i++) {
		if ((r = report_check_run(&runs[i], i, errbuf, errlen)) != 0)
			return r;
	}
	w.st = xcalloc(nruns, sizeof(*w.st));
	w.nruns = nruns;
	report_problems_find(&w.ps, runs, nruns, opts->own_problems);
	if (w.ps.runs != NULL && w.ps.common == 0) {
		log_errbuf(errbuf, errlen, "the runs have no problem in "
		    "common (problems=all reports each over its own)");
		r = -EINVAL;
		goto out;
	}
	for (size_t i = 0; i < nruns; i++) {
		w.st[i].run = w.ps.runs != NULL ? &w.ps.runs[i] : &runs[i];
		if ((r = report_count_run(&w.st[i], opts, errbuf,
		    errlen)) != 0)
			goto out;
	}
	if ((r = report_check_pairs(&w, errbuf, errlen)) != 0 ||
	    (r = report_budget_costs(&w, errbuf, errlen)) != 0)
		goto out;
	report_budget_grid(&w);
	if ((r = report_compare_check(&w, errbuf, errlen)) != 0)
		goto out;
	w.rank_ks = report_compare_ks(&w, true, &w.nrank_ks);
	for (size_t i = 0; i < nruns; i++)
		report_rank_run(&w.st[i], opts->higher_is_better, w.rank_ks,
		    w.nrank_ks);

	doc = json_object();
	arr = json_array();
	for (size_t i = 0; i < nruns; i++)
		json_array_append_new(arr, report_run_json(&w, &w.st[i]));
	json_object_set_new(doc, "runs", arr);
	if (w.ps.differ)
		json_object_set_new(doc, "problem_sets",
		    report_sets_json(&w));
	base = json_object();
	json_object_set_new(base, "model", rjson_str(w.base_model));
	for (int a = 0; a < REPORT_NAXES; a++)
		json_object_set_new(base, report_axis_cost_name(a),
		    rjson_num(w.base[a]));
	json_object_set_new(doc, "base", base);
	if (nruns > 1)
		json_object_set_new(doc, "bootstrap", report_boot_json(opts));
	json_object_set_new(doc, "comparisons", report_compare_json(&w));
	json_object_set_new(doc, "disagreements", report_disagree_json(&w));
	if ((pairs = report_base_plus_json(&w)) != NULL)
		json_object_set_new(doc, "base_plus", pairs);
	*out = doc;
 out:
	report_work_free(&w);
	return r;
}
