/*
 * models.c - the model cost table.  See models.h.
 */
#include <errno.h>
#include <math.h>
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
};

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
		} else {
			m->rows = xreallocarray(m->rows, m->n + 1,
			    sizeof(*m->rows));
			m->names = xreallocarray(m->names, m->n + 1,
			    sizeof(*m->names));
			m->names[m->n] = xstrdup(f[0]);
			m->rows[m->n].model = m->names[m->n];
			m->rows[m->n].tflops = tflops;
			m->rows[m->n].seconds = seconds;
			m->n++;
		}
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
	*mp = m;
	return 0;
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
	free(m);
}
