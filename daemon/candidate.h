/*
 * candidate.h - one candidate, from the JSON object a client wrote to
 * what the jail runs: its problem, its whole program and what is kept
 * with it.
 *
 * "verdictd serve" checks every posted item with candidate_check()
 * (api/v1.c), "verdictd eval" every line of a samples file (main/eval.c),
 * so both accept the same candidates and refuse the others for the same
 * reasons.  The fields read, in the order they are checked (the first
 * bad one is the one named):
 *   run       required, 1 to CANDIDATE_NAME_MAX of A-Z a-z 0-9 . _ -
 *   id        optional, the same and ':', not starting with "v-"
 *   model     optional, 1 to CANDIDATE_NAME_MAX bytes
 *   ranker    optional, the same
 *   task_id   required, a problem of the problem set
 *   dataset   optional, the dataset task_id is in (problemset_resolve():
 *             without it, the problem of that id, or the one dataset
 *             that holds task_id); c.task_id is then the problem's id
 *   completion, program, prompt   optional strings; a completion or a
 *             program is required (bench_program(), daemon/bench.h,
 *             joins them with the problem's prompt and suffix)
 *   sample    optional integer >= 0
 *   score     optional finite number
 *   greedy, truncated   optional booleans
 *   cost      optional object of numbers >= 0: seconds, tflops, and
 *             tokens (an integer)
 *   sanitize  optional boolean, default rules->sanitize: judge the code
 *             extracted from the text as EvalPlus does (daemon/sanitize.h)
 *             as a whole program; when that changed the text, the text
 *             as posted is kept too (c.original)
 * Null is the same as absent.  run, id, model, ranker, score, greedy,
 * truncated and cost are what the store keeps with a served candidate;
 * rules->meta says whether they are read at all ("verdictd eval" keeps
 * nothing and leaves them unread, as any field not listed).
 *
 * A refusal names the field at fault and a reason that reads after it:
 * "field 'sample': must be an integer >= 0".  Where the object was (a
 * line of a request, FILE:LINE) is the caller's to add.
 *
 * No I/O, no locks of its own: callable from any thread that may read
 * the problem set it is given.
 */
#ifndef DAEMON_CANDIDATE_H
#define DAEMON_CANDIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "daemon/problemset.h"
#include "store/store.h"

/* Longest run, candidate id, model and ranker name (bytes). */
#define CANDIDATE_NAME_MAX	128

/* What a candidate is checked against. */
struct candidate_rules {
	const struct problemset *ps;	/* task_id must name one of these */
	size_t		 max_program;	/* longest completion or program,
					   bytes; 0: only BENCH_MAX_PROGRAM,
					   on the whole program */
	bool		 meta;		/* read run, id, model, ranker,
					   score, greedy, truncated, cost */
	const char	*dataset;	/* of a candidate naming none; NULL:
					   see problemset_resolve() */
	bool		 sanitize;	/* sanitize when the candidate does
					   not say ("?sanitize=1", "eval
					   --sanitize") */
};

/* A checked candidate.  Free what it owns with candidate_clear(). */
struct candidate {
	struct store_cand c;		/* for store_add(): strings borrowed
					   from the object (NULL when absent
					   or not read), task_id from the
					   problem (whose strings the set
					   keeps while it lives, in serve
					   until the end), program below;
					   limits left zero for the caller */
	const struct problem *pb;	/* borrowed from rules->ps: valid
					   while the set is (in serve, under
					   its read lock only) */
	char		*program;	/* owned: the whole program */
};

/* Why a candidate is refused. */
struct candidate_bad {
	const char	*field;		/* the member at fault, or "" for the
					   whole object; static storage */
	char		 msg[512];	/* the reason, to read after it */
};

/*
 * Check the candidate object "o" (borrowed: cd's strings point into it,
 * so it must outlive *cd) against "rules" and build its program.
 * Returns 0 with *cd filled, or -EINVAL with the field and reason in
 * *bad and nothing in *cd to free.
 */
int	 candidate_check(const struct candidate_rules *rules, json_t *o,
	    struct candidate *cd, struct candidate_bad *bad);

/*
 * Set *bad to "field" (static storage; "" for the whole object) and the
 * reason printf() makes of "fmt" (cut to fit).  Returns -EINVAL, for
 * "return candidate_refuse(...)"; api/v1.c also says with it what is
 * wrong with a request body around the candidates.
 */
int	 candidate_refuse(struct candidate_bad *bad, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The optional members "model" and "ranker" of the object "o", as a
 * candidate or PATCH /v1/runs/{run} gives them: into *model and
 * *ranker, borrowed from o (NULL when absent or null).  Each must be a
 * string of 1 to CANDIDATE_NAME_MAX bytes without NUL.  Returns 0, or
 * -EINVAL with the field and reason in *bad.
 */
int	 candidate_labels(json_t *o, const char **model, const char **ranker,
	    struct candidate_bad *bad);

/* Free what cd owns (its program) and clear it.  Idempotent. */
void	 candidate_clear(struct candidate *cd);

/*
 * Is "s" a name of 1 to CANDIDATE_NAME_MAX characters of [A-Za-z0-9._-],
 * and ':' too when "colon"?  Run names take no colon; candidate ids do.
 */
bool	 candidate_name_ok(const char *s, bool colon);

#endif /* DAEMON_CANDIDATE_H */
