/*
 * log.c - leveled logging to stderr.  See log.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

/* The one piece of process-wide state: set once at start-up. */
static enum log_level	 log_level = LOG_LEVEL_INFO;
static const char	*log_progname = "verdict";

void
log_init(enum log_level level, const char *progname)
{
	log_level = level;
	if (progname != NULL)
		log_progname = progname;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

/* Format one line: "prog: tag: message[: strerror]". */
static void
log_vline(const char *tag, int errnum, const char *fmt, va_list ap)
{
	char	 msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum != 0)
		fprintf(stderr, "%s: %s: %s: %s\n", log_progname, tag, msg,
		    strerror(errnum));
	else
		fprintf(stderr, "%s: %s: %s\n", log_progname, tag, msg);
}

void
log_errx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vline("error", 0, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vline("warning", saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vline("warning", 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	log_vline("info", 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_level < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vline("debug", 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vline("fatal", saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vline("fatal", 0, fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * The length of the valid UTF-8 sequence at s (len bytes left, len >= 1):
 * 2 to 4, or 0 when s[0] does not start one (ASCII, a stray continuation
 * byte, a truncated, overlong or surrogate sequence, or one past
 * U+10FFFF).
 */
static size_t
log_utf8_len(const unsigned char *s, size_t len)
{
	unsigned long	 cp, min;
	size_t		 n;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

#define LOG_UNIT_MAX	6	/* the longest escape: \u001f, \ufffd */

/*
 * Escape one unit of s (len bytes left, len >= 1) into out (not
 * NUL-terminated): one byte, or for JSON a whole UTF-8 sequence.
 * Returns the escape's length (1 to LOG_UNIT_MAX) and stores the bytes
 * of s it took in *used.  "json": log_escape_json()'s escapes, else
 * log_escape()'s.
 */
static size_t
log_escape_unit(bool json, const unsigned char *s, size_t len, char *out,
    size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 c = s[0];
	char		 esc;
	size_t		 n;

	*used = 1;
	if (!json) {
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[0] = (char)c;
			return 1;
		}
		out[0] = '\\';
		out[1] = 'x';
		out[2] = hex[c >> 4];
		out[3] = hex[c & 15];
		return 4;
	}
	/* RFC 8259, section 7: '"', '\' and U+0000..U+001F. */
	switch (c) {
	case '"':
	case '\\':
		esc = (char)c;
		break;
	case '\b':
		esc = 'b';
		break;
	case '\f':
		esc = 'f';
		break;
	case '\n':
		esc = 'n';
		break;
	case '\r':
		esc = 'r';
		break;
	case '\t':
		esc = 't';
		break;
	default:
		esc = '\0';
		break;
	}
	if (esc != '\0') {
		out[0] = '\\';
		out[1] = esc;
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	if (c >= 0x80 && (n = log_utf8_len(s, len)) > 0) {
		memcpy(out, s, n);
		*used = n;
		return n;
	}
	/* JSON text is Unicode: a byte of no character is U+FFFD. */
	if (c >= 0x80) {
		memcpy(out, "\\ufffd", 6);
		return 6;
	}
	memcpy(out, "\\u00", 4);	/* control characters and DEL */
	out[4] = hex[c >> 4];
	out[5] = hex[c & 15];
	return 6;
}

/* log_escape() and log_escape_json(): they differ only in the escapes. */
static char *
log_escape_any(bool json, char *dst, size_t dstlen, const char *src,
    size_t len)
{
	const unsigned char	*s = (const unsigned char *)src;
	char			 unit[LOG_UNIT_MAX];
	size_t			 o = 0, i, n, used, full = 0, room;

	for (i = 0; i < len; i += used)
		full += log_escape_unit(json, s + i, len - i, unit, &used);
	/* All of it, or as much as leaves room for "...". */
	room = full < dstlen ? full : (dstlen > 4 ? dstlen - 4 : 0);
	for (i = 0; i < len; i += used) {
		n = log_escape_unit(json, s + i, len - i, unit, &used);
		/* Only whole characters or whole escapes are written. */
		if (o + n > room)
			break;
		memcpy(dst + o, unit, n);
		o += n;
	}
	if (i < len && dstlen >= 4) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
}

char *
log_escape(char *dst, size_t dstlen, const char *src, size_t len)
{
	return log_escape_any(false, dst, dstlen, src, len);
}

char *
log_escape_json(char *dst, size_t dstlen, const char *src, size_t len)
{
	return log_escape_any(true, dst, dstlen, src, len);
}

void
log_errbuf(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}
