/*
 * candidate.c - one candidate, checked and built.  See candidate.h.
 *
 * The checks were api/v1.c's (v1_item_check) and keep its messages and
 * order; main/eval.c had its own, which differed in wording, took a
 * negative sample and refused a null one.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon/bench.h"
#include "daemon/candidate.h"

int
candidate_refuse(struct candidate_bad *bad, const char *field, const char *fmt,
    ...)
{
	va_list	 ap;

	bad->field = field;
	va_start(ap, fmt);
	vsnprintf(bad->msg, sizeof(bad->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

bool
candidate_name_ok(const char *s, bool colon)
{
	size_t	 n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		    s[n] == '_' || s[n] == '-' || (colon && s[n] == ':')))
			return false;
	return n > 0 && n <= CANDIDATE_NAME_MAX;
}

/*
 * An optional string member: NULL when absent or null, else checked.  A
 * string holding \u0000 (parsed with JSON_ALLOW_NUL) is no C string.
 */
static int
candidate_opt_string(json_t *o, const char *key, const char **out,
    struct candidate_bad *bad)
{
	json_t	*v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return candidate_refuse(bad, key, "must be a string");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return candidate_refuse(bad, key, "holds a NUL character");
	*out = json_string_value(v);
	return 0;
}

/* An optional model name (model, ranker): 1 to CANDIDATE_NAME_MAX bytes. */
static int
candidate_opt_label(json_t *o, const char *key, const char **out,
    struct candidate_bad *bad)
{
	if (candidate_opt_string(o, key, out, bad) < 0)
		return -EINVAL;
	if (*out != NULL && ((*out)[0] == '\0' ||
	    strlen(*out) > CANDIDATE_NAME_MAX))
		return candidate_refuse(bad, key, "must be 1 to %d characters",
		    CANDIDATE_NAME_MAX);
	return 0;
}

/* An optional non-negative number member of "cost"; -1 when absent. */
static int
candidate_opt_cost(json_t *cost, const char *key, double *out,
    struct candidate_bad *bad)
{
	json_t	*v = json_object_get(cost, key);

	*out = -1;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v)) ||
	    json_number_value(v) < 0)
		return candidate_refuse(bad, "cost", "'%s' must be a number "
		    ">= 0", key);
	*out = json_number_value(v);
	return 0;
}

/* The names the store keeps: run, id, model, ranker. */
static int
candidate_names(json_t *o, struct store_cand *c, struct candidate_bad *bad)
{
	if (candidate_opt_string(o, "run", &c->run, bad) < 0)
		return -EINVAL;
	if (c->run == NULL)
		return candidate_refuse(bad, "run", "is required");
	if (!candidate_name_ok(c->run, false))
		return candidate_refuse(bad, "run", "must be 1 to %d "
		    "characters of A-Z a-z 0-9 . _ -", CANDIDATE_NAME_MAX);
	if (candidate_opt_string(o, "id", &c->id, bad) < 0)
		return -EINVAL;
	if (c->id != NULL && (!candidate_name_ok(c->id, true) ||
	    strncmp(c->id, "v-", 2) == 0))
		return candidate_refuse(bad, "id", "must be 1 to %d "
		    "characters of A-Z a-z 0-9 . _ - :, not starting with "
		    "\"v-\"", CANDIDATE_NAME_MAX);
	return candidate_labels(o, &c->model, &c->ranker, bad);
}

int
candidate_labels(json_t *o, const char **model, const char **ranker,
    struct candidate_bad *bad)
{
	if (candidate_opt_label(o, "model", model, bad) < 0 ||
	    candidate_opt_label(o, "ranker", ranker, bad) < 0)
		return -EINVAL;
	return 0;
}

/* What the reports read: score, greedy, truncated, cost. */
static int
candidate_meta(json_t *o, struct store_meta *m, struct candidate_bad *bad)
{
	json_t	*v, *cost;
	double	 tokens;

	v = json_object_get(o, "score");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return candidate_refuse(bad, "score", "must be a "
			    "finite number");
		m->score = json_number_value(v);
		m->has_score = true;
	}
	v = json_object_get(o, "greedy");
	if (v != NULL && !json_is_null(v) && !json_is_boolean(v))
		return candidate_refuse(bad, "greedy", "must be true or false");
	m->greedy = json_is_true(v);
	v = json_object_get(o, "truncated");
	if (v != NULL && !json_is_null(v) && !json_is_boolean(v))
		return candidate_refuse(bad, "truncated", "must be true or "
		    "false");
	m->truncated = json_is_true(v);
	cost = json_object_get(o, "cost");
	if (cost != NULL && !json_is_null(cost)) {
		if (!json_is_object(cost))
			return candidate_refuse(bad, "cost", "must be an "
			    "object");
		if (candidate_opt_cost(cost, "seconds", &m->cost_seconds,
		    bad) < 0 || candidate_opt_cost(cost, "tflops",
		    &m->cost_tflops, bad) < 0 ||
		    candidate_opt_cost(cost, "tokens", &tokens, bad) < 0)
			return -EINVAL;
		if (tokens >= 0 && !json_is_integer(json_object_get(cost,
		    "tokens")))
			return candidate_refuse(bad, "cost", "'tokens' must "
			    "be an integer");
		m->cost_tokens = tokens >= 0 ? (int64_t)tokens : -1;
	}
	return 0;
}

/*
 * An optional "language" (as MultiPL-E and other harnesses' samples
 * carry) must name Python: a program in any other language is refused,
 * never judged as Python (its failure would read as the model's).
 */
static int
candidate_language(json_t *o, struct candidate_bad *bad)
{
	static const char *const python[] = { "python", "python3", "py" };
	const char	*lang;

	if (candidate_opt_string(o, "language", &lang, bad) < 0)
		return -EINVAL;
	if (lang == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(python) / sizeof(python[0]); i++)
		if (strcasecmp(lang, python[i]) == 0)
			return 0;
	return candidate_refuse(bad, "language", "only Python is judged "
	    "(python, python3 or py), not \"%.40s\"", lang);
}

int
candidate_check(const struct candidate_rules *rules, json_t *o,
    struct candidate *cd, struct candidate_bad *bad)
{
	struct store_cand *c = &cd->c;
	struct store_meta *m = &c->meta;
	const char	*prompt, *completion, *program, *solution, *dataset;
	json_t		*v;
	char		 why[256];
	bool		 sanitize, changed;

	memset(cd, 0, sizeof(*cd));
	m->cost_seconds = m->cost_tflops = -1;
	m->cost_tokens = -1;
	if (!json_is_object(o))
		return candidate_refuse(bad, "", "must be a JSON object");
	if (rules->meta && candidate_names(o, c, bad) < 0)
		return -EINVAL;
	if (candidate_opt_string(o, "task_id", &c->task_id, bad) < 0)
		return -EINVAL;
	if (c->task_id == NULL)
		return candidate_refuse(bad, "task_id", "is required");
	if (candidate_opt_string(o, "dataset", &dataset, bad) < 0)
		return -EINVAL;
	if (dataset == NULL)
		dataset = rules->dataset;
	if ((cd->pb = problemset_resolve(rules->ps, dataset, c->task_id,
	    why, sizeof(why))) == NULL)
		return candidate_refuse(bad, dataset != NULL &&
		    !problemset_has_dataset(rules->ps, dataset) ? "dataset" :
		    "task_id", "%s", why);
	/* Its problem's id: problems live as long as the set. */
	c->task_id = cd->pb->task_id;
	if (candidate_opt_string(o, "completion", &completion, bad) < 0 ||
	    candidate_opt_string(o, "program", &program, bad) < 0 ||
	    candidate_opt_string(o, "solution", &solution, bad) < 0 ||
	    candidate_opt_string(o, "prompt", &prompt, bad) < 0)
		return -EINVAL;
	/* EvalPlus's samples name the whole program "solution". */
	if (solution != NULL && program != NULL)
		return candidate_refuse(bad, "solution", "give a program or a "
		    "solution, not both");
	if (solution != NULL)
		program = solution;
	if (completion == NULL && program == NULL)
		return candidate_refuse(bad, "completion", "a completion or a "
		    "program is required");
	if (candidate_language(o, bad) < 0)
		return -EINVAL;
	v = json_object_get(o, "sample");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return candidate_refuse(bad, "sample", "must be an "
			    "integer >= 0");
		m->sample = json_integer_value(v);
		m->has_sample = true;
	}
	if (rules->meta && candidate_meta(o, m, bad) < 0)
		return -EINVAL;
	v = json_object_get(o, "sanitize");
	if (v != NULL && !json_is_null(v) && !json_is_boolean(v))
		return candidate_refuse(bad, "sanitize", "must be true or "
		    "false");
	sanitize = v != NULL && !json_is_null(v) ? json_is_true(v) :
	    rules->sanitize;
	if (rules->max_program > 0 &&
	    ((program != NULL && strlen(program) > rules->max_program) ||
	    (completion != NULL && strlen(completion) > rules->max_program)))
		return candidate_refuse(bad, program != NULL ? "program" :
		    "completion", "is over the limit of %zu bytes "
		    "(max_program)", rules->max_program);
	cd->program = bench_program(cd->pb, prompt, completion, program,
	    sanitize, &changed, why, sizeof(why));
	if (cd->program == NULL)
		return candidate_refuse(bad, program != NULL ? "program" :
		    "completion", "%s", why);
	c->program = cd->program;
	c->original = changed ? (program != NULL ? program : completion) :
	    NULL;
	return 0;
}

void
candidate_clear(struct candidate *cd)
{
	free(cd->program);
	memset(cd, 0, sizeof(*cd));
}
