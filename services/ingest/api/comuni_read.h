/*
 * GET /api/v1/comuni: the comuni the caller acts for, {"comuni": [{"id",
 * "name", "own"}]}: its own comune, and for a consortium key or person
 * the comuni of its scope too (docs/api.md, "Comuni").
 */
#ifndef BND_COMUNI_READ_H
#define BND_COMUNI_READ_H

#include "core/route.h"

struct ingest;
struct evhttp_request;

void comuni_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);

#endif
