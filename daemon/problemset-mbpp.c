/*
 * problemset-mbpp.c - the MBPP shapes:
 *   mbpp.jsonl           task_id (int), text, code, test_list,
 *                        test_setup_code, challenge_test_list
 *   sanitized MBPP       task_id (int), prompt, code, test_imports,
 *                        test_list (one JSON array)
 *   MBPP+ OriginFmt      task_id (int), code, test, test_imports,
 *                        test_list ("test" calls the function itself)
 * Ids become "Mbpp/N".  The candidate is a whole program; the spec is
 * script mode, one test per assert of test_list (or MBPP+'s "test"),
 * with the functions the tests call as its entries.  mbpp.jsonl and
 * sanitized MBPP give the test split (11..510) unless mbpp_all.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/xmalloc.h"
#include "daemon/problemset-int.h"

/* "\n" + setup + "\n", or "" for an empty setup (new). */
static char *
problemset_setup_suffix(const char *setup)
{
	return *setup == '\0' ? xstrdup("") : xasprintf("\n%s\n", setup);
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
				json_array_append_new(ent,
				    json_string_nocheck(call));
				break;
			}
		}
	}
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

/* Original MBPP (mbpp.jsonl). */
int
problemset_build_mbpp(struct problemset_loader *ld, json_t *rec,
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
	p->bench = BENCH_MBPP;
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
int
problemset_build_mbpp_sanitized(struct problemset_loader *ld, json_t *rec,
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
	p->bench = plus ? BENCH_MBPP_PLUS : BENCH_MBPP;
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
