/*
 * The console's reads (GET /api/v1/audience, /subscribers/stats,
 * /optin/...): what they share. Each endpoint's handler parses its query
 * (console_params.h), makes a console_read naming its worker function,
 * and queues it: the comune (the key's own, or ?comune= for a
 * consortium key) is checked to be in the key's scope on the PostgreSQL
 * worker, then the endpoint's function runs there, and the answer (JSON
 * or SVG) goes out on the loop.
 */
#ifndef BND_CONSOLE_READ_H
#define BND_CONSOLE_READ_H

#include <jansson.h>

#include "core/dbwork.h"
#include "core/directory.h"
#include "core/route.h"

struct ingest;
struct evhttp_request;
struct evkeyvalq;
struct db;
struct console_read;

#define CONSOLE_ABSENT 1    /* a work function's "no such comune": 404 */
#define CONSOLE_NOT_FOUND 2 /* something else is missing: 404 with cr->out */

/* Worker: fills cr->out (or cr->svg); 0, CONSOLE_ABSENT, CONSOLE_NOT_FOUND
 * or -1 (503). */
typedef int (*console_work_fn)(struct db *db, struct console_read *cr);

struct console_read {
	struct dbw_job job; /* first */
	struct evhttp_request *req;
	struct dir_api_key key;
	char comune[DIR_ID_MAX]; /* the comune asked about, in scope once work runs */
	char public_base[256];   /* BND_PUBLIC_BASE_URL, for absolute links */
	console_work_fn work;
	void *arg;                   /* the endpoint's parameters (owned) */
	void (*arg_free)(void *arg); /* frees them (NULL: free()) */
	json_t *out;                 /* the JSON answer, or */
	char *svg;                   /* an SVG one */
	int rc;
};

/*
 * A read for the caller of ra, of the comune its query q names
 * (?comune=, else the key's own); NULL after answering 400 when that is
 * no comune id. arg is taken over, freed by arg_free (NULL: free()).
 */
struct console_read *console_read_new(struct ingest *ing, struct evhttp_request *req,
                                      const struct route_args *ra, struct evkeyvalq *q,
                                      console_work_fn work, void *arg, void (*arg_free)(void *arg));
/* Queues cr (taken over); answers 503 if the worker cannot take it. */
void console_read_queue(struct ingest *ing, struct console_read *cr);

#endif
