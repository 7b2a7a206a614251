/* Updates built like the Bot API's and delivered to the webhook. */
#include "update.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fake.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

#define UPDATE_TIMEOUT_S 30   /* longer than ingest's Kafka ack timeout */
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

/* A webhook POST in flight and the test request waiting for its result. */
struct update_call {
	struct event_base        *base;
	struct evhttp_connection *evcon;     /* ours: freed once the exchange is over */
	struct evhttp_request    *test_req;
	long long                 update_id;
};

/* Frees a finished call and its connection, from the loop, outside libevent's callbacks. */
static void update_call_free(evutil_socket_t fd, short what, void *arg)
{
	struct update_call *call = arg;
	(void)fd;
	(void)what;

	if (call->evcon != NULL)
		evhttp_connection_free(call->evcon);
	free(call);
}

/* Tells the test what the webhook receiver answered. */
static void update_on_response(struct evhttp_request *resp, void *arg)
{
	struct update_call *call = arg;
	struct timeval now = { 0, 0 };
	int status = resp != NULL ? evhttp_request_get_response_code(resp) : 0;

	if (status == 0) {
		log_warn("fake.webhook_failed", "update %lld: no answer from the webhook receiver",
		         call->update_id);
		http_reply_json(call->test_req, 502,
		                json_pack("{s:i, s:I, s:s}", "status", 0, "update_id",
		                          (json_int_t)call->update_id, "error", "webhook POST failed"));
	} else {
		log_info("fake.webhook_sent", "update %lld answered %d", call->update_id, status);
		http_reply_json(call->test_req, 200, json_pack("{s:i, s:I}", "status", status,
		                                               "update_id", (json_int_t)call->update_id));
	}
	/* Never free the connection in its own callback (nor trust libevent 2.1 to
	 * free it when connecting failed): the loop does it next. */
	if (event_base_once(call->base, -1, EV_TIMEOUT, update_call_free, call, &now) != 0)
		log_error("fake.leak", "cannot schedule the release of a webhook connection");
}

/* POSTs body to the webhook URL; the answer goes to call. 0 or -1. */
static int update_post(struct fake *fk, struct update_call *call, const char *body,
                       size_t len, char *err, size_t errlen)
{
	struct evhttp_uri *uri = evhttp_uri_parse(fk->cfg.webhook_url);
	const char *scheme, *host, *path, *query;
	struct evhttp_connection *evcon;
	struct evhttp_request *wreq;
	struct evkeyvalq *hdrs;
	char hostport[300], clen[24], *target = NULL;
	int port, rc = -1;

	if (uri == NULL || (scheme = evhttp_uri_get_scheme(uri)) == NULL ||
	    strcmp(scheme, "http") != 0 || (host = evhttp_uri_get_host(uri)) == NULL) {
		snprintf(err, errlen, "FAKE_TG_WEBHOOK_URL must be an http:// URL");
		goto done;
	}
	port = evhttp_uri_get_port(uri) > 0 ? evhttp_uri_get_port(uri) : 80;
	path = evhttp_uri_get_path(uri);
	query = evhttp_uri_get_query(uri);
	target = xasprintf("%s%s%s", path && *path ? path : "/", query ? "?" : "",
	                   query ? query : "");
	evcon = evhttp_connection_base_new(fk->base, NULL, host, (unsigned short)port);
	if (evcon == NULL) {
		snprintf(err, errlen, "cannot create a connection to %s:%d", host, port);
		goto done;
	}
	evhttp_connection_set_timeout(evcon, UPDATE_TIMEOUT_S);
	wreq = evhttp_request_new(update_on_response, call);
	hdrs = evhttp_request_get_output_headers(wreq);
	snprintf(hostport, sizeof(hostport), "%s:%d", host, port);
	snprintf(clen, sizeof(clen), "%zu", len);
	evhttp_add_header(hdrs, "Host", hostport);
	evhttp_add_header(hdrs, "Content-Type", "application/json");
	evhttp_add_header(hdrs, "Content-Length", clen);
	if (fk->cfg.secret[0] != '\0')
		evhttp_add_header(hdrs, SECRET_HEADER, fk->cfg.secret);
	evbuffer_add(evhttp_request_get_output_buffer(wreq), body, len);
	call->base = fk->base;
	call->evcon = evcon;
	if (evhttp_make_request(evcon, wreq, EVHTTP_REQ_POST, target) != 0) {
		/* No socket: the callback was not called and will not be. */
		snprintf(err, errlen, "cannot send the webhook request");
		evhttp_connection_free(evcon);
		call->evcon = NULL;
		goto done;
	}
	rc = 0;
done:
	free(target);
	if (uri != NULL)
		evhttp_uri_free(uri);
	return rc;
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
	struct update_in in;
	struct update_call *call;
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
	if (fk->cfg.webhook_url[0] == '\0') {
		http_reply_json(req, 200, json_pack("{s:i, s:I}", "status", 0, "update_id",
		                                    (json_int_t)id));
		goto done;
	}
	call = xcalloc(1, sizeof(*call));
	call->test_req = req;
	call->update_id = id;
	if (update_post(fk, call, body, strlen(body), err, sizeof(err)) != 0) {
		log_warn("fake.webhook_failed", "%s", err);
		http_reply_json(req, 502, json_pack("{s:i, s:I, s:s}", "status", 0, "update_id",
		                                    (json_int_t)id, "error", err));
		free(call);
	}
done:
	free(body);
	json_decref(j);
}
