/*
 * rdoc.c - headings, paragraphs and tables in Markdown or HTML.  See
 * rdoc.h.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "report/rdoc.h"
#include "report/rtext.h"

void
rdoc_text(struct rdoc *d, const char *s)
{
	if (d->html)
		rtext_xml(d->f, s, SIZE_MAX);
	else
		rtext_md(d->f, s);
}

void
rdoc_heading(struct rdoc *d, int level, const char *fmt, ...)
{
	va_list		 ap;
	char		*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (d->html)
		fprintf(d->f, "<h%d>", level);
	else
		fprintf(d->f, "%.*s ", level, "######");
	rdoc_text(d, s);
	if (d->html)
		fprintf(d->f, "</h%d>\n", level);
	else
		fputs("\n\n", d->f);
	free(s);
}

void
rdoc_para(struct rdoc *d, const char *cls, const char *fmt, ...)
{
	va_list		 ap;
	char		*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (d->html && cls != NULL)
		fprintf(d->f, "<p class=\"%s\">", cls);
	else if (d->html)
		fputs("<p>", d->f);
	rdoc_text(d, s);
	fputs(d->html ? "</p>\n" : "\n\n", d->f);
	free(s);
}

void
rdoc_cell(struct rdoc_table *t, const char *fmt, ...)
{
	va_list		 ap;

	if (t->ncells == t->cap) {
		t->cap = t->cap != 0 ? t->cap * 2 : 32;
		t->cell = xreallocarray(t->cell, t->cap, sizeof(*t->cell));
	}
	va_start(ap, fmt);
	t->cell[t->ncells++] = xvasprintf(fmt, ap);
	va_end(ap);
}

void
rdoc_cell_pct(struct rdoc_table *t, double v)
{
	if (isfinite(v))
		rdoc_cell(t, "%.2f", v);
	else
		rdoc_cell(t, "-");
}

void
rdoc_cell_count(struct rdoc_table *t, double v)
{
	if (isfinite(v))
		rdoc_cell(t, "%.0f", v);
	else
		rdoc_cell(t, "-");
}

/* Whether column "col" of t is right-aligned. */
static bool
rdoc_align_right(const struct rdoc_table *t, size_t col)
{
	size_t	 n = strlen(t->align);

	return n > 0 && t->align[col < n ? col : n - 1] == 'r';
}

void
rdoc_table_end(struct rdoc *d, struct rdoc_table *t)
{
	const char	*tag;
	bool		 right;

	if (d->html)
		fputs("<table>\n", d->f);
	for (size_t i = 0; i < t->ncells; i++) {
		right = rdoc_align_right(t, i % t->ncols);
		if (i % t->ncols == 0)
			fputs(d->html ? "<tr>" : "|", d->f);
		tag = i < t->ncols ? "th" : "td";
		if (d->html)
			fprintf(d->f, "<%s%s>", tag,
			    right ? " class=\"num\"" : "");
		else
			fputs(" ", d->f);
		rdoc_text(d, t->cell[i]);
		if (d->html)
			fprintf(d->f, "</%s>", tag);
		else
			fputs(" |", d->f);
		if (i % t->ncols == t->ncols - 1)
			fputs(d->html ? "</tr>\n" : "\n", d->f);
		/* Markdown's delimiter row follows the header. */
		if (!d->html && i == t->ncols - 1) {
			fputs("|", d->f);
			for (size_t j = 0; j < t->ncols; j++)
				fputs(rdoc_align_right(t, j) ? " --: |" :
				    " :-- |", d->f);
			fputs("\n", d->f);
		}
		free(t->cell[i]);
	}
	fputs(d->html ? "</table>\n" : "\n", d->f);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}
