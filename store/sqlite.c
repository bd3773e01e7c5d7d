/*
 * sqlite.c - the store's SQLite backend: the database file, its schema
 * and the connection; statements, transactions, binding and columns for
 * the other sqlite-*.c files; the operations table.  See sqlite-int.h.
 *
 * The tables, their indexes and the migrations from earlier versions are
 * store/schema.sql, compiled in; the schema version is
 * LITE_SCHEMA_VERSION in PRAGMA user_version, and PRAGMA application_id
 * holds LITE_APP_ID, which tells a verdict database from any other
 * SQLite file.
 *
 * Connection settings: WAL, synchronous=FULL (a commit is on disk when
 * it returns), foreign_keys on, busy timeout LITE_BUSY_MS.  Every
 * statement is prepared once per connection, kept in struct lite, and
 * reset with its bindings cleared after each use.  Write transactions
 * start with BEGIN IMMEDIATE: a deferred transaction that reads first
 * and then writes can fail with SQLITE_BUSY at once (no busy wait) when
 * another connection wrote in between; taking the write lock up front
 * makes writers queue on the busy timeout instead.  Any error rolls the
 * transaction back, so nothing is half-written.  Queries that read with
 * several statements do it in one read transaction: one snapshot.
 * No statement needs a temporary b-tree (checked with EXPLAIN QUERY
 * PLAN and EXPLAIN): those cost a page cache each time they run.  The
 * one exception is a run's deletion, rare, whose "IN" list of the run's
 * jobs is one (LITE_RUN_JOBS).
 *
 * Sections: statements, helpers, open and close.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/sqlite-int.h"

#define LITE_SCHEMA_VERSION	3
#define LITE_APP_ID	1987208308	/* 0x76726474, "vrdt" */
#define LITE_BUSY_MS	10000		/* wait for other writers */
#define LITE_WAL_PASSIVE_PAGES	1000	/* SQLite's own default */
#define LITE_WAL_RESET_PAGES	8192	/* 32 MiB of 4 KiB pages */
#define LITE_WAL_LIMIT_BYTES	"33554432"	/* the WAL kept after a reset */
#define LITE_CACHE_KB	32768		/* page cache per connection */

/*
 * store/schema.sql, compiled in (tools/embed.sh): sections from a
 * line "-- @NAME" to the next.
 */
extern const char lite_schema_sql[];

/* --- Statements --- */

/* A candidate's struct store_meta, as lite_col_meta() reads it. */
#define LITE_META_COLS							\
	"c.sample, c.score, c.greedy, c.truncated, c.cost_seconds, "	\
	"c.cost_tflops, c.cost_tokens"

/* A job's struct store_usage, as lite_col_usage() reads it. */
#define LITE_USAGE_COLS "j.cpu_ms, j.wall_ms, j.max_rss_kb"

/* The columns of a candidate as lite_cand_read() reads them. */
#define LITE_CAND_SELECT						\
	"SELECT c.id, c.ext_id, r.name, r.model, c.task_id, c.job_id, "	\
	"c.verdict, " LITE_META_COLS ", j.state, " LITE_USAGE_COLS ", " \
	"j.tests, j.stderr, j.message, j.oracle_error, c.original "	\
	"FROM candidates AS c JOIN runs AS r ON r.id = c.run_id "	\
	"JOIN jobs AS j ON j.id = c.job_id "

/*
 * The id of a new row of "table": above every row it has and every row
 * a run's deletion removed (the counters row "TABLE_id_max"), so that no
 * id is given twice (SQLite's own would take max(id) + 1).  Read once
 * per batch (LITE_NEXT_IDS) for candidates and jobs, whose ids the
 * batch then counts up from (one writer at a time: nobody else takes
 * one meanwhile); per row for runs, rare.
 */
#define LITE_NEXT_ID(table)						\
	"(max(coalesce((SELECT max(id) FROM " table "), 0), "		\
	"coalesce((SELECT n FROM counters WHERE name = '" table		\
	"_id_max'), 0)) + 1)"

/* The jobs of run ?1's candidates. */
#define LITE_RUN_JOBS	"(SELECT job_id FROM candidates WHERE run_id = ?1)"

/*
 * The run that inherits job "job" when run ?1 goes: the oldest other
 * run with a candidate of it (candidates_job gives it), or NULL.
 */
#define LITE_HEIR(job)							\
	"(SELECT min(o.run_id) FROM candidates AS o "			\
	"WHERE o.job_id = " job " AND o.run_id <> ?1)"

/* The columns of a done candidate as lite_results() reads them. */
#define LITE_VERDICT_SELECT						\
	"SELECT c.id, c.ext_id, c.task_id, c.verdict, " LITE_META_COLS	\
	", " LITE_USAGE_COLS ", c.seq, c.original IS NOT NULL, "	\
	"j.message, j.tests, j.stderr, c.original "			\
	"FROM candidates AS c JOIN jobs AS j ON j.id = c.job_id "

/* The columns of a run as lite_run_read() reads them. */
#define LITE_RUN_SELECT \
	"SELECT id, name, model, created_ms, ranker FROM runs "

static const char *const lite_sql_text[LITE_NSQL] = {
	[LITE_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[LITE_BEGIN_READ] = "BEGIN",
	[LITE_COMMIT] = "COMMIT",
	[LITE_ROLLBACK] = "ROLLBACK",
	[LITE_RECOVER] = "UPDATE jobs SET state = 0 WHERE state = 1",
	[LITE_QUEUE_RECOUNT] =
	    "UPDATE counters SET n = (SELECT count(*) FROM jobs "
	    "WHERE state = 0) WHERE name = 'queued_jobs'",
	[LITE_QUEUE_ADD] =
	    "UPDATE counters SET n = n + ?1 WHERE name = 'queued_jobs'",
	[LITE_COUNT_QUEUED] =
	    "SELECT n FROM counters WHERE name = 'queued_jobs'",
	[LITE_SEQ_GET] = "SELECT n FROM counters WHERE name = 'verdict_seq'",
	[LITE_SEQ_SET] =
	    "UPDATE counters SET n = ?1 WHERE name = 'verdict_seq'",
	[LITE_RUN_BY_NAME] = LITE_RUN_SELECT "WHERE name = ?1",
	[LITE_RUN_INSERT] =
	    "INSERT INTO runs (id, name, model, created_ms, ranker) "
	    "VALUES (" LITE_NEXT_ID("runs") ", ?1, ?2, ?3, ?4)",
	[LITE_RUN_SET_MODEL] =
	    "UPDATE runs SET model = coalesce(model, ?2), "
	    "ranker = coalesce(ranker, ?3) WHERE id = ?1",
	[LITE_RUN_LIST] = LITE_RUN_SELECT "ORDER BY id",
	[LITE_CAND_BY_EXT] =
	    "SELECT c.id, c.run_id, r.name, c.task_id FROM candidates AS c "
	    "JOIN runs AS r ON r.id = c.run_id WHERE c.ext_id = ?1",
	[LITE_CAND_BY_SAMPLE] =
	    "SELECT id, ext_id FROM candidates "
	    "WHERE run_id = ?1 AND task_id = ?2 AND sample = ?3",
	[LITE_CAND_INSERT] =
	    "INSERT INTO candidates (id, ext_id, run_id, task_id, sample, "
	    "job_id, verdict, score, greedy, truncated, cost_seconds, "
	    "cost_tflops, cost_tokens, created_ms, original, seq, "
	    "base_passed) VALUES (?16, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12, ?13, ?14, ?15, CASE WHEN ?6 IS NULL THEN NULL "
	    "ELSE (SELECT base_passed FROM jobs WHERE id = ?5) END)",
	/* A job's candidates one by one, each with its own seq. */
	[LITE_CAND_OF_JOB] = "SELECT id FROM candidates WHERE job_id = ?1",
	[LITE_CAND_SET_VERDICT] =
	    "UPDATE candidates SET verdict = ?2, oracle_error = ?3, seq = ?4, "
	    "base_passed = ?5 WHERE id = ?1",
	[LITE_CAND_GET_EXT] = LITE_CAND_SELECT "WHERE c.ext_id = ?1",
	[LITE_CAND_GET_ROW] = LITE_CAND_SELECT
	    "WHERE c.id = ?1 AND c.ext_id IS NULL",
	/* The index finds the hash; the rest of the WHERE is the proof.
	 * A job the oracle failed to judge is never shared: the next
	 * identical program gets a job (and a judgement) of its own. */
	[LITE_JOB_FIND] =
	    "SELECT id, state, verdict FROM jobs "
	    "WHERE task_id = ?1 AND hash = ?2 AND program = ?3 "
	    "AND lim_wall_ms = ?4 AND lim_cpu_ms = ?5 AND lim_test_ms = ?6 "
	    "AND lim_mem_mb = ?7 AND lim_nproc = ?8 AND lim_fsize_kb = ?9 "
	    "AND lim_out_kb = ?10 AND oracle_error = 0 "
	    "AND (verdict IS NULL OR verdict <> 'internal') "
	    "ORDER BY id LIMIT 1",
	[LITE_JOB_INSERT] =
	    "INSERT INTO jobs (id, run_id, task_id, hash, lim_wall_ms, "
	    "lim_cpu_ms, lim_test_ms, lim_mem_mb, lim_nproc, lim_fsize_kb, "
	    "lim_out_kb, program, state, created_ms) VALUES (?13, ?1, ?2, ?3, "
	    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12)",
	/* The ids of a batch's new candidates and jobs start here. */
	[LITE_NEXT_IDS] =
	    "SELECT " LITE_NEXT_ID("candidates") ", " LITE_NEXT_ID("jobs"),
	[LITE_JOB_STATE] = "SELECT state, task_id FROM jobs WHERE id = ?1",
	[LITE_JOB_START] =
	    "UPDATE jobs SET state = 1 WHERE id = ?1 AND state = 0",
	[LITE_JOB_RELEASE] =
	    "UPDATE jobs SET state = 0 WHERE id = ?1 AND state = 1",
	[LITE_JOB_FINISH] =
	    "UPDATE jobs SET state = 2, verdict = ?2, tests = ?3, cpu_ms = ?4, "
	    "wall_ms = ?5, max_rss_kb = ?6, stderr = ?7, message = ?8, "
	    "finished_ms = ?9, oracle_error = ?10, base_passed = ?11 "
	    "WHERE id = ?1 AND state < 2",
	/*
	 * Every candidate of a job has the job's task_id (that is part of
	 * what makes them share it), so grouping by run is enough, and
	 * the covering index candidates_job gives the groups in order: no
	 * temporary b-tree, which would cost a page cache per job.
	 */
	[LITE_JOB_RUNS] =
	    "SELECT run_id, count(*) FROM candidates WHERE job_id = ?1 "
	    "GROUP BY run_id",
	[LITE_TALLY_ADD] =
	    "INSERT INTO tallies (run_id, task_id, verdict, n) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id, task_id, verdict) "
	    "DO UPDATE SET n = n + excluded.n",
	/* One index probe per run, however many jobs are queued. */
	[LITE_QUEUED_RUN_NEXT] =
	    "SELECT run_id FROM jobs WHERE state = 0 AND run_id > ?1 "
	    "ORDER BY run_id LIMIT 1",
	[LITE_QUEUED_JOBS] =
	    "SELECT id, run_id, task_id, program, lim_wall_ms, lim_cpu_ms, "
	    "lim_test_ms, lim_mem_mb, lim_nproc, lim_fsize_kb, lim_out_kb "
	    "FROM jobs WHERE state = 0 AND run_id = ?1 "
	    "ORDER BY id LIMIT ?2",
	/*
	 * CROSS JOIN keeps jobs as the outer loop: the running jobs (a
	 * partial index of at most a few hundred rows), then their
	 * candidates by candidates_job.  The other order would read every
	 * candidate of the run.
	 */
	[LITE_RUN_RUNNING] =
	    "SELECT count(*) FROM jobs AS j CROSS JOIN candidates AS c "
	    "ON c.job_id = j.id WHERE j.state = 1 AND c.run_id = ?1",
	/* In primary key order; the callers sum and group in C. */
	[LITE_RUN_TALLIES] =
	    "SELECT task_id, verdict, n FROM tallies WHERE run_id = ?1 "
	    "ORDER BY task_id, verdict",
	/* Message, tests, stderr and original, read only when asked:
	 * SQLite decodes a column when it is read. */
	[LITE_RESULTS] = LITE_VERDICT_SELECT
	    "WHERE c.run_id = ?1 AND c.id > ?2 AND c.verdict IS NOT NULL "
	    "ORDER BY c.id LIMIT ?3",
	/* By candidates_feed (seq > ?2 implies its seq IS NOT NULL). */
	[LITE_FEED] = LITE_VERDICT_SELECT
	    "WHERE c.run_id = ?1 AND c.seq > ?2 ORDER BY c.seq LIMIT ?3",
	[LITE_SAMPLES] =
	    "SELECT task_id, verdict, greedy, truncated, score, cost_seconds, "
	    "cost_tflops, oracle_error, base_passed FROM candidates "
	    "WHERE run_id = ?1 ORDER BY task_id",
	[LITE_IMPORT_ADD] =
	    "INSERT INTO imports (format, body, created_ms, dataset) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[LITE_IMPORT_LIST] =
	    "SELECT id, format, body, dataset FROM imports WHERE id > ?1 "
	    "ORDER BY id",
	[LITE_RUN_UPDATE] =
	    "UPDATE runs SET model = coalesce(?2, model), "
	    "ranker = coalesce(?3, ranker) WHERE name = ?1",
	/*
	 * A run's deletion (lite_run_delete()), in this order.  A run's
	 * jobs are found through its candidates (candidates_run), as jobs
	 * has no index by run but the queued one.
	 */
	[LITE_RUN_DEL_JOBS] =
	    "SELECT j.state, " LITE_HEIR("j.id") " FROM jobs AS j "
	    "WHERE j.run_id = ?1 AND j.id IN " LITE_RUN_JOBS,
	[LITE_RUN_HAND_OVER] =
	    "UPDATE jobs SET run_id = " LITE_HEIR("jobs.id") " "
	    "WHERE run_id = ?1 AND id IN " LITE_RUN_JOBS " "
	    "AND " LITE_HEIR("jobs.id") " IS NOT NULL",
	[LITE_RUN_ID_FLOORS] =
	    "INSERT INTO counters (name, n) VALUES ('runs_id_max', "
	    "coalesce((SELECT max(id) FROM runs), 0)), ('jobs_id_max', "
	    "coalesce((SELECT max(id) FROM jobs), 0)), ('candidates_id_max', "
	    "coalesce((SELECT max(id) FROM candidates), 0)) "
	    "ON CONFLICT (name) DO UPDATE SET n = max(n, excluded.n)",
	[LITE_RUN_DEL_ORPHANS] =
	    "DELETE FROM jobs WHERE run_id = ?1 AND id IN " LITE_RUN_JOBS,
	[LITE_RUN_DEL_CANDS] = "DELETE FROM candidates WHERE run_id = ?1",
	[LITE_RUN_DEL_TALLIES] = "DELETE FROM tallies WHERE run_id = ?1",
	[LITE_RUN_DEL] = "DELETE FROM runs WHERE id = ?1",
};

/* --- Helpers --- */

/*
 * Constraint failures are -EIO too: lite_add() checks for conflicts
 * itself, so one that reaches SQLite is a bug, not a client's mistake.
 */
int
lite_fail(struct lite *st, int rc)
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

int
lite_step(struct lite *st, sqlite3_stmt *s)
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
	return lite_fail(st, rc);
}

void
lite_reset(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

sqlite3_stmt *
lite_stmt(struct lite *st, enum lite_sql which)
{
	return st->stmt[which];
}

/*
 * Binding.  A failure (SQLITE_RANGE, SQLITE_TOOBIG) is kept in
 * st->bind_rc until the next lite_step().  Text and blobs are
 * SQLITE_STATIC: every caller steps and resets the statement while the
 * bound memory is alive.
 */
void
lite_bind_rc(struct lite *st, int rc)
{
	if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
		st->bind_rc = rc;
}

void
lite_bind_text(struct lite *st, sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		lite_bind_rc(st, sqlite3_bind_null(s, i));
	else
		lite_bind_rc(st, sqlite3_bind_text(s, i, v, -1,
		    SQLITE_STATIC));
}

void
lite_bind_int(struct lite *st, sqlite3_stmt *s, int i, int64_t v)
{
	lite_bind_rc(st, sqlite3_bind_int64(s, i, v));
}

void
lite_bind_real(struct lite *st, sqlite3_stmt *s, int i, double v,
    bool given)
{
	if (given)
		lite_bind_rc(st, sqlite3_bind_double(s, i, v));
	else
		lite_bind_rc(st, sqlite3_bind_null(s, i));
}

void
lite_bind_opt(struct lite *st, sqlite3_stmt *s, int i, int64_t v,
    bool given)
{
	if (given)
		lite_bind_rc(st, sqlite3_bind_int64(s, i, v));
	else
		lite_bind_rc(st, sqlite3_bind_null(s, i));
}

void
lite_bind_limits(struct lite *st, sqlite3_stmt *s, int first,
    const struct pool_limits *l)
{
	lite_bind_int(st, s, first, l->wall_ms);
	lite_bind_int(st, s, first + 1, l->cpu_ms);
	lite_bind_int(st, s, first + 2, l->test_ms);
	lite_bind_int(st, s, first + 3, l->mem_mb);
	lite_bind_int(st, s, first + 4, l->nproc);
	lite_bind_int(st, s, first + 5, l->fsize_kb);
	lite_bind_int(st, s, first + 6, l->out_kb);
}

int
lite_exec(struct lite *st, enum lite_sql which)
{
	sqlite3_stmt	*s = st->stmt[which];
	int		 r;

	r = lite_step(st, s);
	lite_reset(s);
	return r < 0 ? r : 0;
}

int
lite_begin(struct lite *st, bool write)
{
	return lite_exec(st, write ? LITE_BEGIN_WRITE : LITE_BEGIN_READ);
}

int
lite_commit(struct lite *st)
{
	return lite_exec(st, LITE_COMMIT);
}

void
lite_abort(struct lite *st)
{
	char	 keep[sizeof(st->err)];

	for (int i = 0; i < LITE_NSQL; i++)
		lite_reset(st->stmt[i]);
	st->bind_rc = SQLITE_OK;
	if (!sqlite3_get_autocommit(st->db)) {
		memcpy(keep, st->err, sizeof(keep));
		if (lite_exec(st, LITE_ROLLBACK) < 0)
			log_warnx("store: rollback: %s", st->err);
		memcpy(st->err, keep, sizeof(keep));
	}
}

char *
lite_col_strdup(sqlite3_stmt *s, int i)
{
	const char	*v = lite_col_text(s, i);

	return v != NULL ? xstrdup(v) : NULL;
}

void
lite_col_meta(sqlite3_stmt *s, int i, struct store_meta *m)
{
	m->has_sample = sqlite3_column_type(s, i) != SQLITE_NULL;
	m->sample = lite_col_int(s, i, 0);
	m->has_score = sqlite3_column_type(s, i + 1) != SQLITE_NULL;
	m->score = lite_col_real(s, i + 1, 0);
	m->greedy = sqlite3_column_int(s, i + 2) != 0;
	m->truncated = sqlite3_column_int(s, i + 3) != 0;
	m->cost_seconds = lite_col_real(s, i + 4, -1);
	m->cost_tflops = lite_col_real(s, i + 5, -1);
	m->cost_tokens = lite_col_int(s, i + 6, -1);
}

void
lite_col_usage(sqlite3_stmt *s, int i, struct store_usage *u)
{
	u->cpu_ms = lite_col_int(s, i, -1);
	u->wall_ms = lite_col_int(s, i + 1, -1);
	u->max_rss_kb = lite_col_int(s, i + 2, -1);
}

/* --- Open and close --- */

/* Run "sql" (no result rows) outside the prepared set, during open. */
static int
lite_open_exec(struct lite *st, const char *sql)
{
	int	 rc;

	rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : lite_fail(st, rc);
}

/* The integer first column of the one row of "sql", during open. */
static int
lite_open_int(struct lite *st, const char *sql, int64_t *v)
{
	sqlite3_stmt	*s = NULL;
	int		 rc, r;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return lite_fail(st, rc);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(s, 0);
		r = 0;
	} else
		r = lite_fail(st, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
	sqlite3_finalize(s);
	return r;
}

/*
 * Switch to WAL.  The pragma answers with the mode it got, which is
 * not "wal" where WAL cannot work (an in-memory database, a VFS
 * without shared memory); that is an error, not a fallback.
 */
static int
lite_open_wal(struct lite *st, const char *path, char *errbuf,
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
		mode = lite_col_text(s, 0);
		if (mode == NULL || strcmp(mode, "wal") != 0) {
			log_errbuf(errbuf, errlen, "%s: journal mode is %s, "
			    "not wal", path, mode != NULL ? mode : "unknown");
			r = -EIO;
		}
	} else {
		r = lite_fail(st, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
		log_errbuf(errbuf, errlen, "%s: %s", path, st->err);
	}
	sqlite3_finalize(s);
	return r;
}

/*
 * Run section "name" of schema.sql, during open.  A section that is not
 * there is a build error that the unit tests catch: -EIO.
 */
static int
lite_open_section(struct lite *st, const char *name)
{
	char	*sql;
	int	 r;

	if ((sql = store_schema_section(lite_schema_sql, name)) == NULL) {
		snprintf(st->err, sizeof(st->err),
		    "schema.sql: no section \"%s\"", name);
		return -EIO;
	}
	r = lite_open_exec(st, sql);
	free(sql);
	return r;
}

/*
 * Tell whether the file is a verdict database, of which version: *fresh
 * for an empty file, *old for one of an earlier schema that
 * lite_open_migrate() brings up to date.  Reading the header is also
 * where SQLite finds a file that is not a database at all.
 */
static int
lite_open_check(struct lite *st, const char *path, bool *fresh,
    bool *old, char *errbuf, size_t errlen)
{
	int64_t	 app, version, nobj;
	int	 r;

	*fresh = *old = false;
	if ((r = lite_open_int(st, "PRAGMA application_id", &app)) < 0 ||
	    (r = lite_open_int(st, "PRAGMA user_version", &version)) < 0 ||
	    (r = lite_open_int(st, "SELECT count(*) FROM sqlite_schema",
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
	if (app != LITE_APP_ID) {
		log_errbuf(errbuf, errlen, "%s: not a verdict database "
		    "(another program's SQLite file)", path);
		return -EINVAL;
	}
	if (version > LITE_SCHEMA_VERSION) {
		log_errbuf(errbuf, errlen, "%s: schema version %lld is newer "
		    "than this verdictd's (%d)", path, (long long)version,
		    LITE_SCHEMA_VERSION);
		return -EINVAL;
	}
	if (version < 1) {
		log_errbuf(errbuf, errlen, "%s: unknown schema version %lld",
		    path, (long long)version);
		return -EINVAL;
	}
	*old = version < LITE_SCHEMA_VERSION;
	return 0;
}

/*
 * Bring a database of an earlier version to the current schema in one
 * transaction, by its sections "migrate-N" in order, then "report"
 * (another connection may have done it since lite_open_check()).
 */
static int
lite_open_migrate(struct lite *st)
{
	char	 name[32];
	int64_t	 version;
	int	 r;

	if ((r = lite_open_exec(st, "BEGIN IMMEDIATE")) < 0)
		return r;
	if ((r = lite_open_int(st, "PRAGMA user_version", &version)) == 0 &&
	    version < LITE_SCHEMA_VERSION) {
		while (r == 0 && version < LITE_SCHEMA_VERSION) {
			snprintf(name, sizeof(name), "migrate-%lld",
			    (long long)++version);
			r = lite_open_section(st, name);
		}
		if (r == 0)
			r = lite_open_section(st, "report");
	}
	if (r == 0)
		r = lite_open_exec(st, "COMMIT");
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

/*
 * Create the schema in one transaction.  Another connection may have
 * created it since lite_open_check() looked: the version is read
 * again under the write lock.
 */
static int
lite_open_create(struct lite *st)
{
	char	*pragmas = NULL;
	int64_t	 version;
	int	 r;

	if ((r = lite_open_exec(st, "BEGIN IMMEDIATE")) < 0)
		return r;
	if ((r = lite_open_int(st, "PRAGMA user_version", &version)) < 0)
		goto out;
	if (version != 0)
		goto out;			/* lite_open_check() again */
	pragmas = xasprintf("PRAGMA user_version = %d; "
	    "PRAGMA application_id = %d;", LITE_SCHEMA_VERSION,
	    LITE_APP_ID);
	if ((r = lite_open_section(st, "create")) < 0 ||
	    (r = lite_open_section(st, "report")) < 0 ||
	    (r = lite_open_exec(st, pragmas)) < 0)
		goto out;
	r = lite_open_exec(st, "COMMIT");
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
 * LITE_WAL_PASSIVE_PAGES, as SQLite would do; and once it holds
 * LITE_WAL_RESET_PAGES, a TRUNCATE checkpoint, which waits (through
 * the busy handler) for the readers of the old WAL and then starts it
 * again from nothing.  With HTTP threads and the scheduler committing
 * in turn there is always a transaction open, so passive checkpoints
 * alone never reset the WAL: under a steady stream it grew to gigabytes.
 */
static int
lite_wal_cb(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)arg;
	if (pages >= LITE_WAL_RESET_PAGES)
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	else if (pages >= LITE_WAL_PASSIVE_PAGES)
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK;
}

/* The backend's table (store-int.h). */
static const struct store_ops lite_ops = {
	.close = lite_close,
	.add = lite_add,
	.import_add = lite_import_add,
	.import_each = lite_import_each,
	.run_update = lite_run_update,
	.run_delete = lite_run_delete,
	.recover = lite_recover,
	.count_queued = lite_count_queued,
	.queued_runs = lite_queued_runs,
	.claim = lite_claim,
	.leases = lite_leases,
	.release = lite_release,
	.update = lite_update,
	.candidate = lite_candidate,
	.run = lite_run,
	.runs = lite_runs,
	.run_problems = lite_run_problems,
	.results = lite_results,
	.run_samples = lite_run_samples,
};

int
lite_open(const char *path, struct store **sp, char *errbuf, size_t errlen)
{
	struct lite	*st;
	char		 cache[64];
	bool		 fresh, old;
	int		 rc, r = -EIO, syserr;

	*sp = NULL;
	st = xcalloc(1, sizeof(*st));
	st->base.ops = &lite_ops;
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
	sqlite3_busy_timeout(st->db, LITE_BUSY_MS);

	if ((r = lite_open_check(st, path, &fresh, &old, errbuf,
	    errlen)) < 0)
		goto out;
	/* Outside any transaction, before the schema's first write. */
	snprintf(cache, sizeof(cache), "PRAGMA cache_size = -%d",
	    LITE_CACHE_KB);
	if ((r = lite_open_wal(st, path, errbuf, errlen)) < 0)
		goto out;
	if ((r = lite_open_exec(st, "PRAGMA synchronous = FULL")) < 0 ||
	    (r = lite_open_exec(st, "PRAGMA foreign_keys = ON")) < 0 ||
	    (r = lite_open_exec(st, "PRAGMA journal_size_limit = "
	    LITE_WAL_LIMIT_BYTES)) < 0 ||
	    (r = lite_open_exec(st, cache)) < 0)
		goto sqlerr;
	sqlite3_wal_hook(st->db, lite_wal_cb, NULL);
	if (fresh || old) {
		if ((r = fresh ? lite_open_create(st) :
		    lite_open_migrate(st)) < 0)
			goto sqlerr;
		if ((r = lite_open_check(st, path, &fresh, &old, errbuf,
		    errlen)) < 0)
			goto out;
		if (old || fresh) {
			log_errbuf(errbuf, errlen, "%s: schema not brought up "
			    "to date", path);
			r = -EINVAL;
			goto out;
		}
	}
	for (int i = 0; i < LITE_NSQL; i++) {
		rc = sqlite3_prepare_v3(st->db, lite_sql_text[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL);
		if (rc != SQLITE_OK) {
			r = lite_fail(st, rc);
			goto sqlerr;
		}
	}
	*sp = &st->base;
	st = NULL;
	r = 0;
	goto out;
 sqlerr:
	log_errbuf(errbuf, errlen, "%s: %s", path, st->err);
 out:
	if (st != NULL)
		lite_close(&st->base);
	return r;
}

void
lite_close(struct store *base)
{
	struct lite	*st = lite_of(base);

	for (int i = 0; i < LITE_NSQL; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_warnx("store: close: %s", sqlite3_errmsg(st->db));
	free(st);
}
