/*
 * store.c - the durable store on SQLite.  See store.h.
 *
 * Schema, version STORE_SCHEMA_VERSION in PRAGMA user_version; PRAGMA
 * application_id holds STORE_APP_ID, which tells a verdict database
 * from any other SQLite file:
 *
 *   runs(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, model TEXT,
 *       created_ms INTEGER)
 *	One row per run name.  "model" comes from the first candidate
 *	that names one.
 *
 *   jobs(id INTEGER PRIMARY KEY, run_id, task_id, hash, lim_wall_ms,
 *       lim_cpu_ms, lim_test_ms, lim_mem_mb, lim_nproc, lim_fsize_kb,
 *       lim_out_kb, program, state, verdict, tests, cpu_ms, wall_ms,
 *       max_rss_kb, stderr, message, created_ms, finished_ms)
 *	One program to run.  run_id is the run that created it (the
 *	scheduler shares workers fairly between runs by it); hash is the
 *	64-bit FNV-1a of the program text, stored as a signed integer.
 *	The hash is only a lookup key: a job is shared only when task_id,
 *	the whole program text and all seven limits compare equal (in the
 *	WHERE clause of STORE_JOB_FIND), so a collision never shares a
 *	verdict.  state is STORE_QUEUED, STORE_RUNNING or STORE_DONE; the
 *	result columns are NULL until done.  tests is JSON array text.
 *	Indexes: jobs_dedupe(task_id, hash); jobs_queued(run_id, id) WHERE
 *	state = 0 for the scheduler; jobs_running(id) WHERE state = 1, the
 *	small set that running counts start from.
 *
 *   candidates(id INTEGER PRIMARY KEY, ext_id TEXT UNIQUE, run_id,
 *       task_id, sample, job_id, verdict, score, greedy, truncated,
 *       cost_seconds, cost_tflops, cost_tokens, created_ms)
 *	One posted sample.  id is the row number ("v-N" when the client
 *	gave no id, ext_id NULL then); sample, score and the costs are
 *	NULL when not given; verdict is NULL until the job is done.
 *	Indexes: candidates_sample(run_id, task_id, sample) UNIQUE (NULL
 *	samples never collide, as intended); candidates_job(job_id,
 *	run_id); candidates_run(run_id, id) for results paging;
 *	candidates_report(run_id, task_id, verdict, ...) covers what a
 *	report reads, in task order.
 *
 *   tallies(run_id, task_id, verdict, n) PRIMARY KEY (run_id, task_id,
 *       verdict) WITHOUT ROWID
 *	Candidates per run, problem and verdict ("" for not yet done).
 *	Written in the same transaction as the candidates and the job
 *	completions they count, so per-run and per-problem figures never
 *	read the candidates table.
 *
 *   imports(id INTEGER PRIMARY KEY, format TEXT, body BLOB, created_ms)
 *	Problem files posted to /v1/problems, verbatim.
 *
 *   counters(name TEXT PRIMARY KEY, n) WITHOUT ROWID
 *	One row, "queued_jobs": the jobs in state 0, kept in the same
 *	transactions as the jobs, so store_count_queued() (the queue
 *	limit check, against a queue that may hold a million jobs) is
 *	one lookup instead of a count over jobs_queued (25 ms at 500k).
 *	store_recover() counts again from the jobs, so the figure also
 *	heals at every start.
 *
 * Connection settings: WAL, synchronous=FULL (a commit is on disk when
 * it returns), foreign_keys on, busy timeout STORE_BUSY_MS.  Every
 * statement is prepared once per connection, kept in struct store, and
 * reset with its bindings cleared after each use.  Write transactions
 * start with BEGIN IMMEDIATE: a deferred transaction that reads first
 * and then writes can fail with SQLITE_BUSY at once (no busy wait) when
 * another connection wrote in between; taking the write lock up front
 * makes writers queue on the busy timeout instead.  Any error rolls the
 * transaction back, so nothing is half-written.  Queries that read with
 * several statements do it in one read transaction: one snapshot.
 * No statement needs a temporary b-tree (checked with EXPLAIN QUERY
 * PLAN and EXPLAIN): those cost a page cache each time they run.
 *
 * Sections: helpers, open and close, submission, scheduling, queries,
 * imports.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include "common/hash.h"
#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/store.h"

#define STORE_SCHEMA_VERSION	2

/* The tally row (not a verdict) counting candidates whose "error" is
 * the oracle's failure, in the same transactions as the verdicts. */
#define STORE_TALLY_ORACLE	"oracle_error"
#define STORE_APP_ID	1987208308	/* 0x76726474, "vrdt" */
#define STORE_BUSY_MS	10000		/* wait for other writers */
#define STORE_WAL_PASSIVE_PAGES	1000	/* SQLite's own default */
#define STORE_WAL_RESET_PAGES	8192	/* 32 MiB of 4 KiB pages */
#define STORE_WAL_LIMIT_BYTES	"33554432"	/* the WAL kept after a reset */
#define STORE_CACHE_KB	32768		/* page cache per connection */
#define STORE_TALLY_MAX	64		/* tally changes kept per batch */

/* What a report reads of a run, covered: no table row is read. */
#define STORE_REPORT_INDEX						\
	"CREATE INDEX candidates_report ON candidates (run_id, task_id,\n" \
	"	verdict, oracle_error, greedy, truncated, score,\n"	\
	"	cost_seconds, cost_tflops);\n"

/* Version 1 to 2: the oracle_error marks (see store.h). */
static const char store_migrate_2[] =
	"ALTER TABLE jobs ADD COLUMN oracle_error INTEGER NOT NULL "
	"DEFAULT 0;\n"
	"ALTER TABLE candidates ADD COLUMN oracle_error INTEGER NOT NULL "
	"DEFAULT 0;\n"
	"DROP INDEX candidates_report;\n"
	STORE_REPORT_INDEX
	"PRAGMA user_version = 2;\n";

/* The CHECK is BETWEEN, not IN: SQLite builds a table for an IN list. */
static const char store_schema[] =
	"CREATE TABLE runs (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	name		TEXT NOT NULL UNIQUE,\n"
	"	model		TEXT,\n"
	"	created_ms	INTEGER NOT NULL,\n"
	"	ranker		TEXT\n"
	");\n"
	"CREATE TABLE jobs (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	run_id		INTEGER NOT NULL REFERENCES runs (id),\n"
	"	task_id		TEXT NOT NULL,\n"
	"	hash		INTEGER NOT NULL,\n"
	"	lim_wall_ms	INTEGER NOT NULL,\n"
	"	lim_cpu_ms	INTEGER NOT NULL,\n"
	"	lim_test_ms	INTEGER NOT NULL,\n"
	"	lim_mem_mb	INTEGER NOT NULL,\n"
	"	lim_nproc	INTEGER NOT NULL,\n"
	"	lim_fsize_kb	INTEGER NOT NULL,\n"
	"	lim_out_kb	INTEGER NOT NULL,\n"
	"	program		TEXT NOT NULL,\n"
	"	state		INTEGER NOT NULL DEFAULT 0\n"
	"			    CHECK (state BETWEEN 0 AND 2),\n"
	"	verdict		TEXT,\n"
	"	tests		TEXT,\n"
	"	cpu_ms		INTEGER,\n"
	"	wall_ms		INTEGER,\n"
	"	max_rss_kb	INTEGER,\n"
	"	stderr		TEXT,\n"
	"	message		TEXT,\n"
	"	created_ms	INTEGER NOT NULL,\n"
	"	finished_ms	INTEGER,\n"
	"	oracle_error	INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE INDEX jobs_dedupe ON jobs (task_id, hash);\n"
	"CREATE INDEX jobs_queued ON jobs (run_id, id) WHERE state = 0;\n"
	"CREATE INDEX jobs_running ON jobs (id) WHERE state = 1;\n"
	"CREATE TABLE candidates (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	ext_id		TEXT UNIQUE,\n"
	"	run_id		INTEGER NOT NULL REFERENCES runs (id),\n"
	"	task_id		TEXT NOT NULL,\n"
	"	sample		INTEGER,\n"
	"	job_id		INTEGER NOT NULL REFERENCES jobs (id),\n"
	"	verdict		TEXT,\n"
	"	score		REAL,\n"
	"	greedy		INTEGER NOT NULL,\n"
	"	truncated	INTEGER NOT NULL,\n"
	"	cost_seconds	REAL,\n"
	"	cost_tflops	REAL,\n"
	"	cost_tokens	INTEGER,\n"
	"	created_ms	INTEGER NOT NULL,\n"
	"	oracle_error	INTEGER NOT NULL DEFAULT 0\n"
	");\n"
	"CREATE UNIQUE INDEX candidates_sample\n"
	"    ON candidates (run_id, task_id, sample);\n"
	"CREATE INDEX candidates_job ON candidates (job_id, run_id);\n"
	"CREATE INDEX candidates_run ON candidates (run_id, id);\n"
	STORE_REPORT_INDEX
	"CREATE TABLE tallies (\n"
	"	run_id		INTEGER NOT NULL REFERENCES runs (id),\n"
	"	task_id		TEXT NOT NULL,\n"
	"	verdict		TEXT NOT NULL,\n"
	"	n		INTEGER NOT NULL,\n"
	"	PRIMARY KEY (run_id, task_id, verdict)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE imports (\n"
	"	id		INTEGER PRIMARY KEY,\n"
	"	format		TEXT NOT NULL,\n"
	"	body		BLOB NOT NULL,\n"
	"	created_ms	INTEGER NOT NULL\n"
	");\n"
	"CREATE TABLE counters (\n"
	"	name		TEXT PRIMARY KEY,\n"
	"	n		INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n"
	"INSERT INTO counters (name, n) VALUES ('queued_jobs', 0);\n";

/* A candidate's struct store_meta, as store_col_meta() reads it. */
#define STORE_META_COLS							\
	"c.sample, c.score, c.greedy, c.truncated, c.cost_seconds, "	\
	"c.cost_tflops, c.cost_tokens"

/* A job's struct store_usage, as store_col_usage() reads it. */
#define STORE_USAGE_COLS "j.cpu_ms, j.wall_ms, j.max_rss_kb"

/* The columns of a candidate as store_cand_read() reads them. */
#define STORE_CAND_SELECT						\
	"SELECT c.id, c.ext_id, r.name, r.model, c.task_id, c.job_id, "	\
	"c.verdict, " STORE_META_COLS ", j.state, " STORE_USAGE_COLS ", " \
	"j.tests, j.stderr, j.message, j.oracle_error "			\
	"FROM candidates AS c JOIN runs AS r ON r.id = c.run_id "	\
	"JOIN jobs AS j ON j.id = c.job_id "

/* The columns of a run as store_run_read() reads them. */
#define STORE_RUN_SELECT \
	"SELECT id, name, model, created_ms, ranker FROM runs "

/* Every statement, prepared once per connection by store_open(). */
enum store_sql {
	STORE_BEGIN_WRITE,
	STORE_BEGIN_READ,
	STORE_COMMIT,
	STORE_ROLLBACK,
	STORE_RECOVER,
	STORE_QUEUE_RECOUNT,
	STORE_QUEUE_ADD,
	STORE_COUNT_QUEUED,
	STORE_RUN_BY_NAME,
	STORE_RUN_INSERT,
	STORE_RUN_SET_MODEL,
	STORE_RUN_LIST,
	STORE_CAND_BY_EXT,
	STORE_CAND_BY_SAMPLE,
	STORE_CAND_INSERT,
	STORE_CAND_SET_VERDICT,
	STORE_CAND_GET_EXT,
	STORE_CAND_GET_ROW,
	STORE_JOB_FIND,
	STORE_JOB_INSERT,
	STORE_JOB_STATE,
	STORE_JOB_START,
	STORE_JOB_FINISH,
	STORE_JOB_RUNS,
	STORE_TALLY_ADD,
	STORE_QUEUED_RUN_NEXT,
	STORE_QUEUED_JOBS,
	STORE_RUN_RUNNING,
	STORE_RUN_TALLIES,
	STORE_RESULTS,
	STORE_SAMPLES,
	STORE_IMPORT_ADD,
	STORE_IMPORT_LIST,
	STORE_NSQL
};

static const char *const store_sql_text[STORE_NSQL] = {
	[STORE_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[STORE_BEGIN_READ] = "BEGIN",
	[STORE_COMMIT] = "COMMIT",
	[STORE_ROLLBACK] = "ROLLBACK",
	[STORE_RECOVER] = "UPDATE jobs SET state = 0 WHERE state = 1",
	[STORE_QUEUE_RECOUNT] =
	    "UPDATE counters SET n = (SELECT count(*) FROM jobs "
	    "WHERE state = 0) WHERE name = 'queued_jobs'",
	[STORE_QUEUE_ADD] =
	    "UPDATE counters SET n = n + ?1 WHERE name = 'queued_jobs'",
	[STORE_COUNT_QUEUED] =
	    "SELECT n FROM counters WHERE name = 'queued_jobs'",
	[STORE_RUN_BY_NAME] = STORE_RUN_SELECT "WHERE name = ?1",
	[STORE_RUN_INSERT] =
	    "INSERT INTO runs (name, model, created_ms, ranker) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[STORE_RUN_SET_MODEL] =
	    "UPDATE runs SET model = coalesce(model, ?2), "
	    "ranker = coalesce(ranker, ?3) WHERE id = ?1",
	[STORE_RUN_LIST] = STORE_RUN_SELECT "ORDER BY id",
	[STORE_CAND_BY_EXT] =
	    "SELECT c.id, c.run_id, r.name, c.task_id FROM candidates AS c "
	    "JOIN runs AS r ON r.id = c.run_id WHERE c.ext_id = ?1",
	[STORE_CAND_BY_SAMPLE] =
	    "SELECT id, ext_id FROM candidates "
	    "WHERE run_id = ?1 AND task_id = ?2 AND sample = ?3",
	[STORE_CAND_INSERT] =
	    "INSERT INTO candidates (ext_id, run_id, task_id, sample, job_id, "
	    "verdict, score, greedy, truncated, cost_seconds, cost_tflops, "
	    "cost_tokens, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13)",
	[STORE_CAND_SET_VERDICT] =
	    "UPDATE candidates SET verdict = ?2, oracle_error = ?3 "
	    "WHERE job_id = ?1",
	[STORE_CAND_GET_EXT] = STORE_CAND_SELECT "WHERE c.ext_id = ?1",
	[STORE_CAND_GET_ROW] = STORE_CAND_SELECT
	    "WHERE c.id = ?1 AND c.ext_id IS NULL",
	/* The index finds the hash; the rest of the WHERE is the proof.
	 * A job the oracle failed to judge is never shared: the next
	 * identical program gets a job (and a judgement) of its own. */
	[STORE_JOB_FIND] =
	    "SELECT id, state, verdict FROM jobs "
	    "WHERE task_id = ?1 AND hash = ?2 AND program = ?3 "
	    "AND lim_wall_ms = ?4 AND lim_cpu_ms = ?5 AND lim_test_ms = ?6 "
	    "AND lim_mem_mb = ?7 AND lim_nproc = ?8 AND lim_fsize_kb = ?9 "
	    "AND lim_out_kb = ?10 AND oracle_error = 0 "
	    "AND (verdict IS NULL OR verdict <> 'internal') "
	    "ORDER BY id LIMIT 1",
	[STORE_JOB_INSERT] =
	    "INSERT INTO jobs (run_id, task_id, hash, lim_wall_ms, lim_cpu_ms, "
	    "lim_test_ms, lim_mem_mb, lim_nproc, lim_fsize_kb, lim_out_kb, "
	    "program, state, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, 0, ?12)",
	[STORE_JOB_STATE] = "SELECT state, task_id FROM jobs WHERE id = ?1",
	[STORE_JOB_START] =
	    "UPDATE jobs SET state = 1 WHERE id = ?1 AND state = 0",
	[STORE_JOB_FINISH] =
	    "UPDATE jobs SET state = 2, verdict = ?2, tests = ?3, cpu_ms = ?4, "
	    "wall_ms = ?5, max_rss_kb = ?6, stderr = ?7, message = ?8, "
	    "finished_ms = ?9, oracle_error = ?10 WHERE id = ?1 AND state < 2",
	/*
	 * Every candidate of a job has the job's task_id (that is part of
	 * what makes them share it), so grouping by run is enough, and
	 * the covering index candidates_job gives the groups in order: no
	 * temporary b-tree, which would cost a page cache per job.
	 */
	[STORE_JOB_RUNS] =
	    "SELECT run_id, count(*) FROM candidates WHERE job_id = ?1 "
	    "GROUP BY run_id",
	[STORE_TALLY_ADD] =
	    "INSERT INTO tallies (run_id, task_id, verdict, n) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id, task_id, verdict) "
	    "DO UPDATE SET n = n + excluded.n",
	/* One index probe per run, however many jobs are queued. */
	[STORE_QUEUED_RUN_NEXT] =
	    "SELECT run_id FROM jobs WHERE state = 0 AND run_id > ?1 "
	    "ORDER BY run_id LIMIT 1",
	[STORE_QUEUED_JOBS] =
	    "SELECT id, run_id, task_id, program, lim_wall_ms, lim_cpu_ms, "
	    "lim_test_ms, lim_mem_mb, lim_nproc, lim_fsize_kb, lim_out_kb "
	    "FROM jobs WHERE state = 0 AND run_id = ?1 AND id > ?2 "
	    "ORDER BY id LIMIT ?3",
	/*
	 * CROSS JOIN keeps jobs as the outer loop: the running jobs (a
	 * partial index of at most a few hundred rows), then their
	 * candidates by candidates_job.  The other order would read every
	 * candidate of the run.
	 */
	[STORE_RUN_RUNNING] =
	    "SELECT count(*) FROM jobs AS j CROSS JOIN candidates AS c "
	    "ON c.job_id = j.id WHERE j.state = 1 AND c.run_id = ?1",
	/* In primary key order; the callers sum and group in C. */
	[STORE_RUN_TALLIES] =
	    "SELECT task_id, verdict, n FROM tallies WHERE run_id = ?1 "
	    "ORDER BY task_id, verdict",
	[STORE_RESULTS] =
	    "SELECT c.id, c.ext_id, c.task_id, c.verdict, " STORE_META_COLS
	    ", " STORE_USAGE_COLS " "
	    "FROM candidates AS c JOIN jobs AS j ON j.id = c.job_id "
	    "WHERE c.run_id = ?1 AND c.id > ?2 AND c.verdict IS NOT NULL "
	    "ORDER BY c.id LIMIT ?3",
	[STORE_SAMPLES] =
	    "SELECT task_id, verdict, greedy, truncated, score, cost_seconds, "
	    "cost_tflops, oracle_error FROM candidates WHERE run_id = ?1 "
	    "ORDER BY task_id",
	[STORE_IMPORT_ADD] =
	    "INSERT INTO imports (format, body, created_ms) "
	    "VALUES (?1, ?2, ?3)",
	[STORE_IMPORT_LIST] =
	    "SELECT id, format, body FROM imports ORDER BY id",
};

struct store {
	sqlite3		*db;		/* the connection */
	sqlite3_stmt	*stmt[STORE_NSQL]; /* prepared, by enum store_sql */
	int		 bind_rc;	/* first failed bind, or SQLITE_OK */
	int		 err_rc;	/* SQLite code of the last failure */
	char		 err[256];	/* its message */
};

/* A change of one tally, kept while a batch runs (see store_add()). */
struct store_tally {
	int64_t		 run_id;
	const char	*task_id;	/* borrowed from the batch */
	const char	*verdict;	/* static; "" for not done */
	int64_t		 n;		/* candidates to add (or remove) */
};

/* The run of the previous candidate of a batch. */
struct store_runcache {
	const char	*name;		/* borrowed; NULL: none yet */
	int64_t		 id;		/* runs.id */
	bool		 has_model;	/* runs.model is set */
	bool		 has_ranker;	/* runs.ranker is set */
};

/* --- Helpers --- */

/* Milliseconds since the epoch. */
static int64_t
store_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * 64-bit FNV-1a of the program text, as SQLite's signed integer.  The
 * conversion of values above INT64_MAX is implementation-defined in C;
 * gcc and clang define it as modulo 2^64, which is all that is needed
 * here (the same text always gives the same key).
 */
static int64_t
store_hash(const char *s)
{
	return (int64_t)hash_fnv1a(s);
}

/*
 * Keep SQLite's message for an error "rc" and map it to an errno: a
 * locked file is -EBUSY, anything else -EIO.  Constraint failures are
 * -EIO too: store_add() checks for conflicts itself, so one that
 * reaches SQLite is a bug, not a client's mistake.
 */
static int
store_fail(struct store *st, int rc)
{
	st->err_rc = rc;
	snprintf(st->err, sizeof(st->err), "%s", sqlite3_errmsg(st->db));
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	default:
		return -EIO;
	}
}

/*
 * Step "s".  Returns 1 for a row, 0 when done, or a negative errno
 * (store_fail()).  A failed bind since the last step fails the step.
 */
static int
store_step(struct store *st, sqlite3_stmt *s)
{
	int	 rc;

	if (st->bind_rc != SQLITE_OK) {
		rc = st->bind_rc;
		st->bind_rc = SQLITE_OK;
	} else
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, rc);
}

/* Make "s" ready for its next use. */
static void
store_reset(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* The statement "which", for binding. */
static sqlite3_stmt *
store_stmt(struct store *st, enum store_sql which)
{
	return st->stmt[which];
}

/*
 * Binding.  A failure (SQLITE_RANGE, SQLITE_TOOBIG) is kept in
 * st->bind_rc and fails the next store_step(), so the callers check
 * once.  Text and blobs are SQLITE_STATIC: every caller steps and
 * resets the statement while the bound memory is alive.
 */
static void
store_bind_rc(struct store *st, int rc)
{
	if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
		st->bind_rc = rc;
}

static void
store_bind_text(struct store *st, sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		store_bind_rc(st, sqlite3_bind_null(s, i));
	else
		store_bind_rc(st, sqlite3_bind_text(s, i, v, -1,
		    SQLITE_STATIC));
}

static void
store_bind_int(struct store *st, sqlite3_stmt *s, int i, int64_t v)
{
	store_bind_rc(st, sqlite3_bind_int64(s, i, v));
}

/* A real, or NULL when "given" is false. */
static void
store_bind_real(struct store *st, sqlite3_stmt *s, int i, double v,
    bool given)
{
	if (given)
		store_bind_rc(st, sqlite3_bind_double(s, i, v));
	else
		store_bind_rc(st, sqlite3_bind_null(s, i));
}

/* An integer, or NULL when "given" is false. */
static void
store_bind_opt(struct store *st, sqlite3_stmt *s, int i, int64_t v,
    bool given)
{
	if (given)
		store_bind_rc(st, sqlite3_bind_int64(s, i, v));
	else
		store_bind_rc(st, sqlite3_bind_null(s, i));
}

/* Bind the seven limits to parameters first..first+6. */
static void
store_bind_limits(struct store *st, sqlite3_stmt *s, int first,
    const struct pool_limits *l)
{
	store_bind_int(st, s, first, l->wall_ms);
	store_bind_int(st, s, first + 1, l->cpu_ms);
	store_bind_int(st, s, first + 2, l->test_ms);
	store_bind_int(st, s, first + 3, l->mem_mb);
	store_bind_int(st, s, first + 4, l->nproc);
	store_bind_int(st, s, first + 5, l->fsize_kb);
	store_bind_int(st, s, first + 6, l->out_kb);
}

/* Column "i" as a C string, NULL for SQL NULL (valid until next step). */
static const char *
store_col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* Run a statement that returns no row, and reset it. */
static int
store_exec(struct store *st, enum store_sql which)
{
	sqlite3_stmt	*s = st->stmt[which];
	int		 r;

	r = store_step(st, s);
	store_reset(s);
	return r < 0 ? r : 0;
}

static int
store_begin(struct store *st, bool write)
{
	return store_exec(st, write ? STORE_BEGIN_WRITE : STORE_BEGIN_READ);
}

static int
store_commit(struct store *st)
{
	return store_exec(st, STORE_COMMIT);
}

/*
 * After a failure: reset every statement (a statement left stepping
 * keeps its read snapshot) and roll back an open transaction.
 */
static void
store_abort(struct store *st)
{
	char	 keep[sizeof(st->err)];

	for (int i = 0; i < STORE_NSQL; i++)
		store_reset(st->stmt[i]);
	st->bind_rc = SQLITE_OK;
	if (!sqlite3_get_autocommit(st->db)) {
		memcpy(keep, st->err, sizeof(keep));
		if (store_exec(st, STORE_ROLLBACK) < 0)
			log_warnx("store: rollback: %s", st->err);
		memcpy(st->err, keep, sizeof(keep));
	}
}

/* Column "i" as a new string, NULL for SQL NULL. */
static char *
store_col_strdup(sqlite3_stmt *s, int i)
{
	const char	*v = store_col_text(s, i);

	return v != NULL ? xstrdup(v) : NULL;
}

/* Column "i" as an integer, "none" for SQL NULL. */
static int64_t
store_col_int(sqlite3_stmt *s, int i, int64_t none)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return none;
	return sqlite3_column_int64(s, i);
}

/* Column "i" as a real, "none" for SQL NULL. */
static double
store_col_real(sqlite3_stmt *s, int i, double none)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return none;
	return sqlite3_column_double(s, i);
}

/*
 * A verdict column: -1 for NULL (not done), else the enum
 * proto_verdict of the name; a name that is none (never written by
 * this store) reads as internal.
 */
static int
store_col_verdict(sqlite3_stmt *s, int i)
{
	enum proto_verdict	 v;
	const char		*name = store_col_text(s, i);

	if (name == NULL)
		return -1;
	return proto_verdict_parse(name, &v) == 0 ? (int)v :
	    (int)PROTO_VERDICT_INTERNAL;
}

/* The struct store_meta of columns i.. (STORE_META_COLS). */
static void
store_col_meta(sqlite3_stmt *s, int i, struct store_meta *m)
{
	m->has_sample = sqlite3_column_type(s, i) != SQLITE_NULL;
	m->sample = store_col_int(s, i, 0);
	m->has_score = sqlite3_column_type(s, i + 1) != SQLITE_NULL;
	m->score = store_col_real(s, i + 1, 0);
	m->greedy = sqlite3_column_int(s, i + 2) != 0;
	m->truncated = sqlite3_column_int(s, i + 3) != 0;
	m->cost_seconds = store_col_real(s, i + 4, -1);
	m->cost_tflops = store_col_real(s, i + 5, -1);
	m->cost_tokens = store_col_int(s, i + 6, -1);
}

/* The struct store_usage of columns i.. (STORE_USAGE_COLS). */
static void
store_col_usage(sqlite3_stmt *s, int i, struct store_usage *u)
{
	u->cpu_ms = store_col_int(s, i, -1);
	u->wall_ms = store_col_int(s, i + 1, -1);
	u->max_rss_kb = store_col_int(s, i + 2, -1);
}

/*
 * The id of candidate row "rowid" with client id "ext" (or NULL) into
 * buf, which holds STORE_ID_MAX + 1 bytes.
 */
static void
store_cand_id(char *buf, int64_t rowid, const char *ext)
{
	if (ext != NULL)
		snprintf(buf, STORE_ID_MAX + 1, "%s", ext);
	else
		snprintf(buf, STORE_ID_MAX + 1, "v-%lld", (long long)rowid);
}

/*
 * Add "n" candidates of a tally row to *c: to a verdict (done ones), to
 * pending (verdict "") or to oracle_errors (STORE_TALLY_ORACLE, which
 * also counted under "error").  An unknown verdict name is logged and
 * counted as internal.
 */
static void
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

/* --- Open and close --- */

/* Run "sql" (no result rows) outside the prepared set, during open. */
static int
store_open_exec(struct store *st, const char *sql)
{
	int	 rc;

	rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(st, rc);
}

/* The integer first column of the one row of "sql", during open. */
static int
store_open_int(struct store *st, const char *sql, int64_t *v)
{
	sqlite3_stmt	*s = NULL;
	int		 rc, r;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(s, 0);
		r = 0;
	} else
		r = store_fail(st, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
	sqlite3_finalize(s);
	return r;
}

/*
 * Switch to WAL.  The pragma answers with the mode it got, which is
 * not "wal" where WAL cannot work (an in-memory database, a VFS
 * without shared memory); that is an error, not a fallback.
 */
static int
store_open_wal(struct store *st, const char *path, char *errbuf,
    size_t errlen)
{
	sqlite3_stmt	*s = NULL;
	const char	*mode;
	int		 rc, r = 0;

	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s,
	    NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		mode = store_col_text(s, 0);
		if (mode == NULL || strcmp(mode, "wal") != 0) {
			log_errbuf(errbuf, errlen, "%s: journal mode is %s, "
			    "not wal", path, mode != NULL ? mode : "unknown");
			r = -EIO;
		}
	} else {
		r = store_fail(st, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
		log_errbuf(errbuf, errlen, "%s: %s", path, st->err);
	}
	sqlite3_finalize(s);
	return r;
}

/*
 * Tell whether the file is a verdict database, of which version: *fresh
 * for an empty file, *old for one of an earlier schema that
 * store_open_migrate() brings up to date.  Reading the header is also
 * where SQLite finds a file that is not a database at all.
 */
static int
store_open_check(struct store *st, const char *path, bool *fresh,
    bool *old, char *errbuf, size_t errlen)
{
	int64_t	 app, version, nobj;
	int	 r;

	*fresh = *old = false;
	if ((r = store_open_int(st, "PRAGMA application_id", &app)) < 0 ||
	    (r = store_open_int(st, "PRAGMA user_version", &version)) < 0 ||
	    (r = store_open_int(st, "SELECT count(*) FROM sqlite_schema",
	    &nobj)) < 0) {
		if ((st->err_rc & 0xff) == SQLITE_NOTADB) {
			log_errbuf(errbuf, errlen, "%s: not a verdict database "
			    "(%s)", path, st->err);
			return -EINVAL;
		}
		log_errbuf(errbuf, errlen, "%s: %s", path, st->err);
		return r;
	}
	if (app == 0 && version == 0 && nobj == 0) {
		*fresh = true;
		return 0;
	}
	if (app != STORE_APP_ID) {
		log_errbuf(errbuf, errlen, "%s: not a verdict database "
		    "(another program's SQLite file)", path);
		return -EINVAL;
	}
	if (version > STORE_SCHEMA_VERSION) {
		log_errbuf(errbuf, errlen, "%s: schema version %lld is newer "
		    "than this verdictd's (%d)", path, (long long)version,
		    STORE_SCHEMA_VERSION);
		return -EINVAL;
	}
	if (version == 1) {
		*old = true;
		return 0;
	}
	if (version != STORE_SCHEMA_VERSION) {
		log_errbuf(errbuf, errlen, "%s: unknown schema version %lld",
		    path, (long long)version);
		return -EINVAL;
	}
	return 0;
}

/*
 * Bring a version 1 database to the current schema in one transaction
 * (another connection may have done it since store_open_check()).
 */
static int
store_open_migrate(struct store *st)
{
	int64_t	 version;
	int	 r;

	if ((r = store_open_exec(st, "BEGIN IMMEDIATE")) < 0)
		return r;
	if ((r = store_open_int(st, "PRAGMA user_version", &version)) == 0 &&
	    version == 1)
		r = store_open_exec(st, store_migrate_2);
	if (r == 0)
		r = store_open_exec(st, "COMMIT");
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

/*
 * Create the schema in one transaction.  Another connection may have
 * created it since store_open_check() looked: the version is read
 * again under the write lock.
 */
static int
store_open_create(struct store *st)
{
	char	*pragmas = NULL;
	int64_t	 version;
	int	 r;

	if ((r = store_open_exec(st, "BEGIN IMMEDIATE")) < 0)
		return r;
	if ((r = store_open_int(st, "PRAGMA user_version", &version)) < 0)
		goto out;
	if (version != 0)
		goto out;			/* store_open_check() again */
	pragmas = xasprintf("PRAGMA user_version = %d; "
	    "PRAGMA application_id = %d;", STORE_SCHEMA_VERSION,
	    STORE_APP_ID);
	if ((r = store_open_exec(st, store_schema)) < 0 ||
	    (r = store_open_exec(st, pragmas)) < 0)
		goto out;
	r = store_open_exec(st, "COMMIT");
 out:
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, r < 0 ? "ROLLBACK" : "COMMIT", NULL,
		    NULL, NULL);
	free(pragmas);
	return r;
}

/*
 * After each commit (the WAL hook, which replaces SQLite's automatic
 * checkpoint): a passive checkpoint once the WAL holds
 * STORE_WAL_PASSIVE_PAGES, as SQLite would do; and once it holds
 * STORE_WAL_RESET_PAGES, a TRUNCATE checkpoint, which waits (through
 * the busy handler) for the readers of the old WAL and then starts it
 * again from nothing.  With HTTP threads and the scheduler committing
 * in turn there is always a transaction open, so passive checkpoints
 * alone never reset the WAL: under a steady stream it grew to gigabytes.
 */
static int
store_wal_cb(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)arg;
	if (pages >= STORE_WAL_RESET_PAGES)
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	else if (pages >= STORE_WAL_PASSIVE_PAGES)
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

int
store_open(const char *path, struct store **sp, char *errbuf, size_t errlen)
{
	struct store	*st;
	char		 cache[64];
	bool		 fresh, old;
	int		 rc, r = -EIO, syserr;

	*sp = NULL;
	st = xcalloc(1, sizeof(*st));
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		syserr = st->db != NULL ? sqlite3_system_errno(st->db) : 0;
		r = syserr > 0 ? -syserr : -EIO;
		log_errbuf(errbuf, errlen, "%s: %s%s%s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) :
		    sqlite3_errstr(rc), syserr > 0 ? ": " : "",
		    syserr > 0 ? strerror(syserr) : "");
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);

	if ((r = store_open_check(st, path, &fresh, &old, errbuf,
	    errlen)) < 0)
		goto out;
	/* Outside any transaction, before the schema's first write. */
	snprintf(cache, sizeof(cache), "PRAGMA cache_size = -%d",
	    STORE_CACHE_KB);
	if ((r = store_open_wal(st, path, errbuf, errlen)) < 0)
		goto out;
	if ((r = store_open_exec(st, "PRAGMA synchronous = FULL")) < 0 ||
	    (r = store_open_exec(st, "PRAGMA foreign_keys = ON")) < 0 ||
	    (r = store_open_exec(st, "PRAGMA journal_size_limit = "
	    STORE_WAL_LIMIT_BYTES)) < 0 ||
	    (r = store_open_exec(st, cache)) < 0)
		goto sqlerr;
	sqlite3_wal_hook(st->db, store_wal_cb, NULL);
	if (fresh || old) {
		if ((r = fresh ? store_open_create(st) :
		    store_open_migrate(st)) < 0)
			goto sqlerr;
		if ((r = store_open_check(st, path, &fresh, &old, errbuf,
		    errlen)) < 0)
			goto out;
		if (old || fresh) {
			log_errbuf(errbuf, errlen, "%s: schema not brought up "
			    "to date", path);
			r = -EINVAL;
			goto out;
		}
	}
	for (int i = 0; i < STORE_NSQL; i++) {
		rc = sqlite3_prepare_v3(st->db, store_sql_text[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL);
		if (rc != SQLITE_OK) {
			r = store_fail(st, rc);
			goto sqlerr;
		}
	}
	*sp = st;
	st = NULL;
	r = 0;
	goto out;
 sqlerr:
	log_errbuf(errbuf, errlen, "%s: %s", path, st->err);
 out:
	store_close(st);
	return r;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < STORE_NSQL; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_warnx("store: close: %s", sqlite3_errmsg(st->db));
	free(st);
}

int
store_recover(struct store *st, size_t *requeued)
{
	int	 r;

	*requeued = 0;
	if ((r = store_begin(st, true)) < 0 ||
	    (r = store_exec(st, STORE_RECOVER)) < 0)
		goto out;
	*requeued = (size_t)sqlite3_changes64(st->db);
	if ((r = store_exec(st, STORE_QUEUE_RECOUNT)) < 0)
		goto out;
	r = store_commit(st);
 out:
	if (r < 0) {
		*requeued = 0;
		store_abort(st);
		log_warnx("%s: %s", __func__, st->err);
	}
	return r;
}

int
store_count_queued(struct store *st, size_t *n)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_COUNT_QUEUED);
	int		 r;

	*n = 0;
	if ((r = store_step(st, s)) == 1) {
		*n = (size_t)sqlite3_column_int64(s, 0);
		r = 0;
	}
	store_reset(s);
	if (r < 0)
		log_warnx("%s: %s", __func__, st->err);
	return r < 0 ? r : 0;
}

/* Add "delta" to the count of queued jobs, in the open transaction. */
static int
store_queue_add(struct store *st, int64_t delta)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_QUEUE_ADD);
	int		 r;

	if (delta == 0)
		return 0;
	store_bind_int(st, s, 1, delta);
	r = store_step(st, s);
	store_reset(s);
	return r < 0 ? r : 0;
}

/* --- Submission --- */

/* Write the tally changes kept in t[0..*nt-1] and empty the list. */
static int
store_tally_flush(struct store *st, struct store_tally *t, size_t *nt)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_TALLY_ADD);
	int		 r = 0;

	for (size_t i = 0; i < *nt && r == 0; i++) {
		if (t[i].n == 0)
			continue;
		store_bind_int(st, s, 1, t[i].run_id);
		store_bind_text(st, s, 2, t[i].task_id);
		store_bind_text(st, s, 3, t[i].verdict);
		store_bind_int(st, s, 4, t[i].n);
		r = store_step(st, s);
		store_reset(s);
	}
	*nt = 0;
	return r < 0 ? r : 0;
}

/*
 * Add "n" to the tally (run, task, verdict): merged into the previous
 * change when it names the same row (batches come grouped by task),
 * else kept, writing the list out when full.
 */
static int
store_tally(struct store *st, struct store_tally *t, size_t *nt,
    int64_t run_id, const char *task_id, const char *verdict, int64_t n)
{
	struct store_tally	*last;
	int			 r;

	if (*nt > 0) {
		last = &t[*nt - 1];
		if (last->run_id == run_id &&
		    strcmp(last->verdict, verdict) == 0 &&
		    strcmp(last->task_id, task_id) == 0) {
			last->n += n;
			return 0;
		}
	}
	if (*nt == STORE_TALLY_MAX && (r = store_tally_flush(st, t, nt)) < 0)
		return r;
	t[(*nt)++] = (struct store_tally){ run_id, task_id, verdict, n };
	return 0;
}

/* Check one candidate before the transaction; -EINVAL with a reason. */
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

/*
 * The id of run c->run into rc->id, creating the run when new (with
 * the candidate's model).  The previous candidate's run is remembered.
 */
static int
store_add_run(struct store *st, const struct store_cand *c, int64_t now,
    struct store_runcache *rc)
{
	sqlite3_stmt	*s;
	int		 r;

	if (rc->name != NULL && strcmp(rc->name, c->run) == 0)
		return 0;
	s = store_stmt(st, STORE_RUN_BY_NAME);
	store_bind_text(st, s, 1, c->run);
	r = store_step(st, s);
	if (r == 1) {
		rc->id = sqlite3_column_int64(s, 0);
		rc->has_model = sqlite3_column_type(s, 2) != SQLITE_NULL;
		rc->has_ranker = sqlite3_column_type(s, 4) != SQLITE_NULL;
	}
	store_reset(s);
	if (r < 0)
		return r;
	if (r == 0) {
		s = store_stmt(st, STORE_RUN_INSERT);
		store_bind_text(st, s, 1, c->run);
		store_bind_text(st, s, 2, c->model);
		store_bind_int(st, s, 3, now);
		store_bind_text(st, s, 4, c->ranker);
		r = store_step(st, s);
		store_reset(s);
		if (r < 0)
			return r;
		rc->id = sqlite3_last_insert_rowid(st->db);
		rc->has_model = c->model != NULL;
		rc->has_ranker = c->ranker != NULL;
	}
	rc->name = c->run;
	return 0;
}

/*
 * Look for an identical job (same task, program text and limits).
 * Returns 1 with its id in *job and, when done, its verdict (static)
 * in *verdict; 0 when there is none; or a negative errno.
 */
static int
store_add_find_job(struct store *st, const struct store_cand *c,
    int64_t hash, int64_t *job, const char **verdict)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_JOB_FIND);
	int		 r, v;

	*verdict = NULL;
	store_bind_text(st, s, 1, c->task_id);
	store_bind_int(st, s, 2, hash);
	store_bind_text(st, s, 3, c->program);
	store_bind_limits(st, s, 4, &c->limits);
	if ((r = store_step(st, s)) == 1) {
		*job = sqlite3_column_int64(s, 0);
		if (sqlite3_column_int(s, 1) == STORE_DONE) {
			if ((v = store_col_verdict(s, 2)) < 0)
				v = PROTO_VERDICT_INTERNAL;
			*verdict = proto_verdict_name((enum proto_verdict)v);
		}
	}
	store_reset(s);
	return r;
}

/* Store candidate c[i] (see store_add()). */
static int
store_add_one(struct store *st, const struct store_cand *c, size_t i,
    int64_t now, struct store_runcache *rc, struct store_tally *t,
    size_t *nt, struct store_added *out, char *errbuf, size_t errlen)
{
	const struct store_meta *m = &c->meta;
	sqlite3_stmt	*s;
	const char	*verdict = NULL;
	int64_t		 hash, job = 0;
	int		 r;

	/* A known client id: the same candidate again, or a conflict. */
	if (c->id != NULL) {
		s = store_stmt(st, STORE_CAND_BY_EXT);
		store_bind_text(st, s, 1, c->id);
		if ((r = store_step(st, s)) == 1) {
			if (strcmp(store_col_text(s, 2), c->run) != 0 ||
			    strcmp(store_col_text(s, 3), c->task_id) != 0) {
				log_errbuf(errbuf, errlen, "candidate %zu: id "
				    "\"%s\" is already used by run %s task %s",
				    i, c->id, store_col_text(s, 2),
				    store_col_text(s, 3));
				r = -EEXIST;
			} else {
				out->existed = true;
				out->run_id = sqlite3_column_int64(s, 1);
				store_cand_id(out->id, 0, c->id);
			}
		}
		store_reset(s);
		if (r != 0)
			return r < 0 ? r : 0;
	}

	if ((r = store_add_run(st, c, now, rc)) < 0)
		return r;
	out->run_id = rc->id;

	/* A known (run, task, sample): the same candidate again. */
	if (m->has_sample) {
		s = store_stmt(st, STORE_CAND_BY_SAMPLE);
		store_bind_int(st, s, 1, rc->id);
		store_bind_text(st, s, 2, c->task_id);
		store_bind_int(st, s, 3, m->sample);
		if ((r = store_step(st, s)) == 1) {
			out->existed = true;
			store_cand_id(out->id, sqlite3_column_int64(s, 0),
			    store_col_text(s, 1));
		}
		store_reset(s);
		if (r != 0)
			return r < 0 ? r : 0;
	}

	if ((!rc->has_model && c->model != NULL) ||
	    (!rc->has_ranker && c->ranker != NULL)) {
		s = store_stmt(st, STORE_RUN_SET_MODEL);
		store_bind_int(st, s, 1, rc->id);
		store_bind_text(st, s, 2, c->model);
		store_bind_text(st, s, 3, c->ranker);
		r = store_step(st, s);
		store_reset(s);
		if (r < 0)
			return r;
		rc->has_model = rc->has_model || c->model != NULL;
		rc->has_ranker = rc->has_ranker || c->ranker != NULL;
	}

	hash = store_hash(c->program);
	if ((r = store_add_find_job(st, c, hash, &job, &verdict)) < 0)
		return r;
	if (r == 0) {
		s = store_stmt(st, STORE_JOB_INSERT);
		store_bind_int(st, s, 1, rc->id);
		store_bind_text(st, s, 2, c->task_id);
		store_bind_int(st, s, 3, hash);
		store_bind_limits(st, s, 4, &c->limits);
		store_bind_text(st, s, 11, c->program);
		store_bind_int(st, s, 12, now);
		r = store_step(st, s);
		store_reset(s);
		if (r < 0)
			return r;
		job = sqlite3_last_insert_rowid(st->db);
		out->new_job = true;
	}

	s = store_stmt(st, STORE_CAND_INSERT);
	store_bind_text(st, s, 1, c->id);
	store_bind_int(st, s, 2, rc->id);
	store_bind_text(st, s, 3, c->task_id);
	store_bind_opt(st, s, 4, m->sample, m->has_sample);
	store_bind_int(st, s, 5, job);
	store_bind_text(st, s, 6, verdict);
	store_bind_real(st, s, 7, m->score, m->has_score);
	store_bind_int(st, s, 8, m->greedy);
	store_bind_int(st, s, 9, m->truncated);
	store_bind_real(st, s, 10, m->cost_seconds, m->cost_seconds >= 0);
	store_bind_real(st, s, 11, m->cost_tflops, m->cost_tflops >= 0);
	store_bind_opt(st, s, 12, m->cost_tokens, m->cost_tokens >= 0);
	store_bind_int(st, s, 13, now);
	r = store_step(st, s);
	store_reset(s);
	if (r < 0)
		return r;
	store_cand_id(out->id, sqlite3_last_insert_rowid(st->db), c->id);
	return store_tally(st, t, nt, rc->id, c->task_id,
	    verdict != NULL ? verdict : "", 1);
}

/*
 * The batch is one write transaction.  Per candidate it costs a few
 * index probes and inserts; the run of the previous candidate and the
 * tally changes are kept in memory so a batch of one run and a few
 * problems writes each tally row once.
 */
int
store_add(struct store *st, const struct store_cand *c, size_t n,
    struct store_added *out, size_t *new_jobs, char *errbuf, size_t errlen)
{
	struct store_tally	 t[STORE_TALLY_MAX];
	struct store_runcache	 rc = { NULL, 0, false, false };
	size_t			 nt = 0, created = 0;
	int64_t			 now;
	int			 r;

	*new_jobs = 0;
	for (size_t i = 0; i < n; i++) {
		if ((r = store_add_check(&c[i], i, errbuf, errlen)) < 0)
			return r;
		memset(&out[i], 0, sizeof(out[i]));
	}
	if (n == 0)
		return 0;
	now = store_now_ms();
	st->err[0] = '\0';
	if ((r = store_begin(st, true)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		r = store_add_one(st, &c[i], i, now, &rc, t, &nt, &out[i],
		    errbuf, errlen);
		if (r < 0)
			goto out;
		if (out[i].new_job)
			created++;
	}
	if ((r = store_tally_flush(st, t, &nt)) < 0 ||
	    (r = store_queue_add(st, (int64_t)created)) < 0 ||
	    (r = store_commit(st)) < 0)
		goto out;
	*new_jobs = created;
 out:
	if (r < 0) {
		store_abort(st);
		if (r != -EEXIST)
			log_errbuf(errbuf, errlen, "database: %s", st->err);
		for (size_t i = 0; i < n; i++)
			memset(&out[i], 0, sizeof(out[i]));
	}
	return r;
}

/* --- Scheduling --- */

int
store_queued_runs(struct store *st, int64_t **ids, size_t *n)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_QUEUED_RUN_NEXT);
	int64_t		*v = NULL, last = INT64_MIN;
	size_t		 nv = 0, cap = 0;
	int		 r;

	*ids = NULL;
	*n = 0;
	if ((r = store_begin(st, false)) < 0)
		goto out;
	for (;;) {
		store_bind_int(st, s, 1, last);
		r = store_step(st, s);
		if (r == 1)
			last = sqlite3_column_int64(s, 0);
		store_reset(s);
		if (r <= 0)
			break;
		if (nv == cap) {
			cap = cap ? 2 * cap : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[nv++] = last;
	}
	if (r < 0 || (r = store_commit(st)) < 0)
		goto out;
	*ids = v;
	*n = nv;
	v = NULL;
 out:
	if (r < 0) {
		store_abort(st);
		log_warnx("%s: %s", __func__, st->err);
	}
	free(v);
	return r;
}

int
store_queued_jobs(struct store *st, int64_t run_id, int64_t after,
    size_t max, struct store_job *jobs, size_t *n)
{
	sqlite3_stmt		*s = store_stmt(st, STORE_QUEUED_JOBS);
	struct store_job	*j;
	size_t			 nj = 0;
	int			 r = 0;

	*n = 0;
	if (max == 0)
		return 0;
	store_bind_int(st, s, 1, run_id);
	store_bind_int(st, s, 2, after);
	store_bind_int(st, s, 3, max > INT64_MAX ? INT64_MAX : (int64_t)max);
	while (nj < max && (r = store_step(st, s)) == 1) {
		j = &jobs[nj++];
		j->id = sqlite3_column_int64(s, 0);
		j->run_id = sqlite3_column_int64(s, 1);
		j->task_id = xstrdup(store_col_text(s, 2));
		j->program = xstrdup(store_col_text(s, 3));
		j->limits.wall_ms = (uint32_t)sqlite3_column_int64(s, 4);
		j->limits.cpu_ms = (uint32_t)sqlite3_column_int64(s, 5);
		j->limits.test_ms = (uint32_t)sqlite3_column_int64(s, 6);
		j->limits.mem_mb = (uint32_t)sqlite3_column_int64(s, 7);
		j->limits.nproc = (uint32_t)sqlite3_column_int64(s, 8);
		j->limits.fsize_kb = (uint32_t)sqlite3_column_int64(s, 9);
		j->limits.out_kb = (uint32_t)sqlite3_column_int64(s, 10);
	}
	store_reset(s);
	if (r < 0) {
		for (size_t i = 0; i < nj; i++)
			store_job_free(&jobs[i]);
		log_warnx("%s: %s", __func__, st->err);
		return r;
	}
	*n = nj;
	return 0;
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

/*
 * Finish one job: store its result, give its candidates the verdict
 * and move their tallies from "" to it; one less queued job in *queued
 * when it had not started.  A job already done (or not there) is left
 * alone, so a result delivered twice is counted once.
 */
static int
store_update_done(struct store *st, const struct store_result *d,
    int64_t now, int64_t *queued)
{
	sqlite3_stmt	*s, *t;
	const struct sandbox_result *res = &d->res;
	const char	*verdict = proto_verdict_name(res->verdict);
	json_t		*tests;
	char		*tests_txt = NULL, *task = NULL;
	int64_t		 k;
	int		 r, state = STORE_DONE, moves;
	bool		 oracle = res->oracle_error;

	s = store_stmt(st, STORE_JOB_STATE);
	store_bind_int(st, s, 1, d->job);
	if ((r = store_step(st, s)) == 1) {
		state = sqlite3_column_int(s, 0);
		task = xstrdup(store_col_text(s, 1));
	}
	store_reset(s);
	if (r < 0 || state == STORE_DONE)
		goto out;		/* done before, or no such job */
	if (state == STORE_QUEUED)
		(*queued)--;

	if ((tests = sandbox_result_tests_json(res)) != NULL)
		tests_txt = json_dumps(tests, JSON_COMPACT);
	json_decref(tests);
	s = store_stmt(st, STORE_JOB_FINISH);
	store_bind_int(st, s, 1, d->job);
	store_bind_text(st, s, 2, verdict);
	store_bind_text(st, s, 3, tests_txt != NULL ? tests_txt : "[]");
	store_bind_int(st, s, 4, res->cpu_ms);
	store_bind_int(st, s, 5, res->wall_ms);
	store_bind_int(st, s, 6, res->max_rss_kb);
	store_bind_text(st, s, 7, res->stderr_text != NULL ?
	    res->stderr_text : "");
	store_bind_text(st, s, 8, res->message != NULL ? res->message : "");
	store_bind_int(st, s, 9, now);
	store_bind_int(st, s, 10, oracle);
	r = store_step(st, s);
	store_reset(s);
	if (r < 0)
		goto out;

	s = store_stmt(st, STORE_CAND_SET_VERDICT);
	store_bind_int(st, s, 1, d->job);
	store_bind_text(st, s, 2, verdict);
	store_bind_int(st, s, 3, oracle);
	r = store_step(st, s);
	store_reset(s);
	if (r < 0)
		goto out;

	/*
	 * Per run of the job's candidates, "" loses them and the verdict
	 * gains them (and the oracle's failures are counted too).  Reading
	 * candidates while writing tallies is fine: different tables, one
	 * connection.
	 */
	s = store_stmt(st, STORE_JOB_RUNS);
	t = store_stmt(st, STORE_TALLY_ADD);
	store_bind_int(st, s, 1, d->job);
	moves = oracle ? 3 : 2;
	while ((r = store_step(st, s)) == 1) {
		k = sqlite3_column_int64(s, 1);
		for (int move = 0; move < moves && r >= 0; move++) {
			store_bind_int(st, t, 1, sqlite3_column_int64(s, 0));
			store_bind_text(st, t, 2, task);
			store_bind_text(st, t, 3, move == 0 ? "" : move == 1 ?
			    verdict : STORE_TALLY_ORACLE);
			store_bind_int(st, t, 4, move == 0 ? -k : k);
			r = store_step(st, t);
			store_reset(t);
		}
		if (r < 0)
			break;
	}
	store_reset(s);
 out:
	free(tests_txt);
	free(task);
	return r < 0 ? r : 0;
}

int
store_update(struct store *st, const int64_t *started, size_t nstarted,
    const struct store_result *done, size_t ndone)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_JOB_START);
	int64_t		 now, queued = 0;
	int		 r;

	if (nstarted == 0 && ndone == 0)
		return 0;
	now = store_now_ms();
	if ((r = store_begin(st, true)) < 0)
		goto out;
	for (size_t i = 0; i < nstarted; i++) {
		store_bind_int(st, s, 1, started[i]);
		r = store_step(st, s);
		store_reset(s);
		if (r < 0)
			goto out;
		queued -= sqlite3_changes(st->db);
	}
	for (size_t i = 0; i < ndone; i++) {
		if ((r = store_update_done(st, &done[i], now, &queued)) < 0)
			goto out;
	}
	if ((r = store_queue_add(st, queued)) < 0)
		goto out;
	r = store_commit(st);
 out:
	if (r < 0) {
		store_abort(st);
		log_warnx("%s: %s", __func__, st->err);
	}
	return r;
}

/* --- Queries --- */

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

/* The candidate at the current row of "s" (STORE_CAND_SELECT) into *c. */
static void
store_cand_read(sqlite3_stmt *s, struct store_candidate *c)
{
	int	 state = sqlite3_column_int(s, 14);

	store_cand_id(c->id, sqlite3_column_int64(s, 0), store_col_text(s,
	    1));
	c->run = store_col_strdup(s, 2);
	c->model = store_col_strdup(s, 3);
	c->task_id = store_col_strdup(s, 4);
	c->job = sqlite3_column_int64(s, 5);
	c->verdict = store_col_verdict(s, 6);
	store_col_meta(s, 7, &c->meta);
	c->state = state == STORE_RUNNING || state == STORE_DONE ?
	    (enum store_state)state : STORE_QUEUED;
	if (c->state != STORE_DONE) {
		c->usage = (struct store_usage){ -1, -1, -1 };
		return;
	}
	store_col_usage(s, 15, &c->usage);
	c->tests = store_col_strdup(s, 18);
	c->stderr_text = store_col_strdup(s, 19);
	c->message = store_col_strdup(s, 20);
	c->oracle_error = sqlite3_column_int(s, 21) != 0;
}

int
store_candidate(struct store *st, const char *id, struct store_candidate *out)
{
	sqlite3_stmt	*s;
	int64_t		 row;
	int		 r;

	memset(out, 0, sizeof(*out));
	if ((row = store_parse_vid(id)) > 0) {
		s = store_stmt(st, STORE_CAND_GET_ROW);
		store_bind_int(st, s, 1, row);
	} else if (strncmp(id, "v-", 2) == 0)
		return -ENOENT;
	else {
		s = store_stmt(st, STORE_CAND_GET_EXT);
		store_bind_text(st, s, 1, id);
	}
	if ((r = store_step(st, s)) == 1) {
		store_cand_read(s, out);
		r = 0;
	} else if (r == 0)
		r = -ENOENT;
	store_reset(s);
	if (r < 0 && r != -ENOENT)
		log_warnx("%s: %s", __func__, st->err);
	return r;
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
	memset(c, 0, sizeof(*c));
}

/*
 * The run at the current row of "row" (STORE_RUN_SELECT) into *out,
 * from its tallies and the running jobs.
 */
static int
store_run_read(struct store *st, sqlite3_stmt *row, struct store_run *out)
{
	sqlite3_stmt	*s;
	int64_t		 id = sqlite3_column_int64(row, 0);
	char		*task = NULL;
	const char	*t;
	int		 r;

	memset(out, 0, sizeof(*out));
	/*
	 * A few rows per problem.  Rows come by task_id, so each change of
	 * task_id is one more problem; a row exists only for a problem
	 * with candidates.
	 */
	s = store_stmt(st, STORE_RUN_TALLIES);
	store_bind_int(st, s, 1, id);
	while ((r = store_step(st, s)) == 1) {
		t = store_col_text(s, 0);
		if (task == NULL || strcmp(task, t) != 0) {
			free(task);
			task = xstrdup(t);
			out->problems++;
		}
		store_count_verdict(store_col_text(s, 1),
		    sqlite3_column_int64(s, 2), &out->counts);
	}
	store_reset(s);
	free(task);
	if (r < 0)
		return r;

	s = store_stmt(st, STORE_RUN_RUNNING);
	store_bind_int(st, s, 1, id);
	if ((r = store_step(st, s)) == 1)
		out->running = sqlite3_column_int64(s, 0);
	store_reset(s);
	if (r < 0)
		return r;
	if (out->running > out->counts.pending)
		out->running = out->counts.pending;
	out->name = store_col_strdup(row, 1);
	out->model = store_col_strdup(row, 2);
	out->created_ms = sqlite3_column_int64(row, 3);
	out->ranker = store_col_strdup(row, 4);
	return 0;
}

/*
 * Look run "name" up in a read transaction the caller opened.  Returns
 * 1 with the row current in the STORE_RUN_BY_NAME statement (which the
 * caller resets), 0 when there is none, or a negative errno.
 */
static int
store_find_run(struct store *st, const char *name)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_RUN_BY_NAME);

	store_bind_text(st, s, 1, name);
	return store_step(st, s);
}

int
store_run(struct store *st, const char *run, struct store_run *out)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_RUN_BY_NAME);
	int		 r;

	memset(out, 0, sizeof(*out));
	if ((r = store_begin(st, false)) < 0)
		goto out;
	if ((r = store_find_run(st, run)) == 1)
		r = store_run_read(st, s, out);
	else if (r == 0)
		r = -ENOENT;
	store_reset(s);
	if (r < 0)
		goto out;
	r = store_commit(st);
 out:
	if (r < 0) {
		store_run_free(out);
		store_abort(st);
		if (r != -ENOENT)
			log_warnx("%s: %s", __func__, st->err);
	}
	return r;
}

int
store_runs(struct store *st, struct store_run **runs, size_t *n)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_RUN_LIST);
	struct store_run *v = NULL;
	size_t		 nv = 0, cap = 0;
	int		 r;

	*runs = NULL;
	*n = 0;
	if ((r = store_begin(st, false)) < 0)
		goto out;
	while ((r = store_step(st, s)) == 1) {
		if (nv == cap) {
			cap = cap ? 2 * cap : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		if ((r = store_run_read(st, s, &v[nv])) < 0)
			break;
		nv++;
	}
	store_reset(s);
	if (r < 0 || (r = store_commit(st)) < 0)
		goto out;
	*runs = v;
	*n = nv;
	v = NULL;
 out:
	if (r < 0) {
		store_abort(st);
		log_warnx("%s: %s", __func__, st->err);
	}
	store_runs_free(v, nv);
	return r;
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
	sqlite3_stmt	*s = store_stmt(st, STORE_RUN_TALLIES);
	sqlite3_stmt	*rs = store_stmt(st, STORE_RUN_BY_NAME);
	struct store_problem *v = NULL;
	size_t		 nv = 0, cap = 0;
	int64_t		 id;
	const char	*t;
	int		 r;

	*probs = NULL;
	*n = 0;
	if ((r = store_begin(st, false)) < 0)
		goto out;
	r = store_find_run(st, run);
	id = r == 1 ? sqlite3_column_int64(rs, 0) : 0;
	store_reset(rs);
	if (r == 0)
		r = -ENOENT;
	if (r < 0)
		goto out;

	/* Rows come by task_id; each change of task_id starts a problem. */
	store_bind_int(st, s, 1, id);
	while ((r = store_step(st, s)) == 1) {
		t = store_col_text(s, 0);
		if (nv == 0 || strcmp(v[nv - 1].task_id, t) != 0) {
			if (nv == cap) {
				cap = cap ? 2 * cap : 256;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			memset(&v[nv], 0, sizeof(v[nv]));
			v[nv++].task_id = xstrdup(t);
		}
		store_count_verdict(store_col_text(s, 1),
		    sqlite3_column_int64(s, 2), &v[nv - 1].counts);
	}
	store_reset(s);
	if (r < 0 || (r = store_commit(st)) < 0)
		goto out;
	*probs = v;
	*n = nv;
	v = NULL;
 out:
	if (r < 0) {
		store_abort(st);
		if (r != -ENOENT)
			log_warnx("%s: %s", __func__, st->err);
	}
	store_problems_free(v, nv);
	return r;
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
    size_t max, int (*cb)(const struct store_verdict *, void *), void *arg,
    int64_t *last)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_RESULTS);
	sqlite3_stmt	*rs = store_stmt(st, STORE_RUN_BY_NAME);
	struct store_verdict v;
	int64_t		 id, end = after;
	int		 r;

	*last = after;
	if ((r = store_begin(st, false)) < 0)
		goto out;
	r = store_find_run(st, run);
	id = r == 1 ? sqlite3_column_int64(rs, 0) : 0;
	store_reset(rs);
	if (r == 0)
		r = -ENOENT;
	if (r < 0)
		goto out;
	if (max > 0) {
		store_bind_int(st, s, 1, id);
		store_bind_int(st, s, 2, after);
		store_bind_int(st, s, 3, max > INT64_MAX ? INT64_MAX :
		    (int64_t)max);
		while ((r = store_step(st, s)) == 1) {
			v.row = end = sqlite3_column_int64(s, 0);
			store_cand_id(v.id, v.row, store_col_text(s, 1));
			v.task_id = store_col_text(s, 2);
			v.verdict = store_col_verdict(s, 3);
			store_col_meta(s, 4, &v.meta);
			store_col_usage(s, 11, &v.usage);
			if ((r = cb(&v, arg)) != 0)
				break;
		}
		store_reset(s);
		if (r < 0 || (r > 0 && (r = -ECANCELED) < 0))
			goto out;
	}
	if ((r = store_commit(st)) < 0)
		goto out;
	*last = end;
 out:
	if (r < 0) {
		store_abort(st);
		if (r != -ENOENT && r != -ECANCELED)
			log_warnx("%s: %s", __func__, st->err);
	}
	return r;
}

int
store_run_samples(struct store *st, const char *run, char **model,
    char **ranker, int (*cb)(const struct store_sample *, void *),
    void *arg)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_SAMPLES);
	sqlite3_stmt	*rs = store_stmt(st, STORE_RUN_BY_NAME);
	struct store_sample smp;
	int64_t		 id = 0;
	int		 r;

	*model = *ranker = NULL;
	if ((r = store_begin(st, false)) < 0)
		goto out;
	r = store_find_run(st, run);
	if (r == 1) {
		id = sqlite3_column_int64(rs, 0);
		*model = store_col_strdup(rs, 2);
		*ranker = store_col_strdup(rs, 4);
	}
	store_reset(rs);
	if (r == 0)
		r = -ENOENT;
	if (r < 0)
		goto out;
	store_bind_int(st, s, 1, id);
	while ((r = store_step(st, s)) == 1) {
		memset(&smp, 0, sizeof(smp));
		smp.task_id = store_col_text(s, 0);
		smp.verdict = store_col_verdict(s, 1);
		smp.s.passed = smp.verdict == PROTO_VERDICT_PASSED;
		smp.s.greedy = sqlite3_column_int(s, 2) != 0;
		smp.s.truncated = sqlite3_column_int(s, 3) != 0;
		smp.s.has_score = sqlite3_column_type(s, 4) != SQLITE_NULL;
		smp.s.score = store_col_real(s, 4, 0);
		smp.s.seconds = store_col_real(s, 5, -1);
		smp.s.tflops = store_col_real(s, 6, -1);
		smp.oracle_error = sqlite3_column_int(s, 7) != 0;
		if ((r = cb(&smp, arg)) != 0)
			break;
	}
	store_reset(s);
	if (r < 0 || (r > 0 && (r = -ECANCELED) < 0))
		goto out;
	r = store_commit(st);
 out:
	if (r < 0) {
		store_abort(st);
		if (r != -ENOENT && r != -ECANCELED)
			log_warnx("%s: %s", __func__, st->err);
		free(*model);
		free(*ranker);
		*model = *ranker = NULL;
	}
	return r;
}

/* --- Imports --- */

int
store_import_add(struct store *st, const char *format, const void *body,
    size_t len, int64_t *id)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_IMPORT_ADD);
	int		 r;

	*id = 0;
	if (len > INT_MAX) {
		snprintf(st->err, sizeof(st->err), "body of %zu bytes", len);
		r = -EIO;
		goto out;
	}
	if ((r = store_begin(st, true)) < 0)
		goto out;
	store_bind_text(st, s, 1, format);
	/* A zero-length blob, not NULL, for an empty body. */
	store_bind_rc(st, sqlite3_bind_blob(s, 2, len > 0 ? body : "",
	    (int)len, SQLITE_STATIC));
	store_bind_int(st, s, 3, store_now_ms());
	r = store_step(st, s);
	store_reset(s);
	if (r < 0)
		goto out;
	*id = sqlite3_last_insert_rowid(st->db);
	r = store_commit(st);
 out:
	if (r < 0) {
		*id = 0;
		store_abort(st);
		log_warnx("%s: %s", __func__, st->err);
	}
	return r;
}

int
store_import_each(struct store *st, int (*cb)(int64_t id,
    const char *format, const void *body, size_t len, void *arg), void *arg)
{
	sqlite3_stmt	*s = store_stmt(st, STORE_IMPORT_LIST);
	const void	*body;
	int		 r, cr = 0;

	while ((r = store_step(st, s)) == 1) {
		body = sqlite3_column_blob(s, 2);
		cr = cb(sqlite3_column_int64(s, 0), store_col_text(s, 1),
		    body != NULL ? body : "",
		    (size_t)sqlite3_column_bytes(s, 2), arg);
		if (cr != 0)
			break;
	}
	store_reset(s);
	if (r < 0) {
		log_warnx("%s: %s", __func__, st->err);
		return r;
	}
	return cr;
}
