/* HTML, XML and Telegram escaping with UTF-8 repair (escape.h). */
#include "escape.h"

#include <string.h>

#include "utf8.h"
#include "xmalloc.h"

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
	size_t left = strlen(s), w = 0;
	char *out = xmalloc(left * 6 + 1);   /* "&quot;" is the longest growth */

	while (left > 0) {
		size_t n = utf8_seq(p, left);
		const char *rep;

		if (n == 0) {
			memcpy(out + w, UTF8_REPLACEMENT, 3);
			w += 3;
			p++;
			left--;
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
		left -= n;
	}
	out[w] = '\0';
	return out;
}
