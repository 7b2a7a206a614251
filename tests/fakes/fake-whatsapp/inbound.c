/*
 * Inbound webhooks: a test's description of a citizen's message becomes
 * the payload Meta would send, posted signed through webhook.c.
 */
#include "inbound.h"

#include <ctype.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "crypto.h"
#include "fake.h"
#include "http.h"
#include "log.h"
#include "phone.h"
#include "store.h"
#include "webhook.h"
#include "xmalloc.h"

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
	char err[256], red[PHONE_MAX + 4], wamid[STORE_WAMID_LEN];
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
	store_wamid(fk->store, wamid);
	m.wamid = wamid;
	payload = inbound_payload(&m);
	if (payload == NULL) {
		http_reply_error(req, 400, "bad_request", "unknown message type %s", m.type);
		goto done;
	}
	/* The citizen wrote to us: the window opens whether or not our receiver is up. */
	store_window_touch(fk->store, m.phone_number_id, m.from, m.ts_s * 1000);
	log_info("fake.inbound", "%s from %s to %s", wamid, phone_redact(m.from, red),
	         m.phone_number_id);
	body = webhook_serialize(payload, &len);
	webhook_relay(fk->srv.base, fk->cfg.webhook_url, fk->cfg.app_secret, body, len, req, wamid);
done:
	free(body);
	json_decref(payload);
	json_decref(in);
}
