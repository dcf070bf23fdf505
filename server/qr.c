/*
 * qr.c — QR code rendering. libqrencode makes the module matrix; we draw
 * it: PNG through libpng (1-bit greyscale, in memory), SVG as one path of
 * unit squares (no script, no external reference, so it can be inlined in
 * the printable sheet).
 */
#include "server/qr.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#define QR_MARGIN 4

static QRcode *
qr_make(const char *text)
{
	size_t n = strlen(text);

	if (n == 0 || n > QR_MAX_TEXT)
		return NULL;
	return QRcode_encodeData((int)n, (const unsigned char *)text, 0,
	    QR_ECLEVEL_M);
}

struct membuf {
	uint8_t *p;
	size_t len, cap;
};

static void
png_mem_write(png_structp png, png_bytep data, png_size_t n)
{
	struct membuf *m = png_get_io_ptr(png);

	if (m->len + n > m->cap) {
		while (m->len + n > m->cap)
			m->cap = m->cap ? 2 * m->cap : 4096;
		m->p = xreallocarray(m->p, m->cap, 1);
	}
	memcpy(m->p + m->len, data, n);
	m->len += n;
}

static void
png_mem_flush(png_structp png)
{
	(void)png;
}

int
qr_png(const char *text, unsigned scale, uint8_t **out, size_t *outlen)
{
	QRcode *qr = NULL;
	png_structp png = NULL;
	png_infop info = NULL;
	struct membuf m = { 0 };
	uint8_t *row = NULL;
	volatile int rc = -1; /* survives png's longjmp */

	*out = NULL;
	*outlen = 0;
	if (scale < 1 || scale > 32 || (qr = qr_make(text)) == NULL)
		return -1;
	size_t w = (size_t)qr->width;
	size_t px = (w + 2 * QR_MARGIN) * scale;
	row = xcalloc((px + 7) / 8, 1);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL)
		goto out;
	if (setjmp(png_jmpbuf(png)))
		goto out;
	png_set_write_fn(png, &m, png_mem_write, png_mem_flush);
	png_set_IHDR(png, info, (png_uint_32)px, (png_uint_32)px, 1,
	    PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (size_t y = 0; y < px; y++) {
		size_t my = y / scale;
		memset(row, 0xff, (px + 7) / 8);
		for (size_t x = 0; x < px; x++) {
			size_t mx = x / scale;
			int dark = my >= QR_MARGIN && my < QR_MARGIN + w &&
			    mx >= QR_MARGIN && mx < QR_MARGIN + w &&
			    (qr->data[(my - QR_MARGIN) * w + (mx - QR_MARGIN)] &
				1);
			if (dark)
				row[x / 8] &= (uint8_t)~(0x80u >> (x % 8));
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	*out = m.p;
	*outlen = m.len;
	m.p = NULL;
	rc = 0;
out:
	png_destroy_write_struct(&png, &info);
	free(m.p);
	free(row);
	QRcode_free(qr);
	return rc;
}

char *
qr_svg(const char *text)
{
	QRcode *qr = qr_make(text);
	char *svg = NULL, *p;
	size_t cap, off = 0, w;
	int n;

	if (qr == NULL)
		return NULL;
	w = (size_t)qr->width;
	/* Each dark module is at most "M%zu %zuh1v1h-1z" (~24 bytes). */
	cap = 512 + w * w * 24;
	svg = xmalloc(cap);
	n = snprintf(svg, cap,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %zu %zu\""
	    " width=\"%zu\" height=\"%zu\" shape-rendering=\"crispEdges\""
	    " role=\"img\" aria-label=\"QR code\">"
	    "<rect width=\"%zu\" height=\"%zu\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"",
	    w + 2 * QR_MARGIN, w + 2 * QR_MARGIN, (w + 2 * QR_MARGIN) * 8,
	    (w + 2 * QR_MARGIN) * 8, w + 2 * QR_MARGIN, w + 2 * QR_MARGIN);
	if (n < 0 || (size_t)n >= cap)
		goto fail;
	off = (size_t)n;
	for (size_t y = 0; y < w; y++)
		for (size_t x = 0; x < w; x++) {
			if (!(qr->data[y * w + x] & 1))
				continue;
			p = svg + off;
			n = snprintf(p, cap - off, "M%zu %zuh1v1h-1z",
			    x + QR_MARGIN, y + QR_MARGIN);
			if (n < 0 || (size_t)n >= cap - off)
				goto fail;
			off += (size_t)n;
		}
	n = snprintf(svg + off, cap - off, "\"/></svg>\n");
	if (n < 0 || (size_t)n >= cap - off)
		goto fail;
	QRcode_free(qr);
	return svg;
fail:
	free(svg);
	QRcode_free(qr);
	return NULL;
}

char *
qr_text(const char *text)
{
	static const char *cell[4] = { "\xe2\x96\x88", "\xe2\x96\x80",
		"\xe2\x96\x84", " " };	/* index: top dark * 2 + bottom dark */
	QRcode *qr = qr_make(text);
	size_t side, rows, cap, len = 0;
	char *out;

	if (qr == NULL)
		return NULL;
	side = (size_t)qr->width + 2 * QR_MARGIN;
	rows = (side + 1) / 2;
	cap = rows * (side * 3 + 1) + 1;
	out = xmalloc(cap);
	for (size_t r = 0; r < rows; r++) {
		for (size_t x = 0; x < side; x++) {
			int d[2];
			for (int k = 0; k < 2; k++) {
				size_t y = 2 * r + (size_t)k;
				d[k] = y >= QR_MARGIN && x >= QR_MARGIN &&
				    y < QR_MARGIN + (size_t)qr->width &&
				    x < QR_MARGIN + (size_t)qr->width &&
				    (qr->data[(y - QR_MARGIN) *
				    (size_t)qr->width + (x - QR_MARGIN)] & 1);
			}
			const char *c = cell[d[0] * 2 + d[1]];
			size_t n = strlen(c);
			memcpy(out + len, c, n);
			len += n;
		}
		out[len++] = '\n';
	}
	out[len] = '\0';
	QRcode_free(qr);
	return out;
}
