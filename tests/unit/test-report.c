/*
 * test-report.c - the reports of Hassid et al. (report/report.h).
 *
 *   report_passk_brute       for every n <= 12, c <= n, 1 <= k <= n, the
 *                            pass_at_k of a one-problem run equals the
 *                            fraction of k-subsets of its samples (passes
 *                            scattered) holding a pass, by bitmask
 *   report_passk_uneven      problems of n = 1 .. 6 (an RL run): pass_at_k
 *                            for every k up to n_max, each the mean over
 *                            the problems with n >= k of the bitmask
 *                            count, problems_at_k their number, the
 *                            standard error over them (null over one
 *                            problem); budgets past
 *                            n_min; opts->k up to n_max; an even run has
 *                            no problems_at_k
 *   report_passk_exact_2000  n = 2000: pass_at_k within 1e-9 of exact
 *                            rationals from Python, c in {1, 5, 20, 100,
 *                            1000, 1999}, k in {1, 10, 100, 1000}; every
 *                            k within 1e-12 of passk_estimate()
 *   report_rank_brute        every pass and score pattern (scores in
 *                            {0,1,2}, so with ties) for n <= 5, both
 *                            directions: rank-score@k equals the mean
 *                            over every order that sorts the scores and
 *                            every k-subset of whether its best-ranked
 *                            member passes
 *   report_rank_brute_678    the same for every score pattern at n = 6
 *                            (12 random pass patterns each), random
 *                            patterns and all tied at n = 7 and 8
 *   report_rank_large        n = 2000, shuffled distinct scores, and seven
 *                            values in six tie groups (-0 = 0, NaN last):
 *                            the plain weighted sum with the running
 *                            ratio of weights, no tail cut, over means
 *                            counted per group; report_build's all-k
 *                            rank_score_at_k equals the mean of
 *                            report_rank_score() per problem, greedy,
 *                            truncated and score-less left out
 *   report_rank_edges        NAN for k = 0 and k > n; NaN scores rank
 *                            last; -0 ties with 0
 *   report_budget_k_cases    Table 1 of the paper in 7B units (13B at 16
 *                            FLOPs units gets 8, 70B at 64 time units 4),
 *                            less than one sample gives 0, exact
 *                            multiples survive rounding
 *   report_budget_points     report_build's budget lists: grid, stop rule,
 *                            no k = 0 point, rank with the ranker's cost,
 *                            a named base, measured costs
 *   report_build_shape       a two-run example: every key of report.h with
 *                            its type, values worked by hand (greedy apart,
 *                            truncated out of rank-score, partial), the
 *                            comparisons and their crossover
 *   report_build_only_k      opts->k: one key in each k-keyed object,
 *                            one "pass" point; budgets unchanged
 *   report_compare_ties      a tie keeps the leader: no crossover where
 *                            two curves meet at 100%
 *   report_disagreements     ordering by spread then task id, top 10,
 *                            equal rates and single runs left out
 *   report_problem_sets      runs over different problems: by default each
 *                            is cut to the common task ids (per_problem,
 *                            pass@k over those, problems_dropped, the
 *                            note), own_problems keeps each run's own
 *                            with a warning; the same problems in
 *                            another order, or one run, add nothing;
 *                            no problem in common is an error
 *   report_build_errors      no runs, no judged samples, k above n_max,
 *                            unknown base model, names not UTF-8, a task
 *                            id twice in a run
 *   report_base_plus         a run and its base results (base_of), over
 *                            different problems: base_plus by hand at
 *                            k = 1, 2, 4 and greedy, the drop exactly
 *                            base minus plus, "tests": "base"; opts->k;
 *                            problems=all; a base of 0 (no relative
 *                            drop); base_of naming no other run fails
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "tests/unit/test.h"
#include "report/report.h"
#include "report/passk.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Samples: scored, not scored, greedy, truncated. */
#define S(p, sc)	{ .passed = (p), .has_score = true, .score = (sc), \
			  .seconds = -1, .tflops = -1 }
#define U(p)		{ .passed = (p), .seconds = -1, .tflops = -1 }
#define G(p)		{ .passed = (p), .greedy = true, .seconds = -1, \
			  .tflops = -1 }
#define TR(p, sc)	{ .passed = (p), .truncated = true, \
			  .has_score = true, .score = (sc), .seconds = -1, \
			  .tflops = -1 }

/* Table 1 of the paper: Code Llama TFLOPs and seconds per sample. */
static const struct report_cost paper_costs[] = {
	{ "7b", 1.69, 395 },
	{ "13b", 3.29, 667 },
	{ "34b", 8.58, 2994 },
	{ "70b", 17.60, 5605 },
};

/* A small deterministic generator (xorshift64). */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* --- JSON access --- */

static json_t *
get(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (v == NULL)
		TEST_FAIL_AT("no key \"%s\"", key);
	return v;
}

static json_t *
get_k(json_t *o, unsigned k)
{
	char	 key[16];

	snprintf(key, sizeof(key), "%u", k);
	return get(o, key);
}

/* A percentage (a JSON real) as a fraction. */
static double
frac(json_t *v)
{
	ASSERT(json_is_real(v));
	return json_real_value(v) / 100.0;
}

/* run[i] of a report. */
static json_t *
run_of(json_t *doc, size_t i)
{
	return json_array_get(get(doc, "runs"), i);
}

/* The comparison of "metric", or NULL. */
static json_t *
cmp_of(json_t *doc, const char *metric)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach(get(doc, "comparisons"), i, c) {
		if (strcmp(json_string_value(get(c, "metric")), metric) == 0)
			return c;
	}
	return NULL;
}

/* A report that must build. */
static json_t *
build(const struct report_run *runs, size_t nruns,
    const struct report_opts *opts)
{
	json_t	*doc = NULL;
	char	 err[256] = "";
	int	 r;

	r = report_build(runs, nruns, opts, &doc, err, sizeof(err));
	if (r != 0)
		TEST_FAIL_AT("report_build: %d: %s", r, err);
	ASSERT_NOT_NULL(doc);
	return doc;
}

/* --- pass@k --- */

/*
 * For every n <= 12 and c <= n, one problem of n samples whose c passes
 * sit at scattered places; pass@k by counting, over every bitmask of k
 * samples, those that hold a pass.
 */
TEST(report_passk_brute)
{
	static const struct report_opts opts = { .k = 0 };
	struct report_sample	 s[12];
	struct report_problem	 p = { .task_id = "t", .s = s };
	struct report_run	 run = { .run = "r", .p = &p, .np = 1 };
	json_t			*doc, *pk;
	unsigned		 total, hit, passmask;

	for (unsigned n = 1; n <= 12; n++) {
		for (unsigned c = 0; c <= n; c++) {
			/* c passes, every third place first (mod n). */
			passmask = 0;
			for (unsigned i = 0, at = 0; i < c; i++) {
				while (passmask & 1u << at)
					at = (at + 1) % n;
				passmask |= 1u << at;
				at = (at + 3) % n;
			}
			for (unsigned i = 0; i < n; i++)
				s[i] = (struct report_sample)U((passmask >>
				    i & 1) != 0);
			p.ns = n;
			doc = build(&run, 1, &opts);
			pk = get(run_of(doc, 0), "pass_at_k");
			ASSERT_EQ(json_object_size(pk), n);
			for (unsigned k = 1; k <= n; k++) {
				total = hit = 0;
				for (unsigned m = 0; m < 1u << n; m++) {
					if ((unsigned)__builtin_popcount(m)
					    != k)
						continue;
					total++;
					hit += (m & passmask) != 0;
				}
				ASSERT_NEAR(frac(get_k(pk, k)),
				    (double)hit / total, 1e-12);
			}
			json_decref(doc);
		}
	}
	return TEST_PASS;
}

/*
 * pass@k of n samples whose passes are the bits of passmask, by counting
 * the k-subsets (bitmasks of k samples) that hold a pass.
 */
static double
passk_by_subsets(unsigned n, unsigned passmask, unsigned k)
{
	unsigned	 total = 0, hit = 0;

	for (unsigned m = 0; m < 1u << n; m++) {
		if ((unsigned)__builtin_popcount(m) != k)
			continue;
		total++;
		hit += (m & passmask) != 0;
	}
	return (double)hit / total;
}

/*
 * An RL run: 12 problems of n = 1 .. 6 samples, passes scattered by a
 * fixed generator.  At each k, pass@k is the mean by subsets over the
 * problems with n >= k, and problems_at_k their number.
 */
TEST(report_passk_uneven)
{
	enum { P = 12, NMAX = 6 };
	struct report_opts	 opts = { .costs = paper_costs,
	    .ncosts = NITEMS(paper_costs) };
	struct report_sample	 s[P][NMAX];
	struct report_problem	 p[P];
	struct report_run	 run = { .run = "rl", .model = "7b", .p = p,
	    .np = P };
	static const char *const ids[P] = { "t0", "t1", "t2", "t3", "t4",
	    "t5", "t6", "t7", "t8", "t9", "t10", "t11" };
	unsigned		 n[P], mask[P], used;
	uint64_t		 seed = 12;
	double			 sum, sq, v[P];
	json_t			*doc, *r, *pk, *se, *pa, *b;
	size_t			 e;

	for (unsigned i = 0; i < P; i++) {
		n[i] = 1 + i % NMAX;
		mask[i] = (unsigned)rnd(&seed) & ((1u << n[i]) - 1);
		for (unsigned j = 0; j < n[i]; j++)
			s[i][j] = (struct report_sample)U((mask[i] >> j & 1)
			    != 0);
		p[i] = (struct report_problem){ .task_id = ids[i],
		    .s = s[i], .ns = n[i] };
	}
	doc = build(&run, 1, &opts);
	r = run_of(doc, 0);
	ASSERT_EQ(json_integer_value(get(r, "n_min")), 1);
	ASSERT_EQ(json_integer_value(get(r, "n_max")), NMAX);
	pk = get(r, "pass_at_k");
	se = get(r, "stderr_at_k");
	pa = get(r, "problems_at_k");
	ASSERT_EQ(json_object_size(pk), NMAX);
	ASSERT_EQ(json_object_size(pa), NMAX);
	for (unsigned k = 1; k <= NMAX; k++) {
		used = 0;
		sum = sq = 0.0;
		for (unsigned i = 0; i < P; i++) {
			if (n[i] < k)
				continue;
			v[used] = passk_by_subsets(n[i], mask[i], k);
			sum += v[used++];
		}
		sum /= used;
		for (unsigned i = 0; i < used; i++)
			sq += (v[i] - sum) * (v[i] - sum);
		ASSERT_EQ(json_integer_value(get_k(pa, k)), used);
		ASSERT_NEAR(frac(get_k(pk, k)), sum, 1e-12);
		ASSERT_NEAR(frac(get_k(se, k)), sqrt(sq / (used - 1) / used),
		    1e-12);
	}
	/* One model, its own base: budget 2^e is k = 2^e, up to n_max. */
	json_array_foreach(get(get(r, "budgets"), "flops"), e, b) {
		ASSERT_EQ(json_integer_value(get(b, "k")), 1 << e);
		ASSERT(json_real_value(get(b, "pass")) ==
		    json_real_value(get_k(pk, 1u << e)));
	}
	ASSERT_EQ(e, 3);			/* k = 1, 2, 4 */
	json_decref(doc);

	opts.k = NMAX;
	doc = build(&run, 1, &opts);
	r = run_of(doc, 0);
	ASSERT_EQ(json_object_size(get(r, "pass_at_k")), 1);
	ASSERT_EQ(json_integer_value(get_k(get(r, "problems_at_k"), NMAX)),
	    2);
	json_decref(doc);

	/* One problem left at k = 6: no standard error there, not 0. */
	p[5].ns = 5;
	doc = build(&run, 1, &opts);
	r = run_of(doc, 0);
	ASSERT_EQ(json_integer_value(get_k(get(r, "problems_at_k"), NMAX)),
	    1);
	ASSERT(json_is_null(get_k(get(r, "stderr_at_k"), NMAX)));
	ASSERT(json_is_null(get_k(get(r, "ci95_at_k"), NMAX)));
	ASSERT(json_is_real(get_k(get(r, "pass_at_k"), NMAX)));
	json_decref(doc);

	/* Every problem at n = 1: even, no problems_at_k. */
	for (unsigned i = 0; i < P; i++)
		p[i].ns = 1;
	opts.k = 0;
	doc = build(&run, 1, &opts);
	ASSERT_NULL(json_object_get(run_of(doc, 0), "problems_at_k"));
	json_decref(doc);
	return TEST_PASS;
}

/*
 * 1 - C(2000-c, k) / C(2000, k) as exact rationals, rounded once:
 *   python3 -c 'from math import comb; from fractions import Fraction
 *   as F; cs=(1,5,20,100,1000,1999); ks=(1,10,100,1000); [print(c, k,
 *   repr(float(1-F(comb(2000-c,k),comb(2000,k))))) for c in cs for k
 *   in ks]'
 */
static const struct {
	unsigned	 c, k;
	double		 pass;
} exact_2000[] = {
	{    1,    1, 0.0005 },
	{    1,   10, 0.005 },
	{    1,  100, 0.05 },
	{    1, 1000, 0.5 },
	{    5,    1, 0.0025 },
	{    5,   10, 0.02477578721651343 },
	{    5,  100, 0.22642297620423335 },
	{    5, 1000, 0.9689062107418256 },
	{   20,    1, 0.01 },
	{   20,   10, 0.09582409938026101 },
	{   20,  100, 0.6433140211145985 },
	{   20, 1000, 0.9999991335665414 },
	{  100,    1, 0.05 },
	{  100,   10, 0.40197398173680804 },
	{  100,  100, 0.9948264893007189 },
	{  100, 1000, 1.0 },
	{ 1000,    1, 0.5 },
	{ 1000,   10, 0.9990452674173292 },
	{ 1000,  100, 1.0 },
	{ 1000, 1000, 1.0 },
	{ 1999,    1, 0.9995 },
	{ 1999,   10, 1.0 },
	{ 1999,  100, 1.0 },
	{ 1999, 1000, 1.0 },
};

TEST(report_passk_exact_2000)
{
	static const struct report_opts opts = { .k = 0 };
	static const unsigned cs[] = { 1, 5, 20, 100, 1000, 1999 };
	const unsigned		 n = 2000;
	struct report_sample	*s = calloc(n, sizeof(*s));
	struct report_problem	 p = { .task_id = "t", .s = s, .ns = n };
	struct report_run	 run = { .run = "r", .p = &p, .np = 1 };
	json_t			*doc, *pk;
	unsigned		 checked = 0;

	ASSERT_NOT_NULL(s);
	for (size_t i = 0; i < NITEMS(cs); i++) {
		/* The passes at the end: no place is special. */
		for (unsigned j = 0; j < n; j++)
			s[j] = (struct report_sample)U(j >= n - cs[i]);
		doc = build(&run, 1, &opts);
		pk = get(run_of(doc, 0), "pass_at_k");
		ASSERT_EQ(json_object_size(pk), n);
		for (size_t e = 0; e < NITEMS(exact_2000); e++) {
			if (exact_2000[e].c != cs[i])
				continue;
			ASSERT_NEAR(frac(get_k(pk, exact_2000[e].k)),
			    exact_2000[e].pass, 1e-9);
			checked++;
		}
		for (unsigned k = 1; k <= n; k++)
			ASSERT_NEAR(frac(get_k(pk, k)),
			    passk_estimate(n, cs[i], k), 1e-12);
		json_decref(doc);
	}
	ASSERT_EQ(checked, NITEMS(exact_2000));
	free(s);
	return TEST_PASS;
}

/* --- rank-score@k --- */

#define RANK_NMAX	8

/* The next permutation of a[0..n-1]; false, a sorted again, after the last. */
static bool
next_perm(int *a, int n)
{
	int	 i = n - 2, j, t;

	while (i >= 0 && a[i] >= a[i + 1])
		i--;
	if (i >= 0) {
		for (j = n - 1; a[j] <= a[i]; j--)
			;
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
	for (j = i + 1, t = n - 1; j < t; j++, t--) {
		int	 x = a[j];

		a[j] = a[t];
		a[t] = x;
	}
	return i >= 0;
}

/*
 * The counts behind rank-score@k by brute force: every order of the n
 * candidates that sorts their scores best first (each tie in every
 * order), with every non-empty subset of ranks, whose best-ranked member
 * is its lowest rank.  best[k][b] is the number of (order, k-subset)
 * pairs whose best-ranked member is candidate b, all[k] the number of
 * pairs.  rank-score@k of a pass pattern is then the share of pairs
 * whose best-ranked member passes: sum of best[k][b] over passing b,
 * over all[k]; counting once serves every pass pattern.
 */
static void
rank_brute(const int *score, int n, bool hib,
    double best[][RANK_NMAX], double *all)
{
	int		 order[RANK_NMAX], start[RANK_NMAX + 1];
	int		 key[RANK_NMAX], ng = 0, g, t;
	unsigned char	 size[1 << RANK_NMAX], low[1 << RANK_NMAX];

	/* Each subset's size and lowest rank, looked up in the loop. */
	for (unsigned m = 1; m < 1u << n; m++) {
		size[m] = (unsigned char)__builtin_popcount(m);
		low[m] = (unsigned char)__builtin_ctz(m);
	}
	for (int k = 0; k <= n; k++) {
		all[k] = 0;
		for (int b = 0; b < n; b++)
			best[k][b] = 0;
	}
	/* Candidates by key (insertion sort), groups of equal keys. */
	for (int i = 0; i < n; i++) {
		key[i] = hib ? -score[i] : score[i];
		for (t = i; t > 0 && key[order[t - 1]] > key[i]; t--)
			order[t] = order[t - 1];
		order[t] = i;
	}
	for (int i = 0; i < n; i++) {
		if (i == 0 || key[order[i]] != key[order[i - 1]])
			start[ng++] = i;
	}
	start[ng] = n;

	/* Every order: the groups' permutations, as an odometer. */
	for (;;) {
		for (unsigned m = 1; m < 1u << n; m++) {
			best[size[m]][order[low[m]]]++;
			all[size[m]]++;
		}
		for (g = ng - 1; g >= 0; g--) {
			if (next_perm(order + start[g], start[g + 1] -
			    start[g]))
				break;
		}
		if (g < 0)
			break;
	}
}

/*
 * report_rank_score() against rank_brute() for one score pattern, both
 * directions, and every pass pattern (npass 0) or npass random ones.
 */
static void
rank_check(const int *score, int n, unsigned npass, uint64_t *seed)
{
	double		 best[RANK_NMAX + 1][RANK_NMAX], all[RANK_NMAX + 1];
	double		 sc[RANK_NMAX], hit, got;
	bool		 pass[RANK_NMAX];
	unsigned	 pm;

	for (int i = 0; i < n; i++)
		sc[i] = score[i];
	for (int hib = 0; hib <= 1; hib++) {
		rank_brute(score, n, hib, best, all);
		for (unsigned j = 0; j < (npass ? npass : 1u << n); j++) {
			pm = npass ? (unsigned)rnd(seed) : j;
			for (int i = 0; i < n; i++)
				pass[i] = (pm >> i & 1) != 0;
			for (int k = 1; k <= n; k++) {
				hit = 0;
				for (int b = 0; b < n; b++)
					hit += pass[b] ? best[k][b] : 0;
				got = report_rank_score(pass, sc, n, k, hib);
				if (!(fabs(got - hit / all[k]) <= 1e-12))
					TEST_FAIL_AT("n=%d k=%d hib=%d "
					    "pass=%#x: %.17g vs %.17g", n, k,
					    hib, pm, got, hit / all[k]);
			}
		}
	}
}

/* Every score pattern over {0, 1, 2} of n candidates. */
static void
rank_patterns(int n, unsigned npass, uint64_t *seed)
{
	int		 score[RANK_NMAX];
	unsigned	 npat = 1, code;

	for (int i = 0; i < n; i++)
		npat *= 3;
	for (unsigned sp = 0; sp < npat; sp++) {
		code = sp;
		for (int i = 0; i < n; i++, code /= 3)
			score[i] = (int)(code % 3);
		rank_check(score, n, npass, seed);
	}
}

TEST(report_rank_brute)
{
	uint64_t	 seed = 1;

	for (int n = 1; n <= 5; n++)
		rank_patterns(n, 0, &seed);
	return TEST_PASS;
}

/*
 * Every pass pattern too would be 560,000 calls at n = 6, and more
 * orders than fit the time limit under the sanitizers at n = 7 and 8.
 */
TEST(report_rank_brute_678)
{
	int		 score[RANK_NMAX];
	uint64_t	 seed = 0x9e3779b97f4a7c15u;

	rank_patterns(6, 12, &seed);
	for (int n = 7; n <= RANK_NMAX; n++) {
		for (int iter = 0; iter < 150; iter++) {
			for (int i = 0; i < n; i++)
				score[i] = iter == 0 ? 1 :
				    (int)(rnd(&seed) % 3);
			rank_check(score, n, 8, &seed);
		}
	}
	return TEST_PASS;
}

/*
 * The formula of report.h without the tail cut, over pass means in rank
 * order: w_1 = k / n, w_{i+1} = w_i * (n - i - k + 1) / (n - i).
 */
static double
rank_plain(const double *mean, unsigned n, unsigned k)
{
	double	 w = (double)k / n, sum = 0.0;

	for (unsigned i = 1; i + k <= n + 1; i++) {
		sum += w * mean[i - 1];
		w = w * (n - i - k + 1) / (n - i);
	}
	return sum;
}

TEST(report_rank_large)
{
	enum { N = 2000, NP = 4, NS = 300, NV = 7 };
	static const unsigned ks[] = { 1, 2, 3, 7, 10, 50, 100, 500, 1000,
	    1999, 2000 };
	/* Scores and their tie groups, lower first and higher first. */
	static const double vals[NV] = { 2.5, -0.0, 1, NAN, 0.0, -1.5, 0.25 };
	static const int low[NV] = { 4, 1, 3, 5, 1, 0, 2 };
	static const int high[NV] = { 0, 3, 1, 5, 3, 4, 2 };
	static const struct report_opts opts = { .k = 0 };
	static const char *const ids[NP] = { "t0", "t1", "t2", "t3" };
	bool			*pass = calloc(N, sizeof(*pass));
	double			*score = calloc(N, sizeof(*score));
	double			*mean = calloc(N, sizeof(*mean));
	unsigned		*perm = calloc(N, sizeof(*perm));
	struct report_sample	 s[NP][NS];
	struct report_problem	 p[NP];
	struct report_run	 run = { .run = "r", .p = p, .np = NP };
	bool			 pb[NS];
	double			 sc[NS], want;
	unsigned		 m[NP], kmax = NS, gn[NV], gc[NV], at, t;
	uint64_t		 seed = 12345;
	json_t			*doc, *rk;

	ASSERT_NOT_NULL(pass);
	ASSERT_NOT_NULL(score);
	ASSERT_NOT_NULL(mean);
	ASSERT_NOT_NULL(perm);

	/* Distinct scores, shuffled: rank i is the candidate scored i. */
	for (unsigned i = 0; i < N; i++)
		perm[i] = i;
	for (unsigned i = N - 1; i > 0; i--) {
		at = (unsigned)(rnd(&seed) % (i + 1));
		t = perm[i];
		perm[i] = perm[at];
		perm[at] = t;
	}
	for (unsigned i = 0; i < N; i++) {
		pass[i] = rnd(&seed) % 5 == 0;
		score[i] = perm[i];
		mean[perm[i]] = pass[i];
	}
	for (size_t j = 0; j < NITEMS(ks); j++) {
		want = rank_plain(mean, N, ks[j]);
		ASSERT_NEAR(report_rank_score(pass, score, N, ks[j], false),
		    want, 1e-12);
		for (unsigned i = 0; i < N; i++)
			score[i] = -score[i];
		ASSERT_NEAR(report_rank_score(pass, score, N, ks[j], true),
		    want, 1e-12);
		for (unsigned i = 0; i < N; i++)
			score[i] = -score[i];
	}

	/*
	 * Seven score values in six tie groups (-0 and 0 are one, NaN is
	 * last): the means of each group, laid out by rank, by counting.
	 */
	for (int hib = 0; hib <= 1; hib++) {
		const int	*grp = hib ? high : low;

		memset(gn, 0, sizeof(gn));
		memset(gc, 0, sizeof(gc));
		for (unsigned i = 0; i < N; i++) {
			unsigned v = (unsigned)(rnd(&seed) % NV);

			pass[i] = rnd(&seed) % 3 == 0;
			score[i] = vals[v];
			gn[grp[v]]++;
			gc[grp[v]] += pass[i];
		}
		at = 0;
		for (int g = 0; g < 6; g++) {
			for (unsigned i = 0; i < gn[g]; i++)
				mean[at++] = (double)gc[g] / gn[g];
		}
		ASSERT_EQ(at, N);
		for (size_t j = 0; j < NITEMS(ks); j++)
			ASSERT_NEAR(report_rank_score(pass, score, N, ks[j],
			    hib), rank_plain(mean, N, ks[j]), 1e-12);
	}

	/*
	 * A run: scores from a few values (ties), some candidates greedy,
	 * truncated or without a score.  Each problem's rank-score comes
	 * from report_rank_score() over what should be kept.
	 */
	for (int q = 0; q < NP; q++) {
		m[q] = 0;
		for (int i = 0; i < NS; i++) {
			bool	 ok = rnd(&seed) % (q + 2) == 0;
			double	 v = (double)(rnd(&seed) % 7) / 4;

			switch (rnd(&seed) % 10) {
			case 0:
				s[q][i] = (struct report_sample)G(ok);
				break;
			case 1:
				s[q][i] = (struct report_sample)TR(ok, v);
				break;
			case 2:
				s[q][i] = (struct report_sample)U(ok);
				break;
			default:
				s[q][i] = (struct report_sample)S(ok, v);
				break;
			}
		}
		p[q] = (struct report_problem){ .task_id = ids[q], .s = s[q],
		    .ns = NS };
	}
	for (int q = 0; q < NP; q++) {
		for (int i = 0; i < NS; i++) {
			if (!s[q][i].greedy && !s[q][i].truncated &&
			    s[q][i].has_score)
				m[q]++;
		}
		if (m[q] < kmax)
			kmax = m[q];
	}
	for (int hib = 0; hib <= 1; hib++) {
		struct report_opts o = opts;

		o.higher_is_better = hib;
		doc = build(&run, 1, &o);
		rk = get(run_of(doc, 0), "rank_score_at_k");
		ASSERT_EQ(json_object_size(rk), kmax);
		for (unsigned k = 1; k <= kmax; k++) {
			want = 0.0;
			for (int q = 0; q < NP; q++) {
				unsigned	 n = 0;

				for (int i = 0; i < NS; i++) {
					if (s[q][i].greedy ||
					    s[q][i].truncated ||
					    !s[q][i].has_score)
						continue;
					pb[n] = s[q][i].passed;
					sc[n++] = s[q][i].score;
				}
				want += report_rank_score(pb, sc, n, k, hib);
			}
			ASSERT_NEAR(frac(get_k(rk, k)), want / NP, 1e-12);
		}
		json_decref(doc);
	}
	free(pass);
	free(score);
	free(mean);
	free(perm);
	return TEST_PASS;
}

TEST(report_rank_edges)
{
	static const bool pass[] = { true, false, false };
	static const double score[] = { 1, 2, 3 };
	const bool	 p2[] = { false, true };
	double		 s2[] = { NAN, 5 };
	double		 z[] = { -0.0, 0.0 };

	ASSERT(isnan(report_rank_score(pass, score, 3, 0, false)));
	ASSERT(isnan(report_rank_score(pass, score, 3, 4, false)));
	ASSERT(isnan(report_rank_score(pass, score, 0, 1, false)));
	/* Lower first: the pass is first.  Higher first: it is last. */
	ASSERT_NEAR(report_rank_score(pass, score, 3, 1, false), 1.0 / 3,
	    1e-15);
	ASSERT_NEAR(report_rank_score(pass, score, 3, 3, false), 1.0, 1e-15);
	ASSERT_NEAR(report_rank_score(pass, score, 3, 2, true), 0.0, 1e-15);
	/* A NaN score ranks last whichever way scores go. */
	ASSERT_NEAR(report_rank_score(p2, s2, 2, 2, false), 1.0, 1e-15);
	ASSERT_NEAR(report_rank_score(p2, s2, 2, 2, true), 1.0, 1e-15);
	s2[0] = 6;
	ASSERT_NEAR(report_rank_score(p2, s2, 2, 2, true), 0.0, 1e-15);
	/* -0 and 0 are one tie: the pair's mean, whatever the order. */
	ASSERT_NEAR(report_rank_score(p2, z, 2, 2, false), 0.5, 1e-15);
	ASSERT_NEAR(report_rank_score(p2, z, 2, 2, true), 0.5, 1e-15);
	return TEST_PASS;
}

/* --- Budgets --- */

/*
 * In 7B units (paper, Table 1): FLOPs 1.69 : 3.29 : 8.58 : 17.60 and
 * seconds 395 : 667 : 2994 : 5605.
 *   FLOPs budget 16:  7B 16, 13B 16*1.69/3.29 = 8.22 -> 8,
 *                     34B 3.15 -> 3, 70B 1.54 -> 1
 *   time budget 64:   13B 64*395/667 = 37.9 -> 37, 34B 8.44 -> 8,
 *                     70B 64*395/5605 = 4.51 -> 4
 */
TEST(report_budget_k_cases)
{
	ASSERT_EQ(report_budget_k(16, 1.69, 1.69), 16);
	ASSERT_EQ(report_budget_k(16, 1.69, 3.29), 8);
	ASSERT_EQ(report_budget_k(16, 1.69, 8.58), 3);
	ASSERT_EQ(report_budget_k(16, 1.69, 17.60), 1);
	ASSERT_EQ(report_budget_k(64, 395, 667), 37);
	ASSERT_EQ(report_budget_k(64, 395, 2994), 8);
	ASSERT_EQ(report_budget_k(64, 395, 5605), 4);

	/* Less than one sample: 0, never a negative or rounded-up k. */
	ASSERT_EQ(report_budget_k(8, 1.69, 17.60), 0);
	ASSERT_EQ(report_budget_k(1, 1, 1.5), 0);
	ASSERT_EQ(report_budget_k(1, 395, 5605), 0);
	ASSERT_EQ(report_budget_k(NAN, 1, 1), 0);

	/* Exact multiples that floor() of the quotient would lose. */
	ASSERT_EQ(report_budget_k(6, 1, 3), 2);
	ASSERT(floor(6 * 1 / (0.1 * 3 * 10)) == 1.0);	/* the trap */
	ASSERT_EQ(report_budget_k(6, 1, 0.1 * 3 * 10), 2);
	ASSERT_EQ(report_budget_k(6, 0.1, 0.1 * 3), 2);
	ASSERT(floor(1 * 0.15 / 0.05) == 2.0);		/* the trap */
	ASSERT_EQ(report_budget_k(1, 0.15, 0.05), 3);
	ASSERT_EQ(report_budget_k(64, 0.15, 0.05), 192);
	ASSERT_EQ(report_budget_k(1, 0.1 * 3, 0.3), 1);
	/* Just short of a multiple, but not by rounding: stays below. */
	ASSERT_EQ(report_budget_k(1, 2.999, 1), 2);
	ASSERT_EQ(report_budget_k(INFINITY, 1, 1), UINT_MAX);
	return TEST_PASS;
}

/* budgets[axis] of run i, as an array. */
static json_t *
budgets_of(json_t *doc, size_t i, const char *axis)
{
	json_t	*b = get(get(run_of(doc, i), "budgets"), axis);

	ASSERT(json_is_array(b));
	return b;
}

/*
 * Check budget list "b": budgets want_b[] with k want_k[], n points, and
 * pass equal to the run's pass_at_k there.
 */
static void
budget_check(json_t *doc, size_t run, const char *axis,
    const double *want_b, const unsigned *want_k, size_t n)
{
	json_t	*b = budgets_of(doc, run, axis), *pt;
	json_t	*pk = get(run_of(doc, run), "pass_at_k");

	ASSERT_EQ(json_array_size(b), n);
	for (size_t i = 0; i < n; i++) {
		pt = json_array_get(b, i);
		ASSERT(json_real_value(get(pt, "budget")) == want_b[i]);
		ASSERT_EQ(json_integer_value(get(pt, "k")), want_k[i]);
		ASSERT(json_real_value(get(pt, "pass")) ==
		    json_real_value(get_k(pk, want_k[i])));
	}
}

TEST(report_budget_points)
{
	enum { N = 16 };
	static const char *const models[] = { "7b", "13b", "34b", "70b" };
	struct report_opts	 opts = { .costs = paper_costs,
	    .ncosts = NITEMS(paper_costs) };
	struct report_sample	 s[4][N];
	struct report_problem	 p[4];
	struct report_run	 runs[4];
	json_t			*doc, *b, *pt, *rk;

	for (int r = 0; r < 4; r++) {
		for (int i = 0; i < N; i++)
			s[r][i] = (struct report_sample)S(i % (r + 2) == 0,
			    i);
		p[r] = (struct report_problem){ .task_id = "t", .s = s[r],
		    .ns = N };
		runs[r] = (struct report_run){ .run = models[r],
		    .model = models[r], .p = &p[r], .np = 1 };
	}
	runs[1].ranker = "7b";

	/*
	 * FLOPs in 7B units, budgets 1, 2, 4, ...: 7B k = B up to 16; 13B
	 * k = floor(B * 1.69 / 3.29), 0 at B = 1; 34B from B = 8 (k 1);
	 * 70B from B = 16 (k 1, 3, 6, 12), k 24 > 16 at B = 256 ends the
	 * grid; no point anywhere has k 0.
	 */
	doc = build(runs, 4, &opts);
	{
		static const double b7[] = { 1, 2, 4, 8, 16 };
		static const unsigned k7[] = { 1, 2, 4, 8, 16 };
		static const double b13[] = { 2, 4, 8, 16, 32 };
		static const unsigned k13[] = { 1, 2, 4, 8, 16 };
		static const double b34[] = { 8, 16, 32, 64 };
		static const unsigned k34[] = { 1, 3, 6, 12 };
		static const double b70[] = { 16, 32, 64, 128 };
		static const unsigned k70[] = { 1, 3, 6, 12 };

		budget_check(doc, 0, "flops", b7, k7, NITEMS(b7));
		budget_check(doc, 1, "flops", b13, k13, NITEMS(b13));
		budget_check(doc, 2, "flops", b34, k34, NITEMS(b34));
		budget_check(doc, 3, "flops", b70, k70, NITEMS(b70));
	}
	/*
	 * Time: 70B at 64 units gets 4 (64 * 395 / 5605 = 4.51); 13B at
	 * 1 unit gets none.
	 */
	b = budgets_of(doc, 3, "time");
	for (size_t i = 0; i < json_array_size(b); i++) {
		pt = json_array_get(b, i);
		ASSERT(json_integer_value(get(pt, "k")) >= 1);
		if (json_real_value(get(pt, "budget")) == 64)
			ASSERT_EQ(json_integer_value(get(pt, "k")), 4);
	}
	ASSERT(json_real_value(get(json_array_get(budgets_of(doc, 1,
	    "time"), 0), "budget")) == 2);

	/*
	 * 13B ranked by 7B: 3.29 + 1.69 = 4.98 TFLOPs a sample; at 16
	 * units 16 * 1.69 / 4.98 = 5.43 -> rank-score@5.  Runs without a
	 * ranker have "rank" null.
	 */
	rk = get(run_of(doc, 1), "rank_score_at_k");
	b = budgets_of(doc, 1, "flops");
	pt = json_array_get(b, 3);
	ASSERT(json_real_value(get(pt, "budget")) == 16);
	ASSERT(json_real_value(get(pt, "rank")) ==
	    json_real_value(get_k(rk, 5)));
	pt = json_array_get(b, 0);		/* B 2: 3.38 / 4.98 < 1 */
	ASSERT(json_is_null(get(pt, "rank")));
	ASSERT(json_is_null(get(json_array_get(budgets_of(doc, 0, "flops"),
	    0), "rank")));

	/* The base is the cheapest model on both axes: 7B. */
	ASSERT_STR_EQ(json_string_value(get(get(doc, "base"), "model")),
	    "7b");
	ASSERT(json_real_value(get(get(doc, "base"), "tflops")) == 1.69);
	ASSERT(json_real_value(get(get(doc, "base"), "seconds")) == 395);
	json_decref(doc);

	/*
	 * 70B alone in 7B units: nothing fits until budget 16, and the
	 * budgets go on until then.
	 */
	opts.base_model = "7b";
	doc = build(&runs[3], 1, &opts);
	{
		static const double b70[] = { 16, 32, 64, 128 };
		static const unsigned k70[] = { 1, 3, 6, 12 };

		budget_check(doc, 0, "flops", b70, k70, NITEMS(b70));
	}
	json_decref(doc);
	opts.base_model = NULL;

	/*
	 * A named base, and costs 0.05 in units of 0.15: 1 * 0.15 / 0.05
	 * is 2.9999999999999996 in doubles, but k is 3.
	 */
	{
		static const struct report_cost costs[] = {
			{ "small", 0.05, 0.05 }, { "big", 0.15, 0.15 },
		};
		struct report_opts	 o = { .costs = costs, .ncosts = 2,
		    .base_model = "big" };
		struct report_run	 one = runs[0];

		one.model = "small";
		doc = build(&one, 1, &o);
		pt = json_array_get(budgets_of(doc, 0, "flops"), 0);
		ASSERT(json_real_value(get(pt, "budget")) == 1);
		ASSERT_EQ(json_integer_value(get(pt, "k")), 3);
		ASSERT_EQ(json_array_size(budgets_of(doc, 0, "flops")), 3);
		ASSERT_STR_EQ(json_string_value(get(get(doc, "base"),
		    "model")), "big");
		json_decref(doc);
	}

	/*
	 * Measured costs: every sampled candidate gives seconds (mean 790
	 * = two 7B samples) but one lacks TFLOPs, which then come from the
	 * table.  A greedy candidate's cost does not count.
	 */
	{
		struct report_sample	 ms[N + 1];
		struct report_problem	 mp = p[0];
		struct report_run	 mr = runs[0];

		for (int i = 0; i < N; i++) {
			ms[i] = s[0][i];
			ms[i].seconds = i % 2 == 0 ? 390 : 1190;
			ms[i].tflops = i == 3 ? -1 : 100;
		}
		ms[N] = (struct report_sample)G(true);
		ms[N].seconds = 1e9;
		mp.s = ms;
		mp.ns = N + 1;
		mr.p = &mp;
		opts.measured = true;
		doc = build(&mr, 1, &opts);
		ASSERT(json_real_value(get(get(run_of(doc, 0), "cost"),
		    "seconds")) == 790);
		ASSERT(json_real_value(get(get(run_of(doc, 0), "cost"),
		    "tflops")) == 1.69);
		ASSERT_STR_EQ(json_string_value(get(run_of(doc, 0),
		    "cost_source")), "measured");
		json_decref(doc);

		opts.measured = false;
		doc = build(&mr, 1, &opts);
		ASSERT(json_real_value(get(get(run_of(doc, 0), "cost"),
		    "seconds")) == 395);
		ASSERT_STR_EQ(json_string_value(get(run_of(doc, 0),
		    "cost_source")), "table");
		json_decref(doc);

		/* No table row, nothing measured: no cost, no budgets. */
		mr.model = "unknown";
		doc = build(&mr, 1, &opts);
		ASSERT(json_is_null(get(run_of(doc, 0), "cost_source")));
		ASSERT(json_is_null(get(get(run_of(doc, 0), "cost"),
		    "tflops")));
		ASSERT_EQ(json_array_size(budgets_of(doc, 0, "time")), 0);
		ASSERT(json_is_null(get(get(doc, "base"), "model")));
		json_decref(doc);
	}
	return TEST_PASS;
}

/* --- report_build --- */

/*
 * Run A (7b, ranked by 7b), n = 4 on both problems:
 *   T/0  P1 F2 F3 P4 + greedy P        c 2, greedy 1/1
 *   T/1  F1 F2 F3 + truncated P0 + greedy F, 2 pending   c 1, greedy 0/1
 * Run B (13b, no scores):
 *   T/0  P P P P                       c 4
 *   T/2  F F F F                       c 0
 *
 * pass@k   A: T/0 1 - C(2,k)/C(4,k) = .5, 5/6, 1, 1
 *             T/1 1 - C(3,k)/C(4,k) = .25, .5, .75, 1
 *             mean 37.5, 66.67, 87.5, 100
 *          B: (1 + 0) / 2 = 50 at every k
 * greedy   A: (1 + 0) / 2 = 50% over 2 problems
 * rank@k   A: T/0 ranks P F F P, weights C(4-i,k-1)/C(4,k):
 *                @1 2/4, @2 3/6 * 1 = 1/2, @3 3/4 * 1 = 3/4
 *             T/1 ranks F F F (the truncated pass is out): 0
 *             k up to 3 (T/1 has 3): 25, 25, 37.5; with the
 *             truncated pass first, @2 would be (1/2 + 1/2) / 2
 * budgets  base 7b; A: 1, 2, 4 (k 1, 2, 4); B: 2, 4, 8 (k 1, 2, 4);
 *          flops points at 2 (A 66.67 vs B 50) and 4 (100 vs 50)
 * compare  pass at k = 1, 2, 4: B leads at k = 1 (50 vs 37.5), A from
 *          k = 2; tested on T/0 alone (own_problems), where B's 100
 *          is clearly above A's 50 at k = 1, but not below A's 5/6
 *          and 1 after: B is clear at k = 1, A never, no crossover
 */
static const struct report_sample ex_a0[] = {
	S(true, 1), S(false, 2), S(false, 3), S(true, 4), G(true),
};
static const struct report_sample ex_a1[] = {
	S(false, 1), S(false, 2), S(false, 3), TR(true, 0), G(false),
};
static const struct report_sample ex_b0[] = {
	U(true), U(true), U(true), U(true),
};
static const struct report_sample ex_b2[] = {
	U(false), U(false), U(false), U(false),
};
static const struct report_problem ex_pa[] = {
	{ .task_id = "T/0", .s = ex_a0, .ns = 5,
	  .verdicts = { [PROTO_VERDICT_PASSED] = 3,
	      [PROTO_VERDICT_FAILED] = 2 } },
	{ .task_id = "T/1", .s = ex_a1, .ns = 5, .pending = 2,
	  .verdicts = { [PROTO_VERDICT_PASSED] = 1,
	      [PROTO_VERDICT_FAILED] = 3, [PROTO_VERDICT_TIMEOUT] = 1,
	      [PROTO_VERDICT_INTERNAL] = 1 } },
};
static const struct report_problem ex_pb[] = {
	{ .task_id = "T/0", .s = ex_b0, .ns = 4,
	  .verdicts = { [PROTO_VERDICT_PASSED] = 4 } },
	{ .task_id = "T/2", .s = ex_b2, .ns = 4,
	  .verdicts = { [PROTO_VERDICT_FAILED] = 4 } },
};
static const struct report_run ex_runs[] = {
	{ .run = "A", .model = "7b", .ranker = "7b", .p = ex_pa, .np = 2 },
	{ .run = "B", .model = "13b", .p = ex_pb, .np = 2 },
};

/* Check that o holds exactly the n keys of "keys", each of its type. */
struct key_type {
	const char	*key;
	const char	*types;		/* s i r b o a n (null) */
};

static void
check_keys(json_t *o, const struct key_type *kt, size_t n)
{
	json_t	*v;
	char	 t;

	ASSERT(json_is_object(o));
	ASSERT_EQ(json_object_size(o), n);
	for (size_t i = 0; i < n; i++) {
		v = get(o, kt[i].key);
		switch (json_typeof(v)) {
		case JSON_STRING:	t = 's'; break;
		case JSON_INTEGER:	t = 'i'; break;
		case JSON_REAL:		t = 'r'; break;
		case JSON_TRUE:
		case JSON_FALSE:	t = 'b'; break;
		case JSON_OBJECT:	t = 'o'; break;
		case JSON_ARRAY:	t = 'a'; break;
		default:		t = 'n'; break;
		}
		if (strchr(kt[i].types, t) == NULL)
			TEST_FAIL_AT("\"%s\" has type %c, not one of %s",
			    kt[i].key, t, kt[i].types);
	}
}

/*
 * Check that o holds k = 1 .. n, or "only" alone: numbers, or with
 * "interval", [lo, hi] pairs of them, lo <= hi, or null (no standard
 * error).
 */
static void
check_curve(json_t *o, unsigned n, unsigned only, bool interval)
{
	json_t	*v;

	ASSERT(json_is_object(o));
	ASSERT_EQ(json_object_size(o), only != 0 ? 1 : n);
	for (unsigned k = only != 0 ? only : 1; k <= (only != 0 ? only : n);
	    k++) {
		v = get_k(o, k);
		if (interval && json_is_null(v))
			continue;
		if (interval) {
			ASSERT_EQ(json_array_size(v), 2);
			ASSERT(json_is_real(json_array_get(v, 0)));
			ASSERT(json_real_value(json_array_get(v, 0)) <=
			    json_real_value(json_array_get(v, 1)));
		} else
			ASSERT(json_is_real(v));
	}
}

/*
 * Every key of report.h, with its type; "only" is opts->k.  The keys of
 * runs over different problems, "problem_sets" and each run's
 * "problems_dropped", are checked when there, then left out of a copy
 * that the rest checks.
 */
static void
check_shape(json_t *full, unsigned only)
{
	static const struct key_type top[] = {
		{ "runs", "a" }, { "base", "o" }, { "comparisons", "a" },
		{ "disagreements", "a" },
	};
	static const struct key_type run[] = {
		{ "run", "s" }, { "model", "sn" }, { "ranker", "sn" },
		{ "problems", "i" }, { "n_min", "i" }, { "n_max", "i" },
		{ "samples", "i" }, { "pending", "i" }, { "internal", "i" },
		{ "oracle_errors", "i" },
		{ "partial", "b" }, { "reliable_k_max", "i" },
		{ "pass_at_k", "o" }, { "stderr_at_k", "o" },
		{ "ci95_at_k", "o" },
		{ "greedy_pass_at_1", "rn" }, { "greedy_problems", "i" },
		{ "rank_score_at_k", "on" }, { "cost", "o" },
		{ "cost_source", "sn" }, { "budgets", "o" },
		{ "per_problem", "a" },
	};
	static const struct key_type cost[] = {
		{ "tflops", "rn" }, { "seconds", "rn" },
	};
	static const struct key_type budgets[] = {
		{ "flops", "a" }, { "time", "a" },
	};
	static const struct key_type point[] = {
		{ "budget", "r" }, { "k", "i" }, { "pass", "r" },
		{ "stderr", "rn" }, { "ci95", "an" }, { "rank", "rn" },
	};
	static const struct key_type prob[] = {
		{ "task_id", "s" }, { "n", "i" }, { "c", "i" },
		{ "pass_rate", "rn" }, { "greedy", "rn" },
		{ "verdicts", "o" }, { "oracle_errors", "i" },
	};
	static const struct key_type base[] = {
		{ "model", "sn" }, { "tflops", "rn" }, { "seconds", "rn" },
	};
	static const struct key_type cmp[] = {
		{ "metric", "s" }, { "points", "a" }, { "crossovers", "a" },
	};
	static const struct key_type cpoint[] = {
		{ "x", "ir" }, { "best", "s" }, { "margin", "r" },
		{ "values", "o" }, { "tests", "o" }, { "tied", "a" },
	};
	static const struct key_type test[] = {
		{ "difference", "r" }, { "ci95", "a" }, { "p", "r" },
		{ "verdict", "s" }, { "problems", "i" },
	};
	static const struct key_type cross[] = {
		{ "x", "ir" }, { "before", "s" }, { "after", "s" },
		{ "test", "o" },
	};
	static const struct key_type boot[] = {
		{ "method", "s" }, { "resamples", "i" }, { "seed", "i" },
		{ "level", "r" },
	};
	static const struct key_type dis[] = {
		{ "task_id", "s" }, { "spread", "r" }, { "pass_rates", "o" },
	};
	static const struct key_type sets[] = {
		{ "mode", "s" }, { "common", "i" }, { "note", "s" },
	};
	json_t		*doc = json_deep_copy(full), *r, *v, *w, *x;
	const char	*key;
	size_t		 i, j;
	bool		 differ;

	if ((differ = (v = json_object_get(doc, "problem_sets")) != NULL)) {
		/* "warning" in the place of "note" when each keeps its own. */
		if (json_object_get(v, "warning") != NULL)
			json_object_set(v, "note", get(v, "warning"));
		json_object_del(v, "warning");
		check_keys(v, sets, NITEMS(sets));
		json_object_del(doc, "problem_sets");
	}
	json_array_foreach(get(doc, "runs"), i, r) {
		ASSERT(json_is_integer(json_object_get(r, "problems_dropped"))
		    == differ);
		json_object_del(r, "problems_dropped");
	}
	ASSERT((json_array_size(get(doc, "runs")) > 1) ==
	    (json_object_get(doc, "bootstrap") != NULL));
	if (json_object_get(doc, "bootstrap") != NULL) {
		check_keys(get(doc, "bootstrap"), boot, NITEMS(boot));
		json_object_del(doc, "bootstrap");
	}
	check_keys(doc, top, NITEMS(top));
	check_keys(get(doc, "base"), base, NITEMS(base));
	json_array_foreach(get(doc, "runs"), i, r) {
		check_keys(r, run, NITEMS(run));
		check_curve(get(r, "pass_at_k"),
		    (unsigned)json_integer_value(get(r, "n_max")), only,
		    false);
		check_curve(get(r, "stderr_at_k"),
		    (unsigned)json_integer_value(get(r, "n_max")), only,
		    false);
		check_curve(get(r, "ci95_at_k"),
		    (unsigned)json_integer_value(get(r, "n_max")), only,
		    true);
		check_keys(get(r, "cost"), cost, NITEMS(cost));
		check_keys(get(r, "budgets"), budgets, NITEMS(budgets));
		json_array_foreach(get(get(r, "budgets"), "flops"), j, v)
			check_keys(v, point, NITEMS(point));
		json_array_foreach(get(get(r, "budgets"), "time"), j, v)
			check_keys(v, point, NITEMS(point));
		json_array_foreach(get(r, "per_problem"), j, v) {
			check_keys(v, prob, NITEMS(prob));
			w = get(v, "verdicts");
			ASSERT_EQ(json_object_size(w), PROTO_VERDICT_COUNT);
			for (int e = 0; e < PROTO_VERDICT_COUNT; e++)
				ASSERT(json_is_integer(get(w,
				    proto_verdict_name(e))));
		}
	}
	json_array_foreach(get(doc, "comparisons"), i, v) {
		check_keys(v, cmp, NITEMS(cmp));
		json_array_foreach(get(v, "points"), j, w) {
			check_keys(w, cpoint, NITEMS(cpoint));
			json_object_foreach(get(w, "values"), key, x)
				ASSERT(json_is_real(x));
			json_object_foreach(get(w, "tests"), key, x) {
				check_keys(x, test, NITEMS(test));
				ASSERT_EQ(json_array_size(get(x, "ci95")), 2);
			}
			ASSERT(json_array_size(get(w, "tied")) >= 1);
		}
		json_array_foreach(get(v, "crossovers"), j, w) {
			check_keys(w, cross, NITEMS(cross));
			check_keys(get(w, "test"), test, NITEMS(test));
		}
	}
	json_array_foreach(get(doc, "disagreements"), i, v) {
		check_keys(v, dis, NITEMS(dis));
		json_object_foreach(get(v, "pass_rates"), key, x)
			ASSERT(json_is_real(x));
	}
	json_decref(doc);
}

/*
 * A and B of the example are over different problems (T/1 and T/2 are
 * in one run each); the values worked by hand are over each run's own
 * (own_problems), the cut to T/0 is report_problem_sets's.
 */
TEST(report_build_shape)
{
	struct report_opts	 opts = { .costs = paper_costs,
	    .ncosts = NITEMS(paper_costs), .own_problems = true };
	json_t			*doc, *a, *b, *v, *c, *pt;

	doc = build(ex_runs, 2, &opts);
	check_shape(doc, 0);
	a = run_of(doc, 0);
	b = run_of(doc, 1);

	ASSERT_STR_EQ(json_string_value(get(a, "run")), "A");
	ASSERT_STR_EQ(json_string_value(get(a, "ranker")), "7b");
	ASSERT(json_is_null(get(b, "ranker")));
	ASSERT_EQ(json_integer_value(get(a, "problems")), 2);
	ASSERT_EQ(json_integer_value(get(a, "n_min")), 4);
	ASSERT_EQ(json_integer_value(get(a, "n_max")), 4);
	ASSERT_EQ(json_integer_value(get(a, "samples")), 10);
	ASSERT_EQ(json_integer_value(get(a, "pending")), 2);
	ASSERT_EQ(json_integer_value(get(a, "internal")), 1);
	ASSERT(json_is_true(get(a, "partial")));
	ASSERT(json_is_false(get(b, "partial")));
	ASSERT_EQ(json_integer_value(get(a, "reliable_k_max")), 2);

	/* pass@k without the greedy candidates; greedy on its own. */
	v = get(a, "pass_at_k");
	ASSERT_NEAR(frac(get_k(v, 1)), 0.375, 1e-15);
	ASSERT_NEAR(frac(get_k(v, 2)), (5.0 / 6 + 0.5) / 2, 1e-15);
	ASSERT_NEAR(frac(get_k(v, 3)), 0.875, 1e-15);
	ASSERT_NEAR(frac(get_k(v, 4)), 1.0, 1e-15);
	/* Standard error at k = 1: |0.5 - 0.25| / 2. */
	ASSERT_NEAR(frac(get_k(get(a, "stderr_at_k"), 1)), 0.125, 1e-15);
	/* Its 95% interval: 0.375 -+ 1.96 * 0.125, cut at 0 and 1. */
	v = get_k(get(a, "ci95_at_k"), 1);
	ASSERT_EQ(json_array_size(v), 2);
	ASSERT_NEAR(frac(json_array_get(v, 0)), 0.375 - 0.245, 1e-12);
	ASSERT_NEAR(frac(json_array_get(v, 1)), 0.375 + 0.245, 1e-12);
	v = get_k(get(a, "ci95_at_k"), 4);
	ASSERT_NEAR(frac(json_array_get(v, 1)), 1.0, 1e-15);
	ASSERT_NEAR(frac(get(a, "greedy_pass_at_1")), 0.5, 1e-15);
	ASSERT_EQ(json_integer_value(get(a, "greedy_problems")), 2);
	ASSERT(json_is_null(get(b, "greedy_pass_at_1")));
	ASSERT_EQ(json_integer_value(get(b, "greedy_problems")), 0);
	ASSERT_NEAR(frac(get_k(get(b, "pass_at_k"), 3)), 0.5, 1e-15);

	/* rank-score: the truncated pass of T/1 is left out. */
	v = get(a, "rank_score_at_k");
	check_curve(v, 3, 0, false);
	ASSERT_NEAR(frac(get_k(v, 1)), 0.25, 1e-15);
	ASSERT_NEAR(frac(get_k(v, 2)), 0.25, 1e-15);
	ASSERT_NEAR(frac(get_k(v, 3)), 0.375, 1e-15);
	ASSERT(json_is_null(get(b, "rank_score_at_k")));

	/* Costs, budgets and the base. */
	ASSERT_STR_EQ(json_string_value(get(a, "cost_source")), "table");
	ASSERT(json_real_value(get(get(b, "cost"), "tflops")) == 3.29);
	ASSERT_EQ(json_array_size(budgets_of(doc, 0, "flops")), 3);
	ASSERT_EQ(json_array_size(budgets_of(doc, 1, "flops")), 3);
	pt = json_array_get(budgets_of(doc, 0, "flops"), 2);
	ASSERT(json_real_value(get(pt, "budget")) == 4);
	ASSERT_NEAR(frac(get(pt, "rank")), 0.25, 1e-15);	/* k 2 */
	ASSERT(json_is_null(get(json_array_get(budgets_of(doc, 1, "flops"),
	    0), "rank")));
	ASSERT_STR_EQ(json_string_value(get(get(doc, "base"), "model")),
	    "7b");

	/* per_problem. */
	v = json_array_get(get(a, "per_problem"), 0);
	ASSERT_STR_EQ(json_string_value(get(v, "task_id")), "T/0");
	ASSERT_EQ(json_integer_value(get(v, "n")), 4);
	ASSERT_EQ(json_integer_value(get(v, "c")), 2);
	ASSERT_NEAR(frac(get(v, "pass_rate")), 0.5, 1e-15);
	ASSERT_NEAR(frac(get(v, "greedy")), 1.0, 1e-15);
	ASSERT_EQ(json_integer_value(get(get(v, "verdicts"), "passed")), 3);
	v = json_array_get(get(a, "per_problem"), 1);
	ASSERT_EQ(json_integer_value(get(v, "c")), 1);
	ASSERT_NEAR(frac(get(v, "greedy")), 0.0, 1e-15);
	ASSERT_EQ(json_integer_value(get(get(v, "verdicts"), "internal")), 1);
	ASSERT_EQ(json_integer_value(get(get(v, "verdicts"), "timeout")), 1);
	v = json_array_get(get(b, "per_problem"), 0);
	ASSERT(json_is_null(get(v, "greedy")));

	/* pass: B leads at k = 1, A from k = 2; only B clearly. */
	c = cmp_of(doc, "pass");
	ASSERT_NOT_NULL(c);
	ASSERT_EQ(json_array_size(get(c, "points")), 3);
	pt = json_array_get(get(c, "points"), 0);
	ASSERT_EQ(json_integer_value(get(pt, "x")), 1);
	ASSERT_STR_EQ(json_string_value(get(pt, "best")), "B");
	ASSERT_NEAR(frac(get(pt, "margin")), 0.125, 1e-15);
	ASSERT_NEAR(frac(get(get(pt, "values"), "A")), 0.375, 1e-15);
	/* One problem: every resample is T/0, the interval a point. */
	v = get(get(pt, "tests"), "A");
	ASSERT_NEAR(frac(get(v, "difference")), -0.5, 1e-15);
	ASSERT_NEAR(frac(json_array_get(get(v, "ci95"), 0)), -0.5, 1e-15);
	ASSERT_NEAR(frac(json_array_get(get(v, "ci95"), 1)), -0.5, 1e-15);
	ASSERT_NEAR(json_real_value(get(v, "p")), 2.0 / 10001, 1e-15);
	ASSERT_STR_EQ(json_string_value(get(v, "verdict")), "worse");
	ASSERT_EQ(json_integer_value(get(v, "problems")), 1);
	ASSERT_EQ(json_array_size(get(pt, "tied")), 1);
	pt = json_array_get(get(c, "points"), 1);
	ASSERT_STR_EQ(json_string_value(get(pt, "best")), "A");
	ASSERT_STR_EQ(json_string_value(get(get(get(pt, "tests"), "B"),
	    "verdict")), "better");		/* on T/0: 1 vs 5/6 */
	ASSERT_EQ(json_array_size(get(pt, "tied")), 2);
	pt = json_array_get(get(c, "points"), 2);
	ASSERT_EQ(json_integer_value(get(pt, "x")), 4);
	ASSERT_STR_EQ(json_string_value(get(pt, "best")), "A");
	ASSERT_NEAR(frac(get(pt, "margin")), 0.5, 1e-15);
	ASSERT_STR_EQ(json_string_value(get(get(get(pt, "tests"), "B"),
	    "verdict")), "tie");
	ASSERT_NEAR(json_real_value(get(get(get(pt, "tests"), "B"), "p")),
	    1.0, 1e-15);
	ASSERT_EQ(json_array_size(get(c, "crossovers")), 0);
	v = get(doc, "bootstrap");
	ASSERT_EQ(json_integer_value(get(v, "resamples")), 10000);
	ASSERT_EQ(json_integer_value(get(v, "seed")), 0);

	/* flops: points only where both runs have one, 2 and 4. */
	c = cmp_of(doc, "flops");
	ASSERT_NOT_NULL(c);
	ASSERT_EQ(json_array_size(get(c, "points")), 2);
	pt = json_array_get(get(c, "points"), 0);
	ASSERT(json_real_value(get(pt, "x")) == 2);
	ASSERT_STR_EQ(json_string_value(get(pt, "best")), "A");
	ASSERT_EQ(json_array_size(get(c, "crossovers")), 0);
	ASSERT_NOT_NULL(cmp_of(doc, "time"));
	/* rank: one run has scores, nothing to compare. */
	ASSERT_NULL(cmp_of(doc, "rank"));

	/* T/0 is the only problem of both runs: 50 vs 100. */
	ASSERT_EQ(json_array_size(get(doc, "disagreements")), 1);
	v = json_array_get(get(doc, "disagreements"), 0);
	ASSERT_STR_EQ(json_string_value(get(v, "task_id")), "T/0");
	ASSERT_NEAR(frac(get(v, "spread")), 0.5, 1e-15);
	ASSERT_NEAR(frac(get(get(v, "pass_rates"), "B")), 1.0, 1e-15);
	json_decref(doc);

	/* One run: no comparisons, no disagreements, same shape. */
	doc = build(ex_runs, 1, &opts);
	check_shape(doc, 0);
	ASSERT_EQ(json_array_size(get(doc, "comparisons")), 0);
	ASSERT_EQ(json_array_size(get(doc, "disagreements")), 0);
	json_decref(doc);
	return TEST_PASS;
}

/* opts->k: only that k in the k-keyed objects and the "pass" points. */
TEST(report_build_only_k)
{
	struct report_opts	 opts = { .costs = paper_costs,
	    .ncosts = NITEMS(paper_costs), .k = 2, .own_problems = true };
	json_t			*doc, *a, *c;

	doc = build(ex_runs, 2, &opts);
	check_shape(doc, 2);
	a = run_of(doc, 0);
	ASSERT_EQ(json_object_size(get(a, "pass_at_k")), 1);
	ASSERT_NEAR(frac(get_k(get(a, "pass_at_k"), 2)),
	    (5.0 / 6 + 0.5) / 2, 1e-15);
	ASSERT_EQ(json_object_size(get(a, "stderr_at_k")), 1);
	ASSERT_EQ(json_object_size(get(a, "rank_score_at_k")), 1);
	ASSERT_NEAR(frac(get_k(get(a, "rank_score_at_k"), 2)), 0.25, 1e-15);
	/* The budgets keep their own k, and their rank-scores. */
	ASSERT_EQ(json_array_size(budgets_of(doc, 0, "flops")), 3);
	ASSERT_NEAR(frac(get(json_array_get(budgets_of(doc, 0, "flops"),
	    1), "rank")), 0.25, 1e-15);			/* budget 2: k 1 */
	c = cmp_of(doc, "pass");
	ASSERT_EQ(json_array_size(get(c, "points")), 1);
	ASSERT_EQ(json_integer_value(get(json_array_get(get(c, "points"), 0),
	    "x")), 2);
	json_decref(doc);

	/* Above the ranked count (3) but not n_min: an empty object. */
	opts.k = 4;
	doc = build(ex_runs, 2, &opts);
	ASSERT_EQ(json_object_size(get(run_of(doc, 0), "rank_score_at_k")),
	    0);
	json_decref(doc);
	return TEST_PASS;
}

/* Four samples of which c pass, c = 0..4. */
static const struct report_sample four[5][4] = {
	{ U(false), U(false), U(false), U(false) },
	{ U(true), U(false), U(false), U(false) },
	{ U(true), U(true), U(false), U(false) },
	{ U(true), U(true), U(true), U(false) },
	{ U(true), U(true), U(true), U(true) },
};
static const struct report_sample greedy_only[] = { G(true) };

/*
 * Y lists first, X leads at k = 1..3, both reach 100% at k = 4: the tie
 * keeps X in the lead, and no crossover is made of it.
 */
TEST(report_compare_ties)
{
	static const struct report_problem px[] = {
		{ .task_id = "t", .s = four[2], .ns = 4 },
	};
	static const struct report_problem py[] = {
		{ .task_id = "t", .s = four[1], .ns = 4 },
	};
	static const struct report_run runs[] = {
		{ .run = "Y", .p = py, .np = 1 },
		{ .run = "X", .p = px, .np = 1 },
	};
	static const struct report_opts opts = { .k = 0 };
	json_t	*doc, *c, *pt;

	doc = build(runs, 2, &opts);
	c = cmp_of(doc, "pass");
	ASSERT_EQ(json_array_size(get(c, "points")), 3);	/* 1 2 4 */
	pt = json_array_get(get(c, "points"), 0);
	ASSERT_STR_EQ(json_string_value(get(pt, "best")), "X");
	pt = json_array_get(get(c, "points"), 2);
	ASSERT_STR_EQ(json_string_value(get(pt, "best")), "X");
	ASSERT(json_real_value(get(pt, "margin")) == 0.0);
	ASSERT_EQ(json_array_size(get(c, "crossovers")), 0);
	/* No costs anywhere: no budget comparisons. */
	ASSERT_NULL(cmp_of(doc, "flops"));
	ASSERT_NULL(cmp_of(doc, "time"));
	json_decref(doc);
	return TEST_PASS;
}

/*
 * Three runs, pass rates in quarters (X, Y, Z):
 *   t00 4 0 -  100    t05 4 2 -  50    t10 1 0 -  25
 *   t01 0 4 -  100    t06 0 2 -  50    t11 2 1 -  25
 *   t02 2 2 4  50     t07 2 0 -  50    t12 0 1 -  25
 *   t03 3 1 -  50     t08 3 3 0  75    zz  - - 1  (one run)
 *   t04 1 1 g  0      t09 4 3 -  25
 * (g: greedy only, no rate).  Top 10: t00 t01 t08 t02 t03 t05 t06 t07
 * t09 t10; t11 and t12 are cut, t04 and zz are no disagreement.  Each
 * run keeps its own problems (own_problems): by default Z's would cut
 * X and Y to t02, t04 and t08.
 */
TEST(report_disagreements)
{
	static const unsigned cx[] = { 4, 0, 2, 3, 1, 4, 0, 2, 3, 4, 1, 2, 0 };
	static const unsigned cy[] = { 0, 4, 2, 1, 1, 2, 2, 0, 3, 3, 0, 1, 1 };
	static const char *const ids[] = { "t00", "t01", "t02", "t03", "t04",
	    "t05", "t06", "t07", "t08", "t09", "t10", "t11", "t12" };
	static const char *const want[] = { "t00", "t01", "t08", "t02", "t03",
	    "t05", "t06", "t07", "t09", "t10" };
	static const double spread[] = { 1, 1, .75, .5, .5, .5, .5, .5, .25,
	    .25 };
	static const struct report_opts opts = { .own_problems = true };
	struct report_problem	 px[13], py[13];
	const struct report_problem pz[] = {
		{ .task_id = "t08", .s = four[0], .ns = 4 },
		{ .task_id = "zz", .s = four[1], .ns = 4 },
		{ .task_id = "t02", .s = four[4], .ns = 4 },
		{ .task_id = "t04", .s = greedy_only, .ns = 1 },
	};
	struct report_run	 runs[3] = {
		{ .run = "X", .p = px, .np = 13 },
		{ .run = "Y", .p = py, .np = 13 },
		{ .run = "Z", .p = pz, .np = 4 },
	};
	json_t			*doc, *d, *v;

	/* Y's problems in reverse order: the report sorts, not the input. */
	for (int i = 0; i < 13; i++) {
		px[i] = (struct report_problem){ .task_id = ids[i],
		    .s = four[cx[i]], .ns = 4 };
		py[12 - i] = (struct report_problem){ .task_id = ids[i],
		    .s = four[cy[i]], .ns = 4 };
	}
	doc = build(runs, 3, &opts);
	check_shape(doc, 0);
	d = get(doc, "disagreements");
	ASSERT_EQ(json_array_size(d), NITEMS(want));
	for (size_t i = 0; i < NITEMS(want); i++) {
		v = json_array_get(d, i);
		ASSERT_STR_EQ(json_string_value(get(v, "task_id")), want[i]);
		ASSERT_NEAR(frac(get(v, "spread")), spread[i], 1e-15);
	}
	v = get(json_array_get(d, 3), "pass_rates");	/* t02 */
	ASSERT_EQ(json_object_size(v), 3);
	ASSERT_NEAR(frac(get(v, "Z")), 1.0, 1e-15);
	ASSERT_NEAR(frac(get(v, "X")), 0.5, 1e-15);
	ASSERT_EQ(json_object_size(get(json_array_get(d, 0), "pass_rates")),
	    2);
	json_decref(doc);
	return TEST_PASS;
}

/* report_build() must fail with "r" and a message containing "msg". */
static void
build_fails(const struct report_run *runs, size_t nruns,
    const struct report_opts *opts, int r, const char *msg)
{
	json_t	*doc = (json_t *)-1;
	char	 err[256] = "";

	ASSERT_ERR(report_build(runs, nruns, opts, &doc, err, sizeof(err)),
	    r);
	ASSERT(doc == (json_t *)-1);			/* untouched */
	ASSERT_CONTAINS(err, msg);
	ASSERT_ERR(report_build(runs, nruns, opts, &doc, NULL, 0), r);
}

/*
 * A report of two runs over two shared problems: each run's problems
 * and problems_dropped, want[0..3] (A's, then B's), and its
 * problem_sets: the mode, "text" in the "said" member, no "unsaid".
 */
static void
check_sets(json_t *doc, const json_int_t want[4], const char *mode,
    const char *said, const char *unsaid, const char *text)
{
	json_t	*ps = get(doc, "problem_sets");

	for (size_t i = 0; i < 2; i++) {
		ASSERT_EQ(json_integer_value(get(run_of(doc, i), "problems")),
		    want[2 * i]);
		ASSERT_EQ(json_integer_value(get(run_of(doc, i),
		    "problems_dropped")), want[2 * i + 1]);
	}

	ASSERT_STR_EQ(json_string_value(get(ps, "mode")), mode);
	ASSERT_EQ(json_integer_value(get(ps, "common")), 2);
	ASSERT_CONTAINS(json_string_value(get(ps, said)), text);
	ASSERT_NULL(json_object_get(ps, unsaid));
}

TEST(report_problem_sets)
{
	static const struct report_problem pa[] = {
		{ .task_id = "t1", .s = four[4], .ns = 4 },
		{ .task_id = "t2", .s = four[1], .ns = 4 },
		{ .task_id = "t3", .s = four[3], .ns = 4 },
	};
	static const struct report_problem pb[] = {
		{ .task_id = "t5", .s = four[4], .ns = 4 },
		{ .task_id = "t3", .s = four[2], .ns = 4 },
		{ .task_id = "t2", .s = four[0], .ns = 4 },
		{ .task_id = "t4", .s = four[4], .ns = 4 },
	};
	static const struct report_problem pc[] = {
		{ .task_id = "t9", .s = four[1], .ns = 4 },
	};
	struct report_run	 runs[2] = {
		{ .run = "A", .p = pa, .np = 3 },
		{ .run = "B", .p = pb, .np = 4 },
	};
	struct report_opts	 opts = { .k = 0 };
	json_t			*doc, *a, *b, *pp;

	doc = build(runs, 2, &opts);
	a = run_of(doc, 0);
	b = run_of(doc, 1);
	pp = get(b, "per_problem");
	ASSERT_EQ(json_array_size(pp), 2);
	ASSERT_STR_EQ(json_string_value(get(json_array_get(pp, 0),
	    "task_id")), "t3");
	ASSERT_STR_EQ(json_string_value(get(json_array_get(pp, 1),
	    "task_id")), "t2");
	/* A over t2, t3: (1 + 3) / 8; B over t3, t2: (2 + 0) / 8. */
	ASSERT_NEAR(frac(get_k(get(a, "pass_at_k"), 1)), 0.5, 1e-12);
	ASSERT_NEAR(frac(get_k(get(b, "pass_at_k"), 1)), 0.25, 1e-12);
	check_sets(doc, (const json_int_t[]){ 2, 1, 2, 2 }, "common", "note",
	    "warning", "over the 2 that every run has; dropped: A 1, B 2");
	json_decref(doc);

	opts.own_problems = true;
	doc = build(runs, 2, &opts);
	ASSERT_NEAR(frac(get_k(get(run_of(doc, 0), "pass_at_k"), 1)),
	    8.0 / 12, 1e-12);
	check_sets(doc, (const json_int_t[]){ 3, 0, 4, 0 }, "all", "warning",
	    "note", "problems not in every run: A 1, B 2");
	json_decref(doc);

	/* The same problems in another order, or one run: nothing added. */
	opts.own_problems = false;
	runs[1].p = pb + 1;
	runs[1].np = 2;
	runs[0].p = pa + 1;
	runs[0].np = 2;
	doc = build(runs, 2, &opts);
	ASSERT_NULL(json_object_get(doc, "problem_sets"));
	ASSERT_NULL(json_object_get(run_of(doc, 0), "problems_dropped"));
	json_decref(doc);
	doc = build(runs, 1, &opts);
	ASSERT_NULL(json_object_get(doc, "problem_sets"));
	json_decref(doc);

	/* Nothing in common: an error, unless each keeps its own. */
	runs[1].p = pc;
	runs[1].np = 1;
	build_fails(runs, 2, &opts, -EINVAL, "no problem in common");
	opts.own_problems = true;
	doc = build(runs, 2, &opts);
	ASSERT_EQ(json_integer_value(get(get(doc, "problem_sets"), "common")),
	    0);
	json_decref(doc);
	return TEST_PASS;
}

TEST(report_build_errors)
{
	static const struct report_problem pg[] = {
		{ .task_id = "g", .s = greedy_only, .ns = 1, .pending = 3 },
	};
	struct report_opts	 opts = { .costs = paper_costs,
	    .ncosts = NITEMS(paper_costs) };
	struct report_run	 runs[2] = { ex_runs[0], ex_runs[1] };
	struct report_problem	 bad[2] = { ex_pa[0], ex_pa[1] };

	build_fails(ex_runs, 0, &opts, -EINVAL, "no runs");

	runs[1] = (struct report_run){ .run = "G", .p = pg, .np = 1 };
	build_fails(runs, 2, &opts, -EINVAL, "run G has no judged samples");
	runs[1].np = 0;
	build_fails(runs, 2, &opts, -EINVAL, "run G has no judged samples");

	opts.k = 5;
	build_fails(ex_runs, 2, &opts, -EINVAL,
	    "k=5 is more than run A's n_max 4");
	opts.k = 0;

	opts.base_model = "99b";
	build_fails(ex_runs, 2, &opts, -EINVAL, "unknown base model 99b");
	opts.base_model = "13b";
	json_decref(build(ex_runs, 2, &opts));
	opts.base_model = NULL;

	runs[0] = ex_runs[0];
	runs[1] = ex_runs[1];
	runs[1].run = "B\xff";
	build_fails(runs, 2, &opts, -EINVAL, "UTF-8");
	runs[1] = ex_runs[1];
	bad[1].task_id = "T/\xc3";
	runs[0].p = bad;
	build_fails(runs, 2, &opts, -EINVAL, "UTF-8");
	/* report/problems.c wrote past its array over such a run. */
	bad[1].task_id = bad[0].task_id;
	build_fails(runs, 2, &opts, -EINVAL, "is there twice");
	return TEST_PASS;
}

/*
 * The same candidates by the plus tests ("P") and the base tests alone
 * ("P (base)", base_of "P"), over t1 t2 t3 and t1 t2 t4, so cut to
 * t1 t2 by default; four samples and a greedy one each:
 *   P       t1 1 pass, greedy fails; t2 none, greedy fails; t3 all,
 *           greedy passes
 *   base    t1 3 passes, greedy passes; t2 2, greedy fails; t4 all,
 *           greedy passes
 * Over t1 t2: pass@1 P (1/4 + 0) / 2 = 12.5, base (3/4 + 2/4) / 2 =
 * 62.5, drop 50, 80% of base; pass@2 P (1/2 + 0) / 2 = 25, base
 * (1 + 5/6) / 2 = 91.67, drop 66.67, 8/11 of base; pass@4 P 50, base
 * 100, drop 50, 50%; no pass@3 (k = 1, 2, 4 and n_min 4); greedy P 0,
 * base 50, drop 50, 100%.
 */
static const struct report_sample bp_p1[] = {
	U(true), U(false), U(false), U(false), G(false),
};
static const struct report_sample bp_p2[] = {
	U(false), U(false), U(false), U(false), G(false),
};
static const struct report_sample bp_all[] = {
	U(true), U(true), U(true), U(true), G(true),
};
static const struct report_sample bp_b1[] = {
	U(true), U(true), U(true), U(false), G(true),
};
static const struct report_sample bp_b2[] = {
	U(true), U(true), U(false), U(false), G(false),
};

/*
 * The pair of "base_plus" of doc: its runs, and at each key of
 * keys[0..n-1] (k, or "greedy" for the greedy object's members) base,
 * plus, drop and relative drop want[4 * i ..]; NAN wants null.  The
 * drop must be exactly base minus plus as written.
 */
static void
check_pair(json_t *doc, const char *run, const char *base_run,
    const char *const *keys, size_t n, const double *want)
{
	static const char *const cols[4] = { "base", "plus", "drop",
	    "drop_relative" };
	json_t		*pairs = get(doc, "base_plus"), *e, *v[4];

	ASSERT_EQ(json_array_size(pairs), 1);
	e = json_array_get(pairs, 0);
	ASSERT_STR_EQ(json_string_value(get(e, "run")), run);
	ASSERT_STR_EQ(json_string_value(get(e, "base_run")), base_run);
	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < 4; c++) {
			v[c] = strcmp(keys[i], "greedy") == 0 ?
			    get(get(e, "greedy"), cols[c]) :
			    get(get(e, cols[c]), keys[i]);
			if (isnan(want[4 * i + c]))
				ASSERT(json_is_null(v[c]));
			else
				ASSERT_NEAR(json_real_value(v[c]),
				    want[4 * i + c], 1e-9);
		}
		if (!json_is_null(v[2]))
			ASSERT(json_real_value(v[2]) ==
			    json_real_value(v[0]) - json_real_value(v[1]));
	}
}

TEST(report_base_plus)
{
	static const struct report_problem pp[] = {
		{ .task_id = "t1", .s = bp_p1, .ns = 5 },
		{ .task_id = "t2", .s = bp_p2, .ns = 5 },
		{ .task_id = "t3", .s = bp_all, .ns = 5 },
	};
	static const struct report_problem pb[] = {
		{ .task_id = "t1", .s = bp_b1, .ns = 5 },
		{ .task_id = "t2", .s = bp_b2, .ns = 5 },
		{ .task_id = "t4", .s = bp_all, .ns = 5 },
	};
	static const char *const common[] = { "1", "2", "4", "greedy" };
	static const double want[] = {
		62.5, 12.5, 50, 80,
		1100.0 / 12, 25, 1100.0 / 12 - 25, 800.0 / 11,
		100, 50, 50, 50,
		50, 0, 50, 100,
	};
	static const char *const at1[] = { "1", "greedy" };
	struct report_run	 runs[2] = {
		{ .run = "P", .p = pp, .np = 3 },
		{ .run = "P (base)", .p = pb, .np = 3, .base_of = "P" },
	};
	struct report_opts	 opts = { .k = 0 };
	json_t			*doc;

	/* No base_of, no base_plus, no "tests". */
	runs[1].base_of = NULL;
	doc = build(runs, 2, &opts);
	ASSERT_NULL(json_object_get(doc, "base_plus"));
	ASSERT_NULL(json_object_get(run_of(doc, 1), "tests"));
	json_decref(doc);

	runs[1].base_of = "P";
	doc = build(runs, 2, &opts);
	ASSERT_NULL(json_object_get(run_of(doc, 0), "tests"));
	ASSERT_STR_EQ(json_string_value(get(run_of(doc, 1), "tests")),
	    "base");
	check_pair(doc, "P", "P (base)", common, 4, want);
	ASSERT_EQ(json_object_size(get(json_array_get(get(doc, "base_plus"),
	    0), "plus")), 3);
	json_decref(doc);

	/* opts->k: that k alone; greedy unchanged. */
	opts.k = 2;
	doc = build(runs, 2, &opts);
	check_pair(doc, "P", "P (base)", common + 1, 1, want + 4);
	ASSERT_EQ(json_object_size(get(json_array_get(get(doc, "base_plus"),
	    0), "drop_relative")), 1);
	json_decref(doc);
	opts.k = 0;

	/*
	 * problems=all: each over its own three; pass@1 P (1/4 + 0 + 1) /
	 * 3 = 41.67, base (3/4 + 2/4 + 1) / 3 = 75; greedy P 1/3, base 2/3.
	 */
	opts.own_problems = true;
	doc = build(runs, 2, &opts);
	check_pair(doc, "P", "P (base)", at1, 2, (const double[]){
	    75, 500.0 / 12, 75 - 500.0 / 12, 100 * (0.75 - 5.0 / 12) / 0.75,
	    200.0 / 3, 100.0 / 3, 100.0 / 3, 50 });
	json_decref(doc);
	opts.own_problems = false;

	/* A base of 0 (t2 of P as the base): no relative drop. */
	runs[0] = (struct report_run){ .run = "P", .p = pp + 1, .np = 1,
	    .base_of = "B" };
	runs[1] = (struct report_run){ .run = "B", .p = pb + 1, .np = 1 };
	doc = build(runs, 2, &opts);
	check_pair(doc, "B", "P", at1, 2, (const double[]){
	    0, 50, -50, NAN, 0, 0, 0, NAN });
	json_decref(doc);

	/* base_of must name another run of the report. */
	runs[0].base_of = "Q";
	build_fails(runs, 2, &opts, -EINVAL,
	    "run P: base_of names no other run");
	runs[0].base_of = "P";
	build_fails(runs, 2, &opts, -EINVAL,
	    "run P: base_of names no other run");
	return TEST_PASS;
}
