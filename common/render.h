/*
 * Per-channel rendering of a notice. WhatsApp: notices go out as the
 * comune's approved utility template (they reach citizens outside the
 * 24-hour window), parameters {{1}} = title, {{2}} = body, {{3}} = link
 * (the notice's own link, else its page in the public archive). Telegram:
 * a text message with parse_mode HTML, the title in bold above the body,
 * the links in plain words at the end (the dispatcher turns link previews
 * off). Everything a citizen reads is plain text: no markup of ours
 * beyond the bold title, links written out in full.
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
/*
 * A notice as a Telegram HTML message: "<b>TITLE</b>\n\nBODY", both
 * escaped, clipped (the body first, never inside a UTF-8 sequence) so that
 * the text Telegram shows holds at most RENDER_TG_TEXT_MAX characters.
 * An empty body leaves the title alone. Caller frees.
 */
char *render_tg_notice(const char *title, const char *body);

/*
 * WhatsApp counts a template's body after substitution: at most 1,024
 * characters. The comune's approved text around the parameters may take
 * RENDER_WA_FIXED of them; the title and the link have caps of their own
 * and the body gets what is left.
 */
#define RENDER_WA_BODY_TOTAL 1024
#define RENDER_WA_FIXED 124
#define RENDER_WA_TITLE_MAX 100
#define RENDER_WA_LINK_MAX 200

/* The notice's page in the public archive, base/c/<comune>/avvisi/<id>;
 * "" when the comune has no archive (base ""). Caller frees. */
char *render_archive_url(const char *base, const char *comune_id, const char *notice_id);
/*
 * The three template parameters: p[0] title, p[1] body, p[2] link (link,
 * else archive, else fallback, e.g. the comune's name: WhatsApp refuses
 * empty parameters; a link longer than RENDER_WA_LINK_MAX is replaced by
 * the archive or the fallback, never cut). Whitespace folded, clipped so
 * that the whole body fits. Caller frees each p[i].
 */
void render_wa_params(const char *title, const char *body, const char *link,
                      const char *archive, const char *fallback, char *p[3]);
/*
 * render_tg_notice with the links at the end, in words: "Maggiori
 * informazioni: <link>" and "Avviso nell'archivio del Comune: <archive>"
 * (each only when not empty). The body is clipped to leave them room.
 * Caller frees.
 */
char *render_tg_full(const char *title, const char *body, const char *link,
                     const char *archive);

#endif
