/*
 * rtext.h - text for the renderers (render.h): strings written through
 * a FILE with open_memstream(3), and the escapes of each format, which
 * write untrusted text (run and model names, task ids) onto such a
 * FILE.  Nothing of report/ below it.  No I/O but to memory, no state,
 * callable from any thread.
 */
#ifndef REPORT_RTEXT_H
#define REPORT_RTEXT_H

#include <stddef.h>
#include <stdio.h>

/*
 * A string being written: open_memstream()'s stream and the two places
 * it keeps the string in, which only rtext_close() reads.
 */
struct rtext {
	FILE		*f;		/* write the string here */
	char		*s;		/* the stream's buffer */
	size_t		 len;		/* bytes in it */
};

/*
 * Open t: t->f then takes writes until rtext_close().  Allocation
 * failures abort, as xmalloc does.
 */
void	 rtext_open(struct rtext *t);

/*
 * Close t and return what was written to t->f: a new NUL-terminated
 * string, "" when nothing was, that the caller frees.  A write that
 * failed (out of memory) aborts, as xmalloc does.
 */
char	*rtext_close(struct rtext *t);

/*
 * s (borrowed, UTF-8, as jansson keeps strings) onto f as XML and HTML
 * text or attribute value, cut after "max" characters with an ellipsis
 * (SIZE_MAX: never).  &, <, >, " and ' become references; the control
 * characters, which XML 1.0 cannot carry even as references, become
 * spaces, and the non-characters U+FFFE and U+FFFF, which it does not
 * allow either, become U+FFFD.
 */
void	 rtext_xml(FILE *f, const char *s, size_t max);

/*
 * s (borrowed) onto f as Markdown text: the punctuation that could start
 * emphasis, code, a link, raw HTML, an entity or a table cell is
 * backslash-escaped, and control characters, a line end among them,
 * become spaces, so that a table row stays one line.
 */
void	 rtext_md(FILE *f, const char *s);

/*
 * s (borrowed) onto f as one CSV field, quoted as in RFC 4180 when it
 * holds a comma, a quote or a line end.
 */
void	 rtext_csv(FILE *f, const char *s);

/*
 * s (borrowed) onto f as it is, but for its control characters (line
 * ends included), which become spaces: one line of plain text, such as
 * a CSV comment line.
 */
void	 rtext_line(FILE *f, const char *s);

#endif /* REPORT_RTEXT_H */
