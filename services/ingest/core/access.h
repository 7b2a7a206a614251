/*
 * The public listener's access log and request metrics (loop thread):
 * each request routed gets a request id (request_id.h, returned in
 * X-Request-Id) and, when it is answered, one "http.access" line with
 * method, route (the route table's pattern, never the raw path: a path
 * may hold a token or an address), status, duration_ms, request_id and
 * client (the peer's address cut to its /24 or /64: never a full
 * address), and one observation of bnd_ingest_request_seconds{route,
 * method,status}. Requests are found again by their evhttp_request while
 * they are open; a request freed unanswered (its connection lost before
 * the handler replied) is answered by the handler anyway, into nothing.
 */
#ifndef BND_INGEST_ACCESS_H
#define BND_INGEST_ACCESS_H

struct evhttp_request;

/* Registers the histogram and the reply hook (once, at start-up). */
void access_init(void);
/* req is routed to route (a static string: the pattern, or a word for
 * what no route answers): starts its record, sets X-Request-Id. */
void access_begin(struct evhttp_request *req, const char *route);
/* Frees what is left (at shutdown). */
void access_free(void);

#endif
