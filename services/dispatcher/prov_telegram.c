/*
 * The Telegram Bot API. A job is sent as
 *   POST <api base>/bot<token>/sendMessage
 * (the token is in the URL, which is therefore never logged) with
 *   {"chat_id":<number, or "@channel">,"text":"...","parse_mode":"HTML"
 *    (when the text is HTML),"link_preview_options":{"is_disabled":true}}
 *
 * The Bot API has no stable error codes beyond the HTTP status, so the
 * few permanent cases that matter are told apart by their description:
 *   ok                             -> sent, id "<chat id>:<message id>"
 *   429 (parameters.retry_after)   -> transient: the whole bot waits
 *                                     exactly retry_after, and slows down
 *   5xx, transport                 -> transient
 *   parameters.migrate_to_chat_id  -> failed ("migrated: ..."; not followed)
 *   403 bot was blocked by the user, 403 user is deactivated,
 *   400 chat not found             -> failed, consent revoked
 *   other 400 / 403 / 4xx          -> failed
 *   401 (and 404: no such bot)     -> the sender is unusable: halt
 * A bot may send about one message a second to one chat.
 * The facts behind this file: docs/providers.md, "Telegram: sending",
 * "Telegram: errors", "Telegram: flood limits".
 */
#include "provider.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatcher.h"
#include "jsonw.h"
#include "utf8.h"

#define TG_TOO_MANY         429    /* flood control: retry_after says how long */
#define TG_RETRY_DEFAULT_MS 1000   /* a 429 without retry_after */
#define TG_CHAT_INTERVAL_MS 1000   /* one message a second per chat */

static void tg_params(const struct dsp_cfg *cfg, struct prov_params *out)
{
	out->api_base = cfg->tg_api_base;
	out->rate = (double)cfg->tg_rate;
	out->pair_interval_ms = TG_CHAT_INTERVAL_MS;
	out->pair_burst = (double)cfg->tg_chat_burst;
	out->breaker_failures = (unsigned)cfg->breaker_failures;
	out->breaker_cooldown_ms = cfg->breaker_cooldown_ms;
}

/*
 * Writes the chat of an address: a numeric id (a private chat, or
 * "-100..." for a channel) as a JSON integer, "@channelusername" as a
 * string; false if the address is neither.
 */
static bool tg_chat_json(struct jsonw *w, const char *addr)
{
	const char *p = addr;
	char num[24];
	long long id;
	char *end;

	if (addr[0] == '@') {
		size_t n = strlen(addr + 1);
		if (n < 5 || n > 32)
			return false;
		for (p = addr + 1; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				return false;
		jw_str(w, addr);
		return true;
	}
	if (*p == '-')
		p++;
	if (*p == '\0' || strlen(p) > 19)
		return false;
	for (; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	errno = 0;
	id = strtoll(addr, &end, 10);
	if (errno != 0 || *end != '\0' || id == 0)
		return false;
	snprintf(num, sizeof(num), "%lld", id);
	jw_raw(w, num);
	return true;
}

static char *tg_request(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen)
{
	struct jsonw w = { 0 };

	jw_raw(&w, "{\"chat_id\":");
	if (job->address == NULL || !tg_chat_json(&w, job->address)) {
		free(jw_finish(&w));
		snprintf(err, errlen, "invalid_address: not a Telegram chat id or @channel");
		return NULL;
	}
	if (job->content_case != BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT || job->text == NULL ||
	    job->text->body == NULL || job->text->body[0] == '\0') {
		free(jw_finish(&w));
		snprintf(err, errlen, "invalid_content: Telegram takes text only, and not empty");
		return NULL;
	}
	jw_kv(&w, true, "text", job->text->body);
	if (job->text->html)
		jw_raw(&w, ",\"parse_mode\":\"HTML\"");
	jw_raw(&w, ",\"link_preview_options\":{\"is_disabled\":true}}");
	return prov_json_end(&w, err, errlen);
}

static char *tg_url(const char *api_base, const char *account, const char *token)
{
	(void)account;
	return prov_url(api_base, "/bot", token, "/sendMessage");
}

/* The ledger keeps the description in the detail, so this also reads a detail. */
static bool tg_revokes(int code, const char *description)
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
static void tg_success(const json_t *root, long status, const char *chat, struct verdict *v)
{
	const json_t *res = json_object_get(root, "result");
	const json_t *mid = json_object_get(res, "message_id");
	const json_t *cid = json_object_get(json_object_get(res, "chat"), "id");

	v->cls = VERDICT_SENT;
	if (json_is_integer(mid) && json_is_integer(cid))
		snprintf(v->msg_id, sizeof(v->msg_id), "%lld:%lld",
		         (long long)json_integer_value(cid), (long long)json_integer_value(mid));
	else if (json_is_integer(mid) && chat != NULL && strlen(chat) < sizeof(v->msg_id) - 24)
		snprintf(v->msg_id, sizeof(v->msg_id), "%s:%lld", chat,
		         (long long)json_integer_value(mid));
	else
		prov_sent_without_id(v, status);
}

/* The class of an error answer, from its code and parameters. */
static void tg_error_class(int code, long http_status, long retry_after, struct verdict *v)
{
	if (code == TG_TOO_MANY || retry_after > 0) {
		v->cls = VERDICT_TRANSIENT;
		v->min_delay_ms = retry_after > 0 ? retry_after * 1000 : TG_RETRY_DEFAULT_MS;
		v->wait = WAIT_SENDER;   /* flood control holds the whole bot */
	} else if (code >= 500 || http_status >= 500 || http_status == 408 || code == 0) {
		v->cls = VERDICT_TRANSIENT;
	} else if (code == 401 || code == 404) {
		v->cls = VERDICT_HALT;
		v->auth = true;
	} else {
		v->cls = VERDICT_PERMANENT;
	}
	v->throttled = code == TG_TOO_MANY || http_status == TG_TOO_MANY;
}

/* Fills v from an error answer. */
static void tg_error(const json_t *root, long http_status, struct verdict *v)
{
	const json_t *params = json_object_get(root, "parameters");
	const char *desc = json_string_value(json_object_get(root, "description"));
	long retry_after = (long)json_integer_value(json_object_get(params, "retry_after"));
	long long migrate = (long long)json_integer_value(json_object_get(params,
	                                                                  "migrate_to_chat_id"));

	v->code = (int)json_integer_value(json_object_get(root, "error_code"));
	if (v->code == 0)
		v->code = (int)http_status;
	if (migrate != 0) {
		/* The group became a supergroup: the new id should be stored and the
		 * message resent. We only ever write to private chats and channels,
		 * where this does not happen, so it is recorded, not followed. */
		v->cls = VERDICT_PERMANENT;
		utf8_format(v->detail, sizeof(v->detail), "http %ld: migrated: chat moved to %lld: %s",
		            http_status, migrate, desc ? desc : "no description");
		return;
	}
	tg_error_class(v->code, http_status, retry_after, v);
	v->revoke = v->cls == VERDICT_PERMANENT && tg_revokes(v->code, desc);
	utf8_format(v->detail, sizeof(v->detail), "http %ld: %s", http_status,
	            desc ? desc : "no description");
}

static void tg_answer(const json_t *root, long http_status, const char *address,
                      struct verdict *v)
{
	if (http_status >= 200 && http_status < 300 && !json_is_false(json_object_get(root, "ok")))
		tg_success(root, http_status, address, v);
	else
		tg_error(root, http_status, v);
}

const struct provider prov_telegram = {
	.name = "telegram",
	.kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM,
	.token_in_url = true,
	.messaging_limit = false,
	.unreachable_code = 0,
	.params = tg_params,
	.request = tg_request,
	.url = tg_url,
	.answer = tg_answer,
	.revokes = tg_revokes,
};
