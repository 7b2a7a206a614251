/*
 * The public archive, served by ingest without authentication:
 *   GET /c/<comune>/avvisi[?pagina=N]   HTML list of sent notices, newest first
 *   GET /c/<comune>/avvisi/<id>         HTML page of one notice, full text
 *   GET /c/<comune>/avvisi.atom         Atom feed of the latest notices
 * Read on the PostgreSQL worker; answers are cached for ARCHIVE_CACHE_MS.
 */
#ifndef BND_ARCHIVE_H
#define BND_ARCHIVE_H

#include <stdbool.h>

#define ARCHIVE_PREFIX "/c/"
#define ARCHIVE_CACHE_MS 5000

struct ingest;
struct evhttp_request;

/* Handles path if it is an archive path (answering 404 for unknown
 * comuni or notices); false if it is not ours. */
bool archive_route(struct ingest *ing, struct evhttp_request *req, const char *path);

#endif
