/*
 * v1.h - the REST API, version 1: the route table and its handlers.
 *
 *   POST /v1/candidates            store candidates (JSON array or NDJSON)
 *   GET  /v1/candidates/{id}       one candidate; ?wait=S long-polls
 *   GET  /v1/runs                  every run with its counts; ?name=GLOB,
 *                                  ?model=M, ?state=pending|done filter
 *   GET  /v1/runs/{run}            one run
 *   DELETE /v1/runs/{run}          the run, its candidates, the jobs no
 *                                  other run uses (shared ones kept)
 *   PATCH /v1/runs/{run}           {"model", "ranker"}: set after the fact
 *   GET  /v1/runs/{run}/problems   per problem: n, c, pass rate, verdicts
 *   GET  /v1/runs/{run}/results    NDJSON, one line per done candidate
 *   GET  /v1/runs/{run}/feed       NDJSON, verdicts in the order they came
 *                                  (?after=CURSOR, &follow=1, &timeout=S)
 *   GET  /v1/problems              ?benchmark=B, ?dataset=D filter
 *   GET  /v1/problems/{task_id}    one problem (the id may hold "/")
 *   POST /v1/problems?format=F     import a problem file (&dataset=D)
 *   GET  /v1/reports?runs=A,B      pass@k, budgets, rank-score (&metric=,
 *                                  &format=json|csv|md|svg|html, &k=,
 *                                  &base=, &cost=, &order=, &tests=)
 *   GET  /v1/health                open without a token
 *   GET  /metrics                  Prometheus text
 *
 * The shapes are documented in README.md; errors are
 * {"error": {"code", "message", ...}}.
 */
#ifndef API_V1_H
#define API_V1_H

#include "api/http.h"

/* The http_handler of verdictd: route one complete request. */
enum MHD_Result v1_handle(struct http_req *);

#endif /* API_V1_H */
