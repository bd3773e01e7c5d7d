/*
 * bench.h - the benchmarks verdict knows, in one table, and how a
 * sample of a problem becomes a job for the jail.
 *
 * One row per benchmark: the name the API, the config (limits.NAME) and
 * /metrics spell, the import formats whose files may hold it, and its
 * default limits.  Adding a benchmark is adding a row (and its loader,
 * daemon/problemset-SHAPE.c).  The defaults follow the reference
 * harnesses: 3 s for a HumanEval program (openai/human-eval), 4 s per
 * test for APPS (its testing_util), longer for the EvalPlus sets whose
 * own tests run for seconds.  The judge mode is the problem's own
 * (HumanEval+ has both: its OriginFmt file runs its tests, its
 * inputs-only file compares with the reference), so it is read from the
 * problem's spec.
 */
#ifndef DAEMON_BENCH_H
#define DAEMON_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config_limits;
struct pool_limits;
struct problem;
struct sandbox_result;

enum bench_id {
	BENCH_HUMANEVAL,
	BENCH_HUMANEVAL_PLUS,
	BENCH_MBPP,
	BENCH_MBPP_PLUS,
	BENCH_APPS,
	BENCH_COUNT
};

/* The import formats (POST /v1/problems?format=, the files' shapes). */
enum bench_format {
	BENCH_FMT_HUMANEVAL = 1 << 0,
	BENCH_FMT_MBPP = 1 << 1,
	BENCH_FMT_APPS = 1 << 2,
	BENCH_FMT_EVALPLUS = 1 << 3,
};

struct bench {
	const char	*name;		/* "humaneval", "humaneval+", ... */
	unsigned	 formats;	/* bench_format bits that hold it */
	uint32_t	 wall_ms;	/* whole candidate (script mode) */
	uint32_t	 test_ms;	/* per test (other modes) */
	uint32_t	 mem_mb;	/* address space per process */
	bool		 native_ids;	/* a dataset of this name keeps its
					   files' task ids as problem ids */
};

/* Longest accepted candidate program, bytes. */
#define BENCH_MAX_PROGRAM	(1u << 20)

/* The row of benchmark "id" (< BENCH_COUNT); static storage. */
const struct bench *bench_get(enum bench_id id);

/*
 * The benchmark named by the "len" bytes at "name".  Returns 0 with *id,
 * or -ENOENT.
 */
int	 bench_find(const char *name, size_t len, enum bench_id *id);

/* The names, "humaneval, humaneval+, mbpp, mbpp+, apps" (static). */
const char *bench_names(void);

/*
 * The import format named "name" ("humaneval", "mbpp", "apps",
 * "evalplus").  Returns 0 with its bench_format bit in *fmt, or -ENOENT.
 */
int	 bench_format_parse(const char *name, unsigned *fmt);

/*
 * Build the program for one sample: "program" when given (a whole
 * program), else (prompt or the problem's prompt) + completion, then
 * the problem's suffix.  With "sanitize", the code is first extracted
 * as EvalPlus does (daemon/sanitize.h) from the program, or from the
 * prompt, a newline and the completion, with the problem's entry
 * points as roots (none for a stdio problem: its fenced block only);
 * what is extracted is then a whole program, followed by the suffix;
 * when sanitizing would leave the text as it is (daemon/sanitize.h,
 * "intact"), the program is built as without it.  *changed says
 * whether sanitizing changed the text (false without it).  All strings
 * are borrowed; returns a new string, or NULL with a reason in errbuf
 * when neither completion nor program is given, or the result exceeds
 * BENCH_MAX_PROGRAM.
 */
char	*bench_program(const struct problem *, const char *prompt,
	    const char *completion, const char *program, bool sanitize,
	    bool *changed, char *errbuf, size_t errlen);

/* The judge mode of a problem ("script", "stdio", ...); borrowed. */
const char *bench_mode(const struct problem *);

/*
 * Fill *lim with the default limits of the problem's benchmark.  When
 * "wall_ms" is non-zero it replaces the time limit: of the whole
 * candidate, or of each test for APPS and EvalPlus inputs.
 */
void	 bench_limits(const struct problem *, uint32_t wall_ms,
	    struct pool_limits *lim);

/*
 * The same with a config's limits for the benchmark ("over", may be
 * NULL): "wall" replaces the whole-candidate limit, "test" the per-test
 * limit of the stdio, call and reference modes, "memory" the address
 * space; zeros keep the defaults.
 */
void	 bench_limits_conf(const struct problem *,
	    const struct config_limits *over, struct pool_limits *lim);

/*
 * Whether a judged candidate passed the first "nbase" tests, the base
 * tests of an EvalPlus problem (struct problem's nbase): 1 when its
 * verdict is "passed" or each of those tests passed, 0 when one did not
 * pass or did not run, -1 when nbase is 0 (no base and plus split) or
 * the oracle failed (verdict "internal", or an oracle_error).  EvalPlus
 * runs the base tests alone for its base score; here they run first,
 * and each test's status is the judge's, outside the candidate.
 */
int	 bench_base_passed(unsigned nbase, const struct sandbox_result *res);

#endif /* DAEMON_BENCH_H */
