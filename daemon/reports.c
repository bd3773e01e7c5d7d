/*
 * reports.c - stored runs to reports.  See reports.h.
 *
 * store_run_samples() gives a run's candidates in task order, so a
 * problem's samples arrive together: one growing array of samples per
 * run, and a problem is a slice of it.  The cost table handed to
 * report_build() has one row per name a run uses (its model, its
 * ranker, the base), looked up with models_find()'s lenient matching,
 * so the report shows the runs' own model names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/reports.h"
#include "report/report.h"

/* One run being read. */
struct reports_run {
	struct report_sample *s;	/* every judged sample */
	size_t		 ns, caps;
	struct report_problem *p;	/* p[i].s set once s stops moving */
	size_t		*first;		/* index in s of p[i]'s first */
	char		**names;	/* p[i].task_id, owned */
	size_t		 np, capp;
	char		*model, *ranker;
};

static int
reports_sample_cb(const struct store_sample *smp, void *arg)
{
	struct reports_run *rr = arg;
	struct report_problem *pb;

	if (rr->np == 0 || strcmp(rr->p[rr->np - 1].task_id,
	    smp->task_id) != 0) {
		if (rr->np == rr->capp) {
			rr->capp = rr->capp ? rr->capp * 2 : 256;
			rr->p = xreallocarray(rr->p, rr->capp,
			    sizeof(*rr->p));
			rr->first = xreallocarray(rr->first, rr->capp,
			    sizeof(*rr->first));
			rr->names = xreallocarray(rr->names, rr->capp,
			    sizeof(*rr->names));
		}
		pb = &rr->p[rr->np];
		memset(pb, 0, sizeof(*pb));
		pb->task_id = rr->names[rr->np] = xstrdup(smp->task_id);
		rr->first[rr->np++] = rr->ns;
	}
	pb = &rr->p[rr->np - 1];
	if (smp->verdict < 0) {
		pb->pending++;
		return 0;
	}
	pb->verdicts[smp->verdict]++;
	if (smp->oracle_error)
		pb->oracle_errors++;
	/* The oracle's own fault is never a fail: not a sample. */
	if (smp->verdict == PROTO_VERDICT_INTERNAL)
		return 0;
	if (rr->ns == rr->caps) {
		rr->caps = rr->caps ? rr->caps * 2 : 4096;
		rr->s = xreallocarray(rr->s, rr->caps, sizeof(*rr->s));
	}
	rr->s[rr->ns++] = smp->s;
	pb->ns++;
	return 0;
}

static void
reports_run_free(struct reports_run *rr)
{
	for (size_t i = 0; i < rr->np; i++)
		free(rr->names[i]);
	free(rr->names);
	free(rr->p);
	free(rr->first);
	free(rr->s);
	free(rr->model);
	free(rr->ranker);
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

int
reports_build(struct store *st, const struct models *models,
    const struct reports_req *req, json_t **out, char *errbuf,
    size_t errlen)
{
	struct reports_run *rr;
	struct report_run *runs;
	struct report_cost *costs = NULL;
	struct report_opts opts;
	size_t		 ncosts = 0, done = 0;
	int		 r = 0;

	*out = NULL;
	rr = xcalloc(req->nruns, sizeof(*rr));
	runs = xcalloc(req->nruns, sizeof(*runs));
	for (done = 0; done < req->nruns; done++) {
		r = store_run_samples(st, req->runs[done], &rr[done].model,
		    &rr[done].ranker, reports_sample_cb, &rr[done]);
		if (r == -ENOENT)
			snprintf(errbuf, errlen, "no run named \"%.128s\"",
			    req->runs[done]);
		else if (r < 0)
			snprintf(errbuf, errlen, "the store failed");
		if (r < 0) {
			done++;
			goto out;
		}
		/* The samples array no longer moves: point into it. */
		for (size_t i = 0; i < rr[done].np; i++)
			rr[done].p[i].s = rr[done].s + rr[done].first[i];
		runs[done].run = req->runs[done];
		runs[done].model = rr[done].model;
		runs[done].ranker = rr[done].ranker;
		runs[done].p = rr[done].p;
		runs[done].np = rr[done].np;
		reports_cost_add(models, rr[done].model, &costs, &ncosts);
		reports_cost_add(models, rr[done].ranker, &costs, &ncosts);
	}
	reports_cost_add(models, req->base_model, &costs, &ncosts);
	memset(&opts, 0, sizeof(opts));
	opts.costs = costs;
	opts.ncosts = ncosts;
	opts.base_model = req->base_model;
	opts.measured = req->measured;
	opts.higher_is_better = req->higher_is_better;
	opts.k = req->k;
	r = report_build(runs, req->nruns, &opts, out, errbuf, errlen);
 out:
	for (size_t i = 0; i < done; i++)
		reports_run_free(&rr[i]);
	free(rr);
	free(runs);
	free(costs);
	return r;
}
