/* HTML/XML escaping with UTF-8 repair. */
#include "text_escape.h"

#include <string.h>

#include "xmalloc.h"

#define REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD */

size_t esc_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* The replacement for one ASCII byte, or NULL to copy it. */
static const char *entity(unsigned char c, enum esc_mode mode)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return mode == ESC_TELEGRAM ? NULL : "&#39;";
	}
	/* XML 1.0 allows only tab, newline and carriage return below 0x20. */
	if (mode == ESC_XML && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f))
		return "";
	return NULL;
}

char *esc_text(const char *s, enum esc_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t cap = strlen(s) * 6 + 1, w = 0;   /* "&quot;" is the longest growth */
	char *out = xmalloc(cap);

	while (*p != '\0') {
		size_t n = esc_utf8_len(p);
		const char *rep;

		if (n == 0) {
			memcpy(out + w, REPLACEMENT, 3);
			w += 3;
			p++;
			continue;
		}
		rep = n == 1 ? entity(*p, mode) : NULL;
		if (rep != NULL) {
			memcpy(out + w, rep, strlen(rep));
			w += strlen(rep);
		} else {
			memcpy(out + w, p, n);
			w += n;
		}
		p += n;
	}
	out[w] = '\0';
	return out;
}
