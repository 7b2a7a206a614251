/*
 * Updates: POST /_fake/update turns a test's request into the Update the
 * Bot API would deliver (a message with entities, or my_chat_member when
 * the user blocks or unblocks the bot), with an increasing update_id,
 * POSTs it to FAKE_TG_WEBHOOK_URL with X-Telegram-Bot-Api-Secret-Token
 * (libevent's HTTP client: no thread, no blocking), and changes what the
 * chat allows: writing to the bot starts it, blocking forbids sends.
 *   {"chat_id":N, "text":"/start viabilita"}       a message
 *   {"chat_id":N, "block":true|false}             kicked / member
 * Optional: "chat_type" (private), "first_name", "language_code", "date".
 */
#ifndef FAKE_TG_UPDATE_H
#define FAKE_TG_UPDATE_H

#include <jansson.h>
#include <stdbool.h>

struct evhttp_request;
struct fake;

/* One update as the test describes it. */
struct update_in {
	long long   chat_id;
	const char *chat_type;      /* "private", "group", "supergroup", "channel" */
	const char *text;           /* a message; NULL for a membership change */
	bool        block;          /* membership: true = kicked, false = member */
	const char *first_name;
	const char *language_code;
	long long   date;           /* Unix seconds */
};

struct update_bot {
	long long   id;
	const char *username;
};

/* The Update object (new reference). */
json_t *update_build(long long update_id, const struct update_bot *bot,
                     const struct update_in *in);
/* Serves POST /_fake/update; answers when the webhook POST has an answer. */
void update_handle(struct fake *fk, struct evhttp_request *req);

#endif
