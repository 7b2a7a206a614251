/*
 * GET /api/v1/audience?topics=a,b&channels=whatsapp,telegram[&at=T]
 * [&comune=ID]: how many subscribers a notice so targeted would reach per
 * channel kind (the composer's own rule, common/audience.h), what its
 * WhatsApp messages would cost (comuni.wa_price_eur per delivered
 * message; Telegram is free), and whether its comune's quiet hours would
 * hold a normal notice sent now or at T (quiet_view.h). docs/api.md.
 */
#ifndef BND_AUDIENCE_READ_H
#define BND_AUDIENCE_READ_H

#include <jansson.h>

#include "core/route.h"

struct ingest;
struct evhttp_request;

void audience_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);
/* {"currency":"EUR","per_message","estimate"} for wa_count WhatsApp
 * messages at price_eur each (rounded to 1/10000 EUR). Pure. */
json_t *audience_cost(long long wa_count, double price_eur);

#endif
