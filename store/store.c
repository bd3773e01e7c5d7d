/*
 * store.c - the durable store: the store_* functions, through the
 * backend's table.  See store.h and store-int.h.
 *
 * What does not depend on the database is done here, once for every
 * backend: a batch's checks before any write, the "v-N" ids, calls that
 * have nothing to do, and freeing what the queries return.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "common/proto.h"
#include "store/store-int.h"

/* Does "target" name a PostgreSQL database (a libpq URI)? */
static bool
store_is_pg(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 ||
	    strncmp(target, "postgres://", 11) == 0;
}

int
store_open(const char *target, struct store **sp, char *errbuf,
    size_t errlen)
{
	if (store_is_pg(target))
		return pgs_open(target, sp, errbuf, errlen);
	return lite_open(target, sp, errbuf, errlen);
}

void
store_close(struct store *st)
{
	if (st != NULL)
		st->ops->close(st);
}

void
store_cand_id(char *buf, int64_t rowid, const char *ext)
{
	if (ext != NULL)
		snprintf(buf, STORE_ID_MAX + 1, "%s", ext);
	else
		snprintf(buf, STORE_ID_MAX + 1, "v-%lld", (long long)rowid);
}

int64_t
store_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
store_verdict_of(const char *name)
{
	enum proto_verdict	 v;

	if (name == NULL)
		return -1;
	return proto_verdict_parse(name, &v) == 0 ? (int)v :
	    (int)PROTO_VERDICT_INTERNAL;
}

void
store_count_verdict(const char *verdict, int64_t n, struct store_counts *c)
{
	enum proto_verdict	 v;

	if (verdict == NULL || *verdict == '\0') {
		c->pending += n;
		return;
	}
	if (strcmp(verdict, STORE_TALLY_ORACLE) == 0) {
		c->oracle_errors += n;
		return;
	}
	if (proto_verdict_parse(verdict, &v) != 0) {
		log_warnx("store: unknown verdict \"%.32s\" in tallies",
		    verdict);
		v = PROTO_VERDICT_INTERNAL;
	}
	c->verdicts[v] += n;
}

/*
 * Parse a store id "v-N" (no sign, no leading zero).  Returns the row
 * number, or 0 when "id" is not of that form.
 */
static int64_t
store_parse_vid(const char *id)
{
	const char	*p;
	int64_t		 v = 0;

	if (strncmp(id, "v-", 2) != 0 || id[2] < '1' || id[2] > '9')
		return 0;
	for (p = id + 2; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* --- Submission --- */

/* Check candidate c (index i) before the transaction. */
static int
store_add_check(const struct store_cand *c, size_t i, char *errbuf,
    size_t errlen)
{
	if (c->run == NULL || *c->run == '\0' || c->task_id == NULL ||
	    *c->task_id == '\0' || c->program == NULL) {
		log_errbuf(errbuf, errlen, "candidate %zu: no run, task_id or "
		    "program", i);
		return -EINVAL;
	}
	if (c->id == NULL)
		return 0;
	if (*c->id == '\0' || strlen(c->id) > STORE_ID_MAX) {
		log_errbuf(errbuf, errlen, "candidate %zu: id must be 1 to %d "
		    "bytes", i, STORE_ID_MAX);
		return -EINVAL;
	}
	if (strncmp(c->id, "v-", 2) == 0) {
		log_errbuf(errbuf, errlen, "candidate %zu: id \"%s\": ids "
		    "starting with \"v-\" are the store's own", i, c->id);
		return -EINVAL;
	}
	return 0;
}

int
store_add(struct store *st, const struct store_cand *c, size_t n,
    struct store_added *out, size_t *new_jobs, char *errbuf, size_t errlen)
{
	int	 r;

	*new_jobs = 0;
	for (size_t i = 0; i < n; i++) {
		if ((r = store_add_check(&c[i], i, errbuf, errlen)) < 0)
			return r;
		memset(&out[i], 0, sizeof(out[i]));
	}
	if (n == 0)
		return 0;
	return st->ops->add(st, c, n, out, new_jobs, errbuf, errlen);
}

int
store_import_add(struct store *st, const struct store_import *imp,
    int64_t *id)
{
	return st->ops->import_add(st, imp, id);
}

int
store_import_each(struct store *st, int64_t after, store_import_cb *cb,
    void *arg)
{
	return st->ops->import_each(st, after, cb, arg);
}

/* --- Runs --- */

int
store_run_update(struct store *st, const char *name, const char *model,
    const char *ranker)
{
	return st->ops->run_update(st, name, model, ranker);
}

int
store_run_delete(struct store *st, const char *name,
    struct store_deleted *out)
{
	memset(out, 0, sizeof(*out));
	return st->ops->run_delete(st, name, out);
}

void
store_heir_add(struct store_deleted *out, int64_t id)
{
	for (size_t i = 0; i < out->nheirs; i++)
		if (out->heirs[i] == id)
			return;
	out->heirs = xreallocarray(out->heirs, out->nheirs + 1,
	    sizeof(*out->heirs));
	out->heirs[out->nheirs++] = id;
}

/* --- The queue --- */

int
store_recover(struct store *st, const char *node, size_t *requeued)
{
	*requeued = 0;
	return st->ops->recover(st, node, requeued);
}

int
store_count_queued(struct store *st, size_t *n)
{
	return st->ops->count_queued(st, n);
}

int
store_queued_runs(struct store *st, int64_t **ids, size_t *n)
{
	return st->ops->queued_runs(st, ids, n);
}

int
store_claim(struct store *st, const struct store_lease *lease,
    int64_t run_id, size_t max, struct store_job *jobs, size_t *n)
{
	*n = 0;
	if (max == 0)
		return 0;
	return st->ops->claim(st, lease, run_id, max, jobs, n);
}

void
store_job_free(struct store_job *j)
{
	if (j == NULL)
		return;
	free(j->task_id);
	free(j->program);
	j->task_id = NULL;
	j->program = NULL;
}

int
store_leases(struct store *st, const struct store_lease *lease,
    int64_t **runs, size_t *nruns)
{
	*runs = NULL;
	*nruns = 0;
	return st->ops->leases(st, lease, runs, nruns);
}

int
store_release(struct store *st, const int64_t *jobs, size_t n,
    size_t *requeued)
{
	*requeued = 0;
	if (n == 0)
		return 0;
	return st->ops->release(st, jobs, n, requeued);
}

int
store_update(struct store *st, const struct store_result *done, size_t ndone)
{
	if (ndone == 0)
		return 0;
	return st->ops->update(st, done, ndone);
}

/* --- Wake-ups between nodes --- */

int
store_listen(struct store *st, int *fd)
{
	*fd = -1;
	if (st->ops->listen == NULL)
		return -ENOTSUP;
	return st->ops->listen(st, fd);
}

int
store_notes(struct store *st, store_note_cb *cb, void *arg)
{
	if (st->ops->notes == NULL)
		return -ENOTSUP;
	return st->ops->notes(st, cb, arg);
}

/* --- Queries --- */

int
store_candidate(struct store *st, const char *id, struct store_candidate *out)
{
	int64_t	 row;

	memset(out, 0, sizeof(*out));
	if ((row = store_parse_vid(id)) > 0)
		return st->ops->candidate(st, row, NULL, out);
	if (strncmp(id, "v-", 2) == 0)
		return -ENOENT;
	return st->ops->candidate(st, 0, id, out);
}

void
store_candidate_free(struct store_candidate *c)
{
	if (c == NULL)
		return;
	free(c->run);
	free(c->model);
	free(c->task_id);
	free(c->tests);
	free(c->stderr_text);
	free(c->message);
	free(c->original);
	memset(c, 0, sizeof(*c));
}

int
store_run(struct store *st, const char *name, struct store_run *out)
{
	memset(out, 0, sizeof(*out));
	return st->ops->run(st, name, out);
}

int
store_runs(struct store *st, struct store_run **runs, size_t *n)
{
	return st->ops->runs(st, runs, n);
}

void
store_run_free(struct store_run *r)
{
	if (r == NULL)
		return;
	free(r->name);
	free(r->model);
	free(r->ranker);
	memset(r, 0, sizeof(*r));
}

void
store_runs_free(struct store_run *runs, size_t n)
{
	for (size_t i = 0; i < n && runs != NULL; i++)
		store_run_free(&runs[i]);
	free(runs);
}

int
store_run_problems(struct store *st, const char *run,
    struct store_problem **probs, size_t *n)
{
	return st->ops->run_problems(st, run, probs, n);
}

void
store_problems_free(struct store_problem *probs, size_t n)
{
	for (size_t i = 0; i < n && probs != NULL; i++)
		free(probs[i].task_id);
	free(probs);
}

int
store_results(struct store *st, const char *run, int64_t after,
    size_t max, bool detail, int (*cb)(const struct store_verdict *, void *),
    void *arg, int64_t *last)
{
	return st->ops->results(st, run, false, after, max, detail, cb, arg,
	    last);
}

int
store_feed(struct store *st, const char *run, int64_t after, size_t max,
    bool detail, int (*cb)(const struct store_verdict *, void *), void *arg,
    int64_t *last)
{
	return st->ops->results(st, run, true, after, max, detail, cb, arg,
	    last);
}

int
store_run_samples(struct store *st, const char *run, char **model,
    char **ranker, int (*cb)(const struct store_sample *, void *),
    void *arg)
{
	return st->ops->run_samples(st, run, model, ranker, cb, arg);
}

char *
store_schema_section(const char *schema, const char *name)
{
	char		 mark[64];
	const char	*p, *end;

	snprintf(mark, sizeof(mark), "\n-- @%s\n", name);
	if ((p = strstr(schema, mark)) == NULL)
		return NULL;
	p += strlen(mark);
	if ((end = strstr(p, "\n-- @")) != NULL)
		end++;
	else
		end = p + strlen(p);
	return xstrndup(p, (size_t)(end - p));
}
