/*
 * problemset-apps.c - the APPS shape (Hugging Face layout):
 * problem_id, question, solutions, input_output, difficulty, url,
 * starter_code; ids become "APPS/N".
 *
 * The candidate is a whole program.  The spec is stdio mode (each test
 * an input and the output expected), or call mode when input_output
 * names a fn_name (each test the arguments and the value expected).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/jsonl.h"
#include "common/xmalloc.h"
#include "daemon/problemset-int.h"

/*
 * One APPS stdin or stdout text: a string, or a list of lines that the
 * APPS harness joins with "\n".  New reference, or NULL if neither.
 */
static json_t *
problemset_apps_text(json_t *v)
{
	json_t	*e, *s;
	size_t	 i, len;
	char	*joined;

	if (json_is_string(v))
		return json_incref(v);
	if (!json_is_array(v))
		return NULL;
	json_array_foreach(v, i, e)
		if (!json_is_string(e))
			return NULL;
	joined = problemset_join(v, &len);
	s = json_stringn_nocheck(joined, len);
	free(joined);
	return s;
}

/* The tests of an APPS input_output object into spec's "tests". */
static int
problemset_apps_tests(struct problemset_loader *ld, json_t *io,
    bool call, json_t *spec)
{
	json_t	*ins, *outs, *t, *in, *out;
	size_t	 i;

	ins = json_object_get(io, "inputs");
	outs = json_object_get(io, "outputs");
	if (!json_is_array(ins) || !json_is_array(outs))
		return problemset_bad(ld, "field 'input_output' must hold "
		    "arrays 'inputs' and 'outputs'");
	if (json_array_size(ins) != json_array_size(outs))
		return problemset_bad(ld, "input_output has %zu inputs but "
		    "%zu outputs", json_array_size(ins),
		    json_array_size(outs));
	if (json_array_size(ins) == 0)
		return problemset_bad(ld, "input_output has no tests");
	for (i = 0; i < json_array_size(ins); i++) {
		in = json_array_get(ins, i);
		out = json_array_get(outs, i);
		t = json_object();
		if (call) {
			if (!json_is_array(in)) {
				json_decref(t);
				return problemset_bad(ld, "input_output: "
				    "inputs[%zu] must be an array of "
				    "arguments", i);
			}
			json_object_set_new_nocheck(t, "args", json_incref(in));
			json_object_set_new_nocheck(t, "output",
			    json_incref(out));
		} else {
			if ((in = problemset_apps_text(in)) == NULL ||
			    (out = problemset_apps_text(out)) == NULL) {
				json_decref(in);
				json_decref(t);
				return problemset_bad(ld, "input_output: "
				    "test %zu: input and output must be "
				    "strings or lists of strings", i);
			}
			json_object_set_new_nocheck(t, "input", in);
			json_object_set_new_nocheck(t, "output", out);
		}
		json_array_append_new(json_object_get(spec, "tests"), t);
	}
	return 0;
}

/*
 * The imports the APPS harness (hendrycks/apps, testing_util.py) puts
 * before every program, call-based or not; LeetCode solutions use
 * List without importing it.  It also imports numpy as np: left out
 * here, because loading numpy costs each run of each test about 0.1 s,
 * and only 5 of the 2,312 reference solutions of the APPS subset use
 * np without importing numpy themselves.
 */
static const char problemset_apps_header[] =
    "import sys\n"
    "import time\n"
    "import itertools\n"
    "from itertools import accumulate, product, permutations, "
    "combinations\n"
    "import collections\n"
    "from collections import Counter, OrderedDict, deque, defaultdict, "
    "ChainMap\n"
    "from functools import lru_cache\n"
    "import math\n"
    "from math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, "
    "log, log2\n"
    "import fractions\n"
    "from typing import List, Tuple\n"
    "import random\n"
    "import heapq\n"
    "from heapq import *\n";

/*
 * APPS: solutions and input_output are JSON documents inside strings.
 * The candidate is a whole program; its "prompt" is the harness's
 * import header above, which a completion continues.
 */
int
problemset_build_apps(struct problemset_loader *ld, json_t *rec,
    struct problem *p)
{
	const char	*io_text, *sols_text, *starter = "", *fn;
	json_t		*io = NULL, *sols = NULL, *v, *spec = NULL, *e;
	json_int_t	 id = 0;
	char		 err[512];
	size_t		 i;
	unsigned	 flags = JSONL_PYJSON | JSONL_ALLOW_NUL;
	int		 r = -EINVAL;

	if (problemset_uint(ld, rec, "problem_id", &id) < 0 ||
	    (io_text = problemset_str(ld, rec, "input_output")) == NULL ||
	    (sols_text = problemset_str(ld, rec, "solutions")) == NULL)
		goto out;
	if (json_object_get(rec, "starter_code") != NULL &&
	    (starter = problemset_str(ld, rec, "starter_code")) == NULL)
		goto out;

	if (*sols_text != '\0') {
		if (jsonl_parse(sols_text, strlen(sols_text), 0, &sols, err,
		    sizeof(err)) < 0) {
			problemset_bad(ld, "field 'solutions': %s", err);
			goto out;
		}
		if (!json_is_array(sols))
			goto badsols;
		json_array_foreach(sols, i, e)
			if (!problemset_is_cstr(e))
				goto badsols;
	}

	if (*io_text == '\0') {
		problemset_bad(ld, "input_output has no tests");
		goto out;
	}
	if (jsonl_parse(io_text, strlen(io_text), flags, &io, err,
	    sizeof(err)) < 0) {
		problemset_bad(ld, "field 'input_output': %s", err);
		goto out;
	}
	if (!json_is_object(io)) {
		problemset_bad(ld, "field 'input_output' must hold an object");
		goto out;
	}

	spec = json_object();
	if ((v = json_object_get(io, "fn_name")) != NULL) {
		if (!problemset_is_cstr(v) || *json_string_value(v) == '\0') {
			problemset_bad(ld, "input_output: 'fn_name' must be a "
			    "non-empty string");
			goto out;
		}
		fn = json_string_value(v);
		json_object_set_new_nocheck(spec, "mode",
		    json_string_nocheck("call"));
		json_object_set_new_nocheck(spec, "fn",
		    json_string_nocheck(fn));
		json_object_set_new_nocheck(spec, "cls", strstr(starter,
		    "class Solution") ? json_string_nocheck("Solution") :
		    json_null());
	} else
		json_object_set_new_nocheck(spec, "mode",
		    json_string_nocheck("stdio"));
	json_object_set_new_nocheck(spec, "tests", json_array());
	if (problemset_apps_tests(ld, io, v != NULL, spec) < 0)
		goto out;

	p->task_id = xasprintf("APPS/%jd", (intmax_t)id);
	p->bench = BENCH_APPS;
	p->prompt = xstrdup(problemset_apps_header);
	p->suffix = xstrdup("");
	if (json_array_size(sols) > 0)
		p->canonical = xstrdup(json_string_value(json_array_get(sols,
		    0)));
	p->judge = spec;
	spec = NULL;
	r = 1;
	goto out;
 badsols:
	problemset_bad(ld, "field 'solutions' must hold a JSON list of "
	    "strings");
 out:
	json_decref(io);
	json_decref(sols);
	json_decref(spec);
	return r;
}
