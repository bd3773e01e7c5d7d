/*
 * test-list.h - every unit test, listed by hand (libuv test-list.h).
 *
 * TEST_LIST(X) expands X(name) once per test, in the order the runner
 * runs them.  A test is defined with TEST(name) in
 * tests/unit/test-<module>.c; adding it here is what makes it run.
 * No linker-section magic: a test missing from this list never runs,
 * and a name listed here without a definition fails to link.
 */
#ifndef TESTS_UNIT_TEST_LIST_H
#define TESTS_UNIT_TEST_LIST_H

#define TEST_LIST(X)							\
	/* tests/unit/test-common.c */					\
	X(log_escape_control_chars)					\
	X(log_escape_truncates)						\
	X(log_escape_bounds)						\
	X(xmalloc_xasprintf)						\
	X(proto_verdict_round_trip)					\
	X(proto_verdict_parse_unknown)					\
	/* tests/unit/test-passk.c */					\
	X(passk_small_exact)						\
	X(passk_large_n)						\
	X(passk_mean_example)						\
	X(passk_errors)

#endif /* TESTS_UNIT_TEST_LIST_H */
