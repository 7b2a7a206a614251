/*
 * Telegram webhook endpoint. The order of the checks: the bot must be a
 * channel of ours (404), the secret token must match it (401) before the
 * body is even parsed, then the update must be one (400).
 */
#include "webhooks/tg_handler.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "http.h"
#include "kafka.h"
#include "log.h"
#include "metrics.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/pending.h"
#include "core/reply.h"
#include "webhooks/tg_update.h"

static struct metric m_updates = METRIC_COUNTER("bnd_ingest_tg_updates_total",
    "Telegram updates accepted (answered 200), whether or not they carried an event");
static struct metric m_ignored = METRIC_COUNTER("bnd_ingest_tg_ignored_total",
    "Telegram updates answered 200 with nothing produced (groups, edits, ...)");
static struct metric m_bad_secret = METRIC_COUNTER("bnd_ingest_tg_bad_secret_total",
    "Telegram webhook POSTs without the channel's X-Telegram-Bot-Api-Secret-Token");

void tg_metrics_register(void)
{
	metrics_register(&m_updates);
	metrics_register(&m_ignored);
	metrics_register(&m_bad_secret);
}

/* true if s is a bot id: 1..20 digits. */
static bool tg_bot_id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 20)
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* true if the request carries the channel's secret token (constant time). */
static bool tg_secret_ok(struct evhttp_request *req, const struct dir_channel *ch)
{
	const char *got = http_header(req, TG_SECRET_HEADER);

	if (ch->app_secret_len == 0) {
		log_error("tg.no_secret", "channel %lld has no usable webhook secret: "
		          "refusing its updates", ch->id);
		return false;
	}
	return got != NULL && ct_equal(got, strlen(got), ch->app_secret, ch->app_secret_len);
}

/* Produces the update's event under one pending request. */
static void tg_produce(struct ingest *ing, struct evhttp_request *req,
                       const struct tg_update *upd)
{
	struct pending *p = pending_new(ing, req, "telegram", &m_updates);
	size_t len;
	void *buf = tg_update_pack(upd, &len);

	pending_produce(p, TOPIC_CITIZEN_MESSAGES, upd->key, buf, len);
	free(buf);
	pending_finish(p, 200, json_pack("{s:b}", "ok", 1));
}

void tg_handle_post(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	const char *bot_id = ra->rest;
	struct dir_channel ch;
	struct tg_channel tch = { 0 };
	struct tg_update upd;
	const char *body;
	char err[256];
	size_t len;
	bool found;

	if (!tg_bot_id_ok(bot_id)) {
		reply_json(req, 404, json_pack("{s:s}", "error", "unknown_channel"));
		return;
	}
	if (!dir_ready(ing->dir)) {
		reply_error(req, 503, "directory_unavailable", "channels not loaded yet");
		return;
	}
	found = dir_channel_find(ing->dir, "telegram", bot_id, &ch);
	if (!found) {
		log_warn("tg.unknown_channel", "no Telegram channel for bot %s", bot_id);
		reply_json(req, 404, json_pack("{s:s}", "error", "unknown_channel"));
		return;
	}
	if (!tg_secret_ok(req, &ch)) {
		explicit_bzero(&ch, sizeof(ch));
		metric_add(&m_bad_secret, 1);
		log_warn("tg.bad_secret", "bot %s: %s secret token", bot_id,
		         http_header(req, TG_SECRET_HEADER) ? "wrong" : "no");
		reply_error(req, 401, "bad_secret_token", "%s missing or wrong",
		            TG_SECRET_HEADER);
		return;
	}
	tch.id = ch.id;
	snprintf(tch.comune_id, sizeof(tch.comune_id), "%s", ch.comune_id);
	snprintf(tch.bot_id, sizeof(tch.bot_id), "%s", bot_id);
	explicit_bzero(&ch, sizeof(ch));
	body = http_body(req, &len);
	switch (tg_update_parse(body, len, &tch, &upd, err, sizeof(err))) {
	case TG_OK:
		break;
	case TG_ERR_UTF8:
		log_warn("tg.invalid", "bot %s: %s", bot_id, err);
		reply_json(req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid", "field",
		                               upd.bad_field, "message", err));
		return;
	default:
		log_warn("tg.invalid", "bot %s: %s", bot_id, err);
		reply_error(req, 400, "invalid", "%s", err);
		return;
	}
	if (!upd.has_event) {
		metric_add(&m_updates, 1);
		metric_add(&m_ignored, 1);
		log_debug("tg.ignored", "bot %s update %lld: %s", bot_id, upd.update_id, upd.ignored);
		reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	log_debug("tg.accepted", "bot %s update %lld: %s", bot_id, upd.update_id,
	          upd.msg.message_type);
	tg_produce(ing, req, &upd);
	tg_update_free(&upd);
}
