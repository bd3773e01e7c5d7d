/*
 * problems.c - the problems the runs of a report share.  See
 * problems.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "report/problems.h"

int
report_problems_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Whether every run of ids[0..nruns-1] (each sorted, np[j] long) holds
 * "id".
 */
static bool
report_problems_everywhere(const char *id, const char *const *const *ids,
    const size_t *np, size_t nruns)
{
	for (size_t j = 0; j < nruns; j++) {
		if (bsearch(&id, ids[j], np[j], sizeof(*ids[j]),
		    report_problems_cmp) == NULL)
			return false;
	}
	return true;
}

void
report_problems_find(struct report_problems *ps,
    const struct report_run *runs, size_t nruns, bool own)
{
	const char	***ids;
	size_t		 *np;
	struct report_problem *kept;

	ps->outside = xcalloc(nruns, sizeof(*ps->outside));
	ids = xcalloc(nruns, sizeof(*ids));
	np = xcalloc(nruns, sizeof(*np));
	for (size_t i = 0; i < nruns; i++) {
		np[i] = runs[i].np;
		ids[i] = xcalloc(np[i] + 1, sizeof(**ids));
		for (size_t p = 0; p < np[i]; p++)
			ids[i][p] = runs[i].p[p].task_id;
		qsort(ids[i], np[i], sizeof(**ids), report_problems_cmp);
	}
	for (size_t i = 0; i < nruns; i++) {
		for (size_t p = 0; p < np[i]; p++)
			ps->outside[i] += !report_problems_everywhere(
			    ids[i][p], (const char *const *const *)ids, np,
			    nruns);
		ps->differ |= ps->outside[i] > 0;
	}
	ps->common = np[0] - ps->outside[0];

	if (ps->differ && !own) {
		ps->runs = xcalloc(nruns, sizeof(*ps->runs));
		for (size_t i = 0; i < nruns; i++) {
			ps->runs[i] = runs[i];
			kept = xcalloc(ps->common + 1, sizeof(*kept));
			ps->runs[i].p = kept;
			ps->runs[i].np = 0;
			for (size_t p = 0; p < runs[i].np; p++) {
				if (report_problems_everywhere(
				    runs[i].p[p].task_id,
				    (const char *const *const *)ids, np,
				    nruns))
					kept[ps->runs[i].np++] = runs[i].p[p];
			}
		}
	}
	for (size_t i = 0; i < nruns; i++)
		free(ids[i]);
	free(ids);
	free(np);
}

void
report_problems_free(struct report_problems *ps, size_t nruns)
{
	for (size_t i = 0; ps->runs != NULL && i < nruns; i++)
		free((struct report_problem *)(uintptr_t)ps->runs[i].p);
	free(ps->runs);
	free(ps->outside);
}
