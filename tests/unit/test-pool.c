/*
 * test-pool.c -- the jail pool, driven with the real verdict-jail helper.
 *
 *   pool_runs_jobs           jobs queued beyond the worker count all end,
 *                            each with its own verdict (passed, failed,
 *                            syntax_error), and the loop closes clean
 *   pool_retries_dead_helper a helper killed in the middle of a job is
 *                            replaced and the job runs again and passes
 *   pool_oracle_error        a job whose helper dies on every attempt ends
 *                            "error" marked oracle_error after
 *                            POOL_MAX_ATTEMPTS, never "internal" (which
 *                            would leave it out of pass@k)
 *   pool_fails_closed        a helper that cannot set up its jail gives
 *                            "internal" for every job, never "failed",
 *                            and the pool gives the slot up
 *
 * These need root (the helper maps three uids) and build/verdict-jail
 * (or $O/verdict-jail); without them they SKIP with the reason.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <jansson.h>
#include <uv.h>

#include "tests/unit/test.h"
#include "common/xmalloc.h"
#include "sandbox/pool.h"

#define POOL_TEST_UID_BASE	425000

struct pool_test {
	uv_loop_t	 loop;
	struct pool	*pool;
	char		 verdicts[8][32];
	bool		 oracle_error[8];
	int		 done;
	int		 expected;
	uv_timer_t	 killer;
};

/* The helper binary, or NULL (with the reason printed) to skip. */
static const char *
pool_test_jail(void)
{
	static char	 path[512];
	const char	*o = getenv("O");

	if (geteuid() != 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/verdict-jail", o ? o : "build");
	return access(path, X_OK) == 0 ? path : NULL;
}

static json_t *
pool_test_spec(const char *test)
{
	return json_pack("{s:s, s:s, s:[s], s:[{s:s, s:s}]}", "mode",
	    "script", "setup", "", "entry", "add", "tests", "name", "check",
	    "code", test);
}

static void
pool_test_limits(struct pool_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->wall_ms = lim->cpu_ms = lim->test_ms = 3000;
	lim->mem_mb = 1024;
	lim->nproc = 16;
	lim->fsize_kb = 1024;
	lim->out_kb = 1024;
}

static void
pool_test_closed(void *arg)
{
	(void)arg;
}

static void
pool_test_done(json_t *res, void *arg)
{
	struct pool_test *t = *(struct pool_test **)arg;
	int		 slot = (int)(intptr_t)((struct pool_test **)arg)[1];

	snprintf(t->verdicts[slot], sizeof(t->verdicts[slot]), "%s",
	    json_string_value(json_object_get(res, "verdict")));
	t->oracle_error[slot] = json_is_true(json_object_get(res,
	    "oracle_error"));
	free(arg);
	if (++t->done == t->expected) {
		pool_close(t->pool, pool_test_closed, NULL);
		t->pool = NULL;
		if (uv_is_active((uv_handle_t *)&t->killer))
			uv_close((uv_handle_t *)&t->killer, NULL);
	}
}

/* Queue one job; "slot" says where its verdict is recorded. */
static void
pool_test_submit(struct pool_test *t, int slot, const char *program,
    json_t *spec)
{
	struct pool_limits lim;
	void		**arg = xcalloc(2, sizeof(*arg));

	pool_test_limits(&lim);
	arg[0] = t;
	arg[1] = (void *)(intptr_t)slot;
	pool_submit(t->pool, "script", program, spec, &lim, pool_test_done,
	    arg);
}

/* SIGKILL every process of the first worker's zygote uid. */
static void
pool_test_kill_cb(uv_timer_t *h)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[300], line[256];
	FILE		*fp;
	unsigned	 uid;

	if ((d = opendir("/proc")) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), fp) != NULL)
			if (sscanf(line, "Uid: %u", &uid) == 1 &&
			    uid == POOL_TEST_UID_BASE)
				kill(atoi(e->d_name), SIGKILL);
		fclose(fp);
	}
	closedir(d);
	if (uv_timer_get_repeat(h) == 0)
		uv_close((uv_handle_t *)h, NULL);
}

static void
pool_test_start(struct pool_test *t, const char *jail, unsigned workers)
{
	struct pool_opts po;

	memset(t, 0, sizeof(*t));
	ASSERT_OK(uv_loop_init(&t->loop));
	memset(&po, 0, sizeof(po));
	po.workers = workers;
	po.jail_path = jail;
	po.uid_base = POOL_TEST_UID_BASE;
	po.scratch_mb = 16;
	ASSERT_OK(pool_new(&t->loop, &po, &t->pool));
}

static void
pool_test_finish(struct pool_test *t)
{
	ASSERT_OK(uv_run(&t->loop, UV_RUN_DEFAULT));
	ASSERT_OK(uv_loop_close(&t->loop));
}

TEST(pool_runs_jobs)
{
	struct pool_test t;
	const char	*jail = pool_test_jail();
	json_t		*spec;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	pool_test_start(&t, jail, 2);
	spec = pool_test_spec("assert add(2, 3) == 5\n");
	t.expected = 5;
	pool_test_submit(&t, 0, "def add(a, b):\n    return a + b\n", spec);
	pool_test_submit(&t, 1, "def add(a, b):\n    return a - b\n", spec);
	pool_test_submit(&t, 2, "def add(a, b) return\n", spec);
	pool_test_submit(&t, 3, "def add(a, b):\n    return a + b\n", spec);
	pool_test_submit(&t, 4, "import sys\nsys.exit(0)\n", spec);
	ASSERT_EQ(pool_queued(t.pool) + pool_running(t.pool), 5);
	json_decref(spec);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "passed");
	ASSERT_STR_EQ(t.verdicts[1], "failed");
	ASSERT_STR_EQ(t.verdicts[2], "syntax_error");
	ASSERT_STR_EQ(t.verdicts[3], "passed");
	ASSERT_STR_EQ(t.verdicts[4], "error");
	return TEST_PASS;
}

TEST(pool_retries_dead_helper)
{
	struct pool_test t;
	const char	*jail = pool_test_jail();
	json_t		*spec;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	pool_test_start(&t, jail, 1);
	spec = pool_test_spec("assert add(2, 3) == 5\n");
	t.expected = 1;
	/* Slow enough that the kill lands while the job runs. */
	pool_test_submit(&t, 0, "import time\ndef add(a, b):\n"
	    "    time.sleep(1.0)\n    return a + b\n", spec);
	json_decref(spec);
	uv_timer_init(&t.loop, &t.killer);
	uv_timer_start(&t.killer, pool_test_kill_cb, 700, 0);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "passed");
	return TEST_PASS;
}

TEST(pool_oracle_error)
{
	struct pool_test t;
	const char	*jail = pool_test_jail();
	json_t		*spec;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	pool_test_start(&t, jail, 1);
	spec = pool_test_spec("assert add(2, 3) == 5\n");
	t.expected = 1;
	pool_test_submit(&t, 0, "import time\ndef add(a, b):\n"
	    "    time.sleep(1.5)\n    return a + b\n", spec);
	json_decref(spec);
	/* Kill the helper every 0.6 s: no attempt can finish. */
	uv_timer_init(&t.loop, &t.killer);
	uv_timer_start(&t.killer, pool_test_kill_cb, 600, 600);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "error");
	ASSERT(t.oracle_error[0]);
	return TEST_PASS;
}

TEST(pool_fails_closed)
{
	struct pool_test t;
	const char	*jail = pool_test_jail();
	char		 script[] = "/tmp/verdict-badjail.XXXXXX";
	json_t		*spec;
	FILE		*fp;
	int		 fd;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	/* The real helper, told to use an interpreter that is not there:
	 * its setup fails after the namespaces exist. */
	ASSERT((fd = mkstemp(script)) >= 0);
	ASSERT_NOT_NULL(fp = fdopen(fd, "w"));
	fprintf(fp, "#!/bin/sh\nexec %s \"$@\" --python /no/such/python\n",
	    jail);
	fclose(fp);
	ASSERT_OK(chmod(script, 0700));
	pool_test_start(&t, script, 1);
	spec = pool_test_spec("assert add(2, 3) == 5\n");
	t.expected = 2;
	pool_test_submit(&t, 0, "def add(a, b):\n    return a + b\n", spec);
	pool_test_submit(&t, 1, "def add(a, b):\n    return 0\n", spec);
	json_decref(spec);
	pool_test_finish(&t);
	unlink(script);
	ASSERT_STR_EQ(t.verdicts[0], "internal");
	ASSERT_STR_EQ(t.verdicts[1], "internal");
	ASSERT(!t.oracle_error[0] && !t.oracle_error[1]);
	return TEST_PASS;
}
