/*
 * test-jsonl.c - the JSON Lines reader (common/jsonl.c).
 *
 *   jsonl_gzip_and_plain       HumanEval.jsonl.gz gives 164 objects with
 *                              lines 1..164; its decompressed bytes, in a
 *                              file still named .gz, give the same ones
 *                              (compression is told by magic bytes)
 *   jsonl_missing_file         -ENOENT (and -EISDIR for a directory),
 *                              the message names the path
 *   jsonl_truncated_gzip       half of a real .gz: whole lines before the
 *                              cut, then -EIO "truncated or corrupt gzip
 *                              data", repeated on the next call
 *   jsonl_corrupt_gzip         a wrong CRC in the gzip trailer is -EIO
 *   jsonl_bad_json_line3       bad JSON on line 3 is -EINVAL "FILE:3:COL:
 *                              ..."; the reader then goes on to line 4
 *   jsonl_blank_lines          blank, whitespace-only and CRLF lines are
 *                              skipped but counted; a last line without
 *                              newline is read; empty and blank-only
 *                              files give 0 at once
 *   jsonl_nul_byte             a raw NUL byte is "FILE:2: NUL byte in
 *                              line"
 *   jsonl_invalid_utf8         a bad UTF-8 byte says "invalid UTF-8", and
 *                              the message itself stays ASCII
 *   jsonl_not_object           a line holding a number or an array (after
 *                              the first line) is "expected a JSON object"
 *   jsonl_long_line            a 10 MB line is read whole
 *   jsonl_line_over_cap        a line of JSONL_MAX_LINE + 1 bytes is
 *                              -EINVAL "line longer than"
 *   jsonl_array_file           sanitized-mbpp.json.gz (one JSON array)
 *                              gives its 427 objects, all on line 1; a
 *                              pretty-printed array gives each element's
 *                              own line and "element N" in jsonl_where()
 *   jsonl_array_errors         non-object element, missing comma,
 *                              unexpected end, data after ']', bad JSON
 *                              in an element (its own line, column in
 *                              characters), empty array
 *   jsonl_pyjson               strict by default ("too big integer");
 *                              JSONL_PYJSON tags Infinity, -Infinity,
 *                              NaN, integers outside int64 and 1e400 as
 *                              {"$pyjson": T} and leaves strings, keys,
 *                              INT64_MIN and ordinary reals alone;
 *                              \u0000 needs JSONL_ALLOW_NUL
 *   jsonl_evalplus_files       HumanEvalPlus.jsonl.gz fails strict at line
 *                              23 and reads whole with the flags;
 *                              MbppPlus.jsonl.gz likewise (378)
 *   jsonl_parse_string         jsonl_parse() reads any JSON value with the
 *                              same dialect and reports line and column
 *   jsonl_mem_gzip_and_plain   HumanEval.jsonl.gz in memory, compressed
 *                              or not, gives the file's 164 objects and
 *                              lines, named as told; sanitized MBPP in
 *                              memory is read as one array
 *   jsonl_mem_multi_member     gzip members one after the other (cut
 *                              mid-line, empty ones) read as one stream,
 *                              lines counted across them
 *   jsonl_mem_as_file          memory and file readers give the same
 *                              objects, lines and messages for the same
 *                              bytes: members, bytes after the last
 *                              member, a lone magic byte, cut and corrupt
 *                              gzip data, bad lines, empty input
 *   jsonl_mem_truncated_gzip   half of a real .gz in memory: whole lines,
 *                              then -EIO "NAME: truncated or corrupt gzip
 *                              data (unexpected end of file)", repeated
 *   jsonl_mem_bad_line         a bad line is -EINVAL "NAME:LINE:COL: ..."
 *                              and the reader goes on; a line that is no
 *                              object is "NAME:LINE: expected a JSON
 *                              object"
 *   jsonl_offset               0 before the first object; at the end the
 *                              size of the input as stored: the .gz file,
 *                              the gzip buffer, the plain buffer
 *   jsonl_no_array             with JSONL_NO_ARRAY a file that starts
 *                              with '[' is read as lines: "FILE:1:
 *                              expected a JSON object", then line 2
 *   jsonl_mem_max_inflated     a gzip bomb in memory (8 MB of newlines
 *                              and a line) stops at the limit with
 *                              -EFBIG "NAME: gzip data inflates to more
 *                              than N bytes", repeated, after inflating
 *                              no more than the limit; at exactly its
 *                              size, and at SIZE_MAX, it reads whole;
 *                              plain data and no limit are unaffected
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#define ZLIB_CONST		/* next_in points to const */
#include <zlib.h>

#include "tests/unit/test.h"
#include "common/jsonl.h"
#include "common/xmalloc.h"

/* The bytes of a file (new); length in *lenp. */
static char *
read_raw(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	long	 len;

	ASSERT_NOT_NULL(f = fopen(path, "rb"));
	ASSERT_OK(fseek(f, 0, SEEK_END));
	ASSERT((len = ftell(f)) >= 0);
	rewind(f);
	buf = xmalloc((size_t)len);
	ASSERT_EQ(fread(buf, 1, (size_t)len, f), len);
	fclose(f);
	*lenp = (size_t)len;
	return buf;
}

/* The decompressed bytes of a gzip file (new); length in *lenp. */
static char *
read_gunzip(const char *path, size_t *lenp)
{
	gzFile	 g;
	char	*buf = NULL;
	size_t	 len = 0, cap = 0;
	int	 n;

	ASSERT_NOT_NULL(g = gzopen(path, "rb"));
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = xreallocarray(buf, cap, 1);
		}
		ASSERT((n = gzread(g, buf + len, 65536)) >= 0);
		len += (size_t)n;
	} while (n > 0);
	ASSERT_OK(gzclose(g));
	*lenp = len;
	return buf;
}

/* Read every object of path with flags; returns the count or error. */
static long
count_objects(const char *path, unsigned flags, char *err, size_t errlen)
{
	struct jsonl	*rd;
	json_t		*o;
	long		 n = 0;
	int		 r;

	if ((r = jsonl_open(path, &rd, err, errlen)) < 0)
		return r;
	jsonl_set_flags(rd, flags);
	while ((r = jsonl_next(rd, &o, err, errlen)) == 1) {
		n++;
		json_decref(o);
	}
	jsonl_close(rd);
	return r < 0 ? r : n;
}

/* The string member "key" of o, or NULL. */
static const char *
member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

TEST(jsonl_gzip_and_plain)
{
	struct jsonl	*rd, *rd2;
	json_t		*o, *o2;
	char		 dir[64], err[512], *plain, *raw;
	const char	*path;
	size_t		 len;
	unsigned long	 n = 0;

	DATA_OR_SKIP(path, "humaneval/HumanEval.jsonl.gz");
	test_tmp_dir(dir, sizeof(dir));
	raw = read_gunzip(path, &len);
	plain = test_tmp_file(dir, "plain.jsonl.gz", raw, len);

	ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
	ASSERT_OK(jsonl_open(plain, &rd2, err, sizeof(err)));
	ASSERT_STR_EQ(jsonl_path(rd), path);
	while (jsonl_next(rd, &o, err, sizeof(err)) == 1) {
		n++;
		ASSERT_EQ(jsonl_line(rd), n);
		ASSERT_EQ(jsonl_next(rd2, &o2, err, sizeof(err)), 1);
		ASSERT_EQ(jsonl_line(rd2), n);
		ASSERT(json_equal(o, o2));
		if (n == 1)
			ASSERT_STR_EQ(member(o, "task_id"), "HumanEval/0");
		json_decref(o);
		json_decref(o2);
	}
	ASSERT_EQ(n, 164);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	ASSERT_NULL(o);
	ASSERT_EQ(jsonl_next(rd2, &o2, err, sizeof(err)), 0);
	ASSERT_EQ(jsonl_next(rd2, &o2, err, sizeof(err)), 0);
	jsonl_close(rd);
	jsonl_close(rd2);
	jsonl_close(NULL);
	free(raw);
	free(plain);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_missing_file)
{
	struct jsonl	*rd;
	char		 dir[64], err[512], *path, junk;

	test_tmp_dir(dir, sizeof(dir));
	path = xasprintf("%s/nope.jsonl", dir);
	rd = (struct jsonl *)(void *)&junk;	/* must be reset to NULL */
	ASSERT_ERR(jsonl_open(path, &rd, err, sizeof(err)), -ENOENT);
	ASSERT_NULL(rd);
	ASSERT_CONTAINS(err, path);
	ASSERT_CONTAINS(err, "No such file");
	ASSERT_ERR(jsonl_open(dir, &rd, err, sizeof(err)), -EISDIR);
	ASSERT_NULL(rd);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_truncated_gzip)
{
	struct jsonl	*rd;
	json_t		*o;
	char		 dir[64], err[512], *cut, *raw;
	const char	*path;
	size_t		 len;
	int		 r, n = 0;

	DATA_OR_SKIP(path, "humaneval/HumanEval.jsonl.gz");
	test_tmp_dir(dir, sizeof(dir));
	raw = read_raw(path, &len);
	ASSERT_EQ(len, 44877);
	cut = test_tmp_file(dir, "cut.jsonl.gz", raw, len / 2);

	ASSERT_OK(jsonl_open(cut, &rd, err, sizeof(err)));
	while ((r = jsonl_next(rd, &o, err, sizeof(err))) == 1) {
		n++;
		json_decref(o);
	}
	ASSERT_ERR(r, -EIO);
	ASSERT(n > 10 && n < 164);
	ASSERT_CONTAINS(err, cut);
	ASSERT_CONTAINS(err, ": truncated or corrupt gzip data");
	err[0] = '\0';
	ASSERT_ERR(jsonl_next(rd, &o, err, sizeof(err)), -EIO);
	ASSERT_CONTAINS(err, "truncated or corrupt gzip data");
	jsonl_close(rd);
	free(raw);
	free(cut);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_corrupt_gzip)
{
	char		 dir[64], err[512], *bad, *raw;
	const char	*path;
	size_t		 len;

	DATA_OR_SKIP(path, "humaneval/HumanEval.jsonl.gz");
	test_tmp_dir(dir, sizeof(dir));
	raw = read_raw(path, &len);
	raw[len - 8] ^= 0x55;		/* CRC-32 of the trailer */
	bad = test_tmp_file(dir, "bad.jsonl.gz", raw, len);
	ASSERT_ERR(count_objects(bad, 0, err, sizeof(err)), -EIO);
	ASSERT_CONTAINS(err, "truncated or corrupt gzip data");
	free(raw);
	free(bad);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_bad_json_line3)
{
	struct jsonl	*rd;
	json_t		*o;
	char		 dir[64], err[512], *path, *want;

	test_tmp_dir(dir, sizeof(dir));
	path = test_tmp_text(dir, "bad.jsonl",
	    "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3,, }\n{\"a\": 4}\n");
	ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	json_decref(o);
	ASSERT_ERR(jsonl_next(rd, &o, err, sizeof(err)), -EINVAL);
	ASSERT_NULL(o);
	want = xasprintf("%s:3:9: ", path);
	ASSERT_CONTAINS(err, want);
	ASSERT_EQ(jsonl_line(rd), 3);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 4);
	ASSERT_EQ(json_integer_value(json_object_get(o, "a")), 4);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	jsonl_close(rd);
	free(want);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_blank_lines)
{
	struct jsonl	*rd;
	json_t		*o;
	char		 dir[64], err[512], *path, *empty, *blank;

	test_tmp_dir(dir, sizeof(dir));
	path = test_tmp_text(dir, "blank.jsonl",
	    "\n  \t\n{\"a\": 1}\r\n\r\n{\"a\": 2}\n\n{\"a\": 3}");
	ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 3);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 5);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 7);
	ASSERT_EQ(json_integer_value(json_object_get(o, "a")), 3);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	jsonl_close(rd);

	empty = test_tmp_text(dir, "empty.jsonl", "");
	blank = test_tmp_text(dir, "blank2.jsonl", "\n \n\t\r\n");
	ASSERT_EQ(count_objects(empty, 0, err, sizeof(err)), 0);
	ASSERT_EQ(count_objects(blank, 0, err, sizeof(err)), 0);
	free(path);
	free(empty);
	free(blank);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_nul_byte)
{
	static const char	 text[] = "{\"a\": 1}\n{\"a\": \"x\0y\"}\n";
	char			 dir[64], err[512], *path, *want;

	test_tmp_dir(dir, sizeof(dir));
	path = test_tmp_file(dir, "nul.jsonl", text, sizeof(text) - 1);
	ASSERT_ERR(count_objects(path, 0, err, sizeof(err)), -EINVAL);
	want = xasprintf("%s:2: NUL byte in line", path);
	ASSERT_STR_EQ(err, want);
	free(want);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_invalid_utf8)
{
	char	 dir[64], err[512], *path;

	test_tmp_dir(dir, sizeof(dir));
	path = test_tmp_text(dir, "utf8.jsonl",
	    "{\"a\": \"ok \xc3\xa9\"}\n{\"a\": \"bad \xff\xfe\"}\n");
	ASSERT_ERR(count_objects(path, 0, err, sizeof(err)), -EINVAL);
	ASSERT_CONTAINS(err, ":2:");
	ASSERT_CONTAINS(err, "invalid UTF-8");
	for (const char *p = err; *p != '\0'; p++)
		ASSERT((unsigned char)*p < 0x80);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_not_object)
{
	char	 dir[64], err[512], *num, *arr, *want;

	test_tmp_dir(dir, sizeof(dir));
	num = test_tmp_text(dir, "num.jsonl", "{}\n42\n");
	arr = test_tmp_text(dir, "arr.jsonl", "{}\n[1, 2]\n");
	ASSERT_ERR(count_objects(num, 0, err, sizeof(err)), -EINVAL);
	want = xasprintf("%s:2: expected a JSON object", num);
	ASSERT_STR_EQ(err, want);
	free(want);
	ASSERT_ERR(count_objects(arr, 0, err, sizeof(err)), -EINVAL);
	want = xasprintf("%s:2: expected a JSON object", arr);
	ASSERT_STR_EQ(err, want);
	free(want);
	free(num);
	free(arr);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_long_line)
{
	struct jsonl	*rd;
	json_t		*o;
	char		 dir[64], err[512], *path, *text;
	size_t		 n = 10u * 1024 * 1024, len;

	test_tmp_dir(dir, sizeof(dir));
	text = xmalloc(n + 64);
	len = (size_t)sprintf(text, "{\"a\": 1}\n{\"big\": \"");
	memset(text + len, 'x', n);
	len += n;
	len += (size_t)sprintf(text + len, "\"}\n{\"a\": 3}\n");
	path = test_tmp_file(dir, "long.jsonl", text, len);

	ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 2);
	ASSERT_EQ(json_string_length(json_object_get(o, "big")), n);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 3);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	jsonl_close(rd);
	free(text);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_line_over_cap)
{
	char	 dir[64], err[512], *path, *text, *want;
	size_t	 len = (size_t)JSONL_MAX_LINE + 1;

	test_tmp_dir(dir, sizeof(dir));
	text = xmalloc(len + 16);
	memcpy(text, "{}\n", 3);
	memset(text + 3, ' ', len);	/* valid JSON were it shorter */
	memcpy(text + 3 + len, "{}\n", 3);
	path = test_tmp_file(dir, "huge.jsonl", text, len + 6);
	free(text);
	ASSERT_ERR(count_objects(path, 0, err, sizeof(err)), -EINVAL);
	want = xasprintf("%s:2: line longer than %u bytes", path,
	    JSONL_MAX_LINE);
	ASSERT_STR_EQ(err, want);
	free(want);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_array_file)
{
	struct jsonl	*rd;
	json_t		*o;
	char		 dir[64], err[512], *pretty, *want;
	const char	*path;
	long		 n = 0;

	DATA_OR_SKIP(path, "mbpp/sanitized-mbpp.json.gz");
	ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
	while (jsonl_next(rd, &o, err, sizeof(err)) == 1) {
		n++;
		ASSERT_EQ(jsonl_line(rd), 1);
		if (n == 1)
			ASSERT_EQ(json_integer_value(json_object_get(o,
			    "task_id")), 2);
		json_decref(o);
	}
	ASSERT_EQ(n, 427);
	want = xasprintf("%s:1: element 427", path);
	ASSERT_STR_EQ(jsonl_where(rd), want);
	free(want);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	jsonl_close(rd);

	test_tmp_dir(dir, sizeof(dir));
	pretty = test_tmp_text(dir, "pretty.json",
	    "\n  [\n  {\"a\": 1},\n  {\n    \"a\": 2\n  }\n  ,{\"a\": 3}]\n\n");
	ASSERT_OK(jsonl_open(pretty, &rd, err, sizeof(err)));
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 3);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 4);
	want = xasprintf("%s:4: element 2", pretty);
	ASSERT_STR_EQ(jsonl_where(rd), want);
	free(want);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 7);
	ASSERT_EQ(json_integer_value(json_object_get(o, "a")), 3);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	jsonl_close(rd);
	free(pretty);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_array_errors)
{
	static const struct {
		const char	*text;
		long		 count;		/* objects before the error */
		const char	*want;		/* after "FILE" */
	} cases[] = {
		{ "[{}, 3]", 1, ":1: element 2: expected a JSON object" },
		{ "[{}\n {} ]", 1, ":2:2: expected ',' or ']' in JSON array" },
		{ "[{}, ", 1, ":1:6: unexpected end of file in JSON array" },
		{ "[{}] {}", 1, ":1:6: data after the JSON array" },
		{ "[{},\n {\"a\": tru}]", 1, ":2:" },
		{ "[{},\n {\"a\": \"\xff\"}]", 1, ":2:8: invalid UTF-8" },
		/* Columns count characters: 22, not byte 23. */
		{ "[{}, {\"a\": \"\xc3\xa9\", \"b\": x}]", 1, ":1:22: " },
		{ " [ ] ", 0, NULL },
	};
	char	 dir[64], err[512], *path, *want;
	long	 n;

	test_tmp_dir(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jsonl	*rd;
		json_t		*o;
		int		 r;

		path = test_tmp_text(dir, "case.json", cases[i].text);
		ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
		n = 0;
		while ((r = jsonl_next(rd, &o, err, sizeof(err))) == 1) {
			n++;
			json_decref(o);
		}
		ASSERT_EQ(n, cases[i].count);
		if (cases[i].want == NULL)
			ASSERT_OK(r);
		else {
			ASSERT_ERR(r, -EINVAL);
			want = xasprintf("%s%s", path, cases[i].want);
			ASSERT_CONTAINS(err, want);
			free(want);
		}
		jsonl_close(rd);
		free(path);
	}
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_pyjson)
{
	struct jsonl	*rd;
	json_t		*o, *a, *want;
	json_error_t	 jerr;
	char		 dir[64], err[512], *path, *nul;

	test_tmp_dir(dir, sizeof(dir));
	path = test_tmp_text(dir, "py.jsonl",
	    "{\"Infinity\": [1, Infinity, -Infinity, NaN, "
	    "123456789012345678901234, -9223372036854775808, "
	    "9223372036854775808, -9223372036854775809, 1e400, 1.5, "
	    "\"NaN 99999999999999999999\"]}\n");
	ASSERT_ERR(count_objects(path, 0, err, sizeof(err)), -EINVAL);
	ASSERT_CONTAINS(err, ":1:");

	ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
	jsonl_set_flags(rd, JSONL_PYJSON);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	a = json_object_get(o, "Infinity");
	want = json_loads("[1, {\"$pyjson\": \"Infinity\"}, "
	    "{\"$pyjson\": \"-Infinity\"}, {\"$pyjson\": \"NaN\"}, "
	    "{\"$pyjson\": \"123456789012345678901234\"}, "
	    "-9223372036854775808, {\"$pyjson\": \"9223372036854775808\"}, "
	    "{\"$pyjson\": \"-9223372036854775809\"}, "
	    "{\"$pyjson\": \"1e400\"}, 1.5, \"NaN 99999999999999999999\"]", 0,
	    &jerr);
	ASSERT_NOT_NULL(want);
	ASSERT(json_equal(a, want));
	ASSERT_STR_EQ(JSONL_PYJSON_KEY, "$pyjson");
	json_decref(want);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	jsonl_close(rd);

	nul = test_tmp_text(dir, "nul.jsonl", "{\"a\": \"x\\u0000y\"}\n");
	ASSERT_ERR(count_objects(nul, 0, err, sizeof(err)), -EINVAL);
	ASSERT_CONTAINS(err, ":1:");
	ASSERT_OK(jsonl_open(nul, &rd, err, sizeof(err)));
	jsonl_set_flags(rd, JSONL_ALLOW_NUL);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(json_string_length(json_object_get(o, "a")), 3);
	json_decref(o);
	jsonl_close(rd);
	free(nul);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_evalplus_files)
{
	const char	*he, *mb;
	char		 err[512];

	DATA_OR_SKIP(he, "evalplus/HumanEvalPlus.jsonl.gz");
	ASSERT_ERR(count_objects(he, 0, err, sizeof(err)), -EINVAL);
	ASSERT_CONTAINS(err, ":23:");
	ASSERT_CONTAINS(err, "too big integer");
	ASSERT_EQ(count_objects(he, JSONL_PYJSON | JSONL_ALLOW_NUL, err,
	    sizeof(err)), 164);

	DATA_OR_SKIP(mb, "evalplus/MbppPlus.jsonl.gz");
	ASSERT_ERR(count_objects(mb, 0, err, sizeof(err)), -EINVAL);
	ASSERT_EQ(count_objects(mb, JSONL_PYJSON | JSONL_ALLOW_NUL, err,
	    sizeof(err)), 378);
	return TEST_PASS;
}

TEST(jsonl_parse_string)
{
	static const char	 doc[] = "{\"inputs\": [[99999999999999999999]]}";
	static const char	 bad[] = "{\"a\": 1,\n \"b\": }";
	json_t			*o;
	char			 err[512];

	ASSERT_ERR(jsonl_parse(doc, strlen(doc), 0, &o, err, sizeof(err)),
	    -EINVAL);
	ASSERT_NULL(o);
	ASSERT_CONTAINS(err, "line 1, column");
	ASSERT_OK(jsonl_parse(doc, strlen(doc), JSONL_PYJSON, &o, err,
	    sizeof(err)));
	ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(
	    json_array_get(json_object_get(o, "inputs"), 0), 0), "$pyjson")),
	    "99999999999999999999");
	json_decref(o);
	ASSERT_OK(jsonl_parse("\"s\"", 3, 0, &o, err, sizeof(err)));
	ASSERT_STR_EQ(json_string_value(o), "s");
	json_decref(o);
	ASSERT_ERR(jsonl_parse(bad, strlen(bad), 0, &o, err, sizeof(err)),
	    -EINVAL);
	ASSERT_CONTAINS(err, "line 2, column");
	return TEST_PASS;
}

/* "len" bytes of text as one gzip member (new); length in *outlen. */
static char *
gzip_bytes(const char *text, size_t len, size_t *outlen)
{
	z_stream	 zs;
	char		*out;
	size_t		 cap;

	memset(&zs, 0, sizeof(zs));
	ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	cap = deflateBound(&zs, len);
	out = xmalloc(cap);
	zs.next_in = (const Bytef *)text;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outlen = zs.total_out;
	ASSERT_EQ(deflateEnd(&zs), Z_OK);
	return out;
}

/* Append "len" bytes at p to the buffer *bp of length *lenp. */
static void
append(char **bp, size_t *lenp, const void *p, size_t len)
{
	*bp = xreallocarray(*bp, *lenp + len + 1, 1);
	memcpy(*bp + *lenp, p, len);
	*lenp += len;
}

/*
 * Everything a reader gives until its end or its first error that
 * repeats (the reader failed for good), closing it: "LINE: JSON" per
 * object, "! MESSAGE" per error, then "= R".  New string.
 */
static char *
transcript(struct jsonl *rd)
{
	json_t	*o;
	char	*out = NULL, *text, *dump, err[512], last[512] = "";
	size_t	 len = 0;
	int	 r;

	for (;;) {
		err[0] = '\0';
		if ((r = jsonl_next(rd, &o, err, sizeof(err))) == 0)
			break;
		if (r == 1) {
			ASSERT_NOT_NULL(dump = json_dumps(o, JSON_SORT_KEYS));
			json_decref(o);
			text = xasprintf("%lu: %s", jsonl_line(rd), dump);
			free(dump);
		} else if (strcmp(err, last) == 0)
			break;
		else {
			snprintf(last, sizeof(last), "%s", err);
			text = xasprintf("! %s", err);
		}
		append(&out, &len, text, strlen(text));
		append(&out, &len, "\n", 1);
		free(text);
	}
	text = xasprintf("= %d", r);
	append(&out, &len, text, strlen(text) + 1);
	free(text);
	jsonl_close(rd);
	return out;
}

TEST(jsonl_mem_gzip_and_plain)
{
	struct jsonl	*rd;
	char		 err[512], *raw, *plain, *want, *got;
	const char	*path, *mbpp;
	size_t		 len, plen;

	DATA_OR_SKIP(path, "humaneval/HumanEval.jsonl.gz");
	raw = read_raw(path, &len);
	plain = read_gunzip(path, &plen);
	ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
	want = transcript(rd);
	ASSERT_CONTAINS(want, "\"HumanEval/163\"");
	rd = jsonl_memopen(path, raw, len);
	ASSERT_STR_EQ(jsonl_path(rd), path);
	got = transcript(rd);
	ASSERT_STR_EQ(got, want);
	free(got);
	got = transcript(jsonl_memopen(path, plain, plen));
	ASSERT_STR_EQ(got, want);
	free(got);

	rd = jsonl_memopen("body", raw, len);
	for (unsigned long n = 1; n <= 164; n++) {
		json_t	*o;

		ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
		ASSERT_EQ(jsonl_line(rd), n);
		json_decref(o);
	}
	ASSERT_STR_EQ(jsonl_where(rd), "body:164");
	jsonl_close(rd);
	free(want);
	free(raw);
	free(plain);

	DATA_OR_SKIP(mbpp, "mbpp/sanitized-mbpp.json.gz");
	raw = read_raw(mbpp, &len);
	ASSERT_OK(jsonl_open(mbpp, &rd, err, sizeof(err)));
	want = transcript(rd);
	got = transcript(jsonl_memopen(mbpp, raw, len));
	ASSERT_STR_EQ(got, want);
	free(got);
	free(want);
	free(raw);
	return TEST_PASS;
}

TEST(jsonl_mem_multi_member)
{
	static const char *const parts[] = {
		"{\"a\": 1}\n{\"a\"", ": 2}\n\n", "", "{\"a\": 3}\n{\"a\": 4}",
	};
	struct jsonl	*rd;
	json_t		*o;
	char		*buf = NULL, *gz, err[512];
	size_t		 len = 0, glen;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		gz = gzip_bytes(parts[i], strlen(parts[i]), &glen);
		append(&buf, &len, gz, glen);
		free(gz);
	}
	rd = jsonl_memopen("multi", buf, len);
	for (int a = 1; a <= 4; a++) {
		ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
		ASSERT_EQ(json_integer_value(json_object_get(o, "a")), a);
		ASSERT_EQ(jsonl_line(rd), a < 3 ? a : a + 1);
		json_decref(o);
	}
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	jsonl_close(rd);
	free(buf);
	return TEST_PASS;
}

TEST(jsonl_mem_as_file)
{
	static const char	 text[] =
	    "{\"a\": 1}\n{\"a\": [2,\n{\"a\": 3}\n";
	struct {
		const char	*what;
		char		*buf;
		size_t		 len;
	} cases[10];
	struct jsonl	*rd;
	char		 dir[64], err[512], *gz, *path, *want, *got;
	size_t		 glen, n = 0;

	gz = gzip_bytes(text, sizeof(text) - 1, &glen);
#define CASE(w, ...) do {						\
	cases[n].what = (w);						\
	cases[n].buf = NULL;						\
	cases[n].len = 0;						\
	__VA_ARGS__;							\
	n++;								\
} while (0)
#define ADD(p, l)	append(&cases[n].buf, &cases[n].len, (p), (l))
	CASE("plain", ADD(text, sizeof(text) - 1));
	CASE("empty", ADD("", 0));
	CASE("one magic byte", ADD("\x1f", 1));
	CASE("gzip", ADD(gz, glen));
	CASE("two members", ADD(gz, glen); ADD(gz, glen));
	CASE("bytes after", ADD(gz, glen); ADD("{\"b\": 1}\n", 9));
	CASE("magic byte after", ADD(gz, glen); ADD("\x1f", 1));
	CASE("cut", ADD(gz, glen - 9));
	CASE("cut second", ADD(gz, glen); ADD(gz, glen / 2));
	CASE("bad CRC", ADD(gz, glen); cases[n].buf[glen - 8] ^= 0x55);
#undef ADD
#undef CASE
	ASSERT_EQ(n, sizeof(cases) / sizeof(cases[0]));

	test_tmp_dir(dir, sizeof(dir));
	for (size_t i = 0; i < n; i++) {
		path = test_tmp_file(dir, "case.jsonl", cases[i].buf,
		    cases[i].len);
		ASSERT_OK(jsonl_open(path, &rd, err, sizeof(err)));
		want = transcript(rd);
		if (i == 0) {
			got = xasprintf("1: {\"a\": 1}\n! %s:2:9: ']' expected "
			    "near end of file\n3: {\"a\": 3}\n= 0", path);
			ASSERT_STR_EQ(want, got);
			free(got);
		}
		got = transcript(jsonl_memopen(path, cases[i].buf,
		    cases[i].len));
		if (strcmp(got, want) != 0)
			TEST_FAIL_AT("%s: memory:\n%s\nfile:\n%s",
			    cases[i].what, got, want);
		free(want);
		free(got);
		free(path);
		free(cases[i].buf);
	}
	free(gz);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(jsonl_mem_truncated_gzip)
{
	struct jsonl	*rd;
	json_t		*o;
	char		 err[512], *raw;
	const char	*path;
	size_t		 len;
	int		 r, n = 0;

	DATA_OR_SKIP(path, "humaneval/HumanEval.jsonl.gz");
	raw = read_raw(path, &len);
	rd = jsonl_memopen("import 7", raw, len / 2);
	while ((r = jsonl_next(rd, &o, err, sizeof(err))) == 1) {
		n++;
		json_decref(o);
	}
	ASSERT_ERR(r, -EIO);
	ASSERT(n > 10 && n < 164);
	ASSERT_STR_EQ(err, "import 7: truncated or corrupt gzip data "
	    "(unexpected end of file)");
	err[0] = '\0';
	ASSERT_ERR(jsonl_next(rd, &o, err, sizeof(err)), -EIO);
	ASSERT_CONTAINS(err, "import 7: truncated or corrupt gzip data");
	jsonl_close(rd);
	free(raw);
	return TEST_PASS;
}

TEST(jsonl_mem_bad_line)
{
	static const char	 text[] =
	    "{\"a\": 1}\n\n{\"a\": 3,, }\n[4]\n{\"a\": 5}\n";
	struct jsonl		*rd;
	json_t			*o;
	char			 err[512], *gz;
	size_t			 glen;

	gz = gzip_bytes(text, sizeof(text) - 1, &glen);
	for (int pass = 0; pass < 2; pass++) {
		rd = pass == 0 ? jsonl_memopen("body", text, sizeof(text) - 1) :
		    jsonl_memopen("body", gz, glen);
		ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
		json_decref(o);
		ASSERT_ERR(jsonl_next(rd, &o, err, sizeof(err)), -EINVAL);
		ASSERT_NULL(o);
		ASSERT_CONTAINS(err, "body:3:9: ");
		ASSERT_ERR(jsonl_next(rd, &o, err, sizeof(err)), -EINVAL);
		ASSERT_STR_EQ(err, "body:4: expected a JSON object");
		ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
		ASSERT_EQ(jsonl_line(rd), 5);
		json_decref(o);
		ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
		jsonl_close(rd);
	}
	free(gz);
	return TEST_PASS;
}

TEST(jsonl_offset)
{
	struct jsonl	*rd[3];
	json_t		*o;
	char		 err[512], *raw, *plain;
	const char	*path;
	size_t		 len, plen;
	int		 r;

	DATA_OR_SKIP(path, "humaneval/HumanEval.jsonl.gz");
	raw = read_raw(path, &len);
	plain = read_gunzip(path, &plen);
	ASSERT_OK(jsonl_open(path, &rd[0], err, sizeof(err)));
	rd[1] = jsonl_memopen("gz", raw, len);
	rd[2] = jsonl_memopen("plain", plain, plen);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(jsonl_offset(rd[i]), 0);
		while ((r = jsonl_next(rd[i], &o, err, sizeof(err))) == 1)
			json_decref(o);
		ASSERT_OK(r);
		ASSERT_EQ(jsonl_offset(rd[i]), i < 2 ? len : plen);
		jsonl_close(rd[i]);
	}
	free(raw);
	free(plain);
	return TEST_PASS;
}

TEST(jsonl_no_array)
{
	static const char	 text[] = "[{}, {}]\n{\"a\": 2}\n";
	struct jsonl		*rd;
	json_t			*o;
	char			 err[512];

	rd = jsonl_memopen("arr", text, sizeof(text) - 1);
	jsonl_set_flags(rd, JSONL_NO_ARRAY);
	ASSERT_ERR(jsonl_next(rd, &o, err, sizeof(err)), -EINVAL);
	ASSERT_STR_EQ(err, "arr:1: expected a JSON object");
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 1);
	ASSERT_EQ(jsonl_line(rd), 2);
	json_decref(o);
	ASSERT_EQ(jsonl_next(rd, &o, err, sizeof(err)), 0);
	jsonl_close(rd);
	return TEST_PASS;
}

TEST(jsonl_mem_max_inflated)
{
	static const char	 obj[] = "{\"a\": 1}\n";
	struct jsonl		*rd;
	json_t			*o;
	char			 err[512], *text, *gz;
	size_t			 len, glen;
	int			 r, n;

	/* Newlines first, the object last: nothing to read before the
	 * limit. */
	len = (8u << 20) + sizeof(obj) - 1;
	text = xmalloc(len);
	memset(text, '\n', len);
	memcpy(text + len - (sizeof(obj) - 1), obj, sizeof(obj) - 1);
	gz = gzip_bytes(text, len, &glen);
	ASSERT(glen < 64 * 1024);

	rd = jsonl_memopen("body", gz, glen);
	jsonl_set_max_inflated(rd, 1u << 20);
	ASSERT_ERR(jsonl_next(rd, &o, err, sizeof(err)), -EFBIG);
	ASSERT_NULL(o);
	ASSERT_STR_EQ(err, "body: gzip data inflates to more than 1048576 "
	    "bytes");
	ASSERT_ERR(jsonl_next(rd, &o, err, sizeof(err)), -EFBIG);
	jsonl_close(rd);

	/* Exactly the limit, plain data, no limit and SIZE_MAX: read
	 * whole. */
	for (int pass = 0; pass < 4; pass++) {
		rd = pass == 1 ? jsonl_memopen("body", text, len) :
		    jsonl_memopen("body", gz, glen);
		if (pass != 2)
			jsonl_set_max_inflated(rd, pass == 0 ? len : pass == 1 ?
			    1 : SIZE_MAX);
		n = 0;
		while ((r = jsonl_next(rd, &o, err, sizeof(err))) == 1) {
			n++;
			json_decref(o);
		}
		ASSERT_OK(r);
		ASSERT_EQ(n, 1);
		jsonl_close(rd);
	}
	free(gz);
	free(text);
	return TEST_PASS;
}
