/*
 * log.h - leveled logging to stderr (journald collects it), OpenBSD style.
 *
 * Every line carries a level tag.  Untrusted text (candidate output,
 * request bodies) must go through log_escape() first; it is never
 * logged raw.  fatal()/fatalx() exit and are only for start-up and for
 * the verdict-jail helper, never for request paths.
 */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum log_level {
	LOG_LEVEL_WARN = 0,
	LOG_LEVEL_INFO = 1,
	LOG_LEVEL_DEBUG = 2,
};

/* Set the level and the program name shown on each line. */
void	 log_init(enum log_level level, const char *progname);

/* Current level, for callers that skip costly formatting. */
enum log_level log_get_level(void);

/*
 * Log at a level; log_warn() appends ": strerror(errno)".  log_errx()
 * is for what stops the program (a start that cannot go on), tagged
 * "error", always shown; the caller then exits.
 */
void	 log_errx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Log and exit(1); fatal() appends ": strerror(errno)". */
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * Copy untrusted "src" (length "len") into "dst" (size "dstlen", at
 * least 1), NUL-terminated, with control characters, backslashes and
 * non-ASCII bytes written as \xNN.  When it does not fit, the output
 * stops at a whole character or escape and ends in "..." (when dstlen
 * is at least 4).  Returns dst.
 */
char	*log_escape(char *dst, size_t dstlen, const char *src, size_t len);

/*
 * The same for the inside of a JSON string (RFC 8259), for the few lines
 * written as JSON without jansson (verdict-jail links only libseccomp):
 * '"' and backslash are escaped with a backslash, control characters
 * as \n, \t, \r, \b, \f or \u00XX, DEL as \u007f; valid UTF-8 is kept
 * and every other byte becomes \ufffd.  Put between two quotes, the
 * result is a JSON string that reads back as "src" when src is UTF-8
 * without NUL (jansson refuses \u0000 by default).  Cut as log_escape()
 * is, at a whole character or escape, with "...".  Returns dst.
 */
char	*log_escape_json(char *dst, size_t dstlen, const char *src,
	    size_t len);

/*
 * Format an error message into errbuf (size errlen), cut to fit; a
 * NULL errbuf or a zero errlen writes nothing.  The one way modules
 * fill the errbuf of their contracts.
 */
void	 log_errbuf(char *errbuf, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif /* COMMON_LOG_H */
