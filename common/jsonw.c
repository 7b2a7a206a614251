/* A JSON writer for request bodies: one buffer, escaped strings, UTF-8 checked. */
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xmalloc.h"

/* Makes room for n more bytes and the terminating NUL. */
static void jw_reserve(struct jsonw *w, size_t n)
{
	if (w->len + n + 1 <= w->cap)
		return;
	while (w->len + n + 1 > w->cap)
		w->cap = w->cap < 256 ? 256 : w->cap * 2;
	w->buf = xrealloc(w->buf, w->cap);
}

static void jw_put(struct jsonw *w, const char *s, size_t n)
{
	jw_reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

void jw_raw(struct jsonw *w, const char *s)
{
	jw_put(w, s, strlen(s));
}

/* The escape for a byte that needs one (quote, backslash, control), else NULL. */
static const char *jw_escape(unsigned char c, char tmp[8])
{
	static const char hex[] = "0123456789ABCDEF";

	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\b': return "\\b";
	case '\f': return "\\f";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	default: break;
	}
	if (c >= 0x20)
		return NULL;
	memcpy(tmp, "\\u00", 4);
	tmp[4] = hex[c >> 4];
	tmp[5] = hex[c & 0xf];
	tmp[6] = '\0';
	return tmp;
}

void jw_str(struct jsonw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	const unsigned char *end = p + strlen(s);
	char tmp[8];

	jw_put(w, "\"", 1);
	while (p < end) {
		size_t n;
		const char *esc;
		if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
			p++;   /* printable ASCII, most of any text: as it is, no call per byte */
			continue;
		}
		n = utf8_seq(p, (size_t)(end - p));
		esc = n == 1 ? jw_escape(*p, tmp) : NULL;
		if (n == 0) {
			w->bad = true;
			return;
		}
		if (esc == NULL) {
			p += n;
			continue;
		}
		jw_put(w, (const char *)run, (size_t)(p - run));
		jw_raw(w, esc);
		run = ++p;
	}
	jw_put(w, (const char *)run, (size_t)(p - run));
	jw_put(w, "\"", 1);
}

void jw_kv(struct jsonw *w, bool comma, const char *key, const char *value)
{
	if (comma)
		jw_put(w, ",", 1);
	jw_put(w, "\"", 1);
	jw_raw(w, key);
	jw_put(w, "\":", 2);
	jw_str(w, value);
}

char *jw_finish(struct jsonw *w)
{
	char *out = w->buf;

	if (w->bad || out == NULL) {
		free(out);
		out = NULL;
	}
	memset(w, 0, sizeof(*w));
	return out;
}
