/*
 * out.h - what the verdict client shows people: error lines, the
 * progress line, tables.
 *
 * Everything meant for a program goes to standard output and is written
 * by the commands themselves (JSON, NDJSON, ids, tables).  Everything
 * else goes to standard error through here: messages as "verdict: ...",
 * and a progress line that is drawn only when standard error is a
 * terminal.  A message first erases a progress line on the screen, so
 * the two never share a line.
 *
 * The client is a one-shot, single-threaded program: this module keeps
 * the state of the progress line in file-scope variables.
 */
#ifndef CLIENT_OUT_H
#define CLIENT_OUT_H

#include <stdbool.h>
#include <stdio.h>

struct out_table;			/* opaque */

/* Print "verdict: MESSAGE" and a newline on standard error. */
void	 out_err(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Whether standard error is a terminal (progress lines are drawn). */
bool	 out_is_tty(void);

/*
 * Draw the progress line (one line, no newline), replacing the previous
 * one.  Does nothing when standard error is not a terminal, or when the
 * line was drawn less than a tenth of a second ago unless "force".
 */
void	 out_progress(bool force, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Erase the progress line, if one is on the screen. */
void	 out_progress_clear(void);

/*
 * Write a bar of "width" cells for "frac" (clamped to 0..1), as
 * "[#####-----]", into buf (size len).  Returns buf.
 */
char	*out_bar(char *buf, size_t len, int width, double frac);

/*
 * Seconds on the monotonic clock since an arbitrary start, for rates
 * and deadlines.
 */
double	 out_now(void);

/* Sleep "secs" seconds (fractions allowed; nothing for secs <= 0). */
void	 out_sleep(double secs);

/*
 * A table with "ncols" columns, aligned when printed; "align" holds one
 * letter per column, 'l' or 'r'.  Returns a new table to release with
 * out_table_free().
 */
struct out_table *out_table_new(int ncols, const char *align);

/*
 * Add a row of "ncols" cells (each a C string, copied).  Text from the
 * server must be escaped first (cmd_json_text() does): the columns are
 * aligned by bytes.
 */
void	 out_table_add(struct out_table *, ...);

/* Print the rows, columns separated by two spaces. */
void	 out_table_print(const struct out_table *, FILE *);

/* Release a table.  out_table_free(NULL) is a no-op. */
void	 out_table_free(struct out_table *);

#endif /* CLIENT_OUT_H */
