/*
 * test-problemset.c - loading benchmark files (daemon/problemset*.c).
 *
 *   problemset_humaneval           164 problems in file order; HumanEval/0
 *                                  is a script spec: setup = prompt + "\n"
 *                                  + test + "\n", entry
 *                                  ["has_close_elements"], one test
 *                                  "check(has_close_elements)\n"; empty
 *                                  suffix, canonical kept
 *   problemset_mbpp_split          mbpp.jsonl: 500 problems Mbpp/11..510
 *                                  by default, 974 with mbpp_all; Mbpp/367
 *                                  has its setup code in setup and suffix;
 *                                  asserts are tests "test_list[i]";
 *                                  mbpp_challenge adds the
 *                                  "challenge_test_list[i]" ones
 *   problemset_sanitized_mbpp      the one-array file: 257 in the test
 *                                  split (427 with mbpp_all); test_imports
 *                                  become setup and suffix
 *   problemset_apps                150 problems: 138 stdio, 12 call; a call
 *                                  problem has fn, cls "Solution" and
 *                                  argument arrays; all have a canonical
 *   problemset_apps_shapes         APPS inputs and outputs given as lists
 *                                  of lines are joined with "\n"; empty
 *                                  solutions give no canonical; cls is
 *                                  null without "class Solution";
 *                                  mismatched or missing tests fail
 *   problemset_humaneval_plus_orig HumanEval+ OriginFmt: 164 "humaneval+"
 *                                  script problems, in dataset
 *                                  "humaneval+" ("humaneval+:HumanEval/0")
 *   problemset_mbpp_plus_orig      MBPP+ OriginFmt: 378 "mbpp+" problems,
 *                                  ids outside the test split included,
 *                                  one test "test"
 *   problemset_humaneval_plus_in   HumanEvalPlus.jsonl: 164 reference specs,
 *                                  124,253 argument lists in all (the
 *                                  base inputs first, counted), huge
 *                                  integers tagged {"$pyjson": ...}
 *   problemset_mbpp_plus_in        MbppPlus.jsonl: 378 reference specs with
 *                                  "mbpp_deserialize"; Mbpp/793's {}
 *                                  plus_input; Mbpp/404's infinities
 *   problemset_bad_files           missing file (-ENOENT), truncated gzip
 *                                  (-EIO), and -EINVAL with FILE:LINE for
 *                                  bad JSON on line 3, a NUL byte,
 *                                  invalid UTF-8, a field of the wrong
 *                                  type, a missing field, an unknown
 *                                  shape (listing its fields), a duplicate
 *                                  task_id, an empty file, no problem in
 *                                  the MBPP test split, no tests; nothing
 *                                  is returned
 *   problemset_load_mem            HumanEval.jsonl.gz from memory gives
 *                                  the file's problems; bad input from
 *                                  memory gives the file's errors with
 *                                  "body" for the file name (bad JSON,
 *                                  a field of the wrong type, an unknown
 *                                  shape, an empty body, cut gzip data)
 *   problemset_long_line           a HumanEval record with a 10 MB test
 *                                  loads
 *   problemset_datasets            a file's problems are in its dataset:
 *                                  ids kept for the base benchmarks'
 *                                  names, "NAME:ID" for others; a
 *                                  sample's task_id and dataset resolve to
 *                                  its problem, unique or refused naming
 *                                  two datasets, an unknown dataset or
 *                                  task_id; dataset names checked; the
 *                                  same problem loaded twice compares
 *                                  equal, a changed one not
 *   problemset_merge_sets          HumanEval + MBPP merge to 664 problems,
 *                                  all findable; merging a set with a
 *                                  shared id is -EEXIST and leaves the
 *                                  destination as it was
 *   problemset_find_many           200,000 lookups (hits and misses) over
 *                                  HumanEval+MBPP+APPS, under a second
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "tests/unit/test.h"
#include "common/xmalloc.h"
#include "daemon/problemset.h"

/* Load path with opts, asserting success. */
static struct problemset *
load_ok(const char *path, const struct problemset_opts *opts)
{
	struct problemset	*ps;
	char			 err[1024] = "";
	int			 r;

	r = problemset_load(path, opts, &ps, err, sizeof(err));
	if (r != 0)
		TEST_FAIL_AT("load %s: %d: %s", path, r, err);
	ASSERT_NOT_NULL(ps);
	return ps;
}

/* Find task_id, asserting it is there. */
static const struct problem *
find_ok(const struct problemset *ps, const char *task_id)
{
	const struct problem	*p = problemset_find(ps, task_id);

	if (p == NULL)
		TEST_FAIL_AT("task_id %s not found", task_id);
	ASSERT_STR_EQ(p->task_id, task_id);
	return p;
}

/* String member "key" of JSON object o (NULL if absent). */
static const char *
member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The i-th test of a problem's spec. */
static json_t *
spec_test(const struct problem *p, size_t i)
{
	return json_array_get(json_object_get(p->judge, "tests"), i);
}

/* Sum of ntests over the set, checked against each spec. */
static unsigned long
total_tests(const struct problemset *ps)
{
	unsigned long	 n = 0;

	for (size_t i = 0; i < problemset_count(ps); i++) {
		const struct problem	*p = problemset_at(ps, i);

		ASSERT_EQ(p->ntests,
		    json_array_size(json_object_get(p->judge, "tests")));
		ASSERT(p->ntests > 0);
		n += p->ntests;
	}
	return n;
}

TEST(problemset_humaneval)
{
	struct problemset	*ps;
	const struct problem	*p;
	const char		*path;
	json_t			*t, *entry;
	char			*setup;

	DATA_OR_SKIP(path, "humaneval/HumanEval.jsonl.gz");
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 164);
	ASSERT_STR_EQ(problemset_at(ps, 0)->task_id, "HumanEval/0");
	ASSERT_STR_EQ(problemset_at(ps, 163)->task_id, "HumanEval/163");
	ASSERT_NULL(problemset_at(ps, 164));
	ASSERT_NULL(problemset_find(ps, "HumanEval/164"));
	ASSERT_NULL(problemset_find(ps, "humaneval/0"));
	ASSERT_EQ(total_tests(ps), 164);

	p = find_ok(ps, "HumanEval/0");
	ASSERT(p == problemset_at(ps, 0));
	ASSERT_STR_EQ(bench_get(p->bench)->name, "humaneval");
	ASSERT(strncmp(p->prompt, "from typing import List\n", 24) == 0);
	ASSERT_STR_EQ(p->suffix, "");
	ASSERT_NOT_NULL(p->canonical);
	ASSERT(strncmp(p->canonical, "    for idx, elem in", 20) == 0);
	ASSERT_EQ(p->ntests, 1);
	ASSERT_STR_EQ(member(p->judge, "mode"), "script");
	entry = json_object_get(p->judge, "entry");
	ASSERT_EQ(json_array_size(entry), 1);
	ASSERT_STR_EQ(json_string_value(json_array_get(entry, 0)),
	    "has_close_elements");
	t = spec_test(p, 0);
	ASSERT_STR_EQ(member(t, "name"), "check");
	ASSERT_STR_EQ(member(t, "code"), "check(has_close_elements)\n");
	setup = xstrdup(member(p->judge, "setup"));
	ASSERT(strncmp(setup, p->prompt, strlen(p->prompt)) == 0);
	ASSERT_CONTAINS(setup + strlen(p->prompt), "\ndef check(candidate):");
	ASSERT(setup[strlen(setup) - 1] == '\n');
	free(setup);

	p = find_ok(ps, "HumanEval/163");
	ASSERT_STR_EQ(member(spec_test(p, 0), "code"),
	    "check(generate_integers)\n");
	problemset_free(ps);
	problemset_free(NULL);
	return TEST_PASS;
}

TEST(problemset_mbpp_split)
{
	struct problemset_opts	 opts;
	struct problemset	*ps;
	const struct problem	*p;
	const char		*path;
	unsigned long		 base, chal;

	DATA_OR_SKIP(path, "mbpp/mbpp.jsonl.gz");
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 500);
	ASSERT_STR_EQ(problemset_at(ps, 0)->task_id, "Mbpp/11");
	ASSERT_STR_EQ(problemset_at(ps, 499)->task_id, "Mbpp/510");
	ASSERT_NULL(problemset_find(ps, "Mbpp/10"));
	ASSERT_NULL(problemset_find(ps, "Mbpp/511"));
	base = total_tests(ps);
	ASSERT_EQ(base, 1500);

	p = find_ok(ps, "Mbpp/11");
	ASSERT_STR_EQ(bench_get(p->bench)->name, "mbpp");
	ASSERT_STR_EQ(p->prompt, "");
	ASSERT_STR_EQ(p->suffix, "");
	ASSERT_NOT_NULL(p->canonical);
	ASSERT_STR_EQ(member(p->judge, "mode"), "script");
	ASSERT_STR_EQ(member(p->judge, "setup"), "");
	/* The entries are what the reference code defines and the tests
	 * call: remove_Occ, even where a builtin has the name (sum). */
	ASSERT_EQ(json_array_size(json_object_get(p->judge, "entry")), 1);
	ASSERT_STR_EQ(json_string_value(json_array_get(json_object_get(
	    p->judge, "entry"), 0)), "remove_Occ");
	ASSERT_STR_EQ(json_string_value(json_array_get(json_object_get(
	    find_ok(ps, "Mbpp/126")->judge, "entry"), 0)), "sum");
	ASSERT_EQ(p->ntests, 3);
	ASSERT_STR_EQ(member(spec_test(p, 2), "name"), "test_list[2]");
	ASSERT(strncmp(member(spec_test(p, 0), "code"), "assert ", 7) == 0);

	p = find_ok(ps, "Mbpp/367");
	ASSERT_CONTAINS(member(p->judge, "setup"), "root = Node(1)");
	ASSERT(p->suffix[0] == '\n');
	ASSERT_CONTAINS(p->suffix, member(p->judge, "setup"));
	ASSERT_CONTAINS(p->canonical, "class Node");
	problemset_free(ps);

	memset(&opts, 0, sizeof(opts));
	opts.mbpp_all = true;
	ps = load_ok(path, &opts);
	ASSERT_EQ(problemset_count(ps), 974);
	find_ok(ps, "Mbpp/1");
	find_ok(ps, "Mbpp/974");
	problemset_free(ps);

	memset(&opts, 0, sizeof(opts));
	opts.mbpp_challenge = true;
	ps = load_ok(path, &opts);
	ASSERT_EQ(problemset_count(ps), 500);
	chal = total_tests(ps);
	ASSERT(chal > base);
	for (size_t i = 0; i < problemset_count(ps); i++) {
		p = problemset_at(ps, i);
		if (p->ntests > 3)
			ASSERT_STR_EQ(member(spec_test(p, 3), "name"),
			    "challenge_test_list[0]");
	}
	problemset_free(ps);
	return TEST_PASS;
}

TEST(problemset_sanitized_mbpp)
{
	struct problemset_opts	 opts;
	struct problemset	*ps;
	const struct problem	*p;
	const char		*path, *setup;
	int			 with_imports = 0;

	DATA_OR_SKIP(path, "mbpp/sanitized-mbpp.json.gz");
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 257);
	ASSERT_NULL(problemset_find(ps, "Mbpp/2"));
	for (size_t i = 0; i < problemset_count(ps); i++) {
		p = problemset_at(ps, i);
		ASSERT_STR_EQ(bench_get(p->bench)->name, "mbpp");
		ASSERT_STR_EQ(p->prompt, "");
		ASSERT_NOT_NULL(p->canonical);
		setup = member(p->judge, "setup");
		if (*setup == '\0') {
			ASSERT_STR_EQ(p->suffix, "");
			continue;
		}
		with_imports++;
		ASSERT_CONTAINS(setup, "import math");
		ASSERT(p->suffix[0] == '\n');
		ASSERT_CONTAINS(p->suffix, setup);
	}
	ASSERT(with_imports > 0);
	problemset_free(ps);

	memset(&opts, 0, sizeof(opts));
	opts.mbpp_all = true;
	ps = load_ok(path, &opts);
	ASSERT_EQ(problemset_count(ps), 427);
	find_ok(ps, "Mbpp/2");
	problemset_free(ps);
	return TEST_PASS;
}

TEST(problemset_apps)
{
	struct problemset	*ps;
	const struct problem	*p;
	const char		*path, *mode;
	json_t			*t;
	int			 nstdio = 0, ncall = 0;

	DATA_OR_SKIP(path, "apps/apps_train_minival150_codechain.jsonl.gz");
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 150);
	ASSERT_EQ(total_tests(ps), 959);
	for (size_t i = 0; i < problemset_count(ps); i++) {
		p = problemset_at(ps, i);
		ASSERT_STR_EQ(bench_get(p->bench)->name, "apps");
		/* The APPS harness's import header, which LeetCode
		 * solutions rely on for List. */
		ASSERT(strncmp(p->prompt, "import sys\n", 11) == 0);
		ASSERT(strstr(p->prompt, "from typing import List") != NULL);
		ASSERT_STR_EQ(p->suffix, "");
		ASSERT_NOT_NULL(p->canonical);
		mode = member(p->judge, "mode");
		t = spec_test(p, 0);
		if (strcmp(mode, "stdio") == 0) {
			nstdio++;
			ASSERT(json_is_string(json_object_get(t, "input")));
			ASSERT(json_is_string(json_object_get(t, "output")));
		} else {
			ASSERT_STR_EQ(mode, "call");
			ncall++;
			ASSERT(json_is_array(json_object_get(t, "args")));
			ASSERT_NOT_NULL(json_object_get(t, "output"));
		}
	}
	ASSERT_EQ(nstdio, 138);
	ASSERT_EQ(ncall, 12);

	p = find_ok(ps, "APPS/2405");
	ASSERT_STR_EQ(member(p->judge, "mode"), "call");
	ASSERT_STR_EQ(member(p->judge, "fn"), "robotSim");
	ASSERT_STR_EQ(member(p->judge, "cls"), "Solution");
	t = spec_test(p, 0);
	ASSERT_EQ(json_array_size(json_object_get(t, "args")), 2);
	ASSERT_EQ(json_integer_value(json_object_get(t, "output")), 25);
	p = find_ok(ps, "APPS/2361");
	ASSERT_STR_EQ(member(p->judge, "mode"), "stdio");
	ASSERT_STR_EQ(member(spec_test(p, 0), "input"),
	    "6\n1\n2\n3\n4\n5\n6\n");
	problemset_free(ps);
	return TEST_PASS;
}

/* An APPS record as one JSON line with the given field texts. */
static char *
apps_line(int id, const char *solutions, const char *io, const char *starter)
{
	json_t	*o;
	char	*s, *line;

	ASSERT_NOT_NULL(o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "problem_id", id, "question", "q", "solutions", solutions,
	    "input_output", io, "difficulty", "introductory", "url", "u",
	    "starter_code", starter));
	ASSERT_NOT_NULL(s = json_dumps(o, JSON_COMPACT));
	line = xasprintf("%s\n", s);
	free(s);
	json_decref(o);
	return line;
}

TEST(problemset_apps_shapes)
{
	static const struct {
		const char	*io;
		const char	*want;
	} bad[] = {
		{ "{\"inputs\": [\"1\"], \"outputs\": []}",
		  ":1: input_output has 1 inputs but 0 outputs" },
		{ "{\"inputs\": [], \"outputs\": []}",
		  ":1: input_output has no tests" },
		{ "", ":1: input_output has no tests" },
		{ "{\"inputs\": [1], \"outputs\": [\"1\"]}",
		  ":1: input_output: test 0: input and output must be" },
		{ "{\"inputs\": [\"1\"], \"outputs\": [\"1\"], \"fn_name\": 3}",
		  ":1: input_output: 'fn_name' must be a non-empty string" },
		{ "{\"inputs\": [1], \"outputs\": [1], \"fn_name\": \"f\"}",
		  ":1: input_output: inputs[0] must be an array of arguments" },
		{ "{\"inputs\": [\"1\"]", ":1: field 'input_output': line 1" },
	};
	struct problemset	*ps;
	const struct problem	*p;
	char			 dir[64], err[1024], *line, *line2, *path, *text;
	char			*want;
	json_t			*t;

	test_tmp_dir(dir, sizeof(dir));
	line = apps_line(7, "", "{\"inputs\": [[\"1 2\", \"3\"], \"x\"], "
	    "\"outputs\": [[\"a\", \"b\"], \"y\\n\"]}", "");
	line2 = apps_line(8, "[]", "{\"inputs\": [[1, [2]]], \"outputs\": "
	    "[[3]], \"fn_name\": \"f\"}", "def f(a, b):\n");
	text = xasprintf("%s%s", line, line2);
	free(line);
	free(line2);
	path = test_tmp_file(dir, "apps.jsonl", text, strlen(text));
	free(text);
	ps = load_ok(path, NULL);
	free(path);
	ASSERT_EQ(problemset_count(ps), 2);
	p = find_ok(ps, "APPS/7");
	ASSERT_NULL(p->canonical);
	ASSERT_EQ(p->ntests, 2);
	ASSERT_STR_EQ(member(spec_test(p, 0), "input"), "1 2\n3");
	ASSERT_STR_EQ(member(spec_test(p, 0), "output"), "a\nb");
	ASSERT_STR_EQ(member(spec_test(p, 1), "input"), "x");
	ASSERT_STR_EQ(member(spec_test(p, 1), "output"), "y\n");
	p = find_ok(ps, "APPS/8");
	ASSERT_NULL(p->canonical);
	ASSERT(json_is_null(json_object_get(p->judge, "cls")));
	t = spec_test(p, 0);
	ASSERT_EQ(json_array_size(json_object_get(t, "args")), 2);
	ASSERT(json_is_array(json_object_get(t, "output")));
	problemset_free(ps);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		line = apps_line(9, "[\"print(1)\"]", bad[i].io, "");
		path = test_tmp_file(dir, "bad.jsonl", line, strlen(line));
		free(line);
		ps = (struct problemset *)(void *)&ps;
		ASSERT_ERR(problemset_load(path, NULL, &ps, err, sizeof(err)),
		    -EINVAL);
		ASSERT_NULL(ps);
		want = xasprintf("%s%s", path, bad[i].want);
		ASSERT_CONTAINS(err, want);
		free(want);
		free(path);
	}
	line = apps_line(9, "[1]", "{\"inputs\": [\"1\"], \"outputs\": "
	    "[\"1\"]}", "");
	path = test_tmp_file(dir, "bad.jsonl", line, strlen(line));
	free(line);
	ASSERT_ERR(problemset_load(path, NULL, &ps, err, sizeof(err)),
	    -EINVAL);
	ASSERT_CONTAINS(err, ":1: field 'solutions' must hold a JSON list");
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(problemset_humaneval_plus_orig)
{
	struct problemset	*ps;
	const struct problem	*p;
	const char		*path;

	DATA_OR_SKIP(path, "evalplus/HumanEvalPlus-OriginFmt.jsonl.gz");
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 164);
	for (size_t i = 0; i < problemset_count(ps); i++) {
		p = problemset_at(ps, i);
		ASSERT_STR_EQ(bench_get(p->bench)->name, "humaneval+");
		ASSERT_STR_EQ(member(p->judge, "mode"), "script");
		ASSERT_EQ(p->ntests, 1);
	}
	p = find_ok(ps, "humaneval+:HumanEval/0");
	ASSERT_STR_EQ(p->dataset, "humaneval+");
	ASSERT_EQ(p->nbase, 0);		/* one script: no split */
	ASSERT_STR_EQ(member(spec_test(p, 0), "code"),
	    "check(has_close_elements)\n");
	problemset_free(ps);
	return TEST_PASS;
}

TEST(problemset_mbpp_plus_orig)
{
	struct problemset	*ps;
	const struct problem	*p;
	const char		*path;

	DATA_OR_SKIP(path, "evalplus/MbppPlus-OriginFmt.jsonl.gz");
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 378);
	p = find_ok(ps, "mbpp+:Mbpp/2");	/* outside 11..510: kept */
	ASSERT_STR_EQ(bench_get(p->bench)->name, "mbpp+");
	ASSERT_STR_EQ(p->prompt, "");
	ASSERT_EQ(p->ntests, 1);
	ASSERT_STR_EQ(member(spec_test(p, 0), "name"), "test");
	ASSERT_CONTAINS(member(spec_test(p, 0), "code"), "similar_elements");
	find_ok(ps, "mbpp+:Mbpp/809");
	problemset_free(ps);
	return TEST_PASS;
}

TEST(problemset_humaneval_plus_in)
{
	struct problemset	*ps;
	const struct problem	*p;
	const char		*path, *ref;
	json_t			*args;
	char			*dump;

	DATA_OR_SKIP(path, "evalplus/HumanEvalPlus.jsonl.gz");
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 164);
	ASSERT_EQ(total_tests(ps), 124253);
	p = find_ok(ps, "humaneval+:HumanEval/0");
	ASSERT_STR_EQ(bench_get(p->bench)->name, "humaneval+");
	ASSERT_EQ(p->nbase, 7);			/* then 999 plus inputs */
	ASSERT_EQ(p->ntests, 1006);
	ASSERT_STR_EQ(member(p->judge, "mode"), "reference");
	ASSERT_STR_EQ(member(p->judge, "fn"), "has_close_elements");
	ASSERT(json_is_number(json_object_get(p->judge, "atol")));
	ASSERT_NULL(json_object_get(p->judge, "mbpp_deserialize"));
	ref = member(p->judge, "reference");
	ASSERT(strncmp(ref, p->prompt, strlen(p->prompt)) == 0);
	ASSERT_STR_EQ(ref + strlen(p->prompt), p->canonical);
	args = json_object_get(spec_test(p, 0), "args");
	ASSERT_EQ(json_array_size(args), 2);

	/* HumanEval/34's inputs hold integers beyond int64. */
	p = find_ok(ps, "humaneval+:HumanEval/34");
	ASSERT_NOT_NULL(dump = json_dumps(p->judge, JSON_COMPACT));
	ASSERT_CONTAINS(dump, "{\"$pyjson\":\"");
	free(dump);
	problemset_free(ps);
	return TEST_PASS;
}

TEST(problemset_mbpp_plus_in)
{
	struct problemset	*ps;
	const struct problem	*p;
	const char		*path;
	char			*dump;

	DATA_OR_SKIP(path, "evalplus/MbppPlus.jsonl.gz");
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 378);
	ASSERT_EQ(total_tests(ps), 41015);
	p = find_ok(ps, "mbpp+:Mbpp/2");
	ASSERT_STR_EQ(bench_get(p->bench)->name, "mbpp+");
	ASSERT_STR_EQ(p->prompt, "");
	ASSERT_STR_EQ(member(p->judge, "mode"), "reference");
	ASSERT_STR_EQ(member(p->judge, "reference"), p->canonical);
	ASSERT_STR_EQ(member(p->judge, "mbpp_deserialize"), "Mbpp/2");
	ASSERT_STR_EQ(member(p->judge, "fn"), "similar_elements");
	p = find_ok(ps, "mbpp+:Mbpp/793");	/* plus_input is {} */
	ASSERT_EQ(p->ntests, 3);
	ASSERT_EQ(p->nbase, 3);
	p = find_ok(ps, "mbpp+:Mbpp/404");
	ASSERT_NOT_NULL(dump = json_dumps(p->judge, JSON_COMPACT));
	ASSERT_CONTAINS(dump, "{\"$pyjson\":\"-Infinity\"}");
	free(dump);
	problemset_free(ps);
	return TEST_PASS;
}

/* A HumanEval-shaped record as one JSON line (new). */
static char *
he_line(const char *id, const char *test)
{
	json_t	*o;
	char	*s, *line;

	ASSERT_NOT_NULL(o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "task_id",
	    id, "prompt", "def f():\n", "entry_point", "f",
	    "canonical_solution", "    return 1\n", "test", test));
	ASSERT_NOT_NULL(s = json_dumps(o, JSON_COMPACT));
	line = xasprintf("%s\n", s);
	free(s);
	json_decref(o);
	return line;
}

TEST(problemset_bad_files)
{
	static const char	 nul[] = "{\"task_id\": \"a\0\"}\n";
	/*
	 * Each file is "prefix" good HumanEval lines (T/1, then T/2) and
	 * then "text"; a NULL text repeats T/1.
	 */
	static const struct {
		const char	*name;
		int		 prefix;
		const char	*text;
		int		 err;
		const char	*want;		/* after "FILE" */
	} cases[] = {
		{ "badjson", 2, "{\"task_id\": }\n", -EINVAL, ":3:13: " },
		{ "utf8", 1, "{\"task_id\": \"\xff\"}\n", -EINVAL,
		  ":2:13: invalid UTF-8" },
		{ "type", 0, "{\"task_id\": 11, \"text\": \"t\", \"code\": "
		  "\"c\", \"test_list\": [\"assert 1\"], \"test_setup_code\": "
		  "\"\", \"challenge_test_list\": []}\n"
		  "{\"task_id\": 12, \"text\": \"t\", \"code\": \"c\", "
		  "\"test_list\": \"assert 1\", \"test_setup_code\": \"\", "
		  "\"challenge_test_list\": []}\n", -EINVAL,
		  ":2: field 'test_list' must be an array of strings" },
		{ "idtype", 0, "{\"task_id\": \"11\", \"text\": \"t\", "
		  "\"code\": \"c\", \"test_list\": [], \"test_setup_code\": "
		  "\"\", \"challenge_test_list\": []}\n", -EINVAL,
		  ":1: field 'task_id' must be a non-negative integer" },
		{ "notests", 0, "{\"task_id\": 11, \"text\": \"t\", \"code\": "
		  "\"c\", \"test_list\": [], \"test_setup_code\": \"\", "
		  "\"challenge_test_list\": []}\n", -EINVAL,
		  ":1: Mbpp/11 has no tests" },
		{ "missing", 1, "{\"task_id\": \"b\", \"prompt\": \"\", "
		  "\"canonical_solution\": \"\", \"test\": \"\"}\n", -EINVAL,
		  ":2: missing field 'entry_point'" },
		{ "shape", 0, "{\"foo\": 1, \"bar\": [2]}\n", -EINVAL,
		  ":1: unknown problem shape (fields: foo, bar)" },
		{ "dup", 2, NULL, -EINVAL, ":3: duplicate task_id 'T/1' "
		  "(first on line 1)" },
		{ "empty", 0, "\n\n", -EINVAL, ": empty file (no records)" },
		{ "split", 0, "{\"task_id\": 1, \"text\": \"t\", \"code\": "
		  "\"c\", \"test_list\": [\"assert 1\"], \"test_setup_code\": "
		  "\"\", \"challenge_test_list\": []}\n", -EINVAL,
		  ": none of the 1 problems is in the MBPP test split" },
	};
	struct problemset	*ps;
	char			 dir[64], err[1024], *path, *text, *want, *l1, *l2;
	char			*raw, *cut;
	const char		*he;
	FILE			*f;
	long			 len;

	test_tmp_dir(dir, sizeof(dir));
	l1 = he_line("T/1", "def check(c):\n    pass\n");
	l2 = he_line("T/2", "def check(c):\n    pass\n");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text = xasprintf("%s%s%s", cases[i].prefix > 0 ? l1 : "",
		    cases[i].prefix > 1 ? l2 : "",
		    cases[i].text != NULL ? cases[i].text : l1);
		path = test_tmp_file(dir, cases[i].name, text, strlen(text));
		ps = (struct problemset *)(void *)&ps;
		ASSERT_ERR(problemset_load(path, NULL, &ps, err, sizeof(err)),
		    cases[i].err);
		ASSERT_NULL(ps);
		want = xasprintf("%s%s", path, cases[i].want);
		ASSERT_CONTAINS(err, want);
		free(want);
		free(text);
		free(path);
	}

	path = test_tmp_file(dir, "nul", nul, sizeof(nul) - 1);
	ASSERT_ERR(problemset_load(path, NULL, &ps, err, sizeof(err)),
	    -EINVAL);
	want = xasprintf("%s:1: NUL byte in line", path);
	ASSERT_STR_EQ(err, want);
	free(want);
	free(path);

	path = xasprintf("%s/missing.jsonl", dir);
	ASSERT_ERR(problemset_load(path, NULL, &ps, err, sizeof(err)),
	    -ENOENT);
	ASSERT_NULL(ps);
	ASSERT_CONTAINS(err, path);
	free(path);

	/* Half of a real .gz: the shared copy, else the repository's. */
	he = test_data_path("humaneval/HumanEval.jsonl.gz");
	if (access(he, R_OK) != 0)
		he = "data/humaneval/HumanEval.jsonl.gz";
	if ((f = fopen(he, "rb")) != NULL) {
		ASSERT_OK(fseek(f, 0, SEEK_END));
		ASSERT((len = ftell(f)) > 0);
		rewind(f);
		raw = xmalloc((size_t)len);
		ASSERT_EQ(fread(raw, 1, (size_t)len, f), len);
		fclose(f);
		cut = test_tmp_file(dir, "cut.jsonl.gz", raw, (size_t)len / 2);
		ASSERT_ERR(problemset_load(cut, NULL, &ps, err, sizeof(err)),
		    -EIO);
		ASSERT_NULL(ps);
		ASSERT_CONTAINS(err, "truncated or corrupt gzip data");
		free(cut);
		free(raw);
	}
	free(l1);
	free(l2);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(problemset_load_mem)
{
	/* Bad bodies; the second follows a good record. */
	static const char *const bad[] = {
		"{\"task_id\": }\n",
		"{\"task_id\": \"T/3\", \"prompt\": \"\", \"test\": 5, "
		    "\"canonical_solution\": \"\", \"entry_point\": \"f\"}\n",
		"{\"foo\": 1}\n",
		"\n",
	};
	struct problemset	*ps, *mem;
	const struct problem	*a, *b;
	char			 dir[64], err[1024], merr[1024], *path, *text;
	char			*raw, *l1, *want;
	const char		*he;
	FILE			*f;
	long			 len;

	/* The shared copy of HumanEval, else the repository's. */
	he = test_data_path("humaneval/HumanEval.jsonl.gz");
	if (access(he, R_OK) != 0)
		he = "data/humaneval/HumanEval.jsonl.gz";
	ASSERT_NOT_NULL(f = fopen(he, "rb"));
	ASSERT_OK(fseek(f, 0, SEEK_END));
	ASSERT((len = ftell(f)) > 0);
	rewind(f);
	raw = xmalloc((size_t)len);
	ASSERT_EQ(fread(raw, 1, (size_t)len, f), len);
	fclose(f);
	ps = load_ok(he, NULL);
	ASSERT_OK(problemset_load_mem("body", raw, (size_t)len, NULL, &mem,
	    err, sizeof(err)));
	ASSERT_EQ(problemset_count(mem), 164);
	ASSERT_EQ(problemset_count(mem), problemset_count(ps));
	for (size_t i = 0; i < problemset_count(ps); i++) {
		a = problemset_at(ps, i);
		b = problemset_at(mem, i);
		ASSERT_STR_EQ(a->task_id, b->task_id);
		ASSERT_STR_EQ(a->prompt, b->prompt);
		ASSERT_EQ(a->bench, b->bench);
		ASSERT(json_equal(a->judge, b->judge));
	}
	problemset_free(mem);
	problemset_free(ps);

	mem = (struct problemset *)(void *)&mem;
	ASSERT_ERR(problemset_load_mem("body", raw, (size_t)len / 2, NULL,
	    &mem, err, sizeof(err)), -EIO);
	ASSERT_NULL(mem);
	ASSERT_CONTAINS(err, "body: truncated or corrupt gzip data (");
	free(raw);

	test_tmp_dir(dir, sizeof(dir));
	l1 = he_line("T/1", "def check(c):\n    pass\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		text = xasprintf("%s%s", i == 1 ? l1 : "", bad[i]);
		path = test_tmp_file(dir, "bad.jsonl", text, strlen(text));
		ASSERT_ERR(problemset_load(path, NULL, &ps, err, sizeof(err)),
		    -EINVAL);
		ASSERT_ERR(problemset_load_mem("body", text, strlen(text), NULL,
		    &mem, merr, sizeof(merr)), -EINVAL);
		ASSERT_NULL(mem);
		ASSERT(strncmp(err, path, strlen(path)) == 0);
		want = xasprintf("body%s", err + strlen(path));
		ASSERT_STR_EQ(merr, want);
		if (i == 1)
			ASSERT_STR_EQ(merr, "body:2: field 'test' must be a "
			    "string");
		free(want);
		free(path);
		free(text);
	}
	free(l1);
	test_tmp_rm(dir);
	return TEST_PASS;
}

/* Load "text" from memory into dataset "dataset" (NULL: default). */
static struct problemset *
load_text_ok(const char *text, const char *dataset)
{
	struct problemset_opts	 opts = { .dataset = dataset };
	struct problemset	*ps;
	char			 err[512];

	if (problemset_load_mem("body", text, strlen(text), &opts, &ps, err,
	    sizeof(err)) < 0)
		TEST_FAIL_AT("load: %s", err);
	return ps;
}

TEST(problemset_datasets)
{
	struct problemset	*ps, *b, *c;
	const struct problem	*p;
	char			*l1, *l2, err[256];

	l1 = he_line("T/1", "def check(c):\n    pass\n");
	l2 = he_line("T/1", "def check(c):\n    assert c() == 2\n");
	/* A base benchmark's name keeps the ids; another prefixes them. */
	ps = load_text_ok(l1, NULL);
	p = find_ok(ps, "T/1");
	ASSERT_STR_EQ(p->dataset, "humaneval");
	b = load_text_ok(l1, "mine");
	ASSERT_STR_EQ(problemset_at(b, 0)->task_id, "mine:T/1");
	ASSERT(!problemset_same(p, problemset_at(b, 0)));
	c = load_text_ok(l1, "mine");
	ASSERT(problemset_same(problemset_at(b, 0), problemset_at(c, 0)));
	problemset_free(c);
	c = load_text_ok(l2, "mine");
	ASSERT(!problemset_same(problemset_at(b, 0), problemset_at(c, 0)));
	problemset_free(c);
	ASSERT_OK(problemset_merge(ps, b, err, sizeof(err)));

	/* The id itself first; the dataset named; one dataset's id. */
	ASSERT(problemset_resolve(ps, NULL, "T/1", err, sizeof(err)) ==
	    find_ok(ps, "T/1"));
	ASSERT(problemset_resolve(ps, "mine", "T/1", err, sizeof(err)) ==
	    find_ok(ps, "mine:T/1"));
	ASSERT(problemset_resolve(ps, "mine", "mine:T/1", err, sizeof(err)) ==
	    find_ok(ps, "mine:T/1"));
	ASSERT(problemset_resolve(ps, "humaneval", "T/1", err, sizeof(err)) ==
	    find_ok(ps, "T/1"));
	ASSERT_NULL(problemset_resolve(ps, "humaneval", "mine:T/1", err,
	    sizeof(err)));
	ASSERT_STR_EQ(err, "unknown task_id \"mine:T/1\" in dataset "
	    "humaneval");
	ASSERT_NULL(problemset_resolve(ps, "nope", "T/1", err, sizeof(err)));
	ASSERT_STR_EQ(err, "unknown dataset \"nope\"");
	ASSERT_NULL(problemset_resolve(ps, NULL, "T/9", err, sizeof(err)));
	ASSERT_STR_EQ(err, "unknown task_id \"T/9\"");
	problemset_free(ps);

	/* Without the id itself, two datasets holding T/1 are refused. */
	ps = load_text_ok(l1, "mine");
	c = load_text_ok(l2, "other");
	ASSERT_OK(problemset_merge(ps, c, err, sizeof(err)));
	ASSERT_NULL(problemset_resolve(ps, NULL, "T/1", err, sizeof(err)));
	ASSERT_STR_EQ(err, "task_id \"T/1\" is in datasets \"mine\" and "
	    "\"other\": say which with 'dataset'");
	ASSERT(problemset_resolve(ps, "other", "T/1", err, sizeof(err)) ==
	    find_ok(ps, "other:T/1"));
	problemset_free(ps);

	ASSERT(problemset_dataset_ok("humaneval+"));
	ASSERT(problemset_dataset_ok("apps-intro_2.0"));
	ASSERT(!problemset_dataset_ok(""));
	ASSERT(!problemset_dataset_ok("+plus"));
	ASSERT(!problemset_dataset_ok("Upper"));
	ASSERT(!problemset_dataset_ok("a:b"));
	ASSERT(!problemset_dataset_ok("a b"));
	ASSERT(problemset_dataset_ok("a234567890123456789012345678901234567890"
	    "123456789012345678901234"));
	ASSERT(!problemset_dataset_ok("a23456789012345678901234567890123456789"
	    "01234567890123456789012345"));
	free(l1);
	free(l2);
	return TEST_PASS;
}

TEST(problemset_long_line)
{
	struct problemset	*ps;
	char			 dir[64], *test, *line, *path;
	size_t			 n = 10u * 1024 * 1024;

	test_tmp_dir(dir, sizeof(dir));
	test = xmalloc(n + 1);
	memset(test, '#', n);
	test[n] = '\0';
	line = he_line("Big/0", test);
	path = test_tmp_file(dir, "big.jsonl", line, strlen(line));
	ps = load_ok(path, NULL);
	ASSERT_EQ(problemset_count(ps), 1);
	ASSERT_STR_EQ(bench_get(problemset_at(ps, 0)->bench)->name, "humaneval");
	ASSERT(strlen(member(problemset_at(ps, 0)->judge, "setup")) > n);
	problemset_free(ps);
	free(test);
	free(line);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(problemset_merge_sets)
{
	struct problemset	*he, *mb, *again;
	const char		*path;
	char			 err[512], *hepath, *mbpath;

	/* test_data_path() returns static storage: copy each path. */
	DATA_OR_SKIP(path, "humaneval/HumanEval.jsonl.gz");
	hepath = xstrdup(path);
	DATA_OR_SKIP(path, "mbpp/mbpp.jsonl.gz");
	mbpath = xstrdup(path);
	he = load_ok(hepath, NULL);
	mb = load_ok(mbpath, NULL);
	ASSERT_OK(problemset_merge(he, mb, err, sizeof(err)));
	ASSERT_EQ(problemset_count(he), 664);
	ASSERT_STR_EQ(problemset_at(he, 164)->task_id, "Mbpp/11");
	for (size_t i = 0; i < problemset_count(he); i++)
		ASSERT(problemset_find(he, problemset_at(he, i)->task_id) ==
		    problemset_at(he, i));

	again = load_ok(hepath, NULL);
	ASSERT_ERR(problemset_merge(he, again, err, sizeof(err)), -EEXIST);
	ASSERT_STR_EQ(err, "duplicate task_id 'HumanEval/0'");
	ASSERT_EQ(problemset_count(he), 664);
	find_ok(he, "HumanEval/0");
	find_ok(he, "Mbpp/510");
	problemset_free(he);
	free(hepath);
	free(mbpath);
	return TEST_PASS;
}

TEST(problemset_find_many)
{
	struct problemset	*ps, *more;
	const char		*path;
	char			 err[512], id[32];
	struct timespec		 t0, t1;
	size_t			 n, hits = 0;
	double			 secs;

	DATA_OR_SKIP(path, "apps/apps_train_minival150_codechain.jsonl.gz");
	more = load_ok(path, NULL);
	path = test_data_path("mbpp/mbpp.jsonl.gz");
	ps = load_ok(path, &(struct problemset_opts){ .mbpp_all = true });
	ASSERT_OK(problemset_merge(ps, more, err, sizeof(err)));
	n = problemset_count(ps);
	ASSERT_EQ(n, 974 + 150);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < 200000; i++) {
		if (i % 2 == 0) {
			hits += problemset_find(ps,
			    problemset_at(ps, i % n)->task_id) != NULL;
		} else {
			snprintf(id, sizeof(id), "Mbpp/%zu", 1000 + i);
			ASSERT_NULL(problemset_find(ps, id));
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ASSERT_EQ(hits, 100000);
	ASSERT(secs < 1.0);
	for (size_t i = 0; i < n; i++)
		ASSERT_EQ(problemset_index(ps, problemset_find(ps,
		    problemset_at(ps, i)->task_id)), i);
	ASSERT_NULL(problemset_find(ps, NULL));
	problemset_free(ps);
	return TEST_PASS;
}
