/* Updates built like the Bot API's and delivered to the webhook. */
#include "update.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fake.h"
#include "fk_post.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#define SECRET_HEADER "X-Telegram-Bot-Api-Secret-Token"

/* The user who acts: in a private chat, the chat's owner. */
static json_t *update_user(const struct update_in *in)
{
	long long uid = in->chat_id > 0 ? in->chat_id : 1000;

	return json_pack("{s:I, s:b, s:s, s:s}", "id", (json_int_t)uid, "is_bot", 0,
	                 "first_name", in->first_name ? in->first_name : "Test",
	                 "language_code", in->language_code ? in->language_code : "it");
}

/* The chat the update comes from. */
static json_t *update_chat(const struct update_in *in)
{
	const char *type = in->chat_type ? in->chat_type : "private";

	if (strcmp(type, "private") == 0)
		return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)in->chat_id, "first_name",
		                 in->first_name ? in->first_name : "Test", "type", type);
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)in->chat_id, "title",
	                 "Test group", "type", type);
}

/* A message update: text, and a bot_command entity when it starts with '/'. */
static json_t *update_message(const struct update_in *in, long long message_id)
{
	json_t *msg = json_pack("{s:I, s:o, s:o, s:I, s:s}", "message_id",
	                        (json_int_t)message_id, "from", update_user(in),
	                        "chat", update_chat(in), "date", (json_int_t)in->date,
	                        "text", in->text);

	if (in->text[0] == '/') {
		size_t n = strcspn(in->text, " \t\n");
		char *cmd = xstrndup(in->text, n);
		json_object_set_new(msg, "entities",
		                    json_pack("[{s:i, s:I, s:s}]", "offset", 0, "length",
		                              (json_int_t)html_text_length(cmd), "type",
		                              "bot_command"));
		free(cmd);
	}
	return msg;
}

/* A my_chat_member update: the bot's status in the chat changed. */
static json_t *update_member(const struct update_bot *bot, const struct update_in *in)
{
	json_t *botuser = json_pack("{s:I, s:b, s:s, s:s}", "id", (json_int_t)bot->id,
	                            "is_bot", 1, "first_name", "Banditore (fake)",
	                            "username", bot->username);
	json_t *now = json_pack("{s:O, s:s}", "user", botuser, "status",
	                        in->block ? "kicked" : "member");

	if (in->block)
		json_object_set_new(now, "until_date", json_integer(0));
	return json_pack("{s:o, s:o, s:I, s:{s:o, s:s}, s:o}", "chat", update_chat(in),
	                 "from", update_user(in), "date", (json_int_t)in->date,
	                 "old_chat_member", "user", botuser, "status",
	                 in->block ? "member" : "kicked",
	                 "new_chat_member", now);
}

json_t *update_build(long long update_id, const struct update_bot *bot,
                     const struct update_in *in)
{
	if (in->text != NULL)
		return json_pack("{s:I, s:o}", "update_id", (json_int_t)update_id, "message",
		                 update_message(in, update_id % 1000000 + 1));
	return json_pack("{s:I, s:o}", "update_id", (json_int_t)update_id, "my_chat_member",
	                 update_member(bot, in));
}

/* Reads the test's description of an update; NULL with err set. */
static json_t *update_parse(struct evhttp_request *req, struct update_in *in, char *err,
                            size_t errlen)
{
	size_t len;
	const char *body = http_body(req, &len);
	json_t *j = json_loadb(body, len, 0, NULL), *block;

	if (!json_is_object(j)) {
		snprintf(err, errlen, "body must be a JSON object");
		goto failed;
	}
	memset(in, 0, sizeof(*in));
	in->chat_id = json_integer_value(json_object_get(j, "chat_id"));
	in->chat_type = json_string_value(json_object_get(j, "chat_type"));
	in->text = json_string_value(json_object_get(j, "text"));
	in->first_name = json_string_value(json_object_get(j, "first_name"));
	in->language_code = json_string_value(json_object_get(j, "language_code"));
	in->date = json_integer_value(json_object_get(j, "date"));
	if (in->date <= 0)
		in->date = clock_wall_ms() / 1000;
	block = json_object_get(j, "block");
	if (in->chat_id == 0 || (in->text == NULL) == (block == NULL) ||
	    (block != NULL && !json_is_boolean(block))) {
		snprintf(err, errlen, "want {\"chat_id\":N, \"text\":\"...\"} or "
		         "{\"chat_id\":N, \"block\":true|false}");
		goto failed;
	}
	in->block = json_is_true(block);
	if (in->chat_type == NULL)
		in->chat_type = "private";
	if (strcmp(in->chat_type, "private") == 0 && in->chat_id < 0) {
		snprintf(err, errlen, "a private chat's id is positive");
		goto failed;
	}
	return j;
failed:
	json_decref(j);
	return NULL;
}

/* What the update does to the chat: writing starts it (and ends a block). */
static void update_apply(struct fake *fk, const struct update_in *in)
{
	if (strcmp(in->chat_type, "private") != 0)
		return;
	store_chat_set(fk->store, in->chat_id,
	               in->text == NULL && in->block ? CHAT_BLOCKED : CHAT_STARTED);
}

void update_handle(struct fake *fk, struct evhttp_request *req)
{
	struct update_bot bot = { fk->bot_id, fk->cfg.bot_username };
	const struct fk_header secret = { SECRET_HEADER, fk->cfg.secret };
	struct update_in in;
	char err[256], *body;
	json_t *j, *upd;
	long long id;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "use POST");
		return;
	}
	if ((j = update_parse(req, &in, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, "bad_request", "%s", err);
		return;
	}
	id = store_next_update_id(fk->store);
	upd = update_build(id, &bot, &in);
	body = json_dumps(upd, JSON_COMPACT);
	json_decref(upd);
	/* The user acted: the chat changes whether or not our receiver is up. */
	update_apply(fk, &in);
	store_update_sent(fk->store);
	log_info("fake.update", "update %lld: %s", id, in.text ? "message" : "my_chat_member");
	fk_post_relay(fk->srv.base, fk->cfg.webhook_url, &secret, fk->cfg.secret[0] != '\0',
	              body, strlen(body), req, "update_id", json_integer(id));
	free(body);
	json_decref(j);
}
