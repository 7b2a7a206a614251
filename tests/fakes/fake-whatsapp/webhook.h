/*
 * Webhooks as Meta sends them: a payload serialized once, the way Meta's
 * serializer writes it, and those exact bytes signed (X-Hub-Signature-256,
 * and the legacy X-Hub-Signature) and POSTed to FAKE_WA_WEBHOOK_URL with
 * libevent's HTTP client (no thread, no blocking). Used by inbound.c
 * (messages from citizens) and statuses.c (delivery statuses).
 */
#ifndef FAKE_WA_WEBHOOK_H
#define FAKE_WA_WEBHOOK_H

#include <jansson.h>
#include <stddef.h>

#include "crypto.h"

struct event_base;

/* "sha256=" + 64 hex + NUL */
#define WEBHOOK_SIG_LEN (7 + SHA256_HEX_LEN + 1)

/* How long a POST may take before it counts as not answered (s). */
#define WEBHOOK_TIMEOUT_S 30  /* longer than ingest's Kafka ack timeout */

/*
 * Called once per POST, from the loop, with the receiver's HTTP status, or
 * 0 if there was no answer (connection refused, reset, timed out). arg is
 * the caller's: it may be freed here; the connection is released later.
 */
typedef void (*webhook_done_fn)(int status, void *arg);

/* The exact bytes to send: compact, non-ASCII and '/' escaped as Meta does. Caller frees. */
char *webhook_serialize(const json_t *payload, size_t *len);
/* The X-Hub-Signature-256 value for body: "sha256=<hex HMAC-SHA256(secret, body)>". */
void webhook_signature(const char *secret, const char *body, size_t len,
                       char out[WEBHOOK_SIG_LEN]);
/*
 * POSTs body (len bytes, copied) to url (http:// only), signed with secret.
 * Returns 0 and done(status, arg) follows exactly once; or -1 with the
 * reason in err, and done is never called. done may run before this
 * returns (libevent fails some connections at once, e.g. out of sockets):
 * after a 0, touch nothing done may have freed.
 */
int webhook_post(struct event_base *base, const char *url, const char *secret,
                 const char *body, size_t len, webhook_done_fn done, void *arg,
                 char *err, size_t errlen) __attribute__((warn_unused_result));

#endif
