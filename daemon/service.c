/*
 * service.c - state shared by the HTTP threads and the loop.  See
 * service.h.
 *
 * Two locks, both taken only here: a mutex around the config pointer
 * (held for a pointer copy and a reference count), and a read-write
 * lock around the problem set (readers run their callbacks under it;
 * an import merges under the write side).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/service.h"

/*
 * A config snapshot: service_config() hands out &sc->cfg.  The cost
 * table read from the config's models path goes with it, so that a
 * reload swaps both at once and a reader's table lives as long as its
 * config.
 */
struct service_config {
	struct config	 cfg;		/* never changed once shared */
	struct models	*models;	/* owned; NULL: no cost table */
	atomic_uint	 refs;		/* the service's, and each reader's */
};

struct service {
	pthread_mutex_t	 cfg_mu;	/* guards the cfg pointer */
	struct service_config *cfg;	/* one reference */
	pthread_rwlock_t ps_lock;	/* guards ps and imports */
	struct problemset *ps;		/* owned */
	int64_t		*imports;	/* the ids of the imports in ps */
	size_t		 nimports, capimports;
	char		*db_path;	/* owned; what store_open() opens */
	char		*db_name;	/* owned; db_path for messages */
	const char	*db_backend;	/* "sqlite" or "postgresql" */
	struct metrics	*metrics;	/* owned */
	atomic_long	 queued;	/* see service_queued_add() */
	atomic_size_t	 running;	/* jobs in the jail */
	atomic_bool	 draining;	/* SIGTERM: refuse new work */
	service_notify_cb *notify;	/* set before the HTTP side starts */
	void		*notify_arg;
	pthread_key_t	 store_key;	/* this thread's struct store */
};

static void
service_store_close_cb(void *st)
{
	store_close(st);
}

/*
 * A snapshot of "cfg" (stolen: its members move, its shell is freed)
 * and "models" (stolen; may be NULL).
 */
static struct service_config *
service_config_wrap(struct config *cfg, struct models *models)
{
	struct service_config *sc = xcalloc(1, sizeof(*sc));

	sc->cfg = *cfg;
	sc->models = models;
	free(cfg);
	atomic_init(&sc->refs, 1);
	return sc;
}

int
service_new(struct config *cfg, struct problemset *ps, struct service **svcp)
{
	struct service	*svc = xcalloc(1, sizeof(*svc));
	int		 r;

	if ((r = pthread_rwlock_init(&svc->ps_lock, NULL)) != 0)
		goto fail;
	if ((r = pthread_key_create(&svc->store_key,
	    service_store_close_cb)) != 0) {
		pthread_rwlock_destroy(&svc->ps_lock);
		goto fail;
	}
	pthread_mutex_init(&svc->cfg_mu, NULL);
	if (cfg->database != NULL) {
		svc->db_path = xstrdup(cfg->database);
		svc->db_name = config_database_redact(cfg->database);
		svc->db_backend = "postgresql";
	} else {
		svc->db_path = xasprintf("%s/%s", cfg->state_dir, SERVICE_DB);
		svc->db_name = xstrdup(svc->db_path);
		svc->db_backend = "sqlite";
	}
	svc->cfg = service_config_wrap(cfg, NULL);
	svc->ps = ps;
	svc->metrics = metrics_new(svc->cfg->cfg.node_id);
	atomic_init(&svc->queued, 0);
	atomic_init(&svc->running, 0);
	atomic_init(&svc->draining, false);
	*svcp = svc;
	return 0;
 fail:
	free(svc);
	problemset_free(ps);
	config_free(cfg);
	free(cfg);
	return -r;
}

void
service_set_models(struct service *svc, struct models *models)
{
	models_free(svc->cfg->models);
	svc->cfg->models = models;
}

void
service_set_notify(struct service *svc, service_notify_cb *cb, void *arg)
{
	svc->notify = cb;
	svc->notify_arg = arg;
}

/* --- Config --- */

const struct config *
service_config(struct service *svc)
{
	struct service_config *sc;

	/* Under the mutex, the snapshot still has the service's reference:
	 * it cannot be freed between the load and the count. */
	pthread_mutex_lock(&svc->cfg_mu);
	sc = svc->cfg;
	atomic_fetch_add(&sc->refs, 1);
	pthread_mutex_unlock(&svc->cfg_mu);
	return &sc->cfg;
}

/*
 * The snapshot around "cfg".  Its last reference frees it, so const is
 * cast away here, through uintptr_t.
 */
static struct service_config *
service_config_of(const struct config *cfg)
{
	return (struct service_config *)((uintptr_t)cfg -
	    offsetof(struct service_config, cfg));
}

void
service_config_put(const struct config *cfg)
{
	struct service_config *sc = service_config_of(cfg);

	if (atomic_fetch_sub(&sc->refs, 1) == 1) {
		config_free(&sc->cfg);
		models_free(sc->models);
		free(sc);
	}
}

const struct models *
service_config_models(const struct config *cfg)
{
	return service_config_of(cfg)->models;
}

int
service_reload(struct service *svc, struct config *cfg,
    struct models *models, char *errbuf, size_t errlen)
{
	const struct config *cur = service_config(svc);
	struct service_config *old;

	if (!config_reloadable(cur, cfg, errbuf, errlen)) {
		service_config_put(cur);
		config_free(cfg);
		free(cfg);
		models_free(models);
		return -EINVAL;
	}
	service_config_put(cur);
	pthread_mutex_lock(&svc->cfg_mu);
	old = svc->cfg;
	svc->cfg = service_config_wrap(cfg, models);
	pthread_mutex_unlock(&svc->cfg_mu);
	service_config_put(&old->cfg);
	return 0;
}

/* --- Problems --- */

void
service_problem_find(struct service *svc, const char *task_id,
    service_problem_cb *cb, void *arg)
{
	pthread_rwlock_rdlock(&svc->ps_lock);
	cb(problemset_find(svc->ps, task_id), arg);
	pthread_rwlock_unlock(&svc->ps_lock);
}

void
service_problems(struct service *svc, service_problems_cb *cb, void *arg)
{
	pthread_rwlock_rdlock(&svc->ps_lock);
	cb(svc->ps, arg);
	pthread_rwlock_unlock(&svc->ps_lock);
}

size_t
service_problem_count(struct service *svc)
{
	size_t	 n;

	pthread_rwlock_rdlock(&svc->ps_lock);
	n = problemset_count(svc->ps);
	pthread_rwlock_unlock(&svc->ps_lock);
	return n;
}

/* --- Imports --- */

/* Check that every problem of "ps" is of a benchmark "format" holds. */
static int
service_check_format(const char *format, const struct problemset *ps,
    char *errbuf, size_t errlen)
{
	const struct problem *pb;
	unsigned	 fmt;

	if (bench_format_parse(format, &fmt) < 0) {
		snprintf(errbuf, errlen, "unknown format \"%.32s\" (humaneval, "
		    "mbpp, apps or evalplus)", format);
		return -EINVAL;
	}
	for (size_t i = 0; i < problemset_count(ps); i++) {
		pb = problemset_at(ps, i);
		if ((bench_get(pb->bench)->formats & fmt) == 0) {
			snprintf(errbuf, errlen, "%s is a %s problem, not %s",
			    pb->task_id, bench_get(pb->bench)->name, format);
			return -EINVAL;
		}
	}
	return 0;
}

/* The number of problems of "ps" in "dataset". */
static size_t
service_dataset_size(const struct problemset *ps, const char *dataset)
{
	size_t	 n = 0;

	for (size_t i = 0; i < problemset_count(ps); i++)
		if (strcmp(problemset_at(ps, i)->dataset, dataset) == 0)
			n++;
	return n;
}

/*
 * How a file's problems "more" meet the loaded set "ps" (under ps_lock):
 * 1 when each of its datasets is loaded with exactly these problems (the
 * same file again), 0 when none of its datasets is loaded, or -EEXIST
 * with the reason in errbuf: a dataset of that name is loaded with
 * other problems (a different file under the same name).
 */
static int
service_compare_file(const struct problemset *ps,
    const struct problemset *more, char *errbuf, size_t errlen)
{
	const struct problem *q, *old;
	const char	*ds = NULL;
	size_t		 loaded = 0, nmore = 0, same = 0;

	for (size_t i = 0; i < problemset_count(more); i++) {
		q = problemset_at(more, i);
		/* A file's problems come one dataset after the other: each
		 * dataset's sizes counted once, not once per problem. */
		if (ds == NULL || strcmp(q->dataset, ds) != 0) {
			ds = q->dataset;
			loaded = service_dataset_size(ps, ds);
			nmore = service_dataset_size(more, ds);
		}
		if (loaded == 0)
			continue;
		old = problemset_find(ps, q->task_id);
		if (old == NULL || !problemset_same(old, q) ||
		    loaded != nmore) {
			snprintf(errbuf, errlen, "dataset \"%s\" is loaded "
			    "with other problems (%zu; this file differs at "
			    "%s): post it under another name with "
			    "?dataset=NAME", q->dataset, loaded, q->task_id);
			return -EEXIST;
		}
		same++;
	}
	if (same == 0)
		return 0;
	if (same == problemset_count(more))
		return 1;
	snprintf(errbuf, errlen, "the file holds problems of loaded and of "
	    "new datasets: post each dataset's problems alone");
	return -EEXIST;
}

/*
 * Load the problem file "imp" from memory, called "name" in messages,
 * and check it against its format; gzip data inflates to at most
 * "max_inflated" bytes (0: no limit; -EFBIG past it).  Returns 0 and a
 * new set in *psp, or a negative errno with "NAME:LINE: reason" in
 * errbuf.  No lock: a big file must not stall the readers of the loaded
 * set.
 */
static int
service_parse_file(const char *name, const struct store_import *imp,
    size_t max_inflated, struct problemset **psp, char *errbuf,
    size_t errlen)
{
	struct problemset_opts opts = { .dataset = imp->dataset,
	    .max_inflated = max_inflated };
	int		 r;

	if ((r = problemset_load_mem(name, imp->body, imp->len, &opts, psp,
	    errbuf, errlen)) < 0)
		return r;
	if ((r = service_check_format(imp->format, *psp, errbuf,
	    errlen)) < 0) {
		problemset_free(*psp);
		*psp = NULL;
	}
	return r;
}

/* Is import "id" in svc->ps?  Under ps_lock. */
static bool
service_has_import(const struct service *svc, int64_t id)
{
	for (size_t i = 0; i < svc->nimports; i++)
		if (svc->imports[i] == id)
			return true;
	return false;
}

/* Import "id" is in svc->ps now.  Under the write lock of ps_lock. */
static void
service_add_import(struct service *svc, int64_t id)
{
	if (svc->nimports == svc->capimports) {
		svc->capimports = svc->capimports ? svc->capimports * 2 : 16;
		svc->imports = xreallocarray(svc->imports, svc->capimports,
		    sizeof(*svc->imports));
	}
	svc->imports[svc->nimports++] = id;
}

struct service_import_ctx {
	struct service	*svc;
	char		*errbuf;
	size_t		 errlen;
};

static int
service_load_import_cb(int64_t id, const struct store_import *imp,
    void *arg)
{
	struct service_import_ctx *ctx = arg;
	struct service	*svc = ctx->svc;
	struct problemset *more;
	char		 name[64];
	int		 r;

	snprintf(name, sizeof(name), "import %jd", (intmax_t)id);
	/* Taken once already: no limit on what it inflates to now. */
	if ((r = service_parse_file(name, imp, 0, &more, ctx->errbuf,
	    ctx->errlen)) < 0)
		return r;
	pthread_rwlock_wrlock(&svc->ps_lock);
	/* 1, loaded already: taken before, or also a file of the config. */
	r = service_has_import(svc, id) ? 1 : service_compare_file(svc->ps,
	    more, ctx->errbuf, ctx->errlen);
	if (r == 0) {
		log_info("problems: %s: %zu %s problems", name,
		    problemset_count(more), imp->format);
		r = problemset_merge(svc->ps, more, ctx->errbuf, ctx->errlen);
		more = NULL;	/* stolen */
	}
	if (r >= 0 && !service_has_import(svc, id))
		service_add_import(svc, id);
	pthread_rwlock_unlock(&svc->ps_lock);
	problemset_free(more);
	return r < 0 ? r : 0;
}

int
service_load_imports(struct service *svc, int64_t after, char *errbuf,
    size_t errlen)
{
	struct service_import_ctx ctx = { svc, errbuf, errlen };
	struct store	*st;

	if ((st = service_store(svc)) == NULL) {
		snprintf(errbuf, errlen, "%s: cannot open", svc->db_name);
		return -EIO;
	}
	if (after < 0) {
		/* After the newest import loaded. */
		after = 0;
		pthread_rwlock_rdlock(&svc->ps_lock);
		for (size_t i = 0; i < svc->nimports; i++)
			if (svc->imports[i] > after)
				after = svc->imports[i];
		pthread_rwlock_unlock(&svc->ps_lock);
	}
	return store_import_each(st, after, service_load_import_cb, &ctx);
}

int
service_import(struct service *svc, const struct store_import *imp,
    json_t **ids, bool *unchanged, char *errbuf, size_t errlen)
{
	const struct config *cfg;
	struct store	*st;
	struct problemset *more = NULL;
	const struct problem *pb;
	json_t		*list = NULL;
	size_t		 max_inflated;
	int64_t		 id;
	int		 r;

	*unchanged = false;
	if ((st = service_store(svc)) == NULL) {
		snprintf(errbuf, errlen, "the store cannot be opened");
		return -EIO;
	}
	cfg = service_config(svc);
	max_inflated = cfg->max_body > SIZE_MAX / SERVICE_IMPORT_INFLATE ?
	    SIZE_MAX : SERVICE_IMPORT_INFLATE * cfg->max_body;
	service_config_put(cfg);
	if ((r = service_parse_file("body", imp, max_inflated, &more, errbuf,
	    errlen)) < 0) {
		if (r == -EFBIG)
			snprintf(errbuf, errlen, "the gzip body inflates to "
			    "more than %zu bytes (%d times max_body): load a "
			    "file that big with \"problems = FILE\" in the "
			    "config", max_inflated, SERVICE_IMPORT_INFLATE);
		return r;
	}
	list = json_array();
	for (size_t i = 0; i < problemset_count(more); i++)
		json_array_append_new(list,
		    json_string(problemset_at(more, i)->task_id));

	/* Check, store, then serve: all under the lock, so nothing served
	 * is missing from the store and no file is taken twice. */
	pthread_rwlock_wrlock(&svc->ps_lock);
	if ((r = service_compare_file(svc->ps, more, errbuf, errlen)) == 1) {
		*unchanged = true;	/* the same file again */
		r = 0;
		goto out;
	}
	/* Ids of another dataset (two named like base benchmarks). */
	for (size_t i = 0; r == 0 && i < problemset_count(more); i++)
		if ((pb = problemset_find(svc->ps,
		    problemset_at(more, i)->task_id)) != NULL) {
			snprintf(errbuf, errlen, "task_id \"%s\" is loaded in "
			    "dataset \"%s\"", pb->task_id, pb->dataset);
			r = -EEXIST;
		}
	if (r == 0 && store_import_add(st, imp, &id) < 0) {
		snprintf(errbuf, errlen, "the store failed");
		r = -EIO;
	}
	if (r == 0) {
		r = problemset_merge(svc->ps, more, errbuf, errlen);
		more = NULL;	/* stolen */
		service_add_import(svc, id);
		log_info("problems: import %jd: %zu %s problems", (intmax_t)id,
		    json_array_size(list), imp->format);
	}
 out:
	pthread_rwlock_unlock(&svc->ps_lock);
	problemset_free(more);
	if (r == 0)
		*ids = list;
	else
		json_decref(list);
	return r;
}

/* --- Store, counters and hooks --- */

/*
 * Replace the database's own name (a URI may hold a password) by its
 * name for messages wherever it appears in the message "msg" (a buffer
 * of "len" bytes): whatever a backend quotes, the log gets no password.
 */
static void
service_scrub(struct service *svc, char *msg, size_t len)
{
	char	*p, *out;
	size_t	 from = 0;

	if (strcmp(svc->db_path, svc->db_name) == 0)
		return;
	/* From past each replacement: the name may contain the URI. */
	while (from < strlen(msg) &&
	    (p = strstr(msg + from, svc->db_path)) != NULL) {
		out = xasprintf("%.*s%s%s", (int)(p - msg), msg, svc->db_name,
		    p + strlen(svc->db_path));
		from = (size_t)(p - msg) + strlen(svc->db_name);
		snprintf(msg, len, "%s", out);
		free(out);
	}
}

struct store *
service_store(struct service *svc)
{
	struct store	*st;
	char		 err[512];

	if ((st = pthread_getspecific(svc->store_key)) != NULL)
		return st;
	if (store_open(svc->db_path, &st, err, sizeof(err)) < 0) {
		service_scrub(svc, err, sizeof(err));
		log_warnx("store: %s", err);
		return NULL;
	}
	if (pthread_setspecific(svc->store_key, st) != 0) {
		store_close(st);
		return NULL;
	}
	return st;
}

const char *
service_db_path(struct service *svc)
{
	return svc->db_name;
}

const char *
service_db_backend(struct service *svc)
{
	return svc->db_backend;
}

bool
service_db_reachable(struct service *svc)
{
	struct store	*st;
	size_t		 n;

	/* The queue's length is one row, a read that costs next to
	 * nothing on either backend. */
	return (st = service_store(svc)) != NULL &&
	    store_count_queued(st, &n) == 0;
}

struct metrics *
service_metrics(struct service *svc)
{
	return svc->metrics;
}

void
service_queued_add(struct service *svc, long delta)
{
	atomic_fetch_add(&svc->queued, delta);
}

size_t
service_queued(struct service *svc)
{
	long	 n = atomic_load(&svc->queued);

	return n > 0 ? (size_t)n : 0;
}

void
service_running_add(struct service *svc, long delta)
{
	/* Unsigned arithmetic wraps: adding (size_t)-1 subtracts 1. */
	atomic_fetch_add(&svc->running, (size_t)delta);
}

size_t
service_running(struct service *svc)
{
	return atomic_load(&svc->running);
}

void
service_drain(struct service *svc)
{
	atomic_store(&svc->draining, true);
}

bool
service_draining(struct service *svc)
{
	return atomic_load(&svc->draining);
}

void
service_notify(struct service *svc, const int64_t *runs, size_t n)
{
	if (svc->notify != NULL)
		svc->notify(svc->notify_arg, SERVICE_QUEUED, runs, n);
}

void
service_run_deleted(struct service *svc, const struct store_deleted *del)
{
	service_queued_add(svc, -(long)del->queued);
	if (svc->notify == NULL)
		return;
	svc->notify(svc->notify_arg, SERVICE_DELETED, &del->run_id, 1);
	if (del->nheirs > 0)
		svc->notify(svc->notify_arg, SERVICE_QUEUED, del->heirs,
		    del->nheirs);
}

void
service_free(struct service *svc)
{
	struct store	*st;

	if ((st = pthread_getspecific(svc->store_key)) != NULL) {
		pthread_setspecific(svc->store_key, NULL);
		store_close(st);
	}
	pthread_key_delete(svc->store_key);
	pthread_rwlock_destroy(&svc->ps_lock);
	pthread_mutex_destroy(&svc->cfg_mu);
	problemset_free(svc->ps);
	free(svc->imports);
	service_config_put(&svc->cfg->cfg);
	metrics_free(svc->metrics);
	free(svc->db_path);
	free(svc->db_name);
	free(svc);
}
