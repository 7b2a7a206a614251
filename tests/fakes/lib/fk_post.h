/*
 * Webhook POSTs from a fake to the service under test (ingest), as the
 * provider sends them: libevent's HTTP client on the fake's loop (no
 * thread, no blocking), the exact body bytes given, the provider's own
 * headers added to Host, Content-Type and Content-Length. And the relay
 * the fakes' test endpoints share (POST /_fake/inbound, /_fake/update):
 * the test's request is answered with what the receiver answered.
 */
#ifndef FK_POST_H
#define FK_POST_H

#include <jansson.h>
#include <stddef.h>

struct event_base;
struct evhttp_request;

/* How long a POST may take before it counts as not answered (s). */
#define FK_POST_TIMEOUT_S 30  /* longer than ingest's Kafka ack timeout */

/* One request header. */
struct fk_header {
	const char *name, *value;
};

/*
 * Called once per POST, from the loop, with the receiver's HTTP status, or
 * 0 if there was no answer (connection refused, reset, timed out). arg is
 * the caller's: it may be freed here; the connection is released later.
 */
typedef void (*fk_post_done_fn)(int status, void *arg);

/*
 * POSTs body (len bytes, copied) to url (http:// only) with the n
 * headers h (copied). Returns 0 and done(status, arg) follows exactly
 * once; or -1 with the reason in err, and done is never called. done may
 * run before this returns (libevent fails some connections at once,
 * e.g. out of sockets): after a 0, touch nothing done may have freed.
 */
int fk_post(struct event_base *base, const char *url, const struct fk_header *h, size_t n,
            const char *body, size_t len, fk_post_done_fn done, void *arg, char *err,
            size_t errlen) __attribute__((warn_unused_result));
/*
 * POSTs body to url as fk_post does and answers test_req with
 * {"status": <the receiver's HTTP status>, <id_name>: id} (200), or with
 * status 0 and an "error" (502) when the receiver did not answer or the
 * POST could not be made; url "" sends nothing and answers status 0 at
 * once. Steals id.
 */
void fk_post_relay(struct event_base *base, const char *url, const struct fk_header *h, size_t n,
                   const char *body, size_t len, struct evhttp_request *test_req,
                   const char *id_name, json_t *id);

#endif
