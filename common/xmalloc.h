/*
 * xmalloc.h - allocation that aborts on failure (tmux, OpenSSH).
 *
 * Out of memory is not an error the daemon can recover from usefully, so
 * these never return NULL.  -ENOMEM is kept for limits we impose.
 */
#ifndef COMMON_XMALLOC_H
#define COMMON_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Return new memory; abort on failure.  Sizes of 0 allocate 1 byte. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);

/* Return a new copy of the string; abort on failure. */
char	*xstrdup(const char *);

/* Return a new copy of "len" bytes plus a NUL; abort on failure. */
char	*xstrndup(const char *, size_t len);

/* asprintf that aborts on failure; returns the new string. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* vasprintf that aborts on failure; returns the new string. */
char	*xvasprintf(const char *, va_list)
	    __attribute__((format(printf, 1, 0)));

#endif /* COMMON_XMALLOC_H */
