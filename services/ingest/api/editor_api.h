/*
 * The editors' notice API (Bearer API keys; writes answer after Kafka
 * acknowledged the NoticeEvent, reads come from PostgreSQL through the
 * worker thread). Helpers shared by editor_*.c.
 */
#ifndef BND_EDITOR_API_H
#define BND_EDITOR_API_H

#include <jansson.h>
#include <stdbool.h>

#include "banditore.pb-c.h"

struct ingest;
struct evhttp_request;
struct dir_api_key;
struct editor_error;
struct wf_denial;
struct notice_input;

/* Routes /api/v1/notices... and /api/v1/alerts; false if path is not ours. */
bool editor_route(struct ingest *ing, struct evhttp_request *req, const char *path);

/* POST /api/v1/notices: a new draft -> 202 {"id","status":"draft"}. */
void editor_handle_create(struct ingest *ing, struct evhttp_request *req);

/* Finds the caller's API key, or answers 401/503 and returns false. */
bool editor_auth(struct ingest *ing, struct evhttp_request *req, struct dir_api_key *key)
    __attribute__((warn_unused_result));
/* 400 {"error":"invalid","field",...} (or invalid_json when no field). */
void editor_reply_invalid(struct evhttp_request *req, const struct editor_error *err);
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
