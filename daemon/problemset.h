/*
 * problemset.h - benchmark problems loaded from the benchmarks' own files.
 *
 * Recognised shapes (detected from the fields of the first record):
 *   HumanEval  task_id, prompt, canonical_solution, test, entry_point
 *              (HumanEval+ OriginFmt has the same fields)
 *   MBPP       task_id (int), text, code, test_list, test_setup_code,
 *              challenge_test_list; ids become "Mbpp/N"
 *              (sanitized MBPP: prompt, code, test_imports, test_list)
 *   MBPP+      task_id (int), code, test, test_imports, test_list
 *              (MbppPlus-OriginFmt; "test" calls the function itself)
 *   APPS       problem_id, question, solutions, input_output, difficulty,
 *              url, starter_code; ids become "APPS/N"
 *   EvalPlus   task_id, prompt, entry_point, canonical_solution,
 *              base_input, plus_input, atol (HumanEvalPlus.jsonl;
 *              MbppPlus.jsonl also has "assertion"): inputs only, the
 *              expected outputs come from running the reference
 * Each problem becomes a candidate-side program frame (prompt, suffix)
 * and a judge spec, the JSON object that the judge inside the jail runs
 * (its format is documented in sandbox/runner/common.py): "mode" is
 * "script" (HumanEval, MBPP, the OriginFmt files), "stdio" or "call"
 * (APPS without or with fn_name) or "reference" (EvalPlus inputs); the
 * exact fields are listed at the top of problemset.c.  Values that only
 * Python's json module can hold (EvalPlus's huge integers, infinities)
 * appear as {"$pyjson": "TOKEN"} (see JSONL_PYJSON in jsonl.h).
 *
 * Which MBPP problems: mbpp.jsonl and sanitized MBPP give the test split
 * (task_id 11..510) unless mbpp_all; the MBPP+ files give all of theirs.
 * HumanEval-shaped records whose test holds EvalPlus's "inputs = " or
 * "def assertion(" (HumanEval+ OriginFmt) get benchmark "humaneval+".
 *
 * Datasets: every problem belongs to a named dataset, its file's name
 * (problemset_opts.dataset) or by default its benchmark's name
 * ("humaneval", "humaneval+", "mbpp", "mbpp+", "apps").  Problem ids are
 * unique across datasets: a problem of a dataset named like a base
 * benchmark (humaneval, mbpp, apps: the ids as published) keeps its
 * file's task_id; any other dataset's problems are "DATASET:TASK_ID"
 * ("humaneval+:HumanEval/0"), so HumanEval+ sits beside HumanEval.
 * problemset_resolve() finds a sample's problem from its task_id and
 * optional dataset.
 */
#ifndef DAEMON_PROBLEMSET_H
#define DAEMON_PROBLEMSET_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "daemon/bench.h"

/*
 * One problem.  A value struct: the fields are the interface.  The
 * candidate program is prompt + completion + suffix (a whole "program"
 * supplied by a sample replaces prompt + completion).
 */
struct problem {
	char		*task_id;	/* its id: "HumanEval/0", "Mbpp/11",
					   "humaneval+:HumanEval/0" */
	char		*dataset;	/* "humaneval", "humaneval+", ... */
	enum bench_id	 bench;		/* its row in daemon/bench.h */
	char		*prompt;	/* text a completion continues, or "" */
	char		*suffix;	/* appended to the candidate, or "" */
	char		*canonical;	/* reference completion, or NULL */
	json_t		*judge;		/* judge spec (owned reference) */
	unsigned	 ntests;	/* number of tests in the spec */
	unsigned	 nbase;		/* of those, the first nbase are the
					   base tests of an EvalPlus
					   inputs-only set (base_input; the
					   rest are plus_input); 0: no split */
};

struct problemset;			/* opaque */

/* Options for loading; zero-initialised means the defaults. */
struct problemset_opts {
	bool		 mbpp_challenge; /* add challenge_test_list asserts */
	bool		 mbpp_all;	/* all 974 MBPP ids, not only 11..510 */
	const char	*dataset;	/* the problems' dataset; NULL: each
					   its benchmark's name */
	size_t		 max_inflated;	/* problemset_load_mem() of gzip
					   data: inflated bytes at most
					   (-EFBIG past them); 0: no limit */
};

/* Longest dataset name (bytes). */
#define PROBLEMSET_DATASET_MAX	64

/*
 * Is "name" a dataset name: 1 to PROBLEMSET_DATASET_MAX bytes of a-z,
 * 0-9, '.', '_', '+' and '-', starting with a letter or digit?
 */
bool	 problemset_dataset_ok(const char *name);

/*
 * Load every problem of "path" (gzipped or plain).  Returns 0 and a new
 * set in *psp, or a negative errno with "FILE:LINE: reason" in errbuf
 * (missing file, bad JSON, unknown shape, a field of the wrong type,
 * a duplicate task_id).  Nothing is returned on error.
 */
int	 problemset_load(const char *path, const struct problemset_opts *,
	    struct problemset **psp, char *errbuf, size_t errlen);

/*
 * problemset_load() of the open descriptor "fd" (stolen: closed
 * whatever happens), called "name" in messages.
 */
int	 problemset_load_fd(int fd, const char *name,
	    const struct problemset_opts *, struct problemset **psp,
	    char *errbuf, size_t errlen);

/*
 * problemset_load() of the "len" bytes at "buf" (borrowed), gzip data
 * or plain as files are (told apart by the gzip magic bytes), called
 * "name" in messages: "NAME:LINE: reason".
 */
int	 problemset_load_mem(const char *name, const void *buf, size_t len,
	    const struct problemset_opts *, struct problemset **psp,
	    char *errbuf, size_t errlen);

/*
 * Load and merge "nfiles" problem files, or, when nfiles is 0, the
 * bundled HumanEval and MBPP test split found from "exe_dir" (the
 * directory of the running binary): ../data/ in the source tree, or
 * ../share/verdict/ once installed.  Returns 0 and a new set in *psp,
 * or a negative errno with "FILE:LINE: reason" in errbuf.
 */
int	 problemset_load_files(const char *const *files, size_t nfiles,
	    const struct problemset_opts *, const char *exe_dir,
	    struct problemset **psp, char *errbuf, size_t errlen);

/*
 * The first half of problemset_load_files(): open the files it would
 * load (read-only, close-on-exec), so that another process or user can
 * load them with problemset_load_fds().  Returns 0 with *np names and
 * descriptors in new arrays (*namesp: new strings), or a negative errno
 * with "FILE: reason" in errbuf and nothing left open.
 */
int	 problemset_open_files(const char *const *files, size_t nfiles,
	    const char *exe_dir, char ***namesp, int **fdsp, size_t *np,
	    char *errbuf, size_t errlen);

/*
 * The second half: load and merge the "n" open files fds[i] (each
 * stolen: closed whatever happens), called names[i] in messages.
 * Returns 0 and a new set in *psp, or a negative errno with
 * "FILE:LINE: reason" in errbuf.
 */
int	 problemset_load_fds(const char *const *names, const int *fds,
	    size_t n, const struct problemset_opts *, struct problemset **psp,
	    char *errbuf, size_t errlen);

/*
 * Merge every problem of "src" into "dst" and free "src" (stolen).
 * Returns 0, or -EEXIST (src is still freed, dst unchanged) if a
 * task_id is in both, with the id in errbuf.
 */
int	 problemset_merge(struct problemset *dst, struct problemset *src,
	    char *errbuf, size_t errlen);

/* Problem with this task_id, or NULL (borrowed, valid until free). */
const struct problem *problemset_find(const struct problemset *,
	    const char *task_id);

/*
 * The problem a sample names by "task_id" and, when not NULL, the
 * "dataset" it targets.  With a dataset, the problem whose id is that
 * dataset's for task_id ("humaneval+" and "HumanEval/0" give
 * "humaneval+:HumanEval/0"), or whose id is task_id and whose dataset
 * it is.  Without, the problem whose id is task_id, else the one
 * problem of any dataset whose file named it task_id.  Returns it
 * (borrowed), or NULL with the reason in errbuf ("unknown dataset",
 * "unknown task_id", or a task_id that several datasets hold, naming
 * two of them).
 */
const struct problem *problemset_resolve(const struct problemset *,
	    const char *dataset, const char *task_id, char *errbuf,
	    size_t errlen);

/*
 * The problem's id within its dataset, its file's task_id: task_id
 * without the "DATASET:" prefix (borrowed from pb).
 */
const char *problemset_dataset_id(const struct problem *pb);

/*
 * Whether some problem of the set is in "dataset".  A scan of the set:
 * for telling why problemset_resolve() found nothing, not for lookups.
 */
bool	 problemset_has_dataset(const struct problemset *,
	    const char *dataset);

/*
 * Whether the two problems are the same: id, dataset, benchmark, texts
 * and judge spec (so a file imported twice is told from another).
 */
bool	 problemset_same(const struct problem *, const struct problem *);

/* Number of problems, and the i-th in file order (borrowed). */
size_t	 problemset_count(const struct problemset *);
const struct problem *problemset_at(const struct problemset *, size_t i);

/*
 * Position of "pb", a problem of this set (from problemset_find() or
 * problemset_at()), in file order: problemset_at(ps, i) == pb.
 */
size_t	 problemset_index(const struct problemset *,
	    const struct problem *pb);

/* Free the set and its problems.  problemset_free(NULL) is a no-op. */
void	 problemset_free(struct problemset *);

#endif /* DAEMON_PROBLEMSET_H */
