/*
 * boot.c - the paired bootstrap over problems.  See boot.h.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "common/xmalloc.h"
#include "report/boot.h"

/* The generator's state: xoshiro256**. */
struct report_rng {
	uint64_t	 s[4];
};

/* splitmix64: the next output of the sequence at *x. */
static uint64_t
report_splitmix(uint64_t *x)
{
	uint64_t	 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
report_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**'s state, as its authors seed it: from splitmix64. */
static void
report_rng_seed(struct report_rng *g, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		g->s[i] = report_splitmix(&seed);
}

static uint64_t
report_rng_next(struct report_rng *g)
{
	uint64_t	*s = g->s;
	uint64_t	 r = report_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = report_rotl(s[3], 45);
	return r;
}

static int
report_boot_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sort test t's resampled means m[0..r-1] and work out *out. */
static void
report_boot_read(double *m, unsigned r, double sum, size_t n,
    struct report_boot *out)
{
	size_t	 le = 0, ge = 0, cut;

	for (unsigned b = 0; b < r; b++) {
		le += m[b] <= 0.0;
		ge += m[b] >= 0.0;
	}
	qsort(m, r, sizeof(*m), report_boot_cmp);
	cut = (size_t)floor((1.0 - REPORT_BOOT_LEVEL) / 2.0 * r);
	out->diff = sum / (double)n;
	out->lo = m[cut];
	out->hi = m[r - 1 - cut];
	out->p = fmin(1.0, 2.0 * (double)((le < ge ? le : ge) + 1) /
	    (double)(r + 1));
	if (out->lo > 0.0)
		out->verdict = REPORT_BOOT_BETTER;
	else if (out->hi < 0.0)
		out->verdict = REPORT_BOOT_WORSE;
	else
		out->verdict = REPORT_BOOT_TIE;
}

int
report_boot_paired(const double *d, size_t n, size_t ntests,
    unsigned resamples, uint64_t seed, struct report_boot *out)
{
	struct report_rng g;
	double		*m, *s, sum;
	const double	*row;
	uint64_t	 r = 0;
	size_t		 idx;
	bool		*nz;

	if (n == 0 || n > UINT32_MAX || ntests == 0 || resamples == 0)
		return -EINVAL;
	report_rng_seed(&g, seed);
	m = xreallocarray(NULL, resamples, ntests * sizeof(*m));
	s = xreallocarray(NULL, ntests, sizeof(*s));
	/*
	 * The problems where some test differs; the others add +0.0,
	 * which leaves a sum as it was (it is never -0.0), and are many
	 * at large k, where both runs solve most problems every time.
	 */
	nz = xcalloc(n, sizeof(*nz));
	for (size_t i = 0; i < n * ntests; i++)
		nz[i / ntests] |= d[i] != 0.0;
	for (unsigned b = 0; b < resamples; b++) {
		for (size_t t = 0; t < ntests; t++)
			s[t] = 0.0;
		/* Two indices a draw, the low half first. */
		for (size_t j = 0; j < n; j++) {
			if (j % 2 == 0)
				r = report_rng_next(&g);
			idx = (size_t)(((j % 2 == 0 ? r & 0xffffffffULL :
			    r >> 32) * n) >> 32);
			if (!nz[idx])
				continue;
			row = d + idx * ntests;
			for (size_t t = 0; t < ntests; t++)
				s[t] += row[t];
		}
		for (size_t t = 0; t < ntests; t++)
			m[t * resamples + b] = s[t] / (double)n;
	}
	for (size_t t = 0; t < ntests; t++) {
		sum = 0.0;
		for (size_t i = 0; i < n; i++)
			sum += d[i * ntests + t];
		report_boot_read(m + t * resamples, resamples, sum, n,
		    &out[t]);
	}
	free(m);
	free(s);
	free(nz);
	return 0;
}

void
report_boot_flip(struct report_boot *b)
{
	double	 lo = b->lo;

	b->diff = -b->diff;
	b->lo = -b->hi;
	b->hi = -lo;
	if (b->verdict == REPORT_BOOT_BETTER)
		b->verdict = REPORT_BOOT_WORSE;
	else if (b->verdict == REPORT_BOOT_WORSE)
		b->verdict = REPORT_BOOT_BETTER;
}

const char *
report_boot_verdict_name(enum report_boot_verdict v)
{
	switch (v) {
	case REPORT_BOOT_BETTER:
		return "better";
	case REPORT_BOOT_WORSE:
		return "worse";
	default:
		return "tie";
	}
}
