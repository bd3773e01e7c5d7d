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
 *   log_escape_json_rfc8259      quote, backslash, control characters
 *                                and DEL get JSON's escapes, UTF-8 is
 *                                kept, bytes of no character are \ufffd,
 *                                and jansson reads the result back
 *   log_escape_json_truncates    a cut result ends in "..." after a
 *                                whole escape or character, never in the
 *                                middle of \u00XX or of a UTF-8 sequence
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

#include <jansson.h>

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

/* src escaped by log_escape_json(), read back by jansson: src again? */
static void
check_json_round_trip(const char *src)
{
	char		 esc[512], doc[600];
	json_error_t	 jerr;
	json_t		*v;

	log_escape_json(esc, sizeof(esc), src, strlen(src));
	ASSERT(snprintf(doc, sizeof(doc), "[\"%s\"]", esc) <
	    (int)sizeof(doc));
	if ((v = json_loads(doc, 0, &jerr)) == NULL)
		TEST_FAIL_AT("%s: %s", doc, jerr.text);
	ASSERT(json_is_string(json_array_get(v, 0)));
	ASSERT_STR_EQ(json_string_value(json_array_get(v, 0)), src);
	json_decref(v);
}

TEST(log_escape_json_rfc8259)
{
	char	 buf[256], all[33];

	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "say \"hi\"", 8),
	    "say \\\"hi\\\"");
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "C:\\x\\", 5),
	    "C:\\\\x\\\\");
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf),
	    "\b\f\n\r\t\x01\x1f\x7f", 8),
	    "\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f");
	/* Only "len" bytes are read; NUL is \u0000. */
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "a\0b", 3),
	    "a\\u0000b");
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "", 0), "");

	/* UTF-8 is kept: 2, 3 and 4 bytes. */
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf),
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82", 14),
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82");
	/* Bytes of no character: stray, truncated, overlong, surrogate,
	 * past U+10FFFF. */
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "\xff\x80", 2),
	    "\\ufffd\\ufffd");
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "a\xe2\x82", 3),
	    "a\\ufffd\\ufffd");
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "\xc0\xaf", 2),
	    "\\ufffd\\ufffd");
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "\xed\xa0\x80", 3),
	    "\\ufffd\\ufffd\\ufffd");
	ASSERT_STR_EQ(log_escape_json(buf, sizeof(buf), "\xf4\x90\x80\x80",
	    4), "\\ufffd\\ufffd\\ufffd\\ufffd");

	/* Every control character, then text meant to end the string. */
	for (int c = 1; c < 33; c++)
		all[c - 1] = (char)c;
	all[32] = '\0';
	check_json_round_trip(all);
	check_json_round_trip("\"}, {\"internal\": \"x\\\" \\\\u0041 \\");
	check_json_round_trip("caf\xc3\xa9 \x7f \xf0\x9f\x99\x82");
	return TEST_PASS;
}

TEST(log_escape_json_truncates)
{
	char	 buf[64];

	ASSERT_STR_EQ(log_escape_json(buf, 8, "abcdefghij", 10), "abcd...");
	/* "\u0001" does not fit whole in 8 - 4 bytes: not started. */
	ASSERT_STR_EQ(log_escape_json(buf, 8, "\x01\x02", 2), "...");
	ASSERT_STR_EQ(log_escape_json(buf, 11, "a\x01\x02", 3),
	    "a\\u0001...");
	ASSERT_STR_EQ(log_escape_json(buf, 7, "\"\"\"", 3), "\\\"\\\"\\\"");
	ASSERT_STR_EQ(log_escape_json(buf, 6, "\"\"\"", 3), "\\\"...");
	/* A UTF-8 sequence is written whole or not at all. */
	ASSERT_STR_EQ(log_escape_json(buf, 8, "ab\xf0\x9f\x99\x82zz", 8),
	    "ab...");
	ASSERT_STR_EQ(log_escape_json(buf, 10, "ab\xf0\x9f\x99\x82zzzz",
	    10), "ab\xf0\x9f\x99\x82...");
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
