/*
 * expected.h - the expected outputs of reference-mode problems, computed
 * once.
 *
 * An EvalPlus inputs-only problem has no expected outputs: the judge
 * gets them by running the reference solution on every input, which for
 * the slowest problems takes longer than any candidate.  The judge does
 * that for the first job of a problem a jail runs and hands the result
 * back with the job's record ("expected", an opaque text: see
 * expected_dump in sandbox/runner/judge.py); the pool keeps it here and
 * sends it with every later job of that problem.  The text never
 * reaches a candidate: it goes to the judge's pipe only.
 *
 * Entries are keyed by the spec itself (a reference is held, so the key
 * cannot be reused by another spec) and, on disk, by the 64-bit FNV-1a
 * of the spec's canonical JSON: one file per spec, "<hash>.json" in the
 * cache directory, holding the spec, the text and the reference's time
 * over all inputs (see expected_cost).  A file is used only
 * when its spec equals the job's (json_equal), so a hash collision, a
 * stale file or a problem changed under the same task id is computed
 * again, never trusted.  Files are written to a temporary name, synced
 * and renamed: a crash leaves the old file or none.  The cache holds at
 * most EXPECTED_MAX_BYTES of text in memory (the oldest entries go
 * first; their files stay).
 *
 * Everything runs on the pool's loop thread.
 */
#ifndef SANDBOX_EXPECTED_H
#define SANDBOX_EXPECTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define EXPECTED_MAX_BYTES	((size_t)512 << 20)

struct expected;			/* opaque */

/*
 * Open the cache directory "path" (made if missing, mode 0700) for
 * expected_new(): a descriptor (close-on-exec), or -1 with the reason
 * in errbuf.  *made tells whether this call made it (its owner may then
 * give it to the user the files will be written as).
 */
int	 expected_dir_open(const char *path, bool *made, char *errbuf,
	    size_t errlen);

/*
 * A new cache, persisted in the directory open on "dirfd" (stolen:
 * closed by expected_free(); the files are reached through it alone, so
 * its parents need not be searchable) or, with -1, in memory only.
 * Never NULL.  A directory the process cannot write to is used to read
 * only (logged once).
 */
struct expected *expected_new(int dirfd);

/* Does "spec" (borrowed) need expected outputs (reference mode)? */
bool	 expected_wanted(const json_t *spec);

/*
 * The expected-outputs text of "spec" (borrowed), from memory or from
 * the cache directory, or NULL when none is known yet.  The text is the
 * cache's, valid until the next expected_put() or expected_free().
 */
const char *expected_get(struct expected *, json_t *spec);

/*
 * The reference's time over all inputs of "spec" (borrowed), in ms, as
 * kept with its text; -1 when not known (no text yet, or a file written
 * before the time was kept).
 */
int64_t	 expected_cost(struct expected *, json_t *spec);

/*
 * Keep "text" (stolen, a NUL-terminated string from a jail's record) as
 * the expected outputs of "spec" (borrowed; a reference is taken), with
 * "ms", the reference's time over all inputs (-1: unknown), in memory
 * and in the cache directory.  A spec that already has its text keeps
 * the first (the reference is deterministic on plain inputs), and
 * "text" is freed.
 */
void	 expected_put(struct expected *, json_t *spec, char *text,
	    int64_t ms);

/* Free the cache (its files stay).  NULL is a no-op. */
void	 expected_free(struct expected *);

#endif /* SANDBOX_EXPECTED_H */
