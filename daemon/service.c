/*
 * service.c - state shared by the HTTP threads and the loop.  See
 * service.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/service.h"

static void
service_store_close_cb(void *st)
{
	store_close(st);
}

int
service_init(struct service *svc, struct config *cfg, struct problemset *ps)
{
	int	 r;

	memset(svc, 0, sizeof(*svc));
	if ((r = pthread_rwlock_init(&svc->lock, NULL)) != 0)
		return -r;
	if ((r = pthread_key_create(&svc->store_key,
	    service_store_close_cb)) != 0) {
		pthread_rwlock_destroy(&svc->lock);
		return -r;
	}
	svc->cfg = cfg;
	svc->ps = ps;
	svc->db_path = xasprintf("%s/%s", cfg->state_dir, SERVICE_DB);
	svc->metrics = metrics_new();
	atomic_init(&svc->queued, 0);
	atomic_init(&svc->running, 0);
	atomic_init(&svc->draining, false);
	return 0;
}

struct store *
service_store(struct service *svc)
{
	struct store	*st;
	char		 err[512];

	if ((st = pthread_getspecific(svc->store_key)) != NULL)
		return st;
	if (store_open(svc->db_path, &st, err, sizeof(err)) < 0) {
		log_warnx("store: %s", err);
		return NULL;
	}
	if (pthread_setspecific(svc->store_key, st) != 0) {
		store_close(st);
		return NULL;
	}
	return st;
}

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

/*
 * Load a problem file of "format" from memory and merge it into svc->ps
 * (at start, alone).  Returns 0 or a negative errno with
 * "NAME:LINE: reason" in errbuf.
 */
static int
service_add_file(struct service *svc, const char *name, const char *format,
    const void *body, size_t len, char *errbuf, size_t errlen)
{
	struct problemset *more = NULL;
	int		 r;

	if ((r = problemset_load_mem(name, body, len, NULL, &more, errbuf,
	    errlen)) < 0)
		return r;
	if ((r = service_check_format(format, more, errbuf, errlen)) < 0) {
		problemset_free(more);
		return r;
	}
	return problemset_merge(svc->ps, more, errbuf, errlen);
}

struct service_import_ctx {
	struct service	*svc;
	char		*errbuf;
	size_t		 errlen;
};

static int
service_load_import_cb(int64_t id, const char *format, const void *body,
    size_t len, void *arg)
{
	struct service_import_ctx *ctx = arg;
	char		 name[64];
	size_t		 before = problemset_count(ctx->svc->ps);
	int		 r;

	snprintf(name, sizeof(name), "import %jd", (intmax_t)id);
	if ((r = service_add_file(ctx->svc, name, format, body, len,
	    ctx->errbuf, ctx->errlen)) < 0)
		return r;
	log_info("problems: %s: %zu %s problems", name,
	    problemset_count(ctx->svc->ps) - before, format);
	return 0;
}

int
service_load_imports(struct service *svc, char *errbuf, size_t errlen)
{
	struct service_import_ctx ctx = { svc, errbuf, errlen };
	struct store	*st;

	if ((st = service_store(svc)) == NULL) {
		snprintf(errbuf, errlen, "%s: cannot open", svc->db_path);
		return -EIO;
	}
	return store_import_each(st, service_load_import_cb, &ctx);
}

int
service_import(struct service *svc, const char *format, const void *body,
    size_t len, json_t **ids, char *errbuf, size_t errlen)
{
	struct store	*st;
	struct problemset *more = NULL;
	const char	*task;
	json_t		*list = NULL;
	int64_t		 id;
	int		 r;

	if ((st = service_store(svc)) == NULL) {
		snprintf(errbuf, errlen, "the store cannot be opened");
		return -EIO;
	}
	/* Parse outside the lock: a big file must not stall the readers. */
	if ((r = problemset_load_mem("body", body, len, NULL, &more, errbuf,
	    errlen)) < 0)
		return r;
	if ((r = service_check_format(format, more, errbuf, errlen)) < 0)
		goto out;

	/* Check, store, then serve: all under the lock, so nothing served
	 * is missing from the store and no id is added twice. */
	pthread_rwlock_wrlock(&svc->lock);
	list = json_array();
	for (size_t i = 0; i < problemset_count(more); i++) {
		task = problemset_at(more, i)->task_id;
		if (problemset_find(svc->ps, task) != NULL) {
			snprintf(errbuf, errlen, "task_id \"%s\" is already "
			    "loaded", task);
			r = -EEXIST;
			break;
		}
		json_array_append_new(list, json_string(task));
	}
	if (r == 0 && store_import_add(st, format, body, len, &id) < 0) {
		snprintf(errbuf, errlen, "the store failed");
		r = -EIO;
	}
	if (r == 0) {
		r = problemset_merge(svc->ps, more, errbuf, errlen);
		more = NULL;	/* stolen */
		log_info("problems: import %jd: %zu %s problems", (intmax_t)id,
		    json_array_size(list), format);
	}
	pthread_rwlock_unlock(&svc->lock);
 out:
	problemset_free(more);
	if (r == 0)
		*ids = list;
	else
		json_decref(list);
	return r;
}

int
service_reload(struct service *svc, struct config *cfg, char *errbuf,
    size_t errlen)
{
	struct config	*old;

	pthread_rwlock_wrlock(&svc->lock);
	old = svc->cfg;
	if (!config_reloadable(old, cfg, errbuf, errlen)) {
		pthread_rwlock_unlock(&svc->lock);
		config_free(cfg);
		free(cfg);
		return -EINVAL;
	}
	svc->cfg = cfg;
	pthread_rwlock_unlock(&svc->lock);
	config_free(old);
	free(old);
	return 0;
}

size_t
service_queued(struct service *svc)
{
	long	 n = atomic_load(&svc->queued);

	return n > 0 ? (size_t)n : 0;
}

void
service_fini(struct service *svc)
{
	struct store	*st;

	if ((st = pthread_getspecific(svc->store_key)) != NULL) {
		pthread_setspecific(svc->store_key, NULL);
		store_close(st);
	}
	pthread_key_delete(svc->store_key);
	pthread_rwlock_destroy(&svc->lock);
	problemset_free(svc->ps);
	config_free(svc->cfg);
	free(svc->cfg);
	metrics_free(svc->metrics);
	models_free(svc->models);
	free(svc->db_path);
	memset(svc, 0, sizeof(*svc));
}
