/*
 * reports.c - runs to reports.  See reports.h.
 *
 * store_run_samples() gives a run's candidates in task order, and
 * reports_run_add_counts() is given a problem's counts at once, so a
 * problem's samples arrive together: one growing array of samples per
 * run, and a problem is a slice of it.  reports_problem() starts a new
 * problem when the task changes; reports_judged() counts a candidate,
 * for both.  The cost table handed to report_build() has one row per
 * name a run uses (its model, its ranker, the base), looked up with
 * models_find()'s lenient matching, so the report shows the runs' own
 * model names.  reports_missing_costs() then reads the built report for
 * the runs left without a cost, to say which rows to add and where, and
 * reports_meta() reads it for the title's benchmarks and problems.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/reports.h"
#include "report/report.h"

/* One run being gathered. */
struct reports_run {
	struct report_sample *s;	/* every judged sample */
	size_t		 ns, caps;
	struct report_problem *p;	/* p[i].s set once s stops moving */
	size_t		*first;		/* index in s of p[i]'s first */
	char		**names;	/* p[i].task_id, owned */
	size_t		 np, capp;
	char		*model, *ranker;
	bool		 has_base;	/* some sample had EvalPlus base
					   results */
	const char	*base_of;	/* NULL, or the run (borrowed) whose
					   base results these are */
};

/* Gathering one stored run, for reports_sample_cb(). */
struct reports_gather {
	struct reports_run *rr;		/* passes by "tests" */
	struct reports_run *base;	/* NULL, or passes by base tests */
	enum reports_tests tests;
};

struct reports_run *
reports_run_new(void)
{
	return xcalloc(1, sizeof(struct reports_run));
}

void
reports_run_free(struct reports_run *rr)
{
	if (rr == NULL)
		return;
	for (size_t i = 0; i < rr->np; i++)
		free(rr->names[i]);
	free(rr->names);
	free(rr->p);
	free(rr->first);
	free(rr->s);
	free(rr->model);
	free(rr->ranker);
	free(rr);
}

/* The problem "task_id": the run's last one, or a new one after it. */
static struct report_problem *
reports_problem(struct reports_run *rr, const char *task_id)
{
	struct report_problem *pb;

	if (rr->np > 0 && strcmp(rr->p[rr->np - 1].task_id, task_id) == 0)
		return &rr->p[rr->np - 1];
	if (rr->np == rr->capp) {
		rr->capp = rr->capp ? rr->capp * 2 : 256;
		rr->p = xreallocarray(rr->p, rr->capp, sizeof(*rr->p));
		rr->first = xreallocarray(rr->first, rr->capp,
		    sizeof(*rr->first));
		rr->names = xreallocarray(rr->names, rr->capp,
		    sizeof(*rr->names));
	}
	pb = &rr->p[rr->np];
	memset(pb, 0, sizeof(*pb));
	pb->task_id = rr->names[rr->np] = xstrdup(task_id);
	rr->first[rr->np++] = rr->ns;
	return pb;
}

/*
 * One judged candidate of the run's last problem "pb": its verdict "v",
 * whether it is "error" for the oracle's failure, and its sample "s"
 * (copied).
 */
static void
reports_judged(struct reports_run *rr, struct report_problem *pb,
    enum proto_verdict v, bool oracle_error, const struct report_sample *s)
{
	pb->verdicts[v]++;
	if (oracle_error)
		pb->oracle_errors++;
	/* The oracle's own fault is never a fail: not a sample. */
	if (v == PROTO_VERDICT_INTERNAL)
		return;
	if (rr->ns == rr->caps) {
		rr->caps = rr->caps ? rr->caps * 2 : 4096;
		rr->s = xreallocarray(rr->s, rr->caps, sizeof(*rr->s));
	}
	rr->s[rr->ns++] = *s;
	pb->ns++;
}

/* Add a stored candidate to rr, passed by its base tests or not. */
static void
reports_add_sample(struct reports_run *rr, const struct store_sample *smp,
    bool by_base)
{
	struct report_problem *pb = reports_problem(rr, smp->task_id);
	struct report_sample s = smp->s;

	if (smp->base != STORE_BASE_NONE)
		rr->has_base = true;
	if (by_base && smp->base != STORE_BASE_NONE)
		s.passed = smp->base == STORE_BASE_PASSED;
	if (smp->verdict < 0)
		pb->pending++;
	else
		reports_judged(rr, pb, (enum proto_verdict)smp->verdict,
		    smp->oracle_error, &s);
}

/* store_run_samples() gives candidates in task order. */
static int
reports_sample_cb(const struct store_sample *smp, void *arg)
{
	struct reports_gather *g = arg;

	reports_add_sample(g->rr, smp, g->tests == REPORTS_TESTS_BASE);
	if (g->base != NULL)
		reports_add_sample(g->base, smp, true);
	return 0;
}

void
reports_run_add_counts(struct reports_run *rr, const char *task_id,
    const struct reports_counts *counts)
{
	struct report_problem *pb = NULL;
	struct report_sample s;

	memset(&s, 0, sizeof(s));
	s.seconds = s.tflops = -1;		/* not measured */
	for (int v = 0; v < PROTO_VERDICT_COUNT; v++) {
		s.passed = v == PROTO_VERDICT_PASSED;
		for (unsigned i = 0; i < counts->verdicts[v]; i++) {
			if (pb == NULL)
				pb = reports_problem(rr, task_id);
			reports_judged(rr, pb, (enum proto_verdict)v,
			    v == PROTO_VERDICT_ERROR &&
			    i < counts->oracle_errors, &s);
		}
	}
}

/* Add the cost row of "name" under that very name, once. */
static void
reports_cost_add(const struct models *models, const char *name,
    struct report_cost **costs, size_t *n)
{
	const struct report_cost *row;

	if (models == NULL || name == NULL ||
	    (row = models_find(models, name)) == NULL)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*costs)[i].model, name) == 0)
			return;
	*costs = xreallocarray(*costs, *n + 1, sizeof(**costs));
	(*costs)[*n].model = name;
	(*costs)[*n].tflops = row->tflops;
	(*costs)[*n].seconds = row->seconds;
	(*n)++;
}

/* Append the string "s" (copied) to the array "a" unless it is there. */
static void
reports_list_add(json_t *a, const char *s)
{
	const json_t	*e;
	size_t		 i;

	json_array_foreach(a, i, e) {
		if (strcmp(json_string_value(e), s) == 0)
			return;
	}
	json_array_append_new(a, json_string(s));
}

/*
 * What a report whose runs lack a cost should say: the models of
 * "report" (borrowed) without a row in "models" (may be NULL) whose run
 * has no cost on an axis, or whose ranker has none, and the runs
 * without a model.  Returns a new object as reports.h documents it, or
 * NULL when nothing is missing.
 */
static json_t *
reports_missing_costs(const struct models *models, const json_t *report)
{
	const json_t	*run, *cost;
	const char	*model, *ranker, *path, *name;
	json_t		*missing = json_array(), *lines = json_array();
	json_t		*nomodel = json_array(), *e;
	json_t		*o;
	FILE		*f;
	char		*note = NULL;
	size_t		 i, len = 0;

	path = models != NULL ? models_path(models) : NULL;
	json_array_foreach(json_object_get(report, "runs"), i, run) {
		cost = json_object_get(run, "cost");
		model = json_string_value(json_object_get(run, "model"));
		ranker = json_string_value(json_object_get(run, "ranker"));
		name = json_string_value(json_object_get(run, "run"));
		if (!json_is_number(json_object_get(cost, "tflops")) ||
		    !json_is_number(json_object_get(cost, "seconds"))) {
			if (model == NULL)
				reports_list_add(nomodel, name);
			else if (models == NULL ||
			    models_find(models, model) == NULL)
				reports_list_add(missing, model);
		}
		if (ranker != NULL && (models == NULL ||
		    models_find(models, ranker) == NULL))
			reports_list_add(missing, ranker);
	}
	if (json_array_size(missing) == 0 && json_array_size(nomodel) == 0) {
		json_decref(missing);
		json_decref(lines);
		json_decref(nomodel);
		return NULL;
	}
	if ((f = open_memstream(&note, &len)) == NULL)
		fatalx("reports: out of memory (open_memstream)");
	json_array_foreach(missing, i, e) {
		json_array_append_new(lines, json_sprintf("%s  <tflops>  "
		    "<seconds>", json_string_value(e)));
		fprintf(f, "%s%s", i == 0 ? "No cost for " : ", ",
		    json_string_value(e));
	}
	if (json_array_size(missing) > 0)
		fprintf(f, ": add a line \"NAME  <tflops>  <seconds>\" (per "
		    "sample) for each to %s, then send verdictd SIGHUP; or "
		    "pass a cost table in the request (cost={...}).",
		    path != NULL ? path : "the file named by the models key "
		    "of verdictd.conf (none is loaded)");
	json_array_foreach(nomodel, i, e)
		fprintf(f, "%s%s", i == 0 ? (json_array_size(missing) > 0 ?
		    "  No model for " : "No model for ") : ", ",
		    json_string_value(e));
	if (json_array_size(nomodel) > 0)
		fprintf(f, ": PATCH /v1/runs/RUN with {\"model\": NAME}, "
		    "or verdict set-model, sets one.");
	fclose(f);
	o = json_pack("{s:o, s:o, s:o, s:s?, s:s}", "models", missing,
	    "lines", lines, "runs_without_model", nomodel, "file", path,
	    "note", note);
	free(note);
	return o;
}

/* By string, for qsort() over an array of const char *. */
static int
reports_str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Sort the strings s[0..n-1] (borrowed) and keep each once; returns how
 * many are left.
 */
static size_t
reports_sort_unique(const char **s, size_t n)
{
	size_t	 kept = 0;

	qsort(s, n, sizeof(*s), reports_str_cmp);
	for (size_t i = 0; i < n; i++) {
		if (kept == 0 || strcmp(s[kept - 1], s[i]) != 0)
			s[kept++] = s[i];
	}
	return kept;
}

void
reports_meta(json_t *report, const struct problemset *ps, time_t now)
{
	const json_t	*run, *pp;
	const struct problem *pb;
	const json_t	*runs = json_object_get(report, "runs");
	const char	**ids, **sets, *id;
	json_t		*benchmarks = json_array();
	struct tm	 tm;
	char		 date[16] = "";
	size_t		 i, j, n = 0, nsets = 0;

	json_array_foreach(runs, i, run)
		n += json_array_size(json_object_get(run, "per_problem"));
	ids = xcalloc(n + 1, sizeof(*ids));
	n = 0;
	json_array_foreach(runs, i, run) {
		json_array_foreach(json_object_get(run, "per_problem"), j, pp) {
			id = json_string_value(json_object_get(pp, "task_id"));
			if (id != NULL)
				ids[n++] = id;
		}
	}
	n = reports_sort_unique(ids, n);
	sets = xcalloc(n + 1, sizeof(*sets));
	for (i = 0; i < n; i++) {
		if (ps != NULL && (pb = problemset_find(ps, ids[i])) != NULL)
			sets[nsets++] = pb->dataset;
	}
	nsets = reports_sort_unique(sets, nsets);
	for (i = 0; i < nsets; i++)
		json_array_append_new(benchmarks, json_string(sets[i]));
	if (gmtime_r(&now, &tm) != NULL)
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	json_object_set_new(report, "meta", json_pack("{s:o, s:I, s:s, s:s}",
	    "benchmarks", benchmarks, "problems", (json_int_t)n,
	    "generated", date, "version", PROTO_VERSION));
	free(sets);
	free(ids);
}

int
reports_build_runs(struct reports_run *const *rr,
    const struct models *models, const struct reports_req *req,
    json_t **out, char *errbuf, size_t errlen)
{
	struct report_run *runs;
	struct report_cost *costs = NULL;
	struct report_opts opts;
	json_t		*missing;
	size_t		 ncosts = 0;
	int		 r;

	runs = xcalloc(req->nruns ? req->nruns : 1, sizeof(*runs));
	for (size_t i = 0; i < req->nruns; i++) {
		/* The samples array no longer moves: point into it. */
		for (size_t j = 0; j < rr[i]->np; j++)
			rr[i]->p[j].s = rr[i]->s + rr[i]->first[j];
		runs[i].run = req->runs[i];
		runs[i].model = rr[i]->model;
		runs[i].ranker = rr[i]->ranker;
		runs[i].p = rr[i]->p;
		runs[i].np = rr[i]->np;
		runs[i].base_of = rr[i]->base_of;
		reports_cost_add(models, rr[i]->model, &costs, &ncosts);
		reports_cost_add(models, rr[i]->ranker, &costs, &ncosts);
	}
	reports_cost_add(models, req->base_model, &costs, &ncosts);
	memset(&opts, 0, sizeof(opts));
	opts.costs = costs;
	opts.ncosts = ncosts;
	opts.base_model = req->base_model;
	opts.measured = req->measured;
	opts.higher_is_better = req->higher_is_better;
	opts.k = req->k;
	opts.own_problems = req->own_problems;
	opts.resamples = req->resamples;
	opts.seed = req->seed;
	r = report_build(runs, req->nruns, &opts, out, errbuf, errlen);
	if (r == 0) {
		if ((missing = reports_missing_costs(models, *out)) == NULL)
			missing = json_null();
		json_object_set_new(*out, "missing_costs", missing);
	}
	free(runs);
	free(costs);
	return r;
}

int
reports_build(struct store *st, const struct models *models,
    const struct reports_req *req, json_t **out, char *errbuf,
    size_t errlen)
{
	struct reports_gather g = { NULL, NULL, req->tests };
	struct reports_req all = *req;
	struct reports_run **rr;
	const char	**names;
	char		**owned;
	size_t		 n = 0, nown = 0;
	int		 r = 0;

	*out = NULL;
	/* Each run and, side by side, its base results. */
	rr = xcalloc(2 * req->nruns + 1, sizeof(*rr));
	names = xcalloc(2 * req->nruns + 1, sizeof(*names));
	owned = xcalloc(req->nruns + 1, sizeof(*owned));
	for (size_t i = 0; i < req->nruns; i++) {
		g.rr = rr[n] = reports_run_new();
		names[n++] = req->runs[i];
		g.base = req->tests == REPORTS_TESTS_BOTH ?
		    reports_run_new() : NULL;
		r = store_run_samples(st, req->runs[i], &g.rr->model,
		    &g.rr->ranker, reports_sample_cb, &g);
		if (r == -ENOENT)
			snprintf(errbuf, errlen, "no run named \"%.128s\"",
			    req->runs[i]);
		else if (r < 0)
			snprintf(errbuf, errlen, "the store failed");
		if (r < 0 || g.base == NULL || !g.base->has_base) {
			reports_run_free(g.base);
			if (r < 0)
				goto out;
			continue;
		}
		g.base->model = g.rr->model ? xstrdup(g.rr->model) : NULL;
		g.base->ranker = g.rr->ranker ? xstrdup(g.rr->ranker) : NULL;
		g.base->base_of = req->runs[i];
		rr[n] = g.base;
		names[n++] = owned[nown++] = xasprintf("%s (base)",
		    req->runs[i]);
	}
	all.runs = names;
	all.nruns = n;
	r = reports_build_runs(rr, models, &all, out, errbuf, errlen);
 out:
	for (size_t i = 0; i < n; i++)
		reports_run_free(rr[i]);
	for (size_t i = 0; i < nown; i++)
		free(owned[i]);
	free(owned);
	free(names);
	free(rr);
	return r;
}
