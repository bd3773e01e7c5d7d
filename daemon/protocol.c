/*
 * protocol.c - programs and limits per benchmark.  See protocol.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/protocol.h"

/*
 * Limits shared by every benchmark.  RLIMIT_AS is per process, so a
 * candidate can hold at most PROTOCOL_NPROC times PROTOCOL_MEM_MB.
 * Nothing bounds the sum yet; a memory cgroup per worker would.
 */
#define PROTOCOL_MEM_MB		1024
#define PROTOCOL_NPROC		8
#define PROTOCOL_FSIZE_KB	(16 * 1024)
#define PROTOCOL_OUT_KB		1024
/* A candidate never runs longer than this, whatever its test count. */
#define PROTOCOL_MAX_WALL_MS	(10 * 60 * 1000u)

/* Time limits per benchmark; the first matching row wins. */
static const struct protocol_row {
	const char	*benchmark;
	uint32_t	 wall_ms;	/* whole candidate (script mode) */
	uint32_t	 test_ms;	/* per test (other modes) */
	uint32_t	 mem_mb;	/* address space per process */
} protocol_rows[] = {
	/* openai/human-eval: timeout 3.0 s per program. */
	{ "humaneval",	3000,	3000,	PROTOCOL_MEM_MB },
	/* MBPP has no official harness; Mbpp/123's reference takes 4-10 s
	 * on a loaded 2-core machine. */
	{ "mbpp",	10000,	10000,	PROTOCOL_MEM_MB },
	/* HumanEval+ and MBPP+ run up to 1,000 inputs in one program;
	 * their slowest reference solutions take 10 s and 31 s, and
	 * Mbpp/255's returns lists of about a gigabyte. */
	{ "humaneval+",	30000,	2000,	4096 },
	{ "mbpp+",	60000,	2000,	4096 },
	/* hendrycks/apps testing_util: timeout = 4 per test. */
	{ "apps",	0,	4000,	PROTOCOL_MEM_MB },
};

char *
protocol_program(const struct problem *pb, const char *prompt,
    const char *completion, const char *program, char *errbuf,
    size_t errlen)
{
	const char	*head;
	size_t		 n;
	char		*s;

	if (program != NULL) {
		head = "";
		completion = program;
	} else if (completion != NULL) {
		head = prompt != NULL ? prompt : pb->prompt;
	} else {
		snprintf(errbuf, errlen, "needs \"completion\" or \"program\"");
		return NULL;
	}
	n = strlen(head) + strlen(completion) + strlen(pb->suffix);
	if (n > PROTOCOL_MAX_PROGRAM) {
		snprintf(errbuf, errlen, "program of %zu bytes is over the "
		    "limit of %u", n, PROTOCOL_MAX_PROGRAM);
		return NULL;
	}
	s = xmalloc(n + 1);
	snprintf(s, n + 1, "%s%s%s", head, completion, pb->suffix);
	return s;
}

const char *
protocol_mode(const struct problem *pb)
{
	const char	*mode;

	mode = json_string_value(json_object_get(pb->judge, "mode"));
	return mode != NULL ? mode : "script";
}

void
protocol_limits(const struct problem *pb, uint32_t wall_ms,
    struct pool_limits *lim)
{
	const struct protocol_row *row = &protocol_rows[0];
	const char	*mode = protocol_mode(pb);
	uint64_t	 wall;
	unsigned	 ntests = pb->ntests ? pb->ntests : 1;

	for (size_t i = 0; i < sizeof(protocol_rows) /
	    sizeof(protocol_rows[0]); i++)
		if (strcmp(protocol_rows[i].benchmark, pb->benchmark) == 0)
			row = &protocol_rows[i];

	memset(lim, 0, sizeof(*lim));
	if (strcmp(mode, "script") == 0) {
		wall = wall_ms ? wall_ms : row->wall_ms;
		lim->test_ms = (uint32_t)wall;
	} else {
		/* Every test gets its limit, plus a second to start. */
		lim->test_ms = wall_ms ? wall_ms : row->test_ms;
		wall = (uint64_t)lim->test_ms * ntests + 1000;
	}
	if (wall > PROTOCOL_MAX_WALL_MS)
		wall = PROTOCOL_MAX_WALL_MS;
	lim->wall_ms = (uint32_t)wall;
	lim->cpu_ms = (uint32_t)wall;
	lim->mem_mb = row->mem_mb;
	lim->nproc = PROTOCOL_NPROC;
	lim->fsize_kb = PROTOCOL_FSIZE_KB;
	lim->out_kb = PROTOCOL_OUT_KB;
}

void
protocol_limits_conf(const struct problem *pb,
    const struct config_limits *over, struct pool_limits *lim)
{
	bool	 script = strcmp(protocol_mode(pb), "script") == 0;

	if (over == NULL) {
		protocol_limits(pb, 0, lim);
		return;
	}
	protocol_limits(pb, script ? over->wall_ms : over->test_ms, lim);
	if (!script && over->wall_ms != 0)
		lim->wall_ms = lim->cpu_ms = over->wall_ms;
	if (over->mem_mb != 0)
		lim->mem_mb = over->mem_mb;
}
