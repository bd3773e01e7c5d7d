/*
 * v1args.h - the query arguments of GET /v1/reports read into what a
 * report is built and rendered with, before any store is read; and the
 * whole numbers that several routes take.
 *
 * Pure: no HTTP, no store, no locks.  api/v1.c hands it libmicrohttpd's
 * arguments through a callback; tests/fuzz/fuzz-query.c any strings.
 */
#ifndef API_V1ARGS_H
#define API_V1ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/reports.h"
#include "report/render.h"

#define V1ARGS_MAX_RUNS		16	/* runs in one report */

/* What GET /v1/reports asks for. */
struct v1args_report {
	struct reports_req rq;		/* runs: names[], nruns of them;
					   base_model borrowed from "get" */
	enum render_format fmt;		/* format=; RENDER_JSON without */
	enum render_metric metric;	/* metric=; RENDER_PASS without */
	struct render_opts ro;		/* axis=; samples without */
	const char	*cost;		/* cost= when it is a JSON object,
					   for models_from_request(); else
					   NULL; borrowed from "get" */
	const char	*names[V1ARGS_MAX_RUNS]; /* into list */
	char		*list;		/* runs=, split; owned */
};

/* Why an argument is refused. */
struct v1args_bad {
	const char	*field;		/* the argument; static storage */
	char		 msg[256];	/* the reason, a sentence */
};

/* The value of the query argument "key", or NULL when absent. */
typedef const char *v1args_get_cb(void *arg, const char *key);

/*
 * Read the arguments of GET /v1/reports (README.md, "Reports") through
 * "get" (called with "arg"): format, metric, axis, k, resamples, seed,
 * cost (table, measured or a JSON object, read later), order, tests,
 * problems, base and runs (required: 1 to V1ARGS_MAX_RUNS names that
 * candidate_name_ok() takes, separated by commas), checked in that
 * order.  Returns 0 with *a filled (release it with
 * v1args_report_free()), or -EINVAL with the first bad argument and why
 * in *bad and nothing in *a to release.  The strings "get" returns must
 * outlive *a.
 */
int	 v1args_report(v1args_get_cb *get, void *arg,
	    struct v1args_report *a, struct v1args_bad *bad);

/* Release what *a owns.  Idempotent. */
void	 v1args_report_free(struct v1args_report *a);

/*
 * Is "arg" a whole number from "lo" to "hi", decimal digits only (no
 * sign, no space)?  Then true, with it in *v.
 */
bool	 v1args_int(const char *arg, int64_t lo, int64_t hi, int64_t *v);

#endif /* API_V1ARGS_H */
