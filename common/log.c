/*
 * log.c - leveled logging to stderr.  See log.h.
 */
#include <errno.h>
#include <stdarg.h>
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

/* Bytes that byte "c" takes once escaped. */
static size_t
log_escaped_len(unsigned char c)
{
	return (c >= 0x20 && c < 0x7f && c != '\\') ? 1 : 4;
}

char *
log_escape(char *dst, size_t dstlen, const char *src, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t		 o = 0, i, full = 0, room;

	for (i = 0; i < len; i++)
		full += log_escaped_len((unsigned char)src[i]);
	/* All of it, or as much as leaves room for "...". */
	room = full < dstlen ? full : (dstlen > 4 ? dstlen - 4 : 0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];

		/* Only whole characters or whole escapes are written. */
		if (o + log_escaped_len(c) > room)
			break;
		if (log_escaped_len(c) == 1)
			dst[o++] = (char)c;
		else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	if (i < len && dstlen >= 4) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
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
