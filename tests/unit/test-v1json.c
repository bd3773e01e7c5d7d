/*
 * test-v1json.c - the v1 API's JSON of what the store reads
 * (api/v1json.c), byte for byte as the daemon sends it (json_dumps,
 * JSON_COMPACT): keys, their order and their types are the API.
 *
 *   v1json_candidate_pending     a queued candidate: every optional and
 *                                every result field null, booleans false
 *   v1json_candidate_done        a done one with everything given; the
 *                                stored tests array verbatim; only the
 *                                costs given in "cost"
 *   v1json_candidate_odd         a running one; tests that are not an
 *                                array read as []; stderr that is not
 *                                UTF-8 is escaped, not dropped
 *   v1json_reward_fields         a reward: null until done; the fraction
 *                                of tests passed; without tests, 1 or 0
 *                                by the pass bit
 *   v1json_run_figures           candidates, queued, done and progress
 *                                from the counts; every verdict kind;
 *                                created in ISO 8601; a run with nothing
 *                                has progress 0.0
 *   v1json_problem_figures       n leaves internal out, c is passed,
 *                                pass_rate 100 c / n (percent), null
 *                                when n is 0
 *   v1json_verdict_line          a results line (with the fields asked
 *                                for: message, tests, stderr); its cost
 *                                object
 *   v1json_sanitized             a sanitized candidate: "sanitized" and
 *                                "original" last; in a reward after
 *                                "passed"; in a results line the flag,
 *                                and the text when asked for
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/v1json.h"
#include "tests/unit/test.h"
#include "common/proto.h"
#include "common/xmalloc.h"

/* The compact JSON of "v" (stolen) must be "want". */
#define ASSERT_JSON(v, want) do {					\
	json_t	*v_ = (v);						\
	char	*s_ = json_dumps(v_, JSON_COMPACT);			\
									\
	ASSERT_NOT_NULL(s_);						\
	ASSERT_STR_EQ(s_, want);					\
	free(s_);							\
	json_decref(v_);						\
} while (0)

/*
 * A candidate with nothing optional, as the store reads a queued one
 * (strings new, as the store's: release with store_candidate_free()).
 */
static struct store_candidate
queued_cand(void)
{
	struct store_candidate	 c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "v-1");
	c.job = 1;
	c.run = xstrdup("r");
	c.task_id = xstrdup("HumanEval/0");
	c.state = STORE_QUEUED;
	c.verdict = -1;
	c.meta.cost_seconds = c.meta.cost_tflops = -1;
	c.meta.cost_tokens = -1;
	c.usage = (struct store_usage){ -1, -1, -1 };
	return c;
}

/* The JSON of queued_cand(), less its closing brace. */
#define V1JSON_QUEUED_CAND						\
	"{\"id\":\"v-1\",\"run\":\"r\",\"model\":null,"			\
	"\"task_id\":\"HumanEval/0\","					\
	"\"sample\":null,\"state\":\"queued\","				\
	"\"verdict\":null,\"passed\":null,"				\
	"\"tests\":null,\"cpu_ms\":null,"				\
	"\"wall_ms\":null,\"max_rss_kb\":null,"				\
	"\"stderr\":null,\"message\":null,"				\
	"\"oracle_error\":false,\"score\":null,"			\
	"\"greedy\":false,\"truncated\":false,"				\
	"\"cost\":null"

TEST(v1json_candidate_pending)
{
	struct store_candidate	 c = queued_cand();

	ASSERT_JSON(v1json_candidate(&c), V1JSON_QUEUED_CAND "}");
	store_candidate_free(&c);
	return TEST_PASS;
}

TEST(v1json_candidate_done)
{
	struct store_candidate	 c = queued_cand();

	snprintf(c.id, sizeof(c.id), "full");
	c.model = xstrdup("m1");
	c.meta.has_sample = true;
	c.meta.sample = 42;
	c.state = STORE_DONE;
	c.verdict = PROTO_VERDICT_PASSED;
	c.tests = xstrdup("[{\"name\":\"check\",\"status\":\"passed\","
	    "\"ms\":2}]");
	c.usage = (struct store_usage){ 21, 98, 15820 };
	c.stderr_text = xstrdup("");
	c.message = xstrdup("ok");
	c.meta.has_score = true;
	c.meta.score = -0.25;
	c.meta.greedy = true;
	c.meta.truncated = true;
	c.meta.cost_seconds = 1.5;
	c.meta.cost_tokens = 100;
	ASSERT_JSON(v1json_candidate(&c), "{\"id\":\"full\",\"run\":\"r\","
	    "\"model\":\"m1\",\"task_id\":\"HumanEval/0\",\"sample\":42,"
	    "\"state\":\"done\",\"verdict\":\"passed\",\"passed\":true,"
	    "\"tests\":[{\"name\":\"check\",\"status\":\"passed\",\"ms\":2}],"
	    "\"cpu_ms\":21,\"wall_ms\":98,\"max_rss_kb\":15820,"
	    "\"stderr\":\"\",\"message\":\"ok\",\"oracle_error\":false,"
	    "\"score\":-0.25,\"greedy\":true,\"truncated\":true,"
	    "\"cost\":{\"seconds\":1.5,\"tokens\":100}}");
	store_candidate_free(&c);
	return TEST_PASS;
}

TEST(v1json_reward_fields)
{
	struct store_candidate	 c = queued_cand();

	snprintf(c.id, sizeof(c.id), "w");
	ASSERT_JSON(v1json_reward(&c), "{\"id\":\"w\",\"task_id\":"
	    "\"HumanEval/0\",\"state\":\"queued\",\"verdict\":null,"
	    "\"passed\":null,\"tests_passed\":null,\"tests\":null}");
	c.state = STORE_DONE;
	c.verdict = PROTO_VERDICT_FAILED;
	c.tests = xstrdup("[{\"status\":\"passed\"},{\"status\":"
	    "\"failed\"},{\"status\":\"passed\"},{\"status\":"
	    "\"skipped\"}]");
	ASSERT_JSON(v1json_reward(&c), "{\"id\":\"w\",\"task_id\":"
	    "\"HumanEval/0\",\"state\":\"done\",\"verdict\":\"failed\","
	    "\"passed\":false,\"tests_passed\":0.5,\"tests\":4}");
	/* No tests (a syntax error, a script): 1 if it passed, else 0. */
	free(c.tests);
	c.tests = NULL;
	c.verdict = PROTO_VERDICT_PASSED;
	ASSERT_JSON(v1json_reward(&c), "{\"id\":\"w\",\"task_id\":"
	    "\"HumanEval/0\",\"state\":\"done\",\"verdict\":\"passed\","
	    "\"passed\":true,\"tests_passed\":1.0,\"tests\":0}");
	c.verdict = PROTO_VERDICT_SYNTAX_ERROR;
	ASSERT_JSON(v1json_reward(&c), "{\"id\":\"w\",\"task_id\":"
	    "\"HumanEval/0\",\"state\":\"done\",\"verdict\":"
	    "\"syntax_error\",\"passed\":false,\"tests_passed\":0.0,"
	    "\"tests\":0}");
	store_candidate_free(&c);
	return TEST_PASS;
}

TEST(v1json_candidate_odd)
{
	struct store_candidate	 c = queued_cand();
	json_t			*o;

	c.state = STORE_RUNNING;
	ASSERT_JSON(v1json_candidate(&c), "{\"id\":\"v-1\",\"run\":\"r\","
	    "\"model\":null,\"task_id\":\"HumanEval/0\",\"sample\":null,"
	    "\"state\":\"running\",\"verdict\":null,\"passed\":null,"
	    "\"tests\":null,\"cpu_ms\":null,\"wall_ms\":null,"
	    "\"max_rss_kb\":null,\"stderr\":null,\"message\":null,"
	    "\"oracle_error\":false,\"score\":null,\"greedy\":false,"
	    "\"truncated\":false,\"cost\":null}");

	c.state = STORE_DONE;
	c.verdict = PROTO_VERDICT_ERROR;
	c.oracle_error = true;
	c.tests = xstrdup("{\"not\":\"an array\"}");
	c.usage = (struct store_usage){ 0, 0, 0 };
	c.stderr_text = xstrdup("a\xff" "b");
	c.message = xstrdup("");
	c.meta.cost_tflops = 0;
	ASSERT_JSON(v1json_candidate(&c), "{\"id\":\"v-1\",\"run\":\"r\","
	    "\"model\":null,\"task_id\":\"HumanEval/0\",\"sample\":null,"
	    "\"state\":\"done\",\"verdict\":\"error\",\"passed\":false,"
	    "\"tests\":[],\"cpu_ms\":0,\"wall_ms\":0,\"max_rss_kb\":0,"
	    "\"stderr\":\"a\\\\xffb\",\"message\":\"\","
	    "\"oracle_error\":true,\"score\":null,\"greedy\":false,"
	    "\"truncated\":false,\"cost\":{\"tflops\":0.0}}");
	free(c.tests);
	c.tests = NULL;
	o = v1json_candidate(&c);
	ASSERT_JSON(json_incref(json_object_get(o, "tests")), "[]");
	json_decref(o);
	store_candidate_free(&c);
	return TEST_PASS;
}

TEST(v1json_run_figures)
{
	struct store_run	 r;

	memset(&r, 0, sizeof(r));
	r.name = xstrdup("cl7b");
	r.ranker = xstrdup("judge");
	r.created_ms = 1764107429123;
	r.problems = 2;
	r.running = 1;
	r.counts.pending = 2;
	r.counts.verdicts[PROTO_VERDICT_PASSED] = 2;
	r.counts.verdicts[PROTO_VERDICT_FAILED] = 1;
	r.counts.verdicts[PROTO_VERDICT_ERROR] = 1;
	r.counts.oracle_errors = 1;
	ASSERT_JSON(v1json_run(&r), "{\"run\":\"cl7b\",\"model\":null,"
	    "\"ranker\":\"judge\",\"created\":\"2025-11-25T21:50:29Z\","
	    "\"candidates\":6,\"problems\":2,\"queued\":1,\"running\":1,"
	    "\"done\":4,\"progress\":0.66666666666666663,"
	    "\"verdicts\":{\"passed\":2,\"failed\":1,\"error\":1,"
	    "\"syntax_error\":0,\"timeout\":0,\"memory_limit\":0,"
	    "\"output_limit\":0,\"forbidden\":0,\"internal\":0},"
	    "\"oracle_errors\":1}");
	store_run_free(&r);

	r.name = xstrdup("empty");
	r.model = xstrdup("m");
	ASSERT_JSON(v1json_run(&r), "{\"run\":\"empty\",\"model\":\"m\","
	    "\"ranker\":null,\"created\":\"1970-01-01T00:00:00Z\","
	    "\"candidates\":0,\"problems\":0,\"queued\":0,\"running\":0,"
	    "\"done\":0,\"progress\":0.0,"
	    "\"verdicts\":{\"passed\":0,\"failed\":0,\"error\":0,"
	    "\"syntax_error\":0,\"timeout\":0,\"memory_limit\":0,"
	    "\"output_limit\":0,\"forbidden\":0,\"internal\":0},"
	    "\"oracle_errors\":0}");
	store_run_free(&r);
	return TEST_PASS;
}

TEST(v1json_problem_figures)
{
	struct store_problem	*p = xcalloc(2, sizeof(*p));

	p[0].task_id = xstrdup("B");
	p[0].counts.verdicts[PROTO_VERDICT_PASSED] = 2;
	p[0].counts.verdicts[PROTO_VERDICT_FAILED] = 1;
	p[0].counts.verdicts[PROTO_VERDICT_INTERNAL] = 1;
	ASSERT_JSON(v1json_problem(&p[0]), "{\"task_id\":\"B\",\"n\":3,\"c\":2,"
	    "\"pass_rate\":66.666666666666671,\"pending\":0,"
	    "\"verdicts\":{\"passed\":2,\"failed\":1,\"error\":0,"
	    "\"syntax_error\":0,\"timeout\":0,\"memory_limit\":0,"
	    "\"output_limit\":0,\"forbidden\":0,\"internal\":1},"
	    "\"oracle_errors\":0}");

	p[1].task_id = xstrdup("A");
	p[1].counts.pending = 2;
	ASSERT_JSON(v1json_problem(&p[1]), "{\"task_id\":\"A\",\"n\":0,\"c\":0,"
	    "\"pass_rate\":null,\"pending\":2,"
	    "\"verdicts\":{\"passed\":0,\"failed\":0,\"error\":0,"
	    "\"syntax_error\":0,\"timeout\":0,\"memory_limit\":0,"
	    "\"output_limit\":0,\"forbidden\":0,\"internal\":0},"
	    "\"oracle_errors\":0}");
	store_problems_free(p, 2);
	return TEST_PASS;
}

TEST(v1json_verdict_line)
{
	struct store_verdict	 v;

	memset(&v, 0, sizeof(v));
	snprintf(v.id, sizeof(v.id), "v-4");
	v.row = 4;
	v.task_id = "T/1";
	v.verdict = PROTO_VERDICT_FAILED;
	v.meta.has_sample = true;
	v.meta.sample = 3;
	v.meta.cost_seconds = v.meta.cost_tflops = -1;
	v.meta.cost_tokens = -1;
	v.usage = (struct store_usage){ 5, 6, 7 };
	ASSERT_JSON(v1json_verdict(&v, 0), "{\"id\":\"v-4\",\"task_id\":\"T/1\","
	    "\"sample\":3,\"verdict\":\"failed\",\"passed\":false,"
	    "\"score\":null,\"greedy\":false,\"truncated\":false,"
	    "\"cost\":null,\"cpu_ms\":5,\"wall_ms\":6,\"max_rss_kb\":7}");

	v.verdict = PROTO_VERDICT_PASSED;
	v.meta.has_score = true;
	v.meta.score = 0.5;
	v.meta.greedy = true;
	v.meta.cost_seconds = 2;
	v.meta.cost_tflops = 0.25;
	v.meta.cost_tokens = 30;
	ASSERT_JSON(v1json_verdict(&v, 0), "{\"id\":\"v-4\",\"task_id\":\"T/1\","
	    "\"sample\":3,\"verdict\":\"passed\",\"passed\":true,"
	    "\"score\":0.5,\"greedy\":true,\"truncated\":false,"
	    "\"cost\":{\"seconds\":2.0,\"tflops\":0.25,\"tokens\":30},"
	    "\"cpu_ms\":5,\"wall_ms\":6,\"max_rss_kb\":7}");

	/* ?fields=: the job's message, tests and stderr, in that order. */
	v.message = "t1 failed";
	v.tests = "[{\"name\":\"t1\",\"status\":\"failed\"}]";
	v.stderr_text = "oops";
	ASSERT_JSON(v1json_verdict(&v, V1JSON_STDERR | V1JSON_MESSAGE |
	    V1JSON_TESTS), "{\"id\":\"v-4\",\"task_id\":\"T/1\","
	    "\"sample\":3,\"verdict\":\"passed\",\"passed\":true,"
	    "\"score\":0.5,\"greedy\":true,\"truncated\":false,"
	    "\"cost\":{\"seconds\":2.0,\"tflops\":0.25,\"tokens\":30},"
	    "\"cpu_ms\":5,\"wall_ms\":6,\"max_rss_kb\":7,"
	    "\"message\":\"t1 failed\",\"tests\":[{\"name\":\"t1\","
	    "\"status\":\"failed\"}],\"stderr\":\"oops\"}");
	ASSERT_JSON(v1json_verdict(&v, V1JSON_MESSAGE), "{\"id\":\"v-4\","
	    "\"task_id\":\"T/1\",\"sample\":3,\"verdict\":\"passed\","
	    "\"passed\":true,\"score\":0.5,\"greedy\":true,"
	    "\"truncated\":false,\"cost\":{\"seconds\":2.0,\"tflops\":"
	    "0.25,\"tokens\":30},\"cpu_ms\":5,\"wall_ms\":6,"
	    "\"max_rss_kb\":7,\"message\":\"t1 failed\"}");
	return TEST_PASS;
}

TEST(v1json_sanitized)
{
	struct store_candidate	 c = queued_cand();
	struct store_verdict	 v;

	c.original = xstrdup("```python\nx\n```");
	ASSERT_JSON(v1json_candidate(&c), V1JSON_QUEUED_CAND ",\"sanitized\":"
	    "true,\"original\":\"```python\\nx\\n```\"}");
	ASSERT_JSON(v1json_reward(&c), "{\"id\":\"v-1\",\"task_id\":"
	    "\"HumanEval/0\",\"state\":\"queued\",\"verdict\":null,"
	    "\"passed\":null,\"sanitized\":true,\"tests_passed\":null,"
	    "\"tests\":null}");
	store_candidate_free(&c);

	memset(&v, 0, sizeof(v));
	snprintf(v.id, sizeof(v.id), "v-4");
	v.task_id = "T/1";
	v.verdict = PROTO_VERDICT_PASSED;
	v.meta.cost_seconds = v.meta.cost_tflops = -1;
	v.meta.cost_tokens = -1;
	v.usage = (struct store_usage){ 5, 6, 7 };
	v.sanitized = true;
	v.original = "raw";
	ASSERT_JSON(v1json_verdict(&v, 0), "{\"id\":\"v-4\",\"task_id\":"
	    "\"T/1\",\"sample\":null,\"verdict\":\"passed\",\"passed\":true,"
	    "\"score\":null,\"greedy\":false,\"truncated\":false,"
	    "\"cost\":null,\"cpu_ms\":5,\"wall_ms\":6,\"max_rss_kb\":7,"
	    "\"sanitized\":true}");
	ASSERT_JSON(v1json_verdict(&v, V1JSON_ORIGINAL | V1JSON_MESSAGE),
	    "{\"id\":\"v-4\",\"task_id\":\"T/1\",\"sample\":null,"
	    "\"verdict\":\"passed\",\"passed\":true,\"score\":null,"
	    "\"greedy\":false,\"truncated\":false,\"cost\":null,"
	    "\"cpu_ms\":5,\"wall_ms\":6,\"max_rss_kb\":7,\"message\":null,"
	    "\"sanitized\":true,\"original\":\"raw\"}");
	return TEST_PASS;
}
