/*
 * export.h - SVG figures as a PDF or a PNG, for slides and LaTeX: the
 * report's plots (the daemon's format=svg) drawn in the client, in
 * process, with librsvg and cairo (nothing forks or execs: DESIGN.md).
 *
 * One figure, or several laid out on one page: EXPORT_COLS to a row,
 * in the order given, each row as tall as its tallest figure, with
 * EXPORT_PAD_PX of white around and between them (none around a single
 * figure: its own frame is the page).  The page is white.
 *   pdf  one page, vector (text stays text; cairo embeds the subsets of
 *        the fonts used, so the file looks the same everywhere); one SVG
 *        pixel is 0.75 pt (96 per inch), so a 640-pixel plot is 480 pt
 *        wide.
 *   png  one 8-bit RGB image, "scale" pixels per SVG pixel.
 * The fonts are the ones fontconfig finds for the SVG's font-family on
 * the machine running the client.
 */
#ifndef CLIENT_EXPORT_H
#define CLIENT_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#define EXPORT_COLS		2	/* figures in a row of a page */
#define EXPORT_PAD_PX		16	/* white between figures, in SVG px */
#define EXPORT_SCALE_MAX	8	/* largest png scale */

enum export_format {
	EXPORT_PDF,
	EXPORT_PNG,
};

/* One figure to draw. */
struct export_fig {
	const char	*name;		/* for messages ("pass"); borrowed */
	const char	*svg;		/* the SVG document; borrowed */
	size_t		 len;		/* its bytes */
};

/*
 * Parse a format name, "pdf" or "png" (exact, lower case).  Returns 0
 * and stores the format in *out, or -EINVAL (storing nothing) for any
 * other string or NULL.
 */
int	 export_format_parse(const char *, enum export_format *out);

/*
 * Draw the "n" figures of "figs" (n >= 1) on one page in "format" and
 * write it to "fp" ("scale": png only, in (0, EXPORT_SCALE_MAX]).  Every
 * figure is read before the first byte is written, so a figure librsvg
 * cannot read, or one without a size, writes nothing.  "dest" names fp
 * in messages.  Returns 0; or -EINVAL (a figure not drawable), -ENOMEM
 * (cairo could not make the surface) or the negative errno of a failed
 * write (-EIO when unknown), with "verdict: DEST: ..." printed.  fp is
 * not flushed or closed.
 */
int	 export_write(FILE *fp, const char *dest, enum export_format format,
	    double scale, const struct export_fig *figs, size_t n);

#endif /* CLIENT_EXPORT_H */
