/* The editors' reads: list, read (with history), stats, preview. */
#ifndef BND_EDITOR_READ_H
#define BND_EDITOR_READ_H

struct ingest;
struct evhttp_request;

enum editor_read {
	ER_LIST,      /* GET /api/v1/notices?status=&cursor=&limit=&comune= */
	ER_READ,      /* GET /api/v1/notices/<id> */
	ER_STATS,     /* GET /api/v1/notices/<id>/stats */
	ER_PREVIEW,   /* GET /api/v1/notices/<id>/preview */
};

/* id: a lowercase UUID, or NULL for ER_LIST. */
void editor_handle_read(struct ingest *ing, struct evhttp_request *req, const char *id,
                        enum editor_read what);

#endif
