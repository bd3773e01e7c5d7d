/*
 * metrics.c - Prometheus counters.  See metrics.h.
 */
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include "common/xmalloc.h"
#include "daemon/bench.h"
#include "daemon/metrics.h"

#define METRICS_MAX_BUCKETS	16	/* bounds of a histogram, at most */

/* Upper bounds of the jail-time histogram, microseconds; 0 ends. */
static const uint64_t metrics_jail_us[] = {
	10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
	5000000, 10000000, 30000000, 60000000, 0
};

/* Upper bounds of the request-duration histogram, microseconds. */
static const uint64_t metrics_http_us[] = {
	1000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
	2500000, 10000000, 60000000, 300000000, 0
};

/* Time-out counters: one per benchmark (daemon/bench.h), then "other". */
#define METRICS_NBENCH		(BENCH_COUNT + 1)

/* HTTP status codes counted one by one, 100..599. */
#define METRICS_NCODES		600

/* A histogram: its bounds, a count per bucket (the last +Inf), the sum. */
struct metrics_hist {
	const uint64_t		*bounds_us;	/* 0-terminated */
	atomic_uint_fast64_t	 buckets[METRICS_MAX_BUCKETS + 1];
	atomic_uint_fast64_t	 sum_us;
};

struct metrics {
	atomic_uint_fast64_t	 verdicts[PROTO_VERDICT_COUNT];
	atomic_uint_fast64_t	 timeouts[METRICS_NBENCH];
	struct metrics_hist	 jail;
	struct metrics_hist	 http_time;
	atomic_uint_fast64_t	 fresh, duplicates, reused;
	atomic_uint_fast64_t	 http[METRICS_NCODES];
	char			*node;	/* the node label's value, escaped */
	double			 start;	/* metrics_new()'s time, epoch s */
};

/* Count one observation of "us" microseconds in h. */
static void
metrics_observe(struct metrics_hist *h, uint64_t us)
{
	size_t	 b = 0;

	while (h->bounds_us[b] != 0 && us > h->bounds_us[b])
		b++;
	atomic_fetch_add(&h->buckets[b], 1);
	atomic_fetch_add(&h->sum_us, us);
}

/* Render histogram h as "name" (its HELP text "help"). */
static void
metrics_render_hist(FILE *fp, struct metrics_hist *h, const char *name,
    const char *help, const char *node)
{
	uint64_t	 cum = 0;
	size_t		 b;

	fprintf(fp, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	for (b = 0; h->bounds_us[b] != 0; b++) {
		cum += atomic_load(&h->buckets[b]);
		fprintf(fp, "%s_bucket{le=\"%g\",node=\"%s\"} %ju\n", name,
		    (double)h->bounds_us[b] / 1e6, node, (uintmax_t)cum);
	}
	cum += atomic_load(&h->buckets[b]);
	fprintf(fp, "%s_bucket{le=\"+Inf\",node=\"%s\"} %ju\n"
	    "%s_sum{node=\"%s\"} %.6f\n%s_count{node=\"%s\"} %ju\n", name,
	    node, (uintmax_t)cum, name, node,
	    (double)atomic_load(&h->sum_us) / 1e6, name, node, (uintmax_t)cum);
}

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
	m->jail.bounds_us = metrics_jail_us;
	m->http_time.bounds_us = metrics_http_us;
	m->start = (double)time(NULL);
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
	if ((unsigned)v < PROTO_VERDICT_COUNT)
		atomic_fetch_add(&m->verdicts[v], 1);
	metrics_observe(&m->jail, jail_ms * 1000);
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
metrics_http(struct metrics *m, unsigned status, uint64_t us)
{
	if (status >= 100 && status < METRICS_NCODES)
		atomic_fetch_add(&m->http[status], 1);
	metrics_observe(&m->http_time, us);
}

/*
 * The process's own figures, as Prometheus's client libraries name
 * them: CPU seconds, resident and virtual memory, open and allowed
 * descriptors, start time (from /proc/self).
 */
static void
metrics_render_process(FILE *fp, const struct metrics *m)
{
	struct rlimit	 rl;
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	unsigned long long utime = 0, stime = 0, vsize = 0, rss = 0;
	long		 tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
	size_t		 fds = 0;
	char		 buf[1024], *p;

	if ((f = fopen("/proc/self/stat", "r")) != NULL) {
		/* After the ")" of the name: state is field 3. */
		if (fgets(buf, sizeof(buf), f) != NULL &&
		    (p = strrchr(buf, ')')) != NULL)
			(void)sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u "
			    "%*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %*u "
			    "%llu %llu", &utime, &stime, &vsize, &rss);
		fclose(f);
	}
	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				fds++;
		closedir(d);
		fds--;			/* the one opendir() holds */
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		rl.rlim_cur = 0;
	fprintf(fp,
	    "# HELP process_cpu_seconds_total CPU time of the daemon.\n"
	    "# TYPE process_cpu_seconds_total counter\n"
	    "process_cpu_seconds_total{node=\"%s\"} %.2f\n"
	    "# HELP process_resident_memory_bytes Resident memory.\n"
	    "# TYPE process_resident_memory_bytes gauge\n"
	    "process_resident_memory_bytes{node=\"%s\"} %llu\n"
	    "# HELP process_virtual_memory_bytes Virtual memory.\n"
	    "# TYPE process_virtual_memory_bytes gauge\n"
	    "process_virtual_memory_bytes{node=\"%s\"} %llu\n"
	    "# HELP process_open_fds Open file descriptors.\n"
	    "# TYPE process_open_fds gauge\n"
	    "process_open_fds{node=\"%s\"} %zu\n"
	    "# HELP process_max_fds The limit of open file descriptors.\n"
	    "# TYPE process_max_fds gauge\n"
	    "process_max_fds{node=\"%s\"} %llu\n"
	    "# HELP process_start_time_seconds Start time, since the "
	    "epoch.\n"
	    "# TYPE process_start_time_seconds gauge\n"
	    "process_start_time_seconds{node=\"%s\"} %.0f\n",
	    m->node, tick > 0 ? (double)(utime + stime) / (double)tick : 0.0,
	    m->node, rss * (unsigned long long)(page > 0 ? page : 4096),
	    m->node, vsize, m->node, fds, m->node,
	    (unsigned long long)rl.rlim_cur, m->node, m->start);
}

char *
metrics_render(struct metrics *m, size_t queued, size_t running)
{
	char		*s = NULL;
	size_t		 len = 0;
	uint64_t	 n;
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
	metrics_render_hist(fp, &m->jail, "verdictd_jail_seconds", "Time "
	    "from handing a job to the jail to its verdict.", m->node);
	fprintf(fp,
	    "# HELP verdictd_candidates_total Candidates posted, by fate.\n"
	    "# TYPE verdictd_candidates_total counter\n"
	    "verdictd_candidates_total{fate=\"stored\",node=\"%s\"} %ju\n"
	    "verdictd_candidates_total{fate=\"duplicate\",node=\"%s\"} "
	    "%ju\n"
	    "verdictd_candidates_total{fate=\"reused_verdict\",node=\"%s\"} "
	    "%ju\n"
	    "# HELP verdictd_http_responses_total HTTP responses, by status "
	    "code (those answered so far).\n"
	    "# TYPE verdictd_http_responses_total counter\n",
	    m->node, (uintmax_t)atomic_load(&m->fresh), m->node,
	    (uintmax_t)atomic_load(&m->duplicates), m->node,
	    (uintmax_t)atomic_load(&m->reused));
	for (int c = 100; c < METRICS_NCODES; c++)
		if ((n = atomic_load(&m->http[c])) > 0)
			fprintf(fp, "verdictd_http_responses_total"
			    "{code=\"%d\",node=\"%s\"} %ju\n", c, m->node,
			    (uintmax_t)n);
	metrics_render_hist(fp, &m->http_time,
	    "verdictd_http_request_seconds", "Time from a request's arrival "
	    "to its answer (long polls included).", m->node);
	fprintf(fp,
	    "# HELP verdictd_build_info The build: version.\n"
	    "# TYPE verdictd_build_info gauge\n"
	    "verdictd_build_info{version=\"%s\",node=\"%s\"} 1\n",
	    PROTO_VERSION, m->node);
	metrics_render_process(fp, m);
	if (fclose(fp) != 0)
		abort();
	return s;
}
