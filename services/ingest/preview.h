/*
 * What a citizen will receive for a notice, per channel, for the
 * editors' preview. The composer's renderer lives in services/composer
 * (not in common/), so this is a small renderer of ingest's own that
 * follows the same rules (services/composer/render.c; change both
 * together): WhatsApp = the comune's utility template with parameters
 * {{1}} title, {{2}} body, {{3}} link (the notice's own, else its archive
 * page, else the comune's name), blanks folded, clipped in characters as
 * Telegram and WhatsApp count them (UTF-16 units) so that the template's
 * body stays within 1,024; Telegram = "<b>title</b>\n\nbody" and the links
 * in words at the end, HTML-escaped, at most 4,096 units, previews off.
 */
#ifndef BND_PREVIEW_H
#define BND_PREVIEW_H

#include <jansson.h>
#include <stddef.h>

#define PREVIEW_WA_BODY_TOTAL 1024
#define PREVIEW_WA_FIXED 124
#define PREVIEW_WA_TITLE_MAX 100
#define PREVIEW_WA_LINK_MAX 200
#define PREVIEW_TG_TEXT_MAX 4096
#define PREVIEW_TG_TITLE_MAX 512

struct db;
struct dir_api_key;

/* What the notice is: its text, link, and where it is archived. */
struct preview_notice {
	const char *title, *body, *link;
	const char *archive;    /* its archive page URL, or "" */
	const char *fallback;   /* the comune's name: WhatsApp wants no empty {{3}} */
};

/* {"whatsapp": {"template","language","params":[3]}, "telegram":
 * {"parse_mode":"HTML","text","disable_web_page_preview":true}}. */
json_t *preview_render(const struct preview_notice *n, const char *template_name,
                       const char *language);
/* The Telegram text (caller frees). */
char *preview_tg_text(const struct preview_notice *n);
/* The three WhatsApp template parameters (caller frees each). */
void preview_wa_params(const struct preview_notice *n, char *p[3]);
/* Worker: loads the notice and its comune's WhatsApp template and renders;
 * 0, NOTICE_ABSENT or -1 (notice_store.h). */
int preview_load(struct db *db, const char *id, const struct dir_api_key *key, json_t **out)
    __attribute__((warn_unused_result));

#endif
