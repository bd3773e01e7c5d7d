/*
 * boot.h - the paired bootstrap over problems (Efron and Tibshirani,
 * 1993, ch. 13 and 16), with which the comparisons of the report
 * (compare.c) tell a difference between two runs from noise.
 *
 * Two runs scored on the same problems give one difference per problem,
 * d[i] = a[i] - b[i].  A resample draws n problems with replacement and
 * takes the mean of their differences; "resamples" of them give the
 * bootstrap distribution of the mean difference.  From it:
 *   the interval  the percentile interval at 95%: the resampled means
 *                 sorted, m[floor(0.025 R)] and m[R - 1 - floor(0.025
 *                 R)], symmetric in a and b;
 *   the p-value   two-sided, of "no difference": 2 * (min(#{m <= 0},
 *                 #{m >= 0}) + 1) / (R + 1), at most 1 (Davison and
 *                 Hinkley, 1997, eq. 4.11: never 0 from R draws);
 *   the verdict   "better" (a over b) when the interval lies above 0,
 *                 "worse" below, else "tie".
 *
 * Several tests over the same problems are drawn together, from the
 * same resamples (common random numbers): each gets what it would get
 * alone, to the bit, for a fraction of the draws.  The draws are
 * reproducible: a seed and the differences, listed in the same order,
 * give the same answer on every machine, whatever else is tested.  The generator is xoshiro256** (Blackman and Vigna, 2018),
 * seeded through splitmix64, written here from its published
 * definition: libc's random() is neither specified across libcs nor
 * fast enough for 10^7 draws per report.  Each 64-bit draw gives two
 * problem indices by Lemire's multiply-shift of its 32-bit halves (a
 * bias below n / 2^32, nothing at n in the thousands).  Pure
 * computation, callable from any thread.
 */
#ifndef REPORT_BOOT_H
#define REPORT_BOOT_H

#include <stddef.h>
#include <stdint.h>

/* Resamples when the caller gives none, and the bounds of a given one. */
#define REPORT_BOOT_RESAMPLES		10000
#define REPORT_BOOT_RESAMPLES_MIN	1000
#define REPORT_BOOT_RESAMPLES_MAX	100000

/*
 * The most differences one report may sum in its tests (resamples x
 * problems x tests): about 7 s of one core, a bound on what a request
 * can take (the default, 16 runs of 664 problems with 1,000 samples
 * each, needs 4.4e9).
 */
#define REPORT_BOOT_WORK		1e10

/* The test's level: a 95% interval, "better" or "worse" at p < 0.05. */
#define REPORT_BOOT_LEVEL		0.95

enum report_boot_verdict {
	REPORT_BOOT_TIE,
	REPORT_BOOT_BETTER,		/* a over b */
	REPORT_BOOT_WORSE,		/* a under b */
};

/* What a paired bootstrap says of a - b. */
struct report_boot {
	double		 diff;		/* mean of d[], observed */
	double		 lo, hi;	/* its 95% percentile interval */
	double		 p;		/* two-sided, in (0, 1] */
	enum report_boot_verdict verdict;
};

/*
 * The paired bootstraps of "ntests" tests over the same n problems,
 * with "resamples" resamples drawn from "seed": d[i * ntests + t] is
 * test t's difference on problem i (borrowed; finite), out[t] gets its
 * answer.  Returns 0, or -EINVAL (nothing stored) when n or ntests is
 * 0, n >= 2^32 or resamples is 0.  O(n * resamples * ntests) time,
 * O(resamples * ntests) memory; allocation failures abort, as xmalloc
 * does.
 */
int	 report_boot_paired(const double *d, size_t n, size_t ntests,
	    unsigned resamples, uint64_t seed, struct report_boot *out);

/*
 * Turn *b, a test of a - b, into the test of b - a: what testing the
 * negated differences gives, to the bit.
 */
void	 report_boot_flip(struct report_boot *b);

/* The verdict's wire name: "better", "worse" or "tie".  Static. */
const char *report_boot_verdict_name(enum report_boot_verdict v);

#endif /* REPORT_BOOT_H */
