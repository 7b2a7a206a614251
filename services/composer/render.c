/* Rendering helpers for channel limits. */
#include "render.h"

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
