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

#include "core/route.h"

#define ARCHIVE_CACHE_MS 5000
#define ARCHIVE_MAX_PAGE 1000   /* ?pagina= above: 404 */

/* The archive's documents (a route's argument). */
enum archive_doc {
	ARCHIVE_LIST,     /* /c/<comune>/avvisi[/] */
	ARCHIVE_NOTICE,   /* /c/<comune>/avvisi/<id> */
	ARCHIVE_FEED,     /* /c/<comune>/avvisi.atom */
};

/* GET of document ra->arg of comune ra->comune (404 for unknown comuni
 * or notices). */
void archive_handle(struct ingest *ing, struct evhttp_request *req,
                    const struct route_args *ra);
/* Registers the archive's metrics. Call once at start-up. */
void archive_metrics_register(void);
/* The page a query string asks for: 1 without pagina, else pagina as
 * digits only from 1 to ARCHIVE_MAX_PAGE; 0 if it is anything else.
 * Other parameters are ignored. */
int archive_page_param(const char *query);

#endif
