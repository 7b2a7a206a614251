/*
 * fake-cap's one endpoint: GET /NAME serves the file NAME of its folder
 * (names of letters, digits, '.', '-' and '_' only) as application/xml
 * with an ETag (a hash of the content) and Last-Modified (its mtime); a
 * request whose If-None-Match holds that ETag gets 304. A file NAME.hang
 * next to it makes every request for NAME hang (never answered), as a
 * feed server that stopped answering. GET /_fake/stats: what was asked.
 * Tests swap files in the folder (write elsewhere, then mv) while it runs.
 */
#ifndef FAKE_CAP_SERVE_H
#define FAKE_CAP_SERVE_H

#include <stdbool.h>
#include <stddef.h>

struct evhttp_request;

struct serve {
	const char *dir;
	long requests, served, not_modified, hung, missing;
};

/* true for a file name we serve. */
bool serve_name_ok(const char *name);
/* The ETag of a content: a quoted hash. out holds 70 bytes. */
void serve_etag(const void *data, size_t len, char out[70]);
/* true if an If-None-Match header value names etag (or is "*"). */
bool serve_etag_matches(const char *header, const char *etag);
/* The router (fk_server_listen's route). */
void serve_handle(struct evhttp_request *req, void *arg);

#endif
