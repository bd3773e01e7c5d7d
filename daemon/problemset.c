/*
 * problemset.c - benchmark files into problems and judge specs.  See
 * problemset.h.
 *
 * The first record's fields choose a shape (problemset_detect()); every
 * record is then read as that shape by one builder, which fills a
 * struct problem and its judge spec.  Problems sit in one array in file
 * order, with an open-addressing hash on task_id beside it.
 *
 * Judge specs, the JSON that the judge inside the jail runs:
 *   script     {"mode": "script", "setup": str, "entry": [str, ...],
 *               "tests": [{"name": str, "code": str}, ...]}
 *              HumanEval, HumanEval+ OriginFmt, MBPP, sanitized MBPP,
 *              MBPP+ OriginFmt.  A test passes when its code raises
 *              nothing.
 *   stdio      {"mode": "stdio", "tests": [{"input": str,
 *               "output": str}, ...]}                   APPS, no fn_name
 *   call       {"mode": "call", "fn": str, "cls": "Solution" or null,
 *               "tests": [{"args": [...], "output": any}, ...]}
 *                                                       APPS with fn_name
 *   reference  {"mode": "reference", "reference": str, "fn": str,
 *               "atol": number, "tests": [{"args": [...]}, ...]}
 *              EvalPlus HumanEvalPlus.jsonl and MbppPlus.jsonl: the
 *              expected outputs come from running "reference".  MBPP+
 *              specs add "mbpp_deserialize": "Mbpp/N": the judge must
 *              pass the inputs through EvalPlus's
 *              mbpp_deserialize_inputs() for that task (JSON has no
 *              tuples, sets or complex numbers).
 * Values only Python's json module can hold (EvalPlus's huge integers
 * and infinities) appear as {"$pyjson": "TOKEN"}; see jsonl.h.
 *
 * Sections: helpers, shapes, the set, loading.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/hash.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/jsonl.h"
#include "daemon/problemset.h"

/* MBPP's test split (Austin et al. 2021): task ids 11..510. */
#define PROBLEMSET_MBPP_TEST_FIRST	11
#define PROBLEMSET_MBPP_TEST_LAST	510

enum problemset_shape {
	PROBLEMSET_UNKNOWN = 0,
	PROBLEMSET_HUMANEVAL,		/* HumanEval, HumanEval+ OriginFmt */
	PROBLEMSET_MBPP,		/* mbpp.jsonl */
	PROBLEMSET_MBPP_SANITIZED,	/* sanitized-mbpp.json */
	PROBLEMSET_MBPP_PLUS,		/* MbppPlus-OriginFmt.jsonl */
	PROBLEMSET_APPS,		/* APPS (Hugging Face layout) */
	PROBLEMSET_HUMANEVAL_PLUS_IN,	/* HumanEvalPlus.jsonl (inputs) */
	PROBLEMSET_MBPP_PLUS_IN,	/* MbppPlus.jsonl (inputs) */
};

struct problemset {
	struct problem	*v;		/* problems, in file order */
	size_t		 n;		/* number of problems */
	size_t		 cap;		/* allocated entries of v */
	size_t		*slots;		/* hash: index in v + 1, 0 if free */
	size_t		 nslots;	/* 0 or a power of two >= 2 * n */
};

/* State of one problemset_load(). */
struct problemset_loader {
	struct jsonl	*rd;		/* the file */
	const struct problemset_opts *opts; /* never NULL */
	enum problemset_shape shape;	/* from the first record */
	unsigned long	*lines;		/* line of each problem kept */
	char		*errbuf;	/* caller's message buffer */
	size_t		 errlen;	/* its size */
};

/* --- Helpers --- */

/* Set errbuf to "FILE:LINE: message" for the current record. */
static int __attribute__((format(printf, 2, 3)))
problemset_bad(struct problemset_loader *ld, const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->errbuf != NULL && ld->errlen > 0)
		snprintf(ld->errbuf, ld->errlen, "%s: %s", jsonl_where(ld->rd),
		    msg);
	return -EINVAL;
}

/*
 * jansson fails to build values only when out of memory (all text here
 * comes from jansson, so it is valid UTF-8): abort, as xmalloc does.
 */
static json_t *
problemset_j(json_t *v)
{
	if (v == NULL)
		fatalx("problemset: out of memory (jansson)");
	return v;
}

/* A new JSON string holding "len" bytes at s. */
static json_t *
problemset_jstrn(const char *s, size_t len)
{
	return problemset_j(json_stringn_nocheck(s, len));
}

/* A new JSON string holding the C string s. */
static json_t *
problemset_jstr(const char *s)
{
	return problemset_jstrn(s, strlen(s));
}

/* obj[key] = v, stealing v. */
static void
problemset_set(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new_nocheck(obj, key, v) != 0)
		fatalx("problemset: out of memory (jansson)");
}

/* Append v to arr, stealing v. */
static void
problemset_push(json_t *arr, json_t *v)
{
	if (json_array_append_new(arr, v) != 0)
		fatalx("problemset: out of memory (jansson)");
}

/* Whether rec has every field named in the NULL-terminated list. */
static bool
problemset_has(json_t *rec, ...)
{
	const char	*name;
	bool		 all = true;
	va_list		 ap;

	va_start(ap, rec);
	while ((name = va_arg(ap, const char *)) != NULL)
		if (json_object_get(rec, name) == NULL)
			all = false;
	va_end(ap);
	return all;
}

/* Field "name" (borrowed), or NULL after a "missing field" error. */
static json_t *
problemset_field(struct problemset_loader *ld, json_t *rec,
    const char *name)
{
	json_t	*v;

	if ((v = json_object_get(rec, name)) == NULL)
		problemset_bad(ld, "missing field '%s'", name);
	return v;
}

/* Whether v is a JSON string with no NUL byte in it. */
static bool
problemset_is_cstr(json_t *v)
{
	return json_is_string(v) &&
	    strlen(json_string_value(v)) == json_string_length(v);
}

/* String field "name" (borrowed), or NULL after an error. */
static const char *
problemset_str(struct problemset_loader *ld, json_t *rec,
    const char *name)
{
	json_t	*v;

	if ((v = problemset_field(ld, rec, name)) == NULL)
		return NULL;
	if (!problemset_is_cstr(v)) {
		problemset_bad(ld, "field '%s' must be a string%s", name,
		    json_is_string(v) ? " without NUL bytes" : "");
		return NULL;
	}
	return json_string_value(v);
}

/* Non-empty string field "name" (borrowed), or NULL after an error. */
static const char *
problemset_name(struct problemset_loader *ld, json_t *rec,
    const char *name)
{
	const char	*s;

	if ((s = problemset_str(ld, rec, name)) != NULL && *s == '\0') {
		problemset_bad(ld, "field '%s' must not be empty", name);
		return NULL;
	}
	return s;
}

/* Array-of-strings field "name" (borrowed), or NULL after an error. */
static json_t *
problemset_strarray(struct problemset_loader *ld, json_t *rec,
    const char *name)
{
	json_t	*v, *e;
	size_t	 i;

	if ((v = problemset_field(ld, rec, name)) == NULL)
		return NULL;
	if (!json_is_array(v))
		goto bad;
	json_array_foreach(v, i, e)
		if (!problemset_is_cstr(e))
			goto bad;
	return v;
 bad:
	problemset_bad(ld, "field '%s' must be an array of strings", name);
	return NULL;
}

/* Non-negative integer field "name" into *vp; 0 or -EINVAL. */
static int
problemset_uint(struct problemset_loader *ld, json_t *rec,
    const char *name, json_int_t *vp)
{
	json_t	*v;

	if ((v = problemset_field(ld, rec, name)) == NULL)
		return -EINVAL;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return problemset_bad(ld,
		    "field '%s' must be a non-negative integer", name);
	*vp = json_integer_value(v);
	return 0;
}

/*
 * The strings of array "a" (checked) joined with "\n": new, with its
 * length in *lenp (the strings may hold NUL bytes).
 */
static char *
problemset_join(json_t *a, size_t *lenp)
{
	json_t	*e;
	size_t	 i, len = 0, off = 0;
	char	*s;

	json_array_foreach(a, i, e)
		len += json_string_length(e) + (i > 0);
	s = xmalloc(len + 1);
	json_array_foreach(a, i, e) {
		if (i > 0)
			s[off++] = '\n';
		memcpy(s + off, json_string_value(e), json_string_length(e));
		off += json_string_length(e);
	}
	s[off] = '\0';
	*lenp = len;
	return s;
}

/* "\n" + setup + "\n", or "" for an empty setup (new). */
static char *
problemset_setup_suffix(const char *setup)
{
	return *setup == '\0' ? xstrdup("") : xasprintf("\n%s\n", setup);
}

/* A new script-mode spec without tests; entry may be NULL. */
static json_t *
problemset_script(const char *setup, const char *entry)
{
	json_t	*spec, *ent;

	spec = problemset_j(json_object());
	ent = problemset_j(json_array());
	if (entry != NULL)
		problemset_push(ent, problemset_jstr(entry));
	problemset_set(spec, "mode", problemset_jstr("script"));
	problemset_set(spec, "setup", problemset_jstr(setup));
	problemset_set(spec, "entry", ent);
	problemset_set(spec, "tests", problemset_j(json_array()));
	return spec;
}

/*
 * MBPP names no entry point: the tests call whatever the reference code
 * defines.  Make every top-level "def NAME" or "class NAME" of the
 * reference code that a test calls an entry of the spec, so the judge
 * sends those calls to the candidate even when the name is a builtin's
 * (Mbpp/126 defines sum).  Other builtins stay the judge's own, so a
 * candidate that redefines abs() cannot change how results are checked.
 */
static void
problemset_script_entries(json_t *spec, const char *code)
{
	json_t		*tests = json_object_get(spec, "tests");
	json_t		*ent = json_object_get(spec, "entry"), *t;
	const char	*line, *name, *test;
	char		 call[128];
	size_t		 i, n;

	for (line = code; line != NULL && *line != '\0';
	    line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, "def ", 4) == 0)
			name = line + 4;
		else if (strncmp(line, "class ", 6) == 0)
			name = line + 6;
		else
			continue;
		while (*name == ' ' || *name == '\t')
			name++;
		for (n = 0; name[n] == '_' || isalnum((unsigned char)name[n]);
		    n++)
			;
		if (n == 0 || n >= sizeof(call) - 1)
			continue;
		snprintf(call, sizeof(call), "%.*s(", (int)n, name);
		json_array_foreach(tests, i, t) {
			test = json_string_value(json_object_get(t, "code"));
			if (test != NULL && strstr(test, call) != NULL) {
				call[n] = '\0';
				problemset_push(ent, problemset_jstr(call));
				break;
			}
		}
	}
}

/* Add a test to a script-mode spec. */
static void
problemset_script_test(json_t *spec, const char *name, const char *code)
{
	json_t	*t;

	t = problemset_j(json_object());
	problemset_set(t, "name", problemset_jstr(name));
	problemset_set(t, "code", problemset_jstr(code));
	problemset_push(json_object_get(spec, "tests"), t);
}

/* Add one script test per string of array "a", named "field[i]". */
static void
problemset_script_asserts(json_t *spec, const char *field, json_t *a)
{
	json_t	*e;
	size_t	 i;
	char	*name;

	json_array_foreach(a, i, e) {
		name = xasprintf("%s[%zu]", field, i);
		problemset_script_test(spec, name, json_string_value(e));
		free(name);
	}
}

/* Whether MBPP task n is loaded: the test split unless mbpp_all. */
static bool
problemset_mbpp_wanted(const struct problemset_loader *ld, json_int_t n)
{
	return ld->opts->mbpp_all || (n >= PROBLEMSET_MBPP_TEST_FIRST &&
	    n <= PROBLEMSET_MBPP_TEST_LAST);
}

/* --- Shapes --- */

/*
 * Choose the shape from the fields of the first record.  The EvalPlus
 * inputs files are told apart by MbppPlus.jsonl's "assertion" field.
 */
static int
problemset_detect(struct problemset_loader *ld, json_t *rec)
{
	const char	*key;
	json_t		*v;
	char		 list[512];
	size_t		 off = 0;
	int		 n;

	if (problemset_has(rec, "problem_id", "input_output", NULL))
		ld->shape = PROBLEMSET_APPS;
	else if (problemset_has(rec, "base_input", "plus_input", NULL))
		ld->shape = problemset_has(rec, "assertion", NULL) ?
		    PROBLEMSET_MBPP_PLUS_IN : PROBLEMSET_HUMANEVAL_PLUS_IN;
	else if (problemset_has(rec, "task_id", "prompt", "canonical_solution",
	    "test", "entry_point", NULL))
		ld->shape = PROBLEMSET_HUMANEVAL;
	else if (problemset_has(rec, "task_id", "code", "test_list",
	    "test_setup_code", NULL))
		ld->shape = PROBLEMSET_MBPP;
	else if (problemset_has(rec, "task_id", "code", "test_list",
	    "test_imports", "test", NULL))
		ld->shape = PROBLEMSET_MBPP_PLUS;
	else if (problemset_has(rec, "task_id", "code", "test_list",
	    "test_imports", NULL))
		ld->shape = PROBLEMSET_MBPP_SANITIZED;
	else {
		list[0] = '\0';
		json_object_foreach(rec, key, v) {
			n = snprintf(list + off, sizeof(list) - off, "%s%s",
			    off > 0 ? ", " : "", key);
			if (n < 0 || (size_t)n >= sizeof(list) - off) {
				snprintf(list + sizeof(list) - 5, 5, "...");
				break;
			}
			off += (size_t)n;
		}
		return problemset_bad(ld, "unknown problem shape (fields: %s)",
		    list);
	}
	return 0;
}

/*
 * HumanEval and HumanEval+ OriginFmt have the same fields; a test with
 * EvalPlus's "inputs = " list or "def assertion(" helper marks the
 * latter ("humaneval+").
 */
static int
problemset_humaneval(struct problemset_loader *ld, json_t *rec,
    struct problem *p)
{
	const char	*id, *prompt, *canon, *test, *entry;
	char		*setup, *code;

	if ((id = problemset_name(ld, rec, "task_id")) == NULL ||
	    (prompt = problemset_str(ld, rec, "prompt")) == NULL ||
	    (canon = problemset_str(ld, rec, "canonical_solution")) == NULL ||
	    (test = problemset_str(ld, rec, "test")) == NULL ||
	    (entry = problemset_name(ld, rec, "entry_point")) == NULL)
		return -EINVAL;
	p->task_id = xstrdup(id);
	p->benchmark = strstr(test, "inputs = ") != NULL ||
	    strstr(test, "def assertion(") != NULL ? "humaneval+" : "humaneval";
	p->prompt = xstrdup(prompt);
	p->suffix = xstrdup("");
	p->canonical = xstrdup(canon);
	setup = xasprintf("%s\n%s\n", prompt, test);
	code = xasprintf("check(%s)\n", entry);
	p->judge = problemset_script(setup, entry);
	problemset_script_test(p->judge, "check", code);
	free(setup);
	free(code);
	return 1;
}

/* Original MBPP (mbpp.jsonl). */
static int
problemset_mbpp(struct problemset_loader *ld, json_t *rec,
    struct problem *p)
{
	const char	*code, *setup;
	json_t		*tests, *challenge;
	json_int_t	 id = 0;

	if (problemset_uint(ld, rec, "task_id", &id) < 0 ||
	    (code = problemset_str(ld, rec, "code")) == NULL ||
	    (tests = problemset_strarray(ld, rec, "test_list")) == NULL ||
	    (setup = problemset_str(ld, rec, "test_setup_code")) == NULL ||
	    (challenge = problemset_strarray(ld, rec,
	    "challenge_test_list")) == NULL)
		return -EINVAL;
	if (!problemset_mbpp_wanted(ld, id))
		return 0;
	p->task_id = xasprintf("Mbpp/%jd", (intmax_t)id);
	p->benchmark = "mbpp";
	p->prompt = xstrdup("");
	p->suffix = problemset_setup_suffix(setup);
	p->canonical = xstrdup(code);
	p->judge = problemset_script(setup, NULL);
	problemset_script_asserts(p->judge, "test_list", tests);
	if (ld->opts->mbpp_challenge)
		problemset_script_asserts(p->judge, "challenge_test_list",
		    challenge);
	problemset_script_entries(p->judge, code);
	return 1;
}

/*
 * Sanitized MBPP and MBPP+ OriginFmt: setup is test_imports; MBPP+ runs
 * its one "test" program instead of the asserts of test_list.
 */
static int
problemset_mbpp_sanitized(struct problemset_loader *ld, json_t *rec,
    struct problem *p)
{
	const char	*code, *test = NULL;
	json_t		*tests = NULL, *imports;
	json_int_t	 id = 0;
	char		*setup;
	size_t		 len;
	bool		 plus = ld->shape == PROBLEMSET_MBPP_PLUS;

	if (problemset_uint(ld, rec, "task_id", &id) < 0 ||
	    (code = problemset_str(ld, rec, "code")) == NULL ||
	    (imports = problemset_strarray(ld, rec, "test_imports")) == NULL)
		return -EINVAL;
	if (plus && (test = problemset_str(ld, rec, "test")) == NULL)
		return -EINVAL;
	if (!plus && (tests = problemset_strarray(ld, rec, "test_list")) ==
	    NULL)
		return -EINVAL;
	if (!plus && !problemset_mbpp_wanted(ld, id))
		return 0;
	setup = problemset_join(imports, &len);	/* checked: no NUL */
	p->task_id = xasprintf("Mbpp/%jd", (intmax_t)id);
	p->benchmark = plus ? "mbpp+" : "mbpp";
	p->prompt = xstrdup("");
	p->suffix = problemset_setup_suffix(setup);
	p->canonical = xstrdup(code);
	p->judge = problemset_script(setup, NULL);
	if (plus)
		problemset_script_test(p->judge, "test", test);
	else
		problemset_script_asserts(p->judge, "test_list", tests);
	problemset_script_entries(p->judge, code);
	free(setup);
	return 1;
}

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
	s = problemset_jstrn(joined, len);
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
		t = problemset_j(json_object());
		if (call) {
			if (!json_is_array(in)) {
				json_decref(t);
				return problemset_bad(ld, "input_output: "
				    "inputs[%zu] must be an array of "
				    "arguments", i);
			}
			problemset_set(t, "args", json_incref(in));
			problemset_set(t, "output", json_incref(out));
		} else {
			if ((in = problemset_apps_text(in)) == NULL ||
			    (out = problemset_apps_text(out)) == NULL) {
				json_decref(in);
				json_decref(t);
				return problemset_bad(ld, "input_output: "
				    "test %zu: input and output must be "
				    "strings or lists of strings", i);
			}
			problemset_set(t, "input", in);
			problemset_set(t, "output", out);
		}
		problemset_push(json_object_get(spec, "tests"), t);
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
static int
problemset_apps(struct problemset_loader *ld, json_t *rec,
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

	spec = problemset_j(json_object());
	if ((v = json_object_get(io, "fn_name")) != NULL) {
		if (!problemset_is_cstr(v) || *json_string_value(v) == '\0') {
			problemset_bad(ld, "input_output: 'fn_name' must be a "
			    "non-empty string");
			goto out;
		}
		fn = json_string_value(v);
		problemset_set(spec, "mode", problemset_jstr("call"));
		problemset_set(spec, "fn", problemset_jstr(fn));
		problemset_set(spec, "cls", strstr(starter, "class Solution") ?
		    problemset_jstr("Solution") : problemset_j(json_null()));
	} else
		problemset_set(spec, "mode", problemset_jstr("stdio"));
	problemset_set(spec, "tests", problemset_j(json_array()));
	if (problemset_apps_tests(ld, io, v != NULL, spec) < 0)
		goto out;

	p->task_id = xasprintf("APPS/%jd", (intmax_t)id);
	p->benchmark = "apps";
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

/*
 * Append the argument lists of EvalPlus's field "name" to "tests".
 * MbppPlus.jsonl writes Mbpp/793's empty plus_input as {}.
 */
static int
problemset_evalplus_inputs(struct problemset_loader *ld, json_t *rec,
    const char *name, json_t *tests)
{
	json_t	*a, *e, *t;
	size_t	 i;

	if ((a = problemset_field(ld, rec, name)) == NULL)
		return -EINVAL;
	if (json_is_object(a) && json_object_size(a) == 0)
		return 0;
	if (!json_is_array(a))
		return problemset_bad(ld, "field '%s' must be an array of "
		    "argument lists", name);
	json_array_foreach(a, i, e) {
		if (!json_is_array(e))
			return problemset_bad(ld, "field '%s': element %zu "
			    "must be an array of arguments", name, i);
		t = problemset_j(json_object());
		problemset_set(t, "args", json_incref(e));
		problemset_push(tests, t);
	}
	return 0;
}

/*
 * EvalPlus inputs-only files: the reference is HumanEval+'s prompt +
 * canonical_solution (a body) or MBPP+'s canonical_solution (a whole
 * function).  MBPP+'s prompt is a description, so no prompt there.
 */
static int
problemset_evalplus(struct problemset_loader *ld, json_t *rec,
    struct problem *p)
{
	const char	*id, *prompt, *canon, *entry;
	json_t		*spec = NULL, *atol, *tests;
	char		*ref;
	bool		 mbpp = ld->shape == PROBLEMSET_MBPP_PLUS_IN;
	int		 r = -EINVAL;

	if ((id = problemset_name(ld, rec, "task_id")) == NULL ||
	    (prompt = problemset_str(ld, rec, "prompt")) == NULL ||
	    (canon = problemset_str(ld, rec, "canonical_solution")) == NULL ||
	    (entry = problemset_name(ld, rec, "entry_point")) == NULL)
		goto out;
	if ((atol = json_object_get(rec, "atol")) != NULL &&
	    !json_is_number(atol)) {
		problemset_bad(ld, "field 'atol' must be a number");
		goto out;
	}

	spec = problemset_j(json_object());
	tests = problemset_j(json_array());
	problemset_set(spec, "mode", problemset_jstr("reference"));
	ref = mbpp ? xstrdup(canon) : xasprintf("%s%s", prompt, canon);
	problemset_set(spec, "reference", problemset_jstr(ref));
	free(ref);
	problemset_set(spec, "fn", problemset_jstr(entry));
	problemset_set(spec, "atol", atol != NULL ? json_incref(atol) :
	    problemset_j(json_integer(0)));
	problemset_set(spec, "tests", tests);
	if (mbpp)
		problemset_set(spec, "mbpp_deserialize", problemset_jstr(id));
	if (problemset_evalplus_inputs(ld, rec, "base_input", tests) < 0 ||
	    problemset_evalplus_inputs(ld, rec, "plus_input", tests) < 0)
		goto out;
	if (json_array_size(tests) == 0) {
		problemset_bad(ld, "no test inputs");
		goto out;
	}

	p->task_id = xstrdup(id);
	p->benchmark = mbpp ? "mbpp+" : "humaneval+";
	p->prompt = xstrdup(mbpp ? "" : prompt);
	p->suffix = xstrdup("");
	p->canonical = xstrdup(canon);
	p->judge = spec;
	spec = NULL;
	r = 1;
 out:
	json_decref(spec);
	return r;
}

/*
 * Build *p from one record of the file's shape.  Returns 1, 0 for a
 * record left out (outside the MBPP test split), or -EINVAL.  *p may be
 * partly filled in every case; the caller clears it.
 */
static int
problemset_build(struct problemset_loader *ld, json_t *rec,
    struct problem *p)
{
	int	 r;

	switch (ld->shape) {
	case PROBLEMSET_HUMANEVAL:
		r = problemset_humaneval(ld, rec, p);
		break;
	case PROBLEMSET_MBPP:
		r = problemset_mbpp(ld, rec, p);
		break;
	case PROBLEMSET_MBPP_SANITIZED:
	case PROBLEMSET_MBPP_PLUS:
		r = problemset_mbpp_sanitized(ld, rec, p);
		break;
	case PROBLEMSET_APPS:
		r = problemset_apps(ld, rec, p);
		break;
	case PROBLEMSET_HUMANEVAL_PLUS_IN:
	case PROBLEMSET_MBPP_PLUS_IN:
		r = problemset_evalplus(ld, rec, p);
		break;
	case PROBLEMSET_UNKNOWN:
	default:
		r = problemset_bad(ld, "unknown problem shape");
		break;
	}
	if (r == 1) {
		p->ntests = (unsigned)json_array_size(json_object_get(p->judge,
		    "tests"));
		if (p->ntests == 0)
			r = problemset_bad(ld, "%s has no tests", p->task_id);
	}
	return r;
}

/* --- The set --- */

/* Free what a problem owns and zero it. */
static void
problemset_clear(struct problem *p)
{
	free(p->task_id);
	free(p->prompt);
	free(p->suffix);
	free(p->canonical);
	json_decref(p->judge);
	memset(p, 0, sizeof(*p));
}

/* The slot holding task_id, or the free slot where it would go. */
static size_t *
problemset_slot(const struct problemset *ps, const char *task_id)
{
	size_t	 mask = ps->nslots - 1, i;

	i = (size_t)hash_fnv1a(task_id) & mask;
	while (ps->slots[i] != 0 &&
	    strcmp(ps->v[ps->slots[i] - 1].task_id, task_id) != 0)
		i = (i + 1) & mask;
	return &ps->slots[i];
}

/* Rebuild the hash for the first ps->n problems, at most half full. */
static void
problemset_rehash(struct problemset *ps)
{
	size_t	 n = 16;

	while (n < 2 * ps->n + 2)
		n *= 2;
	free(ps->slots);
	ps->slots = xcalloc(n, sizeof(*ps->slots));
	ps->nslots = n;
	for (size_t i = 0; i < ps->n; i++)
		*problemset_slot(ps, ps->v[i].task_id) = i + 1;
}

/* Append *p (its contents are stolen) whose task_id is not in ps. */
static void
problemset_add(struct problemset *ps, struct problem *p)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 64;
		ps->v = xreallocarray(ps->v, ps->cap, sizeof(*ps->v));
	}
	ps->v[ps->n++] = *p;
	memset(p, 0, sizeof(*p));
	if (2 * ps->n + 2 > ps->nslots)
		problemset_rehash(ps);
	else
		*problemset_slot(ps, ps->v[ps->n - 1].task_id) = ps->n;
}

const struct problem *
problemset_find(const struct problemset *ps, const char *task_id)
{
	size_t	*slot;

	if (ps == NULL || task_id == NULL || ps->nslots == 0)
		return NULL;
	slot = problemset_slot(ps, task_id);
	return *slot != 0 ? &ps->v[*slot - 1] : NULL;
}

size_t
problemset_count(const struct problemset *ps)
{
	return ps->n;
}

const struct problem *
problemset_at(const struct problemset *ps, size_t i)
{
	return i < ps->n ? &ps->v[i] : NULL;
}

size_t
problemset_index(const struct problemset *ps, const struct problem *pb)
{
	return (size_t)(pb - ps->v);
}

int
problemset_merge(struct problemset *dst, struct problemset *src,
    char *errbuf, size_t errlen)
{
	int	 r = -EEXIST;

	for (size_t i = 0; i < src->n; i++) {
		if (problemset_find(dst, src->v[i].task_id) != NULL) {
			if (errbuf != NULL && errlen > 0)
				snprintf(errbuf, errlen, "duplicate task_id "
				    "'%s'", src->v[i].task_id);
			goto out;
		}
	}
	for (size_t i = 0; i < src->n; i++)
		problemset_add(dst, &src->v[i]);	/* leaves it zeroed */
	r = 0;
 out:
	problemset_free(src);
	return r;
}

void
problemset_free(struct problemset *ps)
{
	if (ps == NULL)
		return;
	for (size_t i = 0; i < ps->n; i++)
		problemset_clear(&ps->v[i]);
	free(ps->v);
	free(ps->slots);
	free(ps);
}

/* --- Loading --- */

int
problemset_load(const char *path, const struct problemset_opts *opts,
    struct problemset **psp, char *errbuf, size_t errlen)
{
	int	 fd;

	*psp = NULL;
	if ((fd = jsonl_openfd(path, errbuf, errlen)) < 0)
		return fd;
	return problemset_load_fd(fd, path, opts, psp, errbuf, errlen);
}

int
problemset_load_fd(int fd, const char *path,
    const struct problemset_opts *opts, struct problemset **psp,
    char *errbuf, size_t errlen)
{
	static const struct problemset_opts defaults;
	struct problemset_loader ld;
	struct problemset	*ps = NULL;
	struct problem		 p;
	const struct problem	*dup;
	json_t			*rec = NULL;
	unsigned long		 nrec = 0;
	int			 r;

	*psp = NULL;
	memset(&ld, 0, sizeof(ld));
	memset(&p, 0, sizeof(p));
	ld.opts = opts != NULL ? opts : &defaults;
	ld.errbuf = errbuf;
	ld.errlen = errlen;
	if ((r = jsonl_fdopen(fd, path, &ld.rd, errbuf, errlen)) < 0)
		goto out;
	jsonl_set_flags(ld.rd, JSONL_PYJSON | JSONL_ALLOW_NUL);
	ps = xcalloc(1, sizeof(*ps));

	while ((r = jsonl_next(ld.rd, &rec, errbuf, errlen)) == 1) {
		if (nrec++ == 0 && (r = problemset_detect(&ld, rec)) < 0)
			goto out;
		r = problemset_build(&ld, rec, &p);
		json_decref(rec);
		rec = NULL;
		if (r < 0)
			goto out;
		if (r == 0) {
			problemset_clear(&p);
			continue;
		}
		if ((dup = problemset_find(ps, p.task_id)) != NULL) {
			r = problemset_bad(&ld, "duplicate task_id '%s' (first "
			    "on line %lu)", p.task_id, ld.lines[dup - ps->v]);
			goto out;
		}
		if (ps->n == ps->cap)	/* lines grows with ps->v */
			ld.lines = xreallocarray(ld.lines,
			    ps->cap ? ps->cap * 2 : 64, sizeof(*ld.lines));
		ld.lines[ps->n] = jsonl_line(ld.rd);
		problemset_add(ps, &p);
	}
	if (r < 0)
		goto out;
	r = -EINVAL;
	if (nrec == 0) {
		snprintf(errbuf, errlen, "%s: empty file (no records)", path);
		goto out;
	}
	if (ps->n == 0) {
		snprintf(errbuf, errlen, "%s: none of the %lu problems is in "
		    "the MBPP test split (task_id %d..%d)", path, nrec,
		    PROBLEMSET_MBPP_TEST_FIRST, PROBLEMSET_MBPP_TEST_LAST);
		goto out;
	}
	*psp = ps;
	ps = NULL;
	r = 0;
 out:
	problemset_clear(&p);
	json_decref(rec);
	jsonl_close(ld.rd);
	problemset_free(ps);
	free(ld.lines);
	return r;
}

int
problemset_open_files(const char *const *files, size_t nfiles,
    const char *exe_dir, char ***namesp, int **fdsp, size_t *np,
    char *errbuf, size_t errlen)
{
	static const char *const bundled[] = {
		"humaneval/HumanEval.jsonl.gz", "mbpp/mbpp.jsonl.gz"
	};
	const char	*root = "../data";
	char		*path, **names;
	size_t		 n = nfiles ? nfiles : 2;
	int		*fds, r = 0;

	if (nfiles == 0) {
		path = xasprintf("%s/%s/%s", exe_dir, root, bundled[0]);
		if (access(path, R_OK) < 0)
			root = "../share/verdict";
		free(path);
	}
	names = xcalloc(n, sizeof(*names));
	fds = xcalloc(n, sizeof(*fds));
	for (size_t i = 0; i < n; i++) {
		names[i] = nfiles ? xstrdup(files[i]) : xasprintf("%s/%s/%s",
		    exe_dir, root, bundled[i]);
		fds[i] = -1;
		if (r == 0 && (fds[i] = jsonl_openfd(names[i], errbuf,
		    errlen)) < 0)
			r = fds[i];
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++) {
			if (fds[i] >= 0)
				close(fds[i]);
			free(names[i]);
		}
		free(names);
		free(fds);
		return r;
	}
	*namesp = names;
	*fdsp = fds;
	*np = n;
	return 0;
}

int
problemset_load_fds(const char *const *names, const int *fds, size_t n,
    const struct problemset_opts *opts, struct problemset **psp,
    char *errbuf, size_t errlen)
{
	struct problemset *ps = NULL, *more;
	int		 r = 0;

	*psp = NULL;
	for (size_t i = 0; i < n; i++) {
		if (r < 0) {
			close(fds[i]);
			continue;
		}
		r = problemset_load_fd(fds[i], names[i], opts, i == 0 ? &ps :
		    &more, errbuf, errlen);
		if (r == 0 && i > 0)
			r = problemset_merge(ps, more, errbuf, errlen);
	}
	if (r < 0) {
		problemset_free(ps);
		return r;
	}
	*psp = ps;
	return 0;
}

int
problemset_load_files(const char *const *files, size_t nfiles,
    const struct problemset_opts *opts, const char *exe_dir,
    struct problemset **psp, char *errbuf, size_t errlen)
{
	char	**names;
	int	*fds, r;
	size_t	 n;

	*psp = NULL;
	if ((r = problemset_open_files(files, nfiles, exe_dir, &names, &fds,
	    &n, errbuf, errlen)) < 0)
		return r;
	r = problemset_load_fds((const char *const *)names, fds, n, opts,
	    psp, errbuf, errlen);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(fds);
	return r;
}
