/* UTF-8 validation, truncation between characters, repair; see utf8.h. */
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* The sequence length a lead byte announces (2-4) with the bits it carries,
 * or 0 for bytes that never lead (continuations, C0, C1, F5..FF). */
static size_t utf8_lead(unsigned char c, unsigned *bits)
{
	if (c >= 0xC2 && c <= 0xDF) {
		*bits = c & 0x1F;
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		*bits = c & 0x0F;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		*bits = c & 0x07;
		return 4;
	}
	return 0;
}

size_t utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned cp = 0;
	size_t n;

	if (avail == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	n = utf8_lead(s[0], &cp);
	if (n == 0 || n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong three- and four-byte forms, surrogates, beyond U+10FFFF
	 * (two-byte overlongs have leads C0/C1, refused above). */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

unsigned utf8_decode(const unsigned char *s, size_t n)
{
	unsigned cp = 0;

	if (n <= 1)
		return s[0];
	(void)utf8_lead(s[0], &cp);
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

size_t utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n;
		if (p[i] < 0x80) {   /* ASCII, most of any text here: no call per byte */
			i++;
			continue;
		}
		if ((n = utf8_seq(p + i, len - i)) == 0)
			return i;
		i += n;
	}
	return len;
}

bool utf8_valid(const char *s, size_t len)
{
	return utf8_invalid_at(s, len) == len;
}

bool utf8_valid_str(const char *s)
{
	return utf8_valid(s, strlen(s));
}

size_t utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, chars = 0;

	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);
		i += n != 0 ? n : 1;
		chars++;
	}
	return chars;
}

size_t utf8_cut(const char *s, size_t len, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (len <= max)
		return len;
	while (i < max) {
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0)
			n = 1;
		if (i + n > max)
			break;
		i += n;
	}
	return i;
}

bool utf8_truncate(char *dst, size_t size, const char *src, bool ellipsis)
{
	size_t len = strlen(src), keep;
	const size_t el = sizeof(UTF8_ELLIPSIS) - 1;

	if (size == 0)
		return len > 0;
	if (len < size) {
		memmove(dst, src, len + 1);
		return false;
	}
	if (ellipsis && size - 1 >= el) {
		keep = utf8_cut(src, len, size - 1 - el);
		memmove(dst, src, keep);
		memcpy(dst + keep, UTF8_ELLIPSIS, el + 1);
	} else {
		keep = utf8_cut(src, len, size - 1);
		memmove(dst, src, keep);
		dst[keep] = '\0';
	}
	return true;
}

char *utf8_repair(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(len * 3 + 1);   /* each bad byte grows to 3 at most */
	size_t i = 0, w = 0;

	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0) {
			memcpy(out + w, UTF8_REPLACEMENT, 3);
			w += 3;
			i++;
		} else if (n == 1 && p[i] == '\0') {
			i++;
		} else {
			memcpy(out + w, p + i, n);
			w += n;
			i += n;
		}
	}
	out[w] = '\0';
	return out;
}

void utf8_vformat(char *dst, size_t size, const char *fmt, va_list ap)
{
	va_list again;
	char *raw = NULL, *fixed;
	int n;

	if (size == 0)
		return;
	va_copy(again, ap);
	n = vsnprintf(dst, size, fmt, ap);
	/* The usual case: it fitted and was valid; nothing allocated. */
	if (n >= 0 && (size_t)n < size && utf8_valid(dst, (size_t)n)) {
		va_end(again);
		return;
	}
	n = vasprintf(&raw, fmt, again);
	va_end(again);
	if (n < 0) {
		dst[0] = '\0';
		return;
	}
	fixed = utf8_valid(raw, (size_t)n) ? raw : utf8_repair(raw, (size_t)n);
	(void)utf8_truncate(dst, size, fixed, true);
	if (fixed != raw)
		free(fixed);
	free(raw);
}

void utf8_format(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	utf8_vformat(dst, size, fmt, ap);
	va_end(ap);
}
