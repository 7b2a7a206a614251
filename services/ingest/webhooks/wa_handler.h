/* The WhatsApp webhook endpoints: verification handshake and event POSTs. */
#ifndef BND_WA_HANDLER_H
#define BND_WA_HANDLER_H

#include "core/route.h"

/* GET /webhooks/whatsapp: Meta's hub.challenge handshake. */
void wa_handle_verify(struct ingest *ing, struct evhttp_request *req,
                      const struct route_args *ra);
/* POST /webhooks/whatsapp: verify, normalize, produce, answer after acks.
 * Changes for phone_number_ids of no channel are counted and answered 200
 * once a directory reloaded since the id was first seen still does not
 * know it (503 before: it may be a channel added a moment ago). */
void wa_handle_post(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);
/* Registers the WhatsApp endpoints' own metrics. Call once at start-up. */
void wa_metrics_register(void);

#endif
