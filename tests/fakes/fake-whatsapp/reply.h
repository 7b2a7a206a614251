/*
 * How the fake answers a send request: now, after a delay (a timer,
 * never a sleep), never (a held request, to make the client time out),
 * or not at all by dropping the connection (closed at once with SO_LINGER 0:
 * the client sees the connection end without an answer).
 * libevent keeps a request whose client went away until it is answered,
 * so a late answer is always safe: it just frees the request.
 */
#ifndef FAKE_WA_REPLY_H
#define FAKE_WA_REPLY_H

#include <jansson.h>

struct event_base;
struct evhttp_request;

/* How long a "never answered" request is held before it is let go (ms). */
#define REPLY_HOLD_MS (10L * 60 * 1000)

/* Answers req with status and body (stolen) after delay_ms (<= 0: now). */
void reply_json(struct event_base *base, struct evhttp_request *req, int status, json_t *body,
                long delay_ms);
/* Drops req's connection after delay_ms, without an answer. */
void reply_reset(struct event_base *base, struct evhttp_request *req, long delay_ms);
/* Holds req without answering (the client times out). */
void reply_never(struct event_base *base, struct evhttp_request *req);

#endif
