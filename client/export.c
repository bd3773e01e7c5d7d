/*
 * export.c - SVG figures as a PDF or a PNG, drawn with librsvg on a
 * cairo surface.  See export.h.
 *
 * Both formats go through a cairo stream whose writes land in a FILE:
 * the caller picks the file (a temporary one renamed when done, or
 * standard output), and a failed write is told apart from a failed
 * drawing by the errno the stream kept.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <librsvg/rsvg.h>

#include "client/export.h"
#include "client/out.h"
#include "common/log.h"
#include "common/xmalloc.h"

/* Points per SVG pixel in a PDF: 72 per inch over CSS's 96. */
#define EXPORT_PT_PER_PX	0.75

/* A figure read, and its place on the page, in SVG pixels. */
struct export_cell {
	RsvgHandle	*svg;		/* new; NULL until read */
	double		 x, y;		/* top left corner */
	double		 w, h;		/* its intrinsic size */
};

/* Where a cairo stream writes. */
struct export_sink {
	FILE		*fp;		/* borrowed */
	int		 err;		/* errno of the first failed write */
};

int
export_format_parse(const char *s, enum export_format *out)
{
	if (s != NULL && strcmp(s, "pdf") == 0)
		*out = EXPORT_PDF;
	else if (s != NULL && strcmp(s, "png") == 0)
		*out = EXPORT_PNG;
	else
		return -EINVAL;
	return 0;
}

/* cairo's write function: every byte to the sink's file, or an error. */
static cairo_status_t
export_write_cb(void *arg, const unsigned char *data, unsigned int len)
{
	struct export_sink	*sink = arg;

	if (sink->err != 0)
		return CAIRO_STATUS_WRITE_ERROR;
	errno = 0;
	if (fwrite(data, 1, len, sink->fp) != len) {
		sink->err = errno != 0 ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/*
 * Print why figure "f" cannot be drawn, with librsvg's reason (escaped:
 * it may quote the document, which came from the server), and free it.
 */
static void
export_gerror(const char *dest, const struct export_fig *f, const char *what,
    GError *gerr)
{
	char	 reason[512];
	size_t	 len;

	if (gerr != NULL) {
		len = strlen(gerr->message);
		while (len > 0 && gerr->message[len - 1] == '\n')
			len--;
		log_escape(reason, sizeof(reason), gerr->message, len);
	}
	out_err("%s: figure %s: %s%s%s", dest, f->name, what,
	    gerr != NULL ? ": " : "", gerr != NULL ? reason : "");
	if (gerr != NULL)
		g_error_free(gerr);
}

/* Read figure "f" into "c", with its size.  Returns 0 or -EINVAL. */
static int
export_read(const char *dest, const struct export_fig *f,
    struct export_cell *c)
{
	GError	*gerr = NULL;
	gdouble	 w, h;

	c->svg = rsvg_handle_new_from_data((const guint8 *)f->svg, f->len,
	    &gerr);
	if (c->svg == NULL) {
		export_gerror(dest, f, "not an SVG document", gerr);
		return -EINVAL;
	}
	if (!rsvg_handle_get_intrinsic_size_in_pixels(c->svg, &w, &h) ||
	    !(w > 0 && h > 0 && w < 1e5 && h < 1e5)) {
		export_gerror(dest, f, "the SVG has no usable width and height",
		    NULL);
		return -EINVAL;
	}
	c->w = w;
	c->h = h;
	return 0;
}

/*
 * Place the "n" cells: EXPORT_COLS to a row, each row as tall as its
 * tallest.  Stores the page's size in *wp and *hp.
 */
static void
export_layout(struct export_cell *c, size_t n, double *wp, double *hp)
{
	double	 pad = n > 1 ? EXPORT_PAD_PX : 0, cell_w = 0, y = pad, row_h;
	size_t	 cols = n < EXPORT_COLS ? n : EXPORT_COLS;

	for (size_t i = 0; i < n; i++)
		cell_w = fmax(cell_w, c[i].w);
	for (size_t i = 0; i < n; i += EXPORT_COLS) {
		row_h = 0;
		for (size_t j = i; j < n && j < i + EXPORT_COLS; j++) {
			c[j].x = pad + (double)(j - i) * (cell_w + pad);
			c[j].y = y;
			row_h = fmax(row_h, c[j].h);
		}
		y += row_h + pad;
	}
	*wp = pad + (double)cols * (cell_w + pad);
	*hp = y;
}

/* Paint the page white and draw the cells on it.  Returns 0 or -EINVAL. */
static int
export_draw(cairo_t *cr, const char *dest, const struct export_fig *figs,
    const struct export_cell *c, size_t n)
{
	RsvgRectangle	 vp;
	GError		*gerr = NULL;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	for (size_t i = 0; i < n; i++) {
		vp.x = c[i].x;
		vp.y = c[i].y;
		vp.width = c[i].w;
		vp.height = c[i].h;
		if (!rsvg_handle_render_document(c[i].svg, cr, &vp, &gerr)) {
			export_gerror(dest, &figs[i], "cannot draw it", gerr);
			return -EINVAL;
		}
	}
	return 0;
}

int
export_write(FILE *fp, const char *dest, enum export_format format,
    double scale, const struct export_fig *figs, size_t n)
{
	struct export_cell	*cells;
	struct export_sink	 sink = { fp, 0 };
	cairo_surface_t		*surface = NULL;
	cairo_t			*cr = NULL;
	cairo_status_t		 st;
	double			 w, h, k;
	int			 r = -EINVAL;

	cells = xcalloc(n, sizeof(*cells));
	for (size_t i = 0; i < n; i++)
		if ((r = export_read(dest, &figs[i], &cells[i])) != 0)
			goto out;
	export_layout(cells, n, &w, &h);
	if (format == EXPORT_PDF) {
		k = EXPORT_PT_PER_PX;
		surface = cairo_pdf_surface_create_for_stream(export_write_cb,
		    &sink, w * k, h * k);
	} else {
		k = scale;
		surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
		    (int)ceil(w * k), (int)ceil(h * k));
	}
	if ((st = cairo_surface_status(surface)) != CAIRO_STATUS_SUCCESS) {
		out_err("%s: cannot make a page of %.0f x %.0f: %s", dest,
		    w * k, h * k, cairo_status_to_string(st));
		r = -ENOMEM;
		goto out;
	}
	cr = cairo_create(surface);
	cairo_scale(cr, k, k);
	if ((r = export_draw(cr, dest, figs, cells, n)) != 0)
		goto out;
	st = cairo_status(cr);
	cairo_destroy(cr);
	cr = NULL;
	if (st == CAIRO_STATUS_SUCCESS && format == EXPORT_PDF) {
		cairo_surface_finish(surface);
		st = cairo_surface_status(surface);
	} else if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(surface,
		    export_write_cb, &sink);
	if (sink.err != 0) {
		out_err("cannot write %s: %s", dest, strerror(sink.err));
		r = -sink.err;
	} else if (st != CAIRO_STATUS_SUCCESS) {
		out_err("%s: %s", dest, cairo_status_to_string(st));
		r = -EIO;
	}
out:
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	for (size_t i = 0; i < n; i++)
		if (cells[i].svg != NULL)
			g_object_unref(cells[i].svg);
	free(cells);
	return r;
}
