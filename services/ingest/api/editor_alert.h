/*
 * Consortium alerts: POST /api/v1/alerts creates one notice per comune
 * (each sent from that comune's own senders), sharing a group id, already
 * submitted for approval. Only consortium keys, only their comuni.
 */
#ifndef BND_EDITOR_ALERT_H
#define BND_EDITOR_ALERT_H

#include "core/route.h"

/* POST /api/v1/alerts. */
void editor_handle_alert(struct ingest *ing, struct evhttp_request *req,
                         const struct route_args *ra);

#endif
