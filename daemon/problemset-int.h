/*
 * problemset-int.h - what the files of the problemset module share:
 * the state of one load, the record and spec helpers
 * (problemset-record.c) and one builder per file shape.
 *
 * problemset.c detects a file's shape from its first record and hands
 * every record to that shape's builder:
 *   problemset-humaneval.c   HumanEval, HumanEval+ OriginFmt
 *   problemset-mbpp.c        MBPP, sanitized MBPP, MBPP+ OriginFmt
 *   problemset-apps.c        APPS
 *   problemset-evalplus.c    EvalPlus inputs (HumanEvalPlus.jsonl,
 *                            MbppPlus.jsonl)
 * A builder fills a struct problem and its judge spec (the specs are
 * described at the top of problemset.c), and reports a bad field with
 * problemset_bad(), which names "FILE:LINE".
 *
 * Not for use outside daemon/problemset*.c.
 */
#ifndef DAEMON_PROBLEMSET_INT_H
#define DAEMON_PROBLEMSET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "common/jsonl.h"
#include "daemon/problemset.h"

/* MBPP's test split (Austin et al. 2021): task ids 11..510. */
#define PROBLEMSET_MBPP_TEST_FIRST	11
#define PROBLEMSET_MBPP_TEST_LAST	510

enum problemset_shape {
	PROBLEMSET_UNKNOWN = 0,
	PROBLEMSET_HUMANEVAL,		/* HumanEval, HumanEval+ OriginFmt */
	PROBLEMSET_MBPP,		/* mbpp.jsonl */
	PROBLEMSET_MBPP_SANITIZED,	/* sanitized-mbpp.json */
	PROBLEMSET_MBPP_PLUS,		/* MbppPlus-OriginFmt.jsonl */
	PROBLEMSET_APPS,		/* APPS (Hugging Face layout) */
	PROBLEMSET_HUMANEVAL_PLUS_IN,	/* HumanEvalPlus.jsonl (inputs) */
	PROBLEMSET_MBPP_PLUS_IN,	/* MbppPlus.jsonl (inputs) */
};

/* State of one load. */
struct problemset_loader {
	struct jsonl	*rd;		/* the file */
	const struct problemset_opts *opts; /* never NULL */
	enum problemset_shape shape;	/* from the first record */
	unsigned long	*lines;		/* line of each problem kept */
	char		*errbuf;	/* caller's message buffer */
	size_t		 errlen;	/* its size */
};

/* --- Builders, one per file shape --- */

/*
 * Build *p from one record "rec" (borrowed) of the loader's shape.
 * Each returns 1, 0 for a record left out (MBPP outside the test
 * split), or -EINVAL with "FILE:LINE: reason" in the loader's errbuf.
 * *p may be partly filled in every case; the caller clears it.
 */
int	 problemset_build_humaneval(struct problemset_loader *, json_t *rec,
	    struct problem *p);
int	 problemset_build_mbpp(struct problemset_loader *, json_t *rec,
	    struct problem *p);
int	 problemset_build_mbpp_sanitized(struct problemset_loader *,
	    json_t *rec, struct problem *p);
int	 problemset_build_apps(struct problemset_loader *, json_t *rec,
	    struct problem *p);
int	 problemset_build_evalplus(struct problemset_loader *, json_t *rec,
	    struct problem *p);

/* --- Errors (problemset-record.c) --- */

/*
 * Set the loader's errbuf to "FILE:LINE: message" for the current
 * record.  Returns -EINVAL.
 */
int	 problemset_bad(struct problemset_loader *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * The builders make their JSON with jansson's _nocheck calls: jansson
 * allocates through xmalloc (common/xjson.h), the text comes from
 * jansson, so it is valid UTF-8, and the keys are literals.  None fails.
 */

/* --- A record's fields (problemset-record.c) --- */

/*
 * Each reads the field "name" of the record "rec" and checks its type;
 * on error it says why with problemset_bad().  Results are borrowed
 * from rec.
 */

/* The field, or NULL after a "missing field" error. */
json_t	*problemset_field(struct problemset_loader *, json_t *rec,
	    const char *name);

/* A string, or NULL after an error. */
const char *problemset_str(struct problemset_loader *, json_t *rec,
	    const char *name);

/* A non-empty string, or NULL after an error. */
const char *problemset_name(struct problemset_loader *, json_t *rec,
	    const char *name);

/* An array of strings, or NULL after an error. */
json_t	*problemset_strarray(struct problemset_loader *, json_t *rec,
	    const char *name);

/* A non-negative integer into *vp.  Returns 0 or -EINVAL. */
int	 problemset_uint(struct problemset_loader *, json_t *rec,
	    const char *name, json_int_t *vp);

/* Whether v is a JSON string with no NUL byte in it. */
bool	 problemset_is_cstr(json_t *v);

/*
 * The strings of array "a" (checked) joined with "\n": new, with its
 * length in *lenp (the strings may hold NUL bytes).
 */
char	*problemset_join(json_t *a, size_t *lenp);

/* --- Script-mode specs (problemset-record.c) --- */

/* A new script-mode spec without tests; "entry" may be NULL. */
json_t	*problemset_script(const char *setup, const char *entry);

/* Add a test "name" running "code" to a script-mode spec. */
void	 problemset_script_test(json_t *spec, const char *name,
	    const char *code);

#endif /* DAEMON_PROBLEMSET_INT_H */
