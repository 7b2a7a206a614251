/* The web sign-up form's endpoints: page, validation, limits, produce. */
#include "form_handler.h"

#include <arpa/inet.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "directory.h"
#include "events.h"
#include "form_comuni.h"
#include "form_page.h"
#include "form_parse.h"
#include "form_ratelimit.h"
#include "http.h"
#include "ingest.h"
#include "ingest_metrics.h"
#include "kafka.h"
#include "log.h"
#include "pending.h"
#include "routes.h"
#include "xmalloc.h"

#define FORM_PREFIX "/c/"
#define FORM_SUFFIX "/iscrizione"
#define FORM_MAX_KEYS 100000
#define MINUTE_MS (60 * 1000)
#define DAY_MS (24 * 60 * MINUTE_MS)

struct form_cfg form_cfg;

static struct metric m_signups = METRIC_COUNTER("bnd_ingest_form_signups_total",
    "web-form sign-ups acknowledged by Kafka (answered 202)");
static struct metric m_limited = METRIC_COUNTER("bnd_ingest_form_rate_limited_total",
    "web-form requests refused by the per-IP or per-number limits (429)");

static const struct frl_rule ip_rules[] = { { MINUTE_MS, 5 }, { DAY_MS, 30 } };
static const struct frl_rule number_rules[] = { { DAY_MS, 3 } };
static struct frl *ip_limits, *number_limits;

void form_metrics_register(void)
{
	metrics_register(&m_signups);
	metrics_register(&m_limited);
}

/* Copies the comune id of /c/<id>/iscrizione into id; false if no match. */
static bool form_path_comune(const char *path, char id[FORM_ID_MAX])
{
	size_t plen = strlen(FORM_PREFIX), slen = strlen(FORM_SUFFIX), n = strlen(path), idlen;

	if (n <= plen + slen || strncmp(path, FORM_PREFIX, plen) != 0 ||
	    strcmp(path + n - slen, FORM_SUFFIX) != 0)
		return false;
	idlen = n - plen - slen;
	if (idlen >= FORM_ID_MAX || strspn(path + plen, "abcdefghijklmnopqrstuvwxyz0123456789-") < idlen)
		return false;
	memcpy(id, path + plen, idlen);
	id[idlen] = '\0';
	return true;
}

bool form_path_match(const char *path)
{
	char id[FORM_ID_MAX];
	return form_path_comune(path, id);
}

/* The client's address: the socket peer, or with BND_TRUST_FORWARDED the
 * last X-Forwarded-For entry (the one our own proxy appended). */
static void form_client_ip(struct evhttp_request *req, char out[FRL_KEY_MAX])
{
	const char *xff = form_cfg.trust_forwarded ? http_header(req, "X-Forwarded-For") : NULL;
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	unsigned char addr[sizeof(struct in6_addr)];
	char *peer = NULL;
	ev_uint16_t port = 0;

	if (xff != NULL) {
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		last += strspn(last, " \t");
		snprintf(out, FRL_KEY_MAX, "%.*s", (int)strcspn(last, " \t"), last);
		if (inet_pton(AF_INET, out, addr) == 1 || inet_pton(AF_INET6, out, addr) == 1)
			return;
	}
	if (conn != NULL)
		evhttp_connection_get_peer(conn, &peer, &port);
	snprintf(out, FRL_KEY_MAX, "%s", peer != NULL ? peer : "unknown");
}

/* Security headers of every form answer. */
static void form_headers(struct evhttp_request *req)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "Content-Security-Policy",
	                  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
	                  "frame-ancestors 'none'");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "Cache-Control", "no-store");
}

/* An HTML answer (takes html); counts 4xx/503 as the other routes do. */
static void form_reply_html(struct evhttp_request *req, int code, char *html)
{
	if (code == 503)
		metric_add(&im_unavailable, 1);
	else if (code >= 400 && code < 500)
		metric_add(&im_rejected, 1);
	http_reply_text(req, code, "text/html; charset=utf-8", html);
	free(html);
}

/* A refusal: JSON for JSON clients, else the form again with the message. */
static void form_refuse(struct evhttp_request *req, const struct form_comune *c, bool json,
                        int code, const char *error, const char *field, const char *message)
{
	if (json) {
		json_t *body = json_pack("{s:s, s:s}", "error", error, "message", message);
		if (field != NULL)
			json_object_set_new(body, "field", json_string(field));
		routes_reply_json(req, code, body);
	} else {
		form_reply_html(req, code, form_page_form(c, message));
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
	char key[FORM_ID_MAX + PHONE_MAX + 24], red[PHONE_MAX + 4];
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
	/* Keyed like the WhatsApp messages: one citizen's events stay in order. */
	snprintf(key, sizeof(key), "%lld/%s", c->wa_channel_id, fr->phone);
	void *buf = event_pack(&cm.base, &len);
	pending_produce(p, TOPIC_CITIZEN_MESSAGES, key, buf, len);
	free(buf);
	log_info("form.signup", "comune %s channel %lld %s, %zu topic(s), request %s", c->id,
	         c->wa_channel_id, phone_redact(fr->phone, red), fr->ntopics, evidence);
	if (fr->json)
		pending_finish(p, 202, json_pack("{s:s, s:s}", "status", "accepted", "message",
		               "Se il numero può ricevere gli avvisi, riceverà un messaggio "
		               "WhatsApp da confermare."));
	else
		pending_finish_html(p, 202, form_page_sent(c));
}

/* POST: limits, parsing, then the event. */
static void form_post(struct ingest *ing, struct evhttp_request *req, const struct form_comune *c)
{
	const char *ct = http_header(req, "Content-Type"), *body;
	bool json = ct != NULL && strstr(ct, "json") != NULL;
	char ip[FRL_KEY_MAX];
	struct form_request fr;
	struct form_error err;
	int64_t wait;
	size_t len;

	form_client_ip(req, ip);
	wait = frl_hit(ip_limits, ip, clock_mono_ms());
	if (wait > 0) {
		form_limited(req, c, json, wait, "per-IP");
		return;
	}
	body = http_body(req, &len);
	if (form_parse(ct, body, len, c, &fr, &err) != 0) {
		form_refuse(req, c, json, err.code, err.code == 413 ? "too_large" : "invalid",
		            err.field, err.message);
		return;
	}
	wait = frl_hit(number_limits, fr.phone, clock_mono_ms());
	if (wait > 0) {
		form_limited(req, c, fr.json, wait, "per-number");
		return;
	}
	form_produce(ing, req, c, &fr);
}

void form_handle(struct ingest *ing, struct evhttp_request *req, const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	struct form_comune *c;
	char id[FORM_ID_MAX];

	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, POST");
		routes_reply_error(req, 405, "method_not_allowed", "use GET, POST");
		return;
	}
	if (ip_limits == NULL) {
		ip_limits = frl_new(ip_rules, 2, FORM_MAX_KEYS);
		number_limits = frl_new(number_rules, 1, FORM_MAX_KEYS);
	}
	form_headers(req);
	if (!dir_ready(ing->dir)) {
		routes_reply_error(req, 503, "directory_unavailable", "comuni not loaded yet");
		return;
	}
	c = xmalloc(sizeof(*c));   /* a few KB: not on the loop's stack */
	if (!form_path_comune(path, id) || !dir_comune_find(ing->dir, id, c) ||
	    c->wa_channel_id == 0) {
		const char *ct = http_header(req, "Content-Type");
		if (cmd == EVHTTP_REQ_POST && ct != NULL && strstr(ct, "json") != NULL)
			routes_reply_error(req, 404, "unknown_comune",
			                   "no comune with a WhatsApp sign-up here");
		else
			form_reply_html(req, 404, form_page_not_found());
	}
	else if (cmd == EVHTTP_REQ_GET)
		form_reply_html(req, 200, form_page_form(c, NULL));
	else
		form_post(ing, req, c);
	free(c);
}
