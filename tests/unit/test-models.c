/*
 * test-models.c - the model cost table (daemon/models.c): the shipped
 * conf/models.conf holds Table 1 of Hassid et al. (2024), names match
 * leniently, a broken file is refused with FILE:LINE, and a request's
 * cost table (cost={...}) is bounded and overrides the file's rows.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/models.h"
#include "tests/unit/test.h"

TEST(models_shipped_table)
{
	static const struct {
		const char	*name;
		double		 tflops, seconds;
	} want[] = {
		{ "codellama-7b", 1.69, 395 },
		{ "codellama-13b", 3.29, 667 },
		{ "codellama-34b", 8.58, 2994 },
		{ "codellama-70b", 17.60, 5605 },
		/* Llama-3 takes its Code Llama neighbours' costs. */
		{ "llama-3-8b", 1.69, 395 },
		{ "llama-3-70b", 17.60, 5605 },
	};
	const struct report_cost *row;
	struct models	*m;
	char		 err[256];
	size_t		 n;

	ASSERT_OK(models_load("conf/models.conf", &m, err, sizeof(err)));
	models_rows(m, &n);
	ASSERT_EQ(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++) {
		ASSERT_NOT_NULL(row = models_find(m, want[i].name));
		ASSERT_NEAR(row->tflops, want[i].tflops, 1e-12);
		ASSERT_NEAR(row->seconds, want[i].seconds, 1e-12);
	}
	/* Without case, and a Hugging Face id by its last part. */
	ASSERT_NOT_NULL(row = models_find(m, "CodeLlama-13B"));
	ASSERT_STR_EQ(row->model, "codellama-13b");
	ASSERT_NOT_NULL(row = models_find(m, "codellama/CodeLlama-34b-hf"));
	ASSERT_STR_EQ(row->model, "codellama-34b");
	ASSERT_NULL(models_find(m, "codellama-7"));
	ASSERT_NULL(models_find(m, "gpt-4"));
	ASSERT_NULL(models_find(m, "org/"));
	models_free(m);
	return TEST_PASS;
}

TEST(models_bad_files)
{
	static const struct {
		const char	*text;
		const char	*msg;
	} cases[] = {
		{ "a 1 2\nb 1\n", ":2: want NAME TFLOPS SECONDS" },
		{ "# c\n\na 1 2 3\n", ":3: want NAME TFLOPS SECONDS" },
		{ "a 1 0\n", ":1: costs must be positive numbers" },
		{ "a -1 2\n", ":1: costs must be positive numbers" },
		{ "a 1x 2\n", ":1: costs must be positive numbers" },
		{ "a nan 2\n", ":1: costs must be positive numbers" },
		{ "a 1 2\nA 3 4\n", ":2: model \"A\" is already in the table" },
	};
	struct models	*m;
	char		 dir[PATH_MAX], err[256], *path;

	test_tmp_dir(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path = test_tmp_text(dir, "models.conf", cases[i].text);
		ASSERT_ERR(models_load(path, &m, err, sizeof(err)), -EINVAL);
		ASSERT_NULL(m);
		ASSERT_CONTAINS(err, path);
		ASSERT_CONTAINS(err, cases[i].msg);
		free(path);
	}
	ASSERT_ERR(models_load("/nonexistent/models.conf", &m, err,
	    sizeof(err)), -ENOENT);
	ASSERT_CONTAINS(err, "/nonexistent/models.conf: ");
	/* Comments, blank lines and trailing comments are fine. */
	path = test_tmp_text(dir, "models.conf",
	    "# a table\n\n  x 2.5 10   # a row\n");
	ASSERT_OK(models_load(path, &m, err, sizeof(err)));
	ASSERT_NEAR(models_find(m, "x")->seconds, 10, 0);
	ASSERT_STR_EQ(models_path(m), path);
	models_free(m);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(models_request_table)
{
	const struct report_cost *row;
	struct models	*base, *m;
	char		 err[256];
	size_t		 n;

	ASSERT_OK(models_load("conf/models.conf", &base, err, sizeof(err)));
	/* A new model and an override; the file's other rows stay. */
	ASSERT_OK(models_from_request("{\"gpt-x\": {\"tflops\": 0.5, "
	    "\"seconds\": 2}, \"CodeLlama-7b\": {\"seconds\": 1e3, "
	    "\"tflops\": 9}}", base, &m, err, sizeof(err)));
	models_rows(m, &n);
	ASSERT_EQ(n, 8);
	ASSERT_NEAR(models_find(m, "gpt-x")->tflops, 0.5, 0);
	ASSERT_NOT_NULL(row = models_find(m, "codellama/CodeLlama-7b-hf"));
	ASSERT_NEAR(row->tflops, 9, 0);
	ASSERT_NEAR(row->seconds, 1000, 0);
	ASSERT_NEAR(models_find(m, "codellama-13b")->tflops, 3.29, 1e-12);
	ASSERT_STR_EQ(models_path(m), "conf/models.conf");
	models_free(m);
	/* Over no table: the request's rows alone, no file. */
	ASSERT_OK(models_from_request("{\"a\": {\"tflops\": 1, "
	    "\"seconds\": 1}}", NULL, &m, err, sizeof(err)));
	ASSERT_NULL(models_path(m));
	models_free(m);
	models_free(base);
	return TEST_PASS;
}

TEST(models_request_bad)
{
	static const struct {
		const char	*text;
		const char	*msg;
	} cases[] = {
		{ "", "must be a JSON object" },
		{ "{", "must be a JSON object" },
		{ "[1]", "must be a JSON object" },
		{ "{}", "must be a JSON object" },
		{ "{\"a\": 1}", "model \"a\": want" },
		{ "{\"a\": {\"tflops\": 1}}", "model \"a\": want" },
		{ "{\"a\": {\"tflops\": 1, \"seconds\": 2, \"x\": 3}}",
		  "model \"a\": want" },
		{ "{\"a\": {\"tflops\": 0, \"seconds\": 2}}",
		  "model \"a\": want" },
		{ "{\"a\": {\"tflops\": -1, \"seconds\": 2}}",
		  "model \"a\": want" },
		{ "{\"a\": {\"tflops\": 1, \"seconds\": 1e999}}",
		  "must be a JSON object" },
		{ "{\"a\": {\"tflops\": NaN, \"seconds\": 1}}",
		  "must be a JSON object" },
		{ "{\"a\": {\"tflops\": \"1\", \"seconds\": 1}}",
		  "model \"a\": want" },
		{ "{\"a\": {\"tflops\": {\"tflops\": 1}, \"seconds\": 1}}",
		  "model \"a\": want" },
		{ "{\"a b\": {\"tflops\": 1, \"seconds\": 1}}",
		  "a model name is 1 to 128" },
		{ "{\"a\\n\": {\"tflops\": 1, \"seconds\": 1}}",
		  "a model name is 1 to 128" },
		{ "{\"a#\": {\"tflops\": 1, \"seconds\": 1}}",
		  "a model name is 1 to 128" },
		{ "{\"\": {\"tflops\": 1, \"seconds\": 1}}",
		  "a model name is 1 to 128" },
		{ "{\"a\": {\"tflops\": 1, \"seconds\": 1}, "
		  "\"A\": {\"tflops\": 1, \"seconds\": 1}}",
		  "model \"A\" is given twice" },
		{ "{\"a\": {\"tflops\": 1, \"seconds\": 1}, "
		  "\"a\": {\"tflops\": 1, \"seconds\": 1}}",
		  "must be a JSON object" },
	};
	struct models	*m;
	char		 err[256], *big;
	size_t		 len;
	FILE		*f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_ERR(models_from_request(cases[i].text, NULL, &m, err,
		    sizeof(err)), -EINVAL);
		ASSERT_NULL(m);
		ASSERT_CONTAINS(err, cases[i].msg);
	}
	/* Too long, however it is made: deep nesting is refused before
	 * jansson parses it. */
	big = malloc(MODELS_REQUEST_MAX + 2);
	memset(big, '[', MODELS_REQUEST_MAX + 1);
	big[MODELS_REQUEST_MAX + 1] = '\0';
	ASSERT_ERR(models_from_request(big, NULL, &m, err, sizeof(err)),
	    -EINVAL);
	ASSERT_CONTAINS(err, "over 4096 bytes");
	free(big);
	/* Too many models, each one fine. */
	f = open_memstream(&big, &len);
	fputs("{", f);
	for (int i = 0; i <= MODELS_REQUEST_ROWS; i++)
		fprintf(f, "%s\"m%d\":{\"tflops\":1,\"seconds\":1}",
		    i ? "," : "", i);
	fputs("}", f);
	fclose(f);
	ASSERT(len <= MODELS_REQUEST_MAX);
	ASSERT_ERR(models_from_request(big, NULL, &m, err, sizeof(err)),
	    -EINVAL);
	ASSERT_CONTAINS(err, "over 64 models");
	free(big);
	return TEST_PASS;
}
