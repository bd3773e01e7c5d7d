/*
 * test-boot.c - the paired bootstrap (report/boot.h) and the
 * significance of the report's comparisons (report/compare.c).
 *
 *   boot_reference        report_boot_paired() against a reference
 *                         written here from boot.h's text alone, the
 *                         plainest way: its own splitmix64 (checked
 *                         against the published first outputs for seed
 *                         0) and xoshiro256**, 1, each resample's indices
 *                         drawn into an array, then summed, sorted by
 *                         insertion, counted; the same mean, interval
 *                         and p-value to the bit, for odd and even n,
 *                         n = 1, several seeds and resample counts;
 *                         and three tests drawn together, each what it
 *                         gets alone, the negated one its flip
 *   boot_normal           5,000 problems of known differences: the
 *                         interval is the normal one, mean +- 1.96 SE,
 *                         within 3%; the p-value of a mean 4 SE from 0
 *                         is the smallest there is, 2 / (R + 1)
 *   boot_edges            all differences 0: a tie, p = 1; all
 *                         positive: better; all negative: worse; flip
 *                         is a mirror; n = 0, no test and no resamples
 *                         refused
 *   compare_significance  report_build over two runs of 40 problems:
 *                         a crossover where the order changes
 *                         significantly (Y clear at k = 1, tied at 2, X
 *                         clear at 4 and 8), its test; two runs that
 *                         differ on two problems out of 40, whose best
 *                         swaps from k = 1 to k = 8: tied everywhere,
 *                         no crossover; the same tests with the runs
 *                         in the other order and beside a third run
 *   compare_work_bound    16 runs whose tests at 100,000 resamples
 *                         would take more than REPORT_BOOT_WORK: refused,
 *                         saying to ask for fewer resamples or runs
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/test.h"
#include "report/boot.h"
#include "report/report.h"

/* --- The reference --- */

static uint64_t
ref_splitmix(uint64_t *x)
{
	uint64_t	 z;

	*x += 0x9e3779b97f4a7c15ULL;
	z = *x;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
ref_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** as Blackman and Vigna publish it. */
static uint64_t
ref_next(uint64_t s[4])
{
	const uint64_t	 result = ref_rotl(s[1] * 5, 7) * 9;
	const uint64_t	 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = ref_rotl(s[3], 45);
	return result;
}

/* The paired bootstrap, step by step as boot.h tells it. */
static void
ref_boot(const double *d, size_t n, unsigned reps, uint64_t seed,
    struct report_boot *out)
{
	uint64_t	 s[4], x = seed, r = 0;
	size_t		*idx = calloc(n + 1, sizeof(*idx));
	double		*m = calloc(reps, sizeof(*m)), sum, t;
	size_t		 le = 0, ge = 0, cut, j;

	ASSERT(idx != NULL && m != NULL);
	for (int i = 0; i < 4; i++)
		s[i] = ref_splitmix(&x);
	for (unsigned b = 0; b < reps; b++) {
		/* Two indices per draw, the low half first. */
		for (j = 0; j < n; j++) {
			if (j % 2 == 0)
				r = ref_next(s);
			idx[j] = (size_t)((((j % 2 == 0) ? (r & 0xffffffff) :
			    (r >> 32)) * (uint64_t)n) >> 32);
		}
		sum = 0.0;
		for (j = 0; j < n; j++)
			sum += d[idx[j]];
		m[b] = sum / (double)n;
		if (m[b] <= 0.0)
			le++;
		if (m[b] >= 0.0)
			ge++;
	}
	for (unsigned b = 1; b < reps; b++) {
		t = m[b];
		for (j = b; j > 0 && m[j - 1] > t; j--)
			m[j] = m[j - 1];
		m[j] = t;
	}
	sum = 0.0;
	for (j = 0; j < n; j++)
		sum += d[j];
	cut = (size_t)(0.025 * reps);
	out->diff = sum / (double)n;
	out->lo = m[cut];
	out->hi = m[reps - 1 - cut];
	out->p = 2.0 * (double)((le < ge ? le : ge) + 1) / (reps + 1.0);
	if (out->p > 1.0)
		out->p = 1.0;
	out->verdict = out->lo > 0 ? REPORT_BOOT_BETTER : out->hi < 0 ?
	    REPORT_BOOT_WORSE : REPORT_BOOT_TIE;
	free(idx);
	free(m);
}

/*
 * Tests d, its square and -d drawn together: each gets what it gets
 * alone, the last the flip of the first.
 */
static bool
report_boot_many(const double *d, size_t n)
{
	struct report_boot three[3], one[3];
	double		*dd = calloc(3 * n, sizeof(*dd)), *e;

	ASSERT_NOT_NULL(dd);
	for (size_t i = 0; i < n; i++) {
		dd[3 * i] = d[i];
		dd[3 * i + 1] = d[i] * d[i];
		dd[3 * i + 2] = -d[i];
	}
	ASSERT_EQ(report_boot_paired(dd, n, 3, 2000, 9, three), 0);
	e = calloc(n, sizeof(*e));
	ASSERT_NOT_NULL(e);
	for (int t = 0; t < 3; t++) {
		for (size_t i = 0; i < n; i++)
			e[i] = dd[3 * i + t];
		ASSERT_EQ(report_boot_paired(e, n, 1, 2000, 9, &one[t]), 0);
		ASSERT(one[t].diff == three[t].diff &&
		    one[t].lo == three[t].lo && one[t].hi == three[t].hi &&
		    one[t].p == three[t].p &&
		    one[t].verdict == three[t].verdict);
	}
	report_boot_flip(&one[2]);
	ASSERT(one[2].diff == one[0].diff && one[2].lo == one[0].lo &&
	    one[2].hi == one[0].hi && one[2].p == one[0].p &&
	    one[2].verdict == one[0].verdict);
	free(dd);
	free(e);
	return true;
}

TEST(boot_reference)
{
	static const size_t ns[] = { 1, 2, 7, 40, 164, 377 };
	static const unsigned reps[] = { 1000, 2000, 10000 };
	static const uint64_t seeds[] = { 0, 1, 42, 0xdeadbeefcafeULL };
	struct report_boot got, want;
	uint64_t	 x = 0, g = 7;
	double		*d;

	/* splitmix64's first outputs for seed 0, as published. */
	ASSERT(ref_splitmix(&x) == 0xe220a8397b1dcdafULL);
	ASSERT(ref_splitmix(&x) == 0x6e789e6aa1b965f4ULL);
	ASSERT(ref_splitmix(&x) == 0x06c45d188009454fULL);

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		d = calloc(ns[i], sizeof(*d));
		ASSERT_NOT_NULL(d);
		for (size_t j = 0; j < ns[i]; j++) {
			/* Differences of pass rates: in [-1, 1], skewed. */
			d[j] = (double)(ref_splitmix(&g) % 17) / 16.0 -
			    (double)(ref_splitmix(&g) % 13) / 16.0;
		}
		for (size_t r = 0; r < sizeof(reps) / sizeof(reps[0]); r++) {
			for (size_t s = 0; s < sizeof(seeds) /
			    sizeof(seeds[0]); s++) {
				ASSERT_EQ(report_boot_paired(d, ns[i], 1, reps[r],
				    seeds[s], &got), 0);
				ref_boot(d, ns[i], reps[r], seeds[s], &want);
				ASSERT(got.diff == want.diff);
				ASSERT(got.lo == want.lo);
				ASSERT(got.hi == want.hi);
				ASSERT(got.p == want.p);
				ASSERT_EQ(got.verdict, want.verdict);
			}
		}
		ASSERT(report_boot_many(d, ns[i]));
		free(d);
	}
	return TEST_PASS;
}

TEST(boot_normal)
{
	enum { N = 5000 };
	struct report_boot b;
	double		*d = calloc(N, sizeof(*d)), mean = 0, var = 0, se;
	uint64_t	 g = 99;

	ASSERT_NOT_NULL(d);
	for (size_t i = 0; i < N; i++) {
		/* Uniform in [-0.5, 0.7]: mean 0.1, sd 0.346. */
		d[i] = (double)(ref_splitmix(&g) >> 11) / 9007199254740992.0 *
		    1.2 - 0.5;
		mean += d[i];
	}
	mean /= N;
	for (size_t i = 0; i < N; i++)
		var += (d[i] - mean) * (d[i] - mean);
	se = sqrt(var / (N - 1)) / sqrt(N);
	ASSERT_EQ(report_boot_paired(d, N, 1, 10000, 3, &b), 0);
	ASSERT_NEAR(b.diff, mean, 1e-12);
	ASSERT_NEAR((b.hi - b.lo) / 2, 1.96 * se, 0.03 * 1.96 * se);
	ASSERT_NEAR((b.hi + b.lo) / 2, mean, 0.1 * se);
	ASSERT_EQ(b.verdict, REPORT_BOOT_BETTER);	/* 20 SE from 0 */
	ASSERT(b.p == 2.0 / 10001);
	free(d);
	return TEST_PASS;
}

TEST(boot_edges)
{
	static const double zero[5], up[3] = { 0.5, 0.25, 1 };
	static const double down[3] = { -0.5, -0.25, -1 };
	struct report_boot b, f;

	ASSERT_EQ(report_boot_paired(zero, 5, 1, 1000, 1, &b), 0);
	ASSERT_EQ(b.verdict, REPORT_BOOT_TIE);
	ASSERT(b.p == 1.0 && b.lo == 0.0 && b.hi == 0.0);
	ASSERT_EQ(report_boot_paired(up, 3, 1, 1000, 1, &b), 0);
	ASSERT_EQ(b.verdict, REPORT_BOOT_BETTER);
	ASSERT(b.lo >= 0.25 && b.hi <= 1.0);
	ASSERT_EQ(report_boot_paired(down, 3, 1, 1000, 1, &f), 0);
	ASSERT_EQ(f.verdict, REPORT_BOOT_WORSE);
	report_boot_flip(&f);
	ASSERT(f.diff == b.diff && f.lo == b.lo && f.hi == b.hi &&
	    f.p == b.p);
	ASSERT_EQ(f.verdict, REPORT_BOOT_BETTER);
	ASSERT_STR_EQ(report_boot_verdict_name(REPORT_BOOT_WORSE), "worse");
	ASSERT_ERR(report_boot_paired(up, 0, 1, 1000, 1, &b), -EINVAL);
	ASSERT_ERR(report_boot_paired(up, 3, 1, 0, 1, &b), -EINVAL);
	ASSERT_ERR(report_boot_paired(up, 3, 0, 1000, 1, &b), -EINVAL);
	return TEST_PASS;
}

/* --- The comparisons --- */

/* n = 8 samples, of which c[i] pass, for each of np problems. */
static void
make_run(struct report_run *run, const char *name,
    struct report_problem *p, struct report_sample (*s)[8],
    char (*ids)[24], const unsigned *c, size_t np)
{
	for (size_t i = 0; i < np; i++) {
		snprintf(ids[i], sizeof(ids[i]), "p%02zu", i);
		for (unsigned j = 0; j < 8; j++)
			s[i][j] = (struct report_sample){ .passed = j < c[i],
			    .seconds = -1, .tflops = -1 };
		p[i] = (struct report_problem){ .task_id = ids[i],
		    .s = s[i], .ns = 8 };
	}
	*run = (struct report_run){ .run = name, .p = p, .np = np };
}

static json_t *
jget(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL)
		TEST_FAIL_AT("no key \"%s\"", key);
	return v;
}

/* The "pass" comparison of report_build() over runs[0..n-1]. */
static json_t *
pass_cmp(const struct report_run *runs, size_t n, json_t **doc)
{
	static const struct report_opts opts = { .seed = 5 };
	char	 err[256];
	json_t	*c;
	size_t	 i;

	ASSERT_EQ(report_build(runs, n, &opts, doc, err, sizeof(err)), 0);
	json_array_foreach(jget(*doc, "comparisons"), i, c) {
		if (strcmp(json_string_value(jget(c, "metric")), "pass") == 0)
			return c;
	}
	TEST_FAIL_AT("no pass comparison");
	return NULL;
}

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(jget(o, key));
}

/*
 * X solves 3 of 8 on all 40 problems; Y 8 of 8 on 28, none on 12.
 * pass@k  X: .375 .643 .929 1   Y: .7 at every k
 * d = X - Y: k 1 -.325 (clear), 2 -.057 (tie), 4 .229, 8 .3 (clear).
 */
TEST(compare_significance)
{
	enum { NP = 40 };
	static struct report_problem px[NP], py[NP], pz[NP];
	static struct report_sample sx[NP][8], sy[NP][8], sz[NP][8];
	static char ix[NP][24], iy[NP][24], iz[NP][24];
	unsigned	 cx[NP], cy[NP], cz[NP];
	struct report_run runs[3], rev[2];
	json_t		*doc, *c, *pt, *t, *doc2, *c2;
	static const char *const best[] = { "Y", "Y", "X", "X" };
	static const size_t tied[] = { 1, 2, 1, 1 };

	for (size_t i = 0; i < NP; i++) {
		cx[i] = 3;
		cy[i] = i < 28 ? 8 : 0;
		cz[i] = 1;
	}
	make_run(&runs[0], "X", px, sx, ix, cx, NP);
	make_run(&runs[1], "Y", py, sy, iy, cy, NP);
	make_run(&runs[2], "Z", pz, sz, iz, cz, NP);
	c = pass_cmp(runs, 2, &doc);
	ASSERT_EQ(json_array_size(jget(c, "points")), 4);
	for (size_t j = 0; j < 4; j++) {
		pt = json_array_get(jget(c, "points"), j);
		ASSERT_EQ(json_integer_value(jget(pt, "x")), 1 << j);
		ASSERT_STR_EQ(jstr(pt, "best"), best[j]);
		ASSERT_EQ(json_array_size(jget(pt, "tied")), tied[j]);
	}
	pt = json_array_get(jget(c, "points"), 0);
	t = jget(jget(pt, "tests"), "X");
	ASSERT_NEAR(json_real_value(jget(t, "difference")), -32.5, 1e-9);
	ASSERT_STR_EQ(jstr(t, "verdict"), "worse");
	ASSERT_EQ(json_integer_value(jget(t, "problems")), NP);
	ASSERT(json_real_value(json_array_get(jget(t, "ci95"), 1)) < 0);
	ASSERT(json_real_value(json_array_get(jget(t, "ci95"), 0)) >
	    -32.5 * 2);
	ASSERT_EQ(json_array_size(jget(c, "crossovers")), 1);
	pt = json_array_get(jget(c, "crossovers"), 0);
	ASSERT_EQ(json_integer_value(jget(pt, "x")), 4);
	ASSERT_STR_EQ(jstr(pt, "before"), "Y");
	ASSERT_STR_EQ(jstr(pt, "after"), "X");
	t = jget(pt, "test");
	ASSERT_STR_EQ(jstr(t, "verdict"), "better");
	ASSERT_NEAR(json_real_value(jget(t, "difference")),
	    (28 * (1 - 5.0 / 70 - 1) + 12 * (1 - 5.0 / 70)) / NP * 100,
	    1e-9);
	ASSERT(json_real_value(json_array_get(jget(t, "ci95"), 0)) > 0);

	/*
	 * The same tests whatever the order of the runs, and beside a
	 * third: Z, far below, adds its own tests and changes none.
	 */
	rev[0] = runs[1];
	rev[1] = runs[0];
	c2 = pass_cmp(rev, 2, &doc2);
	ASSERT(json_equal(jget(json_array_get(jget(c, "points"), 2),
	    "tests"), jget(json_array_get(jget(c2, "points"), 2), "tests")));
	json_decref(doc2);
	c2 = pass_cmp(runs, 3, &doc2);
	t = jget(jget(json_array_get(jget(c2, "points"), 2), "tests"), "Y");
	ASSERT(json_equal(t, jget(jget(json_array_get(jget(c, "points"), 2),
	    "tests"), "Y")));
	ASSERT_EQ(json_array_size(jget(c2, "crossovers")), 1);
	json_decref(doc2);
	json_decref(doc);

	/*
	 * Two problems apart: X 4 vs Y 2 on p00, X 0 vs Y 1 on p01.  X
	 * leads at k = 1 (+.125 / 40), Y at k = 8 (+1 / 40): the margins
	 * of noise, tied at every k, no crossover.
	 */
	for (size_t i = 0; i < NP; i++)
		cx[i] = cy[i] = (unsigned)(i * 7 % 9);
	cx[0] = 4, cy[0] = 2, cx[1] = 0, cy[1] = 1;
	make_run(&runs[0], "X", px, sx, ix, cx, NP);
	make_run(&runs[1], "Y", py, sy, iy, cy, NP);
	c = pass_cmp(runs, 2, &doc);
	pt = json_array_get(jget(c, "points"), 0);
	ASSERT_STR_EQ(jstr(pt, "best"), "X");
	pt = json_array_get(jget(c, "points"), 3);
	ASSERT_STR_EQ(jstr(pt, "best"), "Y");
	for (size_t j = 0; j < 4; j++) {
		pt = json_array_get(jget(c, "points"), j);
		ASSERT_EQ(json_array_size(jget(pt, "tied")), 2);
	}
	ASSERT_EQ(json_array_size(jget(c, "crossovers")), 0);
	json_decref(doc);
	return TEST_PASS;
}

/*
 * 16 runs of 1,000 problems with 64 samples each: at 100,000 resamples
 * the tests would sum 100,000 x 1,000 x 7 points x 15 runs = 1.05e10
 * differences, past REPORT_BOOT_WORK: refused, before any is drawn,
 * saying what to ask for.
 */
TEST(compare_work_bound)
{
	enum { NR = 16, NP = 1000, N = 64 };
	static struct report_sample s[N];
	static struct report_problem p[NP];
	static char ids[NP][24];
	static struct report_run runs[NR];
	static char names[NR][24];
	struct report_opts opts = { .resamples = 100000 };
	json_t		*doc = NULL;
	char		 err[256] = "";

	for (size_t j = 0; j < N; j++)
		s[j] = (struct report_sample){ .passed = j % 3 == 0,
		    .seconds = -1, .tflops = -1 };
	for (size_t i = 0; i < NP; i++) {
		snprintf(ids[i], sizeof(ids[i]), "p%zu", i);
		p[i] = (struct report_problem){ .task_id = ids[i], .s = s,
		    .ns = N };
	}
	for (size_t r = 0; r < NR; r++) {
		snprintf(names[r], sizeof(names[r]), "r%zu", r);
		runs[r] = (struct report_run){ .run = names[r], .p = p,
		    .np = NP };
	}
	ASSERT_ERR(report_build(runs, NR, &opts, &doc, err, sizeof(err)),
	    -EINVAL);
	ASSERT_NULL(doc);
	ASSERT_CONTAINS(err, "fewer resamples");
	/* Two of them are well inside it. */
	opts.resamples = 1000;
	ASSERT_EQ(report_build(runs, 2, &opts, &doc, err, sizeof(err)), 0);
	json_decref(doc);
	return TEST_PASS;
}
