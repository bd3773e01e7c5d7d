/*
 * problemset-evalplus.c - the EvalPlus inputs shape: task_id, prompt,
 * entry_point, canonical_solution, base_input, plus_input, atol
 * (HumanEvalPlus.jsonl; MbppPlus.jsonl also has "assertion").
 *
 * The files hold inputs only: the spec is reference mode, where the
 * judge gets the expected outputs by running the reference solution on
 * each input.  Values only Python's json module can hold appear as
 * {"$pyjson": "TOKEN"} (JSONL_PYJSON).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <jansson.h>

#include "common/xmalloc.h"
#include "daemon/problemset-int.h"

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
		t = json_object();
		json_object_set_new_nocheck(t, "args", json_incref(e));
		json_array_append_new(tests, t);
	}
	return 0;
}

/*
 * EvalPlus inputs-only files: the reference is HumanEval+'s prompt +
 * canonical_solution (a body) or MBPP+'s canonical_solution (a whole
 * function).  MBPP+'s prompt is a description, so no prompt there.
 */
int
problemset_build_evalplus(struct problemset_loader *ld, json_t *rec,
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

	spec = json_object();
	tests = json_array();
	json_object_set_new_nocheck(spec, "mode",
	    json_string_nocheck("reference"));
	ref = mbpp ? xstrdup(canon) : xasprintf("%s%s", prompt, canon);
	json_object_set_new_nocheck(spec, "reference",
	    json_string_nocheck(ref));
	free(ref);
	json_object_set_new_nocheck(spec, "fn", json_string_nocheck(entry));
	json_object_set_new_nocheck(spec, "atol", atol != NULL ?
	    json_incref(atol) : json_integer(0));
	json_object_set_new_nocheck(spec, "tests", tests);
	if (mbpp)
		json_object_set_new_nocheck(spec, "mbpp_deserialize",
		    json_string_nocheck(id));
	if (problemset_evalplus_inputs(ld, rec, "base_input", tests) < 0)
		goto out;
	p->nbase = (unsigned)json_array_size(tests);
	if (problemset_evalplus_inputs(ld, rec, "plus_input", tests) < 0)
		goto out;
	if (json_array_size(tests) == 0) {
		problemset_bad(ld, "no test inputs");
		goto out;
	}

	p->task_id = xstrdup(id);
	p->bench = mbpp ? BENCH_MBPP_PLUS : BENCH_HUMANEVAL_PLUS;
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
