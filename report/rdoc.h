/*
 * rdoc.h - a document of the renderers (render.h) in Markdown or HTML:
 * headings, paragraphs and tables written in either syntax onto a FILE,
 * escaping their text as they go (rtext.h), so that the sections of a
 * report (rsection.h) are written once for both formats.  Callable from
 * any thread.
 */
#ifndef REPORT_RDOC_H
#define REPORT_RDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A Markdown or HTML document being written. */
struct rdoc {
	FILE		*f;		/* written onto, borrowed */
	bool		 html;		/* else Markdown */
};

/*
 * A table of text cells, row-major, the header row first.  Set ncols
 * and align, add the cells with rdoc_cell() and friends, then write it
 * with rdoc_table_end().
 */
struct rdoc_table {
	size_t		 ncols;
	const char	*align;		/* 'l' or 'r' a column, the last
					   for all the columns past it */
	char		**cell;		/* ncells new strings, unescaped */
	size_t		 ncells;
	size_t		 cap;
};

/* The text s (borrowed), escaped for the document's syntax. */
void	 rdoc_text(struct rdoc *d, const char *s);

/*
 * A heading of "level" (1..6) whose text is fmt formatted, then
 * escaped: "<hN>text</hN>\n" in HTML, "## text\n\n" in Markdown.
 */
void	 rdoc_heading(struct rdoc *d, int level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * A paragraph whose text is fmt formatted, then escaped; in HTML, of
 * class "cls" (ours, not escaped; NULL: none).
 */
void	 rdoc_para(struct rdoc *d, const char *cls, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Add the next cell of t, fmt formatted (it is escaped when the table
 * is written).  Allocation failures abort, as xmalloc does.
 */
void	 rdoc_cell(struct rdoc_table *t, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Add a percentage cell, "%.2f", or "-" when v is not a number. */
void	 rdoc_cell_pct(struct rdoc_table *t, double v);

/* Add a count cell, "%.0f", or "-" when v is not a number. */
void	 rdoc_cell_count(struct rdoc_table *t, double v);

/*
 * Write the table t into d (in Markdown, the delimiter row after the
 * header row), release its cells and empty t.
 */
void	 rdoc_table_end(struct rdoc *d, struct rdoc_table *t);

#endif /* REPORT_RDOC_H */
