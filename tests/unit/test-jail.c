/*
 * test-jail.c -- what the jail helper's keeper tells the daemon
 * (sandbox/jail.c; the setup steps themselves are tested through the
 * real helper, in test-pool.c and tests/jail/).
 *
 *   jail_setup_line_is_json   a setup message with quotes, backslashes,
 *                             control bytes, UTF-8 or what looks like
 *                             JSON gives one line that jansson parses
 *                             to {"internal": "setup: " + the message}
 *   jail_setup_line_cut       a message too long for the line is cut
 *                             with "...", and the line stays whole JSON;
 *                             nothing is written past dstlen, and a
 *                             dstlen below JAIL_SETUP_LINE_MIN gives ""
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "tests/unit/test.h"
#include "sandbox/jail.h"

/*
 * The "internal" text of a setup line, which must be exactly one line
 * of one JSON object with that one key (new; the caller frees it).
 */
static char *
jail_test_parse(const char *line, size_t len)
{
	json_error_t	 jerr;
	json_t		*v, *s;
	char		*text;

	ASSERT_EQ(len, strlen(line));
	ASSERT(len > 0 && line[len - 1] == '\n');
	ASSERT(memchr(line, '\n', len - 1) == NULL);
	if ((v = json_loadb(line, len, 0, &jerr)) == NULL)
		TEST_FAIL_AT("not JSON: %s (%s)", line, jerr.text);
	ASSERT(json_is_object(v));
	ASSERT_EQ(json_object_size(v), 1);
	s = json_object_get(v, "internal");
	ASSERT(json_is_string(s));
	text = strdup(json_string_value(s));
	ASSERT_NOT_NULL(text);
	json_decref(v);
	return text;
}

/* msg's line parses back to "setup: " + msg. */
static void
jail_test_round_trip(const char *msg)
{
	char	 line[2048], want[600], *got;
	size_t	 len;

	len = jail_setup_line(line, sizeof(line), msg);
	got = jail_test_parse(line, len);
	snprintf(want, sizeof(want), "setup: %s", msg);
	ASSERT_STR_EQ(got, want);
	free(got);
}

TEST(jail_setup_line_is_json)
{
	char	 ctl[64];
	size_t	 n = 0;

	/* The bug this pins: log_escape() left '"' as it was and wrote
	 * '\' and control bytes as \xNN, which JSON does not have. */
	jail_test_round_trip("probe /usr/bin/py\"thon: no such file");
	jail_test_round_trip("C:\\dir\\ \\x41 \\u0041 \\");
	jail_test_round_trip("\"}\n{\"internal\": \"forged\"}");
	/* Every control byte, DEL, and the bytes around them. */
	for (int c = 1; c < 0x20; c++) {
		ctl[n++] = (char)c;
		ctl[n++] = 'a';
	}
	ctl[n++] = '\x7f';
	ctl[n] = '\0';
	jail_test_round_trip(ctl);
	jail_test_round_trip("filesystem: mount /t\xc3\xa9st: \xe2\x80\xa8 "
	    "\xf0\x9f\x99\x82");
	jail_test_round_trip("");
	jail_test_round_trip("pipe: Too many open files");
	return TEST_PASS;
}

TEST(jail_setup_line_cut)
{
	char	 msg[512], line[128], *got;
	size_t	 len;

	/* 511 quotes: 1022 bytes escaped, far more than the line holds. */
	memset(msg, '"', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	memset(line, 'x', sizeof(line));
	len = jail_setup_line(line, 100, msg);
	ASSERT(len > 0 && len < 100);
	ASSERT(line[100] == 'x');
	got = jail_test_parse(line, len);
	ASSERT(strncmp(got, "setup: \"", 8) == 0);
	ASSERT_EQ(strspn(got + 7, "\""), strlen(got + 7) - 3);
	ASSERT_STR_EQ(got + strlen(got) - 3, "...");
	free(got);

	/* The smallest line still holds "..." and is whole; an escape
	 * that does not fit whole is not started. */
	len = jail_setup_line(line, JAIL_SETUP_LINE_MIN, "abcdefghij");
	ASSERT(len > 0 && len < JAIL_SETUP_LINE_MIN);
	got = jail_test_parse(line, len);
	ASSERT_STR_EQ(got, "setup: abcd...");
	free(got);
	len = jail_setup_line(line, JAIL_SETUP_LINE_MIN, "\x01\x02\x03");
	got = jail_test_parse(line, len);
	ASSERT_STR_EQ(got, "setup: ...");
	free(got);

	/* Below the minimum: nothing but "". */
	memset(line, 'x', sizeof(line));
	ASSERT_EQ(jail_setup_line(line, JAIL_SETUP_LINE_MIN - 1, "m"), 0);
	ASSERT(line[0] == '\0' && line[1] == 'x');
	ASSERT_EQ(jail_setup_line(line, 0, "m"), 0);
	return TEST_PASS;
}
