/*
 * out.c - messages, progress line and tables on the terminal.  See out.h.
 *
 * The clock helpers live here because the progress line is their first
 * user (it is redrawn at most ten times a second); the retry waits of
 * http.c and the polling of "verdict wait" use the same clock.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/out.h"
#include "common/xmalloc.h"

#define OUT_PROGRESS_EVERY	0.1	/* seconds between redraws */

struct out_table {
	int		 ncols;
	char		*align;		/* 'l' or 'r' per column */
	char		**cells;	/* nrows * ncols, row by row */
	size_t		 nrows;
	size_t		 cap;		/* rows allocated */
};

static int	 out_tty = -1;		/* isatty(2), once known */
static bool	 out_shown;		/* a progress line is on the screen */
static double	 out_drawn;		/* when it was drawn (out_now()) */

void
out_err(const char *fmt, ...)
{
	va_list	 ap;

	out_progress_clear();
	fputs("verdict: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool
out_is_tty(void)
{
	if (out_tty == -1)
		out_tty = isatty(STDERR_FILENO);
	return out_tty == 1;
}

void
out_progress(bool force, const char *fmt, ...)
{
	va_list	 ap;
	double	 now;

	if (!out_is_tty())
		return;
	now = out_now();
	if (!force && out_shown && now - out_drawn < OUT_PROGRESS_EVERY)
		return;
	/* Back to the start of the line, the text, erase what is left. */
	fputc('\r', stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\033[K", stderr);
	fflush(stderr);
	out_shown = true;
	out_drawn = now;
}

void
out_progress_clear(void)
{
	if (!out_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	out_shown = false;
}

char *
out_bar(char *buf, size_t len, int width, double frac)
{
	int	 full, i;
	size_t	 o = 0;

	if (!(frac > 0))		/* also NaN */
		frac = 0;
	if (frac > 1)
		frac = 1;
	full = (int)(frac * width);
	if (len < (size_t)width + 3) {
		buf[0] = '\0';
		return buf;
	}
	buf[o++] = '[';
	for (i = 0; i < width; i++)
		buf[o++] = i < full ? '#' : '-';
	buf[o++] = ']';
	buf[o] = '\0';
	return buf;
}

double
out_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
out_sleep(double secs)
{
	struct timespec	 ts;

	if (!(secs > 0))
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* --- Tables --- */

struct out_table *
out_table_new(int ncols, const char *align)
{
	struct out_table	*t;

	t = xcalloc(1, sizeof(*t));
	t->ncols = ncols;
	t->align = xstrdup(align);
	return t;
}

void
out_table_add(struct out_table *t, ...)
{
	va_list		 ap;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = xreallocarray(t->cells, t->cap * (size_t)t->ncols,
		    sizeof(*t->cells));
	}
	va_start(ap, t);
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
		    xstrdup(va_arg(ap, const char *));
	va_end(ap);
	t->nrows++;
}

void
out_table_print(const struct out_table *t, FILE *fp)
{
	size_t		*width;
	const char	*cell;
	int		 pad;

	width = xcalloc((size_t)t->ncols, sizeof(*width));
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			cell = t->cells[r * (size_t)t->ncols + (size_t)c];
			if (strlen(cell) > width[c])
				width[c] = strlen(cell);
		}
	for (size_t r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			cell = t->cells[r * (size_t)t->ncols + (size_t)c];
			pad = (int)(width[c] - strlen(cell));
			if (c > 0)
				fputs("  ", fp);
			if (t->align[c] == 'r')
				fprintf(fp, "%*s%s", pad, "", cell);
			else if (c + 1 < t->ncols)
				fprintf(fp, "%s%*s", cell, pad, "");
			else
				fputs(cell, fp);	/* no trailing blanks */
		}
		fputc('\n', fp);
	}
	free(width);
}

void
out_table_free(struct out_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->align);
	free(t);
}
