/*
 * config.c - verdictd's configuration file and its checks.  See
 * config.h.
 *
 * The file is read line by line into a fixed buffer of CONFIG_MAX_LINE
 * bytes; a longer line, a NUL byte or another control character (tab
 * aside) ends the load with "FILE:LINE: reason".  Each line is
 * "key = value" with blanks (spaces, tabs) trimmed around both; there
 * are no inline comments, so a "#" inside a value is part of it (a
 * token may hold one).  Keys are looked up in config_key_names[], plus
 * the limits.BENCH.FIELD family; config_parse remembers the line that
 * first set each key, which rejects a repeated single-valued key.
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

#include "common/log.h"
#include "common/xmalloc.h"
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
#define CONFIG_DEFAULT_PORT	8417
#define CONFIG_DEFAULT_STATE	"/var/lib/verdict"

#define CONFIG_ESC_LEN		64	/* bytes of a value quoted in errors */
#define CONFIG_WHY_LEN		512	/* bytes of a reason before FILE:LINE */

const char *const config_benchmarks[CONFIG_NBENCH] = {
	"humaneval", "humaneval+", "mbpp", "mbpp+", "apps",
};

/* --- Keys --- */

/* The plain keys, in the order of config.h. */
enum config_key {
	CONFIG_KEY_LISTEN,
	CONFIG_KEY_STATE_DIR,
	CONFIG_KEY_WORKERS,
	CONFIG_KEY_HTTP_THREADS,
	CONFIG_KEY_QUEUE_LIMIT,
	CONFIG_KEY_MAX_BODY,
	CONFIG_KEY_MAX_PROGRAM,
	CONFIG_KEY_MAX_CONNECTIONS,
	CONFIG_KEY_CONNECTION_TIMEOUT,
	CONFIG_KEY_TOKEN,
	CONFIG_KEY_LOG_LEVEL,
	CONFIG_KEY_PROBLEMS,
	CONFIG_KEY_JAIL,
	CONFIG_KEY_MODELS,
	CONFIG_KEY_UID_BASE,
	CONFIG_KEY_SCRATCH,
	CONFIG_KEY_USER,
	CONFIG_NKEYS
};

static const char *const config_key_names[CONFIG_NKEYS] = {
	[CONFIG_KEY_LISTEN] = "listen",
	[CONFIG_KEY_STATE_DIR] = "state_dir",
	[CONFIG_KEY_WORKERS] = "workers",
	[CONFIG_KEY_HTTP_THREADS] = "http_threads",
	[CONFIG_KEY_QUEUE_LIMIT] = "queue_limit",
	[CONFIG_KEY_MAX_BODY] = "max_body",
	[CONFIG_KEY_MAX_PROGRAM] = "max_program",
	[CONFIG_KEY_MAX_CONNECTIONS] = "max_connections",
	[CONFIG_KEY_CONNECTION_TIMEOUT] = "connection_timeout",
	[CONFIG_KEY_TOKEN] = "token",
	[CONFIG_KEY_LOG_LEVEL] = "log_level",
	[CONFIG_KEY_PROBLEMS] = "problems",
	[CONFIG_KEY_JAIL] = "jail",
	[CONFIG_KEY_MODELS] = "models",
	[CONFIG_KEY_UID_BASE] = "uid_base",
	[CONFIG_KEY_SCRATCH] = "scratch",
	[CONFIG_KEY_USER] = "user",
};

/* The FIELD of limits.BENCH.FIELD. */
enum config_field {
	CONFIG_FIELD_WALL,
	CONFIG_FIELD_TEST,
	CONFIG_FIELD_MEMORY,
	CONFIG_NFIELDS
};

static const char *const config_field_names[CONFIG_NFIELDS] = {
	[CONFIG_FIELD_WALL] = "wall",
	[CONFIG_FIELD_TEST] = "test",
	[CONFIG_FIELD_MEMORY] = "memory",
};

#define CONFIG_LIMITS_PREFIX	"limits."

/*
 * A key's slot: a plain key is its enum config_key; limits.BENCH.FIELD
 * follows them, CONFIG_NFIELDS slots per benchmark.
 */
#define CONFIG_NSLOTS	(CONFIG_NKEYS + CONFIG_NBENCH * CONFIG_NFIELDS)

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

/* Index of benchmark "name" (of "len" bytes), or -1. */
static int
config_bench_find(const char *name, size_t len)
{
	for (int i = 0; i < CONFIG_NBENCH; i++) {
		if (strlen(config_benchmarks[i]) == len &&
		    memcmp(config_benchmarks[i], name, len) == 0)
			return i;
	}
	return -1;
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

/* Apply value "v" of the plain key "key".  Returns 0 or -EINVAL. */
static int
config_set_key(struct config *cfg, enum config_key key, const char *v,
    char *why, size_t whylen)
{
	unsigned long long n;
	int		 r = 0;

	switch (key) {
	case CONFIG_KEY_LISTEN:
		return config_set_listen(cfg, v, why, whylen);
	case CONFIG_KEY_STATE_DIR:
		free(cfg->state_dir);
		cfg->state_dir = xstrdup(v);
		break;
	case CONFIG_KEY_WORKERS:
		if ((r = config_number(v, 1, CONFIG_MAX_WORKERS, &n, why,
		    whylen)) == 0)
			cfg->workers = (unsigned)n;
		break;
	case CONFIG_KEY_HTTP_THREADS:
		if ((r = config_number(v, 1, CONFIG_MAX_HTTP_THREADS, &n, why,
		    whylen)) == 0)
			cfg->http_threads = (unsigned)n;
		break;
	case CONFIG_KEY_QUEUE_LIMIT:
		if ((r = config_number(v, 1, SIZE_MAX, &n, why, whylen)) == 0)
			cfg->queue_limit = (size_t)n;
		break;
	case CONFIG_KEY_MAX_BODY:
		if ((r = config_size(v, 1, 1, SIZE_MAX, &n, why,
		    whylen)) == 0)
			cfg->max_body = (size_t)n;
		break;
	case CONFIG_KEY_MAX_PROGRAM:
		/* At most PROTOCOL_MAX_PROGRAM, what a job frame may hold. */
		if ((r = config_size(v, 1, 1, CONFIG_MIB, &n, why,
		    whylen)) == 0)
			cfg->max_program = (size_t)n;
		break;
	case CONFIG_KEY_MAX_CONNECTIONS:
		if ((r = config_number(v, 1, UINT_MAX, &n, why, whylen)) == 0)
			cfg->max_connections = (unsigned)n;
		break;
	case CONFIG_KEY_CONNECTION_TIMEOUT:
		/* 0 would mean "never" to libmicrohttpd: not offered. */
		if ((r = config_time(v, 1000, 1, UINT_MAX, &n, why,
		    whylen)) == 0)
			cfg->connection_timeout_s = (unsigned)n;
		break;
	case CONFIG_KEY_TOKEN:
		if ((r = config_check_token(v, why, whylen)) == 0)
			config_strv_add(&cfg->tokens, &cfg->ntokens, v);
		break;
	case CONFIG_KEY_LOG_LEVEL:
		r = config_log_level(v, &cfg->log_level, why, whylen);
		break;
	case CONFIG_KEY_PROBLEMS:
		config_strv_add(&cfg->problems, &cfg->nproblems, v);
		break;
	case CONFIG_KEY_JAIL:
		free(cfg->jail_path);
		cfg->jail_path = xstrdup(v);
		break;
	case CONFIG_KEY_MODELS:
		free(cfg->models_path);
		cfg->models_path = xstrdup(v);
		break;
	case CONFIG_KEY_UID_BASE:
		/* Host uid 0 is root: never a jail's.  The broker takes
		 * its range above uid_base (sandbox/broker.h). */
		if ((r = config_number(v, 1, BROKER_UID_BASE_MAX, &n, why,
		    whylen)) == 0)
			cfg->uid_base = (uid_t)n;
		break;
	case CONFIG_KEY_SCRATCH:
		if ((r = config_size(v, CONFIG_MIB, 1, UINT_MAX, &n, why,
		    whylen)) == 0)
			cfg->scratch_mb = (unsigned)n;
		break;
	case CONFIG_KEY_USER:
		free(cfg->user);
		cfg->user = xstrdup(v);
		break;
	case CONFIG_NKEYS:
		abort();
	}
	return r;
}

/* Apply "v" to field "field" of benchmark "bench"'s limits (0: default). */
static int
config_set_limit(struct config *cfg, int bench, enum config_field field,
    const char *v, char *why, size_t whylen)
{
	struct config_limits *lim = &cfg->limits[bench];
	unsigned long long n;
	int		 r = 0;

	switch (field) {
	case CONFIG_FIELD_WALL:
		if ((r = config_time(v, 1, 0, UINT32_MAX, &n, why,
		    whylen)) == 0)
			lim->wall_ms = (uint32_t)n;
		break;
	case CONFIG_FIELD_TEST:
		if ((r = config_time(v, 1, 0, UINT32_MAX, &n, why,
		    whylen)) == 0)
			lim->test_ms = (uint32_t)n;
		break;
	case CONFIG_FIELD_MEMORY:
		if ((r = config_size(v, CONFIG_MIB, 0, UINT32_MAX, &n, why,
		    whylen)) == 0)
			lim->mem_mb = (uint32_t)n;
		break;
	case CONFIG_NFIELDS:
		abort();
	}
	return r;
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
	char		 esc[CONFIG_ESC_LEN], names[CONFIG_ESC_LEN * 2];
	const char	*bench, *dot;
	int		 b;

	for (int i = 0; i < CONFIG_NKEYS; i++) {
		if (strcmp(key, config_key_names[i]) == 0)
			return i;
	}
	if (strncmp(key, CONFIG_LIMITS_PREFIX,
	    strlen(CONFIG_LIMITS_PREFIX)) != 0)
		goto unknown;
	bench = key + strlen(CONFIG_LIMITS_PREFIX);
	if ((dot = strchr(bench, '.')) == NULL)
		goto unknown;
	for (int f = 0; f < CONFIG_NFIELDS; f++) {
		if (strcmp(dot + 1, config_field_names[f]) != 0)
			continue;
		b = config_bench_find(bench, (size_t)(dot - bench));
		if (b >= 0)
			return CONFIG_NKEYS + b * CONFIG_NFIELDS + f;
		names[0] = '\0';
		for (int i = 0; i < CONFIG_NBENCH; i++) {
			if (i > 0)
				strncat(names, ", ",
				    sizeof(names) - strlen(names) - 1);
			strncat(names, config_benchmarks[i],
			    sizeof(names) - strlen(names) - 1);
		}
		log_errbuf(why, whylen, "%s: unknown benchmark (one of %s)",
		    config_esc(esc, sizeof(esc), key), names);
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
	char	 reason[CONFIG_WHY_LEN];
	char	*s, *eq, *key, *val;
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
	if (*val == '\0') {
		log_errbuf(why, whylen, "%s: empty value", key);
		return -EINVAL;
	}
	if (ps->seen[slot] != 0) {
		if (slot != CONFIG_KEY_TOKEN && slot != CONFIG_KEY_PROBLEMS) {
			log_errbuf(why, whylen, "%s: repeated (first set on "
			    "line %lu)", key, ps->seen[slot]);
			return -EINVAL;
		}
	} else
		ps->seen[slot] = ps->line;

	if (slot < CONFIG_NKEYS)
		r = config_set_key(cfg, slot, val, reason, sizeof(reason));
	else
		r = config_set_limit(cfg, (slot - CONFIG_NKEYS) /
		    CONFIG_NFIELDS, (slot - CONFIG_NKEYS) % CONFIG_NFIELDS,
		    val, reason, sizeof(reason));
	if (r != 0)
		log_errbuf(why, whylen, "%s: %s", key, reason);
	return r;
}

/* --- The public functions --- */

void
config_defaults(struct config *cfg)
{
	long	 ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	cfg->listen_host = xstrdup(CONFIG_DEFAULT_HOST);
	cfg->listen_port = CONFIG_DEFAULT_PORT;
	cfg->state_dir = xstrdup(CONFIG_DEFAULT_STATE);
	if (ncpu < 1)
		ncpu = 1;		/* -1: unknown */
	if (ncpu > CONFIG_MAX_WORKERS)
		ncpu = CONFIG_MAX_WORKERS;
	cfg->workers = (unsigned)ncpu;
	cfg->http_threads = 2;
	cfg->queue_limit = 1000000;
	cfg->max_body = 16 * CONFIG_MIB;
	cfg->max_program = CONFIG_MIB;
	cfg->max_connections = 1024;
	cfg->connection_timeout_s = 30;
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->uid_base = BROKER_UID_BASE;
	cfg->scratch_mb = BROKER_SCRATCH_MB;
	cfg->user = xstrdup(PRIVDROP_USER);
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
config_limits_of(const struct config *cfg, const char *benchmark)
{
	int	 b = config_bench_find(benchmark, strlen(benchmark));

	return b < 0 ? NULL : &cfg->limits[b];
}

bool
config_reloadable(const struct config *old, const struct config *neu,
    char *errbuf, size_t errlen)
{
	enum config_key	 key;

	/* In the order of config.h; tokens, log_level, queue_limit and
	 * limits are reloadable, so they are not compared. */
	if (!config_str_eq(old->listen_host, neu->listen_host) ||
	    old->listen_port != neu->listen_port)
		key = CONFIG_KEY_LISTEN;
	else if (!config_str_eq(old->state_dir, neu->state_dir))
		key = CONFIG_KEY_STATE_DIR;
	else if (old->workers != neu->workers)
		key = CONFIG_KEY_WORKERS;
	else if (old->http_threads != neu->http_threads)
		key = CONFIG_KEY_HTTP_THREADS;
	else if (old->max_body != neu->max_body)
		key = CONFIG_KEY_MAX_BODY;
	else if (old->max_program != neu->max_program)
		key = CONFIG_KEY_MAX_PROGRAM;
	else if (old->max_connections != neu->max_connections)
		key = CONFIG_KEY_MAX_CONNECTIONS;
	else if (old->connection_timeout_s != neu->connection_timeout_s)
		key = CONFIG_KEY_CONNECTION_TIMEOUT;
	else if (!config_strv_eq(old->problems, old->nproblems,
	    neu->problems, neu->nproblems))
		key = CONFIG_KEY_PROBLEMS;
	else if (!config_str_eq(old->jail_path, neu->jail_path))
		key = CONFIG_KEY_JAIL;
	else if (!config_str_eq(old->models_path, neu->models_path))
		key = CONFIG_KEY_MODELS;
	else if (old->uid_base != neu->uid_base)
		key = CONFIG_KEY_UID_BASE;
	else if (old->scratch_mb != neu->scratch_mb)
		key = CONFIG_KEY_SCRATCH;
	else if (!config_str_eq(old->user, neu->user))
		key = CONFIG_KEY_USER;
	else {
		log_errbuf(errbuf, errlen, "%s", "");
		return true;
	}
	log_errbuf(errbuf, errlen, "%s", config_key_names[key]);
	return false;
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
	free(cfg->path);
	free(cfg->listen_host);
	free(cfg->state_dir);
	for (size_t i = 0; i < cfg->ntokens; i++)
		free(cfg->tokens[i]);
	free(cfg->tokens);
	for (size_t i = 0; i < cfg->nproblems; i++)
		free(cfg->problems[i]);
	free(cfg->problems);
	free(cfg->jail_path);
	free(cfg->models_path);
	free(cfg->user);
	memset(cfg, 0, sizeof(*cfg));
}
