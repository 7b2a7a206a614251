/*
 * What a citizen will receive for a notice, per channel, for the
 * editors' preview: the composer's own rendering (common/render.c) of
 * the notice as stored.
 */
#ifndef BND_PREVIEW_H
#define BND_PREVIEW_H

#include <jansson.h>
#include <stddef.h>

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
