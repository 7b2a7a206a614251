/*
 * The editors' notice API (Bearer API keys, checked by the router; writes
 * answer after Kafka acknowledged the NoticeEvent, reads come from
 * PostgreSQL through the worker thread). Its paths and methods are rows
 * of core/routes.c. Helpers shared by editor_*.c.
 */
#ifndef BND_EDITOR_API_H
#define BND_EDITOR_API_H

#include <jansson.h>
#include <stdbool.h>

#include "banditore.pb-c.h"
#include "core/route.h"

struct ingest;
struct evhttp_request;
struct dir_api_key;
struct editor_error;
struct wf_denial;
struct notice_input;

/* POST /api/v1/notices: a new draft -> 202 {"id","status":"draft"}. */
void editor_handle_create(struct ingest *ing, struct evhttp_request *req,
                          const struct route_args *ra);
/* Any other path under /api/v1/notices/ (ra->rest after it): 400 if it
 * does not start with a notice id, else 404. */
void editor_handle_unknown(struct ingest *ing, struct evhttp_request *req,
                           const struct route_args *ra);
/* 400 {"error":"invalid","field",...} (or invalid_json when no field). */
void editor_reply_invalid(struct evhttp_request *req, const struct editor_error *err);
/* The request's body as JSON (an object or array, valid UTF-8), or NULL
 * with *err filled for editor_reply_invalid. */
json_t *editor_body_json(struct evhttp_request *req, struct editor_error *err);
/* The denial's code with {"error","message"}. */
void editor_reply_denial(struct evhttp_request *req, const struct wf_denial *d);
/* 503: PostgreSQL could not answer. */
void editor_reply_db_down(struct evhttp_request *req);
/* 503 with Retry-After: this ingest's previous write on the notice is
 * not applied by the composer yet. */
void editor_reply_not_applied(struct evhttp_request *req);
/* Copies a validated notice into a CREATE/EDIT event (pointers borrowed). */
void editor_event_fill(Banditore__V1__NoticeEvent *ev, const struct notice_input *in);
/*
 * Stamps ev with the actor (key) and comune, produces it keyed by the
 * notice id and answers 202 with reply (stolen) after Kafka's ack.
 */
void editor_produce(struct ingest *ing, struct evhttp_request *req,
                    const struct dir_api_key *key, const char *comune,
                    Banditore__V1__NoticeEvent *ev, const char *what, json_t *reply);

#endif
