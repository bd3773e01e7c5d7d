/*
 * rank.c - rank-score@k (report.h): the chance that the best-ranked of
 * k candidates drawn without replacement passes.
 *
 * With the n candidates sorted best first and pass_i the pass bit of
 * rank i, rank-score@k = sum_{i=1}^{n-k+1} w_i * pass_i with
 * w_i = C(n-i, k-1) / C(n, k).  Ties are averaged first: every member
 * of a group of equal scores gets the group's mean pass.  That is
 * exact, not an approximation: for a uniformly random order within each
 * group, the expected pass bit at each rank of the group is the group's
 * mean, and the score is linear in the pass bits.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "report/rank.h"

/*
 * The weight left out when the sum stops early.  T_i = C(n-i, k) /
 * C(n, k), the chance that all k drawn rank below i, bounds everything
 * past rank i (the pass means are at most 1).  It falls like
 * (1 - i/n)^k, so for large k the sum ends after about 39 n / k ranks
 * instead of n - k + 1, which is what keeps every k of a 2000-candidate
 * problem from being quadratic.  1e-17 is below what a double can hold
 * next to 1, and far below what a percentage shows.
 */
#define REPORT_RANK_TAIL	1e-17

/* Fewer candidates than this are sorted by insertion. */
#define REPORT_RANK_SMALL	64

/* One ranked candidate. */
struct report_ranked {
	uint64_t	 key;		/* report_rank_key(): best first */
	bool		 passed;
};

bool
report_rank_counts(const struct report_sample *s)
{
	return !s->greedy && !s->truncated && s->has_score &&
	    !isnan(s->score);
}

/*
 * The score as an integer that sorts the way the ranking goes.  With
 * the sign bit of a positive double flipped, and every bit of a
 * negative one, the bits order as the numbers do.  -0 is made 0, so
 * that equal scores are equal keys; NaN, which compares with nothing,
 * ranks last.
 */
static uint64_t
report_rank_key(double score, bool higher_is_better)
{
	uint64_t	 u;

	if (isnan(score))
		return UINT64_MAX;
	if (higher_is_better)
		score = -score;
	if (score == 0.0)
		score = 0.0;
	memcpy(&u, &score, sizeof(u));
	return u >> 63 ? ~u : u | UINT64_C(1) << 63;
}

/*
 * Sort r[0..n-1] by key; tmp is scratch, n long.  An LSD radix sort, a
 * byte at a time, skipping the bytes all keys share: a few linear
 * passes over 2000 candidates, where qsort() and its comparisons
 * through a function pointer cost several times more.  Below
 * REPORT_RANK_SMALL candidates, clearing and summing the 256 counters
 * of each pass costs more than an insertion sort.
 */
static void
report_rank_sort(struct report_ranked *r, struct report_ranked *tmp,
    size_t n)
{
	struct report_ranked	*from = r, *to = tmp, *swap, x;
	size_t			 count[256], pos, c, j;

	if (n < REPORT_RANK_SMALL) {
		for (size_t i = 1; i < n; i++) {
			x = r[i];
			for (j = i; j > 0 && r[j - 1].key > x.key; j--)
				r[j] = r[j - 1];
			r[j] = x;
		}
		return;
	}
	for (unsigned shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[from[i].key >> shift & 0xff]++;
		if (count[from[0].key >> shift & 0xff] == n)
			continue;
		pos = 0;
		for (unsigned d = 0; d < 256; d++) {
			c = count[d];
			count[d] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[from[i].key >> shift & 0xff]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	if (from != r)
		memcpy(r, from, n * sizeof(*r));
}

/*
 * Sort r[0..n-1] (tmp is scratch, n long) and store in mean[i] the mean
 * pass of the tie group holding rank i + 1.
 */
static void
report_rank_order(struct report_ranked *r, struct report_ranked *tmp,
    size_t n, double *mean)
{
	size_t	 c, j;
	double	 g;

	report_rank_sort(r, tmp, n);
	for (size_t i = 0; i < n; i = j) {
		c = 0;
		for (j = i; j < n && r[j].key == r[i].key; j++)
			c += r[j].passed;
		g = (double)c / (double)(j - i);
		for (size_t t = i; t < j; t++)
			mean[t] = g;
	}
}

/*
 * Store in score[j] rank-score@k, k = ks[j], of the tie-averaged pass
 * means of n ranked candidates, for j < nks (ks ascending, each in
 * 1..n; t is scratch, nks long).
 *
 * With t = T_{i-1} (T_0 = 1), rank i weighs w_i = t * k / m and
 * T_i = t * (m - k) / m, where m = n - i + 1: a running ratio of exact
 * integers, so nothing overflows for n in the thousands.  The loops run
 * over ranks outside and over k inside: the k are independent of each
 * other, so the inner loops have no chain of multiplications to wait
 * on, and one division per rank serves every k.  The factor k of w_i
 * is applied once at the end, and ranks whose mean is 0 (the failing
 * ones) add nothing.  T_i falls with k, so the k still above
 * REPORT_RANK_TAIL are a prefix of ks, which shrinks.
 */
static void
report_rank_sums(const double *mean, size_t n, const double *ks,
    size_t nks, double *t, double *score)
{
	size_t	 live = nks;
	double	 m, r, x;

	for (size_t j = 0; j < nks; j++) {
		t[j] = 1.0;
		score[j] = 0.0;
	}
	for (size_t i = 1; i <= n && live > 0; i++) {
		m = (double)(n - i + 1);
		r = 1.0 / m;
		if (mean[i - 1] != 0.0) {
			x = mean[i - 1] * r;
			for (size_t j = 0; j < live; j++)
				score[j] += t[j] * x;
		}
		for (size_t j = 0; j < live; j++)
			t[j] *= (m - ks[j]) * r;
		while (live > 0 && !(t[live - 1] > REPORT_RANK_TAIL))
			live--;
	}
	for (size_t j = 0; j < nks; j++)
		score[j] *= ks[j];
}

double
report_rank_score(const bool *pass, const double *score, size_t n,
    unsigned k, bool higher_is_better)
{
	struct report_ranked	*r, *tmp;
	double			*mean, kd = k, t, v;

	if (k == 0 || k > n)
		return NAN;
	r = xreallocarray(NULL, n, 2 * sizeof(*r));
	tmp = r + n;
	mean = xreallocarray(NULL, n, sizeof(*mean));
	for (size_t i = 0; i < n; i++) {
		r[i].key = report_rank_key(score[i], higher_is_better);
		r[i].passed = pass[i];
	}
	report_rank_order(r, tmp, n, mean);
	report_rank_sums(mean, n, &kd, 1, &t, &v);
	free(r);
	free(mean);
	return v;
}

/*
 * One sort per problem, then every wanted k over the same means, in
 * O(n log n) per problem for all k together (see REPORT_RANK_TAIL).
 */
void
report_rank_run(struct report_stat *st, bool higher_is_better,
    const unsigned *keep, size_t nkeep)
{
	const struct report_run	*run = st->run;
	struct report_ranked	*r, *tmp;
	double			*mean, *ks, *t, *v, *sum;
	size_t			*at, n, most = 0, nks = 0;

	for (size_t j = 0; j < nkeep && st->rank_k_max > 0; j++)
		st->rank_want[keep[j] - 1] = true;
	for (unsigned k = 1; k <= st->rank_k_max; k++) {
		st->rank[k - 1] = NAN;
		nks += st->rank_want[k - 1];
	}
	if (nks == 0)
		return;
	st->rank_pp = xreallocarray(NULL, nkeep * run->np + 1,
	    sizeof(*st->rank_pp));
	for (size_t i = 0; i < nkeep * run->np; i++)
		st->rank_pp[i] = NAN;
	at = xcalloc(nkeep + 1, sizeof(*at));
	ks = xreallocarray(NULL, nks, sizeof(*ks));
	t = xreallocarray(NULL, nks, sizeof(*t));
	v = xreallocarray(NULL, nks, sizeof(*v));
	sum = xcalloc(nks, sizeof(*sum));
	nks = 0;
	for (unsigned k = 1; k <= st->rank_k_max; k++) {
		for (size_t j = 0; j < nkeep; j++) {
			if (keep[j] == k)
				at[j] = nks;	/* ks[at[j]] is keep[j] */
		}
		if (st->rank_want[k - 1])
			ks[nks++] = k;
	}
	for (size_t p = 0; p < run->np; p++) {
		if (st->count[p].ranked > most)
			most = st->count[p].ranked;
	}
	r = xreallocarray(NULL, most, 2 * sizeof(*r));
	tmp = r + most;
	mean = xreallocarray(NULL, most, sizeof(*mean));

	for (size_t p = 0; p < run->np; p++) {
		if (st->count[p].ranked == 0)
			continue;
		n = 0;
		for (size_t i = 0; i < run->p[p].ns; i++) {
			const struct report_sample *s = &run->p[p].s[i];

			if (!report_rank_counts(s))
				continue;
			r[n].key = report_rank_key(s->score, higher_is_better);
			r[n++].passed = s->passed;
		}
		report_rank_order(r, tmp, n, mean);
		report_rank_sums(mean, n, ks, nks, t, v);
		for (size_t j = 0; j < nks; j++)
			sum[j] += v[j];
		for (size_t j = 0; j < nkeep; j++)
			st->rank_pp[j * run->np + p] = v[at[j]];
	}
	for (size_t j = 0; j < nks; j++)
		st->rank[(size_t)ks[j] - 1] = sum[j] / (double)st->ranked;
	free(at);
	free(ks);
	free(t);
	free(v);
	free(sum);
	free(r);
	free(mean);
}
