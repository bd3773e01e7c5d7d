/*
 * test-pool.c -- the jail pool, driven with the real jail broker
 * (verdict-jail --broker, started by brokerc_start).
 *
 *   pool_runs_jobs           jobs queued beyond the worker count all end,
 *                            each with its own verdict (passed, failed,
 *                            syntax_error), and the loop closes clean
 *   pool_retries_dead_helper a jail killed in the middle of a job is
 *                            replaced and the job runs again and passes
 *   pool_oracle_error        a job whose jail dies on every attempt ends
 *                            "error" marked oracle_error after
 *                            POOL_MAX_ATTEMPTS, never "internal" (which
 *                            would leave it out of pass@k)
 *   pool_fails_closed        a jail that cannot set itself up gives
 *                            "internal" for every job, never "failed",
 *                            and the pool gives the slot up
 *   pool_expected_once       a reference-mode problem's outputs are made
 *                            by its first job and kept in the cache
 *                            directory; a new pool judges with the kept
 *                            outputs (a planted wrong one fails the right
 *                            candidate: they are what the judge uses)
 *   pool_spec_kept           jobs of one problem after another are sent
 *                            to the judge as "same" (its spec kept):
 *                            every verdict is still the job's own, across
 *                            switches between problems and modes and a
 *                            spec equal to another but not the same
 *   pool_expected_digest     a long expected output is kept by the digest
 *                            of its text alone: a reply with that text
 *                            passes, one with an equal value of another
 *                            text passes by the rules (the output made
 *                            again), a wrong one fails
 *   pool_longest_first       with pool_longest_first(), queued jobs of
 *                            the problem whose reference took longest
 *                            (as kept with its outputs) start first, the
 *                            rest in order; without it, all in order
 *   pool_broker_lost         the broker killed in the middle of a job:
 *                            the owner is told, the job gets no verdict
 *                            until the pool is closed, then "internal";
 *                            no jail process is left
 *
 * These need root (the broker maps host uids) and build/verdict-jail
 * (or $O/verdict-jail); without them they SKIP with the reason.
 */
#include <sys/stat.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <uv.h>

#include "tests/unit/test.h"
#include "common/xmalloc.h"
#include "sandbox/expected.h"
#include "sandbox/pool.h"

struct pool_test {
	uv_loop_t	 loop;
	struct pool	*pool;
	char		 verdicts[8][32];
	bool		 oracle_error[8];
	int		 order[8];	/* when each slot's job ended: 0.. */
	int		 done;
	int		 expected;
	uv_timer_t	 killer;
	uid_t		 uid_first;	/* the broker's range */
	uid_t		 uid_last;
	pid_t		 broker;
	int		 lost;		/* pool_test_lost calls */
	struct test_proc jail[16];	/* its jail, when the broker died */
	size_t		 njail;
};

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
pool_test_done(struct sandbox_result *res, void *arg)
{
	struct pool_test *t = *(struct pool_test **)arg;
	int		 slot = (int)(intptr_t)((struct pool_test **)arg)[1];

	snprintf(t->verdicts[slot], sizeof(t->verdicts[slot]), "%s",
	    proto_verdict_name(res->verdict));
	t->oracle_error[slot] = res->oracle_error;
	t->order[slot] = t->done;
	free(arg);
	if (++t->done == t->expected && t->pool != NULL) {
		pool_close(t->pool, pool_test_closed, NULL);
		t->pool = NULL;
		if (uv_is_active((uv_handle_t *)&t->killer))
			uv_close((uv_handle_t *)&t->killer, NULL);
	}
}

/* Queue one job of "mode"; "slot" says where its verdict is recorded. */
static void
pool_test_submit_mode(struct pool_test *t, int slot, const char *mode,
    const char *program, json_t *spec)
{
	struct pool_limits lim;
	void		**arg = xcalloc(2, sizeof(*arg));

	pool_test_limits(&lim);
	arg[0] = t;
	arg[1] = (void *)(intptr_t)slot;
	pool_submit(t->pool, mode, program, spec, &lim, pool_test_done, arg);
}

/* Queue one script-mode job. */
static void
pool_test_submit(struct pool_test *t, int slot, const char *program,
    json_t *spec)
{
	pool_test_submit_mode(t, slot, "script", program, spec);
}

/* SIGKILL every process of the first worker's zygote uid. */
static void
pool_test_kill_cb(uv_timer_t *h)
{
	struct pool_test *t = h->data;

	test_procs_under(t->broker, t->uid_first, t->uid_first, SIGKILL,
	    NULL, 0);
	if (uv_timer_get_repeat(h) == 0)
		uv_close((uv_handle_t *)h, NULL);
}

/* The broker lost: unexpected, except in pool_broker_lost. */
static void
pool_test_lost(void *arg, const char *why)
{
	struct pool_test *t = arg;

	struct pool	*pool = t->pool;

	ASSERT_CONTAINS(why, "jail broker");
	t->lost++;
	t->pool = NULL;		/* closing it ends the running jobs */
	pool_close(pool, pool_test_closed, NULL);
}

/* A pool of "workers" jails whose interpreter is "python" (NULL: the
 * broker's default). */
static void
pool_test_start(struct pool_test *t, const char *jail, const char *python,
    unsigned workers)
{
	struct brokerc_opts bo;
	struct brokerc	*bc;
	char		 err[256];

	memset(t, 0, sizeof(*t));
	ASSERT_OK(uv_loop_init(&t->loop));
	memset(&bo, 0, sizeof(bo));
	bo.jail_path = jail;
	bo.workers = workers;
	bo.uid_base = BROKER_UID_BASE;
	bo.scratch_mb = 16;
	bo.python = python;
	if (brokerc_start(&bo, &bc, err, sizeof(err)) < 0)
		TEST_FAIL_AT("brokerc_start: %s", err);
	t->uid_first = brokerc_uid_first(bc);
	t->uid_last = brokerc_uid_last(bc);
	t->broker = brokerc_pid(bc);
	ASSERT_OK(pool_new(&t->loop, bc, pool_test_lost, t, &t->pool));
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
	const char	*jail = test_jail_path();
	json_t		*spec;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	pool_test_start(&t, jail, NULL, 2);
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
	const char	*jail = test_jail_path();
	json_t		*spec;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	pool_test_start(&t, jail, NULL, 1);
	spec = pool_test_spec("assert add(2, 3) == 5\n");
	t.expected = 1;
	/* Slow enough that the kill lands while the job runs. */
	pool_test_submit(&t, 0, "import time\ndef add(a, b):\n"
	    "    time.sleep(1.0)\n    return a + b\n", spec);
	json_decref(spec);
	uv_timer_init(&t.loop, &t.killer);
	t.killer.data = &t;
	uv_timer_start(&t.killer, pool_test_kill_cb, 700, 0);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "passed");
	ASSERT_EQ(t.lost, 0);
	return TEST_PASS;
}

TEST(pool_oracle_error)
{
	struct pool_test t;
	const char	*jail = test_jail_path();
	json_t		*spec;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	pool_test_start(&t, jail, NULL, 1);
	spec = pool_test_spec("assert add(2, 3) == 5\n");
	t.expected = 1;
	pool_test_submit(&t, 0, "import time\ndef add(a, b):\n"
	    "    time.sleep(1.5)\n    return a + b\n", spec);
	json_decref(spec);
	/* Kill the jail every 0.6 s: no attempt can finish. */
	uv_timer_init(&t.loop, &t.killer);
	t.killer.data = &t;
	uv_timer_start(&t.killer, pool_test_kill_cb, 600, 600);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "error");
	ASSERT(t.oracle_error[0]);
	ASSERT_EQ(t.lost, 0);
	return TEST_PASS;
}

TEST(pool_fails_closed)
{
	struct pool_test t;
	const char	*jail = test_jail_path();
	json_t		*spec;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	/* The real helper, told to use an interpreter that is not there:
	 * its setup fails after the namespaces exist. */
	pool_test_start(&t, jail, "/no/such/python", 1);
	spec = pool_test_spec("assert add(2, 3) == 5\n");
	t.expected = 2;
	pool_test_submit(&t, 0, "def add(a, b):\n    return a + b\n", spec);
	pool_test_submit(&t, 1, "def add(a, b):\n    return 0\n", spec);
	json_decref(spec);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "internal");
	ASSERT_STR_EQ(t.verdicts[1], "internal");
	ASSERT(!t.oracle_error[0] && !t.oracle_error[1]);
	ASSERT_EQ(t.lost, 0);
	return TEST_PASS;
}

/* SIGKILL the broker (we are root; verdictd could not). */
static void
pool_test_kill_broker_cb(uv_timer_t *h)
{
	struct pool_test *t = h->data;

	t->njail = test_procs_under(t->broker, t->uid_first, t->uid_last, 0,
	    t->jail, 16);
	ASSERT_OK(kill(t->broker, SIGKILL));
	uv_close((uv_handle_t *)h, NULL);
}

TEST(pool_spec_kept)
{
	struct pool_test t;
	const char	*jail = test_jail_path();
	const char	*add = "def add(a, b):\n    return a + b\n";
	const char	*sub = "def add(a, b):\n    return a - b\n";
	const char	*mul = "def mul(a, b):\n    return a * b\n";
	json_t		*a, *b, *c;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	a = json_pack("{s:s, s:s, s:s, s:i, s:[{s:[i,i]}, {s:[i,i]}]}",
	    "mode", "reference", "reference", add, "fn", "add", "atol", 0,
	    "tests", "args", 1, 2, "args", 3, 4);
	b = json_pack("{s:s, s:s, s:n, s:[{s:[i,i], s:i}]}", "mode", "call",
	    "fn", "mul", "cls", "tests", "args", 3, 4, "output", 12);
	c = json_deep_copy(a);
	/* One worker, so that each job follows the one before. */
	pool_test_start(&t, jail, NULL, 1);
	t.expected = 8;
	pool_test_submit_mode(&t, 0, "reference", add, a);
	pool_test_submit_mode(&t, 1, "reference", sub, a);
	pool_test_submit_mode(&t, 2, "call", mul, b);
	pool_test_submit_mode(&t, 3, "reference", add, a);
	pool_test_submit_mode(&t, 4, "reference",
	    "def add(a, b):\n    return a * b\n", a);
	pool_test_submit_mode(&t, 5, "reference", sub, c);
	pool_test_submit_mode(&t, 6, "reference", add, c);
	pool_test_submit_mode(&t, 7, "call", "def mul(a, b):\n    return 12\n"
	    "mul = lambda a, b: a + b\n", b);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "passed");
	ASSERT_STR_EQ(t.verdicts[1], "failed");
	ASSERT_STR_EQ(t.verdicts[2], "passed");
	ASSERT_STR_EQ(t.verdicts[3], "passed");
	ASSERT_STR_EQ(t.verdicts[4], "failed");
	ASSERT_STR_EQ(t.verdicts[5], "failed");
	ASSERT_STR_EQ(t.verdicts[6], "passed");
	ASSERT_STR_EQ(t.verdicts[7], "failed");
	json_decref(a);
	json_decref(b);
	json_decref(c);
	return TEST_PASS;
}

TEST(pool_broker_lost)
{
	struct pool_test t;
	const char	*jail = test_jail_path();
	json_t		*spec;
	int		 tries = 0;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	pool_test_start(&t, jail, NULL, 1);
	spec = pool_test_spec("assert add(2, 3) == 5\n");
	t.expected = 1;
	pool_test_submit(&t, 0, "import time\ndef add(a, b):\n"
	    "    time.sleep(1.0)\n    return a + b\n", spec);
	json_decref(spec);
	uv_timer_init(&t.loop, &t.killer);
	t.killer.data = &t;
	uv_timer_start(&t.killer, pool_test_kill_broker_cb, 700, 0);
	pool_test_finish(&t);
	/* Told once; the job ended only when the pool was closed. */
	ASSERT_EQ(t.lost, 1);
	ASSERT_EQ(t.done, 1);
	ASSERT_STR_EQ(t.verdicts[0], "internal");
	/* The jail dies with its broker (the kernel takes a moment). */
	ASSERT(t.njail >= 2 && t.njail <= 16);
	while (test_procs_alive(t.jail, t.njail) > 0 && tries++ < 300)
		poll(NULL, 0, 10);
	ASSERT_EQ(test_procs_alive(t.jail, t.njail), 0);
	return TEST_PASS;
}

/* The cache directory "dir", opened for pool_expected_dir(). */
static int
pool_test_dir(const char *dir)
{
	char	 err[256];
	bool	 made;
	int	 fd;

	if ((fd = expected_dir_open(dir, &made, err, sizeof(err))) < 0)
		TEST_FAIL_AT("expected_dir_open: %s", err);
	return fd;
}

TEST(pool_expected_once)
{
	struct pool_test t;
	const char	*jail = test_jail_path();
	const char	*right = "def add(a, b):\n    return a + b\n";
	char		 dir[64], *path, *out;
	json_t		*spec, *f, *text;
	json_error_t	 e;
	size_t		 nfiles;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	spec = json_pack("{s:s, s:s, s:s, s:i, s:[{s:[i,i]}, {s:[i,i]}]}",
	    "mode", "reference", "reference", right, "fn", "add", "atol", 0,
	    "tests", "args", 1, 2, "args", 3, 4);
	test_tmp_dir(dir, sizeof(dir));
	/* One worker: the first job makes the outputs, the next use them. */
	pool_test_start(&t, jail, NULL, 1);
	pool_expected_dir(t.pool, pool_test_dir(dir));
	t.expected = 3;
	pool_test_submit_mode(&t, 0, "reference", right, spec);
	pool_test_submit_mode(&t, 1, "reference",
	    "def add(a, b):\n    return a - b\n", spec);
	pool_test_submit_mode(&t, 2, "reference", right, spec);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "passed");
	ASSERT_STR_EQ(t.verdicts[1], "failed");
	ASSERT_STR_EQ(t.verdicts[2], "passed");

	ASSERT_NOT_NULL(path = test_dir_file(dir, ".json", &nfiles));
	ASSERT_EQ(nfiles, 1);
	ASSERT_NOT_NULL(f = json_load_file(path, 0, &e));
	ASSERT_EQ(json_equal(json_object_get(f, "spec"), spec), 1);
	ASSERT_NOT_NULL(text = json_loads(json_string_value(
	    json_object_get(f, "expected")), 0, &e));
	ASSERT_NOT_NULL(out = json_dumps(json_object_get(text, "out"),
	    JSON_COMPACT));
	ASSERT_STR_EQ(out, "[3,7]");
	free(out);
	json_decref(text);

	/* Plant wrong outputs under the same spec: a new pool uses them. */
	json_object_set_new(f, "expected",
	    json_string("{\"out\":[3,8],\"ms\":[1,1]}"));
	ASSERT_OK(json_dump_file(f, path, 0));
	json_decref(f);
	pool_test_start(&t, jail, NULL, 1);
	pool_expected_dir(t.pool, pool_test_dir(dir));
	t.expected = 1;
	pool_test_submit_mode(&t, 0, "reference", right, spec);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "failed");
	free(path);
	json_decref(spec);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(pool_expected_digest)
{
	struct pool_test t;
	const char	*jail = test_jail_path();
	const char	*sq = "def sq(n):\n    return [i * i for i in range(n)]\n";
	const char	*mul = "def mul(a, b):\n    return a * b\n";
	char		 dir[64], *path;
	json_t		*a, *b;
	size_t		 nfiles;
	struct stat	 st;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	/* 20,000 squares: 150 KiB of JSON, over RAW_MIN (64 KiB). */
	a = json_pack("{s:s, s:s, s:s, s:i, s:[{s:[i]}, {s:[i]}]}",
	    "mode", "reference", "reference", sq, "fn", "sq", "atol", 0,
	    "tests", "args", 20000, "args", 3);
	b = json_pack("{s:s, s:s, s:n, s:[{s:[i,i], s:i}]}", "mode", "call",
	    "fn", "mul", "cls", "tests", "args", 3, 4, "output", 12);
	test_tmp_dir(dir, sizeof(dir));
	/* One worker: job 2 comes after another problem's, so its judge
	 * gets the kept text, where the long output is a digest. */
	pool_test_start(&t, jail, NULL, 1);
	pool_expected_dir(t.pool, pool_test_dir(dir));
	t.expected = 5;
	pool_test_submit_mode(&t, 0, "reference", sq, a);
	pool_test_submit_mode(&t, 1, "call", mul, b);
	pool_test_submit_mode(&t, 2, "reference",
	    "def sq(n):\n    return [float(i * i) for i in range(n)]\n", a);
	pool_test_submit_mode(&t, 3, "reference",
	    "def sq(n):\n    return [i * i + (i == 7777) for i in range(n)]\n",
	    a);
	pool_test_submit_mode(&t, 4, "reference", sq, a);
	pool_test_finish(&t);
	ASSERT_STR_EQ(t.verdicts[0], "passed");
	ASSERT_STR_EQ(t.verdicts[1], "passed");
	ASSERT_STR_EQ(t.verdicts[2], "passed");
	ASSERT_STR_EQ(t.verdicts[3], "failed");
	ASSERT_STR_EQ(t.verdicts[4], "passed");
	/* The kept file holds the digest, not the 150 KiB. */
	ASSERT_NOT_NULL(path = test_dir_file(dir, ".json", &nfiles));
	ASSERT_EQ(nfiles, 1);
	ASSERT_OK(stat(path, &st));
	ASSERT(st.st_size < 4096);
	free(path);
	json_decref(a);
	json_decref(b);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(pool_longest_first)
{
	struct pool_test t;
	const char	*jail = test_jail_path();
	const char	*id = "def f(n):\n    return n\n";
	char		 dir[64];
	json_t		*quick, *slow;
	struct expected	*c;

	if (jail == NULL)
		RETURN_SKIP("needs root and a built verdict-jail");
	quick = json_pack("{s:s, s:s, s:s, s:i, s:[{s:[i]}]}", "mode",
	    "reference", "reference", id, "fn", "f", "atol", 0, "tests",
	    "args", 1);
	slow = json_pack("{s:s, s:s, s:s, s:i, s:[{s:[i]}]}", "mode",
	    "reference", "reference", id, "fn", "f", "atol", 0, "tests",
	    "args", 2);
	/* Their outputs kept, with the times a scheduler goes by. */
	test_tmp_dir(dir, sizeof(dir));
	c = expected_new(pool_test_dir(dir));
	expected_put(c, quick, xstrdup("{\"out\":[1],\"ms\":[0.1]}"), 1);
	expected_put(c, slow, xstrdup("{\"out\":[2],\"ms\":[0.1]}"), 500);
	expected_free(c);
	for (int on = 1; on >= 0; on--) {
		/* One worker, not ready before all four are queued. */
		pool_test_start(&t, jail, NULL, 1);
		pool_expected_dir(t.pool, pool_test_dir(dir));
		pool_longest_first(t.pool, on);
		t.expected = 4;
		for (int i = 0; i < 3; i++)
			pool_test_submit_mode(&t, i, "reference", id, quick);
		pool_test_submit_mode(&t, 3, "reference", id, slow);
		pool_test_finish(&t);
		for (int i = 0; i < 4; i++)
			ASSERT_STR_EQ(t.verdicts[i], "passed");
		ASSERT_EQ(t.order[3], on ? 0 : 3);
		ASSERT_EQ(t.order[0], on ? 1 : 0);
		ASSERT_EQ(t.order[2], on ? 3 : 2);
	}
	json_decref(quick);
	json_decref(slow);
	test_tmp_rm(dir);
	return TEST_PASS;
}
