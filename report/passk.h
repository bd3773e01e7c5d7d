/*
 * passk.h - the unbiased pass@k estimator (Chen et al., 2021).
 *
 * With n samples of a problem of which c pass, pass@k is the chance
 * that at least one of k samples drawn without replacement passes:
 * 1 - C(n-c, k) / C(n, k).  It is computed as a product, the way
 * openai/human-eval's estimate_pass_at_k does, so that n in the
 * thousands does not overflow.  Pure computation: no I/O, no
 * allocation, callable from any thread.
 */
#ifndef REPORT_PASSK_H
#define REPORT_PASSK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * pass@k of one problem with "n" samples of which "c" passed.  Returns
 * a value in [0, 1]: 0 when c == 0, 1 when n - c < k (every k-subset
 * holds a passing sample).  Returns NAN when k == 0, k > n or c > n,
 * where pass@k is not defined.
 */
double	 passk_estimate(unsigned n, unsigned c, unsigned k);

/*
 * Mean pass@k over "nproblems" problems, problem i having n[i] samples
 * of which c[i] passed (both arrays borrowed, nproblems long), and its
 * standard error over problems: the sample standard deviation (P - 1
 * in the denominator) divided by sqrt(P), or 0 when P < 2.  Returns 0
 * and stores the mean, in [0, 1], in *mean and the standard error in
 * *stderr_ (which may be NULL when not wanted).  Returns -EINVAL, and
 * stores nothing, when nproblems is 0, k is 0, k exceeds
 * passk_min_n() (pass@k is reported only where every problem has at
 * least k samples, as human-eval does), or some c[i] > n[i].
 */
int	 passk_mean(const unsigned *n, const unsigned *c, size_t nproblems,
	    unsigned k, double *mean, double *stderr_);

/*
 * passk_mean() for every k = 1 .. kmax at once: stores the mean pass@k
 * in mean[k - 1] and its standard error in stderr_[k - 1] (both the
 * caller's, kmax long; neither may be NULL).  It costs O(kmax) per
 * problem where kmax calls of passk_mean() cost O(c * kmax): the ratio
 * C(n-c, k) / C(n, k) is carried from one k to the next by one exact
 * factor.  An estimate is then a product of k rounded factors where
 * passk_estimate() multiplies c of them; both stay within about
 * max(k, c) ulps of the exact value, so they agree to 1e-12 for n in
 * the thousands.  Returns 0, or -EINVAL, and stores nothing, where
 * passk_mean() would for k = kmax.
 */
int	 passk_curve(const unsigned *n, const unsigned *c, size_t nproblems,
	    unsigned kmax, double *mean, double *stderr_);

/*
 * passk_curve() for runs whose problems have different n: pass@k at
 * each k = 1 .. kmax is the mean over the problems with n[i] >= k
 * alone, and its standard error over those; used[k - 1] (the caller's,
 * kmax long, like mean[] and stderr_[]) gets their number.  With every
 * n[i] >= kmax it stores what passk_curve() stores, bit for bit.
 * Returns 0, or -EINVAL, and stores nothing, when nproblems is 0, kmax
 * is 0, kmax exceeds the largest n[i] (no problem at kmax), or some
 * c[i] > n[i].
 */
int	 passk_curve_uneven(const unsigned *n, const unsigned *c,
	    size_t nproblems, unsigned kmax, double *mean, double *stderr_,
	    size_t *used);

/*
 * The smallest n[i] of "nproblems" problems (array borrowed): the
 * largest k for which passk_mean() succeeds.  Returns 0 when nproblems
 * is 0.
 */
unsigned passk_min_n(const unsigned *n, size_t nproblems);

/* The z of a two-sided normal 95% interval. */
#define PASSK_Z95	1.96

/*
 * The normal 95% interval of a mean pass@k "p" of standard error "se",
 * both in units where "top" is certain pass (1, or 100 for percent):
 * [max(0, p - PASSK_Z95 * se), min(top, p + PASSK_Z95 * se)], stored in
 * *lo and *hi.  Returns false, and stores nothing, when p or se is not
 * a finite number (no interval without a standard error).
 */
bool	 passk_ci95(double p, double se, double top, double *lo,
	    double *hi);

#endif /* REPORT_PASSK_H */
