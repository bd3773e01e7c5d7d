/*
 * problemset.c - benchmark files into problems and judge specs.  See
 * problemset.h.
 *
 * The first record's fields choose a shape (problemset_detect()); every
 * record is then read as that shape by one builder, which fills a
 * struct problem and its judge spec.  The builders, one per file shape,
 * live in problemset-<shape>.c, their helpers in problemset-record.c,
 * all behind problemset-int.h.  Problems sit in one array in file
 * order, with an open-addressing hash on task_id beside it.
 *
 * Judge specs, the JSON that the judge inside the jail runs:
 *   script     {"mode": "script", "setup": str, "entry": [str, ...],
 *               "tests": [{"name": str, "code": str}, ...]}
 *              HumanEval, HumanEval+ OriginFmt, MBPP, sanitized MBPP,
 *              MBPP+ OriginFmt.  A test passes when its code raises
 *              nothing.
 *   stdio      {"mode": "stdio", "tests": [{"input": str,
 *               "output": str}, ...]}                   APPS, no fn_name
 *   call       {"mode": "call", "fn": str, "cls": "Solution" or null,
 *               "tests": [{"args": [...], "output": any}, ...]}
 *                                                       APPS with fn_name
 *   reference  {"mode": "reference", "reference": str, "fn": str,
 *               "atol": number, "tests": [{"args": [...]}, ...]}
 *              EvalPlus HumanEvalPlus.jsonl and MbppPlus.jsonl: the
 *              expected outputs come from running "reference".  MBPP+
 *              specs add "mbpp_deserialize": "Mbpp/N": the judge must
 *              pass the inputs through EvalPlus's
 *              mbpp_deserialize_inputs() for that task (JSON has no
 *              tuples, sets or complex numbers).
 * Values only Python's json module can hold (EvalPlus's huge integers
 * and infinities) appear as {"$pyjson": "TOKEN"}; see jsonl.h.
 *
 * Sections: shapes, the set, loading.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/hash.h"
#include "common/jsonl.h"
#include "common/xmalloc.h"
#include "daemon/problemset-int.h"

struct problemset {
	struct problem	*v;		/* problems, in file order */
	size_t		 n;		/* number of problems */
	size_t		 cap;		/* allocated entries of v */
	size_t		*slots;		/* hash: index in v + 1, 0 if free */
	size_t		 nslots;	/* 0 or a power of two >= 2 * n */
};

/* --- Shapes --- */

/* Whether rec has every field named in the NULL-terminated list. */
static bool
problemset_has(json_t *rec, ...)
{
	const char	*name;
	bool		 all = true;
	va_list		 ap;

	va_start(ap, rec);
	while ((name = va_arg(ap, const char *)) != NULL)
		if (json_object_get(rec, name) == NULL)
			all = false;
	va_end(ap);
	return all;
}

/*
 * Choose the shape from the fields of the first record.  The EvalPlus
 * inputs files are told apart by MbppPlus.jsonl's "assertion" field.
 */
static int
problemset_detect(struct problemset_loader *ld, json_t *rec)
{
	const char	*key;
	json_t		*v;
	char		 list[512];
	size_t		 off = 0;
	int		 n;

	if (problemset_has(rec, "problem_id", "input_output", NULL))
		ld->shape = PROBLEMSET_APPS;
	else if (problemset_has(rec, "base_input", "plus_input", NULL))
		ld->shape = problemset_has(rec, "assertion", NULL) ?
		    PROBLEMSET_MBPP_PLUS_IN : PROBLEMSET_HUMANEVAL_PLUS_IN;
	else if (problemset_has(rec, "task_id", "prompt", "canonical_solution",
	    "test", "entry_point", NULL))
		ld->shape = PROBLEMSET_HUMANEVAL;
	else if (problemset_has(rec, "task_id", "code", "test_list",
	    "test_setup_code", NULL))
		ld->shape = PROBLEMSET_MBPP;
	else if (problemset_has(rec, "task_id", "code", "test_list",
	    "test_imports", "test", NULL))
		ld->shape = PROBLEMSET_MBPP_PLUS;
	else if (problemset_has(rec, "task_id", "code", "test_list",
	    "test_imports", NULL))
		ld->shape = PROBLEMSET_MBPP_SANITIZED;
	else {
		list[0] = '\0';
		json_object_foreach(rec, key, v) {
			n = snprintf(list + off, sizeof(list) - off, "%s%s",
			    off > 0 ? ", " : "", key);
			if (n < 0 || (size_t)n >= sizeof(list) - off) {
				snprintf(list + sizeof(list) - 5, 5, "...");
				break;
			}
			off += (size_t)n;
		}
		return problemset_bad(ld, "unknown problem shape (fields: %s)",
		    list);
	}
	return 0;
}

/*
 * Does a dataset of this name keep its files' task ids as problem ids
 * (a base benchmark's name: the ids as published)?
 */
static bool
problemset_native(const char *dataset)
{
	enum bench_id	 id;

	return bench_find(dataset, strlen(dataset), &id) == 0 &&
	    bench_get(id)->native_ids;
}

/*
 * Put *p in "dataset" (NULL: its benchmark's name) and make its id the
 * dataset's: "DATASET:TASK_ID" unless the dataset keeps task ids.
 */
static void
problemset_name_dataset(const char *dataset, struct problem *p)
{
	char	*key;

	p->dataset = xstrdup(dataset != NULL ? dataset :
	    bench_get(p->bench)->name);
	if (problemset_native(p->dataset))
		return;
	key = xasprintf("%s:%s", p->dataset, p->task_id);
	free(p->task_id);
	p->task_id = key;
}

/*
 * Build *p from one record of the file's shape.  Returns 1, 0 for a
 * record left out (outside the MBPP test split), or -EINVAL.  *p may be
 * partly filled in every case; the caller clears it.
 */
static int
problemset_build(struct problemset_loader *ld, json_t *rec,
    struct problem *p)
{
	int	 r;

	switch (ld->shape) {
	case PROBLEMSET_HUMANEVAL:
		r = problemset_build_humaneval(ld, rec, p);
		break;
	case PROBLEMSET_MBPP:
		r = problemset_build_mbpp(ld, rec, p);
		break;
	case PROBLEMSET_MBPP_SANITIZED:
	case PROBLEMSET_MBPP_PLUS:
		r = problemset_build_mbpp_sanitized(ld, rec, p);
		break;
	case PROBLEMSET_APPS:
		r = problemset_build_apps(ld, rec, p);
		break;
	case PROBLEMSET_HUMANEVAL_PLUS_IN:
	case PROBLEMSET_MBPP_PLUS_IN:
		r = problemset_build_evalplus(ld, rec, p);
		break;
	case PROBLEMSET_UNKNOWN:
	default:
		r = problemset_bad(ld, "unknown problem shape");
		break;
	}
	if (r == 1) {
		p->ntests = (unsigned)json_array_size(json_object_get(p->judge,
		    "tests"));
		if (p->ntests == 0)
			r = problemset_bad(ld, "%s has no tests", p->task_id);
	}
	if (r == 1)
		problemset_name_dataset(ld->opts->dataset, p);
	return r;
}

/* --- The set --- */

/* Free what a problem owns and zero it. */
static void
problemset_clear(struct problem *p)
{
	free(p->task_id);
	free(p->dataset);
	free(p->prompt);
	free(p->suffix);
	free(p->canonical);
	json_decref(p->judge);
	memset(p, 0, sizeof(*p));
}

/* The slot holding task_id, or the free slot where it would go. */
static size_t *
problemset_slot(const struct problemset *ps, const char *task_id)
{
	size_t	 mask = ps->nslots - 1, i;

	i = (size_t)hash_fnv1a(task_id) & mask;
	while (ps->slots[i] != 0 &&
	    strcmp(ps->v[ps->slots[i] - 1].task_id, task_id) != 0)
		i = (i + 1) & mask;
	return &ps->slots[i];
}

/* Rebuild the hash for the first ps->n problems, at most half full. */
static void
problemset_rehash(struct problemset *ps)
{
	size_t	 n = 16;

	while (n < 2 * ps->n + 2)
		n *= 2;
	free(ps->slots);
	ps->slots = xcalloc(n, sizeof(*ps->slots));
	ps->nslots = n;
	for (size_t i = 0; i < ps->n; i++)
		*problemset_slot(ps, ps->v[i].task_id) = i + 1;
}

/* Append *p (its contents are stolen) whose task_id is not in ps. */
static void
problemset_add(struct problemset *ps, struct problem *p)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 64;
		ps->v = xreallocarray(ps->v, ps->cap, sizeof(*ps->v));
	}
	ps->v[ps->n++] = *p;
	memset(p, 0, sizeof(*p));
	if (2 * ps->n + 2 > ps->nslots)
		problemset_rehash(ps);
	else
		*problemset_slot(ps, ps->v[ps->n - 1].task_id) = ps->n;
}

const struct problem *
problemset_find(const struct problemset *ps, const char *task_id)
{
	size_t	*slot;

	if (ps == NULL || task_id == NULL || ps->nslots == 0)
		return NULL;
	slot = problemset_slot(ps, task_id);
	return *slot != 0 ? &ps->v[*slot - 1] : NULL;
}

bool
problemset_dataset_ok(const char *name)
{
	size_t	 n = strlen(name);

	if (n == 0 || n > PROBLEMSET_DATASET_MAX ||
	    strchr("._+-", name[0]) != NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(name[i] >= 'a' && name[i] <= 'z') &&
		    !(name[i] >= '0' && name[i] <= '9') &&
		    strchr("._+-", name[i]) == NULL)
			return false;
	return true;
}

/* Is "key" the id a problem of "dataset" gets for "task_id"? */
static bool
problemset_is_key(const char *key, const char *dataset, const char *task_id)
{
	size_t	 n = strlen(dataset);

	if (problemset_native(dataset))
		return strcmp(key, task_id) == 0;
	return strncmp(key, dataset, n) == 0 && key[n] == ':' &&
	    strcmp(key + n + 1, task_id) == 0;
}

/* The problem of id "key" if it is in "dataset", else NULL. */
static const struct problem *
problemset_find_in(const struct problemset *ps, const char *dataset,
    const char *key)
{
	const struct problem *p = problemset_find(ps, key);

	return p != NULL && strcmp(p->dataset, dataset) == 0 ? p : NULL;
}

bool
problemset_has_dataset(const struct problemset *ps, const char *dataset)
{
	for (size_t i = 0; ps != NULL && i < ps->n; i++)
		if (strcmp(ps->v[i].dataset, dataset) == 0)
			return true;
	return false;
}

const struct problem *
problemset_resolve(const struct problemset *ps, const char *dataset,
    const char *task_id, char *errbuf, size_t errlen)
{
	const struct problem *pb = NULL, *p = NULL;
	char		*key;

	if (dataset != NULL) {
		/* Two lookups: the dataset's id for task_id, and task_id
		 * itself as one of the dataset's ids. */
		if (!problemset_native(dataset)) {
			key = xasprintf("%s:%s", dataset, task_id);
			p = problemset_find_in(ps, dataset, key);
			free(key);
		}
		pb = problemset_find_in(ps, dataset, task_id);
		if (p != NULL && pb != NULL && p != pb) {
			snprintf(errbuf, errlen, "task_id \"%.100s\" is in "
			    "datasets \"%s\" and \"%s\": say which with "
			    "'dataset'", task_id, p->dataset, pb->dataset);
			return NULL;
		}
		if (p != NULL)
			pb = p;
	} else if ((pb = problemset_find(ps, task_id)) == NULL) {
		/* A scan: exact ids are the common case. */
		for (size_t i = 0; ps != NULL && i < ps->n; i++) {
			p = &ps->v[i];
			if (!problemset_is_key(p->task_id, p->dataset,
			    task_id))
				continue;
			if (pb != NULL) {
				snprintf(errbuf, errlen, "task_id \"%.100s\" is "
				    "in datasets \"%s\" and \"%s\": say which "
				    "with 'dataset'", task_id, pb->dataset,
				    p->dataset);
				return NULL;
			}
			pb = p;
		}
	}
	if (pb == NULL && dataset != NULL &&
	    !problemset_has_dataset(ps, dataset))
		snprintf(errbuf, errlen, "unknown dataset \"%.100s\"",
		    dataset);
	else if (pb == NULL)
		snprintf(errbuf, errlen, "unknown task_id \"%.100s\"%s%.100s",
		    task_id, dataset != NULL ? " in dataset " : "",
		    dataset != NULL ? dataset : "");
	return pb;
}

const char *
problemset_dataset_id(const struct problem *pb)
{
	size_t	 n = strlen(pb->dataset);

	if (strncmp(pb->task_id, pb->dataset, n) == 0 &&
	    pb->task_id[n] == ':')
		return pb->task_id + n + 1;
	return pb->task_id;
}

/* Equal strings, either of which may be NULL. */
static bool
problemset_streq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

bool
problemset_same(const struct problem *a, const struct problem *b)
{
	return strcmp(a->task_id, b->task_id) == 0 &&
	    strcmp(a->dataset, b->dataset) == 0 && a->bench == b->bench &&
	    strcmp(a->prompt, b->prompt) == 0 &&
	    strcmp(a->suffix, b->suffix) == 0 &&
	    problemset_streq(a->canonical, b->canonical) &&
	    a->nbase == b->nbase && json_equal(a->judge, b->judge);
}

size_t
problemset_count(const struct problemset *ps)
{
	return ps->n;
}

const struct problem *
problemset_at(const struct problemset *ps, size_t i)
{
	return i < ps->n ? &ps->v[i] : NULL;
}

size_t
problemset_index(const struct problemset *ps, const struct problem *pb)
{
	return (size_t)(pb - ps->v);
}

int
problemset_merge(struct problemset *dst, struct problemset *src,
    char *errbuf, size_t errlen)
{
	int	 r = -EEXIST;

	for (size_t i = 0; i < src->n; i++) {
		if (problemset_find(dst, src->v[i].task_id) != NULL) {
			if (errbuf != NULL && errlen > 0)
				snprintf(errbuf, errlen, "duplicate task_id "
				    "'%s'", src->v[i].task_id);
			goto out;
		}
	}
	for (size_t i = 0; i < src->n; i++)
		problemset_add(dst, &src->v[i]);	/* leaves it zeroed */
	r = 0;
 out:
	problemset_free(src);
	return r;
}

void
problemset_free(struct problemset *ps)
{
	if (ps == NULL)
		return;
	for (size_t i = 0; i < ps->n; i++)
		problemset_clear(&ps->v[i]);
	free(ps->v);
	free(ps->slots);
	free(ps);
}

/* --- Loading --- */

int
problemset_load(const char *path, const struct problemset_opts *opts,
    struct problemset **psp, char *errbuf, size_t errlen)
{
	int	 fd;

	*psp = NULL;
	if ((fd = jsonl_openfd(path, errbuf, errlen)) < 0)
		return fd;
	return problemset_load_fd(fd, path, opts, psp, errbuf, errlen);
}

/*
 * Load every problem of the reader "rd" (stolen: closed here).  Returns
 * 0 and a new set in *psp, or a negative errno with "NAME:LINE: reason"
 * in errbuf.
 */
static int
problemset_read(struct jsonl *rd, const struct problemset_opts *opts,
    struct problemset **psp, char *errbuf, size_t errlen)
{
	static const struct problemset_opts defaults;
	struct problemset_loader ld;
	struct problemset	*ps = NULL;
	struct problem		 p;
	const struct problem	*dup;
	const char		*path = jsonl_path(rd);
	json_t			*rec = NULL;
	unsigned long		 nrec = 0;
	int			 r;

	*psp = NULL;
	memset(&ld, 0, sizeof(ld));
	memset(&p, 0, sizeof(p));
	ld.rd = rd;
	ld.opts = opts != NULL ? opts : &defaults;
	ld.errbuf = errbuf;
	ld.errlen = errlen;
	jsonl_set_flags(ld.rd, JSONL_PYJSON | JSONL_ALLOW_NUL);
	ps = xcalloc(1, sizeof(*ps));

	while ((r = jsonl_next(ld.rd, &rec, errbuf, errlen)) == 1) {
		if (nrec++ == 0 && (r = problemset_detect(&ld, rec)) < 0)
			goto out;
		r = problemset_build(&ld, rec, &p);
		json_decref(rec);
		rec = NULL;
		if (r < 0)
			goto out;
		if (r == 0) {
			problemset_clear(&p);
			continue;
		}
		if ((dup = problemset_find(ps, p.task_id)) != NULL) {
			r = problemset_bad(&ld, "duplicate task_id '%s' (first "
			    "on line %lu)", p.task_id, ld.lines[dup - ps->v]);
			goto out;
		}
		if (ps->n == ps->cap)	/* lines grows with ps->v */
			ld.lines = xreallocarray(ld.lines,
			    ps->cap ? ps->cap * 2 : 64, sizeof(*ld.lines));
		ld.lines[ps->n] = jsonl_line(ld.rd);
		problemset_add(ps, &p);
	}
	if (r < 0)
		goto out;
	r = -EINVAL;
	if (nrec == 0) {
		snprintf(errbuf, errlen, "%s: empty file (no records)", path);
		goto out;
	}
	if (ps->n == 0) {
		snprintf(errbuf, errlen, "%s: none of the %lu problems is in "
		    "the MBPP test split (task_id %d..%d)", path, nrec,
		    PROBLEMSET_MBPP_TEST_FIRST, PROBLEMSET_MBPP_TEST_LAST);
		goto out;
	}
	*psp = ps;
	ps = NULL;
	r = 0;
 out:
	problemset_clear(&p);
	json_decref(rec);
	jsonl_close(ld.rd);
	problemset_free(ps);
	free(ld.lines);
	return r;
}

int
problemset_load_fd(int fd, const char *path,
    const struct problemset_opts *opts, struct problemset **psp,
    char *errbuf, size_t errlen)
{
	struct jsonl	*rd;
	int		 r;

	*psp = NULL;
	if ((r = jsonl_fdopen(fd, path, &rd, errbuf, errlen)) < 0)
		return r;
	return problemset_read(rd, opts, psp, errbuf, errlen);
}

int
problemset_load_mem(const char *name, const void *buf, size_t len,
    const struct problemset_opts *opts, struct problemset **psp,
    char *errbuf, size_t errlen)
{
	struct jsonl	*rd;

	rd = jsonl_memopen(name, buf, len);
	if (opts != NULL)
		jsonl_set_max_inflated(rd, opts->max_inflated);
	return problemset_read(rd, opts, psp, errbuf, errlen);
}

int
problemset_open_files(const char *const *files, size_t nfiles,
    const char *exe_dir, char ***namesp, int **fdsp, size_t *np,
    char *errbuf, size_t errlen)
{
	static const char *const bundled[] = {
		"humaneval/HumanEval.jsonl.gz", "mbpp/mbpp.jsonl.gz"
	};
	const char	*root = "../data";
	char		*path, **names;
	size_t		 n = nfiles ? nfiles : 2;
	int		*fds, r = 0;

	if (nfiles == 0) {
		path = xasprintf("%s/%s/%s", exe_dir, root, bundled[0]);
		if (access(path, R_OK) < 0)
			root = "../share/verdict";
		free(path);
	}
	names = xcalloc(n, sizeof(*names));
	fds = xcalloc(n, sizeof(*fds));
	for (size_t i = 0; i < n; i++) {
		names[i] = nfiles ? xstrdup(files[i]) : xasprintf("%s/%s/%s",
		    exe_dir, root, bundled[i]);
		fds[i] = -1;
		if (r == 0 && (fds[i] = jsonl_openfd(names[i], errbuf,
		    errlen)) < 0)
			r = fds[i];
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++) {
			if (fds[i] >= 0)
				close(fds[i]);
			free(names[i]);
		}
		free(names);
		free(fds);
		return r;
	}
	*namesp = names;
	*fdsp = fds;
	*np = n;
	return 0;
}

int
problemset_load_fds(const char *const *names, const int *fds, size_t n,
    const struct problemset_opts *opts, struct problemset **psp,
    char *errbuf, size_t errlen)
{
	struct problemset *ps = NULL, *more;
	int		 r = 0;

	*psp = NULL;
	for (size_t i = 0; i < n; i++) {
		if (r < 0) {
			close(fds[i]);
			continue;
		}
		r = problemset_load_fd(fds[i], names[i], opts, i == 0 ? &ps :
		    &more, errbuf, errlen);
		if (r == 0 && i > 0)
			r = problemset_merge(ps, more, errbuf, errlen);
	}
	if (r < 0) {
		problemset_free(ps);
		return r;
	}
	*psp = ps;
	return 0;
}

int
problemset_load_files(const char *const *files, size_t nfiles,
    const struct problemset_opts *opts, const char *exe_dir,
    struct problemset **psp, char *errbuf, size_t errlen)
{
	char	**names;
	int	*fds, r;
	size_t	 n;

	*psp = NULL;
	if ((r = problemset_open_files(files, nfiles, exe_dir, &names, &fds,
	    &n, errbuf, errlen)) < 0)
		return r;
	r = problemset_load_fds((const char *const *)names, fds, n, opts,
	    psp, errbuf, errlen);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(fds);
	return r;
}
