/*
 * jsonl.h - read JSON Lines, gzipped or not, from a file or from memory,
 * with file:line errors.
 *
 * The benchmarks ship as JSON Lines (one object per line), usually
 * gzip-compressed; sanitized MBPP is one JSON array.  A reader hands out
 * one parsed object at a time together with its line number, so every
 * error a caller reports can name "FILE:LINE" (for a buffer in memory,
 * "NAME:LINE" with the name it was given).  Compression is detected
 * from the gzip magic bytes, not from the file name.
 *
 * Readers are not thread-safe; use one per thread.
 */
#ifndef COMMON_JSONL_H
#define COMMON_JSONL_H

#include <sys/types.h>

#include <stddef.h>
#include <jansson.h>

struct jsonl;				/* opaque */

/* Longest accepted line (bytes, decompressed). */
#define JSONL_MAX_LINE	(64u * 1024 * 1024)

/* Largest accepted file that is one JSON array (bytes, decompressed). */
#define JSONL_MAX_ARRAY	(256u * 1024 * 1024)

/*
 * Flags for jsonl_set_flags() and jsonl_parse().
 *
 * JSONL_PYJSON accepts what Python's json module writes but JSON does
 * not allow and jansson rejects: Infinity, -Infinity, NaN, integers
 * outside int64 and reals that overflow a double (EvalPlus writes all
 * of these in its test inputs).  Each such token T becomes the object
 * {"$pyjson": "T"} (JSONL_PYJSON_KEY); Python gets the value back with
 * json.loads(T), e.g. in an object_hook.  Error columns on a line that
 * held such a token may be off by the inserted text.
 *
 * JSONL_ALLOW_NUL accepts the escape \u0000 inside strings (jansson's
 * JSON_ALLOW_NUL); such strings are then no C strings, so callers that
 * take json_string_value() must compare json_string_length() with
 * strlen().  A raw NUL byte in the file is always an error.
 *
 * JSONL_NO_ARRAY reads a file whose first non-blank byte is '[' as JSON
 * Lines too (its first line is then no object, an error), for callers
 * that take JSON Lines only.  jsonl_parse() ignores it.
 */
#define JSONL_PYJSON		0x1u
#define JSONL_ALLOW_NUL		0x2u
#define JSONL_NO_ARRAY		0x4u
#define JSONL_PYJSON_KEY	"$pyjson"

/*
 * Open "path" for reading.  Returns 0 and a new reader in *rp, or a
 * negative errno (-ENOENT, -EACCES, -EISDIR, ...) with a message in
 * errbuf.  The same as jsonl_openfd() then jsonl_fdopen().
 */
int	 jsonl_open(const char *path, struct jsonl **rp, char *errbuf,
	    size_t errlen);

/*
 * Open "path" read-only (close-on-exec) for a later jsonl_fdopen(),
 * maybe in another process or as another user.  Returns the descriptor,
 * or a negative errno with "PATH: reason" in errbuf.
 */
int	 jsonl_openfd(const char *path, char *errbuf, size_t errlen);

/*
 * A reader of the open descriptor "fd" (stolen: closed by jsonl_close(),
 * or here on failure), called "name" in messages, from its current
 * offset.  Returns 0 and a new reader in *rp, or a negative errno
 * (-EISDIR, ...) with a message in errbuf.
 */
int	 jsonl_fdopen(int fd, const char *name, struct jsonl **rp,
	    char *errbuf, size_t errlen);

/*
 * A reader of the "len" bytes at "buf" (borrowed: they must stay
 * unchanged until jsonl_close()), called "name" in messages.  The bytes
 * are gzip data when they start with the gzip magic bytes, as for
 * files; then, as gzread() does, several members one after the other
 * are read as one stream, bytes after the last member that are no gzip
 * member are ignored, and data that is cut or corrupt is -EIO from
 * jsonl_next().  Returns a new reader (it cannot fail).
 */
struct jsonl *jsonl_memopen(const char *name, const void *buf, size_t len);

/*
 * Set JSONL_* flags (default 0: strict JSON).  Call before the first
 * jsonl_next(); later calls have no effect on lines already read.
 */
void	 jsonl_set_flags(struct jsonl *, unsigned flags);

/*
 * Of a jsonl_memopen() reader of gzip data: inflate at most "max" bytes
 * (default 0: no limit).  Past them jsonl_next() fails for good with
 * -EFBIG, "NAME: gzip data inflates to more than MAX bytes": a small
 * body (a gzip bomb) must not keep its reader inflating gigabytes.
 * No effect on plain data or on files.
 */
void	 jsonl_set_max_inflated(struct jsonl *, size_t max);

/*
 * Read the next non-blank line and parse it.  Returns 1 and a new
 * reference in *objp (the caller decrefs it), 0 at end of file, or
 * -EINVAL with "FILE:LINE: reason" in errbuf for a line that is not
 * valid JSON ("FILE:LINE:COLUMN: ..."), holds a NUL byte or invalid
 * UTF-8, is not an object, or is longer than JSONL_MAX_LINE; -EIO for
 * a truncated or corrupt gzip stream; another negative errno for a
 * read error.
 * If the whole file is one JSON array (its first non-blank byte is
 * '['; sanitized MBPP), its elements are returned one by one, each with
 * the line on which it starts (1 for a file on one line).
 * After a bad line the reader may go on with the next one; after any
 * other error it stays failed and repeats the error.
 */
int	 jsonl_next(struct jsonl *, json_t **objp, char *errbuf,
	    size_t errlen);

/*
 * How far the reader has read its input, in bytes: of the file as
 * stored (compressed when it is gzip; for a descriptor, counted from
 * the file's start), or of the memory buffer.  The reader reads ahead,
 * so this runs ahead of the objects returned; it is for progress.
 */
off_t	 jsonl_offset(const struct jsonl *);

/* Line number of the object last returned (1-based). */
unsigned long jsonl_line(const struct jsonl *);

/*
 * Where the object last returned was, for messages: "FILE:LINE", or
 * "FILE:LINE: element N" (1-based) when the file is one JSON array.
 * Borrowed, valid until the next call on the reader.
 */
const char *jsonl_where(struct jsonl *);

/* File name given to jsonl_open(), jsonl_fdopen() or jsonl_memopen()
 * (borrowed, valid until close). */
const char *jsonl_path(const struct jsonl *);

/* Close the reader.  jsonl_close(NULL) is a no-op. */
void	 jsonl_close(struct jsonl *);

/*
 * Parse one JSON value of any type from "len" bytes at "buf" (a JSON
 * document held in a string field, such as APPS's input_output), with
 * the JSONL_* dialect in "flags".  Returns 0 and a new reference in
 * *objp, or -EINVAL with "line L, column C: reason" in errbuf.
 */
int	 jsonl_parse(const char *buf, size_t len, unsigned flags,
	    json_t **objp, char *errbuf, size_t errlen);

#endif /* COMMON_JSONL_H */
