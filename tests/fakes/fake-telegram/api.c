/*
 * The Bot API endpoint. sendMessage is checked in the order the Bot API
 * reports problems: the chat (exists, may be written to), then the text
 * (present, parseable in its parse mode, 1..4096 after parsing), then
 * the options.
 */
#include "api.h"

#include <ctype.h>
#include <event2/http.h>
#include <sys/queue.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "crypto.h"
#include "fake.h"
#include "throttle.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "reply.h"
#include "store.h"
#include "webhook.h"
#include "xmalloc.h"

#define ENTITIES_PREFIX "Bad Request: can't parse entities: "

bool api_match_path(const char *path, char token[API_TOKEN_MAX], char method[API_METHOD_MAX])
{
	const char *tok, *slash;
	size_t tlen, mlen;

	if (strncmp(path, "/bot", 4) != 0)
		return false;
	tok = path + 4;
	slash = strchr(tok, '/');
	if (slash == NULL)
		return false;
	tlen = (size_t)(slash - tok);
	mlen = strlen(slash + 1);
	if (tlen == 0 || tlen >= API_TOKEN_MAX || mlen == 0 || mlen >= API_METHOD_MAX ||
	    strchr(slash + 1, '/') != NULL)
		return false;
	memcpy(token, tok, tlen);
	token[tlen] = '\0';
	memcpy(method, slash + 1, mlen + 1);
	return true;
}

/* Adds the pairs of a query string or form body to params (values are strings). */
static void api_add_pairs(json_t *params, const char *pairs)
{
	struct evkeyvalq kv;
	struct evkeyval *e;

	if (pairs == NULL || *pairs == '\0' || evhttp_parse_query_str(pairs, &kv) != 0)
		return;
	TAILQ_FOREACH(e, &kv, next)
		json_object_set_new(params, e->key, json_string(e->value));
	evhttp_clear_headers(&kv);
}

/* Every parameter of the request; NULL if a JSON body is not an object. */
static json_t *api_params(struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *ctype = http_header(req, "Content-Type"), *body;
	json_t *params = json_object(), *in;
	size_t len;

	api_add_pairs(params, uri ? evhttp_uri_get_query(uri) : NULL);
	if (ctype == NULL)
		return params;
	body = http_body(req, &len);
	if (strncasecmp(ctype, "application/json", 16) == 0) {
		in = json_loadb(body, len, 0, NULL);
		if (!json_is_object(in)) {
			json_decref(in);
			json_decref(params);
			return NULL;
		}
		json_object_update(params, in);
		json_decref(in);
	} else if (strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0) {
		api_add_pairs(params, body);
	}
	return params;
}

bool api_chat_key(const json_t *params, char key[API_CHAT_MAX])
{
	const json_t *v = json_object_get(params, "chat_id");
	const char *s;
	size_t n;

	if (json_is_integer(v)) {
		snprintf(key, API_CHAT_MAX, "%lld", (long long)json_integer_value(v));
		return true;
	}
	s = json_string_value(v);
	if (s == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return false;
	snprintf(key, API_CHAT_MAX, "%.*s", (int)n, s);
	return true;
}

/* true if s is an optional '-' and 1..19 digits. */
static bool api_numeric(const char *s)
{
	size_t n;

	if (*s == '-')
		s++;
	n = strlen(s);
	if (n == 0 || n > 19)
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Resolves the chat and whether the bot may write to it. 0 or an error code. */
static int api_check_chat(const struct store *st, struct api_send *out, char *desc, size_t dlen)
{
	const struct store_channel *ch = NULL;

	if (out->chat_key[0] == '@') {
		ch = store_channel_by_name(st, out->chat_key);
	} else if (api_numeric(out->chat_key)) {
		out->chat_id = strtoll(out->chat_key, NULL, 10);
		if (out->chat_id < 0)
			ch = store_channel_by_id(st, out->chat_id);
	}
	if (ch != NULL) {
		out->chat_id = ch->id;
		out->channel = true;
		out->channel_name = ch->name;
		return 0;
	}
	if (out->chat_id <= 0) {
		snprintf(desc, dlen, "Bad Request: chat not found");
		return 400;
	}
	switch (store_chat(st, out->chat_id)) {
	case CHAT_STARTED:
		return 0;
	case CHAT_BLOCKED:
		snprintf(desc, dlen, "Forbidden: bot was blocked by the user");
		return 403;
	case CHAT_DEACTIVATED:
		snprintf(desc, dlen, "Forbidden: user is deactivated");
		return 403;
	case CHAT_UNKNOWN:
	default:
		snprintf(desc, dlen, "Forbidden: bot can't initiate conversation with a user");
		return 403;
	}
}

/* Drops leading and trailing whitespace, in place (Telegram trims the text). */
static void api_trim(char *s)
{
	size_t n = strlen(s), start = 0;

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (start < n && isspace((unsigned char)s[start]))
		start++;
	memmove(s, s + start, n - start);
	s[n - start] = '\0';
}

/* The text after parsing in its parse mode. 0 or an error code. */
static int api_check_text(const json_t *params, struct api_send *out, char *desc, size_t dlen)
{
	const char *pm = json_string_value(json_object_get(params, "parse_mode"));
	char err[256];
	long n;

	out->sent_text = json_string_value(json_object_get(params, "text"));
	if (out->sent_text == NULL || out->sent_text[0] == '\0') {
		snprintf(desc, dlen, "Bad Request: message text is empty");
		return 400;
	}
	out->parse_mode = pm != NULL && *pm != '\0' ? pm : NULL;
	if (out->parse_mode != NULL && strcasecmp(pm, "HTML") == 0) {
		out->text = html_parse(out->sent_text, err, sizeof(err));
		if (out->text == NULL) {
			snprintf(desc, dlen, ENTITIES_PREFIX "%s", err);
			return 400;
		}
	} else if (out->parse_mode == NULL || strcasecmp(pm, "MarkdownV2") == 0 ||
	           strcasecmp(pm, "Markdown") == 0) {
		/* The fake does not parse Markdown: the text counts as sent. */
		out->text = xstrdup(out->sent_text);
	} else {
		snprintf(desc, dlen, "Bad Request: unsupported parse_mode");
		return 400;
	}
	api_trim(out->text);
	n = html_text_length(out->text);
	if (n < 0) {
		snprintf(desc, dlen, "Bad Request: strings must be encoded in UTF-8");
		return 400;
	}
	if (n == 0) {
		snprintf(desc, dlen, "Bad Request: message text is empty");
		return 400;
	}
	if (n > API_TEXT_MAX) {
		snprintf(desc, dlen, "Bad Request: message is too long");
		return 400;
	}
	return 0;
}

/* A boolean parameter: JSON true/false, or "true"/"false"/"1"/"0" from a form. */
static int api_bool(const json_t *v, bool *out)
{
	const char *s = json_string_value(v);

	if (v == NULL)
		return 0;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	if (s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)) {
		*out = true;
		return 0;
	}
	if (s != NULL && (strcmp(s, "false") == 0 || strcmp(s, "0") == 0 || *s == '\0')) {
		*out = false;
		return 0;
	}
	return -1;
}

/* link_preview_options (an object, or its JSON text in a form) and the flags. */
static int api_check_options(const json_t *params, struct api_send *out, char *desc,
                             size_t dlen)
{
	const json_t *lpo = json_object_get(params, "link_preview_options");
	json_t *parsed = NULL;
	int rc = 0;

	if (json_is_string(lpo))
		lpo = parsed = json_loads(json_string_value(lpo), 0, NULL);
	if (json_object_get(params, "link_preview_options") != NULL && !json_is_object(lpo)) {
		snprintf(desc, dlen, "Bad Request: can't parse link preview options JSON object");
		rc = 400;
	} else if (api_bool(json_object_get(lpo, "is_disabled"), &out->no_preview) != 0 ||
	           api_bool(json_object_get(params, "disable_web_page_preview"),
	                    &out->no_preview) != 0 ||
	           api_bool(json_object_get(params, "disable_notification"), &out->silent) != 0) {
		snprintf(desc, dlen, "Bad Request: invalid boolean parameter");
		rc = 400;
	}
	json_decref(parsed);
	return rc;
}

int api_check_send(const struct store *st, const json_t *params, struct api_send *out,
                   char *desc, size_t dlen)
{
	int rc;

	memset(out, 0, sizeof(*out));
	desc[0] = '\0';
	if (!api_chat_key(params, out->chat_key)) {
		snprintf(desc, dlen, "Bad Request: chat_id is empty");
		return 400;
	}
	if ((rc = api_check_chat(st, out, desc, dlen)) != 0 ||
	    (rc = api_check_text(params, out, desc, dlen)) != 0 ||
	    (rc = api_check_options(params, out, desc, dlen)) != 0) {
		free(out->text);
		out->text = NULL;
		return rc;
	}
	return 0;
}

/* The bot as a User object. */
static json_t *api_bot_user(const struct fake *fk)
{
	return json_pack("{s:I, s:b, s:s, s:s}", "id", (json_int_t)fk->bot_id, "is_bot", 1,
	                 "first_name", "Banditore (fake)", "username", fk->cfg.bot_username);
}

/* The Chat object of an accepted message. */
static json_t *api_chat_json(const struct api_send *s)
{
	if (s->channel)
		return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)s->chat_id,
		                 "title", s->channel_name + 1, "username", s->channel_name + 1,
		                 "type", "channel");
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)s->chat_id, "first_name", "Test",
	                 "type", "private");
}

/*
 * The record GET /_fake/messages shows: chat_id as sent, chat {id, type},
 * message_id, date, text (as the citizen sees it), sent_text, parse_mode,
 * disable_notification, link_preview_disabled, ts_ms.
 */
static json_t *api_record(const struct api_send *s, long long message_id, int64_t now_ms)
{
	return json_pack("{s:s, s:{s:I, s:s}, s:I, s:I, s:s, s:s, s:s?, s:b, s:b, s:I}",
	                 "chat_id", s->chat_key,
	                 "chat", "id", (json_int_t)s->chat_id,
	                         "type", s->channel ? "channel" : "private",
	                 "message_id", (json_int_t)message_id,
	                 "date", (json_int_t)(now_ms / 1000),
	                 "text", s->text,
	                 "sent_text", s->sent_text,
	                 "parse_mode", s->parse_mode,
	                 "disable_notification", s->silent,
	                 "link_preview_disabled", s->no_preview,
	                 "ts_ms", (json_int_t)now_ms);
}

/* The description Telegram uses with an injected fault's code. */
static const char *api_fault_text(const struct store_fault *f, char *buf, size_t len)
{
	if (f->description != NULL)
		return f->description;
	if (f->migrate_to != 0)
		return "Bad Request: group chat was upgraded to a supergroup chat";
	switch (f->code) {
	case 429:
		snprintf(buf, len, "Too Many Requests: retry after %ld", f->retry_after);
		return buf;
	case 400:
		return "Bad Request: chat not found";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden: bot was blocked by the user";
	case 502:
		return "Bad Gateway";
	default:
		return f->code >= 500 ? "Internal Server Error" : "Injected fault";
	}
}

/* sendMessage, after the token was accepted. */
static void api_send_message(struct fake *fk, struct evhttp_request *req)
{
	json_t *params = api_params(req);
	struct store_fault f;
	struct api_send s;
	char key[API_CHAT_MAX], desc[512];
	int64_t now = clock_wall_ms();
	long long mid;
	long wait_s;
	int code;

	if (params == NULL) {
		store_reject(fk->store);
		reply_error(fk, req, 400, "Bad Request: can't parse JSON object", 0, 0);
		return;
	}
	if (store_fault_take(fk->store, api_chat_key(params, key) ? key : NULL, &f)) {
		if (f.code == 429 && f.retry_after <= 0)
			f.retry_after = 1;
		log_info("fake.fault", "injected %d", f.code);
		store_reject(fk->store);
		reply_error(fk, req, f.code, api_fault_text(&f, desc, sizeof(desc)), f.retry_after,
		            f.migrate_to);
		json_decref(params);
		return;
	}
	code = api_check_send(fk->store, params, &s, desc, sizeof(desc));
	if (code != 0) {
		log_info("fake.send_refused", "%d %s", code, desc);
		store_reject(fk->store);
		reply_error(fk, req, code, desc, 0, 0);
		json_decref(params);
		return;
	}
	wait_s = throttle_take(fk->throttle, s.chat_key, now);
	if (wait_s > 0) {
		snprintf(desc, sizeof(desc), "Too Many Requests: retry after %ld", wait_s);
		store_reject(fk->store);
		reply_error(fk, req, 429, desc, wait_s, 0);
		free(s.text);
		json_decref(params);
		return;
	}
	mid = store_next_message_id(fk->store);
	store_record(fk->store, api_record(&s, mid, now));
	log_debug("fake.send_accepted", "message %lld to a %s chat", mid,
	          s.channel ? "channel" : "private");
	reply_ok(fk, req, json_pack("{s:I, s:o, s:o, s:I, s:s}", "message_id", (json_int_t)mid,
	                            s.channel ? "sender_chat" : "from",
	                            s.channel ? api_chat_json(&s) : api_bot_user(fk),
	                            "chat", api_chat_json(&s), "date", (json_int_t)(now / 1000),
	                            "text", s.text));
	free(s.text);
	json_decref(params);
}

void api_handle(struct fake *fk, struct evhttp_request *req, const char *token,
                const char *method)
{
	const char *ours = fk->cfg.token;

	if (!ct_equal(token, strlen(token), ours, strlen(ours))) {
		store_reject(fk->store);
		reply_error(fk, req, 401, "Unauthorized", 0, 0);
		return;
	}
	/* Method names are case-insensitive in the Bot API. */
	if (strcasecmp(method, "sendMessage") == 0) {
		api_send_message(fk, req);
	} else if (strcasecmp(method, "getMe") == 0) {
		reply_ok(fk, req, api_bot_user(fk));
	} else {
		json_t *params = api_params(req);
		if (params == NULL)
			reply_error(fk, req, 400, "Bad Request: can't parse JSON object", 0, 0);
		else if (!webhook_handle(fk, req, method, params))
			reply_error(fk, req, 404, "Not Found", 0, 0);
		json_decref(params);
	}
}
