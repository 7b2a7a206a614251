/*
 * The WhatsApp fake's answer that never comes: a held request, to make
 * the client time out (the other answers are fk_reply.h's).
 */
#ifndef FAKE_WA_REPLY_H
#define FAKE_WA_REPLY_H

struct event_base;
struct evhttp_request;

/* How long a "never answered" request is held before it is let go (ms). */
#define REPLY_HOLD_MS (10L * 60 * 1000)

/* Holds req without answering (the client times out). */
void reply_never(struct event_base *base, struct evhttp_request *req);

#endif
