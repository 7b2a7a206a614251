/*
 * Request routing for the ingest listener and the reply helpers every
 * handler uses (they count outcomes in the metrics).
 */
#ifndef BND_ROUTES_H
#define BND_ROUTES_H

#include <event2/http.h>
#include <jansson.h>

struct ingest;

/* Mounts the API routes and the health routes on ing->http. */
void routes_install(struct ingest *ing);
/* Replies JSON (steals body) and counts the outcome. */
void routes_reply_json(struct evhttp_request *req, int code, json_t *body);
/* Replies {"error": error, "message": ...} and counts the outcome. */
void routes_reply_error(struct evhttp_request *req, int code, const char *error,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Replies text/plain and counts the outcome. */
void routes_reply_text(struct evhttp_request *req, int code, const char *text);

#endif
