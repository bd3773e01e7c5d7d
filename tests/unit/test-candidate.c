/*
 * test-candidate.c - one candidate checked and built (daemon/candidate.c),
 * against a problem set of two HumanEval-shaped problems in memory.
 *
 *   candidate_builds_program   a completion follows the problem's prompt,
 *                              or the candidate's own; a program is taken
 *                              whole and wins over a completion; the
 *                              problem, task and program are set, and
 *                              the costs are "not given"
 *   candidate_serve_fields     with rules->meta, every field is read:
 *                              run, id, model, ranker, sample, score,
 *                              greedy, truncated and cost as given; a
 *                              "solution" (EvalPlus) is the program; a
 *                              language naming Python (any case) passes
 *   candidate_serve_refusals   each bad field is refused with its name and
 *                              the API's reason (a language other than
 *                              Python among them); the first bad field in
 *                              check order is the one named
 *   candidate_eval_fields      without rules->meta, what the store keeps
 *                              is not read, whatever it holds; a null
 *                              sample is none, a negative one refused;
 *                              with no max_program the whole program's
 *                              BENCH_MAX_PROGRAM limit is the one said
 *   candidate_nul_strings      a string holding \u0000 (JSON_ALLOW_NUL)
 *                              is refused, naming its field
 *   candidate_name_rules       run names and ids: the characters, the
 *                              colon, 1..CANDIDATE_NAME_MAX
 *   candidate_base_passed      EvalPlus base results from a verdict's
 *                              tests: passed; failed, timed out or not
 *                              run in the base part or after it; too
 *                              few tests; no split; the oracle's fault
 *   candidate_sanitize         "sanitize": a chat answer (program or
 *                              completion) judged on its code, the text
 *                              kept as the original when that changed it;
 *                              the request's default and a candidate's
 *                              own; a non-boolean refused, named
 *   candidate_sanitize_apps    APPS: a stdio problem's fenced script
 *                              whole; a call problem's class Solution
 *                              and what its methods reach
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "tests/unit/test.h"
#include "common/xmalloc.h"
#include "daemon/bench.h"
#include "daemon/candidate.h"
#include "sandbox/result.h"

static const char candidate_test_set[] =
    "{\"task_id\": \"T/1\", \"prompt\": \"def f():\\n\", "
    "\"canonical_solution\": \"    return 1\\n\", \"test\": "
    "\"def check(c):\\n    assert c() == 1\\n\", \"entry_point\": \"f\"}\n"
    "{\"task_id\": \"T/2\", \"prompt\": \"def g():\\n\", "
    "\"canonical_solution\": \"    return 2\\n\", \"test\": "
    "\"def check(c):\\n    assert c() == 2\\n\", \"entry_point\": \"g\"}\n";

static struct problemset *
test_set(void)
{
	struct problemset *ps;
	char		 err[512];

	if (problemset_load_mem("set", candidate_test_set,
	    strlen(candidate_test_set), NULL, &ps, err, sizeof(err)) < 0)
		TEST_FAIL_AT("problemset_load_mem: %s", err);
	return ps;
}

/* Check the JSON text "js" (parsed with "jflags"); returns the result. */
static int
check(const struct candidate_rules *rules, const char *js, size_t jflags,
    struct candidate *cd, struct candidate_bad *bad)
{
	json_error_t	 je;
	json_t		*o = json_loads(js, jflags, &je);
	int		 r;

	if (o == NULL)
		TEST_FAIL_AT("bad test JSON %s: %s", js, je.text);
	r = candidate_check(rules, o, cd, bad);
	/* cd's strings were o's: only its program and numbers are left. */
	json_decref(o);
	return r;
}

TEST(candidate_builds_program)
{
	struct candidate_rules rules = { NULL, 0, false, NULL, false };
	struct problemset *ps;
	struct candidate_bad bad;
	struct candidate cd;
	json_t		*o;

	rules.ps = ps = test_set();
	o = json_pack("{s:s, s:s}", "task_id", "T/2", "completion",
	    "    return 2\n");
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.program, "def g():\n    return 2\n");
	ASSERT(cd.c.program == cd.program);
	ASSERT_STR_EQ(cd.c.task_id, "T/2");
	ASSERT_STR_EQ(cd.pb->task_id, "T/2");
	ASSERT(!cd.c.meta.has_sample);
	ASSERT(cd.c.meta.cost_seconds < 0 && cd.c.meta.cost_tflops < 0);
	ASSERT(cd.c.meta.cost_tokens < 0);
	candidate_clear(&cd);
	ASSERT_NULL(cd.program);
	candidate_clear(&cd);			/* idempotent */
	json_decref(o);

	o = json_pack("{s:s, s:s, s:s}", "task_id", "T/1", "prompt",
	    "def f(x=1):\n", "completion", "    return x\n");
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.program, "def f(x=1):\n    return x\n");
	candidate_clear(&cd);
	json_decref(o);

	o = json_pack("{s:s, s:s, s:s}", "task_id", "T/1", "completion",
	    "    return 3\n", "program", "def f():\n    return 1\n");
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.program, "def f():\n    return 1\n");
	candidate_clear(&cd);
	json_decref(o);
	problemset_free(ps);
	return TEST_PASS;
}

TEST(candidate_serve_fields)
{
	struct candidate_rules rules = { NULL, 1000, true, NULL, false };
	struct problemset *ps;
	struct candidate_bad bad;
	struct candidate cd;
	json_t		*o;

	rules.ps = ps = test_set();
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:f, s:b, s:b, "
	    "s:{s:f, s:f, s:I}}", "run", "r-1.x_y", "id", "a:b", "model",
	    "some model/7B", "ranker", "r", "task_id", "T/1", "completion",
	    "    return 1\n", "sample", (json_int_t)7, "score", -0.5,
	    "greedy", 1, "truncated", 0, "cost", "seconds", 1.5, "tflops",
	    0.25, "tokens", (json_int_t)300);
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.c.run, "r-1.x_y");
	ASSERT_STR_EQ(cd.c.id, "a:b");
	ASSERT_STR_EQ(cd.c.model, "some model/7B");
	ASSERT_STR_EQ(cd.c.ranker, "r");
	ASSERT(cd.c.meta.has_sample);
	ASSERT_EQ(cd.c.meta.sample, 7);
	ASSERT(cd.c.meta.has_score);
	ASSERT_NEAR(cd.c.meta.score, -0.5, 0);
	ASSERT(cd.c.meta.greedy);
	ASSERT(!cd.c.meta.truncated);
	ASSERT_NEAR(cd.c.meta.cost_seconds, 1.5, 0);
	ASSERT_NEAR(cd.c.meta.cost_tflops, 0.25, 0);
	ASSERT_EQ(cd.c.meta.cost_tokens, 300);
	ASSERT_STR_EQ(cd.program, "def f():\n    return 1\n");
	/* Limits are the caller's. */
	ASSERT_EQ(cd.c.limits.wall_ms, 0);
	candidate_clear(&cd);
	/* EvalPlus's "solution" is a whole program. */
	json_object_del(o, "completion");
	json_object_set_new(o, "solution", json_string("def f():\n"
	    "    return 2\n"));
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.program, "def f():\n    return 2\n");
	candidate_clear(&cd);
	/* A language, if given, names Python (any case). */
	json_object_set_new(o, "language", json_string("Python3"));
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	candidate_clear(&cd);
	json_decref(o);
	problemset_free(ps);
	return TEST_PASS;
}

/* A good posted item's members, for the refusals to add one bad to. */
#define GOOD	"\"run\": \"r\", \"task_id\": \"T/1\", \"completion\": \"x\""

TEST(candidate_serve_refusals)
{
	static const struct {
		const char	*js;
		const char	*field;
		const char	*msg;
	} cases[] = {
		{ "[1]", "", "must be a JSON object" },
		{ "{\"task_id\": \"T/1\", \"completion\": \"x\"}", "run",
		    "is required" },
		{ "{\"run\": 5}", "run", "must be a string" },
		{ "{\"run\": \"a/b\"}", "run", "must be 1 to 128 characters of "
		    "A-Z a-z 0-9 . _ -" },
		{ "{\"run\": \"r\", \"id\": \"v-1\"}", "id", "must be 1 to 128 "
		    "characters of A-Z a-z 0-9 . _ - :, not starting with "
		    "\"v-\"" },
		{ "{\"run\": \"r\", \"model\": \"\"}", "model",
		    "must be 1 to 128 characters" },
		{ "{\"run\": \"r\", \"ranker\": \"\"}", "ranker",
		    "must be 1 to 128 characters" },
		{ "{\"run\": \"r\"}", "task_id", "is required" },
		{ "{\"run\": \"r\", \"task_id\": 5}", "task_id",
		    "must be a string" },
		{ "{\"run\": \"r\", \"task_id\": \"Nope/1\"}", "task_id",
		    "unknown task_id \"Nope/1\"" },
		{ "{\"run\": \"r\", \"task_id\": \"T/1\", \"completion\": 42}",
		    "completion", "must be a string" },
		{ "{\"run\": \"r\", \"task_id\": \"T/1\", \"prompt\": \"p\"}",
		    "completion", "a completion or a program is required" },
		{ "{" GOOD ", \"sample\": \"3\"}", "sample",
		    "must be an integer >= 0" },
		{ "{" GOOD ", \"sample\": -1}", "sample",
		    "must be an integer >= 0" },
		{ "{" GOOD ", \"score\": [1]}", "score",
		    "must be a finite number" },
		{ "{" GOOD ", \"greedy\": \"yes\"}", "greedy",
		    "must be true or false" },
		{ "{" GOOD ", \"truncated\": 1}", "truncated",
		    "must be true or false" },
		{ "{" GOOD ", \"cost\": 3}", "cost", "must be an object" },
		{ "{" GOOD ", \"cost\": {\"seconds\": -1}}", "cost",
		    "'seconds' must be a number >= 0" },
		{ "{" GOOD ", \"cost\": {\"tokens\": 1.5}}", "cost",
		    "'tokens' must be an integer" },
		{ "{\"run\": \"r\", \"task_id\": \"T/1\", \"program\": "
		    "\"x\", \"solution\": \"y\"}", "solution",
		    "give a program or a solution, not both" },
		{ "{\"run\": \"r\", \"task_id\": \"T/1\", \"solution\": "
		    "7}", "solution", "must be a string" },
		{ "{" GOOD ", \"language\": \"cpp\"}", "language",
		    "only Python is judged (python, python3 or py), not "
		    "\"cpp\"" },
		{ "{" GOOD ", \"language\": 3}", "language",
		    "must be a string" },
		{ "{\"run\": \"r\", \"task_id\": \"T/1\", \"program\": "
		    "\"0123456789\"}", "program",
		    "is over the limit of 8 bytes (max_program)" },
		{ "{\"run\": \"r\", \"task_id\": \"T/1\", \"completion\": "
		    "\"0123456789\"}", "completion",
		    "is over the limit of 8 bytes (max_program)" },
		/* The first bad field in check order is named. */
		{ "{\"run\": \"a/b\", \"task_id\": \"Nope/1\", \"sample\": -1}",
		    "run", NULL },
		{ "{\"run\": \"r\", \"task_id\": \"T/1\", \"completion\": "
		    "\"0123456789\", \"sample\": -1}", "sample", NULL },
		{ "{\"run\": \"r\", \"task_id\": \"T/1\", \"completion\": "
		    "\"0123456789\", \"cost\": 1}", "cost", NULL },
	};
	struct candidate_rules rules = { NULL, 8, true, NULL, false };
	struct problemset *ps;
	struct candidate_bad bad;
	struct candidate cd;

	rules.ps = ps = test_set();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad.field = NULL;
		bad.msg[0] = '\0';
		ASSERT_ERR(check(&rules, cases[i].js, 0, &cd, &bad), -EINVAL);
		ASSERT_NULL(cd.program);
		ASSERT_NOT_NULL(bad.field);
		if (strcmp(bad.field, cases[i].field) != 0)
			TEST_FAIL_AT("%s: field '%s', not '%s'", cases[i].js,
			    bad.field, cases[i].field);
		if (cases[i].msg != NULL)
			ASSERT_STR_EQ(bad.msg, cases[i].msg);
	}
	problemset_free(ps);
	return TEST_PASS;
}

TEST(candidate_eval_fields)
{
	struct candidate_rules rules = { NULL, 0, false, NULL, false };
	struct problemset *ps;
	struct candidate_bad bad;
	struct candidate cd;
	json_t		*o;
	char		*big, want[128];

	rules.ps = ps = test_set();
	/* Nothing the store keeps is read, whatever it holds. */
	ASSERT_OK(check(&rules, "{\"task_id\": \"T/1\", \"completion\": "
	    "\"    return 1\\n\", \"run\": 5, \"id\": 7, \"model\": [], "
	    "\"ranker\": \"\", \"score\": \"x\", \"greedy\": \"yes\", "
	    "\"truncated\": 2, \"cost\": 1, \"ref_passed\": true}", 0, &cd,
	    &bad));
	ASSERT_NULL(cd.c.run);
	ASSERT_NULL(cd.c.id);
	ASSERT_NULL(cd.c.model);
	ASSERT(!cd.c.meta.has_score && !cd.c.meta.greedy);
	candidate_clear(&cd);
	/* A null sample is none; a sample is read. */
	ASSERT_OK(check(&rules, "{\"task_id\": \"T/1\", \"completion\": \"x\", "
	    "\"sample\": null}", 0, &cd, &bad));
	ASSERT(!cd.c.meta.has_sample);
	candidate_clear(&cd);
	ASSERT_OK(check(&rules, "{\"task_id\": \"T/1\", \"completion\": \"x\", "
	    "\"sample\": 0}", 0, &cd, &bad));
	ASSERT(cd.c.meta.has_sample);
	ASSERT_EQ(cd.c.meta.sample, 0);
	candidate_clear(&cd);
	ASSERT_ERR(check(&rules, "{\"task_id\": \"T/1\", \"completion\": "
	    "\"x\", \"sample\": -2}", 0, &cd, &bad), -EINVAL);
	ASSERT_STR_EQ(bad.field, "sample");
	ASSERT_ERR(check(&rules, "{\"completion\": \"x\"}", 0, &cd, &bad),
	    -EINVAL);
	ASSERT_STR_EQ(bad.field, "task_id");
	ASSERT_STR_EQ(bad.msg, "is required");

	/* No max_program: the whole program's limit. */
	big = xmalloc(BENCH_MAX_PROGRAM + 1);
	memset(big, '#', BENCH_MAX_PROGRAM);
	big[BENCH_MAX_PROGRAM] = '\0';
	o = json_pack("{s:s, s:s}", "task_id", "T/1", "completion", big);
	ASSERT_ERR(candidate_check(&rules, o, &cd, &bad), -EINVAL);
	ASSERT_STR_EQ(bad.field, "completion");
	snprintf(want, sizeof(want), "program of %zu bytes is over the "
	    "limit of %u", strlen("def f():\n") + BENCH_MAX_PROGRAM,
	    BENCH_MAX_PROGRAM);
	ASSERT_STR_EQ(bad.msg, want);
	json_decref(o);
	/* One byte less of the prompt's length fits. */
	big[BENCH_MAX_PROGRAM - strlen("def f():\n")] = '\0';
	o = json_pack("{s:s, s:s}", "task_id", "T/1", "completion", big);
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_EQ(strlen(cd.program), BENCH_MAX_PROGRAM);
	candidate_clear(&cd);
	json_decref(o);
	free(big);
	problemset_free(ps);
	return TEST_PASS;
}

TEST(candidate_nul_strings)
{
	static const char *const fields[] = { "task_id", "completion",
	    "program", "prompt" };
	struct candidate_rules rules = { NULL, 0, false, NULL, false };
	struct problemset *ps;
	struct candidate_bad bad;
	struct candidate cd;
	char		 js[256];

	rules.ps = ps = test_set();
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		/* The last of a duplicate key is the one kept. */
		snprintf(js, sizeof(js), "{\"task_id\": \"T/1\", "
		    "\"completion\": \"x\", \"%s\": \"a\\u0000b\"}", fields[i]);
		ASSERT_ERR(check(&rules, js, JSON_ALLOW_NUL, &cd, &bad),
		    -EINVAL);
		ASSERT_STR_EQ(bad.field, fields[i]);
		ASSERT_STR_EQ(bad.msg, "holds a NUL character");
	}
	problemset_free(ps);
	return TEST_PASS;
}

TEST(candidate_name_rules)
{
	char	 name[CANDIDATE_NAME_MAX + 2];

	ASSERT(candidate_name_ok("run-1.a_B", false));
	ASSERT(!candidate_name_ok("a:b", false));
	ASSERT(candidate_name_ok("a:b", true));
	ASSERT(!candidate_name_ok("", true));
	ASSERT(!candidate_name_ok("a b", true));
	ASSERT(!candidate_name_ok("a/b", true));
	ASSERT(!candidate_name_ok("caf\xc3\xa9", true));
	memset(name, 'x', CANDIDATE_NAME_MAX);
	name[CANDIDATE_NAME_MAX] = '\0';
	ASSERT(candidate_name_ok(name, false));
	name[CANDIDATE_NAME_MAX] = 'x';
	name[CANDIDATE_NAME_MAX + 1] = '\0';
	ASSERT(!candidate_name_ok(name, false));
	return TEST_PASS;
}

TEST(candidate_base_passed)
{
	struct sandbox_test	 t[4];
	struct sandbox_result	 r;

	memset(&r, 0, sizeof(r));
	memset(t, 0, sizeof(t));
	for (int i = 0; i < 4; i++)
		t[i].status = PROTO_VERDICT_PASSED;
	r.tests = t;
	r.ntests = 4;
	r.verdict = PROTO_VERDICT_PASSED;
	ASSERT_EQ(bench_base_passed(2, &r), 1);
	ASSERT_EQ(bench_base_passed(0, &r), -1);	/* no split */
	/* A plus test fails, times out or never runs: base passed. */
	r.verdict = PROTO_VERDICT_FAILED;
	t[3].status = PROTO_VERDICT_FAILED;
	ASSERT_EQ(bench_base_passed(2, &r), 1);
	t[2].status = PROTO_VERDICT_TIMEOUT;
	t[3].status = SANDBOX_NOT_RUN;
	r.verdict = PROTO_VERDICT_TIMEOUT;
	ASSERT_EQ(bench_base_passed(2, &r), 1);
	/* A base test that failed or did not run: not. */
	t[1].status = SANDBOX_NOT_RUN;
	ASSERT_EQ(bench_base_passed(2, &r), 0);
	t[1].status = PROTO_VERDICT_ERROR;
	ASSERT_EQ(bench_base_passed(2, &r), 0);
	/* Fewer results than base tests (a syntax error has none). */
	t[1].status = PROTO_VERDICT_PASSED;
	r.verdict = PROTO_VERDICT_SYNTAX_ERROR;
	r.ntests = 1;
	ASSERT_EQ(bench_base_passed(2, &r), 0);
	/* The oracle's fault says nothing. */
	r.ntests = 4;
	r.verdict = PROTO_VERDICT_INTERNAL;
	ASSERT_EQ(bench_base_passed(2, &r), -1);
	r.verdict = PROTO_VERDICT_ERROR;
	r.oracle_error = true;
	ASSERT_EQ(bench_base_passed(2, &r), -1);
	return TEST_PASS;
}

/*
 * Check {"run", "task_id": task, field: text, "sanitize": true}: its
 * program must be "program", its original "original" (NULL: none).
 */
static void
sanitized(const struct candidate_rules *rules, const char *task,
    const char *field, const char *text, const char *program,
    const char *original)
{
	struct candidate_bad bad;
	struct candidate cd;
	json_t		*o;

	o = json_pack("{s:s, s:s, s:s, s:b}", "run", "r", "task_id", task,
	    field, text, "sanitize", 1);
	ASSERT_OK(candidate_check(rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.program, program);
	if (original == NULL)
		ASSERT_NULL(cd.c.original);
	else
		ASSERT_STR_EQ(cd.c.original, original);
	candidate_clear(&cd);
	json_decref(o);
}

TEST(candidate_sanitize)
{
	static const char answer[] = "Here:\n```python\ndef f():\n"
	    "    return 1\n```\nprint(f())\n";
	struct candidate_rules rules = { NULL, 0, true, NULL, false };
	struct problemset *ps;
	struct candidate_bad bad;
	struct candidate cd;
	json_t		*o;

	rules.ps = ps = test_set();
	/* A chat answer as a program: its code, the answer kept. */
	sanitized(&rules, "T/1", "program", answer, "def f():\n    return 1\n",
	    answer);
	/* Already clean: nothing changed, nothing kept. */
	sanitized(&rules, "T/1", "solution", "def f():\n    return 1\n",
	    "def f():\n    return 1\n", NULL);
	/* A clean completion is judged as it is. */
	sanitized(&rules, "T/2", "completion", "    return 2\n",
	    "def g():\n    return 2\n", NULL);
	/* A completion: after the prompt and a newline. */
	sanitized(&rules, "T/2", "completion", "    return 2\nprint(g())\n",
	    "def g():\n\n    return 2\n", "    return 2\nprint(g())\n");
	/* The request's default, and a candidate saying otherwise. */
	rules.sanitize = true;
	o = json_pack("{s:s, s:s, s:s}", "run", "r", "task_id", "T/1",
	    "program", answer);
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.program, "def f():\n    return 1\n");
	candidate_clear(&cd);
	json_object_set_new(o, "sanitize", json_false());
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.program, answer);
	ASSERT_NULL(cd.c.original);
	candidate_clear(&cd);
	json_object_set_new(o, "sanitize", json_null());
	ASSERT_OK(candidate_check(&rules, o, &cd, &bad));
	ASSERT_STR_EQ(cd.program, "def f():\n    return 1\n");
	candidate_clear(&cd);
	/* Anything but a boolean is refused, naming the field. */
	json_object_set_new(o, "sanitize", json_string("yes"));
	ASSERT_ERR(candidate_check(&rules, o, &cd, &bad), -EINVAL);
	ASSERT_STR_EQ(bad.field, "sanitize");
	ASSERT_STR_EQ(bad.msg, "must be true or false");
	json_object_set_new(o, "sanitize", json_integer(1));
	ASSERT_ERR(candidate_check(&rules, o, &cd, &bad), -EINVAL);
	ASSERT_STR_EQ(bad.field, "sanitize");
	json_decref(o);
	problemset_free(ps);
	return TEST_PASS;
}

TEST(candidate_sanitize_apps)
{
	static const char apps[] =
	    "{\"problem_id\": 1, \"question\": \"q\", \"solutions\": "
	    "\"[\\\"print(1)\\\"]\", \"input_output\": \"{\\\"inputs\\\": "
	    "[\\\"\\\"], \\\"outputs\\\": [\\\"1\\\"]}\", \"difficulty\": "
	    "\"introductory\", \"url\": \"u\", \"starter_code\": \"\"}\n"
	    "{\"problem_id\": 2, \"question\": \"q\", \"solutions\": "
	    "\"[]\", \"input_output\": \"{\\\"inputs\\\": [[1]], "
	    "\\\"outputs\\\": [1], \\\"fn_name\\\": \\\"f\\\"}\", "
	    "\"difficulty\": \"introductory\", \"url\": \"u\", "
	    "\"starter_code\": \"class Solution:\\n    def f(self, x):\\n\"}\n";
	struct candidate_rules rules = { NULL, 0, true, NULL, false };
	struct problemset *ps;
	char		 err[512];

	if (problemset_load_mem("apps", apps, strlen(apps), NULL, &ps, err,
	    sizeof(err)) < 0)
		TEST_FAIL_AT("problemset_load_mem: %s", err);
	rules.ps = ps;
	/* Standard input: the fenced script as it is, top level and all. */
	sanitized(&rules, "APPS/1", "program", "Read it:\n```python\n"
	    "n = 1\nprint(n)\n```\nDone.", "n = 1\nprint(n)\n",
	    "Read it:\n```python\nn = 1\nprint(n)\n```\nDone.");
	/* LeetCode's class: its methods reached from the class. */
	sanitized(&rules, "APPS/2", "program", "```python\nclass Solution:\n"
	    "    def f(self, x):\n        return g(x)\ndef g(x):\n"
	    "    return x\nprint(Solution().f(1))\n```\n",
	    "class Solution:\n    def f(self, x):\n        return g(x)\n"
	    "def g(x):\n    return x\n",
	    "```python\nclass Solution:\n    def f(self, x):\n"
	    "        return g(x)\ndef g(x):\n    return x\n"
	    "print(Solution().f(1))\n```\n");
	problemset_free(ps);
	return TEST_PASS;
}
