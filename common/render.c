/*
 * A notice rendered within each channel's limits: WhatsApp template
 * parameters, Telegram HTML. The composer sends what it renders; ingest's
 * editors' preview shows the same.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "utf8.h"
#include "xmalloc.h"

char *render_clip(const char *src, size_t max)
{
	char *out = xmalloc(max + 1);

	(void)utf8_truncate(out, max + 1, src, true);
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

size_t render_units(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n = 0;

	while (left > 0) {
		size_t len = utf8_seq(p, left);
		if (len == 0)
			len = 1;             /* a stray byte: one unit (U+FFFD once repaired) */
		n += len == 4 ? 2 : 1;   /* outside the BMP: a surrogate pair */
		p += len;
		left -= len;
	}
	return n;
}

char *render_clip_units(const char *src, size_t max)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t units = 0, i = 0, left = strlen(src);
	char *out;

	if (render_units(src) <= max)
		return xstrdup(src);
	/* Keep whole characters while they fit in max - 1 units (room for "…"). */
	while (i < left) {
		size_t len = utf8_seq(p + i, left - i), u;
		if (len == 0)
			len = 1;
		u = len == 4 ? 2 : 1;
		if (units + u + 1 > max)
			break;
		i += len;
		units += u;
	}
	out = xmalloc(i + sizeof(UTF8_ELLIPSIS));
	memcpy(out, src, i);
	memcpy(out + i, UTF8_ELLIPSIS, sizeof(UTF8_ELLIPSIS));
	return out;
}

/* render_tg_notice within max units. */
static char *render_tg_within(const char *title, const char *body, size_t max)
{
	char *t = render_clip_units(title, RENDER_TG_TITLE_MAX);
	/* "\n\n" between title and body: two units. */
	size_t room = max - render_units(t) - 2;
	char *b = render_clip_units(body, room);
	char *te = esc_text(t, ESC_TELEGRAM), *be = esc_text(b, ESC_TELEGRAM), *out;

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

char *render_tg_notice(const char *title, const char *body)
{
	return render_tg_within(title, body, RENDER_TG_TEXT_MAX);
}

char *render_archive_url(const char *base, const char *comune_id, const char *notice_id)
{
	size_t n = strlen(base);

	if (n == 0)
		return xstrdup("");
	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/c/%s/avvisi/%s", (int)n, base, comune_id, notice_id);
}

/* A folded, clipped copy of s holding at most max units; "-" when
 * nothing is left (WhatsApp refuses an empty or blank parameter). */
static char *wa_param(const char *s, size_t max)
{
	char *folded = xstrdup(s), *out;

	render_wa_param(folded);
	out = render_clip_units(folded, max);
	free(folded);
	if (*out == '\0') {
		free(out);
		out = xstrdup("-");
	}
	return out;
}

void render_wa_params(const char *title, const char *body, const char *link,
                      const char *archive, const char *fallback, char *p[3])
{
	const char *l = link;
	size_t room;

	if (*l == '\0' || render_units(l) > RENDER_WA_LINK_MAX)
		l = archive;
	if (*l == '\0' || render_units(l) > RENDER_WA_LINK_MAX)
		l = fallback;
	p[2] = wa_param(l, RENDER_WA_LINK_MAX);
	/* A blank title (ingest refuses one; a replayed event might not) was
	 * an empty parameter, and the send failed for good (found by fuzzing). */
	p[0] = wa_param(title, RENDER_WA_TITLE_MAX);
	room = RENDER_WA_BODY_TOTAL - RENDER_WA_FIXED - render_units(p[0]) - render_units(p[2]);
	p[1] = wa_param(body, room);
}

char *render_tg_full(const char *title, const char *body, const char *link,
                     const char *archive)
{
	char *le = esc_text(link, ESC_TELEGRAM), *ae = esc_text(archive, ESC_TELEGRAM);
	char *foot, *head, *out;

	foot = xasprintf("%s%s%s%s", *link ? "\n\nMaggiori informazioni: " : "", le,
	                 *archive && strcmp(link, archive) != 0 ?
	                     "\n\nAvviso nell'archivio del Comune: " : "",
	                 *archive && strcmp(link, archive) != 0 ? ae : "");
	/* Links are at most a few hundred units: the body keeps the rest. */
	head = render_tg_within(title, body, RENDER_TG_TEXT_MAX - render_units(foot));
	out = xasprintf("%s%s", head, foot);
	free(le);
	free(ae);
	free(foot);
	free(head);
	return out;
}
