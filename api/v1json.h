/*
 * v1json.h - the v1 API's JSON for what the store reads: a candidate, a
 * run, a run's problem and a line of a run's results.
 *
 * The store (store/store.h) returns C structs; these functions give them
 * the shapes README.md documents ("The REST API"): the keys, their order
 * and their types are part of the API.  Figures the API derives (a run's
 * progress, a problem's n, c and pass rate, a candidate's "passed") are
 * computed here.  Each function returns a new object (jansson allocates
 * through xmalloc, common/xjson.h) and may be called from any thread.
 */
#ifndef API_V1JSON_H
#define API_V1JSON_H

#include <jansson.h>

#include "store/store.h"

/*
 * {"id", "run", "model", "task_id", "sample", "state" ("queued",
 * "running" or "done"), "verdict" (null until done), "passed", "tests",
 * "cpu_ms", "wall_ms", "max_rss_kb", "stderr", "message",
 * "oracle_error", "score", "greedy", "truncated", "cost"}, then, for a
 * sanitized candidate only, "sanitized" (true) and "original" (the text
 * as posted); an absent optional field is null, "cost" has the keys
 * given.
 */
json_t	*v1json_candidate(const struct store_candidate *c);

/*
 * What a reward needs of a candidate, for the answers that wait for
 * several: {"id", "task_id", "state", "verdict" (null until done),
 * "passed" (null until done), "tests_passed" (the fraction of its tests
 * that passed, 0..1; null until done; a done candidate without tests
 * counts 1 when it passed, else 0), "tests" (the number of tests, null
 * until done)}; "sanitized" (true), after "passed", for a sanitized
 * candidate only.
 */
json_t	*v1json_reward(const struct store_candidate *c);

/*
 * {"run", "model", "ranker", "created" (ISO 8601 UTC), "candidates",
 * "problems", "queued", "running", "done", "progress" (done /
 * candidates, 0..1), "verdicts": {every verdict kind: N},
 * "oracle_errors"}.
 */
json_t	*v1json_run(const struct store_run *r);

/*
 * {"task_id", "n" (done, not internal), "c" (passed), "pass_rate" (100
 * c / n, a percent as in the reports; null when n is 0), "pending",
 * "verdicts": {...}, "oracle_errors"}.
 */
json_t	*v1json_problem(const struct store_problem *p);

/* What a results line may add (?fields=), as flags. */
#define V1JSON_MESSAGE	0x1		/* "message": the job's message */
#define V1JSON_TESTS	0x2		/* "tests": each test's outcome */
#define V1JSON_STDERR	0x4		/* "stderr": the candidate's stderr */
#define V1JSON_ORIGINAL	0x8		/* "original": a sanitized one's text */

/*
 * One line of the results stream: {"id", "task_id", "sample",
 * "verdict", "passed", "score", "greedy", "truncated", "cost", "cpu_ms",
 * "wall_ms", "max_rss_kb"}, then, of "fields" (V1JSON_*, read from the
 * store with store_results()'s detail), "message", "tests",
 * "stderr" in that order; then, for a sanitized candidate only,
 * "sanitized" (true) and, of "fields", "original".
 */
json_t	*v1json_verdict(const struct store_verdict *v, unsigned fields);

#endif /* API_V1JSON_H */
