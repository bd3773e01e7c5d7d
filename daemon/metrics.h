/*
 * metrics.h - the daemon's counters, served as Prometheus text at
 * GET /metrics.
 *
 * Every counter is a C11 atomic: the loop thread (verdicts, jail time)
 * and the HTTP threads (requests, submissions) update them without a
 * lock, and a scrape reads each one once.  Counters start at zero when
 * the daemon starts, as Prometheus expects of counters.  Every series
 * carries the label node="NODE_ID" (config node_id), so that the series
 * of the nodes of a cluster stay apart whatever the scraper adds.
 */
#ifndef DAEMON_METRICS_H
#define DAEMON_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "common/proto.h"

struct metrics;				/* opaque */

/* A new set of counters, all zero, of node "node" (copied). */
struct metrics *metrics_new(const char *node);

/* Free them.  metrics_free(NULL) is a no-op. */
void	 metrics_free(struct metrics *);

/*
 * One job judged: its verdict, its benchmark (an enum bench_id, or -1
 * when unknown) and its time in the jail, milliseconds (the histogram
 * verdictd_jail_seconds).  A time-out is also counted per benchmark.
 */
void	 metrics_verdict(struct metrics *, enum proto_verdict, int bench,
	    uint64_t jail_ms);

/*
 * Candidates stored by a submission: "fresh" new ones, "duplicates"
 * already stored, and "reused" new ones that joined the job of an
 * identical program instead of running.
 */
void	 metrics_submitted(struct metrics *, size_t fresh, size_t duplicates,
	    size_t reused);

/*
 * One HTTP response with this status code, "us" microseconds after its
 * request arrived (the histogram verdictd_http_request_seconds).
 */
void	 metrics_http(struct metrics *, unsigned status, uint64_t us);

/*
 * "v" as a label value of the Prometheus text format: backslash, double
 * quote and line feed escaped (\\, \", \n), every other byte as it is.
 * Returns a new string.
 */
char	*metrics_label_escape(const char *v);

/*
 * Render every counter and the gauges "queued" (jobs waiting) and
 * "running" (jobs in the jail) as Prometheus text exposition format
 * 0.0.4, with verdictd_build_info and the process's own figures
 * (process_cpu_seconds_total, _resident_memory_bytes,
 * _virtual_memory_bytes, _open_fds, _max_fds, _start_time_seconds).
 * Returns a new string.
 */
char	*metrics_render(struct metrics *, size_t queued, size_t running);

#endif /* DAEMON_METRICS_H */
