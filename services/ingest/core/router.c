/* The public listener's router (router.h) over the table of routes.c. */
#include "core/router.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health.h"
#include "http.h"
#include "core/auth.h"
#include "core/conn_guard.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/reply.h"
#include "core/routes.h"
#include "console/session.h"

#define COMUNE_CHARS "abcdefghijklmnopqrstuvwxyz0123456789-"

/* Methods in the order an Allow header names them. */
static const struct {
	unsigned method;
	const char *name;
} METHODS[] = {
	{ EVHTTP_REQ_GET, "GET" }, { EVHTTP_REQ_POST, "POST" }, { EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_PATCH, "PATCH" }, { EVHTTP_REQ_DELETE, "DELETE" },
	{ EVHTTP_REQ_HEAD, "HEAD" }, { EVHTTP_REQ_OPTIONS, "OPTIONS" },
};

/* true if the path segment s (n bytes) is of the pattern segment's kind
 * (or the literal itself); a parameter goes into a. */
static bool segment_fits(const char *pat, size_t pn, const char *s, size_t n,
                         struct route_args *a)
{
	char raw[UUID_STR_LEN + 1];

	if (pn == strlen("{comune}") && memcmp(pat, "{comune}", pn) == 0) {
		if (n == 0 || n >= sizeof(a->comune) || strspn(s, COMUNE_CHARS) < n)
			return false;
		memcpy(a->comune, s, n);
		a->comune[n] = '\0';
		return true;
	}
	if (pn == strlen("{id}") && memcmp(pat, "{id}", pn) == 0) {
		if (n != UUID_STR_LEN)
			return false;
		memcpy(raw, s, n);
		raw[n] = '\0';
		return uuid_parse(raw, a->id);
	}
	return pn == n && memcmp(pat, s, n) == 0;
}

/* true if path fits pattern (route.h), with its parameters in a. */
static bool pattern_fits(const char *pat, const char *path, struct route_args *a)
{
	memset(a, 0, sizeof(*a));
	while (*pat != '\0') {
		const char *pend, *send;
		if (*pat != '/' || *path != '/')
			return false;
		pat++, path++;
		if (strcmp(pat, "*") == 0) {
			a->rest = path;
			return true;
		}
		pend = pat + strcspn(pat, "/");
		send = path + strcspn(path, "/");
		if (!segment_fits(pat, (size_t)(pend - pat), path, (size_t)(send - path), a))
			return false;
		pat = pend;
		path = send;
	}
	return *path == '\0';
}

void router_match(const struct route *table, size_t n, unsigned method, const char *path,
                  struct route_hit *hit)
{
	const struct route *first = NULL;

	memset(hit, 0, sizeof(*hit));
	for (size_t i = 0; i < n && first == NULL; i++)
		if (pattern_fits(table[i].pattern, path, &hit->args))
			first = &table[i];
	if (first == NULL)
		return;
	hit->page = first->page;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(table[i].pattern, first->pattern) != 0)
			continue;
		hit->allowed |= table[i].method;
		if (hit->route == NULL && (table[i].method & method) != 0)
			hit->route = &table[i];
	}
	if (hit->route != NULL)
		hit->args.arg = hit->route->arg;
}

void router_allow(unsigned mask, char *out, size_t size)
{
	size_t w = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(METHODS) / sizeof(METHODS[0]); i++)
		if ((mask & METHODS[i].method) != 0 && w < size)
			w += (size_t)snprintf(out + w, size - w, "%s%s", w > 0 ? ", " : "",
			                      METHODS[i].name);
}

/* A path none of whose routes takes the method. */
static void router_reply_method(struct evhttp_request *req, const struct route_hit *hit)
{
	char allow[64];

	router_allow(hit->allowed, allow, sizeof(allow));
	if (!hit->page) {
		reply_method(req, allow);
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", allow);
	reply_text(req, 405, "Metodo non consentito.\n");
}

/* Runs what the table found for the request. */
static void router_run(struct ingest *ing, struct evhttp_request *req, struct route_hit *hit)
{
	struct dir_api_key key;
	char token[TOKEN_LEN + 1];
	enum route_auth auth = hit->route != NULL ? hit->route->auth : ROUTE_PUBLIC;

	if (auth == ROUTE_SESSION ||
	    (auth == ROUTE_API_KEY && http_header(req, "Authorization") == NULL &&
	     session_cookie(req, token))) {
		if (auth == ROUTE_SESSION && !session_cookie(req, token))
			session_reply_unauthorized(req);
		else
			session_route(ing, req, hit->route, &hit->args, token);
		return;
	}
	if (hit->allowed == 0) {
		reply_error(req, 404, "not_found", "no such endpoint");
	} else if (hit->route == NULL) {
		router_reply_method(req, hit);
	} else if (auth != ROUTE_API_KEY) {
		hit->route->handler(ing, req, &hit->args);
	} else if (auth_api_key(ing, req, &key)) {
		hit->args.key = &key;
		hit->route->handler(ing, req, &hit->args);
	}
}

/* Every request of the public listener. */
static void router_dispatch(struct evhttp_request *req, void *arg)
{
	struct ingest *ing = arg;
	char *path = http_path(req);
	struct route_hit hit;

	cg_request_started(ing->guard, req);
	if (health_route(req, path, &ing->health, false)) {
		free(path);
		return;
	}
	metric_add(&im_requests, 1);
	if (ing->draining) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
		reply_error(req, 503, "draining", "the service is shutting down");
	} else {
		router_match(routes, routes_count, (unsigned)evhttp_request_get_command(req), path,
		             &hit);
		router_run(ing, req, &hit);
	}
	free(path);
}

void router_install(struct ingest *ing)
{
	/* Let the router answer 405 for these instead of evhttp's 501. */
	evhttp_set_allowed_methods(ing->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	                           EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	                           EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	cg_metrics_register();
	routes_metrics_register();
	evhttp_set_gencb(ing->http, router_dispatch, ing);
}
