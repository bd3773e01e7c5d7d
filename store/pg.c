/*
 * pg.c - the store's PostgreSQL backend: the connection, its schema and
 * version table; statements, transactions, errors, arrays and columns
 * for the other pg-*.c files; the operations table.  See pg-int.h.
 *
 * The target is a libpq URI ("postgresql://..." or "postgres://...").
 * It may hold a password: messages name the target by pgs_label(),
 * which keeps the user, host, port and database only.
 *
 * Connection settings, made again after every reconnection:
 * synchronous_commit off by default, and on in every transaction that
 * pgs_begin() opens (submissions, verdicts, imports, the schema): what
 * a client is told is stored is on the server's disk when the commit
 * returns, whatever the server's default; what may be lost in a crash
 * of the server does not wait for the disk (claims, leases, releases:
 * a claim lost puts its job back in the queue, and a verdict counts
 * once whoever gives it); lock_timeout PGS_LOCK_MS (as SQLite's busy
 * timeout: a writer waits that long for the others, then -EBUSY),
 * client_encoding UTF8; and three settings of the planner.
 * The connection is non-blocking, and a statement whose server sends
 * nothing for PGS_WAIT_MS (a server frozen, SIGSTOP, or a host gone on a
 * Unix socket, where no TCP timeout applies) has its connection cut and
 * fails as a lost connection (pgs_wait()): a thread, which may be the
 * scheduler's, is never held longer, and the connection is made again
 * (within connect_timeout) before the next statement.
 * jit off: the statements here read and write a few thousand rows by
 * index, and compiling them cost more than running them (40 ms of a
 * 100 ms batch of results).  enable_seqscan off (a cost, not a ban):
 * every statement has an index for what it reads, but the tables grow
 * faster than autovacuum analyzes them, and with stale statistics the
 * planner read all the candidates to find a batch's thousand (job_id =
 * ANY: 11 ms at 100,000 candidates, growing with the table).
 * plan_cache_mode force_generic_plan: the statements of the queue run a
 * few times per verdict on a few rows each and are prepared once per
 * connection (pgs_exec_prepared()); planning them again at every call
 * (custom plans, which PostgreSQL kept choosing) cost the server more
 * than running them (0.45 of its 1.45 ms per verdict).  The batches'
 * statements, unnamed, get generic plans too: as fast (enable_seqscan
 * off keeps them on their indexes).
 *
 * The schema (store/schema-pg.sql, compiled in) is created by the first
 * open of an empty schema, under a transaction-level advisory lock
 * (PGS_LOCK_SCHEMA) so that two nodes starting at once do not both
 * create it; its version is in the table verdict_schema.  An older
 * version is migrated there and then (its sections "migrate-N"); a newer
 * one is refused (-EINVAL).
 *
 * Errors map once, in pgs_fail(): a lost connection (or a server that
 * is down or shutting down) is -EIO, "connection lost", and the
 * connection is made again before the next statement; a serialization
 * failure, a deadlock, a lock or statement timeout is -EBUSY; a unique
 * violation is -EEXIST; anything else -EIO.
 *
 * Sections: statements and errors, transactions, arrays and columns,
 * open and close.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <libpq-fe.h>

#include "common/log.h"
#include "common/proto.h"
#include "common/xmalloc.h"
#include "store/pg-int.h"

#define PGS_SCHEMA_VERSION	3
#define PGS_LOCK_CLASS		1987208308	/* "vrdt", as LITE_APP_ID */
#define PGS_LOCK_SCHEMA		1		/* creating the schema */
#define PGS_LOCK_WRITE		2		/* a write transaction */
#define PGS_LOCK_MS		"10000"		/* wait for other writers */
#define PGS_RETRY_MS		1000		/* between two reconnections */
#define PGS_WAIT_MS		15000		/* the most a statement may go
						   without a byte from the
						   server: lock_timeout, and
						   5 s more */

/*
 * store/schema-pg.sql, compiled in (tools/embed.sh): sections from a
 * line "-- @NAME" to the next.
 */
extern const char pgs_schema_sql[];

/*
 * Connection parameters the target may override (they come before it
 * in PQconnectdbParams()): a server that does not answer fails a
 * connection after 5 s and a statement after 10 s of unacknowledged
 * data (TCP; a Unix socket has no such wait), rather than holding the
 * thread, which may be the scheduler's, for minutes.
 */
static const char *const pgs_conn_keys[] = {
	"connect_timeout", "keepalives_idle", "keepalives_interval",
	"keepalives_count", "tcp_user_timeout", "dbname", NULL
};

/* Run on every new connection, and again after a reconnection. */
static const char pgs_session_sql[] =
    "SET synchronous_commit = off; "
    "SET lock_timeout = " PGS_LOCK_MS "; "
    "SET client_encoding = 'UTF8'; "
    "SET application_name = 'verdictd'; "
    "SET jit = off; "
    "SET enable_seqscan = off; "
    "SET plan_cache_mode = force_generic_plan";

/* --- Statements and errors --- */

/*
 * Copy "prefix" and "msg" into buf (len bytes) on one line: libpq's
 * messages end with a newline and may go on over indented lines.
 */
static void
pgs_oneline(char *buf, size_t len, const char *prefix, const char *msg)
{
	size_t	 i, o, n;

	snprintf(buf, len, "%s%s", prefix,
	    msg != NULL && *msg != '\0' ? msg : "unknown error");
	n = strlen(buf);
	for (i = o = 0; i < n; i++) {
		if (buf[i] == '\n' || buf[i] == '\t') {
			if (o > 0 && buf[o - 1] != ' ')
				buf[o++] = ' ';
		} else
			buf[o++] = buf[i];
	}
	while (o > 0 && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
}

void
pgs_set_err(struct pgs *st, const char *prefix, const char *msg)
{
	pgs_oneline(st->err, sizeof(st->err), prefix, msg);
}

/*
 * The server's notices (a WARNING that it is shutting down, ...) go to
 * our log on one line, instead of libpq's default, raw to stderr.
 */
static void
pgs_notice_cb(void *arg, const char *msg)
{
	struct pgs	*st = arg;
	char		 line[256];

	pgs_oneline(line, sizeof(line), "", msg);
	log_info("store: %s: the server says: %s", st->label, line);
}

/*
 * The errno of a failed statement (res may be NULL), its message in
 * st->err.  Class 08 is a connection exception; 57P01-57P03 a server
 * shutting down or starting; both also leave the connection broken, so
 * it is made again before the next statement.
 */
static int
pgs_fail(struct pgs *st, const PGresult *res)
{
	const char	*state, *msg;

	state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) :
	    NULL;
	msg = res != NULL ? PQresultErrorMessage(res) : NULL;
	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(st->conn);
	if (st->hung) {
		st->hung = false;
		snprintf(st->err, sizeof(st->err), "connection lost: no "
		    "answer from the server in %d ms", PGS_WAIT_MS);
		return -EIO;
	}
	if (PQstatus(st->conn) != CONNECTION_OK || (state != NULL &&
	    (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0))) {
		pgs_set_err(st, "connection lost: ", msg);
		return -EIO;
	}
	pgs_set_err(st, "", msg);
	if (state == NULL)
		return -EIO;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return -EBUSY;
	if (strcmp(state, "23505") == 0)
		return -EEXIST;
	return -EIO;
}

/* The session settings, on a new connection. */
static int
pgs_session(struct pgs *st)
{
	return pgs_exec(st, pgs_session_sql, 0, NULL, NULL);
}

/* Milliseconds of CLOCK_MONOTONIC. */
static int64_t
pgs_mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Make sure the connection is up: one found broken (by the last
 * statement) is made again, with its settings, unless the last try was
 * less than PGS_RETRY_MS ago.
 */
static int
pgs_ready(struct pgs *st)
{
	int64_t	 now;

	if (PQstatus(st->conn) == CONNECTION_OK)
		return 0;
	if ((now = pgs_mono_ms()) < st->retry_ms) {
		snprintf(st->err, sizeof(st->err), "database unreachable "
		    "(connecting again within %d ms)", PGS_RETRY_MS);
		return -EIO;
	}
	st->retry_ms = now + PGS_RETRY_MS;
	PQreset(st->conn);
	if (PQstatus(st->conn) != CONNECTION_OK) {
		pgs_set_err(st, "database unreachable: ",
		    PQerrorMessage(st->conn));
		return -EIO;
	}
	log_info("store: %s: connected again", st->label);
	st->nprepared = 0;		/* a new session has none */
	if (PQsetnonblocking(st->conn, 1) < 0) {
		pgs_set_err(st, "", PQerrorMessage(st->conn));
		return -EIO;
	}
	return pgs_session(st);
}

/*
 * The result of the statement just sent ("sent" is what PQsend*()
 * returned): its data flushed and its results read as the server sends
 * them, waiting at most PGS_WAIT_MS at a time.  Returns the last result
 * (as PQexec() does), or NULL on failure: the message is then in
 * PQerrorMessage(), or st->hung is set when the server did not answer
 * in time, and the connection was cut (shutdown(2): libpq reads EOF and
 * marks it bad, so pgs_ready() makes it again).
 */
static PGresult *
pgs_wait(struct pgs *st, int sent)
{
	PGresult	*res, *last = NULL;
	struct pollfd	 pfd;
	int		 flush = 1, n;

	if (!sent)
		return NULL;
	pfd.fd = PQsocket(st->conn);
	for (;;) {
		if (flush == 1 && (flush = PQflush(st->conn)) < 0)
			break;
		if (flush == 0 && !PQisBusy(st->conn)) {
			if ((res = PQgetResult(st->conn)) == NULL)
				return last;
			PQclear(last);
			last = res;
			if (PQstatus(st->conn) != CONNECTION_OK)
				return last;
			continue;
		}
		pfd.events = POLLIN | (flush == 1 ? POLLOUT : 0);
		pfd.revents = 0;
		if ((n = poll(&pfd, 1, PGS_WAIT_MS)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			st->hung = true;
			shutdown(pfd.fd, SHUT_RDWR);
			(void)PQconsumeInput(st->conn);
			break;
		}
		if ((pfd.revents & (POLLIN | POLLERR | POLLHUP)) != 0 &&
		    PQconsumeInput(st->conn) == 0)
			break;
	}
	PQclear(last);
	return NULL;
}

/*
 * The result of "res" (PQclear()ed unless kept in *resp): 0, or the
 * failure's negative errno.
 */
static int
pgs_result(struct pgs *st, PGresult *res, PGresult **resp)
{
	int	 r;

	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
		break;
	default:
		r = pgs_fail(st, res);
		PQclear(res);
		return r;
	}
	if (resp != NULL)
		*resp = res;
	else
		PQclear(res);
	return 0;
}

int
pgs_execb(struct pgs *st, const char *sql, int n, const char *const *values,
    const int *lengths, const int *formats, PGresult **resp)
{
	PGresult	*res;
	int		 r;

	if (resp != NULL)
		*resp = NULL;
	if ((r = pgs_ready(st)) < 0)
		return r;
	/* Without parameters, the simple protocol: several statements. */
	if (n == 0)
		res = pgs_wait(st, PQsendQuery(st->conn, sql));
	else
		res = pgs_wait(st, PQsendQueryParams(st->conn, sql, n, NULL,
		    values, lengths, formats, 0));
	return pgs_result(st, res, resp);
}

int
pgs_exec(struct pgs *st, const char *sql, int n, const char *const *values,
    PGresult **resp)
{
	return pgs_execb(st, sql, n, values, NULL, NULL, resp);
}

int
pgs_exec_prepared(struct pgs *st, const char *sql, int n,
    const char *const *values, PGresult **resp)
{
	char	 name[16];
	int	 i, r;

	if (resp != NULL)
		*resp = NULL;
	if ((r = pgs_ready(st)) < 0)
		return r;
	for (i = 0; i < st->nprepared && st->prepared[i] != sql; i++)
		;
	if (i == PGS_PREPARED_MAX)
		return pgs_exec(st, sql, n, values, resp);
	snprintf(name, sizeof(name), "p%d", i);
	if (i == st->nprepared) {
		if ((r = pgs_result(st, pgs_wait(st, PQsendPrepare(st->conn,
		    name, sql, n, NULL)), NULL)) < 0)
			return r;
		st->prepared[st->nprepared++] = sql;
	}
	return pgs_result(st, pgs_wait(st, PQsendQueryPrepared(st->conn, name,
	    n, values, NULL, NULL, 0)), resp);
}

/* --- Transactions --- */

/* Begin a transaction holding advisory lock "lock" of PGS_LOCK_CLASS. */
static int
pgs_begin_locked(struct pgs *st, int lock)
{
	char	 sql[128];

	snprintf(sql, sizeof(sql), "BEGIN; SET LOCAL synchronous_commit = on; "
	    "SELECT pg_advisory_xact_lock(%d, %d)", PGS_LOCK_CLASS, lock);
	return pgs_exec(st, sql, 0, NULL, NULL);
}

int
pgs_begin(struct pgs *st, bool write)
{
	if (!write)
		return pgs_exec(st, "BEGIN ISOLATION LEVEL REPEATABLE READ "
		    "READ ONLY", 0, NULL, NULL);
	return pgs_begin_locked(st, PGS_LOCK_WRITE);
}

int
pgs_commit(struct pgs *st)
{
	return pgs_exec(st, "COMMIT", 0, NULL, NULL);
}

void
pgs_abort(struct pgs *st)
{
	PGresult	*res;

	if (PQstatus(st->conn) != CONNECTION_OK)
		return;
	switch (PQtransactionStatus(st->conn)) {
	case PQTRANS_INTRANS:
	case PQTRANS_INERROR:
		res = pgs_wait(st, PQsendQuery(st->conn, "ROLLBACK"));
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			log_warnx("store: %s: rollback: %s", st->label,
			    st->hung ? "no answer from the server" :
			    PQerrorMessage(st->conn));
		st->hung = false;
		PQclear(res);
		break;
	default:
		break;
	}
}

/* --- Arrays and columns --- */

/* Make room for "more" bytes (and a NUL) in a. */
static void
pgs_arr_grow(struct pgs_arr *a, size_t more)
{
	if (a->len + more + 2 <= a->cap)
		return;
	while (a->len + more + 2 > a->cap)
		a->cap = a->cap ? 2 * a->cap : 256;
	a->buf = xreallocarray(a->buf, a->cap, 1);
}

/* Start an element: "{" before the first, "," before the others. */
static void
pgs_arr_sep(struct pgs_arr *a)
{
	pgs_arr_grow(a, 1);
	a->buf[a->len++] = a->n++ == 0 ? '{' : ',';
}

/* Append "len" bytes of s. */
static void
pgs_arr_put(struct pgs_arr *a, const char *s, size_t len)
{
	pgs_arr_grow(a, len);
	memcpy(a->buf + a->len, s, len);
	a->len += len;
}

/* Text elements are quoted, with '"' and '\' escaped by '\'. */
void
pgs_arr_text(struct pgs_arr *a, const char *v)
{
	const char	*p, *q;

	pgs_arr_sep(a);
	if (v == NULL) {
		pgs_arr_put(a, "NULL", 4);
		return;
	}
	pgs_arr_put(a, "\"", 1);
	for (p = v; *p != '\0'; p = q) {
		q = p + strcspn(p, "\"\\");
		pgs_arr_put(a, p, (size_t)(q - p));
		if (*q != '\0') {
			pgs_arr_put(a, "\\", 1);
			pgs_arr_put(a, q++, 1);
		}
	}
	pgs_arr_put(a, "\"", 1);
}

void
pgs_arr_int(struct pgs_arr *a, int64_t v)
{
	char	 buf[24];

	pgs_arr_sep(a);
	pgs_arr_put(a, buf, (size_t)snprintf(buf, sizeof(buf), "%" PRId64,
	    v));
}

void
pgs_arr_opt(struct pgs_arr *a, int64_t v, bool given)
{
	if (given)
		pgs_arr_int(a, v);
	else
		pgs_arr_text(a, NULL);
}

/* %.17g gives the double back exactly. */
void
pgs_arr_real(struct pgs_arr *a, double v, bool given)
{
	char	 buf[32];

	if (!given) {
		pgs_arr_text(a, NULL);
		return;
	}
	pgs_arr_sep(a);
	pgs_arr_put(a, buf, (size_t)snprintf(buf, sizeof(buf), "%.17g", v));
}

void
pgs_arr_bool(struct pgs_arr *a, bool v)
{
	pgs_arr_sep(a);
	pgs_arr_put(a, v ? "t" : "f", 1);
}

const char *
pgs_arr_end(struct pgs_arr *a)
{
	if (a->n == 0)
		pgs_arr_put(a, "{", 1);
	pgs_arr_put(a, "}", 1);
	a->buf[a->len] = '\0';
	return a->buf;
}

void
pgs_arr_free(struct pgs_arr *a)
{
	free(a->buf);
	memset(a, 0, sizeof(*a));
}

const char *
pgs_itoa(char *buf, int64_t v)
{
	snprintf(buf, 24, "%" PRId64, v);
	return buf;
}

bool
pgs_null(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) != 0;
}

const char *
pgs_text(const PGresult *res, int r, int c)
{
	return pgs_null(res, r, c) ? NULL : PQgetvalue(res, r, c);
}

int64_t
pgs_int(const PGresult *res, int r, int c, int64_t none)
{
	return pgs_null(res, r, c) ? none :
	    strtoll(PQgetvalue(res, r, c), NULL, 10);
}

double
pgs_real(const PGresult *res, int r, int c, double none)
{
	return pgs_null(res, r, c) ? none :
	    strtod(PQgetvalue(res, r, c), NULL);
}

bool
pgs_bool(const PGresult *res, int r, int c)
{
	return !pgs_null(res, r, c) && PQgetvalue(res, r, c)[0] == 't';
}

char *
pgs_strdup(const PGresult *res, int r, int c)
{
	const char	*v = pgs_text(res, r, c);

	return v != NULL ? xstrdup(v) : NULL;
}

void
pgs_meta(const PGresult *res, int r, int c, struct store_meta *m)
{
	m->has_sample = !pgs_null(res, r, c);
	m->sample = pgs_int(res, r, c, 0);
	m->has_score = !pgs_null(res, r, c + 1);
	m->score = pgs_real(res, r, c + 1, 0);
	m->greedy = pgs_bool(res, r, c + 2);
	m->truncated = pgs_bool(res, r, c + 3);
	m->cost_seconds = pgs_real(res, r, c + 4, -1);
	m->cost_tflops = pgs_real(res, r, c + 5, -1);
	m->cost_tokens = pgs_int(res, r, c + 6, -1);
}

void
pgs_usage(const PGresult *res, int r, int c, struct store_usage *u)
{
	u->cpu_ms = pgs_int(res, r, c, -1);
	u->wall_ms = pgs_int(res, r, c + 1, -1);
	u->max_rss_kb = pgs_int(res, r, c + 2, -1);
}

/* --- Open and close --- */

/*
 * The target as messages name it (new): "postgresql://USER@HOST:PORT/
 * DB" with what the target gives of those, never its password; NULL
 * for a target libpq cannot parse, whose parser message (and
 * PQconnectdb()'s) may quote the part it choked on, which may be the
 * password.
 */
static char *
pgs_label(const char *target)
{
	PQconninfoOption	*opts, *o;
	const char		*host = "", *port = "", *db = "", *user = "";
	char			*errmsg = NULL, *label;

	if ((opts = PQconninfoParse(target, &errmsg)) == NULL) {
		PQfreemem(errmsg);
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp(o->keyword, "dbname") == 0)
			db = o->val;
		else if (strcmp(o->keyword, "user") == 0)
			user = o->val;
	}
	label = xasprintf("postgresql://%s%s%s%s%s/%s", user, *user ? "@" :
	    "", host, *port ? ":" : "", port, db);
	PQconninfoFree(opts);
	return label;
}

/*
 * Run section "name" of schema-pg.sql in the open transaction.  A
 * section that is not there is a build error the unit tests catch.
 */
static int
pgs_open_section(struct pgs *st, const char *name)
{
	char	*sql;
	int	 r;

	if ((sql = store_schema_section(pgs_schema_sql, name)) == NULL) {
		snprintf(st->err, sizeof(st->err),
		    "schema-pg.sql: no section \"%s\"", name);
		return -EIO;
	}
	r = pgs_exec(st, sql, 0, NULL, NULL);
	free(sql);
	return r;
}

/* Migrate the schema from "version" to PGS_SCHEMA_VERSION, in order. */
static int
pgs_open_migrate(struct pgs *st, int64_t version)
{
	char	 name[32];
	int	 r = 0;

	while (r == 0 && version < PGS_SCHEMA_VERSION) {
		snprintf(name, sizeof(name), "migrate-%" PRId64, ++version);
		if ((r = pgs_open_section(st, name)) == 0)
			log_info("store: %s: schema migrated to version %"
			    PRId64, st->label, version);
	}
	return r;
}

/*
 * Create the schema when the search path has none, or check its
 * version, in one transaction under PGS_LOCK_SCHEMA.  Tables of
 * ours without a version table are someone else's: -EINVAL.
 */
static int
pgs_open_schema(struct pgs *st, char *errbuf, size_t errlen)
{
	PGresult	*res = NULL;
	int64_t		 version;
	int		 r;

	if ((r = pgs_begin_locked(st, PGS_LOCK_SCHEMA)) < 0 ||
	    (r = pgs_exec(st, "SELECT to_regclass('verdict_schema') IS NOT "
	    "NULL, to_regclass('runs') IS NOT NULL", 0, NULL, &res)) < 0)
		goto sqlerr;
	if (!pgs_bool(res, 0, 0)) {
		if (pgs_bool(res, 0, 1)) {
			log_errbuf(errbuf, errlen, "%s: not a verdict database "
			    "(a table \"runs\" but no verdict_schema)",
			    st->label);
			r = -EINVAL;
			goto out;
		}
		if ((r = pgs_open_section(st, "create")) < 0)
			goto sqlerr;
		log_info("store: %s: schema version %d created", st->label,
		    PGS_SCHEMA_VERSION);
	} else {
		PQclear(res);
		if ((r = pgs_exec(st, "SELECT max(version) FROM "
		    "verdict_schema", 0, NULL, &res)) < 0)
			goto sqlerr;
		version = pgs_int(res, 0, 0, 0);
		if (version > PGS_SCHEMA_VERSION) {
			log_errbuf(errbuf, errlen, "%s: schema version %" PRId64
			    " is newer than this verdictd's (%d)", st->label,
			    version, PGS_SCHEMA_VERSION);
			r = -EINVAL;
			goto out;
		}
		if (version < 1) {
			log_errbuf(errbuf, errlen, "%s: unknown schema version "
			    "%" PRId64, st->label, version);
			r = -EINVAL;
			goto out;
		}
		if ((r = pgs_open_migrate(st, version)) < 0)
			goto sqlerr;
	}
	if ((r = pgs_commit(st)) == 0)
		goto out;
 sqlerr:
	log_errbuf(errbuf, errlen, "%s: %s", st->label, st->err);
 out:
	PQclear(res);
	if (r < 0)
		pgs_abort(st);
	return r;
}

/*
 * A random lease owner, > 0: unlike a backend's pid, never the same
 * for two connections, even of two machines or after a reconnection.
 */
static int64_t
pgs_owner(void)
{
	uint64_t	 v = 0;

	while ((v >> 1) == 0)
		if (getrandom(&v, sizeof(v), 0) != sizeof(v))
			fatal("getrandom");
	return (int64_t)(v >> 1);
}

/* The backend's table (store-int.h). */
static const struct store_ops pgs_ops = {
	.close = pgs_close,
	.add = pgs_add,
	.import_add = pgs_import_add,
	.import_each = pgs_import_each,
	.run_update = pgs_run_update,
	.run_delete = pgs_run_delete,
	.recover = pgs_recover,
	.count_queued = pgs_count_queued,
	.queued_runs = pgs_queued_runs,
	.claim = pgs_claim,
	.leases = pgs_leases,
	.release = pgs_release,
	.update = pgs_update,
	.listen = pgs_listen,
	.notes = pgs_notes,
	.candidate = pgs_candidate,
	.run = pgs_run,
	.runs = pgs_runs,
	.run_problems = pgs_run_problems,
	.results = pgs_results,
	.run_samples = pgs_run_samples,
};

int
pgs_open(const char *target, struct store **sp, char *errbuf,
    size_t errlen)
{
	/* pgs_conn_keys' values: the target, which expands, comes last. */
	const char	*values[] = { "5", "10", "5", "3", "10000", target,
			    NULL };
	struct pgs	*st;
	int		 r = -EIO;

	*sp = NULL;
	st = xcalloc(1, sizeof(*st));
	st->base.ops = &pgs_ops;
	st->owner = pgs_owner();
	if ((st->label = pgs_label(target)) == NULL) {
		log_errbuf(errbuf, errlen, "postgresql://...: not a valid "
		    "PostgreSQL URI");
		r = -EINVAL;
		goto out;
	}
	st->conn = PQconnectdbParams(pgs_conn_keys, values, 1);
	/* Kept by PQreset(): the connection object stays the same. */
	PQsetNoticeProcessor(st->conn, pgs_notice_cb, st);
	if (PQstatus(st->conn) != CONNECTION_OK ||
	    PQsetnonblocking(st->conn, 1) < 0) {
		pgs_set_err(st, "", PQerrorMessage(st->conn));
		log_errbuf(errbuf, errlen, "%s: %s", st->label, st->err);
		goto out;
	}
	if ((r = pgs_session(st)) < 0) {
		log_errbuf(errbuf, errlen, "%s: %s", st->label, st->err);
		goto out;
	}
	if ((r = pgs_open_schema(st, errbuf, errlen)) < 0)
		goto out;
	*sp = &st->base;
	st = NULL;
 out:
	if (st != NULL)
		pgs_close(&st->base);
	return r;
}

void
pgs_close(struct store *base)
{
	struct pgs	*st = pgs_of(base);

	PQfinish(st->conn);
	free(st->label);
	free(st);
}
