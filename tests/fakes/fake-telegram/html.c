/* A Telegram-HTML parser following the Bot API's rules and error texts. */
#include "html.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

#define HTML_DEPTH_MAX 64
#define HTML_TAG_MAX 32

/* A growing output buffer. */
struct out {
	char  *buf;
	size_t len, cap;
};

/* Appends n bytes. */
static void out_put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->buf = xrealloc(o->buf, o->cap);
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* Appends code point cp as UTF-8. */
static void out_utf8(struct out *o, unsigned long cp)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		out_put(o, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		out_put(o, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		out_put(o, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		out_put(o, b, 4);
	}
}

/*
 * Decodes the entity at s ('&'): returns its length and sets *cp, or 0 if
 * it is none (Telegram then keeps the '&' as text).
 */
static size_t html_entity(const char *s, unsigned long *cp)
{
	static const struct { const char *name; unsigned long cp; } named[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' },
	};
	const char *p = s + 2;
	unsigned long v = 0;
	bool hex;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (strncmp(s, named[i].name, strlen(named[i].name)) == 0) {
			*cp = named[i].cp;
			return strlen(named[i].name);
		}
	}
	if (s[1] != '#')
		return 0;
	hex = *p == 'x' || *p == 'X';
	if (hex)
		p++;
	if (!(hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
		return 0;
	for (; hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p); p++) {
		v = v * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)*p)
		                                              ? *p - '0'
		                                              : tolower((unsigned char)*p) - 'a' + 10);
		if (v > 0x10FFFF)
			return 0;
	}
	if (*p != ';' || v == 0 || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return (size_t)(p + 1 - s);
}

/* true if name is a tag Telegram supports. */
static bool html_tag_supported(const char *name)
{
	static const char *const tags[] = { "a", "b", "strong", "i", "em", "u", "ins", "s",
	                                    "strike", "del", "code", "pre", "span",
	                                    "tg-spoiler", "tg-emoji", "blockquote" };
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strcmp(tags[i], name) == 0)
			return true;
	return false;
}

/* The parser's state: input, position, open tags, output. */
struct html {
	const char *s;
	size_t      i;
	char        open[HTML_DEPTH_MAX][HTML_TAG_MAX];
	int         depth;
	struct out  out;
	char       *err;
	size_t      errlen;
};

/*
 * Reads the attributes of a start tag up to '>' (s[i] is just after the
 * name); notes whether class="tg-spoiler" was among them. 0 or -1.
 */
static int html_attributes(struct html *h, size_t begin, const char *tag, bool *spoiler)
{
	const char *s = h->s;

	for (;;) {
		size_t name_at, name_len, val_at, val_len;
		while (isspace((unsigned char)s[h->i]))
			h->i++;
		if (s[h->i] == '>')
			return 0;
		if (s[h->i] == '\0') {
			snprintf(h->err, h->errlen, "Unclosed start tag at byte offset %zu", begin);
			return -1;
		}
		name_at = h->i;
		while (s[h->i] != '\0' && s[h->i] != '=' && s[h->i] != '>' &&
		       !isspace((unsigned char)s[h->i]))
			h->i++;
		name_len = h->i - name_at;
		while (isspace((unsigned char)s[h->i]))
			h->i++;
		if (s[h->i] != '=') {
			snprintf(h->err, h->errlen, "Expected equal sign in declaration of an attribute "
			         "of the tag \"%s\" at byte offset %zu", tag, begin);
			return -1;
		}
		h->i++;
		while (isspace((unsigned char)s[h->i]))
			h->i++;
		if (s[h->i] == '"' || s[h->i] == '\'') {
			char q = s[h->i++];
			val_at = h->i;
			while (s[h->i] != '\0' && s[h->i] != q)
				h->i++;
			if (s[h->i] == '\0') {
				snprintf(h->err, h->errlen, "Unclosed start tag at byte offset %zu", begin);
				return -1;
			}
			val_len = h->i++ - val_at;
		} else {
			val_at = h->i;
			while (s[h->i] != '\0' && s[h->i] != '>' && !isspace((unsigned char)s[h->i]))
				h->i++;
			val_len = h->i - val_at;
		}
		if (name_len == 5 && strncmp(s + name_at, "class", 5) == 0 && val_len == 10 &&
		    strncmp(s + val_at, "tg-spoiler", 10) == 0)
			*spoiler = true;
	}
}

/* A start tag at h->i ('<'). 0 or -1. */
static int html_start_tag(struct html *h)
{
	size_t begin = h->i, n;
	char name[HTML_TAG_MAX];
	bool spoiler = false;

	h->i++;
	while (h->s[h->i] != '\0' && h->s[h->i] != '>' && !isspace((unsigned char)h->s[h->i]))
		h->i++;
	if (h->s[h->i] == '\0') {
		snprintf(h->err, h->errlen, "Unclosed start tag at byte offset %zu", begin);
		return -1;
	}
	n = h->i - begin - 1;
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	for (size_t k = 0; k < n; k++)
		name[k] = (char)tolower((unsigned char)h->s[begin + 1 + k]);
	name[n] = '\0';
	if (!html_tag_supported(name)) {
		snprintf(h->err, h->errlen, "Unsupported start tag \"%s\" at byte offset %zu", name,
		         begin);
		return -1;
	}
	if (html_attributes(h, begin, name, &spoiler) != 0)
		return -1;
	h->i++;   /* '>' */
	if (strcmp(name, "span") == 0 && !spoiler) {
		snprintf(h->err, h->errlen, "Tag \"span\" must have class \"tg-spoiler\" at byte "
		         "offset %zu", begin);
		return -1;
	}
	if (h->depth == HTML_DEPTH_MAX) {
		snprintf(h->err, h->errlen, "Too many nested tags at byte offset %zu", begin);
		return -1;
	}
	memcpy(h->open[h->depth++], name, n + 1);
	return 0;
}

/* An end tag at h->i ("</"). 0 or -1. */
static int html_end_tag(struct html *h)
{
	size_t begin = h->i, at, n;
	const char *expected;

	if (h->depth == 0) {
		snprintf(h->err, h->errlen, "Unexpected end tag at byte offset %zu", begin);
		return -1;
	}
	h->i += 2;
	at = h->i;
	while (h->s[h->i] != '\0' && h->s[h->i] != '>' && !isspace((unsigned char)h->s[h->i]))
		h->i++;
	n = h->i - at;
	while (isspace((unsigned char)h->s[h->i]))
		h->i++;
	if (h->s[h->i] != '>') {
		snprintf(h->err, h->errlen, "Unclosed end tag at byte offset %zu", begin);
		return -1;
	}
	h->i++;
	expected = h->open[h->depth - 1];
	if (n > 0 && (n != strlen(expected) || strncasecmp(h->s + at, expected, n) != 0)) {
		snprintf(h->err, h->errlen, "Unmatched end tag at byte offset %zu, expected \"</%s>\", "
		         "found \"</%.*s>\"", begin, expected, (int)(n < 32 ? n : 32), h->s + at);
		return -1;
	}
	h->depth--;
	return 0;
}

char *html_parse(const char *text, char *err, size_t errlen)
{
	struct html h = { .s = text, .err = err, .errlen = errlen };
	unsigned long cp;
	size_t n;

	out_put(&h.out, "", 0);
	while (text[h.i] != '\0') {
		char c = text[h.i];
		if (c == '&' && (n = html_entity(text + h.i, &cp)) > 0) {
			out_utf8(&h.out, cp);
			h.i += n;
		} else if (c == '<' && text[h.i + 1] == '/') {
			if (html_end_tag(&h) != 0)
				goto failed;
		} else if (c == '<') {
			if (html_start_tag(&h) != 0)
				goto failed;
		} else {
			out_put(&h.out, &c, 1);
			h.i++;
		}
	}
	if (h.depth > 0) {
		snprintf(err, errlen, "Can't find end tag corresponding to start tag \"%s\"",
		         h.open[h.depth - 1]);
		goto failed;
	}
	return h.out.buf;
failed:
	free(h.out.buf);
	return NULL;
}

long html_text_length(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;

	while (*p != '\0') {
		int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
		        : (*p & 0xF8) == 0xF0 ? 4 : 0;
		if (len == 0)
			return -1;
		for (int k = 1; k < len; k++)
			if ((p[k] & 0xC0) != 0x80)
				return -1;
		n += len == 4 ? 2 : 1;   /* outside the BMP: a surrogate pair */
		p += len;
	}
	return n;
}
