/*
 * models.c - the model cost table.  See models.h.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "daemon/models.h"

#define MODELS_LINE_MAX		1024

struct models {
	struct report_cost *rows;	/* .model points into names */
	char		**names;	/* owned */
	size_t		 n;
	char		*path;		/* owned; NULL: no file */
};

/* Append the row "name" (copied). */
static void
models_add(struct models *m, const char *name, double tflops,
    double seconds)
{
	m->rows = xreallocarray(m->rows, m->n + 1, sizeof(*m->rows));
	m->names = xreallocarray(m->names, m->n + 1, sizeof(*m->names));
	m->names[m->n] = xstrdup(name);
	m->rows[m->n].model = m->names[m->n];
	m->rows[m->n].tflops = tflops;
	m->rows[m->n].seconds = seconds;
	m->n++;
}

/* Parse a positive finite number; returns 0 or -EINVAL. */
static int
models_number(const char *s, double *v)
{
	char	*end;

	*v = strtod(s, &end);
	return *end == '\0' && end != s && isfinite(*v) && *v > 0 ? 0 :
	    -EINVAL;
}

int
models_load(const char *path, struct models **mp, char *errbuf,
    size_t errlen)
{
	struct models	*m;
	FILE		*fp;
	char		 line[MODELS_LINE_MAX], *f[4], *save, *p;
	unsigned long	 lineno = 0;
	size_t		 nf;
	double		 tflops, seconds;
	int		 r = 0;

	*mp = NULL;
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	m = xcalloc(1, sizeof(*m));
	while (r == 0 && fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(errbuf, errlen, "%s:%lu: line too long", path,
			    lineno);
			r = -EINVAL;
			break;
		}
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		nf = 0;
		for (p = strtok_r(line, " \t\r\n", &save); p != NULL;
		    p = strtok_r(NULL, " \t\r\n", &save))
			f[nf < 4 ? nf++ : 3] = p;
		if (nf == 0)
			continue;
		if (nf != 3) {
			snprintf(errbuf, errlen, "%s:%lu: want NAME TFLOPS "
			    "SECONDS", path, lineno);
			r = -EINVAL;
		} else if (models_number(f[1], &tflops) < 0 ||
		    models_number(f[2], &seconds) < 0) {
			snprintf(errbuf, errlen, "%s:%lu: costs must be "
			    "positive numbers", path, lineno);
			r = -EINVAL;
		} else if (models_find(m, f[0]) != NULL) {
			snprintf(errbuf, errlen, "%s:%lu: model \"%.64s\" is "
			    "already in the table", path, lineno, f[0]);
			r = -EINVAL;
		} else
			models_add(m, f[0], tflops, seconds);
	}
	if (r == 0 && ferror(fp)) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		r = -EIO;
	}
	fclose(fp);
	if (r < 0) {
		models_free(m);
		return r;
	}
	m->path = xstrdup(path);
	*mp = m;
	return 0;
}

/*
 * Whether "name" could be a models.conf name: 1 to MODELS_NAME_MAX
 * printable ASCII characters, none a space or the comment's "#".
 */
static bool
models_name_ok(const char *name)
{
	size_t	 len = strlen(name);

	if (len == 0 || len > MODELS_NAME_MAX)
		return false;
	for (const char *p = name; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~' || *p == '#')
			return false;
	return true;
}

/*
 * The costs of the request's row "v" into *tflops and *seconds: an
 * object of exactly two positive finite numbers.  Returns 0 or -EINVAL.
 */
static int
models_request_row(const json_t *v, double *tflops, double *seconds)
{
	const json_t	*t = json_object_get(v, "tflops");
	const json_t	*s = json_object_get(v, "seconds");

	if (!json_is_object(v) || json_object_size(v) != 2 ||
	    !json_is_number(t) || !json_is_number(s))
		return -EINVAL;
	*tflops = json_number_value(t);
	*seconds = json_number_value(s);
	return isfinite(*tflops) && *tflops > 0 && isfinite(*seconds) &&
	    *seconds > 0 ? 0 : -EINVAL;
}

int
models_from_request(const char *text, const struct models *base,
    struct models **mp, char *errbuf, size_t errlen)
{
	struct models	*m = NULL;
	json_t		*o = NULL, *v;
	const char	*name;
	double		 tflops, seconds;
	int		 r = -EINVAL;

	*mp = NULL;
	/* Bounded before jansson sees it: the size bounds the nesting. */
	if (strlen(text) > MODELS_REQUEST_MAX) {
		snprintf(errbuf, errlen, "the cost table is over %d bytes",
		    MODELS_REQUEST_MAX);
		goto out;
	}
	if ((o = json_loads(text, JSON_REJECT_DUPLICATES, NULL)) == NULL ||
	    !json_is_object(o) || json_object_size(o) == 0) {
		snprintf(errbuf, errlen, "the cost table must be a JSON "
		    "object {\"MODEL\": {\"tflops\": X, \"seconds\": Y}, "
		    "...}");
		goto out;
	}
	if (json_object_size(o) > MODELS_REQUEST_ROWS) {
		snprintf(errbuf, errlen, "the cost table has over %d models",
		    MODELS_REQUEST_ROWS);
		goto out;
	}
	m = xcalloc(1, sizeof(*m));
	json_object_foreach(o, name, v) {
		if (!models_name_ok(name)) {
			snprintf(errbuf, errlen, "a model name is 1 to %d "
			    "printable ASCII characters, no space or \"#\"",
			    MODELS_NAME_MAX);
			goto out;
		}
		if (models_find(m, name) != NULL) {
			snprintf(errbuf, errlen, "model \"%s\" is given "
			    "twice", name);
			goto out;
		}
		if (models_request_row(v, &tflops, &seconds) < 0) {
			snprintf(errbuf, errlen, "model \"%s\": want "
			    "{\"tflops\": X, \"seconds\": Y}, two positive "
			    "numbers", name);
			goto out;
		}
		models_add(m, name, tflops, seconds);
	}
	/* The table's rows after the request's: models_find() takes the
	 * first match, so the request's override them. */
	for (size_t i = 0; base != NULL && i < base->n; i++)
		models_add(m, base->rows[i].model, base->rows[i].tflops,
		    base->rows[i].seconds);
	if (base != NULL && base->path != NULL)
		m->path = xstrdup(base->path);
	*mp = m;
	m = NULL;
	r = 0;
 out:
	models_free(m);
	json_decref(o);
	return r;
}

const char *
models_path(const struct models *m)
{
	return m->path;
}

const struct report_cost *
models_rows(const struct models *m, size_t *n)
{
	*n = m->n;
	return m->rows;
}

const struct report_cost *
models_find(const struct models *m, const char *name)
{
	const char	*base = strrchr(name, '/');
	size_t		 blen;

	for (size_t i = 0; i < m->n; i++)
		if (strcasecmp(m->rows[i].model, name) == 0)
			return &m->rows[i];
	if (base == NULL)
		return NULL;
	base++;
	blen = strlen(base);
	if (blen > 3 && strcasecmp(base + blen - 3, "-hf") == 0)
		blen -= 3;
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->rows[i].model) == blen &&
		    strncasecmp(m->rows[i].model, base, blen) == 0)
			return &m->rows[i];
	return NULL;
}

void
models_free(struct models *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->names[i]);
	free(m->names);
	free(m->rows);
	free(m->path);
	free(m);
}
