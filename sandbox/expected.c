/*
 * expected.c - the expected outputs of reference-mode problems, kept in
 * memory and in a directory.  See expected.h for the contract.
 *
 * The entries are a list, oldest first, searched by the spec's pointer:
 * there is one entry per reference-mode spec the pool has seen (542 for
 * HumanEval+ and MBPP+ together), and each job looks once.  An entry
 * without text records that the directory had none, so the spec's JSON
 * is hashed and its file read at most once until the text arrives.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include "common/hash.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sandbox/expected.h"

/* Specs remembered at most, with or without their text. */
#define EXPECTED_MAX_ENTRIES	8192

struct expected_entry {
	TAILQ_ENTRY(expected_entry) entry;
	json_t		*spec;		/* a reference held: the key */
	char		*text;		/* NULL: not known yet */
	size_t		 len;
	int64_t		 ms;		/* the reference's time; -1: unknown */
};

struct expected {
	int		 dirfd;		/* -1: memory only */
	bool		 readonly;	/* the directory is not ours to write */
	TAILQ_HEAD(, expected_entry) entries;	/* oldest first */
	size_t		 n;
	size_t		 bytes;		/* of text */
};

int
expected_dir_open(const char *path, bool *made, char *errbuf,
    size_t errlen)
{
	int	 fd;

	*made = mkdir(path, 0700) == 0;
	if (!*made && errno != EEXIST) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return fd;
}

struct expected *
expected_new(int dirfd)
{
	struct expected	*c = xcalloc(1, sizeof(*c));

	TAILQ_INIT(&c->entries);
	c->dirfd = dirfd;
	if (dirfd >= 0 && faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS) < 0) {
		log_warn("expected outputs: their directory is read only");
		c->readonly = true;
	}
	return c;
}

bool
expected_wanted(const json_t *spec)
{
	const char	*mode = json_string_value(json_object_get(spec,
			    "mode"));

	return mode != NULL && strcmp(mode, "reference") == 0;
}

/* The name of spec's file in the cache directory, into name. */
static void
expected_name(const json_t *spec, char *name, size_t len)
{
	char		*canon;
	uint64_t	 h;

	canon = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS |
	    JSON_ENSURE_ASCII);
	h = hash_fnv1a(canon != NULL ? canon : "");
	free(canon);
	snprintf(name, len, "%016" PRIx64 ".json", h);
}

/*
 * The text of spec's file, if it holds that very spec; else NULL.  *ms
 * is the reference's time it holds, or -1.
 */
static char *
expected_read(const struct expected *c, const json_t *spec, int64_t *ms)
{
	char		 name[64];
	json_t		*f;
	const char	*text;
	char		*out = NULL;
	FILE		*fp;
	int		 fd;

	expected_name(spec, name, sizeof(name));
	if ((fd = openat(c->dirfd, name, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return NULL;
	/* Buffered: json_loadfd() reads a byte per system call. */
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return NULL;
	}
	f = json_loadf(fp, 0, NULL);
	fclose(fp);
	if (f == NULL)
		return NULL;
	text = json_string_value(json_object_get(f, "expected"));
	if (text != NULL && json_equal(json_object_get(f, "spec"),
	    spec)) {
		out = xstrdup(text);
		if (json_is_integer(json_object_get(f, "ms")))
			*ms = json_integer_value(json_object_get(f, "ms"));
	}
	json_decref(f);
	return out;
}

/* Write spec's file: a temporary name, synced, then renamed. */
static void
expected_write(const struct expected *c, json_t *spec, const char *text,
    int64_t ms)
{
	char		 name[64], tmp[100];
	json_t		*f;
	char		*body;
	size_t		 len, off = 0;
	ssize_t		 n;
	int		 fd;
	bool		 bad;

	expected_name(spec, name, sizeof(name));
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", name, (long)getpid());
	f = json_pack("{s:O, s:s, s:I}", "spec", spec, "expected", text, "ms",
	    (json_int_t)ms);
	body = f != NULL ? json_dumps(f, JSON_COMPACT | JSON_ENSURE_ASCII) :
	    NULL;
	json_decref(f);
	if (body == NULL) {
		log_warnx("expected outputs: cannot encode %s", name);
		return;
	}
	len = strlen(body);
	if ((fd = openat(c->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		log_warn("expected outputs: %s", tmp);
		free(body);
		return;
	}
	while (off < len && (n = write(fd, body + off, len - off)) > 0)
		off += (size_t)n;
	free(body);
	bad = off < len || fsync(fd) < 0;
	if (close(fd) < 0 || bad) {
		log_warn("expected outputs: %s", tmp);
		unlinkat(c->dirfd, tmp, 0);
		return;
	}
	if (renameat(c->dirfd, tmp, c->dirfd, name) < 0) {
		log_warn("expected outputs: %s", name);
		unlinkat(c->dirfd, tmp, 0);
	}
}

static struct expected_entry *
expected_find(struct expected *c, const json_t *spec)
{
	struct expected_entry *e;

	TAILQ_FOREACH(e, &c->entries, entry)
		if (e->spec == spec)
			return e;
	return NULL;
}

/* Forget the oldest entries while the cache is over its bounds, never
 * "keep". */
static void
expected_trim(struct expected *c, struct expected_entry *keep)
{
	struct expected_entry *e;

	while ((c->bytes > EXPECTED_MAX_BYTES ||
	    c->n > EXPECTED_MAX_ENTRIES) &&
	    (e = TAILQ_FIRST(&c->entries)) != NULL && e != keep) {
		TAILQ_REMOVE(&c->entries, e, entry);
		c->n--;
		c->bytes -= e->len;
		json_decref(e->spec);
		free(e->text);
		free(e);
	}
}

/* The entry of spec, made (and its file read) if there is none. */
static struct expected_entry *
expected_entry(struct expected *c, json_t *spec)
{
	struct expected_entry *e;

	if ((e = expected_find(c, spec)) != NULL)
		return e;
	e = xcalloc(1, sizeof(*e));
	e->spec = json_incref(spec);
	e->ms = -1;
	if (c->dirfd >= 0 && (e->text = expected_read(c, spec, &e->ms)) !=
	    NULL)
		e->len = strlen(e->text);
	TAILQ_INSERT_TAIL(&c->entries, e, entry);
	c->n++;
	c->bytes += e->len;
	expected_trim(c, e);
	return e;
}

const char *
expected_get(struct expected *c, json_t *spec)
{
	if (!expected_wanted(spec))
		return NULL;
	return expected_entry(c, spec)->text;
}

int64_t
expected_cost(struct expected *c, json_t *spec)
{
	if (!expected_wanted(spec))
		return -1;
	return expected_entry(c, spec)->ms;
}

void
expected_put(struct expected *c, json_t *spec, char *text, int64_t ms)
{
	struct expected_entry *e;

	if (!expected_wanted(spec) || (e = expected_entry(c, spec))->text !=
	    NULL) {
		free(text);
		return;
	}
	e->text = text;
	e->len = strlen(text);
	e->ms = ms;
	c->bytes += e->len;
	if (c->dirfd >= 0 && !c->readonly)
		expected_write(c, spec, text, ms);
	expected_trim(c, e);
}

void
expected_free(struct expected *c)
{
	struct expected_entry *e;

	if (c == NULL)
		return;
	while ((e = TAILQ_FIRST(&c->entries)) != NULL) {
		TAILQ_REMOVE(&c->entries, e, entry);
		json_decref(e->spec);
		free(e->text);
		free(e);
	}
	if (c->dirfd >= 0)
		close(c->dirfd);
	free(c);
}
