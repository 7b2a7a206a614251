/*
 * Inbound webhooks. The payload is serialized once and those exact bytes
 * are signed and sent, the way Meta does: receivers must verify the HMAC
 * over the raw body, so we escape non-ASCII characters and slashes as
 * Meta's serializer does; a receiver that re-serializes will not match.
 */
#include "inbound.h"

#include <ctype.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fake.h"
#include "http.h"
#include "log.h"
#include "phone.h"
#include "store.h"
#include "xmalloc.h"

#define INBOUND_TIMEOUT_S 30  /* longer than ingest's Kafka ack timeout */

/* The media types we can fake, with the MIME type Meta would report. */
static const struct {
	const char *type;
	const char *mime;
} inbound_media[] = {
	{ "image", "image/jpeg" }, { "audio", "audio/ogg; codecs=opus" },
	{ "video", "video/mp4" },  { "document", "application/pdf" },
	{ "sticker", "image/webp" },
};

/* The type-specific part of a message object (added to msg), 0 or -1 if unknown. */
static int inbound_content(json_t *msg, const struct inbound_msg *m)
{
	const char *text = m->text ? m->text : "";
	char id[24], sha[SHA256_HEX_LEN + 1];

	if (strcmp(m->type, "text") == 0) {
		json_object_set_new(msg, "text", json_pack("{s:s}", "body", text));
		return 0;
	}
	if (strcmp(m->type, "button") == 0) {
		json_object_set_new(msg, "button", json_pack("{s:s, s:s}", "payload", text,
		                                             "text", text));
		return 0;
	}
	if (strcmp(m->type, "unsupported") == 0) {
		json_object_set_new(msg, "errors",
		                    json_pack("[{s:i, s:s, s:s, s:{s:s}}]", "code", 131051,
		                              "title", "Message type unknown",
		                              "message", "Message type unknown",
		                              "error_data", "details",
		                              "Message type is currently not supported."));
		return 0;
	}
	for (size_t i = 0; i < sizeof(inbound_media) / sizeof(inbound_media[0]); i++) {
		if (strcmp(m->type, inbound_media[i].type) != 0)
			continue;
		snprintf(id, sizeof(id), "%lld", (long long)(clock_wall_ms() % 1000000000000LL));
		sha256_hex(m->wamid, strlen(m->wamid), sha);
		json_t *media = json_pack("{s:s, s:s, s:s}", "mime_type", inbound_media[i].mime,
		                          "sha256", sha, "id", id);
		if (m->text != NULL)
			json_object_set_new(media, "caption", json_string(m->text));
		json_object_set_new(msg, m->type, media);
		return 0;
	}
	return -1;
}

json_t *inbound_payload(const struct inbound_msg *m)
{
	char ts[24];
	json_t *msg;

	snprintf(ts, sizeof(ts), "%lld", (long long)m->ts_s);
	msg = json_pack("{s:s, s:s, s:s}", "from", m->from, "id", m->wamid, "timestamp", ts);
	if (inbound_content(msg, m) != 0) {
		json_decref(msg);
		return NULL;
	}
	json_object_set_new(msg, "type", json_string(m->type));
	return json_pack(
	    "{s:s, s:[{s:s, s:[{s:{s:s, s:{s:s, s:s}, s:[{s:{s:s}, s:s}], s:[o]}, s:s}]}]}",
	    "object", "whatsapp_business_account",
	    "entry",
	      "id", m->waba_id,
	      "changes",
	        "value",
	          "messaging_product", "whatsapp",
	          "metadata", "display_phone_number", m->display_number,
	                      "phone_number_id", m->phone_number_id,
	          "contacts", "profile", "name", m->name, "wa_id", m->from,
	          "messages", msg,
	        "field", "messages");
}

char *inbound_serialize(const json_t *payload, size_t *len)
{
	char *s = json_dumps(payload, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH);
	char *p;

	if (s == NULL)
		return NULL;
	/* Meta writes \u00e8, jansson \u00E8: lowercase the hex of each \u escape
	 * (an escaped backslash is skipped whole, so text is never altered). */
	for (p = s; *p != '\0'; p++) {
		if (*p != '\\')
			continue;
		if (p[1] == 'u') {
			for (int i = 2; i < 6 && p[i] != '\0'; i++)
				p[i] = (char)tolower((unsigned char)p[i]);
			p += 5;
		} else {
			p++;
		}
	}
	*len = strlen(s);
	return s;
}

void inbound_signature(const char *secret, const char *body, size_t len,
                       char out[INBOUND_SIG_LEN])
{
	memcpy(out, "sha256=", 7);
	hmac_sha256_hex(secret, strlen(secret), body, len, out + 7);
}

/* The legacy X-Hub-Signature value Meta still sends: "sha1=<hex HMAC-SHA1>". */
static void inbound_signature_sha1(const char *secret, const char *body, size_t len,
                                   char out[5 + 40 + 1])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	HMAC(EVP_sha1(), secret, (int)strlen(secret), (const unsigned char *)body, len, mac, &n);
	memcpy(out, "sha1=", 5);
	for (unsigned int i = 0; i < n && i < 20; i++)
		snprintf(out + 5 + 2 * i, 3, "%02x", mac[i]);
}

/* A webhook POST in flight and the test request waiting for its result. */
struct inbound_call {
	struct event_base        *base;
	struct evhttp_connection *evcon;     /* ours: freed once the exchange is over */
	struct evhttp_request    *test_req;
	char                      wamid[STORE_WAMID_LEN];
};

/* Frees a finished call and its connection, from the loop, outside libevent's callbacks. */
static void inbound_call_free(evutil_socket_t fd, short what, void *arg)
{
	struct inbound_call *call = arg;
	(void)fd;
	(void)what;

	if (call->evcon != NULL)
		evhttp_connection_free(call->evcon);
	free(call);
}

/* Tells the test what the webhook receiver answered. */
static void inbound_on_response(struct evhttp_request *resp, void *arg)
{
	struct inbound_call *call = arg;
	struct timeval now = { 0, 0 };
	int status = resp != NULL ? evhttp_request_get_response_code(resp) : 0;

	if (status == 0) {
		log_warn("fake.webhook_failed", "no answer from the webhook receiver");
		http_reply_json(call->test_req, 502,
		                json_pack("{s:i, s:s, s:s}", "status", 0, "wamid", call->wamid,
		                          "error", "webhook POST failed"));
	} else {
		log_info("fake.webhook_sent", "%s answered %d", call->wamid, status);
		http_reply_json(call->test_req, 200,
		                json_pack("{s:i, s:s}", "status", status, "wamid", call->wamid));
	}
	/* Not evhttp_connection_free_on_completion(): libevent 2.1 does not free
	 * the connection when connecting fails. We never free it in its own
	 * callback either: the loop does it next. */
	if (event_base_once(call->base, -1, EV_TIMEOUT, inbound_call_free, call, &now) != 0)
		log_error("fake.leak", "cannot schedule the release of a webhook connection");
}

/* POSTs body to the webhook URL; the answer goes to call. 0 or -1. */
static int inbound_post(struct fake *fk, struct inbound_call *call, const char *body,
                        size_t len, char *err, size_t errlen)
{
	struct evhttp_uri *uri = evhttp_uri_parse(fk->cfg.webhook_url);
	const char *scheme, *host, *path, *query;
	struct evhttp_connection *evcon;
	struct evhttp_request *wreq;
	struct evkeyvalq *hdrs;
	char sig[INBOUND_SIG_LEN], sig1[5 + 40 + 1], hostport[300], clen[24], *target = NULL;
	int port, rc = -1;

	if (uri == NULL || (scheme = evhttp_uri_get_scheme(uri)) == NULL ||
	    strcmp(scheme, "http") != 0 || (host = evhttp_uri_get_host(uri)) == NULL) {
		snprintf(err, errlen, "FAKE_WA_WEBHOOK_URL must be an http:// URL");
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
	evhttp_connection_set_timeout(evcon, INBOUND_TIMEOUT_S);
	wreq = evhttp_request_new(inbound_on_response, call);
	hdrs = evhttp_request_get_output_headers(wreq);
	inbound_signature(fk->cfg.app_secret, body, len, sig);
	inbound_signature_sha1(fk->cfg.app_secret, body, len, sig1);
	snprintf(hostport, sizeof(hostport), "%s:%d", host, port);
	snprintf(clen, sizeof(clen), "%zu", len);
	evhttp_add_header(hdrs, "Host", hostport);
	evhttp_add_header(hdrs, "User-Agent", "facebookexternalua");
	evhttp_add_header(hdrs, "Content-Type", "application/json");
	evhttp_add_header(hdrs, "Content-Length", clen);
	evhttp_add_header(hdrs, "X-Hub-Signature", sig1);
	evhttp_add_header(hdrs, "X-Hub-Signature-256", sig);
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

/* Reads the test's description of an inbound message; NULL with err set. */
static json_t *inbound_parse(struct evhttp_request *req, struct inbound_msg *m,
                             char *err, size_t errlen)
{
	json_error_t jerr;
	size_t len;
	const char *body = http_body(req, &len);
	json_t *in = json_loadb(body, len, 0, &jerr);
	const char *from;

	if (in == NULL || !json_is_object(in)) {
		snprintf(err, errlen, "body must be a JSON object");
		goto failed;
	}
	m->phone_number_id = json_string_value(json_object_get(in, "phone_number_id"));
	from = json_string_value(json_object_get(in, "from"));
	m->type = json_string_value(json_object_get(in, "type"));
	m->text = json_string_value(json_object_get(in, "text"));
	m->name = json_string_value(json_object_get(in, "name"));
	if (m->type == NULL)
		m->type = "text";
	if (m->name == NULL)
		m->name = "Test";
	if (m->phone_number_id == NULL || *m->phone_number_id == '\0' || from == NULL) {
		snprintf(err, errlen, "phone_number_id and from are required");
		goto failed;
	}
	m->from = from[0] == '+' ? from + 1 : from;
	for (const char *p = m->from; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			m->from = NULL;
	if (m->from == NULL || strlen(m->from) < 6 || strlen(m->from) > 15) {
		snprintf(err, errlen, "from must be a phone number (6 to 15 digits)");
		goto failed;
	}
	if (strcmp(m->type, "text") == 0 && m->text == NULL) {
		snprintf(err, errlen, "text is required for type text");
		goto failed;
	}
	m->ts_s = json_integer_value(json_object_get(in, "timestamp"));
	if (m->ts_s <= 0)
		m->ts_s = clock_wall_ms() / 1000;
	return in;
failed:
	json_decref(in);
	return NULL;
}

void inbound_handle(struct fake *fk, struct evhttp_request *req)
{
	struct inbound_msg m = { .waba_id = fk->cfg.waba_id,
	                         .display_number = fk->cfg.display_number };
	struct inbound_call *call;
	char err[256], red[PHONE_MAX + 4];
	json_t *in, *payload = NULL;
	char *body = NULL;
	size_t len = 0;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "use POST");
		return;
	}
	if ((in = inbound_parse(req, &m, err, sizeof(err))) == NULL) {
		http_reply_error(req, 400, "bad_request", "%s", err);
		return;
	}
	call = xcalloc(1, sizeof(*call));
	call->test_req = req;
	store_wamid(fk->store, call->wamid);
	m.wamid = call->wamid;
	payload = inbound_payload(&m);
	if (payload == NULL) {
		http_reply_error(req, 400, "bad_request", "unknown message type %s", m.type);
		free(call);
		goto done;
	}
	/* The citizen wrote to us: the window opens whether or not our receiver is up. */
	store_window_touch(fk->store, m.phone_number_id, m.from, m.ts_s * 1000);
	log_info("fake.inbound", "%s from %s to %s", call->wamid, phone_redact(m.from, red),
	         m.phone_number_id);
	body = inbound_serialize(payload, &len);
	if (fk->cfg.webhook_url[0] == '\0') {
		http_reply_json(req, 200, json_pack("{s:i, s:s}", "status", 0, "wamid", call->wamid));
		free(call);
		goto done;
	}
	if (inbound_post(fk, call, body, len, err, sizeof(err)) != 0) {
		log_warn("fake.webhook_failed", "%s", err);
		http_reply_json(req, 502, json_pack("{s:i, s:s, s:s}", "status", 0,
		                                    "wamid", call->wamid, "error", err));
		free(call);
	}
done:
	free(body);
	json_decref(payload);
	json_decref(in);
}
