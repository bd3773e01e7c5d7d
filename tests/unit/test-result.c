/*
 * test-result.c - the jail's result record, typed (sandbox/result.c).
 *
 *   result_parses_record   every key of a record the zygote writes lands
 *                          in its field; the tests come back as JSON
 *                          with the same names, statuses and messages
 *   result_defaults        missing keys take their defaults
 *   result_refuses_types   a key of the wrong type, or a verdict or test
 *                          status that is not one, is -EINVAL naming
 *                          the key (never a silent zero)
 *   result_cost            each key of "cost" lands in its slot, by its
 *                          name; an absent one (or no "cost") is -1; a
 *                          "cost" that is no object, or a key in it
 *                          that is no integer, is -EINVAL naming it
 */
#include <errno.h>
#include <jansson.h>

#include "sandbox/result.h"
#include "tests/unit/test.h"

static json_t *
result_test_json(const char *text)
{
	json_t		*o;
	json_error_t	 e;

	if ((o = json_loads(text, 0, &e)) == NULL)
		TEST_FAIL_AT("bad test JSON: %s", e.text);
	return o;
}

TEST(result_parses_record)
{
	struct sandbox_result r;
	json_t		*rec, *tests, *t;
	char		 err[256];

	rec = result_test_json("{\"job\": \"7\", \"verdict\": \"timeout\", "
	    "\"tests\": [{\"status\": \"passed\", \"name\": \"a\", \"ms\": 3},"
	    " {\"name\": \"b\", \"status\": \"timeout\", \"ms\": 2001, "
	    "\"message\": \"time limit\", \"marginal\": true}, "
	    "{\"name\": \"c\", \"status\": \"not_run\"}], "
	    "\"cpu_ms\": 2203, \"wall_ms\": 2271, \"max_rss_kb\": 15096, "
	    "\"exit\": null, \"signal\": 9, \"stderr\": \"out\", "
	    "\"message\": \"m\", \"jail_rss_kb\": 23000, \"jail_fds\": 9, "
	    "\"forker_fds\": 6, \"rechecked\": true, \"oracle_error\": false, "
	    "\"expected\": \"{\\\"out\\\": []}\"}");
	ASSERT_OK(sandbox_result_parse(rec, &r, err, sizeof(err)));
	json_decref(rec);
	ASSERT_EQ(r.verdict, PROTO_VERDICT_TIMEOUT);
	ASSERT_EQ(r.cpu_ms, 2203);
	ASSERT_EQ(r.wall_ms, 2271);
	ASSERT_EQ(r.max_rss_kb, 15096);
	ASSERT_STR_EQ(r.stderr_text, "out");
	ASSERT_STR_EQ(r.message, "m");
	ASSERT_EQ(r.jail_rss_kb, 23000);
	ASSERT_EQ(r.jail_fds, 9);
	ASSERT_EQ(r.forker_fds, 6);
	ASSERT_STR_EQ(r.expected, "{\"out\": []}");
	ASSERT(r.rechecked);
	ASSERT(!r.oracle_error);
	ASSERT_EQ(r.ntests, 3);
	ASSERT_EQ(r.tests[2].status, SANDBOX_NOT_RUN);

	ASSERT_NOT_NULL(tests = sandbox_result_tests_json(&r));
	ASSERT_EQ(json_array_size(tests), 3);
	t = json_array_get(tests, 1);
	ASSERT_STR_EQ(json_string_value(json_object_get(t, "name")), "b");
	ASSERT_STR_EQ(json_string_value(json_object_get(t, "status")),
	    "timeout");
	ASSERT_EQ(json_integer_value(json_object_get(t, "ms")), 2001);
	ASSERT_STR_EQ(json_string_value(json_object_get(t, "message")),
	    "time limit");
	ASSERT_NULL(json_object_get(t, "marginal"));
	ASSERT_NULL(json_object_get(json_array_get(tests, 0), "message"));
	ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(tests,
	    2), "status")), "not_run");
	json_decref(tests);
	sandbox_result_free(&r);
	ASSERT_NULL(r.tests);
	return TEST_PASS;
}

TEST(result_defaults)
{
	struct sandbox_result r;
	json_t		*rec, *tests;
	char		 err[256];

	rec = result_test_json("{\"verdict\": \"error\"}");
	ASSERT_OK(sandbox_result_parse(rec, &r, err, sizeof(err)));
	json_decref(rec);
	ASSERT_EQ(r.verdict, PROTO_VERDICT_ERROR);
	ASSERT_EQ(r.ntests, 0);
	ASSERT_EQ(r.cpu_ms, 0);
	ASSERT_STR_EQ(r.stderr_text, "");
	ASSERT_STR_EQ(r.message, "");
	ASSERT_EQ(r.jail_fds, -1);
	ASSERT_EQ(r.forker_fds, -1);
	ASSERT_NULL(r.expected);
	ASSERT(!r.oracle_error && !r.rechecked);
	ASSERT_NOT_NULL(tests = sandbox_result_tests_json(&r));
	ASSERT_EQ(json_array_size(tests), 0);
	json_decref(tests);
	sandbox_result_free(&r);

	sandbox_result_make(&r, PROTO_VERDICT_INTERNAL, "why");
	ASSERT_EQ(r.verdict, PROTO_VERDICT_INTERNAL);
	ASSERT_STR_EQ(r.message, "why");
	sandbox_result_free(&r);
	return TEST_PASS;
}

TEST(result_refuses_types)
{
	static const struct {
		const char	*rec;
		const char	*key;
	} bad[] = {
		{ "{}", "\"verdict\"" },
		{ "{\"verdict\": \"nope\"}", "\"verdict\"" },
		{ "{\"verdict\": 3}", "\"verdict\"" },
		{ "{\"verdict\": \"passed\", \"cpu_ms\": \"12\"}", "\"cpu_ms\"" },
		{ "{\"verdict\": \"passed\", \"wall_ms\": 1.5}", "\"wall_ms\"" },
		{ "{\"verdict\": \"passed\", \"stderr\": 1}", "\"stderr\"" },
		{ "{\"verdict\": \"passed\", \"tests\": {}}", "\"tests\"" },
		{ "{\"verdict\": \"passed\", \"tests\": [1]}", "\"tests\"" },
		{ "{\"verdict\": \"passed\", \"tests\": [{\"status\": \"ok\"}]}",
		  "\"tests[].status\"" },
		{ "{\"verdict\": \"passed\", \"tests\": [{\"status\": "
		  "\"passed\", \"ms\": \"3\"}]}", "\"ms\"" },
		{ "{\"verdict\": \"passed\", \"oracle_error\": 1}",
		  "\"oracle_error\"" },
		{ "{\"verdict\": \"passed\", \"expected\": [3]}",
		  "\"expected\"" },
		{ "{\"verdict\": \"passed\", \"cost\": [1]}", "\"cost\"" },
		{ "{\"verdict\": \"passed\", \"cost\": {\"judge_nvcsw\": "
		  "\"3\"}}", "\"cost.judge_nvcsw\"" },
		{ "{\"verdict\": \"passed\", \"cost\": {\"cand_minflt\": "
		  "2.5}}", "\"cost.cand_minflt\"" },
	};
	struct sandbox_result r;
	json_t		*rec;
	char		 err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rec = result_test_json(bad[i].rec);
		err[0] = '\0';
		ASSERT_ERR(sandbox_result_parse(rec, &r, err, sizeof(err)),
		    -EINVAL);
		ASSERT_CONTAINS(err, bad[i].key);
		ASSERT_NULL(r.tests);
		ASSERT_NULL(r.message);
		json_decref(rec);
	}
	return TEST_PASS;
}

TEST(result_cost)
{
	struct sandbox_result r;
	json_t		*rec, *cost;
	char		 err[256];

	/* Every kind, each with its own value (its index plus 100). */
	cost = json_object();
	for (int k = 0; k < SANDBOX_COST_COUNT; k++)
		json_object_set_new(cost, sandbox_cost_key(k),
		    json_integer(100 + k));
	rec = result_test_json("{\"verdict\": \"passed\"}");
	json_object_set_new(rec, "cost", cost);
	ASSERT_OK(sandbox_result_parse(rec, &r, err, sizeof(err)));
	json_decref(rec);
	for (int k = 0; k < SANDBOX_COST_COUNT; k++)
		ASSERT_EQ(r.cost[k], 100 + k);
	sandbox_result_free(&r);

	/* By name, as the zygote writes them; the rest stay -1. */
	rec = result_test_json("{\"verdict\": \"passed\", \"cost\": "
	    "{\"cand_minflt\": 531, \"cand_nivcsw\": 8, \"cand_cpu_us\": "
	    "3080, \"forker_minflt\": 146, \"zygote_nvcsw\": 4, "
	    "\"judge_cpu_us\": 890, \"judge_majflt\": 0, "
	    "\"forker_cpu_us\": null, \"unknown\": \"x\"}}");
	ASSERT_OK(sandbox_result_parse(rec, &r, err, sizeof(err)));
	json_decref(rec);
	ASSERT_EQ(r.cost[SANDBOX_COST_CAND_MINFLT], 531);
	ASSERT_EQ(r.cost[SANDBOX_COST_CAND_NIVCSW], 8);
	ASSERT_EQ(r.cost[SANDBOX_COST_CAND_CPU_US], 3080);
	ASSERT_EQ(r.cost[SANDBOX_COST_FORKER_MINFLT], 146);
	ASSERT_EQ(r.cost[SANDBOX_COST_ZYGOTE_NVCSW], 4);
	ASSERT_EQ(r.cost[SANDBOX_COST_JUDGE_CPU_US], 890);
	ASSERT_EQ(r.cost[SANDBOX_COST_JUDGE_MAJFLT], 0);
	ASSERT_EQ(r.cost[SANDBOX_COST_FORKER_CPU_US], -1);
	ASSERT_EQ(r.cost[SANDBOX_COST_CAND_MAJFLT], -1);
	ASSERT_EQ(r.cost[SANDBOX_COST_ZYGOTE_CPU_US], -1);
	ASSERT_STR_EQ(sandbox_cost_key(SANDBOX_COST_ZYGOTE_NIVCSW),
	    "zygote_nivcsw");
	sandbox_result_free(&r);

	/* No "cost" at all, parsed or made: all -1. */
	rec = result_test_json("{\"verdict\": \"failed\"}");
	ASSERT_OK(sandbox_result_parse(rec, &r, err, sizeof(err)));
	json_decref(rec);
	for (int k = 0; k < SANDBOX_COST_COUNT; k++)
		ASSERT_EQ(r.cost[k], -1);
	sandbox_result_free(&r);
	sandbox_result_make(&r, PROTO_VERDICT_INTERNAL, NULL);
	for (int k = 0; k < SANDBOX_COST_COUNT; k++)
		ASSERT_EQ(r.cost[k], -1);
	sandbox_result_free(&r);
	return TEST_PASS;
}
