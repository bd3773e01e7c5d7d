/*
 * test-service.c - the shared state of the service (daemon/service.c):
 * a config snapshot outlives a reload and a refused reload changes
 * nothing; problems are lent to callbacks, imports add to them and
 * come back at the next start; the counters, the draining flag and the
 * notify hook (new jobs; a run deleted: its queued jobs counted off, its
 * heirs told); the database named for messages (a PostgreSQL URI
 * without its password, in the log too), its backend and whether it
 * answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "daemon/service.h"
#include "tests/unit/test.h"

/* One HumanEval problem per line, task ids "T/0", "T/1", ... */
#define TEST_SERVICE_PB(id)						\
	"{\"task_id\": \"" id "\", \"prompt\": \"def f():\\n\", "	\
	"\"canonical_solution\": \"    return 1\\n\", \"test\": "	\
	"\"def check(c):\\n    assert c() == 1\\n\", "			\
	"\"entry_point\": \"f\"}\n"

/* The default config with its state in "dir" (new). */
static struct config *
service_test_config(const char *dir)
{
	struct config	*cfg = xcalloc(1, sizeof(*cfg));

	config_defaults(cfg);
	free(cfg->state_dir);
	cfg->state_dir = xstrdup(dir);
	return cfg;
}

/* A new service on "dir" serving problems T/0 and T/1. */
static struct service *
service_test_new(const char *dir)
{
	static const char body[] = TEST_SERVICE_PB("T/0")
	    TEST_SERVICE_PB("T/1");
	struct problemset *ps;
	struct service	*svc;
	char		 err[512];

	ASSERT_OK(problemset_load_mem("body", body, strlen(body), NULL, &ps,
	    err, sizeof(err)));
	ASSERT_OK(service_new(service_test_config(dir), ps, &svc));
	return svc;
}

TEST(service_config_snapshot)
{
	const struct config *a, *b, *c;
	struct service	*svc;
	struct config	*cfg;
	struct models	*m;
	char		 dir[64], err[256];

	test_tmp_dir(dir, sizeof(dir));
	svc = service_test_new(dir);
	a = service_config(svc);
	ASSERT_EQ(a->queue_limit, 1000000);

	/* A reloadable key and a cost table: new readers see them, an old
	 * snapshot does not. */
	cfg = service_test_config(dir);
	cfg->queue_limit = 5;
	ASSERT_OK(models_from_request("{\"m\": {\"tflops\": 1, "
	    "\"seconds\": 2}}", NULL, &m, err, sizeof(err)));
	ASSERT_OK(service_reload(svc, cfg, m, err, sizeof(err)));
	b = service_config(svc);
	ASSERT(a != b);
	ASSERT_EQ(b->queue_limit, 5);
	ASSERT_EQ(a->queue_limit, 1000000);
	ASSERT_NULL(service_config_models(a));
	ASSERT(service_config_models(b) == m);
	ASSERT_STR_EQ(a->state_dir, dir);
	service_config_put(a);

	/* A key that needs a restart: refused, named, nothing changes. */
	cfg = service_test_config(dir);
	cfg->queue_limit = 7;
	cfg->max_body *= 2;
	ASSERT_OK(models_from_request("{\"m\": {\"tflops\": 3, "
	    "\"seconds\": 4}}", NULL, &m, err, sizeof(err)));
	ASSERT_ERR(service_reload(svc, cfg, m, err, sizeof(err)), -EINVAL);
	ASSERT_STR_EQ(err, "max_body");
	c = service_config(svc);
	ASSERT(c == b);
	ASSERT_EQ(c->queue_limit, 5);
	ASSERT_EQ(models_find(service_config_models(c), "m")->tflops, 1);
	service_config_put(c);
	service_config_put(b);
	/* Every snapshot is freed by now or by service_free(): the
	 * sanitizer build (make check) reports a reference left over. */
	service_free(svc);
	test_tmp_rm(dir);
	return TEST_PASS;
}

/* Copies the task id of the problem lent, or "" for none. */
static void
service_test_find_cb(const struct problem *pb, void *arg)
{
	char	*id = arg;

	snprintf(id, 32, "%s", pb != NULL ? pb->task_id : "");
}

/* Counts the problems of the set lent. */
static void
service_test_count_cb(const struct problemset *ps, void *arg)
{
	*(size_t *)arg = problemset_count(ps);
}

TEST(service_problems_and_imports)
{
	static const char more[] = TEST_SERVICE_PB("T/2");
	static const char other[] = TEST_SERVICE_PB("T/3");
	static const char clash[] = TEST_SERVICE_PB("T/1");
	struct store_import imp = { "humaneval", NULL, more, sizeof(more) -
	    1 };
	struct service	*svc;
	json_t		*ids;
	bool		 same;
	char		 dir[64], err[512], id[32];
	size_t		 n = 0;

	test_tmp_dir(dir, sizeof(dir));
	svc = service_test_new(dir);
	ASSERT_EQ(service_problem_count(svc), 2);
	service_problem_find(svc, "T/1", service_test_find_cb, id);
	ASSERT_STR_EQ(id, "T/1");
	service_problem_find(svc, "T/2", service_test_find_cb, id);
	ASSERT_STR_EQ(id, "");
	service_problems(svc, service_test_count_cb, &n);
	ASSERT_EQ(n, 2);

	/* A file of another dataset is served at once; the loaded
	 * dataset's name is not taken by another file. */
	ASSERT_ERR(service_import(svc, &imp, &ids, &same, err, sizeof(err)),
	    -EEXIST);
	ASSERT_CONTAINS(err, "dataset \"humaneval\" is loaded with other "
	    "problems");
	imp.dataset = "extra";
	ASSERT_OK(service_import(svc, &imp, &ids, &same, err, sizeof(err)));
	ASSERT(!same);
	ASSERT_EQ(json_array_size(ids), 1);
	ASSERT_STR_EQ(json_string_value(json_array_get(ids, 0)),
	    "extra:T/2");
	json_decref(ids);
	service_problem_find(svc, "extra:T/2", service_test_find_cb, id);
	ASSERT_STR_EQ(id, "extra:T/2");
	/* The same file again changes nothing; another under its name is
	 * refused, and so is an id of another dataset. */
	ASSERT_OK(service_import(svc, &imp, &ids, &same, err, sizeof(err)));
	ASSERT(same);
	ASSERT_STR_EQ(json_string_value(json_array_get(ids, 0)),
	    "extra:T/2");
	json_decref(ids);
	imp.body = other;
	imp.len = strlen(other);
	ASSERT_ERR(service_import(svc, &imp, &ids, &same, err, sizeof(err)),
	    -EEXIST);
	ASSERT_CONTAINS(err, "differs at extra:T/3");
	imp.dataset = "mbpp";
	imp.body = clash;
	imp.len = strlen(clash);
	ASSERT_ERR(service_import(svc, &imp, &ids, &same, err, sizeof(err)),
	    -EEXIST);
	ASSERT_CONTAINS(err, "\"T/1\" is loaded in dataset \"humaneval\"");
	imp.format = "mbpp";
	ASSERT_ERR(service_import(svc, &imp, &ids, &same, err, sizeof(err)),
	    -EINVAL);
	ASSERT_EQ(service_problem_count(svc), 3);
	service_free(svc);

	/* The next start loads the stored import again. */
	svc = service_test_new(dir);
	ASSERT_EQ(service_problem_count(svc), 2);
	ASSERT_OK(service_load_imports(svc, 0, err, sizeof(err)));
	ASSERT_EQ(service_problem_count(svc), 3);
	service_problem_find(svc, "extra:T/2", service_test_find_cb, id);
	ASSERT_STR_EQ(id, "extra:T/2");
	service_free(svc);
	test_tmp_rm(dir);
	return TEST_PASS;
}

/* Records the runs of the last notification. */
struct service_test_notified {
	size_t		 calls;
	size_t		 deleted;	/* of calls, SERVICE_DELETED */
	int64_t		 runs[4];
	size_t		 n;
};

static void
service_test_notify_cb(void *arg, enum service_event ev,
    const int64_t *runs, size_t n)
{
	struct service_test_notified *nt = arg;

	nt->calls++;
	nt->deleted += ev == SERVICE_DELETED;
	nt->n = n;
	memcpy(nt->runs, runs, n * sizeof(*runs));
}

TEST(service_counters_and_hooks)
{
	static const int64_t runs[] = { 7, 9 };
	int64_t		 heirs[] = { 9 };
	struct store_deleted del;
	struct service_test_notified nt;
	const struct config *cfg;
	struct service	*svc;
	char		 dir[64];

	memset(&nt, 0, sizeof(nt));
	memset(&del, 0, sizeof(del));
	test_tmp_dir(dir, sizeof(dir));
	svc = service_test_new(dir);

	/* The scheduler may count a job out before its submitter counts
	 * it in: the queue reads 0, never a negative number. */
	service_queued_add(svc, -1);
	ASSERT_EQ(service_queued(svc), 0);
	service_queued_add(svc, 3);
	ASSERT_EQ(service_queued(svc), 2);
	service_running_add(svc, 2);
	service_running_add(svc, -1);
	ASSERT_EQ(service_running(svc), 1);

	ASSERT(!service_draining(svc));
	service_drain(svc);
	ASSERT(service_draining(svc));

	cfg = service_config(svc);
	ASSERT_NULL(service_config_models(cfg));
	service_config_put(cfg);
	ASSERT_NOT_NULL(service_metrics(svc));
	ASSERT_CONTAINS(service_db_path(svc), dir);

	service_notify(svc, runs, 2);	/* no hook yet: nothing happens */
	service_set_notify(svc, service_test_notify_cb, &nt);
	service_notify(svc, runs, 2);
	ASSERT_EQ(nt.calls, 1);
	ASSERT_EQ(nt.n, 2);
	ASSERT_EQ(nt.runs[0], 7);
	ASSERT_EQ(nt.runs[1], 9);
	ASSERT_EQ(nt.deleted, 0);

	/* A run deleted: its queued jobs leave the count; the hook hears
	 * of it, then of the run that got its shared jobs. */
	del.run_id = 5;
	del.queued = 1;
	del.heirs = heirs;
	del.nheirs = 1;
	service_run_deleted(svc, &del);
	ASSERT_EQ(service_queued(svc), 1);
	ASSERT_EQ(nt.calls, 3);
	ASSERT_EQ(nt.deleted, 1);
	ASSERT_EQ(nt.n, 1);
	ASSERT_EQ(nt.runs[0], 9);
	service_free(svc);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(service_database)
{
	struct problemset *ps;
	struct service	*svc;
	struct config	*cfg;
	char		 dir[64], err[512], *want, *log, *uri;
	FILE		*f;
	size_t		 n;
	int		 fd, saved;

	/* No database line: SQLite in the state directory, answering. */
	test_tmp_dir(dir, sizeof(dir));
	svc = service_test_new(dir);
	want = xasprintf("%s/verdict.db", dir);
	ASSERT_STR_EQ(service_db_path(svc), want);
	ASSERT_STR_EQ(service_db_backend(svc), "sqlite");
	ASSERT(service_db_reachable(svc));
	service_free(svc);
	free(want);

	/*
	 * A PostgreSQL URI with a password, of a server that is not there:
	 * named without the password, not reachable, and the failure to
	 * open it (logged on stderr, caught in a file here) quotes no
	 * password either.
	 */
	log = xasprintf("%s/stderr", dir);
	ASSERT((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
	fflush(stderr);
	ASSERT((saved = dup(STDERR_FILENO)) >= 0);
	ASSERT(dup2(fd, STDERR_FILENO) == STDERR_FILENO);
	close(fd);
	uri = xasprintf("postgresql://verdict:SECRET@/verdict?host=%s/none",
	    dir);
	cfg = service_test_config(dir);
	cfg->database = xstrdup(uri);
	ASSERT_OK(problemset_load_mem("body", TEST_SERVICE_PB("T/0"),
	    strlen(TEST_SERVICE_PB("T/0")), NULL, &ps, err, sizeof(err)));
	ASSERT_OK(service_new(cfg, ps, &svc));
	want = xasprintf("postgresql://verdict:***@/verdict?host=%s/none",
	    dir);
	ASSERT_STR_EQ(service_db_path(svc), want);
	ASSERT_STR_EQ(service_db_backend(svc), "postgresql");
	ASSERT(!service_db_reachable(svc));
	ASSERT_ERR(service_load_imports(svc, 0, err, sizeof(err)), -EIO);
	ASSERT(strstr(err, "SECRET") == NULL);
	service_free(svc);
	fflush(stderr);
	ASSERT(dup2(saved, STDERR_FILENO) == STDERR_FILENO);
	close(saved);
	ASSERT_NOT_NULL(f = fopen(log, "r"));
	n = fread(err, 1, sizeof(err) - 1, f);
	err[n] = '\0';
	fclose(f);
	ASSERT_CONTAINS(err, "store: ");
	if (strstr(err, "SECRET") != NULL)
		TEST_FAIL_AT("the log quotes the password: %s", err);
	free(want);
	free(uri);
	free(log);
	test_tmp_rm(dir);
	return TEST_PASS;
}
