/*
 * How a fake answers: now, after a delay (a timer, never a sleep), or not
 * at all by dropping the connection (closed at once with SO_LINGER 0: the
 * client sees the connection end without an answer). libevent keeps a
 * request whose client went away until it is answered, so a late answer
 * is always safe: it just frees the request.
 */
#ifndef FK_REPLY_H
#define FK_REPLY_H

#include <jansson.h>

struct event_base;
struct evhttp_request;

/* Answers req with status and body (stolen) after delay_ms (<= 0: now). */
void fk_reply_json(struct event_base *base, struct evhttp_request *req, int status, json_t *body,
                   long delay_ms);
/* Drops req's connection after delay_ms, without an answer. */
void fk_reply_reset(struct event_base *base, struct evhttp_request *req, long delay_ms);

#endif
