/*
 * Telegram webhook updates -> CitizenMessage. Pure: takes the raw body
 * and the channel (the bot) the update was addressed to, returns the one
 * event to produce, or none; no I/O, no logging.
 *   message in a private chat        -> message_type "text" (text = message.text)
 *                                       or "other" (photo, sticker, ...)
 *   my_chat_member in a private chat -> "blocked" (new status kicked) or
 *                                       "unblocked" (member)
 *   anything else (groups, channels, edits, callbacks, ...) -> nothing
 * address = chat id as decimal text, provider_message_id = "tg:<update_id>"
 * (consent evidence; update ids only grow, so a redelivery is a replay),
 * key "<channel_id>/<keyed hash of the address>" (citizen_key.h).
 */
#ifndef BND_TG_UPDATE_H
#define BND_TG_UPDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"

#define TG_COMUNE_MAX 64
#define TG_BOT_MAX 32

/* The Telegram channel (bot) an update was posted for. */
struct tg_channel {
	long long id;                       /* channels.id */
	char      comune_id[TG_COMUNE_MAX];
	char      bot_id[TG_BOT_MAX];       /* sender_account */
};

enum tg_err {
	TG_OK = 0,
	TG_ERR_JSON,    /* not a JSON object: 400 */
	TG_ERR_SHAPE,   /* JSON, but not an update (no update_id, chat without id...): 400 */
	TG_ERR_UTF8,    /* invalid UTF-8 in a field (bad_field names it): 400 */
};

/* What one update gives. Every string is owned by the struct. */
struct tg_update {
	long long   update_id;
	bool        has_event;     /* false: nothing to produce */
	const char *ignored;       /* why not (static text), when !has_event */
	char        bad_field[64]; /* TG_ERR_UTF8: "message.text", or "body" */
	char       *key;
	char        meta_id[UUID_STR_LEN + 1];
	char        comune_id[TG_COMUNE_MAX];
	Banditore__V1__EventMeta meta;
	Banditore__V1__CitizenMessage msg;
};

/*
 * Parses body (len bytes, need not be NUL-terminated). On TG_OK *out holds
 * the update (free with tg_update_free); on error err says why and *out
 * needs no freeing.
 */
enum tg_err tg_update_parse(const void *body, size_t len, const struct tg_channel *ch,
                            struct tg_update *out, char *err, size_t errlen)
    __attribute__((warn_unused_result));
void tg_update_free(struct tg_update *upd);
/* Packs the CitizenMessage (has_event only); caller frees. */
void *tg_update_pack(const struct tg_update *upd, size_t *len);

#endif
