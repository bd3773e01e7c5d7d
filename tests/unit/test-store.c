/*
 * test-store.c - the durable store (store/), each test on a new
 * database: a SQLite file in a fresh temp directory, or an empty schema
 * of the PostgreSQL server whose URI is in $VERDICT_TEST_PG (struct
 * tdb).  A test written STORE_TEST(NAME) runs on both: store_NAME on
 * SQLite, store_pg_NAME on PostgreSQL, skipped when $VERDICT_TEST_PG is
 * not set.  Those of one backend's own are marked (SQLite) or (pg).
 * The JSON the API makes of what the store reads is test-v1json.c's.
 *
 *   store_reopen_keeps_data      what was stored is there after close and
 *                                open; a SQLite file is in WAL mode
 *   store_refuses_newer_schema   (SQLite) a user_version above ours is
 *                                -EINVAL, "schema version 4 is newer"
 *   store_migrates_v1            (SQLite) a version 1 database (no
 *                                oracle_error, dataset nor seq columns)
 *                                is brought to version 3 at open, its
 *                                candidates and verdicts kept, the
 *                                report's index made again, the done
 *                                candidate's seq its row, the next
 *                                verdict's after it
 *   store_refuses_foreign_files  (SQLite) a text file, another program's
 *                                SQLite file (both left untouched) are -EINVAL
 *                                "not a verdict database"; a missing
 *                                directory is -ENOENT; all name the path
 *   store_add_same_id            an id stored before, or twice in a batch,
 *                                is "existed" and changes nothing
 *   store_add_same_sample        a (run, task_id, sample) stored before is
 *                                "existed" with the stored id, whatever
 *                                id the new one has; no sample never
 *                                collides
 *   store_add_conflict           an id of another run or task is -EEXIST
 *                                with the reason, and nothing of the
 *                                batch is stored
 *   store_add_bad_ids            "v-" ids, empty and overlong ids are
 *                                -EINVAL before anything is written
 *   store_dedupe_shares_jobs     same task, program and limits share a
 *                                job across runs; any other task, text
 *                                or any one of the seven limits does not
 *   store_dedupe_hash_collision  a job whose hash equals the program's but
 *                                whose text differs is never shared
 *   store_update_moves_tallies   started jobs count as running; a done
 *                                job gives its candidates the verdict
 *                                and result, moves the tallies once (a
 *                                second result is ignored); missing
 *                                result fields take defaults
 *   store_join_done_job          a candidate joining a done job is done
 *                                at once, with its verdict counted
 *   store_oracle_error           a job the oracle could not judge gives
 *                                its candidates "error" marked
 *                                oracle_error, counted in n and in the
 *                                runs' and problems' oracle_errors; it
 *                                and an "internal" job are never shared
 *                                with a later identical program
 *   store_recover_requeues       running jobs go back to queued; done
 *                                ones stay done; the count of queued
 *                                jobs is made right again
 *   store_claim_release          the runs with queued jobs, ascending; a
 *                                run's jobs claimed oldest first, each
 *                                once, with their task, program and
 *                                limits, counted running; released jobs
 *                                are queued again (once) and claimed
 *                                first; a result for a released job
 *                                that nobody claimed is taken
 *   store_candidate_fields       every field of a pending and of a done
 *                                candidate; model from the first that
 *                                names one; costs as given; unknown and
 *                                malformed ids are -ENOENT
 *   store_run_counts             store_run(), store_runs() and
 *                                store_run_problems() figures
 *   store_run_delete             a run's deletion: its candidates and
 *                                tallies go; a job another run uses is
 *                                kept, handed to it (claimed as its,
 *                                judged for it); the others go, queued
 *                                (counted off the queue) or running
 *                                (its lease, release and late result
 *                                are no-ops, quietly); the
 *                                other run's counts do not change; a
 *                                second delete is -ENOENT; the same
 *                                candidates again make a new run, with
 *                                ids above every deleted one
 *   store_run_update             model and ranker set after the fact,
 *                                NULL leaves one as it is, a later
 *                                candidate changes nothing; an unknown
 *                                run is -ENOENT
 *   store_problems_byte_order    problems and a report's samples come in
 *                                byte order of task_id (strcmp), whatever
 *                                the database's collation
 *   store_results_paging         only done candidates, in row order, in
 *                                pages; the last row number; a callback
 *                                that stops the walk; the jobs' message,
 *                                tests and stderr only when asked
 *   store_base_results           an EvalPlus base result is stored with a
 *                                job's verdict, copied to its candidates
 *                                and to one that joins the done job;
 *                                none is NULL, and so is a value out of
 *                                range
 *   store_feed_order             verdicts by seq: in the order they came
 *                                (a job's candidates in row order), one
 *                                counter for all runs, in pages, from a
 *                                cursor; a candidate joining a done job
 *                                takes the next at once; the largest
 *                                cursor gives nothing; unknown run
 *                                -ENOENT
 *   store_feed_concurrent        two processes judging one run's jobs
 *                                (and joining done ones) while a third
 *                                follows its feed in pages: it sees
 *                                every verdict once, in seq order, and
 *                                nothing a full read has is skipped
 *   store_imports_round_trip     bodies come back byte for byte, in
 *                                order, with their dataset names; a
 *                                callback's non-zero stops
 *   store_survives_crash         (SQLite) a child killed after store_add()
 *                                without closing leaves its batch
 *                                committed
 *   store_two_writers            two processes adding batches to one run
 *                                at once both succeed
 *   store_same_ids_at_once       two processes adding the same ids in the
 *                                same batches at once: each stored once
 *   store_keeps_original         (both) a sanitized candidate's text as
 *                                posted comes back from
 *                                store_candidate(), pending and done; a
 *                                results line says "sanitized", and has
 *                                the text with the details only
 *   store_migrates_v2            (SQLite) a version 2 database (no
 *                                "original", datasets nor base results)
 *                                is migrated to 3 at open
 *   store_many_candidates        20,000 candidates in batches of 1000,
 *                                then every job finished in batches:
 *                                the run and problem counts add up
 *   store_pg_schema_version      (pg) the version table holds 3, once; a
 *                                version 1 schema is migrated at open,
 *                                its jobs kept and claimable, its two
 *                                sample indexes made one (still unique),
 *                                its done candidate numbered by its row
 *                                for the feed; a newer
 *                                version is -EINVAL "schema version
 *                                4 is newer"; a schema with a "runs" table
 *                                but no version table is -EINVAL and left
 *                                untouched
 *   store_pg_hides_password      no message of a failed open holds the
 *                                URI's password (one that libpq cannot
 *                                parse is -EINVAL); they name user, host,
 *                                port and database (no server needed)
 *   store_pg_claims_disjoint     (pg) two processes claiming one run's 600
 *                                jobs at once, 3 and 4 at a time: each
 *                                job claimed once, by one of them
 *   store_pg_lease_expires       (pg) a node's lease that ran out: its
 *                                jobs go back to the queue (their run
 *                                told), another node claims one; the
 *                                first node's late verdicts count only
 *                                for the job nobody claimed again; a
 *                                renewed lease holds; a node's restart
 *                                takes back what its last life held,
 *                                whose late verdict is then dropped
 *   store_pg_lost_claim_expires  (pg) a claim this node does not hold
 *                                (committed, its answer lost with the
 *                                connection) is not renewed with the
 *                                held ones: it expires and goes back to
 *                                the queue by the node's own renewal
 *   store_pg_notes               (pg) a listening connection hears new
 *                                queued jobs (their run), verdicts (every
 *                                job id of 3,000, in several notes),
 *                                imports and a run deleted, at their
 *                                commits; of forged notes, only whole
 *                                decimal ids in range; SQLite has no
 *                                notes (-ENOTSUP)
 *   store_pg_reconnects          a connection the server ended fails the
 *                                next call with -EIO; the call after
 *                                connects again and finds everything
 *   store_pg_matches_sqlite      (both) 30 random batches (repeated ids,
 *                                samples and programs, within and across
 *                                batches; runs' models), some jobs judged
 *                                between them, on SQLite and PostgreSQL:
 *                                every result, candidate, run and problem
 *                                figure the same
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "store/store.h"
#include "tests/unit/test.h"
#include "common/hash.h"
#include "common/proto.h"
#include "common/xmalloc.h"

static const struct pool_limits store_test_limits = {
	.wall_ms = 10000, .cpu_ms = 10000, .test_ms = 3000, .mem_mb = 1024,
	.nproc = 32, .fsize_kb = 1024, .out_kb = 64,
};

/* A candidate with the test limits and nothing optional. */
static struct store_cand
cand(const char *id, const char *run, const char *task, const char *program)
{
	struct store_cand	 c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.run = run;
	c.task_id = task;
	c.program = program;
	c.limits = store_test_limits;
	c.meta.cost_seconds = -1;
	c.meta.cost_tflops = -1;
	c.meta.cost_tokens = -1;
	return c;
}

/* Add one candidate; its result in *out. */
static int
add1(struct store *st, const struct store_cand *c, struct store_added *out)
{
	size_t	 nj;
	char	 err[512];

	return store_add(st, c, 1, out, &nj, err, sizeof(err));
}

/* The job of candidate "id". */
static int64_t
job_of(struct store *st, const char *id)
{
	struct store_candidate	 sc;
	int64_t			 job;

	ASSERT_OK(store_candidate(st, id, &sc));
	job = sc.job;
	store_candidate_free(&sc);
	return job;
}

/* Add one candidate that must be new; returns its job. */
static int64_t
add_new(struct store *st, const struct store_cand *c)
{
	struct store_added	 a;

	ASSERT_OK(add1(st, c, &a));
	ASSERT(!a.existed);
	return job_of(st, a.id);
}

/* The result of verdict "v" and result record "rec" (borrowed, NULL for
 * none), as the pool would parse it, in *d. */
static void
result_of(int64_t job, enum proto_verdict v, json_t *rec,
    struct store_result *d)
{
	json_t	*r = rec != NULL ? json_deep_copy(rec) : json_object();
	char	 err[256];

	json_object_set_new(r, "verdict", json_string(proto_verdict_name(v)));
	d->job = job;
	d->base = STORE_BASE_NONE;
	if (sandbox_result_parse(r, &d->res, err, sizeof(err)) < 0)
		TEST_FAIL_AT("%s", err);
	json_decref(r);
}

/* Finish job "job" with verdict "v" and result record "rec" (borrowed). */
static void
finish(struct store *st, int64_t job, enum proto_verdict v, json_t *rec)
{
	struct store_result	 d;

	result_of(job, v, rec, &d);
	ASSERT_OK(store_update(st, &d, 1));
	sandbox_result_free(&d.res);
}

/* The lease of the tests' claims. */
static const struct store_lease test_lease = { "test-node", 60000, NULL, 0 };

/*
 * Claim job "job" (queued) for st, as the scheduler would: claim the
 * queued runs' jobs one at a time until it comes, and put the others
 * back.
 */
static void
start(struct store *st, int64_t job)
{
	struct store_job j;
	int64_t		*runs, other[64];
	size_t		 nruns, n, nother = 0, back;
	bool		 found = false;

	ASSERT_OK(store_queued_runs(st, &runs, &nruns));
	for (size_t i = 0; i < nruns && !found; i++) {
		for (;;) {
			ASSERT_OK(store_claim(st, &test_lease, runs[i], 1, &j,
			    &n));
			if (n == 0)
				break;
			store_job_free(&j);
			if (j.id == job) {
				found = true;
				break;
			}
			ASSERT(nother < 64);
			other[nother++] = j.id;
		}
	}
	free(runs);
	ASSERT(found);
	ASSERT_OK(store_release(st, other, nother, &back));
	ASSERT_EQ(back, nother);
}

/* The done candidates of counts "c". */
static int64_t
done_of(const struct store_counts *c)
{
	int64_t	 n = 0;

	for (int i = 0; i < PROTO_VERDICT_COUNT; i++)
		n += c->verdicts[i];
	return n;
}

/*
 * A figure of run "run" as the API shows it: "candidates", "problems",
 * "queued", "running", "done" or "oracle_errors".
 */
static int64_t
run_field(struct store *st, const char *run, const char *field)
{
	struct store_run	 r;
	int64_t			 v;

	ASSERT_OK(store_run(st, run, &r));
	if (strcmp(field, "candidates") == 0)
		v = r.counts.pending + done_of(&r.counts);
	else if (strcmp(field, "problems") == 0)
		v = r.problems;
	else if (strcmp(field, "queued") == 0)
		v = r.counts.pending - r.running;
	else if (strcmp(field, "running") == 0)
		v = r.running;
	else if (strcmp(field, "done") == 0)
		v = done_of(&r.counts);
	else if (strcmp(field, "oracle_errors") == 0)
		v = r.counts.oracle_errors;
	else
		TEST_FAIL_AT("no field \"%s\"", field);
	store_run_free(&r);
	return v;
}

/* The candidates of run "run" with verdict "v". */
static int64_t
run_verdict(struct store *st, const char *run, enum proto_verdict v)
{
	struct store_run	 r;
	int64_t			 n;

	ASSERT_OK(store_run(st, run, &r));
	n = r.counts.verdicts[v];
	store_run_free(&r);
	return n;
}

/* Run "sql" on the file with a plain SQLite connection. */
static void
raw_exec(const char *path, const char *sql)
{
	sqlite3	*db;

	ASSERT_EQ(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		TEST_FAIL_AT("%s: %s", sql, sqlite3_errmsg(db));
	ASSERT_EQ(sqlite3_close(db), SQLITE_OK);
}

/* The first column of the first row of "sql", as text (new). */
static char *
raw_text(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		*v;

	ASSERT_EQ(sqlite3_open(path, &db), SQLITE_OK);
	ASSERT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
	v = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	ASSERT_EQ(sqlite3_close(db), SQLITE_OK);
	return v;
}

/*
 * The database a test runs on: a SQLite file in a new temp directory,
 * or an empty schema "t_NAME" of the PostgreSQL server that
 * $VERDICT_TEST_PG names (a libpq URI), dropped and made again by
 * tdb_init(), the store reaching it through the URI's search_path.
 */
struct tdb {
	bool		 pg;
	const char	*name;		/* the test's, without "store_" */
	char		 dir[64];	/* SQLite: the temp directory */
	char		*target;	/* what store_open() is given */
};

/* A new libpq connection to "uri", which must work, without notices. */
static PGconn *
pg_connect(const char *uri)
{
	PGconn		*conn;
	PGresult	*res;

	conn = PQconnectdb(uri);
	if (PQstatus(conn) != CONNECTION_OK)
		TEST_FAIL_AT("PostgreSQL: %s", PQerrorMessage(conn));
	res = PQexec(conn, "SET client_min_messages = warning");
	PQclear(res);
	return conn;
}

/* Run "sql" on a new libpq connection to "uri", which must work. */
static void
pg_exec(const char *uri, const char *sql)
{
	PGconn		*conn;
	PGresult	*res;

	conn = pg_connect(uri);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		TEST_FAIL_AT("%s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
}

/* The first column of the first row of "sql" on "uri", as text (new). */
static char *
pg_text(const char *uri, const char *sql)
{
	PGconn		*conn;
	PGresult	*res;
	char		*v;

	conn = pg_connect(uri);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1)
		TEST_FAIL_AT("%s: %s", sql, PQerrorMessage(conn));
	v = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	PQfinish(conn);
	return v;
}

/* A new, empty database for test "name" on the backend asked for. */
static void
tdb_init(struct tdb *db, bool pg, const char *name)
{
	const char	*base = getenv("VERDICT_TEST_PG");
	char		*sql;

	memset(db, 0, sizeof(*db));
	db->pg = pg;
	db->name = name;
	if (!pg) {
		test_tmp_dir(db->dir, sizeof(db->dir));
		db->target = xasprintf("%s/verdict.db", db->dir);
		return;
	}
	ASSERT_NOT_NULL(base);
	sql = xasprintf("DROP SCHEMA IF EXISTS t_%s CASCADE; "
	    "CREATE SCHEMA t_%s", name, name);
	pg_exec(base, sql);
	free(sql);
	db->target = xasprintf("%s%soptions=-csearch_path%%3Dt_%s", base,
	    strchr(base, '?') != NULL ? "&" : "?", name);
}

/* Remove what tdb_init() made. */
static void
tdb_done(struct tdb *db)
{
	char	*sql;

	if (db->pg) {
		sql = xasprintf("DROP SCHEMA t_%s CASCADE", db->name);
		pg_exec(getenv("VERDICT_TEST_PG"), sql);
		free(sql);
	} else
		test_tmp_rm(db->dir);
	free(db->target);
	db->target = NULL;
}

/* Run "sql" on the test's database with a connection of its own. */
static void
tdb_exec(struct tdb *db, const char *sql)
{
	if (db->pg)
		pg_exec(db->target, sql);
	else
		raw_exec(db->target, sql);
}

/* The first column of the first row of "sql", as text (new). */
static char *
tdb_text(struct tdb *db, const char *sql)
{
	return db->pg ? pg_text(db->target, sql) : raw_text(db->target, sql);
}

/*
 * Run the body of test "name" on a new database of the backend asked
 * for; PostgreSQL is skipped when $VERDICT_TEST_PG is not set.
 */
static int
tdb_run(bool pg, const char *name, int (*body)(struct tdb *))
{
	struct tdb	 db;
	int		 r;

	if (pg && getenv("VERDICT_TEST_PG") == NULL)
		RETURN_SKIP("no PostgreSQL: VERDICT_TEST_PG is not set");
	tdb_init(&db, pg, name);
	r = body(&db);
	tdb_done(&db);
	return r;
}

/*
 * A test of the store on both backends: store_NAME on SQLite and
 * store_pg_NAME on PostgreSQL run the same body, which gets its
 * database as "db".
 */
#define STORE_TEST(name)						\
	static int store_body_##name(struct tdb *);			\
	TEST(store_##name)						\
	{								\
		return tdb_run(false, #name, store_body_##name);	\
	}								\
	TEST(store_pg_##name)						\
	{								\
		return tdb_run(true, #name, store_body_##name);		\
	}								\
	static int store_body_##name(struct tdb *db)

/* store_import_add() of a file without a dataset name. */
static int
import_add(struct store *st, const char *format, const void *body,
    size_t len, int64_t *id)
{
	struct store_import imp = { format, NULL, body, len };

	return store_import_add(st, &imp, id);
}

static struct store *
open_ok(struct tdb *db)
{
	struct store	*st;
	char		 err[512] = "";
	int		 r;

	r = store_open(db->target, &st, err, sizeof(err));
	if (r != 0)
		TEST_FAIL_AT("store_open: %d %s", r, err);
	return st;
}

/*
 * store_count_queued(), checked against a count of the jobs table,
 * which it keeps in a counter.
 */
static size_t
queued(struct store *st, struct tdb *db)
{
	char	*v;
	size_t	 n;

	ASSERT_OK(store_count_queued(st, &n));
	v = tdb_text(db, "SELECT count(*) FROM jobs WHERE state = 0");
	ASSERT_EQ(n, strtoull(v, NULL, 10));
	free(v);
	return n;
}

/* What store_feed() gave, in order. */
struct feed_seen {
	size_t		 n;
	size_t		 cap;
	size_t		 stop_at;	/* return 1 at this row; 0 never */
	char		(*ids)[STORE_ID_MAX + 1];
	int64_t		*seqs;
	int64_t		*rows;
};

static int
feed_cb(const struct store_verdict *v, void *arg)
{
	struct feed_seen	*s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->ids = xreallocarray(s->ids, s->cap, sizeof(*s->ids));
		s->seqs = xreallocarray(s->seqs, s->cap, sizeof(*s->seqs));
		s->rows = xreallocarray(s->rows, s->cap, sizeof(*s->rows));
	}
	snprintf(s->ids[s->n], sizeof(s->ids[s->n]), "%s", v->id);
	s->seqs[s->n] = v->seq;
	s->rows[s->n] = v->row;
	s->n++;
	return s->n == s->stop_at ? 1 : 0;
}

static void
feed_seen_free(struct feed_seen *s)
{
	free(s->ids);
	free(s->seqs);
	free(s->rows);
	memset(s, 0, sizeof(*s));
}

/*
 * The feed of run "run" after "after" is one verdict: candidate "id"
 * with seq "seq".
 */
static void
feed_expect(struct store *st, const char *run, int64_t after,
    const char *id, int64_t seq)
{
	struct feed_seen	 s;
	int64_t			 last;

	memset(&s, 0, sizeof(s));
	ASSERT_OK(store_feed(st, run, after, 100, false, feed_cb, &s, &last));
	ASSERT_EQ(s.n, 1);
	ASSERT_STR_EQ(s.ids[0], id);
	ASSERT_EQ(s.seqs[0], seq);
	ASSERT_EQ(last, seq);
	feed_seen_free(&s);
}

/* The whole file (new); length in *lenp. */
static char *
slurp(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	long	 len;

	ASSERT_NOT_NULL(f = fopen(path, "rb"));
	ASSERT_OK(fseek(f, 0, SEEK_END));
	ASSERT((len = ftell(f)) >= 0);
	rewind(f);
	buf = xmalloc((size_t)len + 1);
	ASSERT_EQ(fread(buf, 1, (size_t)len, f), len);
	fclose(f);
	*lenp = (size_t)len;
	return buf;
}

STORE_TEST(reopen_keeps_data)
{
	struct store		*st;
	struct store_cand	 c[3];
	struct store_added	 out[3];
	struct store_candidate	 sc;
	char			 err[256], *mode;
	size_t			 nj;
	int64_t			 id;

	st = open_ok(db);
	c[0] = cand("x1", "r", "T/1", "print(1)");
	c[1] = cand(NULL, "r", "T/1", "print(2)");
	c[2] = cand(NULL, "r", "T/2", "print(3)");
	ASSERT_OK(store_add(st, c, 3, out, &nj, err, sizeof(err)));
	ASSERT_EQ(nj, 3);
	ASSERT_STR_EQ(out[0].id, "x1");
	ASSERT_STR_EQ(out[1].id, "v-2");
	ASSERT_STR_EQ(out[2].id, "v-3");
	ASSERT_OK(import_add(st, "jsonl", "{}\n", 3, &id));
	store_close(st);
	store_close(NULL);

	st = open_ok(db);
	ASSERT_OK(store_candidate(st, "x1", &sc));
	ASSERT_STR_EQ(sc.task_id, "T/1");
	store_candidate_free(&sc);
	ASSERT_OK(store_candidate(st, "v-3", &sc));
	ASSERT_STR_EQ(sc.task_id, "T/2");
	store_candidate_free(&sc);
	ASSERT_EQ(run_field(st, "r", "candidates"), 3);
	ASSERT_EQ(queued(st, db), 3);
	store_close(st);

	if (!db->pg) {
		mode = tdb_text(db, "PRAGMA journal_mode");
		ASSERT_STR_EQ(mode, "wal");
		free(mode);
	}
	return TEST_PASS;
}

TEST(store_refuses_newer_schema)
{
	struct tdb		 db;
	struct store	*st;
	char		 err[512], *path;

	tdb_init(&db, false, "refuses_newer_schema");
	st = open_ok(&db);
	store_close(st);
	path = xstrdup(db.target);
	raw_exec(path, "PRAGMA user_version = 4");
	ASSERT_ERR(store_open(path, &st, err, sizeof(err)), -EINVAL);
	ASSERT_NULL(st);
	ASSERT_CONTAINS(err, path);
	ASSERT_CONTAINS(err, "schema version 4 is newer");
	free(path);
	tdb_done(&db);
	return TEST_PASS;
}

TEST(store_migrates_v1)
{
	struct tdb		 db;
	struct store		*st;
	struct store_cand	 c;
	struct store_candidate	 sc;
	int64_t			 j;
	char			 *path, *v;

	tdb_init(&db, false, "migrates_v1");
	st = open_ok(&db);
	c = cand("old", "r", "T/1", "print(1)");
	j = add_new(st, &c);
	finish(st, j, PROTO_VERDICT_PASSED, NULL);
	store_close(st);
	/* Back to version 1: the columns and index of before (and no
	 * feed's seq, version 3's). */
	path = xstrdup(db.target);
	raw_exec(path, "DROP INDEX candidates_report; "
	    "ALTER TABLE candidates DROP COLUMN original; "
	    "DROP INDEX candidates_feed; "
	    "ALTER TABLE candidates DROP COLUMN seq; "
	    "DELETE FROM counters WHERE name = 'verdict_seq'; "
	    "ALTER TABLE jobs DROP COLUMN oracle_error; "
	    "ALTER TABLE candidates DROP COLUMN oracle_error; "
	    "ALTER TABLE jobs DROP COLUMN base_passed; "
	    "ALTER TABLE candidates DROP COLUMN base_passed; "
	    "ALTER TABLE imports DROP COLUMN dataset; "
	    "CREATE INDEX candidates_report ON candidates (run_id, task_id, "
	    "verdict, greedy, truncated, score, cost_seconds, cost_tflops); "
	    "PRAGMA user_version = 1");
	st = open_ok(&db);
	v = raw_text(path, "SELECT count(*) FROM "
	    "pragma_index_xinfo('candidates_report') WHERE name IN "
	    "('oracle_error', 'cost_tflops', 'base_passed')");
	ASSERT_STR_EQ(v, "3");
	free(v);
	v = raw_text(path, "PRAGMA user_version");
	ASSERT_STR_EQ(v, "3");
	free(v);
	ASSERT_OK(store_candidate(st, "old", &sc));
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_PASSED);
	ASSERT(!sc.oracle_error);
	ASSERT_NULL(sc.original);
	store_candidate_free(&sc);
	ASSERT_EQ(run_field(st, "r", "oracle_errors"), 0);
	/* Version 3: the done candidate numbered by its row, the next
	 * verdict after it. */
	feed_expect(st, "r", 0, "old", 1);
	c = cand("new", "r", "T/1", "print(2)");
	finish(st, add_new(st, &c), PROTO_VERDICT_FAILED, NULL);
	feed_expect(st, "r", 1, "new", 2);
	store_close(st);
	/* Opened again as it is now: no migration left to do. */
	st = open_ok(&db);
	store_close(st);
	free(path);
	tdb_done(&db);
	return TEST_PASS;
}

TEST(store_refuses_foreign_files)
{
	struct tdb		 db;
	static const char text[] = "these are not the bytes of a database, "
	    "though there are more than a hundred of them, so that SQLite "
	    "reads a whole header and finds it wrong\n";
	struct store	*st;
	char		 err[512], *path, *other, *missing, *back;
	size_t		 len, len2;

	tdb_init(&db, false, "refuses_foreign_files");
	path = test_tmp_text(db.dir, "notes.txt", text);
	ASSERT_ERR(store_open(path, &st, err, sizeof(err)), -EINVAL);
	ASSERT_NULL(st);
	ASSERT_CONTAINS(err, path);
	ASSERT_CONTAINS(err, "not a verdict database");
	back = slurp(path, &len);
	ASSERT_EQ(len, strlen(text));
	ASSERT(memcmp(back, text, len) == 0);
	free(back);

	other = xasprintf("%s/other.db", db.dir);
	raw_exec(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
	back = slurp(other, &len);
	ASSERT_ERR(store_open(other, &st, err, sizeof(err)), -EINVAL);
	ASSERT_CONTAINS(err, other);
	ASSERT_CONTAINS(err, "not a verdict database");
	free(back);
	free(slurp(other, &len2));
	ASSERT_EQ(len, len2);

	missing = xasprintf("%s/no/such/dir/verdict.db", db.dir);
	ASSERT_ERR(store_open(missing, &st, err, sizeof(err)), -ENOENT);
	ASSERT_CONTAINS(err, missing);

	free(missing);
	free(other);
	free(path);
	tdb_done(&db);
	return TEST_PASS;
}

STORE_TEST(add_same_id)
{
	struct store		*st;
	struct store_cand	 c[3];
	struct store_added	 out[3];
	struct store_candidate	 sc;
	char			 err[256];
	size_t			 nj;

	st = open_ok(db);
	c[0] = cand("a", "r", "T/1", "print(1)");
	ASSERT_OK(store_add(st, c, 1, out, &nj, err, sizeof(err)));
	ASSERT(!out[0].existed);
	ASSERT(out[0].new_job);
	ASSERT_EQ(nj, 1);

	/* Again, even with another program: nothing changes. */
	c[0].program = "print(2)";
	c[0].meta.has_sample = true;
	c[0].meta.sample = 7;
	ASSERT_OK(store_add(st, c, 1, out, &nj, err, sizeof(err)));
	ASSERT(out[0].existed);
	ASSERT(!out[0].new_job);
	ASSERT_STR_EQ(out[0].id, "a");
	ASSERT_EQ(nj, 0);
	ASSERT_OK(store_candidate(st, "a", &sc));
	ASSERT(!sc.meta.has_sample);
	store_candidate_free(&sc);

	/* Twice in one batch: the second is the first. */
	c[0] = cand("b", "r", "T/1", "print(3)");
	c[1] = cand("b", "r", "T/1", "print(3)");
	c[2] = cand("c", "r", "T/1", "print(3)");
	ASSERT_OK(store_add(st, c, 3, out, &nj, err, sizeof(err)));
	ASSERT(!out[0].existed);
	ASSERT(out[0].new_job);
	ASSERT(out[1].existed);
	ASSERT_STR_EQ(out[1].id, "b");
	ASSERT_EQ(out[1].run_id, out[0].run_id);
	ASSERT(!out[2].existed);
	ASSERT(!out[2].new_job);
	ASSERT_EQ(nj, 1);
	ASSERT_EQ(run_field(st, "r", "candidates"), 3);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(add_same_sample)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct store_candidate	 sc;

	st = open_ok(db);
	c = cand(NULL, "r", "T/1", "print(1)");
	c.meta.has_sample = true;
	c.meta.sample = 3;
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.existed);
	ASSERT_STR_EQ(a.id, "v-1");

	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.existed);
	ASSERT_STR_EQ(a.id, "v-1");

	/* With a client id: still the stored one, and "z" is not kept. */
	c.id = "z";
	c.program = "print(2)";
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.existed);
	ASSERT_STR_EQ(a.id, "v-1");
	ASSERT_ERR(store_candidate(st, "z", &sc), -ENOENT);

	/* The same sample in another task or run is another candidate. */
	c = cand(NULL, "r", "T/2", "print(1)");
	c.meta.has_sample = true;
	c.meta.sample = 3;
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.existed);
	c.run = "r2";
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.existed);

	/* Without a sample, nothing collides. */
	c = cand(NULL, "r", "T/1", "print(1)");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.existed);
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.existed);
	ASSERT_EQ(run_field(st, "r", "candidates"), 4);
	ASSERT_EQ(run_field(st, "r2", "candidates"), 1);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(add_conflict)
{
	struct store		*st;
	struct store_cand	 c[2];
	struct store_added	 out[2];
	struct store_candidate	 sc;
	struct store_run	 run;
	char			 err[256];
	size_t			 nj;

	st = open_ok(db);
	c[0] = cand("a", "r1", "T/1", "print(1)");
	ASSERT_OK(store_add(st, c, 1, out, &nj, err, sizeof(err)));

	c[0] = cand("n1", "r2", "T/1", "print(2)");
	c[1] = cand("a", "r2", "T/1", "print(1)");
	nj = 99;
	ASSERT_ERR(store_add(st, c, 2, out, &nj, err, sizeof(err)), -EEXIST);
	ASSERT_STR_EQ(err, "candidate 1: id \"a\" is already used by run r1 "
	    "task T/1");
	ASSERT_EQ(nj, 0);
	ASSERT_ERR(store_candidate(st, "n1", &sc), -ENOENT);
	ASSERT_ERR(store_run(st, "r2", &run), -ENOENT);
	ASSERT_EQ(queued(st, db), 1);

	/* Same run, other task. */
	c[0] = cand("a", "r1", "T/2", "print(1)");
	ASSERT_ERR(store_add(st, c, 1, out, &nj, err, sizeof(err)), -EEXIST);
	ASSERT_CONTAINS(err, "candidate 0: id \"a\"");
	ASSERT_EQ(run_field(st, "r1", "candidates"), 1);
	ASSERT_EQ(run_field(st, "r1", "problems"), 1);

	/* The store still works after the rollbacks. */
	c[0] = cand("b", "r1", "T/2", "print(1)");
	ASSERT_OK(store_add(st, c, 1, out, &nj, err, sizeof(err)));
	ASSERT_EQ(run_field(st, "r1", "candidates"), 2);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(add_bad_ids)
{
	struct store		*st;
	struct store_cand	 c[2];
	struct store_added	 out[2];
	char			 err[256];
	char			 longid[STORE_ID_MAX + 2];
	size_t			 nj;

	st = open_ok(db);
	c[0] = cand("ok", "r", "T/1", "print(1)");
	c[1] = cand("v-1", "r", "T/1", "print(2)");
	ASSERT_ERR(store_add(st, c, 2, out, &nj, err, sizeof(err)), -EINVAL);
	ASSERT_CONTAINS(err, "candidate 1");
	ASSERT_CONTAINS(err, "\"v-\"");

	c[1].id = "";
	ASSERT_ERR(store_add(st, c, 2, out, &nj, err, sizeof(err)), -EINVAL);
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	c[1].id = longid;
	ASSERT_ERR(store_add(st, c, 2, out, &nj, err, sizeof(err)), -EINVAL);
	longid[STORE_ID_MAX] = '\0';		/* exactly the maximum */
	ASSERT_OK(store_add(st, c, 2, out, &nj, err, sizeof(err)));
	ASSERT_STR_EQ(out[1].id, longid);
	(void)job_of(st, longid);		/* found */
	ASSERT_EQ(run_field(st, "r", "candidates"), 2);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(dedupe_shares_jobs)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	uint32_t		*field;
	int64_t			 j1, j;

	st = open_ok(db);
	c = cand(NULL, "r1", "T/1", "def f():\n    return 1\n");
	j1 = add_new(st, &c);

	/* Another run, same task, text and limits: the same job. */
	c.run = "r2";
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.new_job);
	ASSERT_EQ(job_of(st, a.id), j1);

	/* Another task. */
	c.task_id = "T/2";
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.new_job);
	ASSERT_NE(job_of(st, a.id), j1);

	/* One more byte of text. */
	c = cand(NULL, "r1", "T/1", "def f():\n    return 1\n ");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.new_job);

	/* Each of the seven limits on its own. */
	for (size_t i = 0; i < 7; i++) {
		c = cand(NULL, "r1", "T/1", "def f():\n    return 1\n");
		field = (uint32_t *[]){ &c.limits.wall_ms, &c.limits.cpu_ms,
		    &c.limits.test_ms, &c.limits.mem_mb, &c.limits.nproc,
		    &c.limits.fsize_kb, &c.limits.out_kb }[i];
		(*field)++;
		ASSERT_OK(add1(st, &c, &a));
		ASSERT(a.new_job);
		j = job_of(st, a.id);
		ASSERT_NE(j, j1);
		/* And that job is shared in turn. */
		ASSERT_OK(add1(st, &c, &a));
		ASSERT(!a.new_job);
		ASSERT_EQ(job_of(st, a.id), j);
	}
	ASSERT_EQ(queued(st, db), 3 + 7);
	ASSERT_EQ(run_field(st, "r1", "candidates"), 1 + 1 + 14);
	ASSERT_EQ(run_field(st, "r2", "candidates"), 2);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(dedupe_hash_collision)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct store_candidate	 sc;
	char			*sql, *h;
	int64_t			 ja, jb;

	st = open_ok(db);
	c = cand("a", "r", "T/1", "print('A')");
	ja = add_new(st, &c);
	store_close(st);

	/* The stored hash is the FNV-1a of the text (as a signed integer)... */
	sql = xasprintf("SELECT hash FROM jobs WHERE id = %lld",
	    (long long)ja);
	h = tdb_text(db, sql);
	ASSERT_EQ(strtoll(h, NULL, 10), (int64_t)hash_fnv1a("print('A')"));
	free(h);
	free(sql);

	/* ...now make job A's key collide with program B's. */
	sql = xasprintf("UPDATE jobs SET hash = %lld WHERE id = %lld",
	    (long long)hash_fnv1a("print('B')"), (long long)ja);
	tdb_exec(db, sql);
	free(sql);

	st = open_ok(db);
	c = cand("b", "r", "T/1", "print('B')");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.new_job);
	jb = job_of(st, "b");
	ASSERT_NE(jb, ja);

	/* Finishing A does not touch B. */
	finish(st, ja, PROTO_VERDICT_PASSED, NULL);
	ASSERT_OK(store_candidate(st, "b", &sc));
	ASSERT_EQ(sc.verdict, -1);
	ASSERT_EQ(sc.state, STORE_QUEUED);
	store_candidate_free(&sc);
	ASSERT_EQ(run_verdict(st, "r", PROTO_VERDICT_PASSED), 1);
	ASSERT_EQ(run_field(st, "r", "queued"), 1);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(update_moves_tallies)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_candidate	 sc;
	struct store_problem	*p;
	json_t			*rec, *tests;
	int64_t			 j, k;
	size_t			 np;

	st = open_ok(db);
	for (int i = 0; i < 3; i++) {
		c = cand(NULL, "r", "T/1", "print(1)");
		c.meta.has_sample = true;
		c.meta.sample = i;
		j = add_new(st, &c);
	}
	c = cand("other-run", "r2", "T/1", "print(1)");
	ASSERT_EQ(add_new(st, &c), j);
	c = cand("k", "r", "T/2", "print(2)");
	k = add_new(st, &c);
	ASSERT_EQ(run_field(st, "r", "queued"), 4);

	start(st, j);
	ASSERT_EQ(run_field(st, "r", "running"), 3);
	ASSERT_EQ(run_field(st, "r", "queued"), 1);
	ASSERT_EQ(run_field(st, "r2", "running"), 1);
	ASSERT_OK(store_candidate(st, "v-1", &sc));
	ASSERT_EQ(sc.state, STORE_RUNNING);
	ASSERT_EQ(sc.verdict, -1);
	ASSERT_NULL(sc.tests);
	ASSERT_EQ(sc.usage.cpu_ms, -1);
	ASSERT_NULL(sc.stderr_text);
	store_candidate_free(&sc);

	rec = json_pack("{s:[{s:s,s:s}], s:i, s:i, s:i, s:s, s:s}",
	    "tests", "name", "t1", "status", "failed", "cpu_ms", 12, "wall_ms",
	    34, "max_rss_kb", 5000, "stderr", "boom", "message", "t1 failed");
	finish(st, j, PROTO_VERDICT_FAILED, rec);
	json_decref(rec);
	ASSERT_OK(store_candidate(st, "v-2", &sc));
	ASSERT_EQ(sc.state, STORE_DONE);
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_FAILED);
	ASSERT_NOT_NULL(tests = json_loads(sc.tests, 0, NULL));
	ASSERT_EQ(json_array_size(tests), 1);
	ASSERT_STR_EQ(json_string_value(json_object_get(json_array_get(tests,
	    0), "status")), "failed");
	json_decref(tests);
	ASSERT_EQ(sc.usage.cpu_ms, 12);
	ASSERT_EQ(sc.usage.wall_ms, 34);
	ASSERT_EQ(sc.usage.max_rss_kb, 5000);
	ASSERT_STR_EQ(sc.stderr_text, "boom");
	ASSERT_STR_EQ(sc.message, "t1 failed");
	ASSERT(!sc.oracle_error);
	store_candidate_free(&sc);
	ASSERT_EQ(run_verdict(st, "r", PROTO_VERDICT_FAILED), 3);
	ASSERT_EQ(run_verdict(st, "r2", PROTO_VERDICT_FAILED), 1);
	ASSERT_EQ(run_field(st, "r", "done"), 3);
	ASSERT_EQ(run_field(st, "r", "running"), 0);
	ASSERT_EQ(run_field(st, "r", "queued"), 1);

	/* A second result, and a late release, change nothing. */
	finish(st, j, PROTO_VERDICT_PASSED, NULL);
	ASSERT_OK(store_release(st, &j, 1, &np));
	ASSERT_EQ(np, 0);
	ASSERT_EQ(run_verdict(st, "r", PROTO_VERDICT_FAILED), 3);
	ASSERT_EQ(run_verdict(st, "r", PROTO_VERDICT_PASSED), 0);
	ASSERT_EQ(run_field(st, "r", "done"), 3);
	ASSERT_EQ(run_field(st, "r", "running"), 0);
	ASSERT_OK(store_candidate(st, "other-run", &sc));
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_FAILED);
	store_candidate_free(&sc);

	/* An empty record: defaults. */
	rec = json_object();
	{
		struct store_result d;

		start(st, k);
		result_of(k, PROTO_VERDICT_TIMEOUT, rec, &d);
		ASSERT_OK(store_update(st, &d, 1));
		sandbox_result_free(&d.res);
	}
	json_decref(rec);
	ASSERT_OK(store_candidate(st, "k", &sc));
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_TIMEOUT);
	ASSERT_STR_EQ(sc.tests, "[]");
	ASSERT_EQ(sc.usage.cpu_ms, 0);
	ASSERT_STR_EQ(sc.stderr_text, "");
	ASSERT_STR_EQ(sc.message, "");
	store_candidate_free(&sc);

	/* A job that does not exist is ignored. */
	finish(st, 9999, PROTO_VERDICT_PASSED, NULL);

	ASSERT_OK(store_run_problems(st, "r", &p, &np));
	ASSERT_EQ(np, 2);
	ASSERT_STR_EQ(p[0].task_id, "T/1");
	ASSERT_EQ(done_of(&p[0].counts), 3);
	ASSERT_EQ(p[0].counts.verdicts[PROTO_VERDICT_FAILED], 3);
	ASSERT_EQ(p[0].counts.pending, 0);
	ASSERT_STR_EQ(p[1].task_id, "T/2");
	ASSERT_EQ(done_of(&p[1].counts), 1);
	ASSERT_EQ(p[1].counts.verdicts[PROTO_VERDICT_TIMEOUT], 1);
	store_problems_free(p, np);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(join_done_job)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct store_candidate	 sc;
	int64_t			 j;

	st = open_ok(db);
	c = cand("first", "r", "T/1", "print(1)");
	j = add_new(st, &c);
	finish(st, j, PROTO_VERDICT_PASSED, NULL);

	c = cand("late", "r2", "T/1", "print(1)");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.new_job);
	ASSERT_OK(store_candidate(st, "late", &sc));
	ASSERT_EQ(sc.state, STORE_DONE);
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_PASSED);
	ASSERT_EQ(sc.job, j);
	store_candidate_free(&sc);
	ASSERT_EQ(run_verdict(st, "r2", PROTO_VERDICT_PASSED), 1);
	ASSERT_EQ(run_field(st, "r2", "done"), 1);
	ASSERT_EQ(run_field(st, "r2", "queued"), 0);
	ASSERT_EQ(queued(st, db), 0);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(oracle_error)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct store_candidate	 sc;
	struct store_problem	*p;
	json_t			*rec;
	int64_t			 j, j2;
	size_t			 np;

	st = open_ok(db);
	c = cand("first", "r", "T/1", "print(1)");
	j = add_new(st, &c);
	rec = json_pack("{s:s, s:b}", "message", "the oracle could not judge "
	    "this candidate", "oracle_error", 1);
	finish(st, j, PROTO_VERDICT_ERROR, rec);
	json_decref(rec);
	ASSERT_OK(store_candidate(st, "first", &sc));
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_ERROR);
	ASSERT(sc.oracle_error);
	store_candidate_free(&sc);
	ASSERT_EQ(run_verdict(st, "r", PROTO_VERDICT_ERROR), 1);
	ASSERT_EQ(run_field(st, "r", "oracle_errors"), 1);
	ASSERT_OK(store_run_problems(st, "r", &p, &np));
	ASSERT_EQ(np, 1);
	ASSERT_EQ(p[0].counts.verdicts[PROTO_VERDICT_ERROR], 1); /* counts */
	ASSERT_EQ(p[0].counts.oracle_errors, 1);
	store_problems_free(p, np);

	/* The same program again gets a job of its own, to be judged. */
	c = cand("again", "r2", "T/1", "print(1)");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.new_job);
	ASSERT_OK(store_candidate(st, "again", &sc));
	j2 = sc.job;
	ASSERT(j2 != j);
	ASSERT_EQ(sc.state, STORE_QUEUED);
	ASSERT(!sc.oracle_error);
	store_candidate_free(&sc);

	/* Nor is a job that ended "internal" (never judged) shared. */
	finish(st, j2, PROTO_VERDICT_INTERNAL, NULL);
	c = cand("third", "r3", "T/1", "print(1)");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.new_job);
	ASSERT_EQ(run_field(st, "r3", "queued"), 1);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(recover_requeues)
{
	struct store		*st;
	struct store_cand	 c;
	int64_t			 j[4];
	char			 prog[32];
	size_t			 n;

	st = open_ok(db);
	for (int i = 0; i < 4; i++) {
		snprintf(prog, sizeof(prog), "print(%d)", i);
		c = cand(NULL, "r", "T/1", prog);
		j[i] = add_new(st, &c);
	}
	for (int i = 0; i < 3; i++)
		start(st, j[i]);
	finish(st, j[2], PROTO_VERDICT_ERROR, NULL);
	ASSERT_EQ(queued(st, db), 1);
	store_close(st);

	/* A wrong queue counter is counted again by the recovery. */
	tdb_exec(db, "UPDATE counters SET n = 77");

	st = open_ok(db);
	ASSERT_OK(store_recover(st, test_lease.node, &n));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(queued(st, db), 3);
	ASSERT_OK(store_recover(st, test_lease.node, &n));
	ASSERT_EQ(n, 0);
	ASSERT_EQ(run_field(st, "r", "running"), 0);
	ASSERT_EQ(run_field(st, "r", "queued"), 3);
	ASSERT_EQ(run_verdict(st, "r", PROTO_VERDICT_ERROR), 1);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(claim_release)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct store_job	 jobs[4];
	struct store_result	 d;
	int64_t			*ids, r1 = 0, r2 = 0, r3, last, jd, back[2];
	char			 prog[32];
	size_t			 n, total, nb;

	st = open_ok(db);
	for (int i = 0; i < 8; i++) {
		snprintf(prog, sizeof(prog), "print(%d)", i);
		c = cand(NULL, i < 5 ? "r1" : "r2", "T/1", prog);
		c.limits.wall_ms = 1000 + (uint32_t)i;
		ASSERT_OK(add1(st, &c, &a));
		if (i == 0)
			r1 = a.run_id;
		if (i == 5)
			r2 = a.run_id;
	}
	c = cand(NULL, "r3", "T/1", "done()");
	jd = add_new(st, &c);
	ASSERT_OK(add1(st, &c, &a));
	r3 = a.run_id;
	finish(st, jd, PROTO_VERDICT_PASSED, NULL);
	ASSERT(r1 < r2 && r2 < r3);

	ASSERT_OK(store_queued_runs(st, &ids, &n));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(ids[0], r1);
	ASSERT_EQ(ids[1], r2);
	free(ids);

	/* r1's jobs, the oldest first, three at a time: each once. */
	last = 0;
	total = 0;
	for (;;) {
		ASSERT_OK(store_claim(st, &test_lease, r1, 3, jobs, &n));
		if (n == 0)
			break;
		ASSERT(n <= 3);
		for (size_t i = 0; i < n; i++) {
			ASSERT(jobs[i].id > last);
			ASSERT_EQ(jobs[i].run_id, r1);
			ASSERT_STR_EQ(jobs[i].task_id, "T/1");
			snprintf(prog, sizeof(prog), "print(%d)",
			    (int)jobs[i].limits.wall_ms - 1000);
			ASSERT_STR_EQ(jobs[i].program, prog);
			ASSERT_EQ(jobs[i].limits.cpu_ms, 10000);
			ASSERT_EQ(jobs[i].limits.test_ms, 3000);
			ASSERT_EQ(jobs[i].limits.mem_mb, 1024);
			ASSERT_EQ(jobs[i].limits.nproc, 32);
			ASSERT_EQ(jobs[i].limits.fsize_kb, 1024);
			ASSERT_EQ(jobs[i].limits.out_kb, 64);
			if (total + i < 2)
				back[total + i] = jobs[i].id;
			last = jobs[i].id;
			store_job_free(&jobs[i]);
		}
		total += n;
	}
	ASSERT_EQ(total, 5);
	ASSERT_EQ(run_field(st, "r1", "running"), 5);
	ASSERT_EQ(queued(st, db), 3);

	/* Two go back: queued again, claimed again first. */
	ASSERT_OK(store_release(st, back, 2, &nb));
	ASSERT_EQ(nb, 2);
	ASSERT_OK(store_release(st, back, 2, &nb));
	ASSERT_EQ(nb, 0);
	ASSERT_EQ(run_field(st, "r1", "running"), 3);
	ASSERT_EQ(queued(st, db), 5);
	ASSERT_OK(store_claim(st, &test_lease, r1, 1, jobs, &n));
	ASSERT_EQ(n, 1);
	ASSERT_EQ(jobs[0].id, back[0]);
	store_job_free(&jobs[0]);

	/* A result for a released job nobody claimed since is taken. */
	sandbox_result_make(&d.res, PROTO_VERDICT_FAILED, NULL);
	d.job = back[1];
	ASSERT_OK(store_update(st, &d, 1));
	sandbox_result_free(&d.res);
	ASSERT_EQ(run_verdict(st, "r1", PROTO_VERDICT_FAILED), 1);
	ASSERT_EQ(queued(st, db), 3);

	ASSERT_OK(store_claim(st, &test_lease, r2, 4, jobs, &n));
	ASSERT_EQ(n, 3);
	for (size_t i = 0; i < n; i++)
		store_job_free(&jobs[i]);
	ASSERT_OK(store_claim(st, &test_lease, r2, 0, jobs, &n));
	ASSERT_EQ(n, 0);
	ASSERT_OK(store_claim(st, &test_lease, r3, 4, jobs, &n));
	ASSERT_EQ(n, 0);
	ASSERT_EQ(queued(st, db), 0);
	store_job_free(NULL);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(candidate_fields)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct store_candidate	 sc;
	int64_t			 j;

	st = open_ok(db);
	c = cand(NULL, "r", "HumanEval/0", "print(0)");
	j = add_new(st, &c);
	ASSERT_OK(store_candidate(st, "v-1", &sc));
	ASSERT_STR_EQ(sc.id, "v-1");
	ASSERT_EQ(sc.job, j);
	ASSERT_STR_EQ(sc.run, "r");
	ASSERT_NULL(sc.model);
	ASSERT_STR_EQ(sc.task_id, "HumanEval/0");
	ASSERT_EQ(sc.state, STORE_QUEUED);
	ASSERT_EQ(sc.verdict, -1);
	ASSERT(!sc.meta.has_sample);
	ASSERT(!sc.meta.has_score);
	ASSERT(!sc.meta.greedy);
	ASSERT(!sc.meta.truncated);
	ASSERT(sc.meta.cost_seconds < 0);
	ASSERT(sc.meta.cost_tflops < 0);
	ASSERT(sc.meta.cost_tokens < 0);
	ASSERT_NULL(sc.tests);
	ASSERT_EQ(sc.usage.cpu_ms, -1);
	ASSERT_EQ(sc.usage.wall_ms, -1);
	ASSERT_EQ(sc.usage.max_rss_kb, -1);
	ASSERT_NULL(sc.stderr_text);
	ASSERT_NULL(sc.message);
	ASSERT(!sc.oracle_error);
	store_candidate_free(&sc);
	store_candidate_free(NULL);

	/* Everything given; the model comes from the first that has one. */
	c = cand("full", "r", "HumanEval/0", "print(1)");
	c.model = "m1";
	c.meta.has_sample = true;
	c.meta.sample = 42;
	c.meta.has_score = true;
	c.meta.score = -0.25;
	c.meta.greedy = true;
	c.meta.truncated = true;
	c.meta.cost_seconds = 1.5;
	c.meta.cost_tokens = 100;
	ASSERT_OK(add1(st, &c, &a));
	c = cand("m2", "r", "HumanEval/0", "print(1)");
	c.model = "m2";
	c.meta.cost_tflops = 0;
	ASSERT_OK(add1(st, &c, &a));
	finish(st, job_of(st, "full"), PROTO_VERDICT_PASSED, NULL);

	ASSERT_OK(store_candidate(st, "full", &sc));
	ASSERT_STR_EQ(sc.id, "full");
	ASSERT_STR_EQ(sc.model, "m1");
	ASSERT(sc.meta.has_sample);
	ASSERT_EQ(sc.meta.sample, 42);
	ASSERT_EQ(sc.state, STORE_DONE);
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_PASSED);
	ASSERT_STR_EQ(sc.tests, "[]");
	ASSERT(sc.meta.has_score);
	ASSERT_NEAR(sc.meta.score, -0.25, 0);
	ASSERT(sc.meta.greedy);
	ASSERT(sc.meta.truncated);
	ASSERT_NEAR(sc.meta.cost_seconds, 1.5, 0);
	ASSERT(sc.meta.cost_tflops < 0);
	ASSERT_EQ(sc.meta.cost_tokens, 100);
	ASSERT_EQ(sc.usage.cpu_ms, 0);
	store_candidate_free(&sc);
	ASSERT_OK(store_candidate(st, "m2", &sc));
	ASSERT_STR_EQ(sc.model, "m1");
	ASSERT(sc.meta.cost_seconds < 0);
	ASSERT_NEAR(sc.meta.cost_tflops, 0, 0);
	ASSERT(sc.meta.cost_tokens < 0);
	store_candidate_free(&sc);

	/* Ids that name nothing. */
	for (const char *const *k = (const char *const[]){ "nope", "v-0",
	    "v-01", "v-x", "v-", "v-2", "v-99", "v-99999999999999999999",
	    NULL }; *k != NULL; k++) {
		if (store_candidate(st, *k, &sc) != -ENOENT)
			TEST_FAIL_AT("\"%s\" found", *k);
		ASSERT_NULL(sc.run);
	}
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(run_counts)
{
	static const enum proto_verdict v[] = { PROTO_VERDICT_PASSED,
	    PROTO_VERDICT_FAILED, PROTO_VERDICT_INTERNAL,
	    PROTO_VERDICT_PASSED };
	struct store		*st;
	struct store_cand	 c;
	struct store_run	 r, *runs;
	struct store_problem	*p, dummy;
	int64_t			 j[6], before, after;
	char			 prog[32];
	size_t			 n;

	st = open_ok(db);
	before = time(NULL) * (int64_t)1000;
	/* Tasks B (4 candidates) and A (2), added in that order. */
	for (int i = 0; i < 6; i++) {
		snprintf(prog, sizeof(prog), "print(%d)", i);
		c = cand(NULL, "run-1", i < 4 ? "B" : "A", prog);
		c.model = "tiny";
		j[i] = add_new(st, &c);
	}
	after = (time(NULL) + 1) * (int64_t)1000;
	for (int i = 0; i < 4; i++)
		finish(st, j[i], v[i], NULL);
	start(st, j[4]);
	c = cand(NULL, "run-0", "A", "x = 1");
	c.ranker = "judge";
	add_new(st, &c);

	ASSERT_OK(store_run(st, "run-1", &r));
	ASSERT_STR_EQ(r.name, "run-1");
	ASSERT_STR_EQ(r.model, "tiny");
	ASSERT_NULL(r.ranker);
	ASSERT(r.created_ms >= before && r.created_ms <= after);
	ASSERT_EQ(r.problems, 2);
	ASSERT_EQ(r.running, 1);
	ASSERT_EQ(r.counts.pending, 2);
	ASSERT_EQ(r.counts.verdicts[PROTO_VERDICT_PASSED], 2);
	ASSERT_EQ(r.counts.verdicts[PROTO_VERDICT_FAILED], 1);
	ASSERT_EQ(r.counts.verdicts[PROTO_VERDICT_INTERNAL], 1);
	ASSERT_EQ(done_of(&r.counts), 4);
	ASSERT_EQ(r.counts.oracle_errors, 0);
	store_run_free(&r);
	store_run_free(NULL);
	ASSERT_EQ(run_field(st, "run-1", "candidates"), 6);
	ASSERT_EQ(run_field(st, "run-1", "queued"), 1);

	ASSERT_OK(store_runs(st, &runs, &n));
	ASSERT_EQ(n, 2);
	ASSERT_STR_EQ(runs[0].name, "run-1");
	ASSERT_EQ(runs[0].counts.pending, 2);
	ASSERT_STR_EQ(runs[1].name, "run-0");
	ASSERT_NULL(runs[1].model);
	ASSERT_STR_EQ(runs[1].ranker, "judge");
	ASSERT_EQ(runs[1].counts.pending, 1);
	ASSERT_EQ(runs[1].running, 0);
	store_runs_free(runs, n);

	ASSERT_OK(store_run_problems(st, "run-1", &p, &n));
	ASSERT_EQ(n, 2);
	ASSERT_STR_EQ(p[0].task_id, "A");
	ASSERT_EQ(done_of(&p[0].counts), 0);
	ASSERT_EQ(p[0].counts.pending, 2);
	ASSERT_STR_EQ(p[1].task_id, "B");
	ASSERT_EQ(p[1].counts.verdicts[PROTO_VERDICT_PASSED], 2);
	ASSERT_EQ(p[1].counts.verdicts[PROTO_VERDICT_FAILED], 1);
	ASSERT_EQ(p[1].counts.verdicts[PROTO_VERDICT_INTERNAL], 1);
	ASSERT_EQ(p[1].counts.pending, 0);
	store_problems_free(p, n);

	ASSERT_ERR(store_run(st, "nope", &r), -ENOENT);
	ASSERT_NULL(r.name);
	p = &dummy;
	n = 7;
	ASSERT_ERR(store_run_problems(st, "nope", &p, &n), -ENOENT);
	ASSERT_NULL(p);
	ASSERT_EQ(n, 0);
	store_close(st);

	/* An empty store has no runs. */
	tdb_done(db);
	tdb_init(db, db->pg, db->name);
	st = open_ok(db);
	ASSERT_OK(store_runs(st, &runs, &n));
	ASSERT_EQ(n, 0);
	store_runs_free(runs, n);
	store_close(st);
	return TEST_PASS;
}

/* Do "a" and "b" count the same candidates, verdict by verdict? */
static bool
counts_equal(const struct store_counts *a, const struct store_counts *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

STORE_TEST(run_delete)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct store_deleted	 del;
	struct store_candidate	 sc;
	struct store_run	 r2, r2after, *runs;
	struct store_result	 d;
	struct store_job	 jobs[4];
	int64_t			 shared, alone, running, done, theirs, r1;
	int64_t			 r2id, *ids, top;
	size_t			 n;
	char			*v;

	st = open_ok(db);
	/*
	 * r1 joins "theirs", a job r2 created, and creates four: "shared"
	 * (queued) and "done" that r2 uses too, "alone" (queued) and
	 * "running" of its own.
	 */
	c = cand("r2-t", "r2", "T/3", "theirs()");
	theirs = add_new(st, &c);
	ASSERT_OK(add1(st, &c, &a));
	r2id = a.run_id;
	c = cand("r1-t", "r1", "T/3", "theirs()");
	ASSERT_EQ(add_new(st, &c), theirs);
	ASSERT_OK(add1(st, &c, &a));
	r1 = a.run_id;
	c = cand("r1-a", "r1", "T/1", "shared()");
	shared = add_new(st, &c);
	c = cand("r1-d", "r1", "T/2", "done()");
	done = add_new(st, &c);
	c = cand("r1-b", "r1", "T/1", "alone()");
	alone = add_new(st, &c);
	c = cand("r1-c", "r1", "T/2", "running()");
	running = add_new(st, &c);	/* the highest job id: deleted */
	c = cand("r2-a", "r2", "T/1", "shared()");
	ASSERT_EQ(add_new(st, &c), shared);
	c = cand("r2-d", "r2", "T/2", "done()");
	ASSERT_EQ(add_new(st, &c), done);
	c = cand(NULL, "r1", "T/2", "running()");
	ASSERT_OK(add1(st, &c, &a));	/* the highest candidate: deleted */
	top = strtoll(a.id + 2, NULL, 10);
	finish(st, done, PROTO_VERDICT_PASSED, NULL);
	start(st, running);
	ASSERT_EQ(queued(st, db), 3);
	ASSERT_EQ(run_field(st, "r1", "candidates"), 6);
	ASSERT_OK(store_run(st, "r2", &r2));

	ASSERT_OK(store_run_delete(st, "r1", &del));
	ASSERT_EQ(del.run_id, r1);
	ASSERT_EQ(del.candidates, 6);
	ASSERT_EQ(del.jobs_deleted, 2);		/* alone, running */
	ASSERT_EQ(del.queued, 1);		/* alone */
	ASSERT_EQ(del.jobs_kept, 2);		/* shared, done */
	ASSERT_EQ(del.nheirs, 1);		/* r2, of shared (queued) */
	ASSERT_EQ(del.heirs[0], r2id);
	free(del.heirs);
	ASSERT_EQ(queued(st, db), 2);		/* shared, theirs */

	/* r1 and its candidates are gone; r2 is as it was. */
	ASSERT_ERR(store_run(st, "r1", &r2after), -ENOENT);
	ASSERT_ERR(store_candidate(st, "r1-a", &sc), -ENOENT);
	ASSERT_ERR(store_candidate(st, "r1-t", &sc), -ENOENT);
	ASSERT_OK(store_run(st, "r2", &r2after));
	ASSERT(counts_equal(&r2.counts, &r2after.counts));
	ASSERT_EQ(r2after.problems, r2.problems);
	store_run_free(&r2after);
	store_run_free(&r2);
	ASSERT_OK(store_runs(st, &runs, &n));
	ASSERT_EQ(n, 1);
	ASSERT_STR_EQ(runs[0].name, "r2");
	store_runs_free(runs, n);
	v = tdb_text(db, "SELECT count(*) FROM tallies WHERE run_id NOT IN "
	    "(SELECT id FROM runs)");
	ASSERT_STR_EQ(v, "0");
	free(v);
	v = tdb_text(db, "SELECT count(*) FROM jobs WHERE run_id NOT IN "
	    "(SELECT id FROM runs)");
	ASSERT_STR_EQ(v, "0");
	free(v);
	ASSERT_EQ(job_of(st, "r2-a"), shared);

	/* The shared job is r2's now: the scheduler serves it as r2's. */
	ASSERT_OK(store_queued_runs(st, &ids, &n));
	ASSERT_EQ(n, 1);
	ASSERT_EQ(ids[0], r2id);
	free(ids);
	ASSERT_OK(store_claim(st, &test_lease, r2id, 4, jobs, &n));
	ASSERT_EQ(n, 2);
	ASSERT_EQ(jobs[0].id, theirs);		/* the older */
	ASSERT_EQ(jobs[1].id, shared);
	store_job_free(&jobs[0]);
	store_job_free(&jobs[1]);
	finish(st, shared, PROTO_VERDICT_FAILED, NULL);
	ASSERT_OK(store_candidate(st, "r2-a", &sc));
	ASSERT_EQ(sc.verdict, PROTO_VERDICT_FAILED);
	store_candidate_free(&sc);

	/*
	 * The deleted running job: its lease renewed and its release are
	 * no-ops, and its late result is dropped, quietly.
	 */
	ASSERT_OK(store_leases(st, &test_lease, &ids, &n));
	ASSERT_EQ(n, 0);
	free(ids);
	ASSERT_OK(store_release(st, &running, 1, &n));
	ASSERT_EQ(n, 0);
	sandbox_result_make(&d.res, PROTO_VERDICT_PASSED, NULL);
	d.job = running;
	ASSERT_OK(store_update(st, &d, 1));
	sandbox_result_free(&d.res);
	ASSERT_EQ(run_verdict(st, "r2", PROTO_VERDICT_PASSED), 1);
	ASSERT_EQ(run_field(st, "r2", "done"), 2);
	ASSERT_EQ(queued(st, db), 0);

	/* Twice, or an unknown run: -ENOENT, nothing touched. */
	ASSERT_ERR(store_run_delete(st, "r1", &del), -ENOENT);
	ASSERT_EQ(del.candidates, 0);
	ASSERT_NULL(del.heirs);
	ASSERT_ERR(store_run_delete(st, "nope", &del), -ENOENT);

	/*
	 * The same candidates again: a new run, new candidates, and jobs
	 * whose ids are above every deleted one (the highest ids were
	 * r1's: a late result must never land on a new job).
	 */
	c = cand("r1-b", "r1", "T/1", "alone()");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.existed);
	ASSERT(a.run_id != r1);
	ASSERT(job_of(st, "r1-b") > running);
	ASSERT(running > alone);
	c = cand("r1-c", "r1", "T/2", "running()");
	ASSERT(add_new(st, &c) > job_of(st, "r1-b"));
	c = cand(NULL, "r1", "T/9", "new()");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(strtoll(a.id + 2, NULL, 10) > top);	/* v-N: N unused */
	c = cand("r1-a", "r1", "T/1", "shared()");
	ASSERT_EQ(add_new(st, &c), shared);		/* done: shared */
	ASSERT_EQ(run_field(st, "r1", "candidates"), 4);
	ASSERT_EQ(run_field(st, "r1", "done"), 1);
	ASSERT_EQ(queued(st, db), 3);
	store_close(st);
	return TEST_PASS;
}

STORE_TEST(run_update)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_run	 r;

	st = open_ok(db);
	c = cand(NULL, "r", "T/1", "x()");
	c.model = "first";
	add_new(st, &c);
	ASSERT_OK(store_run_update(st, "r", "second", NULL));
	ASSERT_OK(store_run(st, "r", &r));
	ASSERT_STR_EQ(r.model, "second");
	ASSERT_NULL(r.ranker);
	store_run_free(&r);
	ASSERT_OK(store_run_update(st, "r", NULL, "judge"));
	ASSERT_OK(store_run_update(st, "r", NULL, NULL));
	/* A later candidate naming another model changes nothing. */
	c = cand(NULL, "r", "T/1", "y()");
	c.model = "third";
	add_new(st, &c);
	ASSERT_OK(store_run(st, "r", &r));
	ASSERT_STR_EQ(r.model, "second");
	ASSERT_STR_EQ(r.ranker, "judge");
	store_run_free(&r);
	ASSERT_ERR(store_run_update(st, "nope", "m", NULL), -ENOENT);
	ASSERT_ERR(store_run_update(st, "nope", NULL, NULL), -ENOENT);
	store_close(st);
	return TEST_PASS;
}

/* The task of each sample store_run_samples() gives, in order. */
static int
samples_cb(const struct store_sample *smp, void *arg)
{
	char	*seen = arg;

	strcat(seen, smp->task_id);
	strcat(seen, " ");
	return 0;
}

STORE_TEST(problems_byte_order)
{
	static const char *const tasks[] = { "b", "a/9", "_x", "B", "a/10" };
	struct store		*st;
	struct store_cand	 c;
	struct store_problem	*p;
	char			 prog[32], seen[64] = "", *model, *ranker;
	size_t			 n;

	st = open_ok(db);
	for (size_t i = 0; i < 5; i++) {
		snprintf(prog, sizeof(prog), "print(%zu)", i);
		c = cand(NULL, "r", tasks[i], prog);
		add_new(st, &c);
	}
	/* Byte order, whatever the database's collation. */
	ASSERT_OK(store_run_problems(st, "r", &p, &n));
	ASSERT_EQ(n, 5);
	ASSERT_STR_EQ(p[0].task_id, "B");
	ASSERT_STR_EQ(p[1].task_id, "_x");
	ASSERT_STR_EQ(p[2].task_id, "a/10");
	ASSERT_STR_EQ(p[3].task_id, "a/9");
	ASSERT_STR_EQ(p[4].task_id, "b");
	store_problems_free(p, n);
	ASSERT_OK(store_run_samples(st, "r", &model, &ranker, samples_cb,
	    seen));
	ASSERT_STR_EQ(seen, "B _x a/10 a/9 b ");
	store_close(st);
	return TEST_PASS;
}

/* Each sample's task and EvalPlus base result ('-', 'n', 'y'). */
static int
base_cb(const struct store_sample *smp, void *arg)
{
	char	*seen = arg;

	strcat(seen, smp->task_id);
	strcat(seen, smp->base == STORE_BASE_NONE ? "- " :
	    smp->base == STORE_BASE_PASSED ? "y " : "n ");
	return 0;
}

/* Finish "job" with verdict "v" and base result "base". */
static void
finish_base(struct store *st, int64_t job, enum proto_verdict v,
    enum store_base base)
{
	struct store_result	 d;

	result_of(job, v, NULL, &d);
	d.base = base;
	ASSERT_OK(store_update(st, &d, 1));
	sandbox_result_free(&d.res);
}

STORE_TEST(base_results)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	char			 seen[64] = "", *model, *ranker;
	int64_t			 j1, j2, j3;

	st = open_ok(db);
	c = cand(NULL, "r", "T/1", "print(1)");
	j1 = add_new(st, &c);
	c = cand(NULL, "r", "T/2", "print(2)");
	j2 = add_new(st, &c);
	c = cand(NULL, "r", "T/3", "print(3)");
	j3 = add_new(st, &c);
	c = cand(NULL, "r", "T/4", "print(4)");
	add_new(st, &c);
	finish_base(st, j1, PROTO_VERDICT_FAILED, STORE_BASE_PASSED);
	finish_base(st, j2, PROTO_VERDICT_PASSED, STORE_BASE_NONE);
	finish_base(st, j3, PROTO_VERDICT_FAILED, STORE_BASE_FAILED);
	/* Copied to the job's candidates, and to one that joins it done;
	 * a value out of range is none. */
	c = cand(NULL, "r2", "T/1", "print(1)");
	ASSERT_OK(add1(st, &c, &a));
	c = cand(NULL, "r2", "T/9", "print(9)");
	finish_base(st, add_new(st, &c), PROTO_VERDICT_PASSED,
	    (enum store_base)7);
	ASSERT_OK(store_run_samples(st, "r", &model, &ranker, base_cb, seen));
	ASSERT_STR_EQ(seen, "T/1y T/2- T/3n T/4- ");
	seen[0] = '\0';
	ASSERT_OK(store_run_samples(st, "r2", &model, &ranker, base_cb,
	    seen));
	ASSERT_STR_EQ(seen, "T/1y T/9- ");
	store_close(st);
	return TEST_PASS;
}

/* What store_results() gave, row by row. */
struct results_seen {
	size_t		 n;
	size_t		 stop_at;	/* return 1 at this row; 0 never */
	char		 ids[16][STORE_ID_MAX + 1];
	int64_t		 rows[16];
	int64_t		 samples[16];
	int		 verdicts[16];
	int64_t		 tokens[16];
	struct store_usage usage[16];
	size_t		 details;	/* rows with message, tests, stderr */
};

static int
results_cb(const struct store_verdict *v, void *arg)
{
	struct results_seen	*s = arg;
	size_t			 i = s->n++;

	if (v->message != NULL && v->tests != NULL && v->stderr_text != NULL)
		s->details++;
	else
		ASSERT(v->message == NULL && v->tests == NULL &&
		    v->stderr_text == NULL);

	ASSERT(i < 16);
	ASSERT_STR_EQ(v->task_id, "T/1");
	ASSERT(v->meta.has_sample);
	snprintf(s->ids[i], sizeof(s->ids[i]), "%s", v->id);
	s->rows[i] = v->row;
	s->samples[i] = v->meta.sample;
	s->verdicts[i] = v->verdict;
	s->tokens[i] = v->meta.cost_tokens;
	s->usage[i] = v->usage;
	return s->n == s->stop_at ? 1 : 0;
}

STORE_TEST(results_paging)
{
	struct store		*st;
	struct store_cand	 c;
	struct results_seen	 rs;
	json_t			*rec;
	int64_t			 j[10], after, last;
	char			 prog[32], want[32];
	size_t			 seen = 0;

	st = open_ok(db);
	for (int i = 0; i < 10; i++) {
		snprintf(prog, sizeof(prog), "print(%d)", i);
		c = cand(NULL, "r", "T/1", prog);
		c.meta.has_sample = true;
		c.meta.sample = i;
		c.meta.cost_tokens = 10 * i;
		j[i] = add_new(st, &c);
	}
	c = cand(NULL, "other", "T/1", "print(0)");
	c.meta.has_sample = true;
	add_new(st, &c);			/* shares j[0], row 11 */
	rec = json_pack("{s:i, s:i, s:i}", "cpu_ms", 5, "wall_ms", 6,
	    "max_rss_kb", 7);
	/* Rows 1, 2, 4, 5, 7, 8, 10 done. */
	for (int i = 0; i < 10; i++) {
		if (i % 3 != 2)
			finish(st, j[i], i % 2 ? PROTO_VERDICT_FAILED :
			    PROTO_VERDICT_PASSED, rec);
	}
	json_decref(rec);

	after = 0;
	for (;;) {
		memset(&rs, 0, sizeof(rs));
		ASSERT_OK(store_results(st, "r", after, 3, false, results_cb,
		    &rs, &last));
		if (rs.n == 0) {
			ASSERT_EQ(last, after);
			break;
		}
		ASSERT(rs.n <= 3);
		for (size_t i = 0; i < rs.n; i++) {
			seen++;
			snprintf(want, sizeof(want), "v-%d", (int)(seen +
			    (seen - 1) / 2));
			ASSERT_STR_EQ(rs.ids[i], want);
			ASSERT_EQ(rs.rows[i], seen + (seen - 1) / 2);
			ASSERT_EQ(rs.samples[i], seen + (seen - 1) / 2 - 1);
			ASSERT_EQ(rs.usage[i].cpu_ms, 5);
			ASSERT_EQ(rs.usage[i].wall_ms, 6);
			ASSERT_EQ(rs.usage[i].max_rss_kb, 7);
			ASSERT_EQ(rs.tokens[i], 10 * rs.samples[i]);
			ASSERT_EQ(rs.verdicts[i], rs.samples[i] % 2 ?
			    PROTO_VERDICT_FAILED : PROTO_VERDICT_PASSED);
		}
		ASSERT_EQ(last, rs.rows[rs.n - 1]);
		after = last;
	}
	ASSERT_EQ(seen, 7);
	ASSERT_EQ(after, 10);

	memset(&rs, 0, sizeof(rs));
	ASSERT_OK(store_results(st, "other", 0, 100, false, results_cb, &rs,
	    &last));
	ASSERT_EQ(rs.n, 1);
	ASSERT_STR_EQ(rs.ids[0], "v-11");
	ASSERT_EQ(last, 11);
	memset(&rs, 0, sizeof(rs));
	ASSERT_OK(store_results(st, "r", 0, 0, false, results_cb, &rs, &last));
	ASSERT_EQ(rs.n, 0);
	ASSERT_EQ(last, 0);
	ASSERT_ERR(store_results(st, "nope", 0, 10, false, results_cb, &rs,
	    &last),
	    -ENOENT);
	ASSERT_EQ(rs.n, 0);

	/* A callback's non-zero stops the walk; the store still reads. */
	memset(&rs, 0, sizeof(rs));
	rs.stop_at = 2;
	ASSERT_ERR(store_results(st, "r", 0, 100, false, results_cb, &rs,
	    &last), -ECANCELED);
	ASSERT_EQ(rs.n, 2);
	ASSERT_EQ(last, 0);
	memset(&rs, 0, sizeof(rs));
	ASSERT_OK(store_results(st, "r", 0, 100, false, results_cb, &rs,
	    &last));
	ASSERT_EQ(rs.n, 7);
	ASSERT_EQ(rs.details, 0);

	/* With the details: each job's message, tests and stderr. */
	memset(&rs, 0, sizeof(rs));
	ASSERT_OK(store_results(st, "r", 0, 100, true, results_cb, &rs,
	    &last));
	ASSERT_EQ(rs.n, 7);
	ASSERT_EQ(rs.details, 7);
	store_close(st);
	return TEST_PASS;
}

struct import_seen {
	int		 calls;
	int		 stop_at;	/* return 7 at this call; 0 never */
	int64_t		 ids[4];
	char		 formats[4][16];
	char		 datasets[4][16];	/* "-": NULL */
	char		*bodies[4];
	size_t		 lens[4];
};

static int
import_cb(int64_t id, const struct store_import *imp, void *arg)
{
	struct import_seen	*s = arg;
	int			 i = s->calls++;

	ASSERT(i < 4);
	s->ids[i] = id;
	snprintf(s->formats[i], sizeof(s->formats[i]), "%s", imp->format);
	snprintf(s->datasets[i], sizeof(s->datasets[i]), "%s",
	    imp->dataset != NULL ? imp->dataset : "-");
	s->bodies[i] = xmalloc(imp->len + 1);
	memcpy(s->bodies[i], imp->body, imp->len);
	s->lens[i] = imp->len;
	return s->calls == s->stop_at ? 7 : 0;
}

STORE_TEST(imports_round_trip)
{
	static const char b1[] = "{\"task_id\": \"X/1\"}\n\0binary\xff";
	static const char b3[] = "[1, 2, 3]";
	struct store_import	 plus = { "apps", "humaneval+", "", 0 };
	struct store		*st;
	struct import_seen	 s;
	int64_t			 id[3];

	st = open_ok(db);
	ASSERT_OK(import_add(st, "jsonl", b1, sizeof(b1) - 1, &id[0]));
	ASSERT_OK(store_import_add(st, &plus, &id[1]));
	ASSERT_OK(import_add(st, "json", b3, sizeof(b3) - 1, &id[2]));
	ASSERT(id[0] < id[1] && id[1] < id[2]);
	store_close(st);

	st = open_ok(db);
	memset(&s, 0, sizeof(s));
	ASSERT_OK(store_import_each(st, 0, import_cb, &s));
	ASSERT_EQ(s.calls, 3);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(s.ids[i], id[i]);
	ASSERT_STR_EQ(s.formats[0], "jsonl");
	ASSERT_STR_EQ(s.formats[1], "apps");
	ASSERT_STR_EQ(s.formats[2], "json");
	ASSERT_STR_EQ(s.datasets[0], "-");
	ASSERT_STR_EQ(s.datasets[1], "humaneval+");
	ASSERT_EQ(s.lens[0], sizeof(b1) - 1);
	ASSERT(memcmp(s.bodies[0], b1, sizeof(b1) - 1) == 0);
	ASSERT_EQ(s.lens[1], 0);
	ASSERT_EQ(s.lens[2], sizeof(b3) - 1);
	ASSERT(memcmp(s.bodies[2], b3, sizeof(b3) - 1) == 0);
	for (int i = 0; i < 3; i++)
		free(s.bodies[i]);

	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	ASSERT_EQ(store_import_each(st, 0, import_cb, &s), 7);
	ASSERT_EQ(s.calls, 2);
	for (int i = 0; i < 2; i++)
		free(s.bodies[i]);
	/* The statement was reset: a new walk starts from the first. */
	memset(&s, 0, sizeof(s));
	ASSERT_OK(store_import_each(st, 0, import_cb, &s));
	ASSERT_EQ(s.calls, 3);
	for (int i = 0; i < 3; i++)
		free(s.bodies[i]);
	/* Those after an id only. */
	memset(&s, 0, sizeof(s));
	ASSERT_OK(store_import_each(st, id[0], import_cb, &s));
	ASSERT_EQ(s.calls, 2);
	ASSERT_EQ(s.ids[0], id[1]);
	for (int i = 0; i < 2; i++)
		free(s.bodies[i]);
	store_close(st);
	return TEST_PASS;
}

/*
 * Add "nbatch" batches of "per" candidates of run "run", ids
 * "PREFIX-N", three problems, one program each; exits with status 0
 * when all were stored (for forked children).
 */
static int
add_batches(struct tdb *db, const char *run, const char *prefix,
    int nbatch, int per)
{
	struct store		*st;
	struct store_cand	*c;
	struct store_added	*out;
	char			**ids, **progs, err[512];
	size_t			 nj;
	int			 r = 0;

	st = open_ok(db);
	c = xcalloc((size_t)per, sizeof(*c));
	out = xcalloc((size_t)per, sizeof(*out));
	ids = xcalloc((size_t)per, sizeof(*ids));
	progs = xcalloc((size_t)per, sizeof(*progs));
	for (int b = 0; b < nbatch && r == 0; b++) {
		for (int i = 0; i < per; i++) {
			ids[i] = xasprintf("%s-%d", prefix, b * per + i);
			progs[i] = xasprintf("print(%d)", b * per + i);
			c[i] = cand(ids[i], run, (const char *[]){ "P/0",
			    "P/1", "P/2" }[i % 3], progs[i]);
		}
		r = store_add(st, c, (size_t)per, out, &nj, err, sizeof(err));
		if (r != 0)
			fprintf(stderr, "store_add: %d %s\n", r, err);
		for (int i = 0; i < per; i++) {
			free(ids[i]);
			free(progs[i]);
		}
	}
	free(progs);
	free(ids);
	free(out);
	free(c);
	store_close(st);
	return r;
}

STORE_TEST(feed_order)
{
	static const char *const want[] = { "a3", "a0", "a4", "a1", "a2" };
	static const int64_t seqs[] = { 1, 2, 4, 5, 6 };
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct store_result	 d[2];
	struct feed_seen	 s;
	int64_t			 j[5], last, after;
	char			 id[16], prog[32];
	size_t			 k;

	st = open_ok(db);
	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "a%d", i);
		snprintf(prog, sizeof(prog), "print(%d)", i);
		c = cand(id, "r", "T/1", prog);
		j[i] = add_new(st, &c);
	}
	c = cand("x", "other", "T/1", "print(0)");
	ASSERT_EQ(add_new(st, &c), j[0]);	/* a0's job, row 6 */
	memset(&s, 0, sizeof(s));
	ASSERT_OK(store_feed(st, "r", 0, 100, false, feed_cb, &s, &last));
	ASSERT_EQ(s.n, 0);
	ASSERT_EQ(last, 0);

	/* Verdicts in the order they come: a3; a0 with x (row order); a4;
	 * then a1 and a2 in one update. */
	finish(st, j[3], PROTO_VERDICT_PASSED, NULL);
	finish(st, j[0], PROTO_VERDICT_FAILED, NULL);
	finish(st, j[4], PROTO_VERDICT_PASSED, NULL);
	result_of(j[1], PROTO_VERDICT_PASSED, NULL, &d[0]);
	result_of(j[2], PROTO_VERDICT_TIMEOUT, NULL, &d[1]);
	ASSERT_OK(store_update(st, d, 2));
	sandbox_result_free(&d[0].res);
	sandbox_result_free(&d[1].res);
	/* A result given twice moves nothing. */
	finish(st, j[4], PROTO_VERDICT_FAILED, NULL);

	ASSERT_OK(store_feed(st, "r", 0, 100, true, feed_cb, &s, &last));
	ASSERT_EQ(s.n, 5);
	for (size_t i = 0; i < 5; i++) {
		ASSERT_STR_EQ(s.ids[i], want[i]);
		ASSERT_EQ(s.seqs[i], seqs[i]);
	}
	ASSERT_EQ(last, 6);
	feed_seen_free(&s);
	feed_expect(st, "other", 0, "x", 3);

	/* In pages: each resumes after the last seq of the one before. */
	after = 0;
	k = 0;
	for (;;) {
		ASSERT_OK(store_feed(st, "r", after, 2, false, feed_cb, &s,
		    &last));
		ASSERT(s.n <= 2);
		if (s.n == 0) {
			ASSERT_EQ(last, after);
			break;
		}
		for (size_t i = 0; i < s.n; i++, k++) {
			ASSERT_STR_EQ(s.ids[i], want[k]);
			ASSERT_EQ(s.seqs[i], seqs[k]);
		}
		ASSERT_EQ(last, s.seqs[s.n - 1]);
		after = last;
		feed_seen_free(&s);
	}
	ASSERT_EQ(k, 5);

	/* Joining a done job: the verdict, and the next seq, at once. */
	c = cand("late", "r", "T/1", "print(3)");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.done && !a.new_job);
	feed_expect(st, "r", 6, "late", 7);
	c = cand("pending", "r", "T/1", "print(9)");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.done && a.new_job);
	ASSERT_OK(store_feed(st, "r", 7, 100, false, feed_cb, &s, &last));
	ASSERT_EQ(s.n, 0);

	/* The results stream gives the seqs too, in row order. */
	ASSERT_OK(store_results(st, "r", 0, 100, false, feed_cb, &s, &last));
	ASSERT_EQ(s.n, 6);
	ASSERT_STR_EQ(s.ids[0], "a0");
	ASSERT_EQ(s.seqs[0], 2);
	ASSERT_EQ(s.rows[0], 1);
	feed_seen_free(&s);

	/* The largest cursor: nothing after it.  An unknown run. */
	ASSERT_OK(store_feed(st, "r", INT64_MAX, 100, false, feed_cb, &s,
	    &last));
	ASSERT_EQ(s.n, 0);
	ASSERT_EQ(last, INT64_MAX);
	ASSERT_ERR(store_feed(st, "nope", 0, 100, false, feed_cb, &s, &last),
	    -ENOENT);
	/* A callback's non-zero stops the walk. */
	s.stop_at = 2;
	ASSERT_ERR(store_feed(st, "r", 0, 100, false, feed_cb, &s, &last),
	    -ECANCELED);
	ASSERT_EQ(s.n, 2);
	feed_seen_free(&s);
	store_close(st);
	return TEST_PASS;
}

/*
 * feed_concurrent's writers: the same 100 programs of run "f" (so that
 * some candidates join done jobs), then jobs claimed three at a time and
 * finished, until none is queued.
 */
static int
feed_writer_child(int i, void *db)
{
	struct store		*st;
	struct store_job	 jobs[3];
	struct store_result	 d[3];
	int64_t			*runs;
	size_t			 nruns, n;
	int			 r;

	if ((r = add_batches(db, "f", i ? "w1" : "w0", 4, 25)) != 0)
		return r;
	st = open_ok(db);
	do {
		if ((r = store_queued_runs(st, &runs, &nruns)) != 0)
			break;
		n = 0;
		if (nruns > 0)
			r = store_claim(st, &test_lease, runs[0], 3, jobs, &n);
		free(runs);
		for (size_t k = 0; k < n; k++) {
			result_of(jobs[k].id, PROTO_VERDICT_PASSED, NULL,
			    &d[k]);
			store_job_free(&jobs[k]);
		}
		if (r == 0 && n > 0)
			r = store_update(st, d, n);
		for (size_t k = 0; k < n; k++)
			sandbox_result_free(&d[k].res);
	} while (r == 0 && n > 0);
	store_close(st);
	return r;
}

STORE_TEST(feed_concurrent)
{
	struct store		*st;
	struct feed_seen	 s, all;
	pid_t			 pid[2];
	int64_t			 last = 0;
	size_t			 before;
	int			 status, r, running = 2;

	st = open_ok(db);
	for (int i = 0; i < 2; i++) {
		if ((pid[i] = fork()) == 0)
			_exit(feed_writer_child(i, db) == 0 ? 0 : 1);
		ASSERT(pid[i] > 0);
	}
	/* Follow in small pages while they write: each verdict once, in
	 * increasing seq; then once more after both are done. */
	memset(&s, 0, sizeof(s));
	for (;;) {
		before = s.n;
		r = store_feed(st, "f", last, 7, false, feed_cb, &s, &last);
		ASSERT(r == 0 || r == -ENOENT);	/* -ENOENT: no run yet */
		for (size_t i = before; i < s.n; i++)
			ASSERT(s.seqs[i] > (i > 0 ? s.seqs[i - 1] : 0));
		if (s.n > before)
			continue;
		if (running == 0)
			break;		/* the read after both ended */
		for (int i = 0; i < 2; i++) {
			if (pid[i] > 0 && waitpid(pid[i], &status, WNOHANG) ==
			    pid[i]) {
				ASSERT(WIFEXITED(status) &&
				    WEXITSTATUS(status) == 0);
				pid[i] = 0;
				running--;
			}
		}
		(void)poll(NULL, 0, 1);	/* pace the reads, not a wait */
	}
	/* Nothing skipped: the follower saw what a read of all gives. */
	memset(&all, 0, sizeof(all));
	ASSERT_OK(store_feed(st, "f", 0, 1000, false, feed_cb, &all, &last));
	ASSERT_EQ(all.n, 200);
	ASSERT_EQ(s.n, all.n);
	for (size_t i = 0; i < all.n; i++) {
		ASSERT_STR_EQ(s.ids[i], all.ids[i]);
		ASSERT_EQ(s.seqs[i], all.seqs[i]);
	}
	feed_seen_free(&s);
	feed_seen_free(&all);
	store_close(st);
	return TEST_PASS;
}

TEST(store_survives_crash)
{
	struct tdb		 db;
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	char			 err[256];
	pid_t			 pid;
	int			 status;
	size_t			 nj;

	tdb_init(&db, false, "survives_crash");
	if ((pid = fork()) == 0) {
		/* A committed batch, then death with the store open. */
		st = open_ok(&db);
		c = cand("crash-1", "r", "T/1", "print(1)");
		if (store_add(st, &c, 1, &a, &nj, err, sizeof(err)) != 0)
			_exit(1);
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	ASSERT(pid > 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	ASSERT_OK(add_batches(&db, "r", "b", 1, 100));
	if ((pid = fork()) == 0) {
		st = open_ok(&db);
		c = cand("crash-2", "r", "T/1", "print(2)");
		if (store_add(st, &c, 1, &a, &nj, err, sizeof(err)) != 0)
			_exit(1);
		_exit(0);
	}
	ASSERT(pid > 0);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	st = open_ok(&db);
	(void)job_of(st, "crash-1");		/* found */
	(void)job_of(st, "crash-2");
	ASSERT_EQ(run_field(st, "r", "candidates"), 102);
	store_close(st);
	tdb_done(&db);
	return TEST_PASS;
}

/*
 * Run child(i, arg) in two processes at once, i 0 and 1, and wait for
 * both: each must return 0.
 */
static void
twice_at_once(int (*child)(int, void *), void *arg)
{
	pid_t	 pid[2];
	int	 status;

	for (int i = 0; i < 2; i++) {
		if ((pid[i] = fork()) == 0)
			_exit(child(i, arg) == 0 ? 0 : 1);
		ASSERT(pid[i] > 0);
	}
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(waitpid(pid[i], &status, 0), pid[i]);
		ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

/* two_writers' children: ids of their own, the same programs. */
static int
two_writers_child(int i, void *db)
{
	return add_batches(db, "shared", i ? "w1" : "w0", 20, 50);
}

STORE_TEST(two_writers)
{
	struct store	*st;

	/* Create the file first, so the children only write rows. */
	st = open_ok(db);
	store_close(st);
	twice_at_once(two_writers_child, db);
	st = open_ok(db);
	ASSERT_EQ(run_field(st, "shared", "candidates"), 2000);
	ASSERT_EQ(run_field(st, "shared", "problems"), 3);
	/* Both wrote print(0) .. print(999) for the same problems. */
	ASSERT_EQ(queued(st, db), 1000);
	store_close(st);
	return TEST_PASS;
}

/* same_ids_at_once's children: the same ids, the same batches. */
static int
same_ids_child(int i, void *db)
{
	(void)i;
	return add_batches(db, "same", "s", 10, 100);
}

STORE_TEST(same_ids_at_once)
{
	struct store	*st;

	st = open_ok(db);
	store_close(st);
	/* Both send the same 1,000 ids in the same batches at once. */
	twice_at_once(same_ids_child, db);
	st = open_ok(db);
	ASSERT_EQ(run_field(st, "same", "candidates"), 1000);
	ASSERT_EQ(queued(st, db), 1000);
	store_close(st);
	return TEST_PASS;
}

#define MANY_TOTAL	20000
#define MANY_BATCH	1000
#define MANY_TASKS	100

STORE_TEST(many_candidates)
{
	struct store		*st;
	struct store_cand	*c;
	struct store_added	*out;
	struct store_result	*d;
	struct store_job	*jobs;
	struct store_problem	*p;
	char			 err[256], task[MANY_TASKS][24];
	char			**progs;
	int64_t			*ids;
	size_t			 nj, n, njobs = 0, npassed = 0, nruns;

	st = open_ok(db);
	c = xcalloc(MANY_BATCH, sizeof(*c));
	out = xcalloc(MANY_BATCH, sizeof(*out));
	progs = xcalloc(MANY_BATCH, sizeof(*progs));
	for (int t = 0; t < MANY_TASKS; t++)
		snprintf(task[t], sizeof(task[t]), "HumanEval/%d", t);

	/*
	 * Problem by problem, 200 samples each, as a generator posts them;
	 * one sample in four repeats another's program (shared job).
	 */
	for (int b = 0; b < MANY_TOTAL / MANY_BATCH; b++) {
		for (int i = 0; i < MANY_BATCH; i++) {
			int k = b * MANY_BATCH + i;

			progs[i] = xasprintf("def f(x):\n    return x + %d\n",
			    k % 4 == 3 ? k - 1 : k);
			c[i] = cand(NULL, "big", task[k / 200], progs[i]);
			c[i].meta.has_sample = true;
			c[i].meta.sample = k % 200;
		}
		ASSERT_OK(store_add(st, c, MANY_BATCH, out, &nj, err,
		    sizeof(err)));
		ASSERT_EQ(nj, MANY_BATCH * 3 / 4);
		njobs += nj;
		for (int i = 0; i < MANY_BATCH; i++)
			free(progs[i]);
	}
	ASSERT_EQ(run_field(st, "big", "candidates"), MANY_TOTAL);
	ASSERT_EQ(run_field(st, "big", "problems"), MANY_TASKS);
	ASSERT_EQ(run_field(st, "big", "queued"), MANY_TOTAL);
	ASSERT_EQ(queued(st, db), njobs);

	/* Run every job as the scheduler would, in batches of 1000. */
	ASSERT_OK(store_queued_runs(st, &ids, &nruns));
	ASSERT_EQ(nruns, 1);
	jobs = xcalloc(MANY_BATCH, sizeof(*jobs));
	d = xcalloc(MANY_BATCH, sizeof(*d));
	for (;;) {
		ASSERT_OK(store_claim(st, &test_lease, ids[0], MANY_BATCH,
		    jobs, &n));
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			sandbox_result_make(&d[i].res, jobs[i].id % 3 == 0 ?
			    PROTO_VERDICT_PASSED : PROTO_VERDICT_FAILED, NULL);
			d[i].job = jobs[i].id;
			store_job_free(&jobs[i]);
		}
		ASSERT_OK(store_update(st, d, n));
		for (size_t i = 0; i < n; i++)
			sandbox_result_free(&d[i].res);
	}
	free(ids);

	ASSERT_EQ(run_field(st, "big", "done"), MANY_TOTAL);
	ASSERT_EQ(run_field(st, "big", "queued"), 0);
	ASSERT_OK(store_run_problems(st, "big", &p, &n));
	ASSERT_EQ(n, MANY_TASKS);
	for (size_t i = 0; i < n; i++) {
		ASSERT_EQ(done_of(&p[i].counts), 200);
		ASSERT_EQ(p[i].counts.pending, 0);
		npassed += (size_t)p[i].counts.verdicts[PROTO_VERDICT_PASSED];
	}
	store_problems_free(p, n);
	ASSERT_EQ(run_verdict(st, "big", PROTO_VERDICT_PASSED), npassed);
	ASSERT_EQ(run_verdict(st, "big", PROTO_VERDICT_PASSED) +
	    run_verdict(st, "big", PROTO_VERDICT_FAILED), MANY_TOTAL);
	ASSERT_EQ(queued(st, db), 0);

	free(d);
	free(jobs);
	free(progs);
	free(out);
	free(c);
	store_close(st);
	return TEST_PASS;
}

/* The PostgreSQL of $VERDICT_TEST_PG, or skip. */
#define PG_OR_SKIP() do {						\
	if (getenv("VERDICT_TEST_PG") == NULL)				\
		RETURN_SKIP("no PostgreSQL: VERDICT_TEST_PG is not set"); \
} while (0)

TEST(store_pg_schema_version)
{
	struct store	*st;
	struct store_cand c;
	struct store_added a;
	struct store_job j;
	struct tdb	 db;
	char		 err[512], *v;
	size_t		 n;

	PG_OR_SKIP();
	tdb_init(&db, true, "schema_version");
	st = open_ok(&db);
	store_close(st);
	v = tdb_text(&db, "SELECT version FROM verdict_schema");
	ASSERT_STR_EQ(v, "3");
	free(v);
	/* Opened again: the same version, nothing created twice. */
	st = open_ok(&db);
	store_close(st);
	v = tdb_text(&db, "SELECT count(*) FROM verdict_schema");
	ASSERT_STR_EQ(v, "1");
	free(v);

	/* Version 1 (no leases): migrated, what it held kept. */
	st = open_ok(&db);
	c = cand("kept", "r", "T/1", "print(1)");
	ASSERT_OK(add1(st, &c, &a));
	c = cand("done", "r", "T/1", "print(3)");
	finish(st, add_new(st, &c), PROTO_VERDICT_PASSED, NULL);
	store_close(st);
	tdb_exec(&db, "DROP INDEX candidates_sample; "
	    "DROP INDEX candidates_feed; "
	    "ALTER TABLE candidates DROP COLUMN seq; "
	    "DELETE FROM counters WHERE name = 'verdict_seq'; "
	    "ALTER TABLE candidates DROP COLUMN original; "
	    "ALTER TABLE jobs DROP COLUMN lease_owner, DROP COLUMN "
	    "lease_node, DROP COLUMN lease_until, DROP COLUMN claimed_ms, "
	    "DROP COLUMN base_passed; ALTER TABLE candidates DROP COLUMN "
	    "base_passed; ALTER TABLE imports DROP COLUMN dataset; "
	    "DROP INDEX candidates_ext; ALTER TABLE candidates ADD CONSTRAINT "
	    "candidates_ext_id_key UNIQUE (ext_id); "
	    "CREATE UNIQUE INDEX "
	    "candidates_sample ON candidates (run_id, task_id, sample); "
	    "CREATE INDEX candidates_report ON candidates (run_id, task_id) "
	    "INCLUDE (verdict, oracle_error, greedy, truncated, score, "
	    "cost_seconds, cost_tflops); "
	    "UPDATE verdict_schema SET version = 1");
	st = open_ok(&db);
	v = tdb_text(&db, "SELECT version FROM verdict_schema");
	ASSERT_STR_EQ(v, "3");
	free(v);
	ASSERT_EQ(run_field(st, "r", "queued"), 1);
	feed_expect(st, "r", 0, "done", 2);
	v = tdb_text(&db, "SELECT count(*) FROM pg_indexes WHERE indexname "
	    "= 'candidates_report'");
	ASSERT_STR_EQ(v, "0");
	free(v);
	c = cand("kept-2", "r", "T/1", "print(2)");
	c.meta.has_sample = true;
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(!a.existed);
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.existed);
	ASSERT_OK(store_claim(st, &test_lease, a.run_id, 1, &j, &n));
	ASSERT_EQ(n, 1);
	store_job_free(&j);
	store_close(st);

	tdb_exec(&db, "UPDATE verdict_schema SET version = 4");
	ASSERT_ERR(store_open(db.target, &st, err, sizeof(err)), -EINVAL);
	ASSERT_NULL(st);
	ASSERT_CONTAINS(err, "schema version 4 is newer");
	ASSERT_CONTAINS(err, "postgresql://");
	tdb_done(&db);

	/* Someone else's tables, no version table: not ours to touch. */
	tdb_init(&db, true, "schema_foreign");
	tdb_exec(&db, "CREATE TABLE runs (x integer)");
	ASSERT_ERR(store_open(db.target, &st, err, sizeof(err)), -EINVAL);
	ASSERT_CONTAINS(err, "not a verdict database");
	v = tdb_text(&db, "SELECT count(*) FROM pg_tables WHERE "
	    "schemaname = 't_schema_foreign'");
	ASSERT_STR_EQ(v, "1");
	free(v);
	tdb_done(&db);
	return TEST_PASS;
}

TEST(store_pg_hides_password)
{
	static const char *const targets[] = {
		"postgresql://verdict:s3cret-pw@127.0.0.1:1/verdict",
		"postgres://verdict:s3cret-pw@127.0.0.1:1/verdict?"
		    "connect_timeout=2",
		"postgresql://verdict:s3cret-pw%zz@127.0.0.1:1/verdict",
	};
	struct store	*st;
	char		 err[512];

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		/* The last is not a URI libpq can read. */
		ASSERT_ERR(store_open(targets[i], &st, err, sizeof(err)),
		    i < 2 ? -EIO : -EINVAL);
		ASSERT_NULL(st);
		if (strstr(err, "s3cret") != NULL)
			TEST_FAIL_AT("the password in \"%s\"", err);
		ASSERT_CONTAINS(err, "postgresql://");
		if (i < 2)
			ASSERT_CONTAINS(err, "verdict@127.0.0.1:1/verdict");
	}
	return TEST_PASS;
}

/*
 * Claim every queued job of run "run_id" on a connection of its own,
 * "per" at a time, and write their ids to "path", one per line; exits
 * 0 when all went well (for forked children).
 */
static int
claim_all(struct tdb *db, int64_t run_id, size_t per, const char *path)
{
	struct store		*st;
	struct store_job	 jobs[8];
	FILE			*f;
	size_t			 n;
	int			 r = 0;

	if ((f = fopen(path, "w")) == NULL)
		return 1;
	st = open_ok(db);
	for (;;) {
		if ((r = store_claim(st, &test_lease, run_id, per, jobs,
		    &n)) < 0 || n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			fprintf(f, "%lld\n", (long long)jobs[i].id);
			store_job_free(&jobs[i]);
		}
	}
	store_close(st);
	return fclose(f) != 0 || r < 0;
}

/* Add "n" candidates of run "run", each its own program; the run's id. */
static int64_t
add_programs(struct store *st, const char *run, int n)
{
	struct store_cand	*c;
	struct store_added	*out;
	char			**progs, err[512];
	size_t			 nj;
	int64_t			 run_id;

	c = xcalloc((size_t)n, sizeof(*c));
	out = xcalloc((size_t)n, sizeof(*out));
	progs = xcalloc((size_t)n, sizeof(*progs));
	for (int i = 0; i < n; i++) {
		progs[i] = xasprintf("print(%d)", i);
		c[i] = cand(NULL, run, "T/1", progs[i]);
	}
	if (store_add(st, c, (size_t)n, out, &nj, err, sizeof(err)) < 0)
		TEST_FAIL_AT("store_add: %s", err);
	ASSERT_EQ(nj, (size_t)n);
	run_id = out[0].run_id;
	for (int i = 0; i < n; i++)
		free(progs[i]);
	free(progs);
	free(out);
	free(c);
	return run_id;
}

/* What store_pg_claims_disjoint's children share. */
struct claims_arg {
	struct tdb	*db;
	int64_t		 run;
	char		 path[2][128];	/* where child i writes its ids */
};

/* Child i claims 3 + i at a time. */
static int
claims_child(int i, void *arg)
{
	struct claims_arg *ca = arg;

	return claim_all(ca->db, ca->run, (size_t)(3 + i), ca->path[i]);
}

TEST(store_pg_claims_disjoint)
{
	struct claims_arg ca;
	struct store	*st;
	struct tdb	 db;
	char		 dir[64], line[32];
	unsigned char	*seen;
	size_t		 n[2] = { 0, 0 };
	FILE		*f;

	PG_OR_SKIP();
	tdb_init(&db, true, "claims_disjoint");
	st = open_ok(&db);
	ca.db = &db;
	ca.run = add_programs(st, "r", 600);
	store_close(st);
	test_tmp_dir(dir, sizeof(dir));
	for (int i = 0; i < 2; i++)
		snprintf(ca.path[i], sizeof(ca.path[i]), "%s/claims-%d", dir,
		    i);
	/* Two nodes claim the same run at once, a few at a time. */
	twice_at_once(claims_child, &ca);
	/* Every job once, by one of them. */
	seen = xcalloc(601, 1);
	for (int i = 0; i < 2; i++) {
		ASSERT_NOT_NULL(f = fopen(ca.path[i], "r"));
		while (fgets(line, sizeof(line), f) != NULL) {
			long long id = strtoll(line, NULL, 10);

			ASSERT(id >= 1 && id <= 600);
			ASSERT_EQ(seen[id], 0);
			seen[id] = 1;
			n[i]++;
		}
		fclose(f);
	}
	ASSERT_EQ(n[0] + n[1], 600);
	ASSERT(n[0] > 0 && n[1] > 0);
	st = open_ok(&db);
	ASSERT_EQ(run_field(st, "r", "running"), 600);
	ASSERT_EQ(queued(st, &db), 0);
	store_close(st);
	free(seen);
	test_tmp_rm(dir);
	tdb_done(&db);
	return TEST_PASS;
}

/* A result of verdict "v" for job "job", stored on st. */
static void
result_on(struct store *st, int64_t job, enum proto_verdict v)
{
	struct store_result	 d;

	sandbox_result_make(&d.res, v, NULL);
	d.job = job;
	d.base = STORE_BASE_NONE;
	ASSERT_OK(store_update(st, &d, 1));
	sandbox_result_free(&d.res);
}

TEST(store_pg_lease_expires)
{
	struct store_lease	 la = { "node-a", 1, NULL, 0 },
				 lb = { "node-b", 60000, NULL, 0 };
	struct store_lease	 lshort = { "node-b", 300, NULL, 0 };
	struct store		*a, *b, *c;
	struct store_job	 jobs[2];
	struct tdb		 db;
	int64_t			 run, *runs, j0, j1, j2;
	size_t			 n, nruns;

	PG_OR_SKIP();
	tdb_init(&db, true, "lease_expires");
	a = open_ok(&db);
	b = open_ok(&db);
	run = add_programs(a, "r", 3);

	/* Node a claims two and stops renewing: its lease runs out. */
	ASSERT_OK(store_claim(a, &la, run, 2, jobs, &n));
	ASSERT_EQ(n, 2);
	j0 = jobs[0].id;
	j1 = jobs[1].id;
	store_job_free(&jobs[0]);
	store_job_free(&jobs[1]);
	usleep(20000);
	ASSERT_OK(store_leases(b, &lb, &runs, &nruns));
	ASSERT_EQ(nruns, 1);
	ASSERT_EQ(runs[0], run);
	free(runs);
	ASSERT_EQ(run_field(b, "r", "running"), 0);
	ASSERT_EQ(queued(b, &db), 3);

	/* Node b takes j0; a's late verdicts: j0's is b's to give now,
	 * j1's is taken (nobody holds it). */
	ASSERT_OK(store_claim(b, &lb, run, 1, jobs, &n));
	ASSERT_EQ(n, 1);
	ASSERT_EQ(jobs[0].id, j0);
	store_job_free(&jobs[0]);
	result_on(a, j0, PROTO_VERDICT_PASSED);
	result_on(a, j1, PROTO_VERDICT_FAILED);
	ASSERT_EQ(run_field(b, "r", "done"), 1);
	ASSERT_EQ(run_verdict(b, "r", PROTO_VERDICT_PASSED), 0);
	ASSERT_EQ(run_verdict(b, "r", PROTO_VERDICT_FAILED), 1);
	ASSERT_EQ(run_field(b, "r", "running"), 1);
	ASSERT_EQ(queued(b, &db), 1);
	result_on(b, j0, PROTO_VERDICT_FAILED);
	ASSERT_EQ(run_verdict(b, "r", PROTO_VERDICT_FAILED), 2);
	ASSERT_EQ(run_field(b, "r", "done"), 2);

	/* A lease renewed in time holds. */
	ASSERT_OK(store_claim(b, &lshort, run, 1, jobs, &n));
	ASSERT_EQ(n, 1);
	j2 = jobs[0].id;
	store_job_free(&jobs[0]);
	ASSERT_OK(store_leases(b, &lb, &runs, &nruns));
	ASSERT_EQ(nruns, 0);
	usleep(400000);
	ASSERT_OK(store_leases(a, &la, &runs, &nruns));
	ASSERT_EQ(nruns, 0);
	ASSERT_EQ(run_field(a, "r", "running"), 1);

	/* Node b starts again: what its last life held is queued again. */
	c = open_ok(&db);
	ASSERT_OK(store_recover(c, "node-b", &n));
	ASSERT_EQ(n, 1);
	ASSERT_EQ(queued(c, &db), 1);
	ASSERT_OK(store_claim(c, &lb, run, 1, jobs, &n));
	ASSERT_EQ(jobs[0].id, j2);
	store_job_free(&jobs[0]);
	result_on(b, j2, PROTO_VERDICT_PASSED);	/* c holds it now */
	result_on(c, j2, PROTO_VERDICT_TIMEOUT);
	ASSERT_EQ(run_verdict(c, "r", PROTO_VERDICT_PASSED), 0);
	ASSERT_EQ(run_verdict(c, "r", PROTO_VERDICT_TIMEOUT), 1);
	ASSERT_EQ(run_field(c, "r", "done"), 3);
	store_close(a);
	store_close(b);
	store_close(c);
	tdb_done(&db);
	return TEST_PASS;
}

TEST(store_pg_lost_claim_expires)
{
	struct store_lease	 lshort = { "node-a", 300, NULL, 0 };
	struct store_lease	 lheld = { "node-a", 60000, NULL, 0 };
	struct store		*a;
	struct store_job	 jobs[2];
	struct tdb		 db;
	int64_t			 run, *runs, j0;
	size_t			 n, nruns;

	PG_OR_SKIP();
	tdb_init(&db, true, "lost_claim");
	a = open_ok(&db);
	run = add_programs(a, "r", 3);

	/* Two claimed; the node only ever saw the first (the second's
	 * answer lost, say). */
	ASSERT_OK(store_claim(a, &lshort, run, 2, jobs, &n));
	ASSERT_EQ(n, 2);
	j0 = jobs[0].id;
	store_job_free(&jobs[0]);
	store_job_free(&jobs[1]);
	lheld.held = &j0;
	lheld.nheld = 1;
	ASSERT_OK(store_leases(a, &lheld, &runs, &nruns));
	ASSERT_EQ(nruns, 0);
	free(runs);
	usleep(400000);
	ASSERT_OK(store_leases(a, &lheld, &runs, &nruns));
	ASSERT_EQ(nruns, 1);
	ASSERT_EQ(runs[0], run);
	free(runs);
	ASSERT_EQ(run_field(a, "r", "running"), 1);
	ASSERT_EQ(queued(a, &db), 2);
	store_close(a);
	tdb_done(&db);
	return TEST_PASS;
}

/* The kinds of note, STORE_NOTE_DELETED the last. */
#define NOTES_KINDS	(STORE_NOTE_DELETED + 1)

/* What store_notes() told: ids per kind. */
struct notes_seen {
	size_t		 n[NOTES_KINDS];
	int64_t		 last[NOTES_KINDS];
	size_t		 calls;
};

static void
notes_cb(enum store_note kind, const int64_t *ids, size_t n, void *arg)
{
	struct notes_seen *ns = arg;

	ASSERT((int)kind >= 0 && (int)kind < NOTES_KINDS);
	ns->n[kind] += n;
	ns->last[kind] = ids[n - 1];
	ns->calls++;
}

/* Wait up to 5 s for notes on the listening l (socket fd) until "done"
 * of kind "kind" have come. */
static void
notes_wait(struct store *l, int fd, struct notes_seen *ns,
    enum store_note kind, size_t want)
{
	struct pollfd	 p = { fd, POLLIN, 0 };
	time_t		 t0 = time(NULL);

	while (ns->n[kind] < want && time(NULL) - t0 < 5) {
		if (poll(&p, 1, 500) > 0)
			ASSERT_OK(store_notes(l, notes_cb, ns));
	}
	ASSERT_EQ(ns->n[kind], want);
}

TEST(store_pg_notes)
{
	struct store		*l, *st, *lite;
	struct store_job	*jobs;
	struct store_result	*d;
	struct notes_seen	 ns;
	struct store_deleted	 del;
	struct tdb		 db, ldb;
	int64_t			 run, imp;
	size_t			 n;
	int			 fd;

	/* SQLite: one daemon, nobody to hear. */
	tdb_init(&ldb, false, "notes_sqlite");
	lite = open_ok(&ldb);
	ASSERT_ERR(store_listen(lite, &fd), -ENOTSUP);
	ASSERT_ERR(store_notes(lite, notes_cb, &ns), -ENOTSUP);
	store_close(lite);
	tdb_done(&ldb);

	PG_OR_SKIP();
	tdb_init(&db, true, "notes");
	l = open_ok(&db);
	st = open_ok(&db);
	ASSERT_OK(store_listen(l, &fd));
	memset(&ns, 0, sizeof(ns));

	/* 3,000 new jobs: one note of their run, at the commit. */
	run = add_programs(st, "r", 3000);
	notes_wait(l, fd, &ns, STORE_NOTE_QUEUED, 1);
	ASSERT_EQ(ns.last[STORE_NOTE_QUEUED], run);

	/* Their verdicts: every job id, in notes cut to fit. */
	jobs = xcalloc(3000, sizeof(*jobs));
	d = xcalloc(3000, sizeof(*d));
	ASSERT_OK(store_claim(st, &test_lease, run, 3000, jobs, &n));
	ASSERT_EQ(n, 3000);
	for (size_t i = 0; i < n; i++) {
		sandbox_result_make(&d[i].res, PROTO_VERDICT_PASSED, NULL);
		d[i].job = jobs[i].id;
		store_job_free(&jobs[i]);
	}
	ASSERT_OK(store_update(st, d, n));
	notes_wait(l, fd, &ns, STORE_NOTE_DONE, 3000);
	ASSERT(ns.calls >= 3);		/* 1 + at least two cuts */
	for (size_t i = 0; i < n; i++)
		sandbox_result_free(&d[i].res);
	free(d);
	free(jobs);

	ASSERT_OK(import_add(st, "jsonl", "{}", 2, &imp));
	notes_wait(l, fd, &ns, STORE_NOTE_IMPORT, 1);
	ASSERT_EQ(ns.last[STORE_NOTE_IMPORT], imp);
	ASSERT_EQ(ns.n[STORE_NOTE_QUEUED], 1);

	/* Forged payloads (the channels are anyone's who can connect):
	 * only whole decimal ids in range are heard; other channels and
	 * empty payloads are nothing. */
	tdb_exec(&db, "NOTIFY verdict_done, 'x,-5,,0,12abc, 7,+8,"
	    "99999999999999999999999,12,9223372036854775807,'; "
	    "NOTIFY verdict_nope, '1'; NOTIFY verdict_import, ''");
	notes_wait(l, fd, &ns, STORE_NOTE_DONE, 3002);
	ASSERT_EQ(ns.last[STORE_NOTE_DONE], INT64_MAX);
	ASSERT_EQ(ns.n[STORE_NOTE_IMPORT], 1);

	/* A run deleted: its id. */
	ASSERT_OK(store_run_delete(st, "r", &del));
	notes_wait(l, fd, &ns, STORE_NOTE_DELETED, 1);
	ASSERT_EQ(ns.last[STORE_NOTE_DELETED], run);
	ASSERT_EQ(ns.n[STORE_NOTE_QUEUED], 1);	/* no heirs */
	store_close(st);
	store_close(l);
	tdb_done(&db);
	return TEST_PASS;
}

TEST(store_pg_reconnects)
{
	struct store		*st;
	struct store_cand	 c;
	struct store_added	 a;
	struct tdb		 db;
	size_t			 n;

	PG_OR_SKIP();
	tdb_init(&db, true, "reconnects");
	st = open_ok(&db);
	c = cand("before", "r", "T/1", "print(1)");
	ASSERT_OK(add1(st, &c, &a));

	/* The server ends the store's connection (as a restart would). */
	free(pg_text(getenv("VERDICT_TEST_PG"), "SELECT "
	    "count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
	    "WHERE application_name = 'verdictd' "
	    "AND pid <> pg_backend_pid()"));
	ASSERT_ERR(store_count_queued(st, &n), -EIO);

	/* The next call connects again; nothing was lost. */
	ASSERT_OK(store_count_queued(st, &n));
	ASSERT_EQ(n, 1);
	c = cand("after", "r", "T/1", "print(2)");
	ASSERT_OK(add1(st, &c, &a));
	ASSERT(a.new_job);
	(void)job_of(st, "before");
	ASSERT_EQ(run_field(st, "r", "candidates"), 2);
	store_close(st);
	tdb_done(&db);
	return TEST_PASS;
}

/* A random candidate of store_pg_matches_sqlite's small pools. */
static struct store_cand
random_cand(unsigned *seed, char *idbuf, size_t idlen)
{
	static const char *const runs[] = { "r0", "r1", "r2" };
	static const char *const tasks[] = { "T/0", "T/1", "T/2", "T/3" };
	static const char *const progs[] = { "p(0)", "p(1)", "p(2)",
	    "p(3)", "p(4)" };
	static const char *const models[] = { NULL, "m0", "m1" };
	struct store_cand	 c;
	int			 k = rand_r(seed) % 24;

	/* Id "iK" always names run and task of K: no conflicts. */
	if (k < 16) {
		snprintf(idbuf, idlen, "i%d", k);
		c = cand(idbuf, runs[k % 3], tasks[k % 4],
		    progs[rand_r(seed) % 5]);
	} else
		c = cand(NULL, runs[rand_r(seed) % 3], tasks[rand_r(seed) % 4],
		    progs[rand_r(seed) % 5]);
	if (rand_r(seed) % 2) {
		c.meta.has_sample = true;
		c.meta.sample = rand_r(seed) % 4;
	}
	c.model = models[rand_r(seed) % 3];
	c.limits.wall_ms += (uint32_t)(rand_r(seed) % 2);
	return c;
}

/* Finish the first queued job of every run on st, verdict by job id. */
static void
finish_some(struct store *st)
{
	struct store_job	 job;
	int64_t			*ids;
	size_t			 n, nj;

	ASSERT_OK(store_queued_runs(st, &ids, &n));
	for (size_t i = 0; i < n; i++) {
		ASSERT_OK(store_claim(st, &test_lease, ids[i], 1, &job, &nj));
		ASSERT_EQ(nj, 1);
		finish(st, job.id, job.id % 3 ? PROTO_VERDICT_PASSED :
		    PROTO_VERDICT_FAILED, NULL);
		store_job_free(&job);
	}
	free(ids);
}

TEST(store_pg_matches_sqlite)
{
	struct store		*st[2];
	struct tdb		 db[2];
	struct store_cand	 c[40];
	struct store_added	 out[2][40];
	struct store_run	*runs[2];
	struct store_problem	*p[2];
	struct store_candidate	 sc[2];
	char			 ids[40][8], err[256];
	size_t			 nj[2], n[2], np[2];
	unsigned		 seed = 10;

	PG_OR_SKIP();
	tdb_init(&db[0], false, "matches_sqlite");
	tdb_init(&db[1], true, "matches_sqlite");
	st[0] = open_ok(&db[0]);
	st[1] = open_ok(&db[1]);
	/* Random batches, repeats within and across them; some judged. */
	for (int b = 0; b < 30; b++) {
		size_t	 len = 1 + (size_t)rand_r(&seed) % 40;

		for (size_t i = 0; i < len; i++)
			c[i] = random_cand(&seed, ids[i], sizeof(ids[i]));
		for (int k = 0; k < 2; k++)
			ASSERT_OK(store_add(st[k], c, len, out[k], &nj[k], err,
			    sizeof(err)));
		ASSERT_EQ(nj[0], nj[1]);
		for (size_t i = 0; i < len; i++) {
			ASSERT_STR_EQ(out[0][i].id, out[1][i].id);
			ASSERT_EQ(out[0][i].run_id, out[1][i].run_id);
			ASSERT_EQ(out[0][i].existed, out[1][i].existed);
			ASSERT_EQ(out[0][i].new_job, out[1][i].new_job);
			for (int k = 0; k < 2; k++)
				ASSERT_OK(store_candidate(st[k], out[k][i].id,
				    &sc[k]));
			ASSERT_EQ(sc[0].job, sc[1].job);
			ASSERT_EQ(sc[0].state, sc[1].state);
			ASSERT_EQ(sc[0].verdict, sc[1].verdict);
			ASSERT_EQ(sc[0].meta.sample, sc[1].meta.sample);
			for (int k = 0; k < 2; k++)
				store_candidate_free(&sc[k]);
		}
		if (b % 3 == 2) {
			finish_some(st[0]);
			finish_some(st[1]);
		}
	}
	for (int k = 0; k < 2; k++)
		ASSERT_OK(store_runs(st[k], &runs[k], &n[k]));
	ASSERT_EQ(n[0], n[1]);
	for (size_t i = 0; i < n[0]; i++) {
		ASSERT_STR_EQ(runs[0][i].name, runs[1][i].name);
		ASSERT_STR_EQ(runs[0][i].model != NULL ? runs[0][i].model : "-",
		    runs[1][i].model != NULL ? runs[1][i].model : "-");
		ASSERT_EQ(runs[0][i].problems, runs[1][i].problems);
		ASSERT(memcmp(&runs[0][i].counts, &runs[1][i].counts,
		    sizeof(runs[0][i].counts)) == 0);
		for (int k = 0; k < 2; k++)
			ASSERT_OK(store_run_problems(st[k], runs[0][i].name,
			    &p[k], &np[k]));
		ASSERT_EQ(np[0], np[1]);
		for (size_t j = 0; j < np[0]; j++) {
			ASSERT_STR_EQ(p[0][j].task_id, p[1][j].task_id);
			ASSERT(memcmp(&p[0][j].counts, &p[1][j].counts,
			    sizeof(p[0][j].counts)) == 0);
		}
		for (int k = 0; k < 2; k++)
			store_problems_free(p[k], np[k]);
	}
	ASSERT_EQ(queued(st[0], &db[0]), queued(st[1], &db[1]));
	for (int k = 0; k < 2; k++) {
		store_runs_free(runs[k], n[k]);
		store_close(st[k]);
		tdb_done(&db[k]);
	}
	return TEST_PASS;
}

/* --- sanitize: the text as posted of a sanitized candidate --- */

/* Each results line as "ID+ORIGINAL " (sanitized) or "ID-() ". */
static int
original_cb(const struct store_verdict *v, void *arg)
{
	char	*seen = arg;

	strcat(seen, v->id);
	strcat(seen, v->sanitized ? "+" : "-");
	strcat(seen, v->original != NULL ? v->original : "()");
	strcat(seen, " ");
	return 0;
}

STORE_TEST(keeps_original)
{
	struct store		*st;
	struct store_cand	 c[2];
	struct store_added	 a[2];
	struct store_candidate	 sc;
	char			 seen[256] = "", err[512];
	size_t			 nj;
	int64_t			 last;

	st = open_ok(db);
	c[0] = cand("san", "r", "T/1", "def f():\n    return 1\n");
	c[0].original = "```python\ndef\tf():\n\treturn\t1\n```";
	c[1] = cand("plain", "r", "T/1", "print(2)");
	ASSERT_OK(store_add(st, c, 2, a, &nj, err, sizeof(err)));
	ASSERT_OK(store_candidate(st, "san", &sc));
	ASSERT_STR_EQ(sc.original, c[0].original);
	store_candidate_free(&sc);
	ASSERT_OK(store_candidate(st, "plain", &sc));
	ASSERT_NULL(sc.original);
	store_candidate_free(&sc);
	finish(st, job_of(st, "san"), PROTO_VERDICT_PASSED, NULL);
	finish(st, job_of(st, "plain"), PROTO_VERDICT_FAILED, NULL);
	ASSERT_OK(store_candidate(st, "san", &sc));
	ASSERT_STR_EQ(sc.original, c[0].original);
	store_candidate_free(&sc);
	/* The flag always, the text with the details only. */
	ASSERT_OK(store_results(st, "r", 0, 10, false, original_cb, seen,
	    &last));
	ASSERT_STR_EQ(seen, "san+() plain-() ");
	seen[0] = '\0';
	ASSERT_OK(store_results(st, "r", 0, 10, true, original_cb, seen,
	    &last));
	ASSERT_STR_EQ(seen, "san+```python\ndef\tf():\n\treturn\t1\n``` "
	    "plain-() ");
	store_close(st);
	return TEST_PASS;
}

TEST(store_migrates_v2)
{
	struct tdb		 db;
	struct store		*st;
	struct store_cand	 c;
	struct store_candidate	 sc;
	char			*path, *v;

	tdb_init(&db, false, "migrates_v2");
	st = open_ok(&db);
	c = cand("old", "r", "T/1", "print(1)");
	add_new(st, &c);
	store_close(st);
	path = xstrdup(db.target);
	raw_exec(path, "DROP INDEX candidates_report; "
	    "DROP INDEX candidates_feed; "
	    "ALTER TABLE candidates DROP COLUMN seq; "
	    "DELETE FROM counters WHERE name = 'verdict_seq'; "
	    "ALTER TABLE candidates DROP COLUMN original; "
	    "ALTER TABLE candidates DROP COLUMN base_passed; "
	    "ALTER TABLE jobs DROP COLUMN base_passed; "
	    "ALTER TABLE imports DROP COLUMN dataset; "
	    "CREATE INDEX candidates_report ON candidates (run_id, task_id, "
	    "verdict, oracle_error, greedy, truncated, score, cost_seconds, "
	    "cost_tflops); PRAGMA user_version = 2");
	st = open_ok(&db);
	v = raw_text(path, "PRAGMA user_version");
	ASSERT_STR_EQ(v, "3");
	free(v);
	ASSERT_OK(store_candidate(st, "old", &sc));
	ASSERT_NULL(sc.original);
	store_candidate_free(&sc);
	c = cand("new", "r", "T/1", "print(2)");
	c.original = "raw";
	add_new(st, &c);
	ASSERT_OK(store_candidate(st, "new", &sc));
	ASSERT_STR_EQ(sc.original, "raw");
	store_candidate_free(&sc);
	store_close(st);
	free(path);
	tdb_done(&db);
	return TEST_PASS;
}
