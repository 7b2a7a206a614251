/*
 * The comune's settings for the editors' console (docs/api.md, "The
 * comune's settings and topics"): GET /api/v1/comune (any role: the
 * settings, the default keyword lists and the last changes) and PATCH
 * /api/v1/comune (approvers and consortium: the fields of
 * comune_patch.h; each field changed is recorded in comune_changes).
 */
#ifndef BND_COMUNE_API_H
#define BND_COMUNE_API_H

#include "core/route.h"

void comune_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);

#endif
