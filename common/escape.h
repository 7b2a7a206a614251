/*
 * The one escaper for text written into markup: HTML pages and attribute
 * values (ingest's archive and sign-up form), Atom feeds, and Telegram's
 * parse_mode HTML (render.c). Input is treated as untrusted bytes:
 * invalid UTF-8 becomes U+FFFD, so the output is always valid UTF-8.
 */
#ifndef BND_ESCAPE_H
#define BND_ESCAPE_H

#include <stddef.h>

enum esc_mode {
	ESC_HTML,      /* & < > " ' -> entities (pages, attributes) */
	ESC_XML,       /* as HTML, and drops characters XML 1.0 forbids */
	ESC_TELEGRAM,  /* & < > " only, as Telegram's parse_mode HTML takes them */
};

/* The escaped copy of s; caller frees. */
char *esc_text(const char *s, enum esc_mode mode);

#endif
