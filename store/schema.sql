-- schema.sql - the store's tables in SQLite.
--
-- Compiled into verdictd (tests/tools/embed.sh) and run by
-- store/sqlite.c in sections, each from a line "-- @" NAME to the next
-- such line, in one write transaction:
--
--   create      a new database: every table and index but the report's;
--               then report
--   migrate-N   a database of version N - 1 to version N, run in order
--               from the file's version up (2: oracle_error marks; 3:
--               datasets of imports, EvalPlus base results, the text
--               of sanitized candidates, the feed's verdict order);
--               then report
--   report      the covering index a report reads
--
-- store/sqlite.c also sets PRAGMA user_version, the schema version (3),
-- and PRAGMA application_id, 1987208308 ("vrdt"), which tells a verdict
-- database from any other SQLite file.  A change of the tables is a new
-- version with a migration section of its own.  ASCII only: the file is
-- compiled in as a C string.

-- @create

-- One row per run name.  "model" and "ranker" come from the first
-- candidate that names one.
CREATE TABLE runs (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE,
	model		TEXT,
	created_ms	INTEGER NOT NULL,
	ranker		TEXT
);

-- One program to run.  run_id is the run that created it (the
-- scheduler shares workers fairly between runs by it); hash is the
-- 64-bit FNV-1a of the program text (common/hash.h), stored as a signed
-- integer.  The hash is only a lookup key: a job is shared only when
-- task_id, the whole program text and all seven limits compare equal
-- (the WHERE clause of LITE_JOB_FIND), so a collision never shares a
-- verdict; nor is a job whose "error" is the oracle's (oracle_error) or
-- that ended "internal".  state is an enum store_state: 0 queued, 1
-- running, 2 done (BETWEEN, not IN: SQLite builds a table for an IN
-- list); the result columns are NULL until done; tests is the per-test
-- results as JSON array text; base_passed, for a problem with EvalPlus
-- base and plus tests, whether every base test passed (NULL for other
-- problems).
CREATE TABLE jobs (
	id		INTEGER PRIMARY KEY,
	run_id		INTEGER NOT NULL REFERENCES runs (id),
	task_id		TEXT NOT NULL,
	hash		INTEGER NOT NULL,
	lim_wall_ms	INTEGER NOT NULL,
	lim_cpu_ms	INTEGER NOT NULL,
	lim_test_ms	INTEGER NOT NULL,
	lim_mem_mb	INTEGER NOT NULL,
	lim_nproc	INTEGER NOT NULL,
	lim_fsize_kb	INTEGER NOT NULL,
	lim_out_kb	INTEGER NOT NULL,
	program		TEXT NOT NULL,
	state		INTEGER NOT NULL DEFAULT 0
			    CHECK (state BETWEEN 0 AND 2),
	verdict		TEXT,
	tests		TEXT,
	cpu_ms		INTEGER,
	wall_ms		INTEGER,
	max_rss_kb	INTEGER,
	stderr		TEXT,
	message		TEXT,
	created_ms	INTEGER NOT NULL,
	finished_ms	INTEGER,
	oracle_error	INTEGER NOT NULL DEFAULT 0,
	base_passed	INTEGER
);
-- Dedupe; the scheduler's queue, by run; the small set that running
-- counts start from.
CREATE INDEX jobs_dedupe ON jobs (task_id, hash);
CREATE INDEX jobs_queued ON jobs (run_id, id) WHERE state = 0;
CREATE INDEX jobs_running ON jobs (id) WHERE state = 1;

-- One posted sample.  id is the row number ("v-N" when the client gave
-- no id, ext_id NULL then); sample, score and the costs are NULL when
-- not given; verdict, oracle_error and base_passed are the job's,
-- copied when it is done, NULL until then; original is the text as
-- posted when sanitizing changed it (daemon/sanitize.h), NULL for a
-- candidate not sanitized.
CREATE TABLE candidates (
	id		INTEGER PRIMARY KEY,
	ext_id		TEXT UNIQUE,
	run_id		INTEGER NOT NULL REFERENCES runs (id),
	task_id		TEXT NOT NULL,
	sample		INTEGER,
	job_id		INTEGER NOT NULL REFERENCES jobs (id),
	verdict		TEXT,
	score		REAL,
	greedy		INTEGER NOT NULL,
	truncated	INTEGER NOT NULL,
	cost_seconds	REAL,
	cost_tflops	REAL,
	cost_tokens	INTEGER,
	created_ms	INTEGER NOT NULL,
	oracle_error	INTEGER NOT NULL DEFAULT 0,
	base_passed	INTEGER,
	original	TEXT,
	-- The feed: the verdict order (counters row "verdict_seq").
	seq		INTEGER
);
-- A (run, task, sample) is stored once (NULL samples never collide, as
-- intended); a job's candidates by run; a run's in row order, for the
-- results stream.
CREATE UNIQUE INDEX candidates_sample
    ON candidates (run_id, task_id, sample);
CREATE INDEX candidates_job ON candidates (job_id, run_id);
CREATE INDEX candidates_run ON candidates (run_id, id);
-- The feed: a run's verdicts in the order they were given.
CREATE INDEX candidates_feed ON candidates (run_id, seq)
    WHERE seq IS NOT NULL;

-- Candidates per run, problem and verdict ("" for not yet done, and the
-- row "oracle_error" for those whose "error" is the oracle's).  Written
-- in the same transaction as the candidates and the job completions
-- they count, so per-run and per-problem figures never read the
-- candidates table.
CREATE TABLE tallies (
	run_id		INTEGER NOT NULL REFERENCES runs (id),
	task_id		TEXT NOT NULL,
	verdict		TEXT NOT NULL,
	n		INTEGER NOT NULL,
	PRIMARY KEY (run_id, task_id, verdict)
) WITHOUT ROWID;

-- Problem files posted to /v1/problems, verbatim; dataset is the name
-- they were posted under, NULL for each problem's benchmark name.
CREATE TABLE imports (
	id		INTEGER PRIMARY KEY,
	format		TEXT NOT NULL,
	body		BLOB NOT NULL,
	created_ms	INTEGER NOT NULL,
	dataset		TEXT
);

-- The row "queued_jobs": the jobs in state 0, kept in the same
-- transactions as the jobs, so the queue limit check (against a queue
-- that may hold a million jobs) is one lookup instead of a count over
-- jobs_queued (25 ms at 500k).  store_recover() counts again from the
-- jobs, so the figure also heals at every start.  The rows
-- "runs_id_max", "jobs_id_max" and "candidates_id_max", written by a
-- run's deletion (store_run_delete()), hold the highest id each table
-- had then: new rows get ids above them (LITE_NEXT_ID in
-- store/sqlite.c), so an id is never given twice even when the rows of
-- the highest ids were deleted (SQLite would give max(id) + 1 again).
CREATE TABLE counters (
	name		TEXT PRIMARY KEY,
	n		INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, n) VALUES ('queued_jobs', 0);
-- The feed: the last seq given to a candidate with its verdict.
INSERT INTO counters (name, n) VALUES ('verdict_seq', 0);

-- @migrate-2

ALTER TABLE jobs ADD COLUMN oracle_error INTEGER NOT NULL DEFAULT 0;
ALTER TABLE candidates ADD COLUMN oracle_error INTEGER NOT NULL DEFAULT 0;
DROP INDEX candidates_report;
PRAGMA user_version = 2;

-- @migrate-3

-- Datasets: the name an import was posted under; whether a candidate
-- of an EvalPlus inputs-only problem passed its base tests.
ALTER TABLE imports ADD COLUMN dataset TEXT;
ALTER TABLE jobs ADD COLUMN base_passed INTEGER;
ALTER TABLE candidates ADD COLUMN base_passed INTEGER;
DROP INDEX IF EXISTS candidates_report;

-- sanitize: the text as posted of a sanitized candidate.
ALTER TABLE candidates ADD COLUMN original TEXT;

-- The feed: the verdict order; done candidates keep their row order.
ALTER TABLE candidates ADD COLUMN seq INTEGER;
UPDATE candidates SET seq = id WHERE verdict IS NOT NULL;
INSERT INTO counters (name, n)
    SELECT 'verdict_seq', coalesce(max(seq), 0) FROM candidates;
CREATE INDEX candidates_feed ON candidates (run_id, seq)
    WHERE seq IS NOT NULL;
PRAGMA user_version = 3;

-- @report

-- What a report reads of a run, in task order, covered: no table row
-- is read.
CREATE INDEX candidates_report ON candidates (run_id, task_id,
	verdict, oracle_error, greedy, truncated, score,
	cost_seconds, cost_tflops, base_passed);
