/*
 * Inbound messages: POST /_fake/inbound turns a test's request into the
 * webhook Meta would send (same shape; same escaping and signature
 * headers, see webhook.h), POSTs it to FAKE_WA_WEBHOOK_URL and opens the
 * 24-hour window for the sender. The test is answered with the
 * receiver's status once the receiver has answered.
 */
#ifndef FAKE_WA_INBOUND_H
#define FAKE_WA_INBOUND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct evhttp_request;
struct fake;

/* One inbound message as the test describes it. */
struct inbound_msg {
	const char *waba_id;
	const char *display_number;
	const char *phone_number_id;
	const char *from;          /* digits, no '+' */
	const char *name;          /* profile name */
	const char *type;          /* text, button, image, audio, video, document, sticker, unsupported */
	const char *text;          /* text body / button text / media caption, may be NULL */
	const char *wamid;
	int64_t     ts_s;
};

/* The webhook payload Meta sends for m (new reference), or NULL for an unknown type. */
json_t *inbound_payload(const struct inbound_msg *m);
/* Serves POST /_fake/inbound; answers when the webhook POST has an answer. */
void inbound_handle(struct fake *fk, struct evhttp_request *req);

#endif
