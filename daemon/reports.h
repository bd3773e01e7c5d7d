/*
 * reports.h - reports over stored runs: reads each run's candidates
 * from the store, groups them by problem, and hands them to
 * report_build() (report/report.h, pure computation).
 */
#ifndef DAEMON_REPORTS_H
#define DAEMON_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "daemon/models.h"
#include "store/store.h"

/* What to report. */
struct reports_req {
	const char *const *runs;	/* run names, nruns of them */
	size_t		 nruns;
	const char	*base_model;	/* or NULL: the cheapest */
	bool		 measured;	/* measured costs where given */
	bool		 higher_is_better; /* scores rank high first */
	unsigned	 k;		/* 0: every k */
};

/*
 * Build the report of the stored runs req->runs with the cost table
 * "models" (borrowed; may be NULL: no budgets).  Returns 0 and a new
 * object in *out; -ENOENT with the unknown run named in errbuf; -EINVAL
 * with the reason (a run with no judged samples, k over a run's n_min,
 * an unknown base model); or -EIO.
 */
int	 reports_build(struct store *, const struct models *models,
	    const struct reports_req *req, json_t **out, char *errbuf,
	    size_t errlen);

#endif /* DAEMON_REPORTS_H */
