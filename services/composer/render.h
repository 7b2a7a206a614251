/*
 * Per-channel rendering of a notice. WhatsApp: notices go out as the
 * comune's approved utility template (they reach citizens outside the
 * 24-hour window), parameters {{1}} = title, {{2}} = body. Telegram: a
 * text message with parse_mode HTML, the title in bold above the body.
 */
#ifndef BND_RENDER_H
#define BND_RENDER_H

#include <stddef.h>

/* WhatsApp caps a template text parameter; we stay below it. */
#define RENDER_WA_PARAM_MAX 1000
/* Telegram: 1..4096 characters after entity parsing, counted as Telegram
 * counts them (UTF-16 code units, so an emoji counts twice). */
#define RENDER_TG_TEXT_MAX 4096
/* The title's share of a Telegram message at most (notices' titles are
 * much shorter): the body always keeps most of the room. */
#define RENDER_TG_TITLE_MAX 512

/*
 * Copies at most max bytes of src into a new string without cutting a
 * UTF-8 sequence, ending with "…" when shortened. Caller frees.
 */
char *render_clip(const char *src, size_t max);
/* WhatsApp template parameters cannot hold newlines/tabs or 4+ spaces:
 * folds them into single spaces, in place. */
void render_wa_param(char *s);
/*
 * Like render_clip, but max counts UTF-16 code units (Telegram's
 * characters) instead of bytes; the "…" counts as one. Caller frees.
 */
char *render_clip_units(const char *src, size_t max);
/* Length of a UTF-8 string in UTF-16 code units. */
size_t render_units(const char *s);
/* Escapes & < > " as &amp; &lt; &gt; &quot; (Telegram HTML). Caller frees. */
char *render_html_escape(const char *s);
/*
 * A notice as a Telegram HTML message: "<b>TITLE</b>\n\nBODY", both
 * escaped, clipped (the body first, never inside a UTF-8 sequence) so that
 * the text Telegram shows holds at most RENDER_TG_TEXT_MAX characters.
 * An empty body leaves the title alone. Caller frees.
 */
char *render_tg_notice(const char *title, const char *body);

#endif
