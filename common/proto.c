/*
 * proto.c - verdict names.  See proto.h.
 */
#include <errno.h>
#include <string.h>

#include "common/proto.h"

static const char *const proto_verdict_names[PROTO_VERDICT_COUNT] = {
	[PROTO_VERDICT_PASSED] = "passed",
	[PROTO_VERDICT_FAILED] = "failed",
	[PROTO_VERDICT_ERROR] = "error",
	[PROTO_VERDICT_SYNTAX_ERROR] = "syntax_error",
	[PROTO_VERDICT_TIMEOUT] = "timeout",
	[PROTO_VERDICT_MEMORY_LIMIT] = "memory_limit",
	[PROTO_VERDICT_OUTPUT_LIMIT] = "output_limit",
	[PROTO_VERDICT_FORBIDDEN] = "forbidden",
	[PROTO_VERDICT_INTERNAL] = "internal",
};

const char *
proto_verdict_name(enum proto_verdict v)
{
	if ((unsigned)v >= PROTO_VERDICT_COUNT)
		return "internal";
	return proto_verdict_names[v];
}

int
proto_verdict_parse(const char *name, enum proto_verdict *v)
{
	for (int i = 0; i < PROTO_VERDICT_COUNT; i++) {
		if (strcmp(name, proto_verdict_names[i]) == 0) {
			*v = (enum proto_verdict)i;
			return 0;
		}
	}
	return -EINVAL;
}
