/* Telegram updates -> CitizenMessage; see tg_update.h. */
#include "webhooks/tg_update.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kafka.h"
#include "xmalloc.h"
#include "core/citizen_key.h"
#include "core/json_body.h"

/* What a private-chat update says, before it becomes an event. */
struct tg_item {
	long long   chat_id;
	long long   date;
	const char *type;    /* message_type */
	const char *text;
};

/*
 * Reads obj.chat: 1 if it is a private chat (id in *chat_id), 0 if
 * another kind of chat, -1 if malformed (err set).
 */
static int tg_chat(const json_t *obj, const char *what, long long *chat_id, char *err,
                   size_t errlen)
{
	const json_t *chat = json_object_get(obj, "chat");
	const json_t *id = json_object_get(chat, "id");
	const char *type = json_string_value(json_object_get(chat, "type"));

	if (!json_is_integer(id) || type == NULL) {
		snprintf(err, errlen, "%s.chat needs an integer id and a type", what);
		return -1;
	}
	if (strcmp(type, "private") != 0)
		return 0;
	*chat_id = (long long)json_integer_value(id);
	if (*chat_id <= 0) {
		snprintf(err, errlen, "%s.chat: a private chat's id is positive", what);
		return -1;
	}
	return 1;
}

/* A message: text or "other". 1 usable, 0 ignored, -1 malformed. */
static int tg_message(const json_t *m, struct tg_item *it, const char **ignored, char *err,
                      size_t errlen)
{
	int rc;

	if (!json_is_object(m)) {
		snprintf(err, errlen, "message is not an object");
		return -1;
	}
	rc = tg_chat(m, "message", &it->chat_id, err, errlen);
	if (rc <= 0) {
		*ignored = "not a private chat";
		return rc;
	}
	it->date = (long long)json_integer_value(json_object_get(m, "date"));
	it->text = json_string_value(json_object_get(m, "text"));
	it->type = it->text != NULL ? "text" : "other";
	if (it->text == NULL)
		it->text = "";
	return 1;
}

/* The bot's membership changed: blocked / unblocked. 1, 0 ignored, -1 malformed. */
static int tg_member(const json_t *cm, struct tg_item *it, const char **ignored, char *err,
                     size_t errlen)
{
	const char *status;
	int rc;

	if (!json_is_object(cm)) {
		snprintf(err, errlen, "my_chat_member is not an object");
		return -1;
	}
	rc = tg_chat(cm, "my_chat_member", &it->chat_id, err, errlen);
	if (rc <= 0) {
		*ignored = "not a private chat";
		return rc;
	}
	status = json_string_value(json_object_get(json_object_get(cm, "new_chat_member"),
	                                           "status"));
	if (status == NULL) {
		snprintf(err, errlen, "my_chat_member.new_chat_member.status is missing");
		return -1;
	}
	it->date = (long long)json_integer_value(json_object_get(cm, "date"));
	it->text = "";
	if (strcmp(status, "kicked") == 0) {
		it->type = "blocked";
	} else if (strcmp(status, "member") == 0) {
		it->type = "unblocked";
	} else {
		*ignored = "membership status of no interest";
		return 0;
	}
	return 1;
}

/* Fills the event of a usable item. */
static void tg_event(struct tg_update *upd, const struct tg_channel *ch,
                     const struct tg_item *it)
{
	char addr[24];

	snprintf(addr, sizeof(addr), "%lld", it->chat_id);
	snprintf(upd->comune_id, sizeof(upd->comune_id), "%s", ch->comune_id);
	event_meta_fill(&upd->meta, upd->meta_id, upd->comune_id);
	banditore__v1__citizen_message__init(&upd->msg);
	upd->msg.meta = &upd->meta;
	upd->msg.kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
	upd->msg.channel_id = ch->id;
	upd->msg.sender_account = xstrdup(ch->bot_id);
	upd->msg.address = xstrdup(addr);
	upd->msg.provider_message_id = xasprintf("tg:%lld", upd->update_id);
	upd->msg.message_type = xstrdup(it->type);
	upd->msg.text = xstrdup(it->text);
	upd->msg.provider_ts = it->date;
	upd->msg.source = xstrdup("telegram");
	upd->key = ck_message_key(ch->id, addr);   /* never the chat id itself */
	upd->has_event = true;
}

enum tg_err tg_update_parse(const void *body, size_t len, const struct tg_channel *ch,
                            struct tg_update *out, char *err, size_t errlen)
{
	json_t *root;
	const json_t *id, *m, *cm;
	struct tg_item it = { 0 };
	enum tg_err rc = TG_ERR_SHAPE;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (jbody_load(body, len, 0, &root, out->bad_field, sizeof(out->bad_field), NULL) ==
	    JBODY_UTF8) {
		snprintf(err, errlen, "%s is not valid UTF-8 text", out->bad_field);
		return TG_ERR_UTF8;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not a JSON object");
		json_decref(root);
		return TG_ERR_JSON;
	}
	id = json_object_get(root, "update_id");
	if (!json_is_integer(id) || json_integer_value(id) < 0) {
		snprintf(err, errlen, "update_id missing or not a non-negative integer");
		goto done;
	}
	out->update_id = (long long)json_integer_value(id);
	out->ignored = "an update kind of no interest";
	if ((m = json_object_get(root, "message")) != NULL)
		r = tg_message(m, &it, &out->ignored, err, errlen);
	else if ((cm = json_object_get(root, "my_chat_member")) != NULL)
		r = tg_member(cm, &it, &out->ignored, err, errlen);
	if (r < 0)
		goto done;
	if (r > 0)
		tg_event(out, ch, &it);
	rc = TG_OK;
done:
	json_decref(root);
	return rc;
}

void tg_update_free(struct tg_update *upd)
{
	if (upd == NULL || !upd->has_event)
		return;
	free(upd->msg.sender_account);
	free(upd->msg.address);
	free(upd->msg.provider_message_id);
	free(upd->msg.message_type);
	free(upd->msg.text);
	free(upd->msg.source);
	free(upd->key);
	upd->has_event = false;
}

void *tg_update_pack(const struct tg_update *upd, size_t *len)
{
	return event_pack(&upd->msg.base, len);
}
