/* Classification of Bot API answers (PROVIDERS.md, "Errors"). */
#include "tg_errors.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

#define TG_RETRY_DEFAULT_MS 1000

bool tg_revokes(int code, const char *description)
{
	if (description == NULL)
		return false;
	if (code == 403)
		return strcasestr(description, "bot was blocked by the user") != NULL ||
		       strcasestr(description, "user is deactivated") != NULL;
	if (code == 400)
		return strcasestr(description, "chat not found") != NULL;
	return false;
}

/* Fills v from an ok answer: "<chat id>:<message id>" if the result has them. */
static void tg_success(const json_t *root, long status, const char *chat, struct wa_verdict *v)
{
	const json_t *res = json_object_get(root, "result");
	const json_t *mid = json_object_get(res, "message_id");
	const json_t *cid = json_object_get(json_object_get(res, "chat"), "id");

	v->cls = WA_SENT;
	if (json_is_integer(mid) && json_is_integer(cid)) {
		snprintf(v->wamid, sizeof(v->wamid), "%lld:%lld", (long long)json_integer_value(cid),
		         (long long)json_integer_value(mid));
		return;
	}
	if (json_is_integer(mid) && chat != NULL && strlen(chat) < sizeof(v->wamid) - 24) {
		snprintf(v->wamid, sizeof(v->wamid), "%s:%lld", chat,
		         (long long)json_integer_value(mid));
		return;
	}
	/* Accepted but unreadable: sending again could duplicate, so it stays sent. */
	utf8_format(v->detail, sizeof(v->detail), "http %ld: accepted without a message id", status);
}

/* The class of an error answer, from its code and parameters. */
static void tg_error_class(int code, long http_status, long retry_after, struct wa_verdict *v)
{
	if (code == 429 || retry_after > 0) {
		v->cls = WA_TRANSIENT;
		v->min_delay_ms = retry_after > 0 ? retry_after * 1000 : TG_RETRY_DEFAULT_MS;
	} else if (code >= 500 || http_status >= 500 || http_status == 408 || code == 0) {
		v->cls = WA_TRANSIENT;
	} else if (code == 401 || code == 404) {
		v->cls = WA_HALT;
		v->auth = true;
	} else {
		v->cls = WA_PERMANENT;
	}
}

void tg_classify(int transport, const char *transport_msg, long http_status,
                 const char *body, size_t len, const char *chat, struct wa_verdict *v)
{
	json_t *root = NULL;
	const json_t *params;
	const char *desc;
	long long migrate;
	long retry_after;

	memset(v, 0, sizeof(*v));
	if (transport != CURLE_OK) {
		v->cls = WA_TRANSIENT;
		utf8_format(v->detail, sizeof(v->detail), "transport: %s",
		         transport_msg && *transport_msg ? transport_msg
		                                         : curl_easy_strerror((CURLcode)transport));
		return;
	}
	if (body != NULL && len > 0)
		root = wa_body_load(body, len);
	if (http_status >= 200 && http_status < 300 && !json_is_false(json_object_get(root, "ok"))) {
		tg_success(root, http_status, chat, v);
		goto done;
	}
	v->code = (int)json_integer_value(json_object_get(root, "error_code"));
	if (v->code == 0)
		v->code = (int)http_status;
	desc = json_string_value(json_object_get(root, "description"));
	params = json_object_get(root, "parameters");
	retry_after = (long)json_integer_value(json_object_get(params, "retry_after"));
	migrate = (long long)json_integer_value(json_object_get(params, "migrate_to_chat_id"));
	if (migrate != 0) {
		/* The group became a supergroup: the new id should be stored and the
		 * message resent. We only ever write to private chats and channels,
		 * where this does not happen, so it is recorded, not followed. */
		v->cls = WA_PERMANENT;
		utf8_format(v->detail, sizeof(v->detail), "http %ld: migrated: chat moved to %lld: %s",
		         http_status, migrate, desc ? desc : "no description");
		goto done;
	}
	tg_error_class(v->code, http_status, retry_after, v);
	v->revoke = v->cls == WA_PERMANENT && tg_revokes(v->code, desc);
	utf8_format(v->detail, sizeof(v->detail), "http %ld: %s", http_status,
	         desc ? desc : "no description");
done:
	json_decref(root);
}
