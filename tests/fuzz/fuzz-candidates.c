/*
 * fuzz-candidates.c - a submission body through the checks the daemon
 * makes of it: POST /v1/candidates (api/v1body.h splits the body as a
 * JSON array or NDJSON, daemon/candidate.h checks each object, with the
 * serve rules) and "verdictd eval"'s samples file (common/jsonl.h reads
 * it from a file, plain or gzipped, the eval rules check each line).
 *
 * Input: one byte of choices, then the body.  Bit 0: NDJSON; bit 1:
 * the eval path instead; bit 2: sanitize by default; bit 3: a small
 * max_program (256 bytes).  The problems are two HumanEval-shaped ones
 * ("T/1", "T/2") and two APPS ones (standard input and call-based).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/v1body.h"
#include "common/jsonl.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/candidate.h"
#include "daemon/problemset.h"
#include "tests/fuzz/fuzz.h"

int	 LLVMFuzzerInitialize(int *argc, char ***argv);
int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fc_humaneval[] =
    "{\"task_id\": \"T/1\", \"prompt\": \"def f():\\n\", "
    "\"canonical_solution\": \"    return 1\\n\", \"test\": "
    "\"def check(c):\\n    assert c() == 1\\n\", \"entry_point\": \"f\"}\n"
    "{\"task_id\": \"T/2\", \"prompt\": \"def g():\\n\", "
    "\"canonical_solution\": \"    return 2\\n\", \"test\": "
    "\"def check(c):\\n    assert c() == 2\\n\", \"entry_point\": \"g\"}\n";

static const char fc_apps[] =
    "{\"problem_id\": 1, \"question\": \"q\", \"solutions\": "
    "\"[\\\"print(1)\\\"]\", \"input_output\": \"{\\\"inputs\\\": "
    "[\\\"\\\"], \\\"outputs\\\": [\\\"1\\\"]}\", \"difficulty\": "
    "\"introductory\", \"url\": \"u\", \"starter_code\": \"\"}\n"
    "{\"problem_id\": 2, \"question\": \"q\", \"solutions\": "
    "\"[]\", \"input_output\": \"{\\\"inputs\\\": [[1]], "
    "\\\"outputs\\\": [1], \\\"fn_name\\\": \\\"f\\\"}\", "
    "\"difficulty\": \"introductory\", \"url\": \"u\", "
    "\"starter_code\": \"class Solution:\\n    def f(self, x):\\n\"}\n";

static struct problemset *fc_ps;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct problemset *apps;
	char		 err[512];

	(void)argc;
	(void)argv;
	fuzz_init();
	if (problemset_load_mem("humaneval", fc_humaneval,
	    strlen(fc_humaneval), NULL, &fc_ps, err, sizeof(err)) < 0 ||
	    problemset_load_mem("apps", fc_apps, strlen(fc_apps), NULL,
	    &apps, err, sizeof(err)) < 0 ||
	    problemset_merge(fc_ps, apps, err, sizeof(err)) < 0)
		fatalx("problems: %s", err);
	return 0;
}

/* Check one object as a candidate, and release what it made. */
static void
fc_check(const struct candidate_rules *rules, json_t *o)
{
	struct candidate	 cd;
	struct candidate_bad	 bad;

	if (candidate_check(rules, o, &cd, &bad) == 0)
		candidate_clear(&cd);
}

/* POST /v1/candidates: the body split, then each item checked. */
static void
fc_api(const struct candidate_rules *rules, const char *body, size_t len,
    bool ndjson)
{
	struct candidate_bad	 bad;
	json_t			*arr;
	size_t			*lines, line;

	if ((arr = v1body_split(body, len, ndjson, &lines, &line,
	    &bad)) == NULL)
		return;
	for (size_t i = 0; i < json_array_size(arr); i++)
		fc_check(rules, json_array_get(arr, i));
	json_decref(arr);
	free(lines);
}

/* verdictd eval: the samples file read line by line, as a file. */
static void
fc_eval(const struct candidate_rules *rules, const char *body, size_t len)
{
	struct jsonl	*jr;
	json_t		*o;
	char		 err[512], path[64];
	int		 r, fd;

	fd = fuzz_file((const uint8_t *)body, len, path, sizeof(path));
	if (jsonl_fdopen(fd, "samples", &jr, err, sizeof(err)) < 0)
		return;
	/* A bad line may be followed by good ones; any other error stays. */
	for (int bad = 0; bad < 64; ) {
		if ((r = jsonl_next(jr, &o, err, sizeof(err))) == 0)
			break;
		if (r < 0) {
			if (r != -EINVAL)
				break;
			bad++;
			continue;
		}
		fc_check(rules, o);
		json_decref(o);
	}
	jsonl_close(jr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct candidate_rules	 rules;
	uint8_t			 how;
	char			*body;

	if (size < 1)
		return 0;
	how = data[0];
	/* NUL-terminated, as api/http.c keeps a body. */
	body = xmalloc(size);
	memcpy(body, data + 1, size - 1);
	body[size - 1] = '\0';
	memset(&rules, 0, sizeof(rules));
	rules.ps = fc_ps;
	rules.max_program = (how & 0x8) ? 256 : 0;
	rules.sanitize = (how & 0x4) != 0;
	if (how & 0x2)
		fc_eval(&rules, body, size - 1);
	else {
		rules.meta = true;
		fc_api(&rules, body, size - 1, (how & 0x1) != 0);
	}
	free(body);
	return 0;
}
