/*
 * A QR code as an SVG image, for printing on a poster: libqrencode
 * (Debian libqrencode-dev) encodes the text (8-bit mode, error
 * correction level M: a poster survives some dirt), and the modules are
 * written as one path of rectangles, run by run, on a white square with
 * the 4-module quiet zone the standard asks for. Scalable: the viewBox is
 * in modules, the size QR_SVG_MODULE_PX pixels a module by default.
 */
#ifndef BND_QR_SVG_H
#define BND_QR_SVG_H

#define QR_SVG_QUIET 4
#define QR_SVG_MODULE_PX 8

/* The SVG document of text's QR code, titled title (escaped here); NULL
 * if text cannot be encoded (too long). Caller frees. */
char *qr_svg(const char *text, const char *title);

#endif
