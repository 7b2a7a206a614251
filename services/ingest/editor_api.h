/* The editors' notice API (Bearer API keys, answers after Kafka acks). */
#ifndef BND_EDITOR_API_H
#define BND_EDITOR_API_H

struct ingest;
struct evhttp_request;

/* POST /api/v1/notices: a new draft -> 202 {"id","status":"draft"}. */
void editor_handle_create(struct ingest *ing, struct evhttp_request *req);
/* POST /api/v1/notices/<id>/approve -> 202 {"id","status":"approved"}. */
void editor_handle_approve(struct ingest *ing, struct evhttp_request *req,
                           const char *id);

#endif
