/* Rendering helpers for channel limits. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

char *render_clip(const char *src, size_t max)
{
	static const char ellipsis[] = "\xE2\x80\xA6";   /* U+2026 */
	size_t n = strlen(src);
	char *out;

	if (n <= max)
		return xstrdup(src);
	n = max - (sizeof(ellipsis) - 1);
	/* Back up to the start of a UTF-8 sequence. */
	while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
		n--;
	out = xmalloc(n + sizeof(ellipsis));
	memcpy(out, src, n);
	memcpy(out + n, ellipsis, sizeof(ellipsis));
	return out;
}

void render_wa_param(char *s)
{
	char *w = s;
	int space = 0;

	for (char *r = s; *r != '\0'; r++) {
		int blank = *r == '\n' || *r == '\r' || *r == '\t' || *r == ' ';
		if (blank) {
			if (!space && w != s)
				*w++ = ' ';
			space = 1;
		} else {
			*w++ = *r;
			space = 0;
		}
	}
	while (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* Bytes of the UTF-8 sequence starting with c (1 for a stray byte). */
static size_t utf8_seq_len(unsigned char c)
{
	if (c >= 0xF0)
		return 4;
	if (c >= 0xE0)
		return 3;
	if (c >= 0xC0)
		return 2;
	return 1;
}

size_t render_units(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p & 0xC0) != 0x80)
			n += *p >= 0xF0 ? 2 : 1;   /* outside the BMP: a surrogate pair */
	return n;
}

char *render_clip_units(const char *src, size_t max)
{
	static const char ellipsis[] = "\xE2\x80\xA6";   /* U+2026: one unit */
	size_t units = 0, i = 0, n;
	char *out;

	if (render_units(src) <= max)
		return xstrdup(src);
	/* Keep whole sequences while they fit in max - 1 units (room for "…"). */
	while (src[i] != '\0') {
		size_t len = utf8_seq_len((unsigned char)src[i]), u = len == 4 ? 2 : 1;
		if (units + u + 1 > max)
			break;
		for (n = 1; n < len && src[i + n] != '\0'; n++)
			;
		i += n;
		units += u;
	}
	out = xmalloc(i + sizeof(ellipsis));
	memcpy(out, src, i);
	memcpy(out + i, ellipsis, sizeof(ellipsis));
	return out;
}

char *render_html_escape(const char *s)
{
	size_t n = 0;
	char *out, *w;

	for (const char *p = s; *p != '\0'; p++)
		n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' ? 6 : 1;
	out = w = xmalloc(n + 1);
	for (const char *p = s; *p != '\0'; p++) {
		const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
		                : *p == '"' ? "&quot;" : NULL;
		if (rep != NULL) {
			memcpy(w, rep, strlen(rep));
			w += strlen(rep);
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return out;
}

char *render_tg_notice(const char *title, const char *body)
{
	char *t = render_clip_units(title, RENDER_TG_TITLE_MAX);
	/* "\n\n" between title and body: two units. */
	size_t room = RENDER_TG_TEXT_MAX - render_units(t) - 2;
	char *b = render_clip_units(body, room);
	char *te = render_html_escape(t), *be = render_html_escape(b), *out;

	if (*b == '\0')
		out = xasprintf("<b>%s</b>", te);
	else
		out = xasprintf("<b>%s</b>\n\n%s", te, be);
	free(t);
	free(b);
	free(te);
	free(be);
	return out;
}
