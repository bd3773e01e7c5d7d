/*
 * config.c - verdictd's configuration file and its checks.  See
 * config.h.
 *
 * The file is read line by line into a fixed buffer of CONFIG_MAX_LINE
 * bytes; a longer line, a NUL byte or another control character (tab
 * aside) ends the load with "FILE:LINE: reason".  Each line is
 * "key = value" with blanks (spaces, tabs) trimmed around both; there
 * are no inline comments, so a "#" inside a value is part of it (a
 * token may hold one).  Keys are looked up in config_keys[] (one row
 * per key: its type, field, bounds, default, and whether it repeats and
 * reloads), plus the limits.BENCH.FIELD family (config_limit_keys[] for
 * each benchmark of daemon/bench.h); config_parse remembers the line
 * that first set each key, which rejects a repeated single-valued key.
 *
 * Numbers are decimal digits only (no sign, blank or base prefix),
 * read with strtoull() and checked for overflow, then for the key's
 * range.  A size is a number with an optional k, m or g (powers of
 * 1024; a bare number is bytes); a time a number with an optional ms
 * or s (a bare number is seconds).  Fields kept in MiB or in seconds
 * take only values that are whole MiB or whole seconds: nothing is
 * rounded behind the user's back.
 *
 * Sections: keys, helpers, values, lines, the public functions.
 */
#include <sys/types.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/bench.h"
#include "daemon/config.h"
#include "sandbox/broker.h"
#include "sandbox/privdrop.h"

#define CONFIG_MAX_LINE		4096	/* bytes of a line, newline aside */
#define CONFIG_MIN_TOKEN	16	/* characters of a bearer token */
/* The slots of one broker's uid range (sandbox/broker.h). */
#define CONFIG_MAX_WORKERS	BROKER_MAX_SLOTS
#define CONFIG_MAX_HTTP_THREADS	64
#define CONFIG_MIB		(1024ull * 1024)

#define CONFIG_DEFAULT_HOST	"127.0.0.1"
#define CONFIG_DEFAULT_PORT	"8417"
#define CONFIG_DEFAULT_STATE	"/var/lib/verdict"
/* The URI schemes of "database" (libpq's; store_open() opens them). */
#define CONFIG_DATABASE_SCHEME	"postgresql://"
#define CONFIG_DATABASE_SHORT	"postgres://"
#define CONFIG_SECRET		"***"	/* a password, in messages */
#define CONFIG_MAX_NODE_ID	128	/* bytes of a node_id */
#define CONFIG_NODE_FALLBACK	"localhost"	/* no usable host name */

#define CONFIG_ESC_LEN		64	/* bytes of a value quoted in errors */
#define CONFIG_WHY_LEN		512	/* bytes of a reason before FILE:LINE */

/* --- Keys --- */

/* How a key's value is read and where it goes (struct config_key). */
enum config_type {
	CONFIG_LISTEN,		/* ADDR:PORT: listen_host, listen_port */
	CONFIG_STR,		/* a string, replaced */
	CONFIG_STRS,		/* strings, one more each time */
	CONFIG_UINT,		/* an unsigned integer */
	CONFIG_SIZE,		/* a size: an integer in units of "unit" bytes */
	CONFIG_TIME,		/* a time: an integer in units of "unit" ms */
	CONFIG_LEVEL,		/* warn, info or debug */
};

/*
 * One key: everything about it is in its row, and setting, defaults,
 * the reload check and freeing are loops over the rows.  "off" is the
 * field's offset in struct config (in struct config_limits for the
 * limits.BENCH.FIELD rows), "width" its size for the integer types,
 * "noff" the offset of the count (CONFIG_STRS) or of the port
 * (CONFIG_LISTEN).  The default is "dflt" as it would be written in the
 * file, or none (NULL; the integers then start at 0).
 */
struct config_key {
	const char	*name;
	enum config_type type;
	size_t		 off;
	size_t		 noff;
	size_t		 width;
	unsigned long long unit;	/* CONFIG_SIZE: 1 or CONFIG_MIB bytes;
					   CONFIG_TIME: 1 or 1000 ms */
	unsigned long long min, max;
	const char	*dflt;
	bool		 repeatable;
	bool		 reloadable;
	int		(*check)(const char *, char *, size_t);
};

#define CONFIG_F(f)	offsetof(struct config, f)
#define CONFIG_W(f)	sizeof(((struct config *)0)->f)
#define CONFIG_LF(f)	offsetof(struct config_limits, f)
#define CONFIG_LW(f)	sizeof(((struct config_limits *)0)->f)

static int	 config_check_token(const char *, char *, size_t);
static int	 config_check_database(const char *, char *, size_t);
static int	 config_check_node_id(const char *, char *, size_t);

/* The plain keys, in the order of config.h. */
static const struct config_key config_keys[] = {
	{ "listen", CONFIG_LISTEN, CONFIG_F(listen_host),
	  CONFIG_F(listen_port), 0, 0, 0, 0,
	  CONFIG_DEFAULT_HOST ":" CONFIG_DEFAULT_PORT, false, false, NULL },
	{ "state_dir", CONFIG_STR, CONFIG_F(state_dir), 0, 0, 0, 0, 0,
	  CONFIG_DEFAULT_STATE, false, false, NULL },
	/* Default: none, the SQLite file in state_dir. */
	{ "database", CONFIG_STR, CONFIG_F(database), 0, 0, 0, 0, 0, NULL,
	  false, false, config_check_database },
	/* Default: the host name (config_defaults()). */
	{ "node_id", CONFIG_STR, CONFIG_F(node_id), 0, 0, 0, 0, 0, NULL,
	  false, false, config_check_node_id },
	{ "lease", CONFIG_TIME, CONFIG_F(lease_ms), 0, CONFIG_W(lease_ms), 1,
	  3000, 3600000, "30s", false, false, NULL },
	/* Default: the CPUs (config_defaults()). */
	{ "workers", CONFIG_UINT, CONFIG_F(workers), 0, CONFIG_W(workers),
	  1, 1, CONFIG_MAX_WORKERS, NULL, false, false, NULL },
	{ "http_threads", CONFIG_UINT, CONFIG_F(http_threads), 0,
	  CONFIG_W(http_threads), 1, 1, CONFIG_MAX_HTTP_THREADS, "2", false,
	  false, NULL },
	{ "queue_limit", CONFIG_UINT, CONFIG_F(queue_limit), 0,
	  CONFIG_W(queue_limit), 1, 1, SIZE_MAX, "1000000", false, true,
	  NULL },
	{ "max_body", CONFIG_SIZE, CONFIG_F(max_body), 0, CONFIG_W(max_body),
	  1, 1, SIZE_MAX, "16m", false, false, NULL },
	/* At most BENCH_MAX_PROGRAM, what a job frame may hold. */
	{ "max_program", CONFIG_SIZE, CONFIG_F(max_program), 0,
	  CONFIG_W(max_program), 1, 1, BENCH_MAX_PROGRAM, "1m", false, false,
	  NULL },
	{ "max_connections", CONFIG_UINT, CONFIG_F(max_connections), 0,
	  CONFIG_W(max_connections), 1, 1, UINT_MAX, "1024", false, false,
	  NULL },
	/* 0 would mean "never" to libmicrohttpd: not offered. */
	{ "connection_timeout", CONFIG_TIME, CONFIG_F(connection_timeout_s),
	  0, CONFIG_W(connection_timeout_s), 1000, 1, UINT_MAX, "30s", false,
	  false, NULL },
	{ "token", CONFIG_STRS, CONFIG_F(tokens), CONFIG_F(ntokens), 0, 0,
	  0, 0, NULL, true, true, config_check_token },
	{ "log_level", CONFIG_LEVEL, CONFIG_F(log_level), 0, 0, 0, 0, 0,
	  "info", false, true, NULL },
	{ "problems", CONFIG_STRS, CONFIG_F(problems), CONFIG_F(nproblems),
	  0, 0, 0, 0, NULL, true, false, NULL },
	{ "jail", CONFIG_STR, CONFIG_F(jail_path), 0, 0, 0, 0, 0, NULL,
	  false, false, NULL },
	{ "models", CONFIG_STR, CONFIG_F(models_path), 0, 0, 0, 0, 0, NULL,
	  false, true, NULL },
	/* Host uid 0 is root: never a jail's.  The broker takes its range
	 * above uid_base (sandbox/broker.h), which has its default. */
	{ "uid_base", CONFIG_UINT, CONFIG_F(uid_base), 0, CONFIG_W(uid_base),
	  1, 1, BROKER_UID_BASE_MAX, NULL, false, false, NULL },
	/* Default: BROKER_SCRATCH_MB (config_defaults()). */
	{ "scratch", CONFIG_SIZE, CONFIG_F(scratch_mb), 0,
	  CONFIG_W(scratch_mb), CONFIG_MIB, 1, UINT_MAX, NULL, false, false,
	  NULL },
	{ "user", CONFIG_STR, CONFIG_F(user), 0, 0, 0, 0, 0, PRIVDROP_USER,
	  false, false, NULL },
};
#define CONFIG_NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

/* The FIELD of limits.BENCH.FIELD (0: the benchmark's default). */
static const struct config_key config_limit_keys[] = {
	{ "wall", CONFIG_TIME, CONFIG_LF(wall_ms), 0, CONFIG_LW(wall_ms), 1,
	  0, UINT32_MAX, NULL, false, true, NULL },
	{ "test", CONFIG_TIME, CONFIG_LF(test_ms), 0, CONFIG_LW(test_ms), 1,
	  0, UINT32_MAX, NULL, false, true, NULL },
	{ "memory", CONFIG_SIZE, CONFIG_LF(mem_mb), 0, CONFIG_LW(mem_mb),
	  CONFIG_MIB, 0, UINT32_MAX, NULL, false, true, NULL },
};
#define CONFIG_NFIELDS	(sizeof(config_limit_keys) / \
	    sizeof(config_limit_keys[0]))

#define CONFIG_LIMITS_PREFIX	"limits."

/*
 * A key's slot: a plain key is its index in config_keys;
 * limits.BENCH.FIELD follows them, CONFIG_NFIELDS slots per benchmark.
 */
#define CONFIG_NSLOTS	(CONFIG_NKEYS + BENCH_COUNT * CONFIG_NFIELDS)

/* The state of one config_load(). */
struct config_parse {
	unsigned long	 line;			/* 1-based, of the last read */
	unsigned long	 seen[CONFIG_NSLOTS];	/* line that set it, or 0 */
};

/* --- Helpers --- */

/* "s" escaped and cut for an error message; returns buf. */
static const char *
config_esc(char *buf, size_t len, const char *s)
{
	return log_escape(buf, len, s, strlen(s));
}

static bool
config_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Cut the blanks off both ends of "s" in place; returns the start. */
static char *
config_trim(char *s)
{
	size_t	 len;

	while (config_blank(*s))
		s++;
	len = strlen(s);
	while (len > 0 && config_blank(s[len - 1]))
		len--;
	s[len] = '\0';
	return s;
}

/* Whether two strings, either maybe NULL, are equal. */
static bool
config_str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Whether two string arrays hold the same strings in the same order. */
static bool
config_strv_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return false;
	}
	return true;
}

/* Append a new copy of "s" to the array *vp of *np strings. */
static void
config_strv_add(char ***vp, size_t *np, const char *s)
{
	*vp = xreallocarray(*vp, *np + 1, sizeof(**vp));
	(*vp)[(*np)++] = xstrdup(s);
}

/* --- Values --- */

/*
 * Read the decimal digits at the start of "s" into *np and point *endp
 * past them.  Returns 0, -EINVAL when "s" does not start with a digit
 * (strtoull() alone would take blanks, a sign or "0x"), or -ERANGE when
 * the number does not fit.
 */
static int
config_digits(const char *s, const char **endp, unsigned long long *np)
{
	char	*end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*np = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	*endp = end;
	return 0;
}

/* A plain number in min..max into *np.  Returns 0 or -EINVAL. */
static int
config_number(const char *v, unsigned long long min, unsigned long long max,
    unsigned long long *np, char *why, size_t whylen)
{
	char		 esc[CONFIG_ESC_LEN];
	const char	*end = NULL;
	int		 r;

	r = config_digits(v, &end, np);
	if (r == -EINVAL || (r == 0 && *end != '\0')) {
		log_errbuf(why, whylen, "\"%s\" is not a decimal number",
		    config_esc(esc, sizeof(esc), v));
		return -EINVAL;
	}
	if (r == -ERANGE || *np < min || *np > max) {
		log_errbuf(why, whylen, "%s is out of range %llu..%llu",
		    config_esc(esc, sizeof(esc), v), min, max);
		return -EINVAL;
	}
	return 0;
}

/*
 * A size (a number, then nothing for bytes or k, m or g) into *np in
 * units of "unit" bytes, 1 or CONFIG_MIB, where it must be whole and in
 * min..max.  Returns 0 or -EINVAL.
 */
static int
config_size(const char *v, unsigned long long unit, unsigned long long min,
    unsigned long long max, unsigned long long *np, char *why,
    size_t whylen)
{
	char		 esc[CONFIG_ESC_LEN];
	const char	*end = NULL;
	const char	*uname = unit == 1 ? "" : "m";
	unsigned long long n, mult;
	int		 r;

	r = config_digits(v, &end, &n);
	if (r == -EINVAL) {
		log_errbuf(why, whylen, "\"%s\" is not a size (a number, "
		    "then k, m or g)", config_esc(esc, sizeof(esc), v));
		return -EINVAL;
	}
	if (r == 0) {
		if (strcmp(end, "") == 0)
			mult = 1;
		else if (strcmp(end, "k") == 0 || strcmp(end, "K") == 0)
			mult = 1024;
		else if (strcmp(end, "m") == 0 || strcmp(end, "M") == 0)
			mult = CONFIG_MIB;
		else if (strcmp(end, "g") == 0 || strcmp(end, "G") == 0)
			mult = 1024 * CONFIG_MIB;
		else {
			log_errbuf(why, whylen, "bad size suffix \"%s\" "
			    "(k, m or g)", config_esc(esc, sizeof(esc), end));
			return -EINVAL;
		}
		if (n > ULLONG_MAX / mult)
			r = -ERANGE;
		else
			n *= mult;
	}
	if (r == 0 && n % unit != 0) {
		log_errbuf(why, whylen, "%s is not a whole number of "
		    "megabytes", config_esc(esc, sizeof(esc), v));
		return -EINVAL;
	}
	if (r == -ERANGE || n / unit < min || n / unit > max) {
		log_errbuf(why, whylen, "%s is out of range %llu%s..%llu%s",
		    config_esc(esc, sizeof(esc), v), min, uname, max, uname);
		return -EINVAL;
	}
	*np = n / unit;
	return 0;
}

/*
 * A time (a number, then ms, s, or nothing for seconds) into *np in
 * units of "unit_ms" milliseconds, 1 or 1000, where it must be whole
 * and in min..max.  Returns 0 or -EINVAL.
 */
static int
config_time(const char *v, unsigned long long unit_ms,
    unsigned long long min, unsigned long long max, unsigned long long *np,
    char *why, size_t whylen)
{
	char		 esc[CONFIG_ESC_LEN];
	const char	*end = NULL;
	const char	*uname = unit_ms == 1 ? "ms" : "s";
	unsigned long long n, mult;
	int		 r;

	r = config_digits(v, &end, &n);
	if (r == -EINVAL) {
		log_errbuf(why, whylen, "\"%s\" is not a time (a number, "
		    "then ms or s)", config_esc(esc, sizeof(esc), v));
		return -EINVAL;
	}
	if (r == 0) {
		if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
			mult = 1000;
		else if (strcmp(end, "ms") == 0)
			mult = 1;
		else {
			log_errbuf(why, whylen, "bad time unit \"%s\" "
			    "(ms or s)", config_esc(esc, sizeof(esc), end));
			return -EINVAL;
		}
		if (n > ULLONG_MAX / mult)
			r = -ERANGE;
		else
			n *= mult;
	}
	if (r == 0 && n % unit_ms != 0) {
		log_errbuf(why, whylen, "%s is not a whole number of seconds",
		    config_esc(esc, sizeof(esc), v));
		return -EINVAL;
	}
	if (r == -ERANGE || n / unit_ms < min || n / unit_ms > max) {
		log_errbuf(why, whylen, "%s is out of range %llu%s..%llu%s",
		    config_esc(esc, sizeof(esc), v), min, uname, max, uname);
		return -EINVAL;
	}
	*np = n / unit_ms;
	return 0;
}

/*
 * Check a bearer token.  The token itself never goes into the message:
 * it is a secret, and the message may be logged.
 */
static int
config_check_token(const char *v, char *why, size_t whylen)
{
	size_t	 len = strlen(v);

	for (size_t i = 0; i < len; i++) {
		if (v[i] == ' ' || v[i] == '\t') {
			log_errbuf(why, whylen, "character %zu is a blank; a "
			    "token is printable ASCII without spaces", i + 1);
			return -EINVAL;
		}
		if (v[i] < '!' || v[i] > '~') {
			log_errbuf(why, whylen, "character %zu is not "
			    "printable ASCII", i + 1);
			return -EINVAL;
		}
	}
	if (len < CONFIG_MIN_TOKEN) {
		log_errbuf(why, whylen, "too short: %zu characters, at least "
		    "%d", len, CONFIG_MIN_TOKEN);
		return -EINVAL;
	}
	return 0;
}

/*
 * Check a database URI: postgresql:// or postgres://, and one libpq can
 * read.  Neither
 * the value nor what libpq quotes of it goes into the message (either
 * may hold the password): libpq's message is cut at its first quote.
 */
static int
config_check_database(const char *v, char *why, size_t whylen)
{
	PQconninfoOption *opts;
	char		*msg = NULL;
	size_t		 len;

	if (strncmp(v, CONFIG_DATABASE_SCHEME,
	    strlen(CONFIG_DATABASE_SCHEME)) != 0 &&
	    strncmp(v, CONFIG_DATABASE_SHORT,
	    strlen(CONFIG_DATABASE_SHORT)) != 0) {
		log_errbuf(why, whylen, "not a %s URI (SQLite, in state_dir, "
		    "is the default: no database line)",
		    CONFIG_DATABASE_SCHEME);
		return -EINVAL;
	}
	if ((opts = PQconninfoParse(v, &msg)) != NULL) {
		PQconninfoFree(opts);
		return 0;
	}
	if (msg == NULL)
		fatalx("config: libpq: out of memory");
	len = strcspn(msg, "\"\n");
	while (len > 0 && (msg[len - 1] == ' ' || msg[len - 1] == ':'))
		len--;
	log_errbuf(why, whylen, "libpq cannot read the URI%s%.*s",
	    len > 0 ? ": " : "", (int)len, msg);
	PQfreemem(msg);
	return -EINVAL;
}

/*
 * Check a node id: 1..CONFIG_MAX_NODE_ID bytes of printable ASCII
 * (blanks inside are allowed, quotes and backslashes too: /metrics
 * escapes them).  ASCII keeps it valid UTF-8 in JSON and in a label.
 */
static int
config_check_node_id(const char *v, char *why, size_t whylen)
{
	size_t	 len = strlen(v);

	for (size_t i = 0; i < len; i++) {
		if (v[i] < ' ' || v[i] > '~') {
			log_errbuf(why, whylen, "character %zu is not "
			    "printable ASCII", i + 1);
			return -EINVAL;
		}
	}
	if (len == 0 || len > CONFIG_MAX_NODE_ID) {
		log_errbuf(why, whylen, "%zu bytes; a node id has 1..%d",
		    len, CONFIG_MAX_NODE_ID);
		return -EINVAL;
	}
	return 0;
}

static int
config_log_level(const char *v, enum log_level *lp, char *why,
    size_t whylen)
{
	char	 esc[CONFIG_ESC_LEN];

	if (strcmp(v, "warn") == 0)
		*lp = LOG_LEVEL_WARN;
	else if (strcmp(v, "info") == 0)
		*lp = LOG_LEVEL_INFO;
	else if (strcmp(v, "debug") == 0)
		*lp = LOG_LEVEL_DEBUG;
	else {
		log_errbuf(why, whylen, "\"%s\" is not warn, info or debug",
		    config_esc(esc, sizeof(esc), v));
		return -EINVAL;
	}
	return 0;
}

/*
 * Whether "host" is a host name: dot-separated labels of letters,
 * digits and hyphens, 1..63 bytes each and not starting or ending with
 * a hyphen, 253 bytes at most in all.  Names are resolved when the
 * daemon binds, not here.
 */
static bool
config_host_name_ok(const char *host)
{
	size_t	 label = 0, len = strlen(host);

	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		char	 c = host[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || host[i - 1] == '-')
				return false;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c == '-' && label > 0))
			label++;
		else
			return false;
	}
	return true;
}

/*
 * Split "addr" into a new host string in *hostp and a port.  Returns 0
 * or -EINVAL with a reason in why.
 */
static int
config_parse_listen(const char *addr, char **hostp, uint16_t *portp,
    char *why, size_t whylen)
{
	char		 esc[CONFIG_ESC_LEN];
	char		*host = NULL;
	const char	*colon, *port;
	unsigned long long n;
	struct in6_addr	 a6;
	struct in_addr	 a4;
	int		 r = -EINVAL;

	config_esc(esc, sizeof(esc), addr);
	if (addr[0] == '[') {
		colon = strchr(addr, ']');
		if (colon == NULL || colon[1] != ':') {
			log_errbuf(why, whylen, "\"%s\": expected [IPV6]:PORT",
			    esc);
			goto out;
		}
		host = xstrndup(addr + 1, (size_t)(colon - addr - 1));
		colon++;
		if (inet_pton(AF_INET6, host, &a6) != 1) {
			log_errbuf(why, whylen, "\"%s\": bad IPv6 address",
			    esc);
			goto out;
		}
	} else {
		colon = strrchr(addr, ':');
		if (colon == NULL) {
			log_errbuf(why, whylen, "\"%s\": missing \":PORT\"",
			    esc);
			goto out;
		}
		host = xstrndup(addr, (size_t)(colon - addr));
		if (strchr(host, ':') != NULL) {
			log_errbuf(why, whylen, "\"%s\": an IPv6 address "
			    "goes in brackets, [IPV6]:PORT", esc);
			goto out;
		}
		if (*host == '\0') {
			log_errbuf(why, whylen, "\"%s\": missing host (0.0.0.0 "
			    "or [::] listens on every address)", esc);
			goto out;
		}
		/* All digits and dots: meant as IPv4, so it must be one. */
		if (strspn(host, "0123456789.") == strlen(host)) {
			if (inet_pton(AF_INET, host, &a4) != 1) {
				log_errbuf(why, whylen, "\"%s\": bad IPv4 "
				    "address", esc);
				goto out;
			}
		} else if (!config_host_name_ok(host)) {
			log_errbuf(why, whylen, "\"%s\": bad host name", esc);
			goto out;
		}
	}
	port = colon + 1;
	if (config_number(port, 0, UINT16_MAX, &n, NULL, 0) != 0) {
		log_errbuf(why, whylen, "\"%s\": the port must be 0..65535",
		    esc);
		goto out;
	}
	*hostp = host;
	host = NULL;
	*portp = (uint16_t)n;
	r = 0;
 out:
	free(host);
	return r;
}

/* Store "n" in the unsigned integer field of "width" bytes at "p". */
static void
config_store(void *p, size_t width, unsigned long long n)
{
	uint8_t		 u8 = (uint8_t)n;
	uint16_t	 u16 = (uint16_t)n;
	uint32_t	 u32 = (uint32_t)n;
	uint64_t	 u64 = (uint64_t)n;

	switch (width) {
	case 1:
		memcpy(p, &u8, 1);
		break;
	case 2:
		memcpy(p, &u16, 2);
		break;
	case 4:
		memcpy(p, &u32, 4);
		break;
	case 8:
		memcpy(p, &u64, 8);
		break;
	default:
		abort();
	}
}

/* The unsigned integer field of "width" bytes at "p". */
static unsigned long long
config_fetch(const void *p, size_t width)
{
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;

	switch (width) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	case 8:
		memcpy(&u64, p, 8);
		return u64;
	default:
		abort();
	}
}

/*
 * Apply value "v" of key "k" to the struct at "base" (struct config, or
 * a struct config_limits for the limits rows).  Returns 0 or -EINVAL
 * with the reason in why.
 */
static int
config_set(const struct config_key *k, void *base, const char *v, char *why,
    size_t whylen)
{
	char		*field = (char *)base + k->off;
	char		**sp = (char **)(void *)field;
	unsigned long long n = 0;
	int		 r = 0;

	if (k->check != NULL && (r = k->check(v, why, whylen)) != 0)
		return r;
	switch (k->type) {
	case CONFIG_LISTEN:
		return config_set_listen(base, v, why, whylen);
	case CONFIG_STR:
		free(*sp);
		*sp = xstrdup(v);
		return 0;
	case CONFIG_STRS:
		config_strv_add((char ***)(void *)field,
		    (size_t *)(void *)((char *)base + k->noff), v);
		return 0;
	case CONFIG_UINT:
		r = config_number(v, k->min, k->max, &n, why, whylen);
		break;
	case CONFIG_SIZE:
		r = config_size(v, k->unit, k->min, k->max, &n, why, whylen);
		break;
	case CONFIG_TIME:
		r = config_time(v, k->unit, k->min, k->max, &n, why, whylen);
		break;
	case CONFIG_LEVEL:
		return config_log_level(v, (enum log_level *)(void *)field,
		    why, whylen);
	}
	if (r == 0)
		config_store(field, k->width, n);
	return r;
}

/* Whether key "k" holds the same value in "a" and "b". */
static bool
config_same(const struct config_key *k, const struct config *a,
    const struct config *b)
{
	const char	*fa = (const char *)a + k->off;
	const char	*fb = (const char *)b + k->off;

	switch (k->type) {
	case CONFIG_LISTEN:
		return config_str_eq(a->listen_host, b->listen_host) &&
		    a->listen_port == b->listen_port;
	case CONFIG_STR:
		return config_str_eq(*(char *const *)(const void *)fa,
		    *(char *const *)(const void *)fb);
	case CONFIG_STRS:
		return config_strv_eq(*(char **const *)(const void *)fa,
		    *(const size_t *)(const void *)((const char *)a + k->noff),
		    *(char **const *)(const void *)fb,
		    *(const size_t *)(const void *)((const char *)b + k->noff));
	case CONFIG_UINT:
	case CONFIG_SIZE:
	case CONFIG_TIME:
		return config_fetch(fa, k->width) == config_fetch(fb,
		    k->width);
	case CONFIG_LEVEL:
		return a->log_level == b->log_level;
	}
	return false;
}

/* --- Lines --- */

/*
 * Read one line of "f" without its newline into buf (CONFIG_MAX_LINE +
 * 1 bytes), NUL-terminated, its length in *lenp (it may hold NUL bytes
 * of its own).  Returns 1 for a line, 0 at the end of the file, -E2BIG
 * for a line longer than CONFIG_MAX_LINE, or a negative errno for a read
 * error.
 */
static int
config_read_line(FILE *f, char *buf, size_t *lenp)
{
	size_t	 len = 0;
	int	 c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (len == CONFIG_MAX_LINE)
			return -E2BIG;
		buf[len++] = (char)c;
	}
	if (c == EOF) {
		if (ferror(f))
			return errno != 0 ? -errno : -EIO;
		if (len == 0)
			return 0;
	}
	buf[len] = '\0';
	*lenp = len;
	return 1;
}

/*
 * The slot of "key", or -EINVAL with "unknown key" or, for a
 * limits.BENCH.FIELD key whose BENCH is unknown, "unknown benchmark" in
 * why.
 */
static int
config_find_key(const char *key, char *why, size_t whylen)
{
	char		 esc[CONFIG_ESC_LEN];
	const char	*bench, *dot;
	enum bench_id	 b;

	for (size_t i = 0; i < CONFIG_NKEYS; i++) {
		if (strcmp(key, config_keys[i].name) == 0)
			return (int)i;
	}
	if (strncmp(key, CONFIG_LIMITS_PREFIX,
	    strlen(CONFIG_LIMITS_PREFIX)) != 0)
		goto unknown;
	bench = key + strlen(CONFIG_LIMITS_PREFIX);
	if ((dot = strchr(bench, '.')) == NULL)
		goto unknown;
	for (size_t f = 0; f < CONFIG_NFIELDS; f++) {
		if (strcmp(dot + 1, config_limit_keys[f].name) != 0)
			continue;
		if (bench_find(bench, (size_t)(dot - bench), &b) == 0)
			return (int)(CONFIG_NKEYS + b * CONFIG_NFIELDS + f);
		log_errbuf(why, whylen, "%s: unknown benchmark (one of %s)",
		    config_esc(esc, sizeof(esc), key), bench_names());
		return -EINVAL;
	}
 unknown:
	log_errbuf(why, whylen, "unknown key \"%s\"",
	    config_esc(esc, sizeof(esc), key));
	return -EINVAL;
}

/*
 * Apply one line ("len" bytes in "line", which is changed) to *cfg.
 * Returns 0 (blank lines and comments included) or -EINVAL with the
 * reason in why.
 */
static int
config_line(struct config *cfg, struct config_parse *ps, char *line,
    size_t len, char *why, size_t whylen)
{
	const struct config_key *k;
	char	 reason[CONFIG_WHY_LEN];
	char	*s, *eq, *key, *val;
	void	*base;
	int	 slot, r;

	for (size_t i = 0; i < len; i++) {
		unsigned char	 c = (unsigned char)line[i];

		if (c == '\0') {
			log_errbuf(why, whylen, "NUL byte in line");
			return -EINVAL;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			log_errbuf(why, whylen, "control character 0x%02x in "
			    "line", c);
			return -EINVAL;
		}
	}
	s = config_trim(line);
	if (*s == '\0' || *s == '#')
		return 0;
	if ((eq = strchr(s, '=')) == NULL) {
		log_errbuf(why, whylen, "missing \"=\" (key = value)");
		return -EINVAL;
	}
	*eq = '\0';
	key = config_trim(s);
	val = config_trim(eq + 1);
	if (*key == '\0') {
		log_errbuf(why, whylen, "missing key before \"=\"");
		return -EINVAL;
	}
	if ((slot = config_find_key(key, why, whylen)) < 0)
		return slot;
	if ((size_t)slot < CONFIG_NKEYS) {
		k = &config_keys[slot];
		base = cfg;
	} else {
		k = &config_limit_keys[(slot - CONFIG_NKEYS) % CONFIG_NFIELDS];
		base = &cfg->limits[(slot - CONFIG_NKEYS) / CONFIG_NFIELDS];
	}
	if (*val == '\0') {
		log_errbuf(why, whylen, "%s: empty value", key);
		return -EINVAL;
	}
	if (ps->seen[slot] != 0) {
		if (!k->repeatable) {
			log_errbuf(why, whylen, "%s: repeated (first set on "
			    "line %lu)", key, ps->seen[slot]);
			return -EINVAL;
		}
	} else
		ps->seen[slot] = ps->line;

	r = config_set(k, base, val, reason, sizeof(reason));
	if (r != 0)
		log_errbuf(why, whylen, "%s: %s", key, reason);
	return r;
}

/* --- The database URI --- */

/* A string being built by config_cat(). */
struct config_str {
	char		*s;
	size_t		 len, cap;
};

/* Append "n" bytes of "p" to *sb, keeping it NUL-terminated. */
static void
config_cat(struct config_str *sb, const char *p, size_t n)
{
	if (sb->len + n + 1 > sb->cap) {
		sb->cap = (sb->len + n + 1) * 2;
		sb->s = xreallocarray(sb->s, sb->cap, 1);
	}
	memcpy(sb->s + sb->len, p, n);
	sb->len += n;
	sb->s[sb->len] = '\0';
}

/*
 * Append "v" percent-encoded: RFC 3986's unreserved characters as they
 * are, and those of "keep"; every other byte as %XX.
 */
static void
config_cat_enc(struct config_str *sb, const char *v, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	char		 e[3];

	for (const unsigned char *p = (const unsigned char *)v; *p != '\0';
	    p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL ||
		    strchr(keep, *p) != NULL) {
			config_cat(sb, (const char *)p, 1);
			continue;
		}
		e[0] = '%';
		e[1] = hex[*p >> 4];
		e[2] = hex[*p & 0xf];
		config_cat(sb, e, 3);
	}
}

/* The value of option "key" in libpq's array "opts", or NULL. */
static const char *
config_conninfo_get(const PQconninfoOption *opts, const char *key)
{
	for (const PQconninfoOption *o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, key) == 0)
			return o->val;
	}
	return NULL;
}

/* --- The public functions --- */

void
config_defaults(struct config *cfg)
{
	long	 ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char	 why[CONFIG_WHY_LEN];
	char	 host[HOST_NAME_MAX + 1];

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < CONFIG_NKEYS; i++)
		if (config_keys[i].dflt != NULL &&
		    config_set(&config_keys[i], cfg, config_keys[i].dflt, why,
		    sizeof(why)) != 0)
			fatalx("config: default of %s: %s",
			    config_keys[i].name, why);
	if (ncpu < 1)
		ncpu = 1;		/* -1: unknown */
	if (ncpu > CONFIG_MAX_WORKERS)
		ncpu = CONFIG_MAX_WORKERS;
	cfg->workers = (unsigned)ncpu;
	cfg->uid_base = BROKER_UID_BASE;
	cfg->scratch_mb = BROKER_SCRATCH_MB;
	/* The host name: stable over restarts, unlike a pid.  Two nodes on
	 * one machine need node_id lines of their own. */
	if (gethostname(host, sizeof(host)) != 0 ||
	    memchr(host, '\0', sizeof(host)) == NULL ||
	    config_check_node_id(host, why, sizeof(why)) != 0)
		snprintf(host, sizeof(host), "%s", CONFIG_NODE_FALLBACK);
	cfg->node_id = xstrdup(host);
}

int
config_load(const char *path, struct config *cfg, char *errbuf,
    size_t errlen)
{
	struct config_parse	 ps;
	char			 line[CONFIG_MAX_LINE + 1];
	char			 why[CONFIG_WHY_LEN];
	FILE			*f = NULL;
	size_t			 len = 0;
	int			 r;

	config_defaults(cfg);
	memset(&ps, 0, sizeof(ps));
	if ((f = fopen(path, "re")) == NULL) {
		r = -errno;
		log_errbuf(errbuf, errlen, "%s: %s", path, strerror(-r));
		goto out;
	}
	for (;;) {
		errno = 0;
		r = config_read_line(f, line, &len);
		if (r == 0)
			break;
		ps.line++;
		if (r == -E2BIG) {
			r = -EINVAL;
			log_errbuf(errbuf, errlen, "%s:%lu: line longer than "
			    "%d bytes", path, ps.line, CONFIG_MAX_LINE);
			goto out;
		}
		if (r < 0) {
			log_errbuf(errbuf, errlen, "%s: %s", path,
			    strerror(-r));
			goto out;
		}
		if ((r = config_line(cfg, &ps, line, len, why,
		    sizeof(why))) != 0) {
			log_errbuf(errbuf, errlen, "%s:%lu: %s", path, ps.line,
			    why);
			goto out;
		}
	}
	cfg->path = xstrdup(path);
	r = 0;
 out:
	if (f != NULL)
		fclose(f);
	if (r != 0) {
		config_free(cfg);
		config_defaults(cfg);
	}
	return r;
}

int
config_set_listen(struct config *cfg, const char *addr, char *errbuf,
    size_t errlen)
{
	char		*host;
	uint16_t	 port;
	int		 r;

	if ((r = config_parse_listen(addr, &host, &port, errbuf,
	    errlen)) != 0)
		return r;
	free(cfg->listen_host);
	cfg->listen_host = host;
	cfg->listen_port = port;
	return 0;
}

const struct config_limits *
config_limits_of(const struct config *cfg, enum bench_id bench)
{
	return &cfg->limits[bench];
}

bool
config_reloadable(const struct config *old, const struct config *neu,
    char *errbuf, size_t errlen)
{
	/* In the order of config.h: the first that differs is named. */
	for (size_t i = 0; i < CONFIG_NKEYS; i++) {
		if (config_keys[i].reloadable ||
		    config_same(&config_keys[i], old, neu))
			continue;
		log_errbuf(errbuf, errlen, "%s", config_keys[i].name);
		return false;
	}
	log_errbuf(errbuf, errlen, "%s", "");
	return true;
}

char *
config_database_redact(const char *database)
{
	PQconninfoOption *opts;
	struct config_str sb = { NULL, 0, 0 };
	const char	*user, *sep = "?";
	char		*msg = NULL;

	/* libpq reads whatever config_load() took; anything else is
	 * named by its scheme alone. */
	if ((opts = PQconninfoParse(database, &msg)) == NULL) {
		PQfreemem(msg);
		return xstrdup(CONFIG_DATABASE_SCHEME "(unreadable)");
	}
	config_cat(&sb, CONFIG_DATABASE_SCHEME,
	    strlen(CONFIG_DATABASE_SCHEME));
	if ((user = config_conninfo_get(opts, "user")) != NULL)
		config_cat_enc(&sb, user, "");
	if (config_conninfo_get(opts, "password") != NULL)
		config_cat(&sb, ":" CONFIG_SECRET, strlen(CONFIG_SECRET) + 1);
	if (sb.len > strlen(CONFIG_DATABASE_SCHEME))
		config_cat(&sb, "@", 1);
	config_cat(&sb, "/", 1);
	if (config_conninfo_get(opts, "dbname") != NULL)
		config_cat_enc(&sb, config_conninfo_get(opts, "dbname"), "");

	/*
	 * libpq's order of options.  Its display character "*" marks the
	 * secrets (password, sslpassword), which are never written out.
	 */
	for (const PQconninfoOption *o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL || strcmp(o->keyword, "user") == 0 ||
		    strcmp(o->keyword, "password") == 0 ||
		    strcmp(o->keyword, "dbname") == 0)
			continue;
		config_cat(&sb, sep, 1);
		sep = "&";
		config_cat(&sb, o->keyword, strlen(o->keyword));
		config_cat(&sb, "=", 1);
		if (o->dispchar != NULL && o->dispchar[0] == '*')
			config_cat(&sb, CONFIG_SECRET, strlen(CONFIG_SECRET));
		else
			config_cat_enc(&sb, o->val, "/,:");
	}
	PQconninfoFree(opts);
	return sb.s;
}

bool
config_token_ok(const struct config *cfg, const char *token)
{
	size_t		 len, tlen, diff;
	bool		 ok = false;

	if (token == NULL)
		return false;
	len = strlen(token);

	/*
	 * No early exit: every byte of the offered token is compared with
	 * every configured one (read cyclically, so no index runs past
	 * it), and all tokens are tried, so the time depends only on the
	 * offered token's length and the number of tokens, not on how
	 * much of a secret was guessed right.
	 */
	for (size_t i = 0; i < cfg->ntokens; i++) {
		const char	*t = cfg->tokens[i];

		tlen = strlen(t);
		if (tlen == 0)
			continue;	/* never loaded; never matches */
		diff = len ^ tlen;
		for (size_t j = 0; j < len; j++)
			diff |= (unsigned char)token[j] ^
			    (unsigned char)t[j % tlen];
		ok |= diff == 0;
	}
	return ok;
}

void
config_free(struct config *cfg)
{
	for (size_t i = 0; i < CONFIG_NKEYS; i++) {
		const struct config_key *k = &config_keys[i];
		char		**sp = (char **)(void *)((char *)cfg + k->off);
		size_t		 n;

		if (k->type == CONFIG_STR || k->type == CONFIG_LISTEN)
			free(*sp);
		else if (k->type == CONFIG_STRS) {
			n = *(size_t *)(void *)((char *)cfg + k->noff);
			for (size_t j = 0; j < n; j++)
				free((*(char ***)(void *)sp)[j]);
			free(*sp);
		}
	}
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}
