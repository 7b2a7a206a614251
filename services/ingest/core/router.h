/*
 * The public listener's router: /healthz and /readyz first (load
 * balancers), 503 while draining, then the first route of the table
 * (routes.h) whose pattern fits the path; a method none of that path's
 * routes takes is a 405 naming those they do, a path no pattern fits a
 * 404; an API key is checked before a ROUTE_API_KEY handler runs.
 * /metrics is not here: it is served on the health port only (main.c).
 */
#ifndef BND_INGEST_ROUTER_H
#define BND_INGEST_ROUTER_H

#include <stddef.h>

#include "core/route.h"

struct ingest;

/* What a request's method and path find in a table. */
struct route_hit {
	const struct route *route;   /* the route to run, or NULL */
	unsigned allowed;            /* the methods the path takes; 0: no route fits it */
	bool page;                   /* the path is a public page's (route.h) */
	struct route_args args;      /* key not set: the router sets it after checking */
};

/* Mounts the router on ing->http and registers the metrics of the guard and
 * of the areas routed. */
void router_install(struct ingest *ing);
/* Matches method (EVHTTP_REQ_*) and path against table (pure; args.rest
 * points into path). */
void router_match(const struct route *table, size_t n, unsigned method, const char *path,
                  struct route_hit *hit);
/* The methods of mask as an Allow header ("GET, PUT, PATCH"), into out. */
void router_allow(unsigned mask, char *out, size_t size);

#endif
