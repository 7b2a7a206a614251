/*
 * The public listener's connections, guarded (loop thread only):
 *  - at most max_conns open at once, and at most max_per_peer from one
 *    client address (an IPv6 /64 counts as one, client_addr.h); a
 *    connection beyond either is answered 503 and closed at once;
 *  - per request, deadlines from its first byte (for a connection's first
 *    request, from the accept): its request line and headers within
 *    header_ms, all of it, body included, within body_ms; past either the
 *    connection is closed. evhttp's own timeout (evhttp_set_timeout) is
 *    only an idle timeout: every byte restarts it, so a client sending a
 *    byte every 25 s would hold a connection for ever without these.
 * The deadlines stop once the request is handed to the router
 * (cg_request_started) and start again with the next request's first byte.
 */
#ifndef BND_CONN_GUARD_H
#define BND_CONN_GUARD_H

struct connguard;
struct event_base;
struct evhttp;
struct evhttp_request;

struct cg_cfg {
	long max_conns;      /* BND_MAX_CONNECTIONS */
	long max_per_peer;   /* BND_MAX_CONNECTIONS_PER_IP; 0: no per-address limit */
	long header_ms;      /* BND_HTTP_HEADER_TIMEOUT_MS */
	long body_ms;        /* BND_HTTP_BODY_TIMEOUT_MS */
};

/* Guards every connection http accepts from now on (evhttp_set_bevcb). */
struct connguard *cg_new(struct event_base *base, struct evhttp *http,
                         const struct cg_cfg *cfg);
/* The router got req: its connection's deadlines stop until the answer
 * has been sent. */
void cg_request_started(struct connguard *cg, struct evhttp_request *req);
/* Connections open and counted (tests). */
long cg_open(const struct connguard *cg);
/* After evhttp_free of the listener: frees what is left. NULL allowed. */
void cg_free(struct connguard *cg);
/* Registers the guard's metrics. Call once at start-up. */
void cg_metrics_register(void);

#endif
