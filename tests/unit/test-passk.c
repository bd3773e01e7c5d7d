/*
 * test-passk.c - the pass@k estimator (report/passk.c).
 *
 *   passk_small_exact    for every n <= 12, c <= n, 1 <= k <= n,
 *                        passk_estimate matches exact counting over all
 *                        k-subsets of the n samples
 *   passk_large_n        at n = 2000 it matches 1 - C(n-c,k)/C(n,k) from
 *                        long double log-gamma within 1e-9; c = 0 gives
 *                        0, c = n and n - c < k give 1; n = 10000
 *                        stays finite and in [0, 1]
 *   passk_mean_example   mean, standard error and passk_min_n on a
 *                        three-problem example worked by hand
 *   passk_errors         NAN for k == 0, k > n, c > n; -EINVAL (and
 *                        nothing stored) for no problems, k == 0,
 *                        k > min n, c > n
 *   passk_curve_matches  passk_curve, every k at once, is within 1e-12
 *                        of passk_estimate at n = 2000 for every k, and
 *                        of passk_mean's mean and standard error over
 *                        mixed problems; the same errors as passk_mean
 *   passk_curve_uneven_brute  n from 1 to 8 per problem (RL and
 *                        streaming runs): at each k = 1 .. the largest
 *                        n, the mean over the problems with n >= k of
 *                        passk_brute, their standard error worked out
 *                        directly (two passes) and their count; with
 *                        every n >= kmax, bit for bit passk_curve's;
 *                        -EINVAL for no problems, k == 0, k > max n,
 *                        c > n
 */
#include <errno.h>
#include <math.h>

#include "tests/unit/test.h"
#include "report/passk.h"

/*
 * Exact pass@k by enumeration: of all k-subsets of n samples, where
 * samples 0..c-1 pass, the fraction holding at least one passing one.
 */
static double
passk_brute(unsigned n, unsigned c, unsigned k)
{
	unsigned long	 total = 0, hit = 0;
	unsigned	 pass = (1u << c) - 1;

	for (unsigned s = 0; s < (1u << n); s++) {
		if ((unsigned)__builtin_popcount(s) != k)
			continue;
		total++;
		if ((s & pass) != 0)
			hit++;
	}
	return (double)hit / (double)total;
}

TEST(passk_small_exact)
{
	for (unsigned n = 1; n <= 12; n++) {
		for (unsigned c = 0; c <= n; c++) {
			for (unsigned k = 1; k <= n; k++) {
				double	 got = passk_estimate(n, c, k);

				if (fabs(got - passk_brute(n, c, k)) > 1e-12)
					TEST_FAIL_AT("n=%u c=%u k=%u: %.17g "
					    "vs %.17g", n, c, k, got,
					    passk_brute(n, c, k));
				if (c == 0)
					ASSERT(got == 0.0);
				if (n - c < k)
					ASSERT(got == 1.0);
			}
		}
	}
	return TEST_PASS;
}

/* 1 - C(n-c,k)/C(n,k) through log-gamma, for n - c >= k. */
static double
passk_lgamma(unsigned n, unsigned c, unsigned k)
{
	long double	 l;

	l = lgammal(n - c + 1.0L) + lgammal(n - k + 1.0L) -
	    lgammal(n - c - k + 1.0L) - lgammal(n + 1.0L);
	return (double)(1.0L - expl(l));
}

TEST(passk_large_n)
{
	static const unsigned cs[] = { 0, 1, 2, 3, 5, 10, 37, 100, 250, 500,
	    999, 1000, 1500, 1900, 1990, 1999, 2000 };
	static const unsigned ks[] = { 1, 2, 3, 5, 10, 20, 50, 100, 200, 500,
	    1000, 1500, 1999, 2000 };
	const unsigned	 n = 2000;
	unsigned	 ncmp = 0;
	double		 got;

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		for (size_t j = 0; j < sizeof(ks) / sizeof(ks[0]); j++) {
			unsigned c = cs[i], k = ks[j];

			got = passk_estimate(n, c, k);
			if (c == 0) {
				ASSERT(got == 0.0);
			} else if (n - c < k) {
				ASSERT(got == 1.0);
			} else {
				ASSERT_NEAR(got, passk_lgamma(n, c, k), 1e-9);
				ncmp++;
			}
		}
	}
	/* A denser sweep, on strides prime to each other. */
	for (unsigned c = 1; c < n; c += 37) {
		for (unsigned k = 1; k <= n - c; k += 41) {
			ASSERT_NEAR(passk_estimate(n, c, k),
			    passk_lgamma(n, c, k), 1e-9);
			ncmp++;
		}
	}
	ASSERT(ncmp > 1000);

	ASSERT(passk_estimate(n, n, 1) == 1.0);
	ASSERT(passk_estimate(n, n, n) == 1.0);
	ASSERT(passk_estimate(n, 1, n) == 1.0);		/* n - c < k */
	ASSERT(passk_estimate(n, 0, n) == 0.0);
	ASSERT_NEAR(passk_estimate(n, 1, 1), 1.0 / n, 1e-15);
	ASSERT_NEAR(passk_estimate(n, 700, 1), 700.0 / n, 1e-13);

	/* n = 10000: a product of 10000 factors, never inf or NaN. */
	ASSERT_NEAR(passk_estimate(10000, 1, 1), 1e-4, 1e-15);
	ASSERT_NEAR(passk_estimate(10000, 5000, 1000),
	    passk_lgamma(10000, 5000, 1000), 1e-9);
	got = passk_estimate(10000, 10, 9990);
	ASSERT(isfinite(got) && got >= 0.0 && got <= 1.0);
	ASSERT_NEAR(got, passk_lgamma(10000, 10, 9990), 1e-9);
	return TEST_PASS;
}

/*
 * Three problems, k = 2, worked by hand:
 *   n=5 c=2: 1 - C(3,2)/C(5,2) = 1 - 3/10 = 0.7
 *   n=4 c=1: 1 - C(3,2)/C(4,2) = 1 - 3/6  = 0.5
 *   n=6 c=0: 0
 * mean 1.2 / 3 = 0.4; deviations 0.3, 0.1, -0.4, squares sum 0.26,
 * sample variance 0.26 / 2 = 0.13, standard error sqrt(0.13 / 3).
 * With k = 1 the estimates are c/n: 0.4, 0.25, 0, mean 0.65 / 3.
 */
TEST(passk_mean_example)
{
	static const unsigned n[] = { 5, 4, 6 }, c[] = { 2, 1, 0 };
	double	 mean = -1, se = -1;

	ASSERT_EQ(passk_min_n(n, 3), 4);
	ASSERT_EQ(passk_min_n(n, 1), 5);
	ASSERT_EQ(passk_min_n(n, 0), 0);

	ASSERT_NEAR(passk_estimate(5, 2, 2), 0.7, 1e-15);
	ASSERT_NEAR(passk_estimate(4, 1, 2), 0.5, 1e-15);
	ASSERT_OK(passk_mean(n, c, 3, 2, &mean, &se));
	ASSERT_NEAR(mean, 0.4, 1e-15);
	ASSERT_NEAR(se, sqrt(0.13 / 3.0), 1e-15);

	ASSERT_OK(passk_mean(n, c, 3, 1, &mean, &se));
	ASSERT_NEAR(mean, 0.65 / 3.0, 1e-15);

	/* k == min n is the last computable k; the NULL stderr_ is fine. */
	mean = -1;
	ASSERT_OK(passk_mean(n, c, 3, 4, &mean, NULL));
	ASSERT(mean >= 0.0 && mean <= 1.0);

	/* One problem: the mean is its estimate, the error 0. */
	ASSERT_OK(passk_mean(n, c, 1, 2, &mean, &se));
	ASSERT_NEAR(mean, 0.7, 1e-15);
	ASSERT(se == 0.0);

	/* Identical problems: no spread. */
	{
		static const unsigned nn[] = { 10, 10, 10 },
		    cc[] = { 3, 3, 3 };

		ASSERT_OK(passk_mean(nn, cc, 3, 1, &mean, &se));
		ASSERT_NEAR(mean, 0.3, 1e-15);
		ASSERT_NEAR(se, 0.0, 1e-15);
	}
	return TEST_PASS;
}

TEST(passk_errors)
{
	static const unsigned n[] = { 5, 4, 6 }, c[] = { 2, 1, 0 };
	static const unsigned bad_c[] = { 2, 5, 0 };	/* 5 > n[1] */
	double	 mean = -1, se = -1;

	ASSERT(isnan(passk_estimate(5, 2, 0)));
	ASSERT(isnan(passk_estimate(5, 2, 6)));
	ASSERT(isnan(passk_estimate(0, 0, 1)));
	ASSERT(isnan(passk_estimate(5, 6, 1)));

	ASSERT_ERR(passk_mean(n, c, 0, 1, &mean, &se), -EINVAL);
	ASSERT_ERR(passk_mean(n, c, 3, 0, &mean, &se), -EINVAL);
	ASSERT_ERR(passk_mean(n, c, 3, 5, &mean, &se), -EINVAL);
	ASSERT_ERR(passk_mean(n, c, 3, 100, &mean, &se), -EINVAL);
	ASSERT_ERR(passk_mean(n, bad_c, 3, 1, &mean, &se), -EINVAL);
	ASSERT(mean == -1 && se == -1);		/* nothing stored */
	return TEST_PASS;
}

TEST(passk_curve_matches)
{
	static const unsigned cs[] = { 0, 1, 2, 5, 37, 500, 1000, 1500, 1999,
	    2000 };
	enum { N = 2000, P = 40 };
	static double	 mean[N], se[N];
	unsigned	 n[P], c[P], one_n = N, one_c, kmax;
	double		 m, e;

	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		one_c = cs[i];
		ASSERT_OK(passk_curve(&one_n, &one_c, 1, N, mean, se));
		for (unsigned k = 1; k <= N; k++) {
			ASSERT_NEAR(mean[k - 1], passk_estimate(N, one_c, k),
			    1e-12);
			ASSERT(se[k - 1] == 0.0);
		}
	}

	/* Mixed problems, n from 150 to 189: every k up to the least. */
	for (unsigned i = 0; i < P; i++) {
		n[i] = 150 + (i * 7) % 40;
		c[i] = (i * i * 13) % (n[i] + 1);
	}
	kmax = passk_min_n(n, P);
	ASSERT_EQ(kmax, 150);
	ASSERT_OK(passk_curve(n, c, P, kmax, mean, se));
	for (unsigned k = 1; k <= kmax; k++) {
		ASSERT_OK(passk_mean(n, c, P, k, &m, &e));
		ASSERT_NEAR(mean[k - 1], m, 1e-12);
		ASSERT_NEAR(se[k - 1], e, 1e-12);
	}

	mean[0] = se[0] = -1;
	ASSERT_ERR(passk_curve(n, c, 0, 1, mean, se), -EINVAL);
	ASSERT_ERR(passk_curve(n, c, P, 0, mean, se), -EINVAL);
	ASSERT_ERR(passk_curve(n, c, P, kmax + 1, mean, se), -EINVAL);
	c[3] = n[3] + 1;
	ASSERT_ERR(passk_curve(n, c, P, 1, mean, se), -EINVAL);
	ASSERT(mean[0] == -1 && se[0] == -1);		/* nothing stored */
	return TEST_PASS;
}

TEST(passk_curve_uneven_brute)
{
	enum { P = 40, NMAX = 8 };
	unsigned	 n[P], c[P], want_used;
	double		 mean[NMAX], se[NMAX], m2[NMAX], e2[NMAX];
	double		 sum, sq, est;
	size_t		 used[NMAX];

	/* n = 1 .. 8 and c = 0 .. n spread over the problems. */
	for (unsigned i = 0; i < P; i++) {
		n[i] = 1 + (i * 5) % NMAX;
		c[i] = (i * i * 7 + i) % (n[i] + 1);
	}
	ASSERT_OK(passk_curve_uneven(n, c, P, NMAX, mean, se, used));
	for (unsigned k = 1; k <= NMAX; k++) {
		want_used = 0;
		sum = 0.0;
		for (unsigned i = 0; i < P; i++) {
			if (n[i] < k)
				continue;
			want_used++;
			sum += passk_brute(n[i], c[i], k);
		}
		ASSERT_EQ(used[k - 1], want_used);
		ASSERT(want_used < P || k == 1);
		sum /= want_used;
		sq = 0.0;
		for (unsigned i = 0; i < P; i++) {
			if (n[i] < k)
				continue;
			est = passk_brute(n[i], c[i], k);
			sq += (est - sum) * (est - sum);
		}
		ASSERT_NEAR(mean[k - 1], sum, 1e-12);
		ASSERT_NEAR(se[k - 1], want_used < 2 ? 0.0 :
		    sqrt(sq / (want_used - 1) / want_used), 1e-12);
	}

	/* Every n >= kmax: what passk_curve() stores, bit for bit. */
	ASSERT_OK(passk_curve_uneven(n, c, P, 1, mean, se, used));
	ASSERT_OK(passk_curve(n, c, P, 1, m2, e2));
	ASSERT(mean[0] == m2[0] && se[0] == e2[0] && used[0] == P);
	for (unsigned i = 0; i < P; i++)
		n[i] = NMAX;
	ASSERT_OK(passk_curve_uneven(n, c, P, NMAX, mean, se, used));
	ASSERT_OK(passk_curve(n, c, P, NMAX, m2, e2));
	for (unsigned k = 1; k <= NMAX; k++)
		ASSERT(mean[k - 1] == m2[k - 1] && se[k - 1] == e2[k - 1] &&
		    used[k - 1] == P);

	mean[0] = se[0] = -1;
	used[0] = 7;
	ASSERT_ERR(passk_curve_uneven(n, c, 0, 1, mean, se, used), -EINVAL);
	ASSERT_ERR(passk_curve_uneven(n, c, P, 0, mean, se, used), -EINVAL);
	ASSERT_ERR(passk_curve_uneven(n, c, P, NMAX + 1, mean, se, used),
	    -EINVAL);
	c[3] = n[3] + 1;
	ASSERT_ERR(passk_curve_uneven(n, c, P, 1, mean, se, used), -EINVAL);
	ASSERT(mean[0] == -1 && se[0] == -1 && used[0] == 7);
	return TEST_PASS;
}
