/*
 * Liveness, readiness and metrics. A monitor thread probes Kafka
 * (metadata request) and PostgreSQL every two seconds. Services with an
 * event loop of their own serve them on it (health_listen: a port of
 * their own; health_route: /healthz and /readyz on a public port);
 * worker services run a small HTTP thread (health_serve).
 *  /healthz  liveness: 200 while every work loop registered with
 *            health_beat_slot() stamped its heartbeat within the last
 *            BND_LIVENESS_STALE_S seconds, else 503 naming the stuck loop
 *            (a process whose health is served on its own loop, ingest,
 *            proves its loop by answering)
 *  /readyz   200 when Kafka and PostgreSQL answer (Kafka only with
 *            ready_without_db) and not draining, else 503
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
	bool ready_without_db;   /* readiness asks Kafka only (set before serving) */
};

#define HEALTH_BEATS 6

/* Liveness: loops stamping less often than every stale_s seconds are
 * stuck (0: never). Call at start-up. */
void health_set_liveness(long stale_s);
/* Registers a work loop by name (static); its slot for health_beat, or -1
 * if there are HEALTH_BEATS already (then it is not watched). Stamped now. */
int health_beat_slot(const char *name);
/* The loop of slot made progress (any thread; slot -1: nothing). */
void health_beat(int slot);
/* The name of the first loop not stamped within the limit, with its age
 * in *age_ms; NULL if none (or no limit). What /healthz answers. */
const char *health_stuck(long long *age_ms);

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
