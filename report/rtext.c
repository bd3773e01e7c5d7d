/*
 * rtext.c - strings written through a FILE, and the escapes of each
 * format.  See rtext.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "report/rtext.h"

void
rtext_open(struct rtext *t)
{
	t->s = NULL;
	t->len = 0;
	if ((t->f = open_memstream(&t->s, &t->len)) == NULL)
		fatalx("report: out of memory (open_memstream)");
}

/*
 * A memory stream fails only when it cannot grow its buffer; the error
 * sticks to the stream (ferror) until it is closed.
 */
char *
rtext_close(struct rtext *t)
{
	bool	 failed = ferror(t->f) != 0;

	if (fclose(t->f) != 0 || failed)
		fatalx("report: out of memory (open_memstream)");
	t->f = NULL;
	return t->s;
}

void
rtext_xml(FILE *f, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		 nch = 0;

	for (; *p != '\0'; p++) {
		if ((*p & 0xc0) != 0x80 && nch++ == max) {
			fputs("\xe2\x80\xa6", f);
			return;
		}
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fputc(' ', f);
			} else if (p[0] == 0xef && p[1] == 0xbf &&
			    (p[2] == 0xbe || p[2] == 0xbf)) {
				fputs("\xef\xbf\xbd", f);
				p += 2;
			} else {
				fputc(*p, f);
			}
			break;
		}
	}
}

/* CommonMark allows a backslash before any ASCII punctuation. */
void
rtext_md(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			fputc(' ', f);
			continue;
		}
		if (strchr("\\`*_[]<>&|~!#", *s) != NULL)
			fputc('\\', f);
		fputc(*s, f);
	}
}

void
rtext_csv(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void
rtext_line(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
}
