/*
 * Liveness, readiness and metrics. A monitor thread probes Kafka
 * (metadata request) and PostgreSQL every two seconds. Services with an
 * event loop of their own serve them on it (health_listen: a port of
 * their own; health_route: /healthz and /readyz on a public port);
 * worker services run a small HTTP thread (health_serve).
 *  /healthz  200 while the process runs
 *  /readyz   200 when Kafka and PostgreSQL answer and not draining, else 503
 *  /metrics  Prometheus text format
 */
#ifndef BND_HEALTH_H
#define BND_HEALTH_H

#include <librdkafka/rdkafka.h>
#include <stdatomic.h>
#include <stdbool.h>

struct evhttp;
struct evhttp_request;
struct event_base;

struct health {
	atomic_bool kafka_ok;
	atomic_bool db_ok;
	atomic_bool draining;
};

/* Starts the monitor thread. rk: any client handle; dsn may be NULL. */
int health_monitor_start(struct health *h, rd_kafka_t *rk, const char *dsn)
    __attribute__((warn_unused_result));
void health_monitor_stop(void);
/* Adds /healthz, /readyz and /metrics to an existing server. */
void health_routes(struct evhttp *http, struct health *h);
/* Answers path if it is /healthz or /readyz (or /metrics, with metrics
 * true) and returns true; false otherwise (nothing answered). For a
 * listener whose generic callback routes everything itself. */
bool health_route(struct evhttp_request *req, const char *path, struct health *h,
                  bool metrics);
/* A listener on base serving /healthz, /readyz and /metrics only (404
 * for anything else); NULL (logged) if it cannot bind. Caller frees
 * with evhttp_free. */
struct evhttp *health_listen(struct event_base *base, struct health *h, const char *addr,
                             int port);
/* Runs /healthz, /readyz and /metrics on addr:port in a thread. */
int health_serve(struct health *h, const char *addr, int port)
    __attribute__((warn_unused_result));
void health_serve_stop(void);

#endif
