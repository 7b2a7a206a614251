/* QR codes as SVG (qr_svg.h). */
#include "api/qr_svg.h"

#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "xmalloc.h"

/* A growing string. */
struct buf {
	char *s;
	size_t len, cap;
};

/* Appends the formatted text to b. */
__attribute__((format(printf, 2, 3))) static void buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if ((size_t)n < b->cap - b->len)
			break;
		b->cap = b->cap * 2 + (size_t)n;
		b->s = xrealloc(b->s, b->cap);
	}
	b->len += (size_t)n;
}

/* The dark modules of row y as runs: M x y h run v1 h -run z. */
static void qr_row(struct buf *b, const QRcode *qr, int y)
{
	for (int x = 0; x < qr->width;) {
		int run = 0;
		while (x + run < qr->width && (qr->data[y * qr->width + x + run] & 1))
			run++;
		if (run > 0)
			buf_add(b, "M%d %dh%dv1h-%dz", x + QR_SVG_QUIET, y + QR_SVG_QUIET, run,
			        run);
		x += run > 0 ? run : 1;
	}
}

char *qr_svg(const char *text, const char *title)
{
	QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	struct buf b = { xmalloc(4096), 0, 4096 };
	char *t;
	int side;

	if (qr == NULL) {
		free(b.s);
		return NULL;
	}
	side = qr->width + 2 * QR_SVG_QUIET;
	t = esc_text(title, ESC_XML);
	buf_add(&b,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
	        "height=\"%d\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" "
	        "role=\"img\" aria-label=\"%s\">\n<title>%s</title>\n"
	        "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
	        side * QR_SVG_MODULE_PX, side * QR_SVG_MODULE_PX, side, side, t, t, side, side);
	for (int y = 0; y < qr->width; y++)
		qr_row(&b, qr, y);
	buf_add(&b, "\"/>\n</svg>\n");
	free(t);
	QRcode_free(qr);
	return b.s;
}
