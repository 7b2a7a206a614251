/* The web sign-up form's endpoints: page, origin, validation, limits, produce. */
#include "form/form_handler.h"

#include <arpa/inet.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events.h"
#include "http.h"
#include "kafka.h"
#include "log.h"
#include "xmalloc.h"
#include "core/citizen_key.h"
#include "core/client_addr.h"
#include "core/directory.h"
#include "core/form_comuni.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/origin.h"
#include "core/pending.h"
#include "core/public_style.h"
#include "core/reply.h"
#include "form/form_limits.h"
#include "form/form_page.h"
#include "form/form_parse.h"

struct form_cfg form_cfg;

static struct metric m_signups = METRIC_COUNTER("bnd_ingest_form_signups_total",
    "web-form sign-ups acknowledged by Kafka (answered 202)");
static struct metric m_limited = METRIC_COUNTER("bnd_ingest_form_rate_limited_total",
    "web-form requests refused by the per-address or per-number limits (429)");
static struct metric m_bad_origin = METRIC_COUNTER("bnd_ingest_form_bad_origin_total",
    "web-form POSTs a browser sent from a page of another site (403)");

/* A POST between its parse and its limits' verdict. */
struct form_post {
	struct ingest *ing;
	struct evhttp_request *req;
	struct form_comune c;        /* a copy: fr's topics point into it */
	struct form_request fr;
	struct form_error err;
	int parsed;                  /* form_parse's result */
	bool json;                   /* the request said JSON */
};

void form_metrics_register(void)
{
	metrics_register(&m_signups);
	metrics_register(&m_limited);
	metrics_register(&m_bad_origin);
	fl_metrics_register();
}

/* The client's address as the limits count it (client_addr.h): the
 * socket peer, or with BND_TRUST_FORWARDED the last X-Forwarded-For entry
 * (the one our own proxy appended). */
void form_client_key(struct evhttp_request *req, char out[CA_KEY_MAX])
{
	const char *xff = form_cfg.trust_forwarded ? http_header(req, "X-Forwarded-For") : NULL;
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	char *peer = NULL, last[64];
	ev_uint16_t port = 0;

	if (xff != NULL) {
		const char *p = strrchr(xff, ',');
		p = p ? p + 1 : xff;
		p += strspn(p, " \t");
		snprintf(last, sizeof(last), "%.*s", (int)strcspn(p, " \t"), p);
		if (ca_key_text(last, out) == 0)
			return;
	}
	if (conn != NULL)
		evhttp_connection_get_peer(conn, &peer, &port);
	if (peer == NULL || ca_key_text(peer, out) != 0)
		snprintf(out, CA_KEY_MAX, "unknown");
}

/* true unless a browser sent this POST from a page of another site: the
 * Origin (else the Referer) must be the comune's site, or this service's
 * public origin (without BND_PUBLIC_BASE_URL: the origin of the request's
 * own Host). Without either header it is no browser's form: it passes,
 * and the limits apply as to any client. */
static bool form_origin_ok(struct evhttp_request *req, const struct form_comune *c)
{
	const char *origin = http_header(req, "Origin");
	const char *from = origin != NULL ? origin : http_header(req, "Referer");
	char got[ORIGIN_MAX];

	if (from == NULL)
		return true;
	if (origin_of(from, got) != 0)   /* "null" (a sandbox, a redirect), garbage */
		return false;
	if (c->site_origin[0] != '\0' && strcmp(got, c->site_origin) == 0)
		return true;
	if (form_cfg.own_origin[0] != '\0')
		return strcmp(got, form_cfg.own_origin) == 0;
	return origin_has_host(got, http_header(req, "Host"));
}

/* Security headers of every form answer. */
static void form_headers(struct evhttp_request *req)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Security-Policy",
	                  "default-src 'none'; style-src 'unsafe-inline'; " PUBLIC_FONT_SRC
	                  "form-action 'self'; "
	                  "frame-ancestors 'none'");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "Cache-Control", "no-store");
}

/* A refusal: JSON for JSON clients, else the form again with the message. */
static void form_refuse(struct evhttp_request *req, const struct form_comune *c, bool json,
                        int code, const char *error, const char *field, const char *message)
{
	if (json) {
		json_t *body = json_pack("{s:s, s:s}", "error", error, "message", message);
		if (field != NULL)
			json_object_set_new(body, "field", json_string(field));
		reply_json(req, code, body);
	} else {
		reply_html(req, code, form_page_form(c, message));
	}
}

/* 429 with Retry-After (whole seconds, rounded up). */
static void form_limited(struct evhttp_request *req, const struct form_comune *c, bool json,
                         int64_t wait_ms, const char *which)
{
	char secs[24];

	metric_add(&m_limited, 1);
	log_warn("form.rate_limited", "comune %s: %s limit, retry in %lld s", c->id, which,
	         (long long)((wait_ms + 999) / 1000));
	snprintf(secs, sizeof(secs), "%lld", (long long)((wait_ms + 999) / 1000));
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", secs);
	form_refuse(req, c, json, 429, "rate_limited", NULL,
	            "Troppe richieste: riprova più tardi.");
}

/* Produces the sign-up; the answer goes out once Kafka acknowledged it. */
static void form_produce(struct ingest *ing, struct evhttp_request *req,
                         const struct form_comune *c, const struct form_request *fr)
{
	Banditore__V1__CitizenMessage cm = BANDITORE__V1__CITIZEN_MESSAGE__INIT;
	Banditore__V1__EventMeta meta;
	char meta_id[UUID_STR_LEN + 1], uuid[UUID_STR_LEN + 1], evidence[UUID_STR_LEN + 8];
	char *key, red[PHONE_MAX + 4];
	struct pending *p = pending_new(ing, req, "form", &m_signups);
	size_t len;

	event_meta_fill(&meta, meta_id, c->id);
	uuid_v4(uuid);
	snprintf(evidence, sizeof(evidence), "form:%s", uuid);
	cm.meta = &meta;
	cm.kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP;
	cm.channel_id = c->wa_channel_id;
	cm.sender_account = (char *)c->wa_sender;
	cm.address = (char *)fr->phone;
	cm.provider_message_id = evidence;
	cm.message_type = "form_signup";
	cm.text = "";
	cm.provider_ts = (int64_t)time(NULL);
	cm.source = "form";
	cm.n_topics = fr->ntopics;
	cm.topics = (char **)fr->topics;
	cm.privacy_version = (char *)c->privacy_version;
	/* Keyed like the WhatsApp messages (never by the number): one citizen's
	 * events stay in order. */
	key = ck_message_key(c->wa_channel_id, fr->phone);
	void *buf = event_pack(&cm.base, &len);
	pending_produce(p, TOPIC_CITIZEN_MESSAGES, key, buf, len);
	free(buf);
	free(key);
	log_info("form.signup", "comune %s channel %lld %s, %zu topic(s), request %s", c->id,
	         c->wa_channel_id, phone_redact(fr->phone, red), fr->ntopics, evidence);
	if (fr->json)
		pending_finish(p, 202, json_pack("{s:s, s:s}", "status", "accepted", "message",
		               "Se il numero può ricevere gli avvisi, riceverà un messaggio "
		               "WhatsApp da confermare."));
	else
		pending_finish_html(p, 202, form_page_sent(c));
}

/* The limits' verdict on a POST: refuse it, or produce it. Frees fp. */
static void form_post_counted(void *arg, enum fl_verdict verdict, int64_t wait_ms)
{
	struct form_post *fp = arg;

	if (verdict == FL_UNAVAILABLE)
		form_refuse(fp->req, &fp->c, fp->json, 503, "unavailable", NULL,
		            "Servizio non disponibile: riprova tra poco.");
	else if (verdict == FL_CLIENT_LIMITED)
		form_limited(fp->req, &fp->c, fp->json, wait_ms, "per-address");
	else if (fp->parsed != 0)
		form_refuse(fp->req, &fp->c, fp->json, fp->err.code,
		            fp->err.code == 413 ? "too_large" : "invalid", fp->err.field,
		            fp->err.message);
	else if (verdict == FL_NUMBER_LIMITED)
		form_limited(fp->req, &fp->c, fp->fr.json, wait_ms, "per-number");
	else
		form_produce(fp->ing, fp->req, &fp->c, &fp->fr);
	free(fp);
}

/* POST: origin, parsing, then the limits (on the form's PostgreSQL
 * worker), then the event. A request is counted against its client's
 * limits whether or not it is valid; a sign-up against its number's. */
static void form_post(struct ingest *ing, struct evhttp_request *req, const struct form_comune *c)
{
	const char *ct = http_header(req, "Content-Type"), *body;
	struct form_post *fp;
	char client[CA_KEY_MAX], hash[CK_HASH_HEX + 1];
	size_t len;

	if (!form_origin_ok(req, c)) {
		metric_add(&m_bad_origin, 1);
		log_warn("form.bad_origin", "comune %s: a browser POST from another site refused",
		         c->id);
		form_refuse(req, c, ct != NULL && strstr(ct, "json") != NULL, 403, "forbidden_origin",
		            NULL, "La richiesta non viene da una pagina del Comune: apri il modulo "
		            "dal sito del Comune e riprova.");
		return;
	}
	fp = xcalloc(1, sizeof(*fp));   /* a few KB: not on the loop's stack */
	fp->ing = ing;
	fp->req = req;
	fp->c = *c;
	fp->json = ct != NULL && strstr(ct, "json") != NULL;
	form_client_key(req, client);
	body = http_body(req, &len);
	fp->parsed = form_parse(ct, body, len, &fp->c, &fp->fr, &fp->err);
	if (fp->parsed == 0)
		ck_hash(fp->fr.phone, hash);
	fl_check(ing, client, fp->parsed == 0 ? hash : NULL, form_post_counted, fp);
}

void form_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	struct form_comune *c;

	form_headers(req);
	if (!dir_ready(ing->dir)) {
		reply_error(req, 503, "directory_unavailable", "comuni not loaded yet");
		return;
	}
	c = xmalloc(sizeof(*c));   /* a few KB: not on the loop's stack */
	if (!dir_comune_find(ing->dir, ra->comune, c) || c->wa_channel_id == 0) {
		const char *ct = http_header(req, "Content-Type");
		if (cmd == EVHTTP_REQ_POST && ct != NULL && strstr(ct, "json") != NULL)
			reply_error(req, 404, "unknown_comune",
			            "no comune with a WhatsApp sign-up here");
		else
			reply_html(req, 404, form_page_not_found());
	}
	else if (cmd == EVHTTP_REQ_GET)
		reply_html(req, 200, form_page_form(c, NULL));
	else
		form_post(ing, req, c);
	free(c);
}
