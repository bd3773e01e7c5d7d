/*
 * test-reports.c - runs gathered into reports (daemon/reports.c): from
 * the store, candidate by candidate, and from per-problem verdict counts
 * ("verdictd eval").
 *
 *   reports_counts_match_store  the same verdicts stored as candidates
 *                               and given as counts make the same
 *                               report, byte for byte: per-problem
 *                               verdicts, oracle errors, internal left
 *                               out of n, pass@k
 *   reports_counts_edges        a problem without candidates is not
 *                               added; one with only "internal" ones is
 *                               there with n 0 and not among the
 *                               problems; a run without a judged sample
 *                               is -EINVAL, saying so
 *   reports_missing_costs       the models without a cost row (a run's,
 *                               a ranker's) and the runs without a
 *                               model are named, with the models.conf
 *                               line to add and the file; a request's
 *                               table fills them; none missing: null
 *   reports_meta_title          "meta": the datasets of the problems
 *                               (sorted, once, none for a task the set
 *                               lacks), the task ids over every run, the
 *                               UTC date, the version
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tests/unit/test.h"
#include "common/xmalloc.h"
#include "daemon/reports.h"
#include "sandbox/result.h"

/* One stored candidate: its task and the verdict its job ends with. */
struct reports_test_cand {
	const char	*task_id;
	enum proto_verdict v;
	bool		 oracle_error;
};

/* Store c[0..n-1] in run "run", each its own job, and finish them. */
static void
store_judged(struct store *st, const char *run,
    const struct reports_test_cand *c, size_t n)
{
	struct store_cand sc;
	struct store_added a;
	struct store_candidate got;
	struct store_result d;
	json_t		*rec;
	size_t		 nj;
	char		 err[512], *prog;

	for (size_t i = 0; i < n; i++) {
		prog = xasprintf("print(%zu)", i);
		memset(&sc, 0, sizeof(sc));
		sc.run = run;
		sc.task_id = c[i].task_id;
		sc.program = prog;
		sc.limits.wall_ms = sc.limits.cpu_ms = 1000;
		sc.limits.test_ms = 1000;
		sc.meta.cost_seconds = sc.meta.cost_tflops = -1;
		sc.meta.cost_tokens = -1;
		if (store_add(st, &sc, 1, &a, &nj, err, sizeof(err)) < 0)
			TEST_FAIL_AT("store_add: %s", err);
		ASSERT_OK(store_candidate(st, a.id, &got));
		rec = json_pack("{s:s, s:b}", "verdict",
		    proto_verdict_name(c[i].v), "oracle_error",
		    c[i].oracle_error);
		d.job = got.job;
		d.base = STORE_BASE_NONE;
		store_candidate_free(&got);
		if (sandbox_result_parse(rec, &d.res, err, sizeof(err)) < 0)
			TEST_FAIL_AT("sandbox_result_parse: %s", err);
		json_decref(rec);
		ASSERT_OK(store_update(st, &d, 1));
		sandbox_result_free(&d.res);
		free(prog);
	}
}

TEST(reports_counts_match_store)
{
	static const struct reports_test_cand cands[] = {
		{ "T/1", PROTO_VERDICT_PASSED, false },
		{ "T/1", PROTO_VERDICT_FAILED, false },
		{ "T/1", PROTO_VERDICT_ERROR, true },
		{ "T/1", PROTO_VERDICT_PASSED, false },
		{ "T/1", PROTO_VERDICT_INTERNAL, false },
		{ "T/1", PROTO_VERDICT_ERROR, false },
		{ "T/2", PROTO_VERDICT_TIMEOUT, false },
		{ "T/2", PROTO_VERDICT_PASSED, false },
	};
	static const char *const names[] = { "r" };
	struct reports_counts counts[2];
	struct reports_run *rr;
	struct reports_req rq;
	struct store	*st;
	json_t		*stored, *counted, *p;
	char		 dir[64], err[512], *path;

	test_tmp_dir(dir, sizeof(dir));
	path = xasprintf("%s/verdict.db", dir);
	if (store_open(path, &st, err, sizeof(err)) < 0)
		TEST_FAIL_AT("store_open: %s", err);
	store_judged(st, "r", cands, sizeof(cands) / sizeof(cands[0]));
	memset(&rq, 0, sizeof(rq));
	rq.runs = names;
	rq.nruns = 1;
	if (reports_build(st, NULL, &rq, &stored, err, sizeof(err)) < 0)
		TEST_FAIL_AT("reports_build: %s", err);
	store_close(st);

	memset(counts, 0, sizeof(counts));
	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		struct reports_counts *k = &counts[cands[i].task_id[2] - '1'];

		k->verdicts[cands[i].v]++;
		k->oracle_errors += cands[i].oracle_error;
	}
	rr = reports_run_new();
	reports_run_add_counts(rr, "T/1", &counts[0]);
	reports_run_add_counts(rr, "T/2", &counts[1]);
	if (reports_build_runs(&rr, NULL, &rq, &counted, err,
	    sizeof(err)) < 0)
		TEST_FAIL_AT("reports_build_runs: %s", err);
	reports_run_free(rr);

	ASSERT(json_equal(stored, counted));
	/* And what they agree on is right. */
	p = json_array_get(json_object_get(json_array_get(json_object_get(
	    counted, "runs"), 0), "per_problem"), 0);
	ASSERT_STR_EQ(json_string_value(json_object_get(p, "task_id")),
	    "T/1");
	ASSERT_EQ(json_integer_value(json_object_get(p, "n")), 5);
	ASSERT_EQ(json_integer_value(json_object_get(p, "c")), 2);
	ASSERT_EQ(json_integer_value(json_object_get(p, "oracle_errors")), 1);
	ASSERT_EQ(json_integer_value(json_object_get(json_object_get(p,
	    "verdicts"), "error")), 2);
	ASSERT_EQ(json_integer_value(json_object_get(json_object_get(p,
	    "verdicts"), "internal")), 1);
	json_decref(stored);
	json_decref(counted);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(reports_counts_edges)
{
	static const char *const names[] = { "eval" };
	struct reports_counts none, pass1, internal2;
	struct reports_run *rr;
	struct reports_req rq;
	json_t		*rep, *run;
	char		 err[512];

	memset(&none, 0, sizeof(none));
	memset(&pass1, 0, sizeof(pass1));
	memset(&internal2, 0, sizeof(internal2));
	pass1.verdicts[PROTO_VERDICT_PASSED] = 1;
	internal2.verdicts[PROTO_VERDICT_INTERNAL] = 2;
	memset(&rq, 0, sizeof(rq));
	rq.runs = names;
	rq.nruns = 1;

	rr = reports_run_new();
	reports_run_add_counts(rr, "T/0", &none);
	reports_run_add_counts(rr, "T/1", &pass1);
	reports_run_add_counts(rr, "T/3", &internal2);
	if (reports_build_runs(&rr, NULL, &rq, &rep, err, sizeof(err)) < 0)
		TEST_FAIL_AT("reports_build_runs: %s", err);
	run = json_array_get(json_object_get(rep, "runs"), 0);
	ASSERT_EQ(json_array_size(json_object_get(run, "per_problem")), 2);
	ASSERT_EQ(json_integer_value(json_object_get(run, "problems")), 1);
	ASSERT_EQ(json_integer_value(json_object_get(run, "internal")), 2);
	ASSERT_EQ(json_integer_value(json_object_get(run, "samples")), 1);
	ASSERT_NEAR(json_number_value(json_object_get(json_object_get(run,
	    "pass_at_k"), "1")), 100.0, 1e-9);
	json_decref(rep);
	reports_run_free(rr);

	/* Only "internal": nothing was judged. */
	rr = reports_run_new();
	reports_run_add_counts(rr, "T/3", &internal2);
	ASSERT_ERR(reports_build_runs(&rr, NULL, &rq, &rep, err,
	    sizeof(err)), -EINVAL);
	ASSERT_CONTAINS(err, "no judged samples");
	reports_run_free(rr);
	reports_run_free(NULL);
	return TEST_PASS;
}

/* The strings of the array "key" of "o", joined with commas. */
static char *
reports_test_join(const json_t *o, const char *key)
{
	const json_t	*e;
	char		*s = xstrdup(""), *t;
	size_t		 i;

	json_array_foreach(json_object_get(o, key), i, e) {
		t = xasprintf("%s%s%s", s, i ? "," : "",
		    json_string_value(e));
		free(s);
		s = t;
	}
	return s;
}

TEST(reports_missing_costs)
{
	static const struct reports_test_cand cand[] = {
		{ "T/1", PROTO_VERDICT_PASSED, false },
	};
	static const char *const names[] = { "a", "b", "c" };
	struct reports_req rq;
	struct models	*table, *req;
	struct store	*st;
	json_t		*rep, *mc;
	char		 dir[64], err[512], *path, *s;

	test_tmp_dir(dir, sizeof(dir));
	path = xasprintf("%s/verdict.db", dir);
	if (store_open(path, &st, err, sizeof(err)) < 0)
		TEST_FAIL_AT("store_open: %s", err);
	for (size_t i = 0; i < 3; i++)
		store_judged(st, names[i], cand, 1);
	ASSERT_OK(store_run_update(st, "a", "gpt-x", "rk"));
	ASSERT_OK(store_run_update(st, "c", "codellama-7b", NULL));
	ASSERT_OK(models_load("conf/models.conf", &table, err, sizeof(err)));
	memset(&rq, 0, sizeof(rq));
	rq.runs = names;
	rq.nruns = 3;
	if (reports_build(st, table, &rq, &rep, err, sizeof(err)) < 0)
		TEST_FAIL_AT("reports_build: %s", err);
	mc = json_object_get(rep, "missing_costs");
	s = reports_test_join(mc, "models");
	ASSERT_STR_EQ(s, "gpt-x,rk");
	free(s);
	s = reports_test_join(mc, "lines");
	ASSERT_STR_EQ(s, "gpt-x  <tflops>  <seconds>,rk  <tflops>  "
	    "<seconds>");
	free(s);
	s = reports_test_join(mc, "runs_without_model");
	ASSERT_STR_EQ(s, "b");
	free(s);
	ASSERT_STR_EQ(json_string_value(json_object_get(mc, "file")),
	    "conf/models.conf");
	ASSERT_CONTAINS(json_string_value(json_object_get(mc, "note")),
	    "No cost for gpt-x, rk: add a line");
	ASSERT_CONTAINS(json_string_value(json_object_get(mc, "note")),
	    "to conf/models.conf, then send verdictd SIGHUP");
	ASSERT_CONTAINS(json_string_value(json_object_get(mc, "note")),
	    "No model for b: PATCH /v1/runs/RUN");
	json_decref(rep);

	/* The request's table fills the gaps; b still has no model. */
	ASSERT_OK(models_from_request("{\"gpt-x\": {\"tflops\": 1, "
	    "\"seconds\": 1}, \"rk\": {\"tflops\": 1, \"seconds\": 1}}",
	    table, &req, err, sizeof(err)));
	if (reports_build(st, req, &rq, &rep, err, sizeof(err)) < 0)
		TEST_FAIL_AT("reports_build: %s", err);
	mc = json_object_get(rep, "missing_costs");
	ASSERT_EQ(json_array_size(json_object_get(mc, "models")), 0);
	ASSERT_EQ(json_array_size(json_object_get(mc, "runs_without_model")),
	    1);
	ASSERT_STR_EQ(json_string_value(json_object_get(mc, "note")),
	    "No model for b: PATCH /v1/runs/RUN with {\"model\": NAME}, or "
	    "verdict set-model, sets one.");
	json_decref(rep);

	/* Nothing missing: null.  No table at all: every model named. */
	rq.runs = names + 2;
	rq.nruns = 1;
	if (reports_build(st, req, &rq, &rep, err, sizeof(err)) < 0)
		TEST_FAIL_AT("reports_build: %s", err);
	ASSERT(json_is_null(json_object_get(rep, "missing_costs")));
	json_decref(rep);
	if (reports_build(st, NULL, &rq, &rep, err, sizeof(err)) < 0)
		TEST_FAIL_AT("reports_build: %s", err);
	mc = json_object_get(rep, "missing_costs");
	ASSERT(json_is_null(json_object_get(mc, "file")));
	ASSERT_CONTAINS(json_string_value(json_object_get(mc, "note")),
	    "No cost for codellama-7b: add a line");
	ASSERT_CONTAINS(json_string_value(json_object_get(mc, "note")),
	    "the file named by the models key");
	json_decref(rep);
	models_free(req);
	models_free(table);
	store_close(st);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

/* Two HumanEval-shaped problems, loaded as dataset "humaneval" or not. */
static const char reports_test_set[] =
    "{\"task_id\": \"T/%d\", \"prompt\": \"def f():\\n\", "
    "\"canonical_solution\": \"    return 1\\n\", \"test\": "
    "\"def check(c):\\n    assert c() == 1\\n\", \"entry_point\": "
    "\"f\"}\n";

/* The set of problem T/i of dataset "dataset" (NULL: the benchmark's). */
static struct problemset *
reports_test_problems(int i, const char *dataset)
{
	struct problemset_opts opts = { .dataset = dataset };
	struct problemset *ps;
	char		 err[512], *text = xasprintf(reports_test_set, i);

	if (problemset_load_mem("set", text, strlen(text), &opts, &ps, err,
	    sizeof(err)) < 0)
		TEST_FAIL_AT("problemset_load_mem: %s", err);
	free(text);
	return ps;
}

TEST(reports_meta_title)
{
	static const char *const names[] = { "a", "b" };
	struct reports_counts pass1;
	struct reports_run *rr[2];
	struct reports_req rq;
	struct problemset *ps;
	json_t		*rep, *meta;
	char		 err[512], *s;

	ps = reports_test_problems(1, NULL);
	ASSERT_OK(problemset_merge(ps, reports_test_problems(2, NULL), err,
	    sizeof(err)));
	ASSERT_OK(problemset_merge(ps, reports_test_problems(3, "extra"),
	    err, sizeof(err)));
	memset(&pass1, 0, sizeof(pass1));
	pass1.verdicts[PROTO_VERDICT_PASSED] = 1;
	memset(&rq, 0, sizeof(rq));
	rq.runs = names;
	rq.nruns = 2;
	rq.own_problems = true;
	rr[0] = reports_run_new();
	reports_run_add_counts(rr[0], "T/1", &pass1);
	reports_run_add_counts(rr[0], "T/2", &pass1);
	rr[1] = reports_run_new();
	reports_run_add_counts(rr[1], "T/1", &pass1);
	reports_run_add_counts(rr[1], "extra:T/3", &pass1);
	reports_run_add_counts(rr[1], "gone/9", &pass1);
	if (reports_build_runs(rr, NULL, &rq, &rep, err, sizeof(err)) < 0)
		TEST_FAIL_AT("reports_build_runs: %s", err);
	/* 2026-12-05 12:00 UTC. */
	reports_meta(rep, ps, (time_t)1796472000);
	meta = json_object_get(rep, "meta");
	s = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
	ASSERT_STR_EQ(s, "{\"benchmarks\":[\"extra\",\"humaneval\"],"
	    "\"generated\":\"2026-12-05\",\"problems\":4,\"version\":\""
	    PROTO_VERSION "\"}");
	free(s);
	/* Without the set: the problems still, no benchmark. */
	reports_meta(rep, NULL, (time_t)0);
	meta = json_object_get(rep, "meta");
	ASSERT_EQ(json_array_size(json_object_get(meta, "benchmarks")), 0);
	ASSERT_EQ(json_integer_value(json_object_get(meta, "problems")), 4);
	ASSERT_STR_EQ(json_string_value(json_object_get(meta, "generated")),
	    "1970-01-01");
	json_decref(rep);
	reports_run_free(rr[0]);
	reports_run_free(rr[1]);
	problemset_free(ps);
	return TEST_PASS;
}
