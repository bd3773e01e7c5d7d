/*
 * result.h - the jail's result record for one job, typed.
 *
 * The zygote answers each job with one JSON object (its keys are
 * documented at the top of sandbox/runner/common.py).  result.c is the
 * only code that knows those keys: the pool parses each line into a struct
 * sandbox_result and hands that to its owner, and the writers (the store,
 * verdictd eval's output) turn the per-test results back into JSON with
 * sandbox_result_tests_json().  A field missing from a record takes its
 * default (0, NULL, false, -1 where said); a field of the wrong type is
 * an error, never a silent zero.
 */
#ifndef SANDBOX_RESULT_H
#define SANDBOX_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "common/proto.h"

/* A test's status: a verdict, or SANDBOX_NOT_RUN after the candidate
 * was gone or a test timed out. */
#define SANDBOX_NOT_RUN		(-1)

struct sandbox_test {
	char		*name;
	int		 status;	/* enum proto_verdict or NOT_RUN */
	int64_t		 ms;
	char		*message;	/* NULL: none */
};

/*
 * What a job cost, for measurement only (verdictd eval prints medians;
 * nothing stores it): the record's "cost" object, one int64_t per key,
 * -1 when the record does not have it.  The candidate's page faults
 * (minor, major) and context switches (voluntary, involuntary) from
 * wait4(), and its CPU time (utime + stime; cpu_ms counts its cgroup
 * instead, when the jail has one); then each helper's getrusage(RUSAGE_SELF) deltas from its
 * previous job: the same four counts and its CPU time.  The key of
 * SANDBOX_COST_X is sandbox_cost_key(SANDBOX_COST_X).
 */
enum sandbox_cost_kind {
	SANDBOX_COST_CAND_MINFLT,	/* "cand_minflt" */
	SANDBOX_COST_CAND_MAJFLT,
	SANDBOX_COST_CAND_NVCSW,
	SANDBOX_COST_CAND_NIVCSW,
	SANDBOX_COST_CAND_CPU_US,	/* utime + stime, from wait4() */
	SANDBOX_COST_FORKER_MINFLT,	/* copy-on-write faults, mostly */
	SANDBOX_COST_FORKER_MAJFLT,
	SANDBOX_COST_FORKER_NVCSW,
	SANDBOX_COST_FORKER_NIVCSW,
	SANDBOX_COST_FORKER_CPU_US,
	SANDBOX_COST_ZYGOTE_MINFLT,
	SANDBOX_COST_ZYGOTE_MAJFLT,
	SANDBOX_COST_ZYGOTE_NVCSW,
	SANDBOX_COST_ZYGOTE_NIVCSW,
	SANDBOX_COST_ZYGOTE_CPU_US,
	SANDBOX_COST_JUDGE_MINFLT,
	SANDBOX_COST_JUDGE_MAJFLT,
	SANDBOX_COST_JUDGE_NVCSW,
	SANDBOX_COST_JUDGE_NIVCSW,
	SANDBOX_COST_JUDGE_CPU_US,
	SANDBOX_COST_COUNT
};

struct sandbox_result {
	enum proto_verdict verdict;
	bool		 oracle_error;	/* "error": the oracle failed twice */
	bool		 rechecked;	/* decided by a second run */
	struct sandbox_test *tests;
	size_t		 ntests;
	int64_t		 cpu_ms;	/* all its processes */
	int64_t		 wall_ms;
	int64_t		 max_rss_kb;
	char		*stderr_text;	/* capped excerpt, "" when none */
	char		*message;	/* "" when none */
	int64_t		 jail_rss_kb;	/* the jail's own health: */
	int64_t		 jail_fds;	/* -1 when not reported */
	int64_t		 forker_fds;	/* -1 when not reported */
	char		*expected;	/* a reference's outputs, made for
					   this job (sandbox/expected.h);
					   NULL: none */
	int64_t		 expected_ms;	/* and its time; -1: not reported */
	int64_t		 cost[SANDBOX_COST_COUNT]; /* -1: not reported */
};

/*
 * Parse one result record "rec" (borrowed) into *res (new: release with
 * sandbox_result_free()).  Returns 0, or -EINVAL with the key named in
 * errbuf (and *res empty) when a key holds the wrong type or the verdict
 * is not one of proto.h's.
 */
int	 sandbox_result_parse(const json_t *rec, struct sandbox_result *res,
	    char *errbuf, size_t errlen);

/* The record key ("cand_minflt", ...) of a cost kind, inside "cost". */
const char *sandbox_cost_key(enum sandbox_cost_kind k);

/*
 * Fill *res (new) with a result the pool makes itself, without a record:
 * verdict "v", "message" (copied), no tests.
 */
void	 sandbox_result_make(struct sandbox_result *res, enum proto_verdict v,
	    const char *message);

/*
 * The per-test results as a JSON array (new reference) of
 * {"name", "status", "ms", "message"?}, as the API and verdictd eval
 * show them.  Never NULL: jansson allocates through xmalloc
 * (common/xjson.h), and the names and messages came from a JSON record,
 * so they are UTF-8.
 */
json_t	*sandbox_result_tests_json(const struct sandbox_result *res);

/* Release what *res holds; it is left empty.  NULL is a no-op. */
void	 sandbox_result_free(struct sandbox_result *res);

#endif /* SANDBOX_RESULT_H */
