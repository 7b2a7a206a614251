/*
 * The editors' console (/console/): static files (HTML, JavaScript
 * modules, CSS, fonts, SVG) read from BND_CONSOLE_DIR, which make fills
 * from web/console/ and the Bootstrap Italia dist (docs/console-ui.md). No
 * page is generated here; the console talks to the editors' API.
 */
#ifndef BND_INGEST_CONSOLE_STATIC_H
#define BND_INGEST_CONSOLE_STATIC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/route.h"

#define CONSOLE_PATH_MAX 256

/* BND_CONSOLE_DIR (main.c's table): "" answers 404 under /console/. */
extern char *console_dir;

/* The file a path under /console/ names (rest: what follows "/console/"),
 * relative to the console's folder, into out: "" or a path ending in '/'
 * names that folder's index.html. false (a 404) for anything that could
 * leave the folder or reach a hidden file: a segment that is empty, "."
 * or "..", or begins with '.', a byte outside A-Z a-z 0-9 . _ - /, or a
 * path of CONSOLE_PATH_MAX bytes or more. Pure. */
bool console_path(const char *rest, char *out, size_t size);
/* The Content-Type of a file by its extension; NULL: not served (404). */
const char *console_type(const char *file);
/* GET and HEAD /console/...: the file, with its security headers. */
void console_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra);
/* GET and HEAD /console: 301 to /console/. */
void console_handle_root(struct ingest *ing, struct evhttp_request *req,
                         const struct route_args *ra);

#endif
