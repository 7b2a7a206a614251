/*
 * WhatsApp webhook endpoints. A POST is answered 200 only once Kafka
 * holds every event it carried; anything else makes Meta retry it.
 */
#include "webhooks/wa_handler.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/pending.h"
#include "core/reply.h"
#include "webhooks/wa_verify.h"
#include "webhooks/wa_webhook.h"

#define UNKNOWN_LOG_EVERY_MS 60000
#define UNKNOWN_LOG_SLOTS 64

static struct metric m_unknown = METRIC_COUNTER("bnd_ingest_wa_unknown_sender_total",
    "WhatsApp webhook changes naming a phone_number_id that is no channel of ours "
    "(answered 200, nothing taken from them)");

/* Recently seen unknown phone_number_ids: when first seen, when last logged. */
static struct unknown_slot {
	char id[WA_UNKNOWN_ID_LEN];
	int64_t seen_ms;
	int64_t logged_ms;
} unknown_log[UNKNOWN_LOG_SLOTS];

void wa_metrics_register(void)
{
	metrics_register(&m_unknown);
}

void wa_handle_verify(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	struct evkeyvalq q = { 0 };
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	const char *mode, *token, *challenge;

	if (query == NULL || evhttp_parse_query_str(query, &q) != 0) {
		reply_text(req, 403, "forbidden\n");
		goto done;
	}
	mode = evhttp_find_header(&q, "hub.mode");
	token = evhttp_find_header(&q, "hub.verify_token");
	challenge = evhttp_find_header(&q, "hub.challenge");
	if (mode == NULL || strcmp(mode, "subscribe") != 0 || token == NULL ||
	    challenge == NULL || *ing->verify_token == '\0' ||
	    !ct_equal(token, strlen(token), ing->verify_token, strlen(ing->verify_token))) {
		log_warn("wa.verify_rejected", "verification handshake refused");
		reply_text(req, 403, "forbidden\n");
		goto done;
	}
	log_info("wa.verified", "verification handshake accepted");
	metric_add(&im_verifications, 1);
	/* The challenge is caller-chosen text: never let a browser sniff it as HTML. */
	evhttp_add_header(evhttp_request_get_output_headers(req), "X-Content-Type-Options",
	                  "nosniff");
	reply_text(req, 200, challenge);
done:
	evhttp_clear_headers(&q);
}

/* wa_lookup_fn over the directory: WhatsApp channels only. */
static bool wa_lookup(void *arg, const char *phone_number_id, struct wa_channel *out)
{
	struct dir_channel ch;

	if (!dir_channel_find(arg, "whatsapp", phone_number_id, &ch))
		return false;
	out->id = ch.id;
	snprintf(out->comune_id, sizeof(out->comune_id), "%s", ch.comune_id);
	_Static_assert(sizeof(out->app_secret) >= sizeof(ch.app_secret), "secret fits");
	memcpy(out->app_secret, ch.app_secret, ch.app_secret_len);
	out->app_secret_len = ch.app_secret_len;
	explicit_bzero(&ch, sizeof(ch));
	return true;
}

/* True if the signature holds under the secret of every channel named. */
static bool wa_signed_by_all(const struct wa_webhook *wh, const char *sig,
                             const char *body, size_t len)
{
	for (size_t i = 0; i < wh->nchannels; i++) {
		const struct wa_channel *ch = &wh->channels[i];
		if (ch->app_secret_len == 0) {
			log_error("wa.no_app_secret", "channel %lld has no usable app secret", ch->id);
			return false;
		}
		if (!wa_signature_matches(sig, ch->app_secret, ch->app_secret_len, body, len))
			return false;
	}
	return true;
}

/* Produces every event of wh under one pending request. */
static void wa_produce_all(struct ingest *ing, struct evhttp_request *req,
                           const struct wa_webhook *wh)
{
	struct pending *p = pending_new(ing, req, "whatsapp", &im_webhooks);

	for (size_t i = 0; i < wh->nevents; i++) {
		const struct wa_event *ev = wh->events[i];
		size_t len;
		void *buf = wa_event_pack(ev, &len);

		pending_produce(p, ev->topic, ev->key, buf, len);
		free(buf);
	}
	pending_finish(p, 200, json_pack("{s:b}", "ok", 1));
}

/* The slot of id: its own, else (first seen now) the one used longest
 * ago. Bounded: a flood of made-up ids cannot grow it. */
static struct unknown_slot *unknown_slot(const char *id, int64_t now)
{
	size_t oldest = 0;

	for (size_t i = 0; i < UNKNOWN_LOG_SLOTS; i++) {
		struct unknown_slot *u = &unknown_log[i], *o = &unknown_log[oldest];
		if (strcmp(u->id, id) == 0)
			return u;
		if ((u->logged_ms > u->seen_ms ? u->logged_ms : u->seen_ms) <
		    (o->logged_ms > o->seen_ms ? o->logged_ms : o->seen_ms))
			oldest = i;
	}
	snprintf(unknown_log[oldest].id, sizeof(unknown_log[oldest].id), "%s", id);
	unknown_log[oldest].seen_ms = now;
	unknown_log[oldest].logged_ms = 0;
	return &unknown_log[oldest];
}

/*
 * true if every unknown phone_number_id of wh is unknown for good: the
 * directory in use was loaded after the id was first seen. Else it may be
 * a channel added a moment ago (its lookup asked for an early reload):
 * the POST is answered 503 and Meta sends it again, by then known.
 */
static bool wa_unknown_settled(struct ingest *ing, const struct wa_webhook *wh)
{
	int64_t now = clock_mono_ms(), loaded = dir_snapshot_ms(ing->dir);
	bool settled = true;

	for (size_t i = 0; i < wh->nunknown_ids; i++)
		if (loaded <= unknown_slot(wh->unknown_ids[i], now)->seen_ms)
			settled = false;
	return settled;
}

/* Counts the changes for unknown numbers; logs each id at most once a minute. */
static void wa_note_unknown(const struct wa_webhook *wh)
{
	int64_t now = clock_mono_ms();

	if (wh->unknown_changes == 0)
		return;
	metric_add(&m_unknown, (long)wh->unknown_changes);
	for (size_t i = 0; i < wh->nunknown_ids; i++) {
		struct unknown_slot *u = unknown_slot(wh->unknown_ids[i], now);
		if (u->logged_ms != 0 && now - u->logged_ms < UNKNOWN_LOG_EVERY_MS)
			continue;
		u->logged_ms = now;
		log_warn("wa.unknown_sender", "phone_number_id %s is no channel of ours: its "
		         "changes are answered 200 and dropped (logged once a minute)",
		         wh->unknown_ids[i]);
	}
}

/* Warns about items dropped from an authenticated POST. */
static void wa_log_skipped(const struct wa_webhook *wh)
{
	size_t n = wh->skipped_sender + wh->skipped_invalid;

	if (n == 0)
		return;
	metric_add(&im_skipped, (long)n);
	log_warn("wa.items_skipped", "%zu sender(s) not a phone number, %zu item(s) without "
	         "id/status; %zu event(s) kept", wh->skipped_sender, wh->skipped_invalid,
	         wh->nevents);
}

void wa_handle_post(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	struct wa_webhook wh = { 0 };
	char sig[SHA256_HEX_LEN + 1], err[256];
	enum wa_sig sr = wa_signature_parse(http_header(req, WA_SIGNATURE_HEADER), sig);
	const char *body;
	size_t len;

	if (sr != WA_SIG_OK) {
		metric_add(&im_bad_signature, 1);
		log_warn("wa.bad_signature", "signature header %s", wa_sig_name(sr));
		reply_error(req, 401, "bad_signature", "X-Hub-Signature-256 %s",
		            wa_sig_name(sr));
		return;
	}
	if (!dir_ready(ing->dir)) {
		reply_error(req, 503, "directory_unavailable", "channels not loaded yet");
		return;
	}
	body = http_body(req, &len);
	switch (wa_webhook_parse(body, len, wa_lookup, ing->dir, &wh, err, sizeof(err))) {
	case WA_OK:
		break;
	case WA_ERR_JSON:
	case WA_ERR_SHAPE:
		log_warn("wa.invalid", "%s", err);
		reply_error(req, 400, "invalid", "%s", err);
		return;
	}
	if (!wa_signed_by_all(&wh, sig, body, len)) {
		metric_add(&im_bad_signature, 1);
		log_warn("wa.bad_signature", "signature does not match the app secret");
		reply_error(req, 401, "bad_signature", "X-Hub-Signature-256 mismatch");
		goto done;
	}
	if (!wa_unknown_settled(ing, &wh)) {
		reply_error(req, 503, "unknown_channel_pending",
		            "phone_number_id not known yet: send it again");
		goto done;
	}
	wa_note_unknown(&wh);
	wa_log_skipped(&wh);
	log_debug("wa.accepted", "%zu event(s) from %zu channel(s)", wh.nevents, wh.nchannels);
	if (wh.nevents == 0) {
		metric_add(&im_webhooks, 1);
		reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		goto done;
	}
	wa_produce_all(ing, req, &wh);
done:
	wa_webhook_free(&wh);
}
