/*
 * Inbound messages: POST /_fake/inbound turns a test's request into the
 * webhook Meta would send (same shape, same escaping, same signature
 * headers), POSTs it to FAKE_WA_WEBHOOK_URL with libevent's HTTP client
 * (no thread, no blocking) and opens the 24-hour window for the sender.
 */
#ifndef FAKE_WA_INBOUND_H
#define FAKE_WA_INBOUND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

struct evhttp_request;
struct fake;

/* "sha256=" + 64 hex + NUL */
#define INBOUND_SIG_LEN (7 + SHA256_HEX_LEN + 1)

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
/* The exact bytes to send: compact, non-ASCII and '/' escaped as Meta does. Caller frees. */
char *inbound_serialize(const json_t *payload, size_t *len);
/* The X-Hub-Signature-256 value for body: "sha256=<hex HMAC-SHA256(secret, body)>". */
void inbound_signature(const char *secret, const char *body, size_t len,
                       char out[INBOUND_SIG_LEN]);
/* Serves POST /_fake/inbound; answers when the webhook POST has an answer. */
void inbound_handle(struct fake *fk, struct evhttp_request *req);

#endif
