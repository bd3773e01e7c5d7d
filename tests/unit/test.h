/*
 * test.h - the unit-test harness (shaped like libuv's test/task.h).
 *
 * A test is "TEST(name) { ...; return TEST_PASS; }" in a file
 * tests/unit/test-<module>.c, registered by hand in
 * tests/unit/test-list.h.  tests/unit/runner.c forks each test with a
 * timeout and prints TAP.  ASSERT_* are never compiled out; on failure
 * they print both operands with file:line and abort the test process.
 */
#ifndef TESTS_UNIT_TEST_H
#define TESTS_UNIT_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEST_PASS	0
#define TEST_SKIP	77

#define TEST(name)	int test_##name(void); int test_##name(void)

/* Skip with a reason, printed in the TAP line. */
#define RETURN_SKIP(why) do {						\
	fprintf(stdout, "%s\n", (why));					\
	fflush(stdout);							\
	return TEST_SKIP;						\
} while (0)

#define TEST_FAIL_AT(...) do {						\
	fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);			\
	fprintf(stderr, __VA_ARGS__);					\
	fprintf(stderr, "\n");						\
	fflush(stderr);							\
	abort();							\
} while (0)

#define ASSERT(e) do {							\
	if (!(e))							\
		TEST_FAIL_AT("assertion failed: %s", #e);		\
} while (0)

#define ASSERT_EQ(a, b) do {						\
	intmax_t a_ = (intmax_t)(a), b_ = (intmax_t)(b);		\
	if (a_ != b_)							\
		TEST_FAIL_AT("%s == %s: %jd != %jd", #a, #b, a_, b_);	\
} while (0)

#define ASSERT_NE(a, b) do {						\
	intmax_t a_ = (intmax_t)(a), b_ = (intmax_t)(b);		\
	if (a_ == b_)							\
		TEST_FAIL_AT("%s != %s: both %jd", #a, #b, a_);		\
} while (0)

#define ASSERT_OK(r)	ASSERT_EQ((r), 0)
#define ASSERT_ERR(r, e) ASSERT_EQ((r), (e))

#define ASSERT_NULL(p) do {						\
	if ((p) != NULL)						\
		TEST_FAIL_AT("%s is not NULL", #p);			\
} while (0)

#define ASSERT_NOT_NULL(p) do {						\
	if ((p) == NULL)						\
		TEST_FAIL_AT("%s is NULL", #p);				\
} while (0)

#define ASSERT_STR_EQ(a, b) do {					\
	const char *a_ = (a), *b_ = (b);				\
	if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)		\
		TEST_FAIL_AT("%s == %s: \"%s\" != \"%s\"", #a, #b,	\
		    a_ ? a_ : "(null)", b_ ? b_ : "(null)");		\
} while (0)

/* |a - b| <= tol, for doubles. */
#define ASSERT_NEAR(a, b, tol) do {					\
	double a_ = (a), b_ = (b), t_ = (tol);				\
	if (!(a_ - b_ <= t_ && b_ - a_ <= t_))				\
		TEST_FAIL_AT("%s ~ %s: %.17g vs %.17g (tol %g)", #a,	\
		    #b, a_, b_, t_);					\
} while (0)

#define ASSERT_CONTAINS(hay, needle) do {				\
	const char *h_ = (hay), *n_ = (needle);				\
	if (h_ == NULL || strstr(h_, n_) == NULL)			\
		TEST_FAIL_AT("\"%s\" does not contain \"%s\"",		\
		    h_ ? h_ : "(null)", n_);				\
} while (0)

/* Skip unless the shared benchmark file "rel" is there; its path. */
#define DATA_OR_SKIP(var, rel) do {					\
	(var) = test_data_path(rel);					\
	if (access((var), R_OK) != 0)					\
		RETURN_SKIP("no benchmark data: " rel);			\
} while (0)

/*
 * Path of a benchmark file: $VERDICT_DATA/REL when that is set; else
 * data/REL when verdict ships it (HumanEval, MBPP), else
 * ../shared/data/REL.  Returns static storage.
 */
const char	*test_data_path(const char *rel);

/* Make a new directory /tmp/verdict-test-XXXXXX into dir (len bytes). */
void		 test_tmp_dir(char *dir, size_t len);

/* Write "len" bytes to dir/name; returns the path (new, caller frees). */
char		*test_tmp_file(const char *dir, const char *name,
		    const void *data, size_t len);

/* test_tmp_file() for a C string. */
char		*test_tmp_text(const char *dir, const char *name,
		    const char *text);

/* Remove dir and the files in it (no subdirectories). */
void		 test_tmp_rm(const char *dir);

/*
 * The path of the first file in dir whose name ends in "suffix" (new,
 * caller frees; NULL if none), and the count of entries in dir, but "."
 * and "..", in *n.
 */
char		*test_dir_file(const char *dir, const char *suffix, size_t *n);

/*
 * The built verdict-jail ($O/verdict-jail, or build/verdict-jail), or
 * NULL when it is not there or this process is not root (its broker
 * maps host uids).  Returns static storage.
 */
const char	*test_jail_path(void);

/* A process, told apart from a later one with the same pid. */
struct test_proc {
	pid_t		 pid;
	unsigned long long start;	/* start time, clock ticks after boot */
	char		 state;		/* as in /proc/PID/stat */
};

/*
 * The live processes (not zombies) below "ancestor" whose real uid is in
 * [lo, hi] (so not another instance's, which may hold the same uids
 * later): their number.  The first "max" of them go to procs (NULL when
 * max is 0); each is also sent "sig" when it is not 0.
 */
size_t		 test_procs_under(pid_t ancestor, uid_t lo, uid_t hi, int sig,
		    struct test_proc *procs, size_t max);

/* How many of procs[0..n-1] still live (not zombies). */
size_t		 test_procs_alive(const struct test_proc *procs, size_t n);

#endif /* TESTS_UNIT_TEST_H */
