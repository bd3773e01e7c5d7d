/*
 * jsonl.c - JSON Lines reader over zlib.  See jsonl.h.
 *
 * Two sources feed the reader.  A file goes through gzdopen()/gzread(),
 * which read gzip and plain files alike (zlib's "transparent" mode), so
 * compression is recognised by its magic bytes.  A memory buffer is
 * copied as it is, or, when it starts with the gzip magic bytes,
 * inflated member after member the way gzread() does (bytes after the
 * last member that are no gzip member are ignored, as gzread() ignores
 * them), with gzread()'s messages for bad data.
 *
 * Lines are cut out of one buffer that grows up to JSONL_MAX_LINE + 1
 * bytes; each line is parsed on its own with json_loadb().  A file
 * whose first non-blank byte is '[' is read whole (up to
 * JSONL_MAX_ARRAY) and its elements are parsed one at a time with
 * JSON_DISABLE_EOF_CHECK, which also tells how many bytes each element
 * took, so every element gets its real line number.
 *
 * Sections: errors, Python's JSON dialect, sources, reading, lines,
 * arrays, the public functions.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#define ZLIB_CONST		/* next_in points to const: our buffer */
#include <zlib.h>

#include "common/jsonl.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define JSONL_CHUNK	(256u * 1024)	/* first buffer and gzbuffer size */

struct jsonl {
	char		*path;		/* the file's name, for messages */
	gzFile		 gz;		/* a file: plain or gzip; else NULL */

	/* A memory buffer (gz is NULL). */
	const unsigned char *mem;	/* borrowed from the caller */
	size_t		 memlen;	/* its size */
	size_t		 mempos;	/* bytes copied or given to inflate() */
	bool		 gzip;		/* mem starts with the gzip magic */
	bool		 zdone;		/* the last gzip member has ended */
	z_stream	 zs;		/* inflate state, when gzip */
	size_t		 zout;		/* bytes inflated so far */
	size_t		 zmax;		/* ... at most (0: no limit) */

	unsigned	 flags;		/* JSONL_* */
	char		*buf;		/* bytes read and not yet consumed */
	size_t		 cap;		/* allocated size of buf */
	size_t		 start;		/* first unconsumed byte in buf */
	size_t		 scan;		/* no '\n' in buf[start..scan) */
	size_t		 end;		/* end of the bytes read */
	bool		 eof;		/* gzread() has returned 0 */
	bool		 started;	/* first non-blank byte examined */
	unsigned long	 nextline;	/* line number of buf[start] */
	unsigned long	 line;		/* line of the object last returned */
	unsigned long	 count;		/* objects returned so far */
	char		*where;		/* jsonl_where() result */

	/* Array mode: buf holds the whole file (maybe rewritten). */
	bool		 array;		/* the file is one JSON array */
	bool		 array_done;	/* the closing ']' was read */
	size_t		 apos;		/* next byte to parse */
	size_t		 alinepos;	/* aline and acol are of this offset */
	unsigned long	 aline;		/* 1-based line number */
	unsigned long	 acol;		/* 1-based column, in characters */

	int		 failed;	/* sticky error (negative errno) */
	char		*failmsg;	/* its message */
};

/* --- Errors --- */

/* Make the reader fail for good with error r and message msg. */
static int
jsonl_fail(struct jsonl *rd, int r, const char *msg, char *errbuf,
    size_t errlen)
{
	rd->failed = r;
	free(rd->failmsg);
	rd->failmsg = xstrdup(msg);
	log_errbuf(errbuf, errlen, "%s", msg);
	return r;
}

/*
 * jansson's message for a parse error, with "invalid UTF-8" in front
 * when that is the cause.  Its "near '...'" context may quote the very
 * bytes that were bad, so the text is escaped before anyone logs it.
 */
static void
jsonl_jansson_text(const json_error_t *jerr, char *dst, size_t dstlen)
{
	char	 esc[JSON_ERROR_TEXT_LENGTH * 4 + 4];

	log_escape(esc, sizeof(esc), jerr->text, strlen(jerr->text));
	if (json_error_code(jerr) == json_error_invalid_utf8)
		snprintf(dst, dstlen, "invalid UTF-8 (%s)", esc);
	else
		snprintf(dst, dstlen, "%s", esc);
}

/* --- Python's JSON dialect --- */

/* Whether c may continue a number token. */
static bool
jsonl_numchar(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' ||
	    c == '+' || c == '-';
}

/* Whether c may continue a bare word (true, Infinity, ...). */
static bool
jsonl_wordchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * Whether the number token p[0..n) is one jansson refuses although
 * Python reads it: an integer outside int64 or a real that overflows a
 * double.  Malformed tokens are left for jansson to report.
 */
static bool
jsonl_num_needs_tag(const char *p, size_t n)
{
	static const char	 max[] = "9223372036854775807";
	static const char	 min[] = "9223372036854775808";
	const char		*d = p;
	size_t			 nd = n, i;
	bool			 neg = false, integer = true;
	char			 small[64], *tmp = NULL;
	double			 v;

	if (nd > 0 && *d == '-') {
		neg = true;
		d++;
		nd--;
	}
	for (i = 0; i < nd; i++)
		if (d[i] < '0' || d[i] > '9')
			integer = false;
	if (integer) {
		if (nd != sizeof(max) - 1)
			return nd > sizeof(max) - 1;
		return memcmp(d, neg ? min : max, nd) > 0;
	}
	if (n < sizeof(small)) {
		memcpy(small, p, n);
		small[n] = '\0';
		v = strtod(small, NULL);
	} else {
		tmp = xstrndup(p, n);
		v = strtod(tmp, NULL);
		free(tmp);
	}
	return isinf(v);
}

/* Append p[0..n) to the growing buffer *bp (length *lenp, size *capp). */
static void
jsonl_append(char **bp, size_t *lenp, size_t *capp, const char *p, size_t n)
{
	if (*lenp + n + 1 > *capp) {
		while (*lenp + n + 1 > *capp)
			*capp = *capp ? *capp * 2 : 4096;
		*bp = xreallocarray(*bp, *capp, 1);
	}
	memcpy(*bp + *lenp, p, n);
	*lenp += n;
	(*bp)[*lenp] = '\0';
}

/*
 * Rewrite the Python-only tokens of p[0..len) into {"$pyjson": "T"}.
 * Returns NULL when there is none (the common case, no copy made), else
 * a new NUL-terminated buffer whose length is stored in *outlen.
 */
static char *
jsonl_pyjson_rewrite(const char *p, size_t len, size_t *outlen)
{
	static const char	 pre[] = "{\"" JSONL_PYJSON_KEY "\":\"";
	static const char	 post[] = "\"}";
	char			*out = NULL;
	size_t			 olen = 0, ocap = 0, copied = 0, i = 0, tok;
	bool			 tag;

	while (i < len) {
		tok = i;
		tag = false;
		if (p[i] == '"') {
			for (i++; i < len && p[i] != '"'; i++)
				if (p[i] == '\\')
					i++;
			i++;
			continue;
		} else if (p[i] == '-' && i + 1 < len && p[i + 1] == 'I') {
			for (i++; i < len && jsonl_wordchar(p[i]); i++)
				;
			tag = i - tok == 9 && memcmp(p + tok, "-Infinity", 9) == 0;
		} else if (p[i] == '-' || (p[i] >= '0' && p[i] <= '9')) {
			for (i++; i < len && jsonl_numchar(p[i]); i++)
				;
			tag = jsonl_num_needs_tag(p + tok, i - tok);
		} else if (jsonl_wordchar(p[i])) {
			for (i++; i < len && jsonl_wordchar(p[i]); i++)
				;
			tag = (i - tok == 8 && memcmp(p + tok, "Infinity", 8) == 0) ||
			    (i - tok == 3 && memcmp(p + tok, "NaN", 3) == 0);
		} else
			i++;
		if (!tag)
			continue;
		jsonl_append(&out, &olen, &ocap, p + copied, tok - copied);
		jsonl_append(&out, &olen, &ocap, pre, sizeof(pre) - 1);
		jsonl_append(&out, &olen, &ocap, p + tok, i - tok);
		jsonl_append(&out, &olen, &ocap, post, sizeof(post) - 1);
		copied = i;
	}
	if (out == NULL)
		return NULL;
	jsonl_append(&out, &olen, &ocap, p + copied, len - copied);
	*outlen = olen;
	return out;
}

/* json_loadb() with the reader's dialect; jflags are jansson's. */
static json_t *
jsonl_load(const char *p, size_t len, unsigned flags, size_t jflags,
    json_error_t *jerr)
{
	json_t	*obj;
	char	*rw = NULL;
	size_t	 rwlen;

	if (flags & JSONL_ALLOW_NUL)
		jflags |= JSON_ALLOW_NUL;
	if ((flags & JSONL_PYJSON) &&
	    (rw = jsonl_pyjson_rewrite(p, len, &rwlen)) != NULL) {
		p = rw;
		len = rwlen;
	}
	obj = json_loadb(p, len, jflags, jerr);
	free(rw);
	return obj;
}

/* --- Sources --- */

/* Fail for good with gzip data that zlib refused ("zmsg" says why). */
static int
jsonl_gzip_fail(struct jsonl *rd, const char *zmsg, char *errbuf,
    size_t errlen)
{
	char	 msg[512];

	snprintf(msg, sizeof(msg), "%s: truncated or corrupt gzip data (%s)",
	    rd->path, zmsg != NULL ? zmsg : "zlib error");
	return jsonl_fail(rd, -EIO, msg, errbuf, errlen);
}

/*
 * Read up to "len" (<= INT_MAX) bytes of the file into dst.  Returns
 * the number read, 0 at the end, or a negative errno (sticky).
 */
static int
jsonl_read_file(struct jsonl *rd, char *dst, size_t len, char *errbuf,
    size_t errlen)
{
	char		 msg[512];
	const char	*zmsg;
	int		 n, zerr, saved;

	n = gzread(rd->gz, dst, (unsigned)len);
	saved = errno;
	if (n > 0)
		return n;
	zmsg = gzerror(rd->gz, &zerr);
	if (n < 0 && zerr == Z_ERRNO) {
		snprintf(msg, sizeof(msg), "%s: read: %s", rd->path,
		    strerror(saved));
		return jsonl_fail(rd, saved ? -saved : -EIO, msg, errbuf,
		    errlen);
	}
	if (n < 0 || zerr != Z_OK) {
		/* Z_BUF_ERROR at the end: the stream stopped mid-member. */
		if (zmsg != NULL && strncmp(zmsg, "<fd:", 4) == 0 &&
		    strstr(zmsg, ": ") != NULL)
			zmsg = strstr(zmsg, ": ") + 2;	/* gzdopen's name */
		return jsonl_gzip_fail(rd, zmsg, errbuf, errlen);
	}
	return 0;
}

/* Whether a gzip member starts at byte "pos" of the memory buffer. */
static bool
jsonl_mem_is_gzip(const struct jsonl *rd, size_t pos)
{
	return rd->memlen - pos >= 2 && rd->mem[pos] == 0x1f &&
	    rd->mem[pos + 1] == 0x8b;
}

/*
 * jsonl_read_file() for a memory buffer.  gzip data is inflated into
 * dst until it is full; input that ends inside a member is an error
 * once the bytes inflated before it have been handed out, as gzread()
 * reports "unexpected end of file".  zlib takes at most UINT_MAX input
 * bytes at a time, so the buffer is fed in such slices.
 */
static int
jsonl_read_mem(struct jsonl *rd, char *dst, size_t len, char *errbuf,
    size_t errlen)
{
	z_stream	*zs = &rd->zs;
	size_t		 n;
	char		 msg[512];
	int		 ret;

	if (!rd->gzip) {
		n = rd->memlen - rd->mempos < len ? rd->memlen - rd->mempos :
		    len;
		memcpy(dst, rd->mem + rd->mempos, n);
		rd->mempos += n;
		return (int)n;
	}
	/* A gzip bomb stops one byte past zmax: each byte inflated costs
	 * the reader's thread time, whatever the lines hold. */
	if (rd->zmax > 0) {
		if (rd->zout > rd->zmax) {
			snprintf(msg, sizeof(msg), "%s: gzip data inflates to "
			    "more than %zu bytes", rd->path, rd->zmax);
			return jsonl_fail(rd, -EFBIG, msg, errbuf, errlen);
		}
		if (len > 0 && len - 1 > rd->zmax - rd->zout)
			len = rd->zmax - rd->zout + 1;
	}
	zs->next_out = (Bytef *)dst;
	zs->avail_out = (uInt)len;
	while (zs->avail_out > 0 && !rd->zdone) {
		if (zs->avail_in == 0) {
			if (rd->mempos < rd->memlen) {
				n = rd->memlen - rd->mempos;
				if (n > UINT_MAX)
					n = UINT_MAX;
				zs->next_in = rd->mem + rd->mempos;
				zs->avail_in = (uInt)n;
				rd->mempos += n;
				continue;
			}
			if (zs->avail_out < len)
				break;		/* the error comes next call */
			return jsonl_gzip_fail(rd, "unexpected end of file",
			    errbuf, errlen);
		}
		ret = inflate(zs, Z_NO_FLUSH);
		switch (ret) {
		case Z_OK:
		case Z_BUF_ERROR:
			break;
		case Z_STREAM_END:
			/* Another member, or the end: gzread()'s rule. */
			if (jsonl_mem_is_gzip(rd, rd->mempos - zs->avail_in))
				inflateReset(zs);
			else
				rd->zdone = true;
			break;
		case Z_MEM_ERROR:
			fatalx("jsonl: out of memory (zlib)");
		case Z_DATA_ERROR:
			return jsonl_gzip_fail(rd, zs->msg != NULL ? zs->msg :
			    "compressed data error", errbuf, errlen);
		default:
			return jsonl_gzip_fail(rd,
			    "internal error: inflate stream corrupt", errbuf,
			    errlen);
		}
	}
	rd->zout += len - zs->avail_out;
	return (int)(len - zs->avail_out);
}

/* --- Reading --- */

/*
 * Read more bytes into the buffer, first moving the unconsumed ones to
 * its front and growing it, up to "max" bytes, when it is full.
 * Returns the number of bytes read, 0 at end of file, or a negative
 * errno (sticky, message in errbuf).
 */
static int
jsonl_fill(struct jsonl *rd, size_t max, char *errbuf, size_t errlen)
{
	size_t		 want;
	int		 n;

	if (rd->start > 0) {
		memmove(rd->buf, rd->buf + rd->start, rd->end - rd->start);
		rd->end -= rd->start;
		rd->scan -= rd->start;
		rd->start = 0;
	}
	if (rd->end == rd->cap && rd->cap < max) {
		rd->cap = rd->cap > max / 2 ? max : rd->cap * 2;
		rd->buf = xreallocarray(rd->buf, rd->cap, 1);
	}
	want = rd->cap - rd->end;
	if (want > INT_MAX / 2)
		want = INT_MAX / 2;
	if (want == 0)
		return 0;		/* callers check the size first */
	if (rd->gz != NULL)
		n = jsonl_read_file(rd, rd->buf + rd->end, want, errbuf,
		    errlen);
	else
		n = jsonl_read_mem(rd, rd->buf + rd->end, want, errbuf,
		    errlen);
	if (n > 0)
		rd->end += (size_t)n;
	else if (n == 0)
		rd->eof = true;
	return n;
}

/* Whether p[0..len) is only JSON whitespace. */
static bool
jsonl_blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/*
 * Read until the first non-blank byte is in the buffer and choose line
 * or array mode from it.  Nothing is consumed.
 */
static int
jsonl_start(struct jsonl *rd, char *errbuf, size_t errlen)
{
	size_t	 i = rd->start;
	int	 n;

	for (;;) {
		while (i < rd->end && jsonl_blank(rd->buf + i, 1))
			i++;
		if (i < rd->end || rd->eof)
			break;
		i -= rd->start;		/* offsets move with the fill */
		if (rd->end - rd->start >= JSONL_MAX_LINE) {
			/* Only whitespace so far: let line mode judge it. */
			i = rd->end;
			break;
		}
		if ((n = jsonl_fill(rd, JSONL_MAX_LINE + 1, errbuf, errlen)) < 0)
			return n;
		i += rd->start;
	}
	rd->started = true;
	if (i < rd->end && rd->buf[i] == '[' &&
	    (rd->flags & JSONL_NO_ARRAY) == 0) {
		rd->array = true;
		rd->apos = i + 1;
		rd->aline = 1;
		rd->alinepos = 0;	/* nothing consumed yet */
		rd->acol = 1;
	}
	return 0;
}

/* --- Lines --- */

/* Parse one line; errors here leave the reader usable. */
static int
jsonl_parse_line(struct jsonl *rd, const char *p, size_t len,
    unsigned long lineno, json_t **objp, char *errbuf, size_t errlen)
{
	json_error_t	 jerr;
	json_t		*obj;
	char		 text[JSON_ERROR_TEXT_LENGTH * 4 + 32];

	if (memchr(p, '\0', len) != NULL) {
		log_errbuf(errbuf, errlen, "%s:%lu: NUL byte in line", rd->path,
		    lineno);
		return -EINVAL;
	}
	obj = jsonl_load(p, len, rd->flags, JSON_DECODE_ANY, &jerr);
	if (obj == NULL) {
		jsonl_jansson_text(&jerr, text, sizeof(text));
		log_errbuf(errbuf, errlen, "%s:%lu:%d: %s", rd->path, lineno,
		    jerr.column, text);
		return -EINVAL;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		log_errbuf(errbuf, errlen, "%s:%lu: expected a JSON object",
		    rd->path, lineno);
		return -EINVAL;
	}
	*objp = obj;
	return 1;
}

/* jsonl_next() for JSON Lines. */
static int
jsonl_next_line(struct jsonl *rd, json_t **objp, char *errbuf,
    size_t errlen)
{
	char		 msg[512];
	const char	*line, *nl;
	size_t		 len;
	unsigned long	 lineno;
	int		 n;

	for (;;) {
		nl = memchr(rd->buf + rd->scan, '\n', rd->end - rd->scan);
		if (nl == NULL) {
			rd->scan = rd->end;
			if (rd->end - rd->start > JSONL_MAX_LINE)
				goto toolong;
			if (!rd->eof) {
				n = jsonl_fill(rd, JSONL_MAX_LINE + 1, errbuf,
				    errlen);
				if (n < 0)
					return n;
				continue;
			}
			if (rd->start == rd->end)
				return 0;
			line = rd->buf + rd->start;	/* no final newline */
			len = rd->end - rd->start;
			rd->start = rd->scan = rd->end;
		} else {
			line = rd->buf + rd->start;
			len = (size_t)(nl - line);
			if (len > JSONL_MAX_LINE)
				goto toolong;
			rd->start = rd->scan = (size_t)(nl - rd->buf) + 1;
		}
		lineno = rd->nextline++;
		if (jsonl_blank(line, len))
			continue;
		rd->line = lineno;
		n = jsonl_parse_line(rd, line, len, lineno, objp, errbuf,
		    errlen);
		if (n == 1)
			rd->count++;
		return n;
	}
 toolong:
	snprintf(msg, sizeof(msg), "%s:%lu: line longer than %u bytes",
	    rd->path, rd->nextline, JSONL_MAX_LINE);
	return jsonl_fail(rd, -EINVAL, msg, errbuf, errlen);
}

/* --- Arrays --- */

/* Move the line and column count of array mode forward to "pos". */
static void
jsonl_array_seek(struct jsonl *rd, size_t pos)
{
	for (size_t i = rd->alinepos; i < pos; i++) {
		if (rd->buf[i] == '\n') {
			rd->aline++;
			rd->acol = 1;
		} else if (((unsigned char)rd->buf[i] & 0xc0) != 0x80)
			rd->acol++;	/* count UTF-8 characters, not bytes */
	}
	rd->alinepos = pos;
}

/* Fail array mode at offset "pos" with "FILE:LINE:COL: what". */
static int
jsonl_array_fail(struct jsonl *rd, size_t pos, const char *what,
    char *errbuf, size_t errlen)
{
	char	 msg[1024];

	jsonl_array_seek(rd, pos);
	snprintf(msg, sizeof(msg), "%s:%lu:%lu: %s", rd->path, rd->aline,
	    rd->acol, what);
	return jsonl_fail(rd, -EINVAL, msg, errbuf, errlen);
}

/*
 * Read the rest of the file, check it for NUL bytes and rewrite
 * Python's tokens once for the whole array.
 */
static int
jsonl_array_load(struct jsonl *rd, char *errbuf, size_t errlen)
{
	char		 msg[512];
	const char	*nul;
	char		*rw;
	size_t		 rwlen;
	int		 n;

	/* Nothing has been consumed: the file starts at buf[0]. */
	while (!rd->eof) {
		if (rd->end > JSONL_MAX_ARRAY) {
			snprintf(msg, sizeof(msg),
			    "%s: JSON array file larger than %u bytes",
			    rd->path, JSONL_MAX_ARRAY);
			return jsonl_fail(rd, -EINVAL, msg, errbuf, errlen);
		}
		if ((n = jsonl_fill(rd, JSONL_MAX_ARRAY + 1, errbuf,
		    errlen)) < 0)
			return n;
	}
	if ((nul = memchr(rd->buf, '\0', rd->end)) != NULL) {
		jsonl_array_seek(rd, (size_t)(nul - rd->buf));
		snprintf(msg, sizeof(msg), "%s:%lu: NUL byte in line",
		    rd->path, rd->aline);
		return jsonl_fail(rd, -EINVAL, msg, errbuf, errlen);
	}
	if ((rd->flags & JSONL_PYJSON) && (rw = jsonl_pyjson_rewrite(rd->buf,
	    rd->end, &rwlen)) != NULL) {
		free(rd->buf);
		rd->buf = rw;
		rd->end = rd->cap = rwlen;
	}
	return 0;
}

/* Skip JSON whitespace from "pos" in the array buffer. */
static size_t
jsonl_array_skip(const struct jsonl *rd, size_t pos)
{
	while (pos < rd->end && jsonl_blank(rd->buf + pos, 1))
		pos++;
	return pos;
}

/* jsonl_next() for a file that is one JSON array. */
static int
jsonl_next_elem(struct jsonl *rd, json_t **objp, char *errbuf,
    size_t errlen)
{
	json_error_t	 jerr;
	json_t		*obj;
	char		 text[JSON_ERROR_TEXT_LENGTH * 4 + 32], msg[1024];
	size_t		 pos, jflags = JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY;
	unsigned long	 col, line;
	int		 r;

	if (rd->array_done)
		return 0;
	if (rd->count == 0 && (r = jsonl_array_load(rd, errbuf, errlen)) < 0)
		return r;
	pos = jsonl_array_skip(rd, rd->apos);
	if (pos == rd->end)
		return jsonl_array_fail(rd, pos,
		    "unexpected end of file in JSON array", errbuf, errlen);
	if (rd->buf[pos] == ']') {
		rd->array_done = true;
		pos = jsonl_array_skip(rd, pos + 1);
		if (pos < rd->end)
			return jsonl_array_fail(rd, pos,
			    "data after the JSON array", errbuf, errlen);
		return 0;
	}
	if (rd->count > 0) {
		if (rd->buf[pos] != ',')
			return jsonl_array_fail(rd, pos,
			    "expected ',' or ']' in JSON array", errbuf,
			    errlen);
		pos = jsonl_array_skip(rd, pos + 1);
		if (pos == rd->end)
			return jsonl_array_fail(rd, pos,
			    "unexpected end of file in JSON array", errbuf,
			    errlen);
	}
	jsonl_array_seek(rd, pos);
	line = rd->aline;
	col = rd->acol;
	if (rd->flags & JSONL_ALLOW_NUL)
		jflags |= JSON_ALLOW_NUL;
	obj = json_loadb(rd->buf + pos, rd->end - pos, jflags, &jerr);
	if (obj == NULL) {
		jsonl_jansson_text(&jerr, text, sizeof(text));
		if (jerr.line > 1) {
			line += (unsigned long)jerr.line - 1;
			col = (unsigned long)jerr.column;
		} else
			col += (unsigned long)jerr.column - 1;
		snprintf(msg, sizeof(msg), "%s:%lu:%lu: %s", rd->path, line,
		    col, text);
		return jsonl_fail(rd, -EINVAL, msg, errbuf, errlen);
	}
	/* With JSON_DISABLE_EOF_CHECK, position is the bytes consumed. */
	rd->apos = pos + (size_t)jerr.position;
	rd->line = line;
	rd->count++;
	if (!json_is_object(obj)) {
		json_decref(obj);
		log_errbuf(errbuf, errlen, "%s: expected a JSON object",
		    jsonl_where(rd));
		return -EINVAL;
	}
	*objp = obj;
	return 1;
}

/* --- Public functions --- */

/* A new reader called "name" with no source yet. */
static struct jsonl *
jsonl_new(const char *name)
{
	struct jsonl	*rd;

	rd = xcalloc(1, sizeof(*rd));
	rd->path = xstrdup(name);
	rd->cap = JSONL_CHUNK;
	rd->buf = xmalloc(rd->cap);
	rd->nextline = 1;
	return rd;
}

int
jsonl_open(const char *path, struct jsonl **rp, char *errbuf,
    size_t errlen)
{
	int	 fd;

	*rp = NULL;
	if ((fd = jsonl_openfd(path, errbuf, errlen)) < 0)
		return fd;
	return jsonl_fdopen(fd, path, rp, errbuf, errlen);
}

int
jsonl_openfd(const char *path, char *errbuf, size_t errlen)
{
	int	 fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		r = -errno;
		log_errbuf(errbuf, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	return fd;
}

int
jsonl_fdopen(int fd, const char *path, struct jsonl **rp, char *errbuf,
    size_t errlen)
{
	struct jsonl	*rd = NULL;
	struct stat	 st;
	int		 r;

	*rp = NULL;
	if (fstat(fd, &st) == -1) {
		r = -errno;
		log_errbuf(errbuf, errlen, "%s: %s", path, strerror(-r));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		r = -EISDIR;
		log_errbuf(errbuf, errlen, "%s: %s", path, strerror(-r));
		goto out;
	}
	rd = jsonl_new(path);
	if ((rd->gz = gzdopen(fd, "rb")) == NULL) {
		r = -ENOMEM;		/* its only failure with a valid mode */
		log_errbuf(errbuf, errlen, "%s: %s", path, strerror(-r));
		goto out;
	}
	fd = -1;			/* gzclose() closes it */
	gzbuffer(rd->gz, JSONL_CHUNK);
	*rp = rd;
	rd = NULL;
	r = 0;
 out:
	if (fd != -1)
		close(fd);
	jsonl_close(rd);
	return r;
}

struct jsonl *
jsonl_memopen(const char *name, const void *buf, size_t len)
{
	struct jsonl	*rd;

	rd = jsonl_new(name);
	rd->mem = buf;
	rd->memlen = len;
	if (jsonl_mem_is_gzip(rd, 0)) {
		rd->gzip = true;
		/* 16 + MAX_WBITS: a gzip wrapper, its CRC checked. */
		if (inflateInit2(&rd->zs, 16 + MAX_WBITS) != Z_OK)
			fatalx("jsonl: out of memory (zlib)");
	}
	return rd;
}

void
jsonl_set_flags(struct jsonl *rd, unsigned flags)
{
	rd->flags = flags;
}

void
jsonl_set_max_inflated(struct jsonl *rd, size_t max)
{
	rd->zmax = max;
}

/*
 * Dispatches to line or array mode once the first non-blank byte is
 * known.  A failed reader repeats its error.
 */
int
jsonl_next(struct jsonl *rd, json_t **objp, char *errbuf, size_t errlen)
{
	int	 r;

	*objp = NULL;
	if (rd->failed) {
		log_errbuf(errbuf, errlen, "%s", rd->failmsg);
		return rd->failed;
	}
	if (!rd->started && (r = jsonl_start(rd, errbuf, errlen)) < 0)
		return r;
	if (rd->array)
		return jsonl_next_elem(rd, objp, errbuf, errlen);
	return jsonl_next_line(rd, objp, errbuf, errlen);
}

off_t
jsonl_offset(const struct jsonl *rd)
{
	if (rd->gz != NULL)
		return gzoffset(rd->gz);
	if (rd->gzip)
		return (off_t)(rd->mempos - rd->zs.avail_in);
	return (off_t)rd->mempos;
}

unsigned long
jsonl_line(const struct jsonl *rd)
{
	return rd->line;
}

const char *
jsonl_where(struct jsonl *rd)
{
	free(rd->where);
	if (rd->array)
		rd->where = xasprintf("%s:%lu: element %lu", rd->path,
		    rd->line, rd->count);
	else
		rd->where = xasprintf("%s:%lu", rd->path, rd->line);
	return rd->where;
}

const char *
jsonl_path(const struct jsonl *rd)
{
	return rd->path;
}

void
jsonl_close(struct jsonl *rd)
{
	if (rd == NULL)
		return;
	if (rd->gz != NULL)
		gzclose(rd->gz);
	if (rd->gzip)
		inflateEnd(&rd->zs);
	free(rd->path);
	free(rd->buf);
	free(rd->where);
	free(rd->failmsg);
	free(rd);
}

int
jsonl_parse(const char *buf, size_t len, unsigned flags, json_t **objp,
    char *errbuf, size_t errlen)
{
	json_error_t	 jerr;
	char		 text[JSON_ERROR_TEXT_LENGTH * 4 + 32];

	*objp = NULL;
	if (memchr(buf, '\0', len) != NULL) {
		log_errbuf(errbuf, errlen, "NUL byte in JSON text");
		return -EINVAL;
	}
	if ((*objp = jsonl_load(buf, len, flags, JSON_DECODE_ANY,
	    &jerr)) == NULL) {
		jsonl_jansson_text(&jerr, text, sizeof(text));
		log_errbuf(errbuf, errlen, "line %d, column %d: %s", jerr.line,
		    jerr.column, text);
		return -EINVAL;
	}
	return 0;
}
