/*
 * reports.h - runs to reports: gathers each run's candidates by problem
 * into the input of report_build() (report/report.h, pure computation)
 * and hands them to it with the cost table.
 *
 * A run is gathered in a struct reports_run, the one place where judged
 * candidates become report input (a verdict counted, "internal" never a
 * sample, the oracle's failures counted apart): from the store, sample
 * by sample, for "verdictd serve" (reports_build()), or from per-problem
 * verdict counts for "verdictd eval" (reports_run_add_counts()).
 */
#ifndef DAEMON_REPORTS_H
#define DAEMON_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <jansson.h>

#include "common/proto.h"
#include "daemon/models.h"
#include "daemon/problemset.h"
#include "store/store.h"

/*
 * Which tests decide a pass, for runs on EvalPlus problems (those with
 * base and plus tests; any other candidate's base is its whole test).
 */
enum reports_tests {
	REPORTS_TESTS_PLUS = 0,		/* every test: base and plus */
	REPORTS_TESTS_BASE,		/* the base tests alone */
	REPORTS_TESTS_BOTH,		/* each run twice, "RUN" (every test)
					   and "RUN (base)", side by side,
					   paired in "base_plus" */
};

/* What to report. */
struct reports_req {
	const char *const *runs;	/* run names, nruns of them */
	size_t		 nruns;
	const char	*base_model;	/* or NULL: the cheapest */
	bool		 measured;	/* measured costs where given */
	bool		 higher_is_better; /* scores rank high first */
	unsigned	 k;		/* 0: every k */
	bool		 own_problems;	/* problems=all: each run over its
					   own problems */
	enum reports_tests tests;
	unsigned	 resamples;	/* of the comparisons' bootstrap;
					   0: the default */
	uint64_t	 seed;		/* of its draws */
};

/* The judged candidates of one problem, counted. */
struct reports_counts {
	unsigned	 verdicts[PROTO_VERDICT_COUNT]; /* internal included */
	unsigned	 oracle_errors;	/* of verdicts[error]: the oracle
					   failed on every attempt */
};

struct reports_run;			/* opaque: one run being gathered */

/*
 * The reports of reports_build() and reports_build_runs() are
 * report_build()'s (report/report.h) with one more member,
 * "missing_costs": null when every run has a cost on both axes and every
 * ranker a row, else {"models": [the models without a row, each once],
 * "lines": ["NAME  <tflops>  <seconds>", the models.conf line of each],
 * "runs_without_model": [runs], "file": the table's path or null,
 * "note": what to do, in a sentence or two, which the md and html
 * formats show above the budget tables}.
 */

/*
 * Add "meta" to "report" (borrowed, changed; a report of reports_build()
 * or reports_build_runs()), what a title says of it: {"benchmarks": [the
 * datasets of its problems, sorted, each once], "problems": its task ids
 * over every run, each once, "generated": the UTC date of "now",
 * "YYYY-MM-DD", "version": verdict's, PROTO_VERSION}.  A task id that
 * "ps" (borrowed; NULL: none) does not hold, a problem gone since, counts
 * among the problems but names no dataset.  report/ keeps to pure
 * computation, without a clock or the problem set: the daemon adds it.
 * Call it under the set's read lock (service_problems()).  Allocation
 * failures abort, as xmalloc does.
 */
void	 reports_meta(json_t *report, const struct problemset *ps,
	    time_t now);

/*
 * Build the report of the stored runs req->runs with the cost table
 * "models" (borrowed; may be NULL: no budgets), each run's passes
 * decided by req->tests (with REPORTS_TESTS_BOTH, a run that has
 * EvalPlus base results is also reported as "RUN (base)", after it).  Returns 0 and a new
 * object in *out; -ENOENT with the unknown run named in errbuf; -EINVAL
 * with the reason (a run with no judged samples, k over a run's n_min,
 * an unknown base model); or -EIO.
 */
int	 reports_build(struct store *, const struct models *models,
	    const struct reports_req *req, json_t **out, char *errbuf,
	    size_t errlen);

/* A new run with no problem, no model and no ranker. */
struct reports_run *reports_run_new(void);

/*
 * Add problem "task_id" (copied) to "rr" with the candidates "counts"
 * (borrowed) counts: verdicts[v] judged v, the first oracle_errors of
 * the "error" ones the oracle's failure.  Each judged candidate but an
 * "internal" one is a sample, passed or not, and nothing more (not
 * greedy, no score, no measured cost).  A problem without a candidate
 * is not added.  Add each task once.
 */
void	 reports_run_add_counts(struct reports_run *rr, const char *task_id,
	    const struct reports_counts *counts);

/*
 * reports_build() for runs already gathered: run i is rr[i] (borrowed),
 * named req->runs[i], for i < req->nruns.  Returns 0 and a new object
 * in *out, or -EINVAL with the reason in errbuf.
 */
int	 reports_build_runs(struct reports_run *const *rr,
	    const struct models *models, const struct reports_req *req,
	    json_t **out, char *errbuf, size_t errlen);

/* Free a run.  reports_run_free(NULL) is a no-op. */
void	 reports_run_free(struct reports_run *rr);

#endif /* DAEMON_REPORTS_H */
