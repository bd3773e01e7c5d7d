/*
 * rcsv.c - the csv format.  See rcsv.h.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "report/rcsv.h"
#include "report/rdata.h"
#include "report/rtext.h"

/* The header line of each metric. */
static const char *const rcsv_headers[] = {
	[RENDER_PASS] = "run,model,k,pass,stderr,ci95_lo,ci95_hi,reliable",
	[RENDER_FLOPS] = "run,model,budget,k,pass,stderr,ci95_lo,ci95_hi,"
	    "rank_score",
	[RENDER_TIME] = "run,model,budget,k,pass,stderr,ci95_lo,ci95_hi,"
	    "rank_score",
	[RENDER_RANK] = "run,model,k,rank_score",
};

/*
 * The pass CSV's last column when some run is uneven: the problems
 * behind each pass@k.
 */
#define RCSV_PROBLEMS	",problems"

/* ",v", or "," alone when v is not a number. */
static void
rcsv_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, ",%.10g", v);
	else
		fputs(",", f);
}

/* ",stderr,ci95_lo,ci95_hi" of a point, empty fields where unknown. */
static void
rcsv_ci95(FILE *f, const struct rdata_point *p)
{
	double	 lo, hi;

	if (!rdata_ci95(p, &lo, &hi))
		lo = hi = NAN;
	rcsv_num(f, p->err);
	rcsv_num(f, lo);
	rcsv_num(f, hi);
}

void
rcsv_write(FILE *f, const json_t *report, enum render_metric m)
{
	struct rdata_series *s;
	const struct rdata_point *p;
	const char	*model;
	size_t		 n;
	double		 reliable, all;
	const char	*sets;
	bool		 uneven = false, warning;

	s = rdata_series_all(report, m, &n);
	/* A comment line before the header, as pandas' comment="#" reads. */
	if ((sets = rdata_problem_sets(report, &warning)) != NULL) {
		fputs(warning ? "# Warning: " : "# Note: ", f);
		rtext_line(f, sets);
		fputs("\n", f);
	}
	for (size_t i = 0; i < n && m == RENDER_PASS; i++)
		uneven |= json_object_get(s[i].run, "problems_at_k") != NULL;
	fprintf(f, "%s%s\n", rcsv_headers[m], uneven ? RCSV_PROBLEMS : "");
	for (size_t i = 0; i < n; i++) {
		reliable = rdata_num(s[i].run, "reliable_k_max");
		all = rdata_num(s[i].run, "problems");
		if ((model = rdata_str(s[i].run, "model")) == NULL)
			model = "";
		for (size_t j = 0; j < s[i].n; j++) {
			p = &s[i].pt[j];
			rtext_csv(f, s[i].name);
			fputs(",", f);
			rtext_csv(f, model);
			rcsv_num(f, p->x);
			if (m == RENDER_FLOPS || m == RENDER_TIME)
				rcsv_num(f, p->k);
			rcsv_num(f, p->y);
			if (m != RENDER_RANK)
				rcsv_ci95(f, p);
			if (m == RENDER_PASS) {
				rcsv_num(f, isnan(reliable) ? NAN :
				    p->x <= reliable);
				if (uneven)
					rcsv_num(f, isfinite(p->used) ?
					    p->used : all);
			} else if (m != RENDER_RANK) {
				rcsv_num(f, p->rank);
			}
			fputs("\n", f);
		}
	}
	rdata_series_free(s, n);
}
