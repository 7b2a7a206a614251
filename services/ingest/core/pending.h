/*
 * A request waiting for Kafka: it is answered with its success reply only
 * after every event it produced was acknowledged, with 503 as soon as one
 * fails or BND_KAFKA_ACK_TIMEOUT_MS passes. It is answered exactly once,
 * and the context lives until the last acknowledgement arrives, even
 * when the 503 went out before.
 *
 *   p = pending_new(ing, req, "whatsapp");
 *   pending_produce(p, topic, key, val, len);   (any number of times)
 *   pending_finish(p, 200, body);               (hands p over; don't touch it after)
 */
#ifndef BND_PENDING_H
#define BND_PENDING_H

#include <jansson.h>
#include <stddef.h>

struct ingest;
struct metric;
struct pending;
struct evhttp_request;

/* what: a short label for logs ("whatsapp", "notice.create");
 * ok_metric: counted when the success reply goes out (may be NULL). */
struct pending *pending_new(struct ingest *ing, struct evhttp_request *req,
                            const char *what, struct metric *ok_metric);
/* Produces one event (key: a C string); a failure to enqueue is
 * remembered and turns the reply into 503. */
void pending_produce(struct pending *p, const char *topic, const char *key,
                     const void *val, size_t len);
/* Sets the success reply (steals body) and lets acks complete the request. */
void pending_finish(struct pending *p, int code, json_t *body);
/* Same with an HTML page (text/html; takes ownership of html). */
void pending_finish_html(struct pending *p, int code, char *html);
/* Requests not yet freed (waiting for acks, answered or not). */
long pending_live(void);
/* At shutdown: answers 503 to every request still waiting, so that
 * nothing refers to them any more. Contexts are freed by their acks. */
void pending_abandon_all(void);

#endif
