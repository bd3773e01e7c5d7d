/*
 * proto.h - names shared by the daemon, the sandbox and the client.
 *
 * The verdict kinds are part of the API: their spelling appears in JSON
 * output, in the stored results and in the runner's result messages
 * (the runner in sandbox/runner/ uses the same strings).
 */
#ifndef COMMON_PROTO_H
#define COMMON_PROTO_H

#include <stdbool.h>

/* The version of verdictd, verdict-jail and verdict (one release). */
#define PROTO_VERSION		"0.2.0"

enum proto_verdict {
	PROTO_VERDICT_PASSED = 0,	/* every test passed */
	PROTO_VERDICT_FAILED,		/* an assertion or a wrong output */
	PROTO_VERDICT_ERROR,		/* uncaught exception, early exit */
	PROTO_VERDICT_SYNTAX_ERROR,	/* the program does not compile */
	PROTO_VERDICT_TIMEOUT,		/* CPU or wall-clock limit */
	PROTO_VERDICT_MEMORY_LIMIT,	/* address-space limit */
	PROTO_VERDICT_OUTPUT_LIMIT,	/* stdout/stderr over the cap */
	PROTO_VERDICT_FORBIDDEN,	/* the jail refused a system call */
	PROTO_VERDICT_INTERNAL,		/* the oracle's own fault */
	PROTO_VERDICT_COUNT
};

/* Return the wire name of "v" ("passed", ...); static storage. */
const char	*proto_verdict_name(enum proto_verdict v);

/*
 * Parse a wire name.  Returns 0 and sets *v, or -EINVAL for a name that
 * is not a verdict.
 */
int		 proto_verdict_parse(const char *name, enum proto_verdict *v);

#endif /* COMMON_PROTO_H */
