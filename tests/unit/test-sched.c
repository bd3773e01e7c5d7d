/*
 * test-sched.c - the scheduler (daemon/sched.c) on a fake pool: the
 * jobs it submits are recorded, and the test finishes them by hand, in
 * the order it chooses, with the verdict it chooses.  The store is a
 * real SQLite database in a fresh temp directory, the problems the
 * bundled HumanEval.
 *
 *   sched_round_robin        runs take turns, one job each, in the order
 *                            they got work; a run notified later joins
 *                            the ring after the others; a run with no
 *                            more work leaves it: with a window of one
 *                            the pool sees a0 b0 a1 b1 c0 a2 c1 a3, and
 *                            every verdict is stored and reported once
 *   sched_forgets_deleted_run  a run deleted while its job runs leaves
 *                            the ring: none of its other jobs reach the
 *                            pool, the one running finishes (its result
 *                            dropped by the store), and the job another
 *                            run shares is judged as that run's
 *   sched_window             no more than "window" jobs in the pool;
 *                            each finished job lets exactly one more in
 *   sched_drain_waits        a drain submits nothing more (not even for
 *                            a run notified then), and calls "drained"
 *                            only when the jobs in the pool have
 *                            finished and their verdicts are stored;
 *                            the rest stay queued in the store
 *   sched_drain_grace        jobs still in the pool when the grace ends
 *                            go back to the store's queue; their late
 *                            results are ignored
 *   sched_no_retry_of_its_own  the pool retries a failed oracle itself
 *                            (sandbox/pool.h, test-pool.c): each job is
 *                            submitted once, an oracle "error" is stored
 *                            as error marked oracle_error, an
 *                            "internal" as internal; a job whose
 *                            problem is not loaded is "internal"
 *                            without reaching the pool
 *   sched_orphans_requeued   jobs a previous process left "running" are
 *                            not queued, so not scheduled, until
 *                            store_recover() (which verdictd serve runs
 *                            before sched_new()) puts them back; then
 *                            they run first, in id order
 *   sched_store_fails        while the store refuses claims (a trigger
 *                            makes it fail), nothing goes to the pool;
 *                            while it refuses verdicts, they wait in
 *                            memory; in both the write is not tried at
 *                            every turn of the loop, and when the store
 *                            takes writes again the retry timer carries
 *                            on: each verdict stored once, the run goes
 *                            on by itself
 *   sched_two_nodes          two schedulers on one store (two nodes of
 *                            a cluster) claim disjoint jobs, a few at a
 *                            time each, and every job is judged once
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>
#include <uv.h>

#include "daemon/sched.h"
#include "tests/unit/test.h"
#include "common/proto.h"
#include "common/xmalloc.h"

#define SCHED_TEST_MAX	32	/* jobs and candidates in one test */
#define SCHED_TEST_TASK	"HumanEval/0"

/* A job the scheduler gave the fake pool. */
struct fake_job {
	char		*program;
	pool_done_cb	*done;
	void		*arg;
	bool		 finished;
};

struct fake_pool {
	struct fake_job	 jobs[SCHED_TEST_MAX];
	size_t		 n;
};

struct sched_test {
	char		 dir[64];
	uv_loop_t	 loop;
	struct service	*svc;
	struct fake_pool pool;
	struct sched	*s;
	/* Candidates added, by program text (which names them). */
	char		 progs[SCHED_TEST_MAX][16];
	char		 ids[SCHED_TEST_MAX][STORE_ID_MAX + 1];
	size_t		 ncands;
	size_t		 ndone;		/* job ids the done callback got */
	unsigned	 ndrained;
};

static const struct pool_limits sched_test_limits = {
	.wall_ms = 10000, .cpu_ms = 10000, .test_ms = 3000, .mem_mb = 1024,
	.nproc = 32, .fsize_kb = 1024, .out_kb = 64,
};

static void
fake_submit(void *pool, const char *mode, const char *program,
    json_t *spec, const struct pool_limits *limits, pool_done_cb *done,
    void *arg)
{
	struct fake_pool *fp = pool;

	ASSERT(fp->n < SCHED_TEST_MAX);
	ASSERT_STR_EQ(mode, "script");
	ASSERT_NOT_NULL(spec);
	ASSERT_EQ(limits->wall_ms, sched_test_limits.wall_ms);
	fp->jobs[fp->n].program = xstrdup(program);
	fp->jobs[fp->n].done = done;
	fp->jobs[fp->n].arg = arg;
	fp->jobs[fp->n].finished = false;
	fp->n++;
}

static const struct sched_pool_ops fake_ops = { fake_submit };

/* The pool's result for its job i: verdict v, oracle_error "oracle". */
static void
fake_finish(struct fake_pool *fp, size_t i, enum proto_verdict v,
    bool oracle)
{
	struct sandbox_result r;

	ASSERT(i < fp->n);
	ASSERT(!fp->jobs[i].finished);
	fp->jobs[i].finished = true;
	sandbox_result_make(&r, v, "fake pool");
	r.oracle_error = oracle;
	fp->jobs[i].done(&r, fp->jobs[i].arg);
	sandbox_result_free(&r);
}

/* The programs submitted so far, space-separated, into buf. */
static const char *
fake_order(const struct fake_pool *fp, char *buf, size_t len)
{
	size_t	 off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < fp->n; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i ? " " : "", fp->jobs[i].program);
	ASSERT(off < len);
	return buf;
}

static void
sched_test_done_cb(void *arg, const int64_t *jobs, size_t n)
{
	struct sched_test *t = arg;

	(void)jobs;
	t->ndone += n;
}

static void
sched_test_drained_cb(void *arg)
{
	struct sched_test *t = arg;

	t->ndrained++;
}

/* A service on a new database in a temp directory, with HumanEval. */
static void
sched_test_start(struct sched_test *t)
{
	struct config	*cfg;
	struct problemset *ps;
	const char	*path = test_data_path("humaneval/HumanEval.jsonl.gz");
	char		 err[512];

	memset(t, 0, sizeof(*t));
	test_tmp_dir(t->dir, sizeof(t->dir));
	cfg = xcalloc(1, sizeof(*cfg));
	config_defaults(cfg);
	free(cfg->state_dir);
	cfg->state_dir = xstrdup(t->dir);
	if (problemset_load_files(&path, 1, NULL, NULL, &ps, err,
	    sizeof(err)) < 0)
		TEST_FAIL_AT("problemset_load_files: %s", err);
	ASSERT_OK(service_new(cfg, ps, &t->svc));
	ASSERT_NOT_NULL(service_store(t->svc));
	ASSERT_OK(uv_loop_init(&t->loop));
}

/*
 * Store a candidate of run "run" for "task" whose program is "prog";
 * returns the run's id.
 */
static int64_t
sched_test_add_task(struct sched_test *t, const char *run, const char *task,
    const char *prog)
{
	struct store_cand c;
	struct store_added out;
	size_t		 nj;
	char		 err[512];

	ASSERT(t->ncands < SCHED_TEST_MAX);
	memset(&c, 0, sizeof(c));
	c.run = run;
	c.task_id = task;
	c.program = prog;
	c.limits = sched_test_limits;
	c.meta.cost_seconds = c.meta.cost_tflops = c.meta.cost_tokens = -1;
	if (store_add(service_store(t->svc), &c, 1, &out, &nj, err,
	    sizeof(err)) < 0)
		TEST_FAIL_AT("store_add: %s", err);
	ASSERT(out.new_job);
	snprintf(t->progs[t->ncands], sizeof(t->progs[0]), "%s", prog);
	memcpy(t->ids[t->ncands++], out.id, sizeof(out.id));
	return out.run_id;
}

static int64_t
sched_test_add(struct sched_test *t, const char *run, const char *prog)
{
	return sched_test_add_task(t, run, SCHED_TEST_TASK, prog);
}

/* Store candidates RUN0 .. RUN(n-1) of run "run" ("a": a0, a1, ...). */
static void
sched_test_add_series(struct sched_test *t, const char *run, int n)
{
	char	 prog[16];

	for (int i = 0; i < n; i++) {
		snprintf(prog, sizeof(prog), "%s%d", run, i);
		sched_test_add(t, run, prog);
	}
}

/* The stored candidate whose program is "prog", into *c. */
static void
sched_test_cand(struct sched_test *t, const char *prog,
    struct store_candidate *c)
{
	for (size_t i = 0; i < t->ncands; i++)
		if (strcmp(t->progs[i], prog) == 0) {
			ASSERT_OK(store_candidate(service_store(t->svc),
			    t->ids[i], c));
			return;
		}
	TEST_FAIL_AT("no candidate %s", prog);
}

/* The state of the candidate "prog" in the store. */
static enum store_state
sched_test_state(struct sched_test *t, const char *prog)
{
	struct store_candidate c;
	enum store_state s;

	sched_test_cand(t, prog, &c);
	s = c.state;
	store_candidate_free(&c);
	return s;
}

/* The verdict of the candidate "prog" (-1: not done). */
static int
sched_test_verdict(struct sched_test *t, const char *prog)
{
	struct store_candidate c;
	int		 v;

	sched_test_cand(t, prog, &c);
	v = c.verdict;
	store_candidate_free(&c);
	return v;
}

/* The scheduler on the fake pool, as verdictd serve starts it. */
static void
sched_test_sched(struct sched_test *t, size_t window)
{
	size_t	 queued;

	ASSERT_OK(store_count_queued(service_store(t->svc), &queued));
	service_queued_add(t->svc, (long)queued);
	ASSERT_OK(sched_new(&t->loop, t->svc, &fake_ops, &t->pool, window,
	    "node-1", 0, sched_test_done_cb, t, &t->s));
}

/* One turn of the loop: notifications, then the batched store write. */
static void
sched_test_turn(struct sched_test *t)
{
	uv_run(&t->loop, UV_RUN_NOWAIT);
}

static void
sched_test_finish(struct sched_test *t)
{
	sched_close(t->s);
	ASSERT_OK(uv_run(&t->loop, UV_RUN_DEFAULT));
	ASSERT_OK(uv_loop_close(&t->loop));
	for (size_t i = 0; i < t->pool.n; i++)
		free(t->pool.jobs[i].program);
	service_free(t->svc);
	test_tmp_rm(t->dir);
}

/* Run "sql" on the test's SQLite database, on a connection of its own. */
static void
sched_test_sql(struct sched_test *t, const char *sql)
{
	sqlite3	*db;
	char	 path[128], *err = NULL;

	snprintf(path, sizeof(path), "%s/%s", t->dir, SERVICE_DB);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		TEST_FAIL_AT("%s: %s", path, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		TEST_FAIL_AT("%s: %s", sql, err);
	sqlite3_close(db);
}

TEST(sched_round_robin)
{
	struct sched_test t;
	const char	*p;
	char		 order[256];
	int64_t		 run_c;

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	sched_test_add_series(&t, "a", 4);
	sched_test_add(&t, "b", "b0");
	sched_test_add(&t, "b", "b1");
	sched_test_sched(&t, 1);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)), "a0");
	for (size_t i = 0; i < 4; i++)
		fake_finish(&t.pool, i, PROTO_VERDICT_PASSED, false);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)),
	    "a0 b0 a1 b1 a2");
	sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 4);
	ASSERT_EQ(sched_test_state(&t, "a2"), STORE_RUNNING);
	ASSERT_EQ(sched_test_state(&t, "a3"), STORE_QUEUED);

	/*
	 * Run c gets work while a2 runs: it joins the ring after b, which
	 * leaves it at its next turn (no more work).
	 */
	run_c = sched_test_add(&t, "c", "c0");
	sched_test_add(&t, "c", "c1");
	sched_notify(t.s, &run_c, 1);
	sched_test_turn(&t);
	ASSERT_EQ(t.pool.n, 5);
	for (size_t i = 4; i < 8; i++)
		fake_finish(&t.pool, i, PROTO_VERDICT_FAILED, false);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)),
	    "a0 b0 a1 b1 a2 c0 a3 c1");
	sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 8);
	ASSERT_EQ(sched_test_verdict(&t, "b1"), PROTO_VERDICT_PASSED);
	ASSERT_EQ(sched_test_verdict(&t, "c1"), PROTO_VERDICT_FAILED);
	ASSERT_EQ(service_running(t.svc), 0);
	ASSERT_EQ(service_queued(t.svc), 0);
	sched_test_finish(&t);
	return TEST_PASS;
}

TEST(sched_forgets_deleted_run)
{
	struct sched_test t;
	struct store_deleted del;
	struct store_candidate sc;
	struct store_cand c;
	struct store_added out;
	const char	*p;
	char		 order[256], err[512];
	size_t		 nj;

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	sched_test_add_series(&t, "a", 4);
	sched_test_add(&t, "b", "b0");
	/* b's candidate of a2: the same program, a's job. */
	memset(&c, 0, sizeof(c));
	c.run = "b";
	c.task_id = SCHED_TEST_TASK;
	c.program = "a2";
	c.limits = sched_test_limits;
	c.meta.cost_seconds = c.meta.cost_tflops = c.meta.cost_tokens = -1;
	ASSERT_OK(store_add(service_store(t.svc), &c, 1, &out, &nj, err,
	    sizeof(err)));
	ASSERT(!out.new_job);
	sched_test_sched(&t, 1);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)), "a0");

	/* a goes while a0 runs; b inherits a2. */
	ASSERT_OK(store_run_delete(service_store(t.svc), "a", &del));
	ASSERT_EQ(del.jobs_kept, 1);
	ASSERT_EQ(del.nheirs, 1);
	service_run_deleted(t.svc, &del);
	sched_forget(t.s, &del.run_id, 1);
	sched_notify(t.s, del.heirs, del.nheirs);
	free(del.heirs);
	sched_test_turn(&t);
	ASSERT_EQ(t.pool.n, 1);
	fake_finish(&t.pool, 0, PROTO_VERDICT_PASSED, false);
	fake_finish(&t.pool, 1, PROTO_VERDICT_PASSED, false);
	fake_finish(&t.pool, 2, PROTO_VERDICT_FAILED, false);
	/* a2 is older than b0: b's turn takes it first. */
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)),
	    "a0 a2 b0");
	sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 3);		/* a0's result dropped, quietly */
	ASSERT_EQ(sched_test_verdict(&t, "b0"), PROTO_VERDICT_FAILED);
	ASSERT_OK(store_candidate(service_store(t.svc), out.id, &sc));
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_PASSED);
	store_candidate_free(&sc);
	ASSERT_EQ(service_running(t.svc), 0);
	ASSERT_EQ(service_queued(t.svc), 0);
	sched_test_finish(&t);
	return TEST_PASS;
}

TEST(sched_window)
{
	struct sched_test t;
	const char	*p;

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	sched_test_add_series(&t, "a", 6);
	sched_test_sched(&t, 3);
	ASSERT_EQ(t.pool.n, 3);
	ASSERT_EQ(service_running(t.svc), 3);
	fake_finish(&t.pool, 1, PROTO_VERDICT_PASSED, false);
	ASSERT_EQ(t.pool.n, 4);
	ASSERT_STR_EQ(t.pool.jobs[3].program, "a3");
	fake_finish(&t.pool, 0, PROTO_VERDICT_PASSED, false);
	fake_finish(&t.pool, 2, PROTO_VERDICT_PASSED, false);
	ASSERT_EQ(t.pool.n, 6);
	ASSERT_EQ(service_running(t.svc), 3);
	for (size_t i = 3; i < 6; i++)
		fake_finish(&t.pool, i, PROTO_VERDICT_PASSED, false);
	ASSERT_EQ(t.pool.n, 6);
	ASSERT_EQ(service_running(t.svc), 0);
	sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 6);
	sched_test_finish(&t);
	return TEST_PASS;
}

TEST(sched_drain_waits)
{
	struct sched_test t;
	const char	*p;
	char		 prog[16];
	int64_t		 run_b;

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	sched_test_add_series(&t, "a", 5);
	sched_test_sched(&t, 2);
	ASSERT_EQ(t.pool.n, 2);
	sched_drain(t.s, 60000, sched_test_drained_cb, &t);
	ASSERT_EQ(t.ndrained, 0);
	fake_finish(&t.pool, 0, PROTO_VERDICT_PASSED, false);
	ASSERT_EQ(t.pool.n, 2);		/* nothing new while draining */
	ASSERT_EQ(t.ndrained, 0);
	/* Nor for a run that gets work now. */
	run_b = sched_test_add(&t, "b", "b0");
	sched_notify(t.s, &run_b, 1);
	sched_test_turn(&t);
	ASSERT_EQ(t.pool.n, 2);
	ASSERT_EQ(t.ndrained, 0);
	fake_finish(&t.pool, 1, PROTO_VERDICT_FAILED, false);
	ASSERT_EQ(t.ndrained, 1);
	ASSERT_EQ(t.pool.n, 2);
	/* Both verdicts are stored before "drained"; the rest wait. */
	ASSERT_EQ(t.ndone, 2);
	ASSERT_EQ(sched_test_verdict(&t, "a0"), PROTO_VERDICT_PASSED);
	ASSERT_EQ(sched_test_verdict(&t, "a1"), PROTO_VERDICT_FAILED);
	for (int i = 2; i < 5; i++) {
		snprintf(prog, sizeof(prog), "a%d", i);
		ASSERT_EQ(sched_test_state(&t, prog), STORE_QUEUED);
	}
	ASSERT_EQ(sched_test_state(&t, "b0"), STORE_QUEUED);
	ASSERT_EQ(service_running(t.svc), 0);
	sched_test_turn(&t);
	ASSERT_EQ(t.ndrained, 1);
	sched_test_finish(&t);
	return TEST_PASS;
}

TEST(sched_drain_grace)
{
	struct sched_test t;
	const char	*p;
	size_t		 queued;

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	sched_test_add(&t, "a", "a0");
	sched_test_add(&t, "a", "a1");
	sched_test_add(&t, "a", "a2");
	sched_test_sched(&t, 2);
	ASSERT_EQ(t.pool.n, 2);
	sched_test_turn(&t);
	ASSERT_EQ(sched_test_state(&t, "a0"), STORE_RUNNING);
	sched_drain(t.s, 10, sched_test_drained_cb, &t);
	while (t.ndrained == 0)
		uv_run(&t.loop, UV_RUN_ONCE);
	ASSERT_EQ(t.ndrained, 1);
	ASSERT_EQ(sched_test_state(&t, "a0"), STORE_QUEUED);
	ASSERT_EQ(sched_test_state(&t, "a1"), STORE_QUEUED);
	ASSERT_OK(store_count_queued(service_store(t.svc), &queued));
	ASSERT_EQ(queued, 3);
	ASSERT_EQ(service_running(t.svc), 0);
	ASSERT_EQ(service_queued(t.svc), 3);

	/* The pool finishes a0 late: nothing is stored, nothing starts. */
	fake_finish(&t.pool, 0, PROTO_VERDICT_PASSED, false);
	sched_test_turn(&t);
	ASSERT_EQ(t.pool.n, 2);
	ASSERT_EQ(t.ndone, 0);
	ASSERT_EQ(sched_test_state(&t, "a0"), STORE_QUEUED);
	ASSERT_EQ(sched_test_verdict(&t, "a0"), -1);
	ASSERT_EQ(t.ndrained, 1);
	sched_test_finish(&t);
	return TEST_PASS;
}

TEST(sched_no_retry_of_its_own)
{
	struct sched_test t;
	struct store_candidate c;
	const char	*p;

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	sched_test_add(&t, "a", "a0");
	sched_test_add(&t, "a", "a1");
	sched_test_add_task(&t, "a", "HumanEval/999", "a2");
	sched_test_add(&t, "a", "a3");
	sched_test_sched(&t, 1);
	/* What the pool gives after POOL_MAX_ATTEMPTS failed oracles. */
	fake_finish(&t.pool, 0, PROTO_VERDICT_ERROR, true);
	/* What it gives for a job that never ran. */
	fake_finish(&t.pool, 1, PROTO_VERDICT_INTERNAL, false);
	fake_finish(&t.pool, 2, PROTO_VERDICT_PASSED, false);
	ASSERT_EQ(t.pool.n, 3);
	ASSERT_STR_EQ(t.pool.jobs[2].program, "a3");
	sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 4);

	sched_test_cand(&t, "a0", &c);
	ASSERT_EQ(c.verdict, PROTO_VERDICT_ERROR);
	ASSERT(c.oracle_error);
	store_candidate_free(&c);
	sched_test_cand(&t, "a1", &c);
	ASSERT_EQ(c.verdict, PROTO_VERDICT_INTERNAL);
	ASSERT(!c.oracle_error);
	store_candidate_free(&c);
	sched_test_cand(&t, "a2", &c);
	ASSERT_EQ(c.verdict, PROTO_VERDICT_INTERNAL);
	ASSERT_STR_EQ(c.message, "problem not loaded: HumanEval/999");
	store_candidate_free(&c);
	ASSERT_EQ(sched_test_verdict(&t, "a3"), PROTO_VERDICT_PASSED);
	sched_test_finish(&t);
	return TEST_PASS;
}

TEST(sched_orphans_requeued)
{
	struct sched_test t;
	struct store_lease lease = { "node-1", 30000, NULL, 0 };
	struct store_job jobs[2];
	const char	*p;
	char		 order[64];
	int64_t		 run;
	size_t		 n;

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	run = sched_test_add(&t, "a", "a0");
	sched_test_add(&t, "a", "a1");
	sched_test_add(&t, "a", "a2");
	/* A previous process claimed a0 and a1 and died. */
	ASSERT_OK(store_claim(service_store(t.svc), &lease, run, 2, jobs,
	    &n));
	ASSERT_EQ(n, 2);
	store_job_free(&jobs[0]);
	store_job_free(&jobs[1]);
	ASSERT_OK(store_count_queued(service_store(t.svc), &n));
	ASSERT_EQ(n, 1);

	ASSERT_OK(store_recover(service_store(t.svc), "node-1", &n));
	ASSERT_EQ(n, 2);
	sched_test_sched(&t, 4);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)),
	    "a0 a1 a2");
	for (size_t i = 0; i < 3; i++)
		fake_finish(&t.pool, i, PROTO_VERDICT_PASSED, false);
	sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 3);
	ASSERT_EQ(sched_test_verdict(&t, "a0"), PROTO_VERDICT_PASSED);
	ASSERT_EQ(service_queued(t.svc), 0);
	sched_test_finish(&t);
	return TEST_PASS;
}

TEST(sched_store_fails)
{
	struct sched_test t;
	const char	*p;
	char		 order[256];
	uint64_t	 t0;

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	sched_test_add(&t, "a", "a0");
	sched_test_add(&t, "a", "a1");
	sched_test_add(&t, "a", "a2");
	/* Claims cannot be written: nothing goes to the pool, and the
	 * claim is not tried at every turn of the loop. */
	sched_test_sql(&t, "CREATE TRIGGER sched_test_fail BEFORE UPDATE ON "
	    "jobs WHEN NEW.state = 1 BEGIN SELECT RAISE(ABORT, "
	    "'the store is down'); END");
	sched_test_sched(&t, 2);
	for (int i = 0; i < 50; i++)
		sched_test_turn(&t);
	ASSERT_EQ(t.pool.n, 0);
	sched_test_sql(&t, "DROP TRIGGER sched_test_fail");
	t0 = uv_now(&t.loop);
	while (t.pool.n < 2 && uv_now(&t.loop) - t0 < 10000)
		uv_run(&t.loop, UV_RUN_ONCE);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)), "a0 a1");

	/* a0's verdict cannot be written (claims can: a2 takes a0's
	 * place); it waits in memory. */
	sched_test_sql(&t, "CREATE TRIGGER sched_test_fail BEFORE UPDATE ON "
	    "jobs WHEN NEW.state = 2 BEGIN SELECT RAISE(ABORT, "
	    "'the store is down'); END");
	sched_test_turn(&t);
	fake_finish(&t.pool, 0, PROTO_VERDICT_PASSED, false);
	for (int i = 0; i < 50; i++)
		sched_test_turn(&t);
	ASSERT_EQ(t.pool.n, 3);
	ASSERT_EQ(t.ndone, 0);
	ASSERT_EQ(sched_test_state(&t, "a0"), STORE_RUNNING);

	/* The store takes writes again: the retry timer (not a turn of
	 * the loop) stores a0 once, and the run goes on. */
	sched_test_sql(&t, "DROP TRIGGER sched_test_fail");
	for (int i = 0; i < 50; i++)
		sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 0);
	t0 = uv_now(&t.loop);
	while (t.ndone == 0 && uv_now(&t.loop) - t0 < 10000)
		uv_run(&t.loop, UV_RUN_ONCE);
	ASSERT_EQ(t.ndone, 1);
	ASSERT_EQ(sched_test_verdict(&t, "a0"), PROTO_VERDICT_PASSED);
	ASSERT_EQ(sched_test_state(&t, "a1"), STORE_RUNNING);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)),
	    "a0 a1 a2");
	fake_finish(&t.pool, 1, PROTO_VERDICT_FAILED, false);
	fake_finish(&t.pool, 2, PROTO_VERDICT_PASSED, false);
	sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 3);
	ASSERT_EQ(t.pool.n, 3);
	ASSERT_EQ(sched_test_verdict(&t, "a1"), PROTO_VERDICT_FAILED);
	ASSERT_EQ(sched_test_verdict(&t, "a2"), PROTO_VERDICT_PASSED);
	ASSERT_EQ(service_running(t.svc), 0);
	ASSERT_EQ(service_queued(t.svc), 0);
	sched_test_finish(&t);
	return TEST_PASS;
}

TEST(sched_two_nodes)
{
	struct sched_test t;
	struct fake_pool *pool2;
	struct sched	*s2;
	const char	*p;
	char		 order[256];

	DATA_OR_SKIP(p, "humaneval/HumanEval.jsonl.gz");
	sched_test_start(&t);
	sched_test_add_series(&t, "a", 8);
	pool2 = xcalloc(1, sizeof(*pool2));
	sched_test_sched(&t, 2);
	ASSERT_OK(sched_new(&t.loop, t.svc, &fake_ops, pool2, 3, "node-2", 0,
	    sched_test_done_cb, &t, &s2));
	sched_test_turn(&t);
	/* Each claimed its window's worth, the oldest first, none twice. */
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)), "a0 a1");
	ASSERT_STR_EQ(fake_order(pool2, order, sizeof(order)), "a2 a3 a4");
	fake_finish(&t.pool, 0, PROTO_VERDICT_PASSED, false);
	fake_finish(pool2, 0, PROTO_VERDICT_FAILED, false);
	sched_test_turn(&t);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)),
	    "a0 a1 a5");
	ASSERT_STR_EQ(fake_order(pool2, order, sizeof(order)),
	    "a2 a3 a4 a6");
	fake_finish(&t.pool, 1, PROTO_VERDICT_PASSED, false);
	sched_test_turn(&t);
	ASSERT_STR_EQ(fake_order(&t.pool, order, sizeof(order)),
	    "a0 a1 a5 a7");
	for (size_t i = 2; i < t.pool.n; i++)
		fake_finish(&t.pool, i, PROTO_VERDICT_PASSED, false);
	for (size_t i = 1; i < pool2->n; i++)
		fake_finish(pool2, i, PROTO_VERDICT_PASSED, false);
	sched_test_turn(&t);
	ASSERT_EQ(t.ndone, 8);
	ASSERT_EQ(sched_test_verdict(&t, "a2"), PROTO_VERDICT_FAILED);
	ASSERT_EQ(sched_test_verdict(&t, "a7"), PROTO_VERDICT_PASSED);
	ASSERT_EQ(service_running(t.svc), 0);
	sched_close(s2);
	sched_test_finish(&t);
	for (size_t i = 0; i < pool2->n; i++)
		free(pool2->jobs[i].program);
	free(pool2);
	return TEST_PASS;
}
