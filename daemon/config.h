/*
 * config.h - verdictd's configuration: the file conf/verdictd.conf and
 * the serve command's flags.
 *
 * The file is self-documenting "key = value" lines (redis.conf, isolate's
 * default.cf): blank lines and lines starting with "#" are ignored;
 * values run to the end of the line, surrounding blanks trimmed; a key
 * that may be given several times says so.  An unknown key, a missing
 * "=", a value of the wrong shape or out of range, or a repeated
 * single-valued key is an error "FILE:LINE: reason".  Sizes take a
 * suffix (k, m, g; powers of 1024), times a unit (ms, s; plain numbers
 * are seconds).  conf/verdictd.conf lists every key with its default.
 *
 * Keys:
 *   listen = ADDR:PORT        127.0.0.1:8417; port 0 picks a free port
 *   state_dir = DIR           /var/lib/verdict
 *   database = URI            a PostgreSQL database, postgresql://...
 *                             or postgres://... (default: none,
 *                             SQLite in state_dir)
 *   node_id = NAME            this node's id, 1..128 bytes of printable
 *                             ASCII (default: the host name)
 *   lease = TIME              how long a node's claim on a running job
 *                             holds without renewal, 3s..1h (30s)
 *   workers = N               jail workers, 1..256 (default: CPUs)
 *   http_threads = N          libmicrohttpd threads, 1..64 (default 2)
 *   queue_limit = N           queued jobs before 429, >= 1 (1000000)
 *   max_body = SIZE           largest request body (16m)
 *   max_program = SIZE        largest candidate program (1m)
 *   max_connections = N       open HTTP connections (1024)
 *   connection_timeout = TIME idle or slow HTTP connections (30s)
 *   token = SECRET            a bearer token; repeatable; none: no auth
 *   log_level = warn|info|debug
 *   problems = FILE           a problem file loaded at start; repeatable;
 *                             none: the bundled HumanEval and MBPP
 *   jail = PATH               verdict-jail (default: beside verdictd)
 *   models = PATH             the model cost table of the budget reports
 *                             (default: the bundled conf/models.conf)
 *   uid_base = N              first host uid of the jails' ranges
 *                             (430000, BROKER_UID_BASE)
 *   scratch = SIZE            scratch tmpfs per worker (64m)
 *   user = NAME               the user verdictd runs as once it has
 *                             started the jail broker (verdict)
 *   limits.BENCH.wall = TIME  whole-program limit of a benchmark
 *   limits.BENCH.test = TIME  per-test limit (stdio, call, reference)
 *   limits.BENCH.memory = SIZE  address-space limit
 *       BENCH is one of humaneval, humaneval+, mbpp, mbpp+, apps.
 *
 * What SIGHUP reloads: token, log_level, queue_limit, models (the cost
 * table is read again, whether its path changed or not), limits.*.  The
 * others need a restart (config_reloadable() tells which changed).
 */
#ifndef DAEMON_CONFIG_H
#define DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/log.h"
#include "daemon/bench.h"

/* Limits of one benchmark; 0 means the protocol's default. */
struct config_limits {
	uint32_t	 wall_ms;
	uint32_t	 test_ms;
	uint32_t	 mem_mb;
};

/* A value struct: the fields are the interface.  Strings are owned. */
struct config {
	char		*path;		/* file read, or NULL */
	char		*listen_host;	/* "127.0.0.1" */
	uint16_t	 listen_port;	/* 8417; 0: any free port */
	char		*state_dir;
	char		*database;	/* a PostgreSQL URI; NULL: SQLite */
	char		*node_id;	/* this node's name in /v1/health and
					   /metrics; never NULL */
	unsigned	 lease_ms;
	unsigned	 workers;
	unsigned	 http_threads;
	size_t		 queue_limit;
	size_t		 max_body;	/* bytes */
	size_t		 max_program;	/* bytes */
	unsigned	 max_connections;
	unsigned	 connection_timeout_s;
	char		**tokens;	/* ntokens strings */
	size_t		 ntokens;
	enum log_level	 log_level;
	char		**problems;	/* nproblems paths */
	size_t		 nproblems;
	char		*jail_path;	/* NULL: beside the verdictd binary */
	char		*models_path;	/* NULL: the bundled models.conf */
	uid_t		 uid_base;
	unsigned	 scratch_mb;
	char		*user;		/* runs as this user after the start */
	struct config_limits limits[BENCH_COUNT];	/* by enum bench_id */
};

/* Fill *cfg with the defaults (no file).  Free with config_free(). */
void	 config_defaults(struct config *cfg);

/*
 * Set *cfg to the defaults, then apply the file "path".  Returns 0, or
 * a negative errno with "FILE:LINE: reason" (or "FILE: reason" when the
 * file cannot be read) in errbuf; on error *cfg holds the defaults and
 * must still be freed.
 */
int	 config_load(const char *path, struct config *cfg, char *errbuf,
	    size_t errlen);

/*
 * Parse "ADDR:PORT" ("127.0.0.1:8417", "[::1]:0", "localhost:80") into
 * cfg->listen_host and cfg->listen_port.  Returns 0, or -EINVAL with a
 * reason in errbuf, leaving *cfg unchanged.
 */
int	 config_set_listen(struct config *cfg, const char *addr,
	    char *errbuf, size_t errlen);

/* The limits set for benchmark "bench" (zeros: its defaults). */
const struct config_limits *config_limits_of(const struct config *cfg,
	    enum bench_id bench);

/*
 * Compare an old and a new config.  Returns true when only reloadable
 * keys differ; otherwise false with the first key that needs a restart
 * in errbuf.
 */
bool	 config_reloadable(const struct config *old, const struct config *neu,
	    char *errbuf, size_t errlen);

/*
 * The "database" URI (as config_load() accepted it) for messages: a new
 * string, libpq's reading of it written back as a postgresql:// URI
 * with every secret (password, sslpassword: the options libpq itself
 * hides) replaced by "***".  The user and the database stay in their
 * places, the other options go in the query.  Nothing of the input is
 * copied when libpq cannot read it.  Any thread.
 */
char	*config_database_redact(const char *database);

/* Constant-time check of a bearer token against cfg->tokens. */
bool	 config_token_ok(const struct config *cfg, const char *token);

/* Free the strings of *cfg (not cfg itself).  Safe on zeroed memory. */
void	 config_free(struct config *cfg);

#endif /* DAEMON_CONFIG_H */
