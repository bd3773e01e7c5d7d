/*
 * protocol.h - how a sample of a problem becomes a job for the jail:
 * the candidate program and the limits, per benchmark.
 *
 * The defaults follow the reference harnesses: 3 s for a HumanEval
 * program (openai/human-eval), 4 s per test for APPS (its testing_util),
 * longer for the EvalPlus sets whose own tests run for seconds.
 */
#ifndef DAEMON_PROTOCOL_H
#define DAEMON_PROTOCOL_H

#include <stdint.h>

#include "daemon/config.h"
#include "daemon/problemset.h"
#include "sandbox/pool.h"

/* Longest accepted candidate program, bytes. */
#define PROTOCOL_MAX_PROGRAM	(1u << 20)

/*
 * Build the program for one sample: "program" when given (a whole
 * program), else (prompt or the problem's prompt) + completion, then
 * the problem's suffix.  All strings are borrowed; returns a new
 * string, or NULL with a reason in errbuf when neither completion nor
 * program is given, or the result exceeds PROTOCOL_MAX_PROGRAM.
 */
char	*protocol_program(const struct problem *, const char *prompt,
	    const char *completion, const char *program, char *errbuf,
	    size_t errlen);

/* The judge mode of a problem ("script", "stdio", ...); borrowed. */
const char *protocol_mode(const struct problem *);

/*
 * Fill *lim with the default limits of the problem's benchmark.  When
 * "wall_ms" is non-zero it replaces the time limit: of the whole
 * candidate, or of each test for APPS and EvalPlus inputs.
 */
void	 protocol_limits(const struct problem *, uint32_t wall_ms,
	    struct pool_limits *lim);

/*
 * The same with a config's limits for the benchmark ("over", may be
 * NULL): "wall" replaces the whole-candidate limit, "test" the per-test
 * limit of the stdio, call and reference modes, "memory" the address
 * space; zeros keep the defaults.
 */
void	 protocol_limits_conf(const struct problem *,
	    const struct config_limits *over, struct pool_limits *lim);

#endif /* DAEMON_PROTOCOL_H */
