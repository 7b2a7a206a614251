/*
 * What a route of the public listener is, and what its handler is
 * given. The routes themselves are one table, routes.c; the router
 * (router.c) matches a request against it. Handlers include this file
 * only: never the router, never the table.
 *
 * A pattern is literal segments between '/' and, in place of a segment:
 *   {comune}  a comune id: 1 to 63 of a-z, 0-9 and '-'
 *   {id}      a UUID (8-4-4-4-12 hex digits), handed over in lowercase
 *   *         (last only) the rest of the path, slashes and all, maybe empty
 * A segment that is not of its kind is no match: the next route is tried.
 */
#ifndef BND_INGEST_ROUTE_H
#define BND_INGEST_ROUTE_H

#include <stdbool.h>

#include "crypto.h"
#include "core/directory.h"

struct ingest;
struct evhttp_request;
struct console_staff;

#define ROUTE_ANY 0xffffu   /* every method (the method field is EVHTTP_REQ_*) */

/* Who may call a route. */
enum route_auth {
	ROUTE_PUBLIC,     /* anyone: the public archive, the sign-up form */
	ROUTE_PROVIDER,   /* a provider's webhook: the handler checks its signature or
	                     secret token, which needs the body and the channel named */
	ROUTE_API_KEY,    /* an editors' API key, checked by the router before the
	                     handler (auth.h): 401 or 503 without one; or, without
	                     an Authorization header, a console session cookie
	                     (console/session.h), CSRF-checked for changes */
	ROUTE_SESSION,    /* a console session cookie only (console/session.h) */
};

/* What the router hands a handler. */
struct route_args {
	const struct dir_api_key *key;    /* ROUTE_API_KEY, ROUTE_SESSION: the caller's key
	                                     (a person's identity for a session), else NULL */
	const struct console_staff *staff; /* authenticated by a session: the person, else NULL */
	char comune[DIR_ID_MAX];          /* {comune}, else "" */
	char id[UUID_STR_LEN + 1];        /* {id}, else "" */
	const char *rest;                 /* *: the rest of the path (valid during the call) */
	int arg;                          /* the route's own argument */
};

typedef void (*route_fn)(struct ingest *ing, struct evhttp_request *req,
                         const struct route_args *ra);

/* One row of the table. Rows of one pattern answer for one path: a method
 * none of them takes is a 405 naming the ones they do. */
struct route {
	unsigned method;          /* EVHTTP_REQ_GET, ...; ROUTE_ANY */
	const char *pattern;
	route_fn handler;
	enum route_auth auth;
	int arg;                  /* handed to the handler (a workflow action, a document) */
	bool page;                /* a public page: a wrong method is answered in words */
};

#endif
