/*
 * Webhooks as Meta sends them: a payload serialized once, the way Meta's
 * serializer writes it, and those exact bytes signed (X-Hub-Signature-256,
 * and the legacy X-Hub-Signature) and POSTed to FAKE_WA_WEBHOOK_URL
 * (fk_post.h). Used by inbound.c (messages from citizens) and statuses.c
 * (delivery statuses).
 */
#ifndef FAKE_WA_WEBHOOK_H
#define FAKE_WA_WEBHOOK_H

#include <jansson.h>
#include <stddef.h>

#include "crypto.h"
#include "fk_post.h"

struct event_base;
struct evhttp_request;

/* "sha256=" + 64 hex + NUL */
#define WEBHOOK_SIG_LEN (7 + SHA256_HEX_LEN + 1)

/* The exact bytes to send: compact, non-ASCII and '/' escaped as Meta does. Caller frees. */
char *webhook_serialize(const json_t *payload, size_t *len);
/* The X-Hub-Signature-256 value for body: "sha256=<hex HMAC-SHA256(secret, body)>". */
void webhook_signature(const char *secret, const char *body, size_t len,
                       char out[WEBHOOK_SIG_LEN]);
/* fk_post() of body to url (http:// only), signed with secret. */
int webhook_post(struct event_base *base, const char *url, const char *secret,
                 const char *body, size_t len, fk_post_done_fn done, void *arg,
                 char *err, size_t errlen) __attribute__((warn_unused_result));
/* fk_post_relay() of body, signed with secret, for the test's test_req: its id is wamid. */
void webhook_relay(struct event_base *base, const char *url, const char *secret,
                   const char *body, size_t len, struct evhttp_request *test_req,
                   const char *wamid);

#endif
