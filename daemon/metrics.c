/*
 * metrics.c - Prometheus counters.  See metrics.h.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/bench.h"
#include "daemon/metrics.h"

/* Upper bounds of the jail-time histogram, milliseconds. */
static const uint64_t metrics_bounds_ms[] = {
	10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000
};
#define METRICS_NBUCKETS \
	(sizeof(metrics_bounds_ms) / sizeof(metrics_bounds_ms[0]))

/* Time-out counters: one per benchmark (daemon/bench.h), then "other". */
#define METRICS_NBENCH		(BENCH_COUNT + 1)

/* HTTP status classes 1xx..5xx. */
#define METRICS_NCLASSES	5

struct metrics {
	atomic_uint_fast64_t	 verdicts[PROTO_VERDICT_COUNT];
	atomic_uint_fast64_t	 timeouts[METRICS_NBENCH];
	atomic_uint_fast64_t	 buckets[METRICS_NBUCKETS + 1]; /* +Inf */
	atomic_uint_fast64_t	 jail_ms_sum;
	atomic_uint_fast64_t	 fresh, duplicates, reused;
	atomic_uint_fast64_t	 http[METRICS_NCLASSES];
	char			*node;	/* the node label's value, escaped */
};

char *
metrics_label_escape(const char *v)
{
	char	*s = xmalloc(2 * strlen(v) + 1), *p = s;

	/* The text format's three escapes; every other byte as it is. */
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"') {
			*p++ = '\\';
			*p++ = *v;
		} else if (*v == '\n') {
			*p++ = '\\';
			*p++ = 'n';
		} else
			*p++ = *v;
	}
	*p = '\0';
	return s;
}

struct metrics *
metrics_new(const char *node)
{
	struct metrics	*m = xcalloc(1, sizeof(*m));

	/* All-zero bytes are zero atomics on every platform we build on. */
	m->node = metrics_label_escape(node);
	return m;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	free(m->node);
	free(m);
}

void
metrics_verdict(struct metrics *m, enum proto_verdict v,
    int bench, uint64_t jail_ms)
{
	size_t	 b = 0;

	if ((unsigned)v < PROTO_VERDICT_COUNT)
		atomic_fetch_add(&m->verdicts[v], 1);
	while (b < METRICS_NBUCKETS && jail_ms > metrics_bounds_ms[b])
		b++;
	atomic_fetch_add(&m->buckets[b], 1);
	atomic_fetch_add(&m->jail_ms_sum, jail_ms);
	if (v != PROTO_VERDICT_TIMEOUT)
		return;
	atomic_fetch_add(&m->timeouts[bench >= 0 && bench < BENCH_COUNT ?
	    bench : BENCH_COUNT], 1);
}

void
metrics_submitted(struct metrics *m, size_t fresh, size_t duplicates,
    size_t reused)
{
	atomic_fetch_add(&m->fresh, fresh);
	atomic_fetch_add(&m->duplicates, duplicates);
	atomic_fetch_add(&m->reused, reused);
}

void
metrics_http(struct metrics *m, unsigned status)
{
	if (status >= 100 && status < 600)
		atomic_fetch_add(&m->http[status / 100 - 1], 1);
}

char *
metrics_render(struct metrics *m, size_t queued, size_t running)
{
	char		*s = NULL;
	size_t		 len = 0;
	uint64_t	 cum = 0;
	FILE		*fp;

	if ((fp = open_memstream(&s, &len)) == NULL)
		abort();	/* out of memory, as xmalloc would */
	fprintf(fp,
	    "# HELP verdictd_queue_depth Jobs waiting for a jail worker.\n"
	    "# TYPE verdictd_queue_depth gauge\n"
	    "verdictd_queue_depth{node=\"%s\"} %zu\n"
	    "# HELP verdictd_jobs_running Jobs in the jail now.\n"
	    "# TYPE verdictd_jobs_running gauge\n"
	    "verdictd_jobs_running{node=\"%s\"} %zu\n"
	    "# HELP verdictd_verdicts_total Jobs judged, by verdict.\n"
	    "# TYPE verdictd_verdicts_total counter\n", m->node, queued,
	    m->node, running);
	for (int v = 0; v < PROTO_VERDICT_COUNT; v++)
		fprintf(fp,
		    "verdictd_verdicts_total{verdict=\"%s\",node=\"%s\"} "
		    "%ju\n", proto_verdict_name((enum proto_verdict)v), m->node,
		    (uintmax_t)atomic_load(&m->verdicts[v]));
	fprintf(fp,
	    "# HELP verdictd_timeouts_total Jobs that timed out, by "
	    "benchmark.\n"
	    "# TYPE verdictd_timeouts_total counter\n");
	for (size_t i = 0; i < METRICS_NBENCH; i++)
		fprintf(fp,
		    "verdictd_timeouts_total{benchmark=\"%s\",node=\"%s\"} "
		    "%ju\n", i < BENCH_COUNT ?
		    bench_get((enum bench_id)i)->name : "other", m->node,
		    (uintmax_t)atomic_load(&m->timeouts[i]));
	fprintf(fp,
	    "# HELP verdictd_jail_seconds Time from handing a job to the "
	    "jail to its verdict.\n"
	    "# TYPE verdictd_jail_seconds histogram\n");
	for (size_t b = 0; b <= METRICS_NBUCKETS; b++) {
		cum += atomic_load(&m->buckets[b]);
		if (b < METRICS_NBUCKETS)
			fprintf(fp, "verdictd_jail_seconds_bucket"
			    "{le=\"%g\",node=\"%s\"} %ju\n",
			    (double)metrics_bounds_ms[b] / 1000, m->node,
			    (uintmax_t)cum);
		else
			fprintf(fp, "verdictd_jail_seconds_bucket"
			    "{le=\"+Inf\",node=\"%s\"} %ju\n", m->node,
			    (uintmax_t)cum);
	}
	fprintf(fp,
	    "verdictd_jail_seconds_sum{node=\"%s\"} %.3f\n"
	    "verdictd_jail_seconds_count{node=\"%s\"} %ju\n"
	    "# HELP verdictd_candidates_total Candidates posted, by fate.\n"
	    "# TYPE verdictd_candidates_total counter\n"
	    "verdictd_candidates_total{fate=\"stored\",node=\"%s\"} %ju\n"
	    "verdictd_candidates_total{fate=\"duplicate\",node=\"%s\"} "
	    "%ju\n"
	    "verdictd_candidates_total{fate=\"reused_verdict\",node=\"%s\"} "
	    "%ju\n"
	    "# HELP verdictd_http_responses_total HTTP responses, by status "
	    "class.\n"
	    "# TYPE verdictd_http_responses_total counter\n",
	    m->node, (double)atomic_load(&m->jail_ms_sum) / 1000, m->node,
	    (uintmax_t)cum, m->node, (uintmax_t)atomic_load(&m->fresh),
	    m->node, (uintmax_t)atomic_load(&m->duplicates), m->node,
	    (uintmax_t)atomic_load(&m->reused));
	for (int c = 0; c < METRICS_NCLASSES; c++)
		fprintf(fp,
		    "verdictd_http_responses_total{code=\"%dxx\",node=\"%s\"} "
		    "%ju\n", c + 1, m->node,
		    (uintmax_t)atomic_load(&m->http[c]));
	if (fclose(fp) != 0)
		abort();
	return s;
}
