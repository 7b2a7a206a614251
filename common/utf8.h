/*
 * UTF-8, the one place that knows it. Every text that reaches
 * PostgreSQL, a provider or a page must be valid UTF-8 (RFC 3629): no
 * overlong forms, no surrogates (U+D800..U+DFFF), nothing above
 * U+10FFFF, no stray continuation bytes, no sequence cut short.
 *
 *   at the HTTP edge   utf8_invalid_at(): refuse (400 naming the field)
 *   from providers     utf8_repair(): never refuse, replace with U+FFFD
 *   into a fixed size  utf8_truncate() / utf8_format(): cut between
 *                      characters, optionally ending with "…"
 *
 * Every function takes untrusted bytes: invalid input is never read
 * past its end and never makes the output longer than promised.
 */
#ifndef BND_UTF8_H
#define BND_UTF8_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define UTF8_REPLACEMENT "\xEF\xBF\xBD"   /* U+FFFD, 3 bytes */
#define UTF8_ELLIPSIS "\xE2\x80\xA6"      /* U+2026 "…", 3 bytes */

/*
 * Length (1-4) of the valid sequence at s, of which avail bytes may be
 * read; 0 if the bytes there do not start a valid character (or it does
 * not end within avail).
 */
size_t utf8_seq(const unsigned char *s, size_t avail);
/* The code point of the valid sequence of n bytes at s (from utf8_seq). */
unsigned utf8_decode(const unsigned char *s, size_t n);
/* Offset of the first byte of s[0..len) that is not valid UTF-8, or len. */
size_t utf8_invalid_at(const char *s, size_t len);
/* True if s[0..len) is valid UTF-8 (NUL bytes count as valid). */
bool utf8_valid(const char *s, size_t len);
/* utf8_valid over a NUL-terminated string. */
bool utf8_valid_str(const char *s);
/* Characters (code points) in s; each invalid byte counts as one. */
size_t utf8_chars(const char *s);
/*
 * How many bytes of s[0..len) to keep so that at most max bytes remain
 * and no valid character is split (an invalid byte counts as one
 * character of its own).
 */
size_t utf8_cut(const char *s, size_t len, size_t max);
/*
 * Copies src into dst (size bytes, NUL included) cut with utf8_cut; if
 * anything was cut and ellipsis is set, "…" ends the copy within the same
 * size. Returns true if src was cut. size 0 writes nothing.
 */
bool utf8_truncate(char *dst, size_t size, const char *src, bool ellipsis);
/* A new NUL-terminated copy of s[0..len) with every invalid byte replaced
 * by U+FFFD and NUL bytes dropped; caller frees. */
char *utf8_repair(const char *s, size_t len);
/*
 * snprintf into dst whose result is always valid UTF-8: invalid bytes
 * (e.g. in a provider's message) become U+FFFD and a result longer than
 * size - 1 bytes is cut between characters, ending with "…".
 */
void utf8_format(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* utf8_format with a va_list. */
void utf8_vformat(char *dst, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
