/*
 * test-config.c - the configuration file (daemon/config.c).
 *
 *   config_defaults_values   every field's default; workers is the
 *                            online CPU count clamped to 1..256,
 *                            node_id the host name
 *   config_full_file         a file setting every key gives exactly
 *                            those values, and cfg->path
 *   config_errors            each kind of error is -EINVAL "FILE:LINE:
 *                            reason" on the right line (unknown key,
 *                            missing "=", empty key or value, bad
 *                            number, out of range, bad size suffix or
 *                            time unit, repeated key, bad log_level,
 *                            listen, token or node_id, unknown
 *                            benchmark), and
 *                            leaves the defaults in *cfg
 *   config_repeatable        token and problems lines accumulate in
 *                            order; other keys may be given once
 *   config_comments_blank    comments, blank and blank-only lines are
 *                            skipped but counted; blanks around keys
 *                            and values are trimmed; "#" inside a value
 *                            is kept; a last line needs no newline; an
 *                            empty file gives the defaults
 *   config_sizes_times       k, m, g (either case) and bytes; ms, s and
 *                            bare seconds; whole-MiB and whole-second
 *                            fields refuse fractions; 0 limits are
 *                            allowed; overflow is out of range
 *   config_line_rules        a line of 4096 bytes is fine, 4097 is an
 *                            error, as are NUL, CR and other control
 *                            bytes; tabs count as blanks
 *   config_missing_file      -ENOENT "FILE: No such file or directory";
 *                            a directory is -EISDIR
 *   config_listen            IPv4, bracketed IPv6 and host names with
 *                            ports 0..65535; malformed addresses are
 *                            -EINVAL with a reason and change nothing
 *   config_reloadable        token, log_level, queue_limit and limits
 *                            changes are reloadable; the others name
 *                            the first key that needs a restart
 *   config_token_ok          exact matches only, against any of the
 *                            tokens; no tokens or a NULL token is false
 *   config_limits_of         each benchmark's limits; bench_find() finds
 *                            exactly the benchmarks of daemon/bench.h
 *   config_shipped_file      conf/verdictd.conf loads to exactly the
 *                            defaults, documents every key, and its
 *                            commented-out fixed defaults, uncommented,
 *                            still load to the defaults
 *   config_database          database takes postgresql:// (and
 *                            postgres://) URIs that libpq reads, kept
 *                            as written; anything else is an error that
 *                            never quotes the value, nor libpq's quote
 *                            of it (a password)
 *   config_database_redact   the URI for messages: user, database and
 *                            every option kept, in libpq's order, the
 *                            password and sslpassword "***" wherever
 *                            and however (percent-encoded) they were
 *                            written
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/test.h"
#include "common/xmalloc.h"
#include "daemon/config.h"

#define SHIPPED_CONF	"conf/verdictd.conf"	/* from the repo root */

/* Write "text" to dir/verdictd.conf and load it; the path in *pathp. */
static int
load_text(const char *dir, const char *text, struct config *cfg,
    char *errbuf, size_t errlen, char **pathp)
{
	char	*path;
	int	 r;

	path = test_tmp_text(dir, "verdictd.conf", text);
	errbuf[0] = '\0';
	r = config_load(path, cfg, errbuf, errlen);
	if (pathp != NULL)
		*pathp = path;
	else
		free(path);
	return r;
}

/* Every field of a and b but path is equal. */
static void
assert_same(const struct config *a, const struct config *b)
{
	ASSERT_STR_EQ(a->listen_host, b->listen_host);
	ASSERT_EQ(a->listen_port, b->listen_port);
	ASSERT_STR_EQ(a->state_dir, b->state_dir);
	ASSERT_STR_EQ(a->node_id, b->node_id);
	if (a->database == NULL || b->database == NULL)
		ASSERT(a->database == b->database);
	else
		ASSERT_STR_EQ(a->database, b->database);
	ASSERT_EQ(a->workers, b->workers);
	ASSERT_EQ(a->http_threads, b->http_threads);
	ASSERT_EQ(a->queue_limit, b->queue_limit);
	ASSERT_EQ(a->max_body, b->max_body);
	ASSERT_EQ(a->max_program, b->max_program);
	ASSERT_EQ(a->max_connections, b->max_connections);
	ASSERT_EQ(a->connection_timeout_s, b->connection_timeout_s);
	ASSERT_EQ(a->ntokens, b->ntokens);
	for (size_t i = 0; i < a->ntokens; i++)
		ASSERT_STR_EQ(a->tokens[i], b->tokens[i]);
	ASSERT_EQ(a->log_level, b->log_level);
	ASSERT_EQ(a->nproblems, b->nproblems);
	for (size_t i = 0; i < a->nproblems; i++)
		ASSERT_STR_EQ(a->problems[i], b->problems[i]);
	if (a->jail_path == NULL || b->jail_path == NULL)
		ASSERT(a->jail_path == b->jail_path);
	else
		ASSERT_STR_EQ(a->jail_path, b->jail_path);
	ASSERT_EQ(a->uid_base, b->uid_base);
	ASSERT_EQ(a->scratch_mb, b->scratch_mb);
	ASSERT_STR_EQ(a->user, b->user);
	for (int i = 0; i < BENCH_COUNT; i++) {
		ASSERT_EQ(a->limits[i].wall_ms, b->limits[i].wall_ms);
		ASSERT_EQ(a->limits[i].test_ms, b->limits[i].test_ms);
		ASSERT_EQ(a->limits[i].mem_mb, b->limits[i].mem_mb);
	}
}

/* *cfg holds the defaults and no path. */
static void
assert_defaults(const struct config *cfg)
{
	struct config	 def;

	config_defaults(&def);
	assert_same(cfg, &def);
	ASSERT_NULL(cfg->path);
	config_free(&def);
}

TEST(config_defaults_values)
{
	struct config	 cfg;
	long		 ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char		 host[256] = "";

	config_defaults(&cfg);
	ASSERT_NULL(cfg.path);
	ASSERT_STR_EQ(cfg.listen_host, "127.0.0.1");
	ASSERT_EQ(cfg.listen_port, 8417);
	ASSERT_STR_EQ(cfg.state_dir, "/var/lib/verdict");
	ASSERT_NULL(cfg.database);
	ASSERT_NOT_NULL(cfg.node_id);
	if (gethostname(host, sizeof(host)) == 0 && host[0] != '\0')
		ASSERT_STR_EQ(cfg.node_id, host);
	ASSERT_EQ(cfg.lease_ms, 30000);
	ASSERT_EQ(cfg.workers, ncpu < 1 ? 1 : ncpu > 256 ? 256 : ncpu);
	ASSERT_EQ(cfg.http_threads, 2);
	ASSERT_EQ(cfg.queue_limit, 1000000);
	ASSERT_EQ(cfg.max_body, 16 << 20);
	ASSERT_EQ(cfg.max_program, 1 << 20);
	ASSERT_EQ(cfg.max_connections, 1024);
	ASSERT_EQ(cfg.connection_timeout_s, 30);
	ASSERT_EQ(cfg.ntokens, 0);
	ASSERT_NULL(cfg.tokens);
	ASSERT_EQ(cfg.log_level, LOG_LEVEL_INFO);
	ASSERT_EQ(cfg.nproblems, 0);
	ASSERT_NULL(cfg.problems);
	ASSERT_NULL(cfg.jail_path);
	ASSERT_EQ(cfg.uid_base, 430000);
	ASSERT_EQ(cfg.scratch_mb, 64);
	ASSERT_STR_EQ(cfg.user, "verdict");
	for (int i = 0; i < BENCH_COUNT; i++) {
		ASSERT_EQ(cfg.limits[i].wall_ms, 0);
		ASSERT_EQ(cfg.limits[i].test_ms, 0);
		ASSERT_EQ(cfg.limits[i].mem_mb, 0);
	}
	config_free(&cfg);

	/* config_free() leaves zeroed memory, and takes it again. */
	ASSERT_NULL(cfg.listen_host);
	config_free(&cfg);
	return TEST_PASS;
}

TEST(config_full_file)
{
	static const char text[] =
	    "listen = 0.0.0.0:9000\n"
	    "state_dir = /srv/verdict\n"
	    "database = postgresql://verdict:pw@db.example:5433/verdict\n"
	    "node_id = rack 2 \"gpu\\1\"\n"
	    "workers = 7\n"
	    "http_threads = 5\n"
	    "queue_limit = 12\n"
	    "max_body = 2m\n"
	    "max_program = 300k\n"
	    "max_connections = 99\n"
	    "connection_timeout = 3s\n"
	    "token = 0123456789abcdef\n"
	    "log_level = debug\n"
	    "problems = /data/HumanEval.jsonl.gz\n"
	    "jail = /opt/verdict/verdict-jail\n"
	    "uid_base = 100000\n"
	    "scratch = 1g\n"
	    "user = nobody\n"
	    "limits.humaneval.wall = 5s\n"
	    "limits.humaneval.test = 1500ms\n"
	    "limits.humaneval.memory = 512m\n"
	    "limits.humaneval+.wall = 40\n"
	    "limits.mbpp+.test = 3s\n"
	    "limits.mbpp.memory = 2g\n"
	    "limits.apps.test = 6s\n";
	struct config	 cfg;
	char		 dir[64], err[512], *path;

	test_tmp_dir(dir, sizeof(dir));
	ASSERT_OK(load_text(dir, text, &cfg, err, sizeof(err), &path));
	ASSERT_STR_EQ(err, "");
	ASSERT_STR_EQ(cfg.path, path);
	ASSERT_STR_EQ(cfg.listen_host, "0.0.0.0");
	ASSERT_EQ(cfg.listen_port, 9000);
	ASSERT_STR_EQ(cfg.state_dir, "/srv/verdict");
	ASSERT_STR_EQ(cfg.database,
	    "postgresql://verdict:pw@db.example:5433/verdict");
	ASSERT_STR_EQ(cfg.node_id, "rack 2 \"gpu\\1\"");
	ASSERT_EQ(cfg.workers, 7);
	ASSERT_EQ(cfg.http_threads, 5);
	ASSERT_EQ(cfg.queue_limit, 12);
	ASSERT_EQ(cfg.max_body, 2 << 20);
	ASSERT_EQ(cfg.max_program, 300 << 10);
	ASSERT_EQ(cfg.max_connections, 99);
	ASSERT_EQ(cfg.connection_timeout_s, 3);
	ASSERT_EQ(cfg.ntokens, 1);
	ASSERT_STR_EQ(cfg.tokens[0], "0123456789abcdef");
	ASSERT_EQ(cfg.log_level, LOG_LEVEL_DEBUG);
	ASSERT_EQ(cfg.nproblems, 1);
	ASSERT_STR_EQ(cfg.problems[0], "/data/HumanEval.jsonl.gz");
	ASSERT_STR_EQ(cfg.jail_path, "/opt/verdict/verdict-jail");
	ASSERT_EQ(cfg.uid_base, 100000);
	ASSERT_EQ(cfg.scratch_mb, 1024);
	ASSERT_STR_EQ(cfg.user, "nobody");
	ASSERT_EQ(cfg.limits[0].wall_ms, 5000);
	ASSERT_EQ(cfg.limits[0].test_ms, 1500);
	ASSERT_EQ(cfg.limits[0].mem_mb, 512);
	ASSERT_EQ(cfg.limits[1].wall_ms, 40000);
	ASSERT_EQ(cfg.limits[1].test_ms, 0);
	ASSERT_EQ(cfg.limits[2].mem_mb, 2048);
	ASSERT_EQ(cfg.limits[3].test_ms, 3000);
	ASSERT_EQ(cfg.limits[4].test_ms, 6000);
	ASSERT_EQ(cfg.limits[4].wall_ms, 0);
	config_free(&cfg);
	free(path);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_errors)
{
	static const struct {
		const char	*text;
		unsigned	 line;
		const char	*reason;	/* after "FILE:LINE: " */
	} cases[] = {
		{ "workers = 2\nwrokers = 3\n", 2, "unknown key \"wrokers\"" },
		{ "limits.apps.cpu = 1s\n", 1,
		    "unknown key \"limits.apps.cpu\"" },
		{ "limits = 1s\n", 1, "unknown key \"limits\"" },
		{ "limits.humaneval = 1s\n", 1,
		    "unknown key \"limits.humaneval\"" },
		{ "\n# x\nworkers 4\n", 3, "missing \"=\" (key = value)" },
		{ " = 4\n", 1, "missing key before \"=\"" },
		{ "workers =\n", 1, "workers: empty value" },
		{ "state_dir = \t \n", 1, "state_dir: empty value" },
		{ "workers = four\n", 1,
		    "workers: \"four\" is not a decimal number" },
		{ "workers = 4x\n", 1,
		    "workers: \"4x\" is not a decimal number" },
		{ "workers = -1\n", 1,
		    "workers: \"-1\" is not a decimal number" },
		{ "workers = +4\n", 1,
		    "workers: \"+4\" is not a decimal number" },
		{ "workers = 0x10\n", 1,
		    "workers: \"0x10\" is not a decimal number" },
		{ "workers = 4 4\n", 1,
		    "workers: \"4 4\" is not a decimal number" },
		{ "workers = 0\n", 1, "workers: 0 is out of range 1..256" },
		{ "node_id = caf\xc3\xa9\n", 1,
		    "node_id: character 4 is not printable ASCII" },
		{ "node_id = " "0123456789abcdef" "0123456789abcdef"
		    "0123456789abcdef" "0123456789abcdef" "0123456789abcdef"
		    "0123456789abcdef" "0123456789abcdef" "0123456789abcdef"
		    "x\n", 1, "node_id: 129 bytes; a node id has 1..128" },
		{ "workers = 257\n", 1,
		    "workers: 257 is out of range 1..256" },
		{ "http_threads = 65\n", 1,
		    "http_threads: 65 is out of range 1..64" },
		{ "queue_limit = 0\n", 1, "queue_limit: 0 is out of range" },
		{ "queue_limit = 99999999999999999999\n", 1,
		    "queue_limit: 99999999999999999999 is out of range" },
		{ "max_connections = 4294967296\n", 1,
		    "max_connections: 4294967296 is out of range "
		    "1..4294967295" },
		{ "uid_base = 0\n", 1, "uid_base: 0 is out of range 1.." },
		{ "uid_base = 4294967295\n", 1, "uid_base: 4294967295 is "
		    "out of range 1..4294901759" },
		{ "max_body = 64mb\n", 1,
		    "max_body: bad size suffix \"mb\" (k, m or g)" },
		{ "max_body = 64 m\n", 1,
		    "max_body: bad size suffix \" m\" (k, m or g)" },
		{ "max_body = 1t\n", 1, "max_body: bad size suffix \"t\"" },
		{ "max_body = m\n", 1, "max_body: \"m\" is not a size" },
		{ "max_body = 0\n", 1, "max_body: 0 is out of range 1.." },
		{ "max_body = 17179869184g\n", 1,
		    "max_body: 17179869184g is out of range" },
		{ "scratch = 1000k\n", 1,
		    "scratch: 1000k is not a whole number of megabytes" },
		{ "scratch = 0m\n", 1, "scratch: 0m is out of range "
		    "1m..4294967295m" },
		{ "connection_timeout = 5m\n", 1,
		    "connection_timeout: bad time unit \"m\" (ms or s)" },
		{ "connection_timeout = 0\n", 1,
		    "connection_timeout: 0 is out of range 1s..4294967295s" },
		{ "connection_timeout = s\n", 1,
		    "connection_timeout: \"s\" is not a time" },
		{ "limits.apps.test = 4294968s\n", 1,
		    "limits.apps.test: 4294968s is out of range "
		    "0ms..4294967295ms" },
		{ "limits.mbpp.memory = 1.5g\n", 1,
		    "limits.mbpp.memory: bad size suffix \".5g\"" },
		{ "workers = 2\nlog_level = info\n\nworkers = 2\n", 4,
		    "workers: repeated (first set on line 1)" },
		{ "limits.apps.wall = 1s\nlimits.apps.wall = 1s\n", 2,
		    "limits.apps.wall: repeated (first set on line 1)" },
		{ "jail = /a\njail = /b\n", 2,
		    "jail: repeated (first set on line 1)" },
		{ "log_level = verbose\n", 1,
		    "log_level: \"verbose\" is not warn, info or debug" },
		{ "log_level = INFO\n", 1,
		    "log_level: \"INFO\" is not warn, info or debug" },
		{ "listen = nohost\n", 1,
		    "listen: \"nohost\": missing \":PORT\"" },
		{ "listen = 1.2.3.4:99999\n", 1,
		    "listen: \"1.2.3.4:99999\": the port must be 0..65535" },
		{ "token = short\n", 1,
		    "token: too short: 5 characters, at least 16" },
		{ "token = 0123456789 abcdef\n", 1,
		    "token: character 11 is a blank; a token is printable "
		    "ASCII without spaces" },
		{ "token = 0123456789abcdef\xc3\xa9\n", 1,
		    "token: character 17 is not printable ASCII" },
		{ "limits.gsm8k.wall = 1s\n", 1,
		    "limits.gsm8k.wall: unknown benchmark (one of humaneval, "
		    "humaneval+, mbpp, mbpp+, apps)" },
		{ "limits.HumanEval.wall = 1s\n", 1,
		    "limits.HumanEval.wall: unknown benchmark" },
		{ "limits..wall = 1s\n", 1, "limits..wall: unknown benchmark" },
	};
	struct config	 cfg;
	char		 dir[64], err[512], *path, *want;

	test_tmp_dir(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_ERR(load_text(dir, cases[i].text, &cfg, err,
		    sizeof(err), &path), -EINVAL);
		want = xasprintf("%s:%u: %s", path, cases[i].line,
		    cases[i].reason);
		if (strncmp(err, want, strlen(want)) != 0)
			TEST_FAIL_AT("case %zu: \"%s\" does not start with "
			    "\"%s\"", i, err, want);
		assert_defaults(&cfg);
		config_free(&cfg);
		free(want);
		free(path);
	}

	/* A token is never echoed: it is a secret. */
	ASSERT_ERR(load_text(dir, "token = secret-short\n", &cfg, err,
	    sizeof(err), NULL), -EINVAL);
	ASSERT(strstr(err, "secret") == NULL);
	config_free(&cfg);

	/* An echoed value is escaped and cut. */
	{
		char	 text[600];

		memset(text, 0, sizeof(text));
		strcpy(text, "workers = 9\xff");
		memset(text + strlen(text), 'x', 500);
		strcat(text, "\n");
		ASSERT_ERR(load_text(dir, text, &cfg, err, sizeof(err),
		    NULL), -EINVAL);
		ASSERT_CONTAINS(err, "\"9\\xffxxx");
		ASSERT_CONTAINS(err, "...\" is not a decimal number");
		ASSERT(strlen(err) < 200);
		config_free(&cfg);
	}
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_repeatable)
{
	static const char text[] =
	    "token = aaaaaaaaaaaaaaaa\n"
	    "problems = /p/one.jsonl\n"
	    "token = bbbbbbbbbbbbbbbbbbbbbbbb\n"
	    "problems = /p/two.jsonl.gz\n"
	    "problems = /p/one.jsonl\n"
	    "token = aaaaaaaaaaaaaaaa\n";
	struct config	 cfg;
	char		 dir[64], err[512];

	test_tmp_dir(dir, sizeof(dir));
	ASSERT_OK(load_text(dir, text, &cfg, err, sizeof(err), NULL));
	ASSERT_EQ(cfg.ntokens, 3);
	ASSERT_STR_EQ(cfg.tokens[0], "aaaaaaaaaaaaaaaa");
	ASSERT_STR_EQ(cfg.tokens[1], "bbbbbbbbbbbbbbbbbbbbbbbb");
	ASSERT_STR_EQ(cfg.tokens[2], "aaaaaaaaaaaaaaaa");
	ASSERT_EQ(cfg.nproblems, 3);
	ASSERT_STR_EQ(cfg.problems[0], "/p/one.jsonl");
	ASSERT_STR_EQ(cfg.problems[1], "/p/two.jsonl.gz");
	ASSERT_STR_EQ(cfg.problems[2], "/p/one.jsonl");
	config_free(&cfg);

	/* A bad repeat is still checked: line 2. */
	ASSERT_ERR(load_text(dir, "token = aaaaaaaaaaaaaaaa\ntoken = a\n",
	    &cfg, err, sizeof(err), NULL), -EINVAL);
	ASSERT_CONTAINS(err, ":2: token: too short");
	ASSERT_EQ(cfg.ntokens, 0);
	config_free(&cfg);

	/* Every single-valued key refuses a second line. */
	{
		static const char *const once[] = { "listen = [::1]:1",
		    "state_dir = /x", "workers = 1", "http_threads = 1",
		    "queue_limit = 1", "max_body = 1", "max_program = 1",
		    "max_connections = 1", "connection_timeout = 1",
		    "log_level = warn", "jail = /j", "uid_base = 1",
		    "scratch = 1m", "user = nobody", "limits.mbpp+.memory = 0",
		    "database = postgresql:///verdict" };
		char	*t;

		for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
			t = xasprintf("%s\n%s\n", once[i], once[i]);
			ASSERT_ERR(load_text(dir, t, &cfg, err, sizeof(err),
			    NULL), -EINVAL);
			ASSERT_CONTAINS(err, ":2: ");
			ASSERT_CONTAINS(err, ": repeated (first set on line "
			    "1)");
			config_free(&cfg);
			free(t);
		}
	}
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_comments_blank)
{
	static const char text[] =
	    "# verdictd.conf\n"
	    "\n"
	    "   \t \n"
	    "   # indented comment = with equals\n"
	    "#workers = 99999\n"
	    "\tworkers\t=\t3\t\n"
	    "state_dir=/no/blanks\n"
	    "jail =   /with # hash and  inner  blanks  \n"
	    "token = abc#defghijklmnop#\n"
	    "log_level = warn";			/* no newline at the end */
	struct config	 cfg;
	char		 dir[64], err[512];

	test_tmp_dir(dir, sizeof(dir));
	ASSERT_OK(load_text(dir, text, &cfg, err, sizeof(err), NULL));
	ASSERT_EQ(cfg.workers, 3);
	ASSERT_STR_EQ(cfg.state_dir, "/no/blanks");
	ASSERT_STR_EQ(cfg.jail_path, "/with # hash and  inner  blanks");
	ASSERT_EQ(cfg.ntokens, 1);
	ASSERT_STR_EQ(cfg.tokens[0], "abc#defghijklmnop#");
	ASSERT_EQ(cfg.log_level, LOG_LEVEL_WARN);
	config_free(&cfg);

	/* Skipped lines still count. */
	ASSERT_ERR(load_text(dir, "#\n\n  \nbad\n", &cfg, err, sizeof(err),
	    NULL), -EINVAL);
	ASSERT_CONTAINS(err, ":4: missing \"=\"");
	config_free(&cfg);

	/* An empty file, and comments only, are the defaults. */
	ASSERT_OK(load_text(dir, "", &cfg, err, sizeof(err), NULL));
	ASSERT_NOT_NULL(cfg.path);
	free(cfg.path);
	cfg.path = NULL;
	assert_defaults(&cfg);
	config_free(&cfg);
	ASSERT_OK(load_text(dir, "# only\n#this\n", &cfg, err, sizeof(err),
	    NULL));
	free(cfg.path);
	cfg.path = NULL;
	assert_defaults(&cfg);
	config_free(&cfg);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_sizes_times)
{
	static const struct {
		const char	*line;
		size_t		 max_body;	/* bytes, or 0 */
		unsigned	 scratch_mb;	/* or 0 */
		unsigned	 timeout_s;	/* or 0 */
		uint32_t	 wall_ms;	/* limits.apps.wall, or 0 */
		uint32_t	 mem_mb;	/* limits.apps.memory, or 0 */
	} cases[] = {
		{ "max_body = 1", 1, 0, 0, 0, 0 },
		{ "max_body = 1000", 1000, 0, 0, 0, 0 },
		{ "max_body = 3k", 3072, 0, 0, 0, 0 },
		{ "max_body = 3K", 3072, 0, 0, 0, 0 },
		{ "max_body = 5m", 5u << 20, 0, 0, 0, 0 },
		{ "max_body = 5M", 5u << 20, 0, 0, 0, 0 },
		{ "max_body = 2g", 2ull << 30, 0, 0, 0, 0 },
		{ "max_body = 007", 7, 0, 0, 0, 0 },
		{ "scratch = 1024k", 0, 1, 0, 0, 0 },
		{ "scratch = 1048576", 0, 1, 0, 0, 0 },
		{ "scratch = 2G", 0, 2048, 0, 0, 0 },
		{ "connection_timeout = 7", 0, 0, 7, 0, 0 },
		{ "connection_timeout = 7s", 0, 0, 7, 0, 0 },
		{ "connection_timeout = 7000ms", 0, 0, 7, 0, 0 },
		{ "limits.apps.wall = 250ms", 0, 0, 0, 250, 0 },
		{ "limits.apps.wall = 2", 0, 0, 0, 2000, 0 },
		{ "limits.apps.wall = 2s", 0, 0, 0, 2000, 0 },
		{ "limits.apps.wall = 4294967295ms", 0, 0, 0, 4294967295u,
		    0 },
		{ "limits.apps.memory = 3g", 0, 0, 0, 0, 3072 },
		{ "limits.apps.memory = 4194304k", 0, 0, 0, 0, 4096 },
	};
	struct config	 cfg;
	char		 dir[64], err[512], *t;

	test_tmp_dir(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = xasprintf("%s\n", cases[i].line);
		if (load_text(dir, t, &cfg, err, sizeof(err), NULL) != 0)
			TEST_FAIL_AT("%s: %s", cases[i].line, err);
		if (cases[i].max_body != 0)
			ASSERT_EQ(cfg.max_body, cases[i].max_body);
		if (cases[i].scratch_mb != 0)
			ASSERT_EQ(cfg.scratch_mb, cases[i].scratch_mb);
		if (cases[i].timeout_s != 0)
			ASSERT_EQ(cfg.connection_timeout_s, cases[i].timeout_s);
		ASSERT_EQ(cfg.limits[4].wall_ms, cases[i].wall_ms);
		ASSERT_EQ(cfg.limits[4].mem_mb, cases[i].mem_mb);
		config_free(&cfg);
		free(t);
	}

	/* 0 means the protocol's default, so limits take it. */
	ASSERT_OK(load_text(dir, "limits.apps.wall = 0\nlimits.apps.test = "
	    "0ms\nlimits.apps.memory = 0g\n", &cfg, err, sizeof(err), NULL));
	ASSERT_EQ(cfg.limits[4].wall_ms, 0);
	config_free(&cfg);

	/* Overflow in the multiplication is out of range, not wrapped. */
	ASSERT_ERR(load_text(dir, "limits.apps.wall = 18446744073709552s\n",
	    &cfg, err, sizeof(err), NULL), -EINVAL);
	ASSERT_CONTAINS(err, "is out of range");
	config_free(&cfg);
	ASSERT_ERR(load_text(dir, "max_body = 18014398509481984k\n", &cfg,
	    err, sizeof(err), NULL), -EINVAL);
	ASSERT_CONTAINS(err, "is out of range");
	config_free(&cfg);
	ASSERT_ERR(load_text(dir, "limits.apps.memory = 1572865k\n", &cfg,
	    err, sizeof(err), NULL), -EINVAL);
	ASSERT_CONTAINS(err, "not a whole number of megabytes");
	config_free(&cfg);
	test_tmp_rm(dir);
	return TEST_PASS;
}

/* "before", then a state_dir line of "len" bytes and a newline (new). */
static char *
state_dir_line(const char *before, size_t len)
{
	static const char key[] = "state_dir = /";
	char	*text, *p;

	ASSERT(len >= sizeof(key) - 1);
	text = xmalloc(strlen(before) + len + 2);
	p = stpcpy(text, before);
	p = stpcpy(p, key);
	memset(p, 'd', len - (sizeof(key) - 1));
	strcpy(p + len - (sizeof(key) - 1), "\n");
	return text;
}

TEST(config_line_rules)
{
	struct config	 cfg;
	char		 dir[64], err[512], *path, *text;

	test_tmp_dir(dir, sizeof(dir));

	/* A line of exactly 4096 bytes, then one of 4097 on line 2. */
	text = state_dir_line("", 4096);
	ASSERT_OK(load_text(dir, text, &cfg, err, sizeof(err), NULL));
	ASSERT_EQ(strlen(cfg.state_dir), 4096 - strlen("state_dir = "));
	config_free(&cfg);
	free(text);

	text = state_dir_line("\n", 4097);
	ASSERT_ERR(load_text(dir, text, &cfg, err, sizeof(err), &path),
	    -EINVAL);
	free(text);
	text = xasprintf("%s:2: line longer than 4096 bytes", path);
	ASSERT_STR_EQ(err, text);
	assert_defaults(&cfg);
	config_free(&cfg);
	free(text);
	free(path);

	/* A NUL byte, on line 3. */
	{
		static const char nul[] = "\n\nworkers = 1\0 2\n";

		path = test_tmp_file(dir, "nul.conf", nul, sizeof(nul) - 1);
		ASSERT_ERR(config_load(path, &cfg, err, sizeof(err)),
		    -EINVAL);
		text = xasprintf("%s:3: NUL byte in line", path);
		ASSERT_STR_EQ(err, text);
		config_free(&cfg);
		free(text);
		free(path);
	}

	/* CR (a DOS line end), ESC and DEL. */
	ASSERT_ERR(load_text(dir, "workers = 1\r\n", &cfg, err, sizeof(err),
	    NULL), -EINVAL);
	ASSERT_CONTAINS(err, ":1: control character 0x0d in line");
	config_free(&cfg);
	ASSERT_ERR(load_text(dir, "# \x1b[31m\n", &cfg, err, sizeof(err),
	    NULL), -EINVAL);
	ASSERT_CONTAINS(err, ":1: control character 0x1b in line");
	config_free(&cfg);
	ASSERT_ERR(load_text(dir, "\nstate_dir = /a\x7f\n", &cfg, err,
	    sizeof(err), NULL), -EINVAL);
	ASSERT_CONTAINS(err, ":2: control character 0x7f in line");
	config_free(&cfg);

	/* Non-ASCII bytes are allowed (UTF-8 paths). */
	ASSERT_OK(load_text(dir, "state_dir = /srv/v\xc3\xa9rdict\n", &cfg,
	    err, sizeof(err), NULL));
	ASSERT_STR_EQ(cfg.state_dir, "/srv/v\xc3\xa9rdict");
	config_free(&cfg);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_missing_file)
{
	struct config	 cfg;
	char		 dir[64], err[512], *path, *want;

	test_tmp_dir(dir, sizeof(dir));
	path = xasprintf("%s/none.conf", dir);
	ASSERT_ERR(config_load(path, &cfg, err, sizeof(err)), -ENOENT);
	want = xasprintf("%s: No such file or directory", path);
	ASSERT_STR_EQ(err, want);
	assert_defaults(&cfg);
	config_free(&cfg);
	free(want);
	free(path);

	ASSERT_ERR(config_load(dir, &cfg, err, sizeof(err)), -EISDIR);
	want = xasprintf("%s: Is a directory", dir);
	ASSERT_STR_EQ(err, want);
	assert_defaults(&cfg);
	config_free(&cfg);
	free(want);

	/* A NULL errbuf is allowed. */
	ASSERT_ERR(config_load(dir, &cfg, NULL, 0), -EISDIR);
	config_free(&cfg);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_listen)
{
	static const struct {
		const char	*addr;
		const char	*host;
		unsigned	 port;
	} good[] = {
		{ "127.0.0.1:0", "127.0.0.1", 0 },
		{ "[::1]:8417", "::1", 8417 },
		{ "[::]:65535", "::", 65535 },
		{ "localhost:80", "localhost", 80 },
		{ "0.0.0.0:1", "0.0.0.0", 1 },
		{ "verdict-1.example.org:443", "verdict-1.example.org", 443 },
		{ "[fe80::1:2]:08080", "fe80::1:2", 8080 },
	};
	static const struct {
		const char	*addr;
		const char	*reason;
	} bad[] = {
		{ "nohost", "\"nohost\": missing \":PORT\"" },
		{ "1.2.3.4:99999", "\"1.2.3.4:99999\": the port must be "
		    "0..65535" },
		{ ":80", "\":80\": missing host (0.0.0.0 or [::] listens on "
		    "every address)" },
		{ "host:", "the port must be" },
		{ "host:-1", "the port must be" },
		{ "host:8o", "the port must be" },
		{ "host: 80", "the port must be" },
		{ "::1:80", "an IPv6 address goes in brackets" },
		{ "[::1]", "expected [IPV6]:PORT" },
		{ "[::1]80", "expected [IPV6]:PORT" },
		{ "[::1:80", "expected [IPV6]:PORT" },
		{ "[127.0.0.1]:80", "bad IPv6 address" },
		{ "[]:80", "bad IPv6 address" },
		{ "1.2.3:80", "bad IPv4 address" },
		{ "1.2.3.256:80", "bad IPv4 address" },
		{ "bad_host:80", "bad host name" },
		{ "-lead.example:80", "bad host name" },
		{ "trail-.example:80", "bad host name" },
		{ "a..b:80", "bad host name" },
		{ "a.b.:80", "bad host name" },
		{ "h\xc3\xa9:80", "bad host name" },
	};
	struct config	 cfg;
	char		 err[256];

	config_defaults(&cfg);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (config_set_listen(&cfg, good[i].addr, err,
		    sizeof(err)) != 0)
			TEST_FAIL_AT("%s: %s", good[i].addr, err);
		ASSERT_STR_EQ(cfg.listen_host, good[i].host);
		ASSERT_EQ(cfg.listen_port, good[i].port);
	}
	ASSERT_OK(config_set_listen(&cfg, "127.0.0.2:7", err, sizeof(err)));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ASSERT_ERR(config_set_listen(&cfg, bad[i].addr, err,
		    sizeof(err)), -EINVAL);
		ASSERT_CONTAINS(err, bad[i].reason);
		ASSERT_STR_EQ(cfg.listen_host, "127.0.0.2");
		ASSERT_EQ(cfg.listen_port, 7);
	}

	/* A host name of 63-byte labels, 253 bytes long, and one more. */
	{
		char	 name[300], *addr;

		memset(name, 'a', 253);
		name[63] = name[127] = name[191] = '.';
		name[253] = '\0';
		addr = xasprintf("%s:1", name);
		ASSERT_OK(config_set_listen(&cfg, addr, err, sizeof(err)));
		ASSERT_STR_EQ(cfg.listen_host, name);
		free(addr);
		name[253] = 'a';
		name[254] = '\0';
		addr = xasprintf("%s:1", name);
		ASSERT_ERR(config_set_listen(&cfg, addr, err, sizeof(err)),
		    -EINVAL);
		free(addr);
		memset(name, 'a', 64);
		strcpy(name + 64, ".b:1");
		ASSERT_ERR(config_set_listen(&cfg, name, err, sizeof(err)),
		    -EINVAL);
	}
	config_free(&cfg);
	return TEST_PASS;
}

/* Load text into *cfg, which must succeed. */
static void
load_ok(const char *dir, const char *text, struct config *cfg)
{
	char	 err[512];

	if (load_text(dir, text, cfg, err, sizeof(err), NULL) != 0)
		TEST_FAIL_AT("%s", err);
}

TEST(config_reloadable)
{
	static const char *const same[] = {
		"",				/* the token removed */
		"token = bbbbbbbbbbbbbbbb\n",
		"token = aaaaaaaaaaaaaaaa\ntoken = cccccccccccccccc\n",
		"log_level = debug\n",
		"queue_limit = 5\n",
		"models = /m\n",
		"limits.apps.test = 9s\nlimits.mbpp.memory = 2g\n",
	};
	static const struct {
		const char	*text;
		const char	*key;
	} differ[] = {
		{ "listen = 127.0.0.1:8418\n", "listen" },
		{ "listen = localhost:8417\n", "listen" },
		{ "state_dir = /elsewhere\n", "state_dir" },
		{ "database = postgresql:///verdict\n", "database" },
		{ "node_id = another\n", "node_id" },
		{ "http_threads = 3\n", "http_threads" },
		{ "max_body = 1m\n", "max_body" },
		{ "max_program = 512k\n", "max_program" },
		{ "max_connections = 3\n", "max_connections" },
		{ "connection_timeout = 3s\n", "connection_timeout" },
		{ "problems = /p/b.jsonl\n", "problems" },
		{ "jail = /j\n", "jail" },
		{ "uid_base = 1000000\n", "uid_base" },
		{ "scratch = 128m\n", "scratch" },
		{ "user = nobody\n", "user" },
		/* The first in config.h's order is named. */
		{ "scratch = 1m\nlisten = 127.0.0.1:1\nhttp_threads = 9\n",
		    "listen" },
	};
	struct config	 old, neu;
	char		 dir[64], err[64], *t;

	test_tmp_dir(dir, sizeof(dir));
	load_ok(dir, "token = aaaaaaaaaaaaaaaa\n", &old);

	/* The same file (another path, even) reloads; errbuf is cleared. */
	load_ok(dir, "token = aaaaaaaaaaaaaaaa\n", &neu);
	free(neu.path);
	neu.path = xstrdup("/elsewhere.conf");
	strcpy(err, "x");
	ASSERT(config_reloadable(&old, &neu, err, sizeof(err)));
	ASSERT_STR_EQ(err, "");
	config_free(&neu);

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		load_ok(dir, same[i], &neu);
		if (!config_reloadable(&old, &neu, err, sizeof(err)))
			TEST_FAIL_AT("%s: not reloadable: %s", same[i], err);
		config_free(&neu);
	}

	/* workers: its default is the CPU count, so pick another. */
	t = xasprintf("workers = %u\n", old.workers == 1 ? 2 : 1);
	load_ok(dir, t, &neu);
	strcpy(err, "x");
	ASSERT(!config_reloadable(&old, &neu, err, sizeof(err)));
	ASSERT_STR_EQ(err, "workers");
	config_free(&neu);
	free(t);

	for (size_t i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
		load_ok(dir, differ[i].text, &neu);
		strcpy(err, "x");
		ASSERT(!config_reloadable(&old, &neu, err, sizeof(err)));
		ASSERT_STR_EQ(err, differ[i].key);
		/* Either way round. */
		ASSERT(!config_reloadable(&neu, &old, err, sizeof(err)));
		ASSERT_STR_EQ(err, differ[i].key);
		config_free(&neu);
	}

	/* One problem file more, same first one: still a change. */
	config_free(&old);
	load_ok(dir, "problems = /p/a\n", &old);
	load_ok(dir, "problems = /p/a\nproblems = /p/b\n", &neu);
	ASSERT(!config_reloadable(&old, &neu, err, sizeof(err)));
	ASSERT_STR_EQ(err, "problems");
	ASSERT(!config_reloadable(&old, &neu, NULL, 0));
	config_free(&neu);
	config_free(&old);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_token_ok)
{
	struct config	 cfg;
	char		 dir[64];

	/* No tokens: the daemon asks for none, and nothing matches. */
	config_defaults(&cfg);
	ASSERT(!config_token_ok(&cfg, ""));
	ASSERT(!config_token_ok(&cfg, "anything-at-all-really"));
	ASSERT(!config_token_ok(&cfg, NULL));
	config_free(&cfg);

	test_tmp_dir(dir, sizeof(dir));
	load_ok(dir, "token = 0123456789abcdef\n"
	    "token = Zm9vYmFyYmF6cXV4cXV1eA==\n", &cfg);
	ASSERT(config_token_ok(&cfg, "0123456789abcdef"));
	ASSERT(config_token_ok(&cfg, "Zm9vYmFyYmF6cXV4cXV1eA=="));
	ASSERT(!config_token_ok(&cfg, NULL));
	ASSERT(!config_token_ok(&cfg, ""));
	ASSERT(!config_token_ok(&cfg, "0123456789abcde"));	/* prefix */
	ASSERT(!config_token_ok(&cfg, "0123456789abcdef0"));	/* longer */
	ASSERT(!config_token_ok(&cfg, "0123456789abcdeF"));	/* case */
	ASSERT(!config_token_ok(&cfg, "1123456789abcdef"));	/* first */
	/* The configured token repeated: the cyclic read must not match. */
	ASSERT(!config_token_ok(&cfg, "0123456789abcdef0123456789abcdef"));
	ASSERT(!config_token_ok(&cfg, "Zm9vYmFyYmF6cXV4cXV1eA"));
	config_free(&cfg);
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_limits_of)
{
	struct config	 cfg;
	char		 dir[64];

	test_tmp_dir(dir, sizeof(dir));
	load_ok(dir, "limits.humaneval.wall = 1s\nlimits.humaneval+.wall = "
	    "2s\nlimits.mbpp.wall = 3s\nlimits.mbpp+.wall = 4s\n"
	    "limits.apps.wall = 5s\nlimits.apps.test = 6s\n"
	    "limits.apps.memory = 7m\n", &cfg);
	for (int i = 0; i < BENCH_COUNT; i++) {
		const struct config_limits *lim;
		enum bench_id	 b;

		ASSERT_OK(bench_find(bench_get((enum bench_id)i)->name,
		    strlen(bench_get((enum bench_id)i)->name), &b));
		ASSERT_EQ(b, i);
		lim = config_limits_of(&cfg, b);
		ASSERT(lim == &cfg.limits[i]);
		ASSERT_EQ(lim->wall_ms, (i + 1) * 1000);
	}
	ASSERT_STR_EQ(bench_get(BENCH_HUMANEVAL)->name, "humaneval");
	ASSERT_STR_EQ(bench_get(BENCH_APPS)->name, "apps");
	ASSERT_EQ(config_limits_of(&cfg, BENCH_APPS)->test_ms, 6000);
	ASSERT_EQ(config_limits_of(&cfg, BENCH_APPS)->mem_mb, 7);
	{
		static const char *const nope[] = { "mbpp++", "humaneva", "",
		    "APPS", "evalplus" };
		enum bench_id	 b;

		for (size_t i = 0; i < sizeof(nope) / sizeof(nope[0]); i++)
			ASSERT_ERR(bench_find(nope[i], strlen(nope[i]), &b),
			    -ENOENT);
	}
	config_free(&cfg);
	test_tmp_rm(dir);
	return TEST_PASS;
}

/* Whether "key" is one whose shipped example is not its default. */
static bool
example_only(const char *key, size_t len)
{
	static const char *const keys[] = { "database", "node_id", "workers",
	    "token", "problems", "jail", "models" };

	if (len > 7 && strncmp(key, "limits.", 7) == 0)
		return true;	/* the protocol's defaults, not config's */
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strlen(keys[i]) == len && strncmp(key, keys[i], len) == 0)
			return true;
	}
	return false;
}

TEST(config_shipped_file)
{
	static const char *const keys[] = { "listen", "state_dir", "database",
	    "node_id", "lease", "workers", "http_threads", "queue_limit", "max_body",
	    "max_program", "max_connections", "connection_timeout", "token",
	    "log_level", "problems", "jail", "models", "uid_base", "scratch",
	    "user" };
	static const char *const fields[] = { "wall", "test", "memory" };
	struct config	 cfg;
	FILE		*f;
	char		 dir[64], err[512], line[4200], *want, *text;
	size_t		 len = 0;

	if (access(SHIPPED_CONF, R_OK) != 0)
		TEST_FAIL_AT("%s: not found (run from the repository root)",
		    SHIPPED_CONF);
	if (config_load(SHIPPED_CONF, &cfg, err, sizeof(err)) != 0)
		TEST_FAIL_AT("%s", err);
	ASSERT_STR_EQ(cfg.path, SHIPPED_CONF);
	free(cfg.path);
	cfg.path = NULL;
	assert_defaults(&cfg);
	config_free(&cfg);

	/* Every key appears as a commented-out "#key = " line. */
	ASSERT_NOT_NULL(f = fopen(SHIPPED_CONF, "r"));
	text = xmalloc(1);
	text[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		text = xreallocarray(text, len + strlen(line) + 1, 1);
		memcpy(text + len, line, strlen(line) + 1);
		len += strlen(line);
	}
	fclose(f);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		want = xasprintf("\n#%s = ", keys[i]);
		ASSERT_CONTAINS(text, want);
		free(want);
	}
	for (int b = 0; b < BENCH_COUNT; b++) {
		for (size_t i = 0; i < 3; i++) {
			want = xasprintf("\n#limits.%s.%s = ",
			    bench_get((enum bench_id)b)->name, fields[i]);
			ASSERT_CONTAINS(text, want);
			free(want);
		}
	}
	ASSERT_CONTAINS(text, "verdictd -n -f FILE");

	/*
	 * The "#key = value" lines of keys with one fixed default,
	 * uncommented, must still give the defaults: the file documents
	 * them right.
	 */
	{
		char	*out = xmalloc(len + 1), *p = text, *o = out, *nl;
		size_t	 n = 0;

		while (*p != '\0') {
			nl = strchr(p, '\n');
			nl = nl != NULL ? nl + 1 : p + strlen(p);
			if (p[0] == '#' && p[1] >= 'a' && p[1] <= 'z' &&
			    strstr(p, " = ") != NULL &&
			    strstr(p, " = ") < nl &&
			    !example_only(p + 1, (size_t)(strstr(p, " = ") -
			    p - 1))) {
				p++;
				n++;
			}
			memcpy(o, p, (size_t)(nl - p));
			o += nl - p;
			p = nl;
		}
		*o = '\0';
		ASSERT_EQ(n, 13);	/* the 20 keys, less example_only */
		test_tmp_dir(dir, sizeof(dir));
		load_ok(dir, out, &cfg);
		free(cfg.path);
		cfg.path = NULL;
		assert_defaults(&cfg);
		config_free(&cfg);
		free(out);
		test_tmp_rm(dir);
	}
	free(text);
	return TEST_PASS;
}

TEST(config_database)
{
	static const char *const good[] = {
		"postgresql://verdict@/verdict?host=/tmp/pg",
		"postgresql://verdict:s%40cret@db.example:5432/verdict"
		    "?sslmode=require&connect_timeout=5",
		"postgresql:///verdict",
		"postgresql://",
		"postgresql://h1:5432,h2:5433/verdict?target_session_attrs=any",
		"postgresql://[::1]:5432/verdict",
		"postgres://verdict@db.example/verdict",
	};
	static const struct {
		const char	*value;
		const char	*reason;	/* after "FILE:1: database: " */
	} bad[] = {
		{ "mysql://u:SECRET@h/db", "not a postgresql:// URI (SQLite, "
		    "in state_dir, is the default: no database line)" },
		{ "postgre://u:SECRET@h/db", "not a postgresql:// URI" },
		{ "/var/lib/verdict/SECRET.db", "not a postgresql:// URI" },
		{ "host=h password=SECRET", "not a postgresql:// URI" },
		{ "POSTGRESQL://u:SECRET@h/db", "not a postgresql:// URI" },
		{ "postgresql://u:SECRET@h/db?SECRET=1", "libpq cannot read "
		    "the URI: invalid URI query parameter" },
		{ "postgresql://u:SECRET@h/db?password=SECRET%zz",
		    "libpq cannot read the URI: invalid percent-encoded "
		    "token" },
		{ "postgresql://u:SECRET@[::1/db", "libpq cannot read the "
		    "URI: end of string reached when looking for matching" },
		{ "postgresql://u:SECRET@h/db?sslmode=SECRET=x", "libpq "
		    "cannot read the URI: extra key/value separator" },
	};
	struct config	 cfg;
	char		 dir[64], err[512], *text, *want, *path;

	test_tmp_dir(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		text = xasprintf("database = %s\n", good[i]);
		if (load_text(dir, text, &cfg, err, sizeof(err), NULL) != 0)
			TEST_FAIL_AT("%s: %s", good[i], err);
		ASSERT_STR_EQ(cfg.database, good[i]);
		config_free(&cfg);
		free(text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		text = xasprintf("database = %s\n", bad[i].value);
		ASSERT_ERR(load_text(dir, text, &cfg, err, sizeof(err),
		    &path), -EINVAL);
		want = xasprintf("%s:1: database: %s", path, bad[i].reason);
		if (strncmp(err, want, strlen(want)) != 0)
			TEST_FAIL_AT("case %zu: \"%s\" does not start with "
			    "\"%s\"", i, err, want);
		if (strstr(err, "SECRET") != NULL)
			TEST_FAIL_AT("case %zu: \"%s\" quotes the value", i,
			    err);
		assert_defaults(&cfg);
		config_free(&cfg);
		free(want);
		free(path);
		free(text);
	}
	test_tmp_rm(dir);
	return TEST_PASS;
}

TEST(config_database_redact)
{
	static const struct {
		const char	*uri;
		const char	*shown;
	} cases[] = {
		{ "postgresql://verdict@/verdict?host=/tmp/pg",
		    "postgresql://verdict@/verdict?host=/tmp/pg" },
		{ "postgresql://verdict:SECRET@db.example:5433/verdict",
		    "postgresql://verdict:***@/verdict?host=db.example&"
		    "port=5433" },
		/* Percent-encoded, and with characters libpq stops at. */
		{ "postgresql://verdict:S%40CR%3AET%2F@h/v",
		    "postgresql://verdict:***@/v?host=h" },
		/* An empty password is none to libpq. */
		{ "postgresql://verdict:@h/v", "postgresql://verdict@/v"
		    "?host=h" },
		{ "postgresql:///v?user=verdict&password=SECRET&host=h",
		    "postgresql://verdict:***@/v?host=h" },
		{ "postgresql://h/v?pass%77ord=SECRET",
		    "postgresql://:***@/v?host=h" },
		{ "postgresql://u@h/v?sslpassword=SECRET&sslmode=require",
		    "postgresql://u@/v?host=h&sslmode=require&"
		    "sslpassword=***" },
		{ "postgresql://", "postgresql:///" },
		{ "postgres://u:SECRET@h/v", "postgresql://u:***@/v?host=h" },
		{ "postgresql://h1:5432,h2:5433/v?application_name=a%20b",
		    "postgresql:///v?host=h1,h2&port=5432,5433&"
		    "application_name=a%20b" },
		{ "postgresql://u%2Fx@/d%3Fb?host=%2Fr%20un",
		    "postgresql://u%2Fx@/d%3Fb?host=/r%20un" },
		/* libpq cannot read it: nothing of it is copied. */
		{ "postgresql://u:SECRET@h/v?nope=1",
		    "postgresql://(unreadable)" },
	};
	char	*shown;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		shown = config_database_redact(cases[i].uri);
		if (strcmp(shown, cases[i].shown) != 0)
			TEST_FAIL_AT("%s: \"%s\", not \"%s\"", cases[i].uri,
			    shown, cases[i].shown);
		ASSERT(strstr(shown, "SECRET") == NULL);
		free(shown);
	}
	return TEST_PASS;
}
