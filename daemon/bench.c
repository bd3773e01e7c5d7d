/*
 * bench.c - the benchmarks' table, programs and limits.  See bench.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/bench.h"
#include "daemon/config.h"
#include "daemon/problemset.h"
#include "daemon/sanitize.h"
#include "sandbox/pool.h"
#include "sandbox/result.h"

/*
 * Limits shared by every benchmark.  RLIMIT_AS is per process, so a
 * candidate can hold at most BENCH_NPROC times BENCH_MEM_MB.
 * Nothing bounds the sum yet; a memory cgroup per worker would.
 */
#define BENCH_MEM_MB		1024
#define BENCH_NPROC		8
#define BENCH_FSIZE_KB		(16 * 1024)
#define BENCH_OUT_KB		1024
/* A candidate never runs longer than this, whatever its test count. */
#define BENCH_MAX_WALL_MS	(10 * 60 * 1000u)

static const struct bench bench_table[BENCH_COUNT] = {
	/* openai/human-eval: timeout 3.0 s per program.  Its OriginFmt
	 * HumanEval+ file has the same shape (humaneval+ below). */
	[BENCH_HUMANEVAL] = { "humaneval", BENCH_FMT_HUMANEVAL,
	    3000, 3000, BENCH_MEM_MB, true },
	/* HumanEval+ and MBPP+ run up to 1,000 inputs in one program;
	 * their slowest reference solutions take 10 s and 31 s, and
	 * Mbpp/255's returns lists of about a gigabyte. */
	[BENCH_HUMANEVAL_PLUS] = { "humaneval+", BENCH_FMT_HUMANEVAL |
	    BENCH_FMT_EVALPLUS, 30000, 2000, 4096, false },
	/* MBPP has no official harness; Mbpp/123's reference takes 4-10 s
	 * on a loaded 2-core machine. */
	[BENCH_MBPP] = { "mbpp", BENCH_FMT_MBPP, 10000, 10000, BENCH_MEM_MB,
	    true },
	[BENCH_MBPP_PLUS] = { "mbpp+", BENCH_FMT_MBPP | BENCH_FMT_EVALPLUS,
	    60000, 2000, 4096, false },
	/* hendrycks/apps testing_util: timeout = 4 per test. */
	[BENCH_APPS] = { "apps", BENCH_FMT_APPS, 0, 4000, BENCH_MEM_MB, true },
};

static const struct {
	const char	*name;
	unsigned	 bit;
} bench_formats[] = {
	{ "humaneval", BENCH_FMT_HUMANEVAL },
	{ "mbpp", BENCH_FMT_MBPP },
	{ "apps", BENCH_FMT_APPS },
	{ "evalplus", BENCH_FMT_EVALPLUS },
};

const struct bench *
bench_get(enum bench_id id)
{
	return &bench_table[id];
}

int
bench_find(const char *name, size_t len, enum bench_id *id)
{
	for (int i = 0; i < BENCH_COUNT; i++)
		if (strlen(bench_table[i].name) == len &&
		    memcmp(bench_table[i].name, name, len) == 0) {
			*id = (enum bench_id)i;
			return 0;
		}
	return -ENOENT;
}

const char *
bench_names(void)
{
	static char	 names[128];
	size_t		 n = 0;

	if (names[0] == '\0')
		for (int i = 0; i < BENCH_COUNT && n < sizeof(names); i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n,
			    "%s%s", i > 0 ? ", " : "", bench_table[i].name);
	return names;
}

int
bench_format_parse(const char *name, unsigned *fmt)
{
	for (size_t i = 0; i < sizeof(bench_formats) /
	    sizeof(bench_formats[0]); i++)
		if (strcmp(bench_formats[i].name, name) == 0) {
			*fmt = bench_formats[i].bit;
			return 0;
		}
	return -ENOENT;
}

/*
 * The names a problem's tests call, borrowed from its judge spec:
 * "entry" (script mode), else "cls" and "fn" (call and reference
 * modes).  Returns how many (at most max) are in names[].
 */
static size_t
bench_entries(const struct problem *pb, const char **names, size_t max)
{
	json_t		*ent = json_object_get(pb->judge, "entry");
	const char	*v;
	size_t		 n = 0, i;

	for (i = 0; i < json_array_size(ent) && n < max; i++)
		if ((v = json_string_value(json_array_get(ent, i))) != NULL)
			names[n++] = v;
	if (n < max && (v = json_string_value(json_object_get(pb->judge,
	    "cls"))) != NULL)
		names[n++] = v;
	if (n < max && (v = json_string_value(json_object_get(pb->judge,
	    "fn"))) != NULL)
		names[n++] = v;
	return n;
}

/*
 * Sanitize a sample: "text" as the sample gave it, after "head" (NULL
 * for a whole program).  Returns 0 with what is extracted in *code
 * (new), or NULL when sanitizing leaves the text as it is (head + text
 * is then judged: only blank lines would differ); or -EINVAL with the
 * reason in errbuf.
 */
static int
bench_sanitize(const struct problem *pb, const char *head,
    const char *text, char **code, char *errbuf, size_t errlen)
{
	const char	*entries[16];
	size_t		 n = 0;
	bool		 stdio = strcmp(bench_mode(pb), "stdio") == 0, intact;

	if (!stdio)
		n = bench_entries(pb, entries, sizeof(entries) /
		    sizeof(entries[0]));
	*code = sanitize_program(head, text, entries, n, stdio ?
	    SANITIZE_BLOCK : SANITIZE_DEFS, &intact, errbuf, errlen);
	if (*code == NULL)
		return -EINVAL;
	if (intact) {
		free(*code);
		*code = NULL;
	}
	return 0;
}

char *
bench_program(const struct problem *pb, const char *prompt,
    const char *completion, const char *program, bool sanitize,
    bool *changed, char *errbuf, size_t errlen)
{
	const char	*head;
	char		*code = NULL, *s;
	size_t		 n;

	*changed = false;
	if (program != NULL) {
		head = "";
		completion = program;
	} else if (completion != NULL) {
		head = prompt != NULL ? prompt : pb->prompt;
	} else {
		snprintf(errbuf, errlen, "needs \"completion\" or \"program\"");
		return NULL;
	}
	if (sanitize) {
		/* What is extracted is the whole program (EvalPlus). */
		if (bench_sanitize(pb, program != NULL ? NULL : head,
		    completion, &code, errbuf, errlen) < 0)
			return NULL;
		*changed = code != NULL;
		if (code != NULL) {
			head = "";
			completion = code;
		}
	}
	n = strlen(head) + strlen(completion) + strlen(pb->suffix);
	if (n > BENCH_MAX_PROGRAM) {
		snprintf(errbuf, errlen, "program of %zu bytes is over the "
		    "limit of %u", n, BENCH_MAX_PROGRAM);
		free(code);
		return NULL;
	}
	s = xmalloc(n + 1);
	snprintf(s, n + 1, "%s%s%s", head, completion, pb->suffix);
	free(code);
	return s;
}

const char *
bench_mode(const struct problem *pb)
{
	const char	*mode;

	mode = json_string_value(json_object_get(pb->judge, "mode"));
	return mode != NULL ? mode : "script";
}

void
bench_limits(const struct problem *pb, uint32_t wall_ms,
    struct pool_limits *lim)
{
	const struct bench *row = bench_get(pb->bench);
	const char	*mode = bench_mode(pb);
	uint64_t	 wall;
	unsigned	 ntests = pb->ntests ? pb->ntests : 1;

	memset(lim, 0, sizeof(*lim));
	if (strcmp(mode, "script") == 0) {
		wall = wall_ms ? wall_ms : row->wall_ms;
		lim->test_ms = (uint32_t)wall;
	} else {
		/* Every test gets its limit, plus a second to start. */
		lim->test_ms = wall_ms ? wall_ms : row->test_ms;
		wall = (uint64_t)lim->test_ms * ntests + 1000;
	}
	if (wall > BENCH_MAX_WALL_MS)
		wall = BENCH_MAX_WALL_MS;
	lim->wall_ms = (uint32_t)wall;
	lim->cpu_ms = (uint32_t)wall;
	lim->mem_mb = row->mem_mb;
	lim->nproc = BENCH_NPROC;
	lim->fsize_kb = BENCH_FSIZE_KB;
	lim->out_kb = BENCH_OUT_KB;
}

void
bench_limits_conf(const struct problem *pb,
    const struct config_limits *over, struct pool_limits *lim)
{
	bool	 script = strcmp(bench_mode(pb), "script") == 0;

	if (over == NULL) {
		bench_limits(pb, 0, lim);
		return;
	}
	bench_limits(pb, script ? over->wall_ms : over->test_ms, lim);
	if (!script && over->wall_ms != 0)
		lim->wall_ms = lim->cpu_ms = over->wall_ms;
	if (over->mem_mb != 0)
		lim->mem_mb = over->mem_mb;
}

int
bench_base_passed(unsigned nbase, const struct sandbox_result *res)
{
	if (nbase == 0 || res->verdict == PROTO_VERDICT_INTERNAL ||
	    res->oracle_error)
		return -1;
	if (res->verdict == PROTO_VERDICT_PASSED)
		return 1;
	if (res->ntests < nbase)
		return 0;
	for (unsigned i = 0; i < nbase; i++)
		if (res->tests[i].status != PROTO_VERDICT_PASSED)
			return 0;
	return 1;
}
