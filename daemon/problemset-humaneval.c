/*
 * problemset-humaneval.c - the HumanEval shape: task_id, prompt,
 * canonical_solution, test, entry_point (openai/human-eval's
 * HumanEval.jsonl; HumanEval+ OriginFmt has the same fields).
 *
 * A problem's candidate continues its prompt; the spec is script mode
 * with the prompt and the file's test as setup and one test,
 * "check(ENTRY)".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/xmalloc.h"
#include "daemon/problemset-int.h"

/*
 * HumanEval and HumanEval+ OriginFmt have the same fields; a test with
 * EvalPlus's "inputs = " list or "def assertion(" helper marks the
 * latter ("humaneval+").
 */
int
problemset_build_humaneval(struct problemset_loader *ld, json_t *rec,
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
	p->bench = strstr(test, "inputs = ") != NULL ||
	    strstr(test, "def assertion(") != NULL ? BENCH_HUMANEVAL_PLUS :
	    BENCH_HUMANEVAL;
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
