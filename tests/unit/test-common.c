/*
 * test-common.c - the shared low-level pieces in common/.
 *
 *   log_escape_control_chars     control characters, DEL, backslash,
 *                                NUL and non-ASCII bytes come out as
 *                                \xNN; printable ASCII is kept
 *   log_escape_truncates         output that does not fit is cut and
 *                                ends in "..."; output that just fits
 *                                is not
 *   log_escape_bounds            with dstlen 1, 4, 5 and 16, nothing is
 *                                written past dstlen, the result is
 *                                NUL-terminated, and a cut result is a
 *                                prefix of the full escape plus "..."
 *   xmalloc_xasprintf            formats into a new string of any length
 *   proto_verdict_round_trip     every verdict's wire name parses back
 *                                to it, and the names are the API's
 *   proto_verdict_parse_unknown  other names give -EINVAL and leave the
 *                                output alone
 *   hash_fnv1a_vectors           the published 64-bit FNV-1a values; bytes
 *                                above 0x7f count as unsigned
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/test.h"
#include "common/hash.h"
#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"

TEST(log_escape_control_chars)
{
	static const char src[] = "a\x01" "b\tc\n\\\x7f\xff\x80" "z\0q ~";
	char	 buf[128];

	ASSERT_STR_EQ(log_escape(buf, sizeof(buf), src, sizeof(src) - 1),
	    "a\\x01b\\x09c\\x0a\\x5c\\x7f\\xff\\x80z\\x00q ~");
	ASSERT_STR_EQ(log_escape(buf, sizeof(buf), "plain text!", 11),
	    "plain text!");
	ASSERT_STR_EQ(log_escape(buf, sizeof(buf), "\r\x1b[31m", 6),
	    "\\x0d\\x1b[31m");

	/* Only "len" bytes are read: no NUL needed, none implied. */
	ASSERT_STR_EQ(log_escape(buf, sizeof(buf), "abcdef", 3), "abc");
	ASSERT_STR_EQ(log_escape(buf, sizeof(buf), "", 0), "");
	return TEST_PASS;
}

TEST(log_escape_truncates)
{
	char	 buf[64];

	/* The returned pointer is dst. */
	ASSERT(log_escape(buf, 8, "abcdefghij", 10) == buf);
	ASSERT_STR_EQ(buf, "abcd...");
	ASSERT_STR_EQ(log_escape(buf, 5, "abcde", 5), "a...");
	ASSERT_STR_EQ(log_escape(buf, 4, "abcde", 5), "...");

	/* Exactly fitting output is not cut. */
	ASSERT_STR_EQ(log_escape(buf, 5, "abcd", 4), "abcd");
	ASSERT_STR_EQ(log_escape(buf, 5, "\x01", 1), "\\x01");
	ASSERT_STR_EQ(log_escape(buf, 9, "\x01\x02", 2), "\\x01\\x02");

	/* An escape that does not fit whole is not started. */
	ASSERT_STR_EQ(log_escape(buf, 8, "\x01\x02", 2), "\\x01...");
	return TEST_PASS;
}

/*
 * Escape "src" into a canary-filled buffer with room "dstlen" and check
 * the result against "full", the escape with unlimited room.
 */
static void
check_bounds(const char *src, size_t len, size_t dstlen, const char *full)
{
	char	 buf[64];
	size_t	 out, keep;

	ASSERT(dstlen <= sizeof(buf));
	memset(buf, 0xA5, sizeof(buf));
	log_escape(buf, dstlen, src, len);
	for (size_t i = dstlen; i < sizeof(buf); i++) {
		if ((unsigned char)buf[i] != 0xA5)
			TEST_FAIL_AT("dstlen %zu: byte %zu written", dstlen, i);
	}
	ASSERT(memchr(buf, '\0', dstlen) != NULL);
	out = strlen(buf);
	ASSERT(out < dstlen);
	if (strcmp(buf, full) == 0)
		return;			/* it fitted */

	/* Cut: a prefix of the full escape, then "..." if there is room. */
	if (dstlen >= 4) {
		ASSERT(out >= 3);
		ASSERT(memcmp(buf + out - 3, "...", 3) == 0);
		keep = out - 3;
	} else
		keep = out;
	ASSERT(keep < strlen(full));
	ASSERT(memcmp(buf, full, keep) == 0);
}

TEST(log_escape_bounds)
{
	static const struct {
		const char	*src;
		size_t		 len;
		const char	*full;
	} cases[] = {
		{ "", 0, "" },
		{ "a", 1, "a" },
		{ "abc", 3, "abc" },
		{ "abcd", 4, "abcd" },
		{ "abcdefghijklmnopqrstuvwxyz", 26,
		    "abcdefghijklmnopqrstuvwxyz" },
		{ "\x01", 1, "\\x01" },
		{ "\x01\x02\x03\x04\x05", 5, "\\x01\\x02\\x03\\x04\\x05" },
		{ "ab\ncd\tef\xffgh", 11, "ab\\x0acd\\x09ef\\xffgh" },
		{ "abcdefghij\x01zzzz", 15, "abcdefghij\\x01zzzz" },
	};
	static const size_t dstlens[] = { 1, 4, 5, 16 };
	char	 buf[8];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (size_t j = 0; j < sizeof(dstlens) / sizeof(dstlens[0]);
		    j++)
			check_bounds(cases[i].src, cases[i].len, dstlens[j],
			    cases[i].full);
	}

	/* dstlen 1 holds only the terminator. */
	memset(buf, 'x', sizeof(buf));
	ASSERT_STR_EQ(log_escape(buf, 1, "abc", 3), "");
	ASSERT(buf[1] == 'x');
	return TEST_PASS;
}

TEST(xmalloc_xasprintf)
{
	char	*s;

	s = xasprintf("%s-%d/%u", "job", -42, 7u);
	ASSERT_STR_EQ(s, "job--42/7");
	free(s);

	s = xasprintf("%s", "");
	ASSERT_STR_EQ(s, "");
	free(s);

	/* Longer than any small internal buffer. */
	s = xasprintf("<%05000d>", 1);
	ASSERT_EQ(strlen(s), 5002);
	ASSERT(s[0] == '<' && s[4999] == '0' && s[5000] == '1' &&
	    s[5001] == '>');
	free(s);
	return TEST_PASS;
}

TEST(proto_verdict_round_trip)
{
	/* The wire spelling is part of the API (DESIGN.md, "Words"). */
	static const char *const names[PROTO_VERDICT_COUNT] = {
		[PROTO_VERDICT_PASSED] = "passed",
		[PROTO_VERDICT_FAILED] = "failed",
		[PROTO_VERDICT_ERROR] = "error",
		[PROTO_VERDICT_SYNTAX_ERROR] = "syntax_error",
		[PROTO_VERDICT_TIMEOUT] = "timeout",
		[PROTO_VERDICT_MEMORY_LIMIT] = "memory_limit",
		[PROTO_VERDICT_OUTPUT_LIMIT] = "output_limit",
		[PROTO_VERDICT_FORBIDDEN] = "forbidden",
		[PROTO_VERDICT_INTERNAL] = "internal",
	};
	enum proto_verdict	 v;

	for (int i = 0; i < PROTO_VERDICT_COUNT; i++) {
		const char	*name = proto_verdict_name(
		    (enum proto_verdict)i);

		ASSERT_NOT_NULL(names[i]);
		ASSERT_STR_EQ(name, names[i]);
		v = PROTO_VERDICT_COUNT;
		ASSERT_OK(proto_verdict_parse(name, &v));
		ASSERT_EQ(v, i);
	}
	return TEST_PASS;
}

TEST(proto_verdict_parse_unknown)
{
	static const char *const bad[] = { "", "pass", "PASSED", "Passed",
	    "passed ", " passed", "timeout\n", "syntax-error", "ok",
	    "internalx", "count" };
	enum proto_verdict	 v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = PROTO_VERDICT_TIMEOUT;
		ASSERT_ERR(proto_verdict_parse(bad[i], &v), -EINVAL);
		ASSERT_EQ(v, PROTO_VERDICT_TIMEOUT);
	}
	return TEST_PASS;
}

TEST(hash_fnv1a_vectors)
{
	ASSERT(hash_fnv1a("") == 0xcbf29ce484222325ULL);
	ASSERT(hash_fnv1a("a") == 0xaf63dc4c8601ec8cULL);
	ASSERT(hash_fnv1a("foobar") == 0x85944171f73967e8ULL);
	ASSERT(hash_fnv1a("\xff\x80") == 0x0a9a2607b6f6e56aULL);
	return TEST_PASS;
}
