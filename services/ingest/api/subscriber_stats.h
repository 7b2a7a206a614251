/*
 * GET /api/v1/subscribers/stats?days=N[&comune=ID]: a comune's active
 * subscribers per channel kind and per topic, and its joins and leaves
 * per day (from the consent ledger) over the last N days (1-366, 30 by
 * default) in the comune's time zone, today included, days without
 * events as zeros. Counts only: no number, no chat id. docs/api.md.
 */
#ifndef BND_SUBSCRIBER_STATS_H
#define BND_SUBSCRIBER_STATS_H

#include "core/route.h"

struct ingest;
struct evhttp_request;

void substats_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);

#endif
