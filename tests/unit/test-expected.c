/*
 * test-expected.c - the expected outputs of reference-mode problems,
 * kept once (sandbox/expected.c).
 *
 *   expected_memory        a text put for a spec comes back for that
 *                          spec, the first text stays, and specs of
 *                          other modes are never kept
 *   expected_persists      a new cache on the same directory finds the
 *                          text and the reference's time for an equal
 *                          spec (another object), not for a spec that
 *                          differs in one input
 *   expected_file_checked  a file under a spec's name that holds another
 *                          spec (a hash collision, a stale or planted
 *                          file) or is not JSON is never used; no
 *                          temporary file is left behind
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "common/xmalloc.h"
#include "sandbox/expected.h"
#include "tests/unit/test.h"

/* expected_dir_open() of path, which must work. */
static int
expected_test_open(const char *path)
{
	char	 err[256];
	bool	 made;
	int	 fd;

	if ((fd = expected_dir_open(path, &made, err, sizeof(err))) < 0)
		TEST_FAIL_AT("expected_dir_open: %s", err);
	return fd;
}

static json_t *
expected_test_spec(int last)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:[{s:[i,i]}, {s:[i,i]}]}",
	    "mode", "reference", "reference", "def add(a, b):\n    return "
	    "a + b\n", "fn", "add", "atol", 0, "tests", "args", 1, 2, "args",
	    3, last);
}

TEST(expected_memory)
{
	struct expected	*c = expected_new(-1);
	json_t		*spec = expected_test_spec(4), *other;

	ASSERT_EQ(expected_wanted(spec), true);
	ASSERT_NULL(expected_get(c, spec));
	expected_put(c, spec, xstrdup("{\"out\":[3,7],\"ms\":[0,0]}"), -1);
	ASSERT_STR_EQ(expected_get(c, spec), "{\"out\":[3,7],\"ms\":[0,0]}");
	expected_put(c, spec, xstrdup("second"), -1);
	ASSERT_STR_EQ(expected_get(c, spec), "{\"out\":[3,7],\"ms\":[0,0]}");
	/* The key is the spec held: the caller's reference may go. */
	other = json_pack("{s:s}", "mode", "script");
	ASSERT_EQ(expected_wanted(other), false);
	expected_put(c, other, xstrdup("never"), -1);
	ASSERT_NULL(expected_get(c, other));
	json_decref(other);
	json_decref(spec);
	expected_free(c);
	return TEST_PASS;
}

TEST(expected_persists)
{
	char		 dir[64], sub[128];
	struct expected	*c;
	json_t		*spec = expected_test_spec(4), *copy, *changed;
	char		*path;
	size_t		 n;

	test_tmp_dir(dir, sizeof(dir));
	snprintf(sub, sizeof(sub), "%s/expected", dir);
	c = expected_new(expected_test_open(sub));
	ASSERT_NULL(expected_get(c, spec));
	ASSERT_EQ(expected_cost(c, spec), -1);
	expected_put(c, spec, xstrdup("{\"out\":[3,7],\"ms\":[1,1]}"), 2);
	ASSERT_EQ(expected_cost(c, spec), 2);
	expected_free(c);
	ASSERT_NOT_NULL(path = test_dir_file(sub, ".json", &n));
	ASSERT_EQ(n, 1);
	free(path);

	c = expected_new(expected_test_open(sub));
	copy = json_deep_copy(spec);
	ASSERT_STR_EQ(expected_get(c, copy), "{\"out\":[3,7],\"ms\":[1,1]}");
	ASSERT_EQ(expected_cost(c, copy), 2);
	changed = expected_test_spec(5);
	ASSERT_NULL(expected_get(c, changed));
	expected_free(c);
	json_decref(changed);
	json_decref(copy);
	json_decref(spec);
	test_tmp_rm(sub);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(expected_file_checked)
{
	char		 dir[64];
	struct expected	*c;
	json_t		*a = expected_test_spec(4), *b = expected_test_spec(5);
	json_t		*planted;
	const char	*body;
	char		*path;
	size_t		 n;
	FILE		*f;

	test_tmp_dir(dir, sizeof(dir));
	/* Write a's file, then plant b's spec in it with b's outputs. */
	c = expected_new(expected_test_open(dir));
	expected_put(c, a, xstrdup("{\"out\":[3,7],\"ms\":[1,1]}"), -1);
	expected_free(c);
	ASSERT_NOT_NULL(path = test_dir_file(dir, ".json", &n));
	ASSERT_EQ(n, 1);
	planted = json_pack("{s:O, s:s}", "spec", b, "expected",
	    "{\"out\":[3,8],\"ms\":[1,1]}");
	ASSERT_OK(json_dump_file(planted, path, 0));
	json_decref(planted);
	c = expected_new(expected_test_open(dir));
	ASSERT_NULL(expected_get(c, a));
	expected_free(c);

	/* Not JSON at all. */
	body = "{\"spec\": ";
	ASSERT_NOT_NULL(f = fopen(path, "w"));
	ASSERT_EQ(fwrite(body, 1, strlen(body), f), strlen(body));
	ASSERT_OK(fclose(f));
	c = expected_new(expected_test_open(dir));
	ASSERT_NULL(expected_get(c, a));
	/* A new text replaces the bad file, and nothing else is left. */
	expected_put(c, a, xstrdup("{\"out\":[3,7],\"ms\":[1,1]}"), -1);
	expected_free(c);
	free(path);
	ASSERT_NOT_NULL(path = test_dir_file(dir, ".json", &n));
	ASSERT_EQ(n, 1);
	c = expected_new(expected_test_open(dir));
	ASSERT_STR_EQ(expected_get(c, a), "{\"out\":[3,7],\"ms\":[1,1]}");
	expected_free(c);
	free(path);
	json_decref(a);
	json_decref(b);
	test_tmp_rm(dir);
	return TEST_PASS;
}
