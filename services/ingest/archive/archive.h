/*
 * The public archive, served by ingest without authentication:
 *   GET /c/<comune>/avvisi[?pagina=N]   HTML list of sent notices, newest first
 *   GET /c/<comune>/avvisi/<id>         HTML page of one notice, full text
 *   GET /c/<comune>/avvisi.atom         Atom feed of the latest notices
 * Read on a PostgreSQL worker of its own; answers are cached for
 * ARCHIVE_CACHE_MS under a key made only of comune, document and page.
 * Links point under the comune's archive_base_url, else under
 * BND_PUBLIC_BASE_URL, else are relative: never under the request's Host.
 */
#ifndef BND_ARCHIVE_H
#define BND_ARCHIVE_H

#include <stdbool.h>

#define ARCHIVE_PREFIX "/c/"
#define ARCHIVE_CACHE_MS 5000
#define ARCHIVE_MAX_PAGE 1000   /* ?pagina= above: 404 */

struct ingest;
struct evhttp_request;

/* Handles path if it is an archive path (answering 404 for unknown
 * comuni or notices); false if it is not ours. */
bool archive_route(struct ingest *ing, struct evhttp_request *req, const char *path);
/* Registers the archive's metrics. Call once at start-up. */
void archive_metrics_register(void);
/* The page a query string asks for: 1 without pagina, else pagina as
 * digits only from 1 to ARCHIVE_MAX_PAGE; 0 if it is anything else.
 * Other parameters are ignored. */
int archive_page_param(const char *query);

#endif
