/*
 * problems.h - the problems the runs of a report share, for
 * report_build() (problems.c): a report of runs over different problems
 * compares them on the problems every run has, unless
 * opts->own_problems keeps each run's own.  Pure computation, callable
 * from any thread.
 */
#ifndef REPORT_PROBLEMS_H
#define REPORT_PROBLEMS_H

#include <stdbool.h>
#include <stddef.h>

#include "report/report.h"

/* The runs' problem sets, and the runs report_build() works on. */
struct report_problems {
	bool		 differ;	/* some run has a task id that
					   another lacks */
	size_t		 common;	/* task ids every run has */
	size_t		*outside;	/* nruns: a run's task ids that not
					   every run has; new */
	struct report_run *runs;	/* differ and not own: the runs cut
					   to the common task ids, their
					   problems new, the rest borrowed;
					   else NULL */
};

/*
 * Work out in *ps (the caller's, zeroed) the problem sets of
 * runs[0..nruns-1] (borrowed; each run's task ids distinct), by task id,
 * and when they differ and own is false, the runs cut to the common
 * task ids.  O(P log P) per run of P problems, times the runs.
 * Allocation failures abort, as xmalloc does.  Release with
 * report_problems_free().
 */
void	 report_problems_find(struct report_problems *ps,
	    const struct report_run *runs, size_t nruns, bool own);

/*
 * By task id, for qsort() and bsearch() over arrays of task id
 * pointers (const char *).
 */
int	 report_problems_cmp(const void *a, const void *b);

/* Release what report_problems_find() made; the runs stay borrowed. */
void	 report_problems_free(struct report_problems *ps, size_t nruns);

#endif /* REPORT_PROBLEMS_H */
