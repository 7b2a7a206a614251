/* The editors' reads: list, read (with history), versions, stats, preview. */
#ifndef BND_EDITOR_READ_H
#define BND_EDITOR_READ_H

#include "core/route.h"

enum editor_read {
	ER_LIST,      /* GET /api/v1/notices?status=&q=&cursor=&limit=&comune= */
	ER_READ,      /* GET /api/v1/notices/<id> */
	ER_STATS,     /* GET /api/v1/notices/<id>/stats */
	ER_PREVIEW,   /* GET /api/v1/notices/<id>/preview */
	ER_TIMELINE,  /* GET /api/v1/notices/<id>/timeline?step= */
	ER_VERSIONS,  /* GET /api/v1/notices/<id>/versions */
};

/* ra->arg: what to read (enum editor_read); ra->id: the notice, "" for ER_LIST. */
void editor_handle_read(struct ingest *ing, struct evhttp_request *req,
                        const struct route_args *ra);

#endif
