/* Liveness, readiness and metrics; see health.h. */
#include "health.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "http.h"
#include "kafka_ends.h"
#include "log.h"
#include "metrics.h"
#include "xmalloc.h"

#define HEALTH_PROBE_MS 2000

static struct {
	pthread_t thread;
	struct health *h;
	rd_kafka_t *rk;
	char *dsn;
	atomic_bool stop;
	bool running;
} mon;

static struct {
	pthread_t thread;
	struct event_base *base;
	bool running;
} srv;

/* One probe of each dependency; logs only when the state changes. */
static void health_probe(void)
{
	const struct rd_kafka_metadata *md = NULL;
	bool k = rd_kafka_metadata(mon.rk, 0, NULL, &md, 1500) == RD_KAFKA_RESP_ERR_NO_ERROR;
	bool d = mon.dsn == NULL || db_ping(mon.dsn, 1500);

	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	if (k != atomic_exchange(&mon.h->kafka_ok, k))
		log_info("health.kafka", "Kafka is %s", k ? "reachable" : "unreachable");
	if (d != atomic_exchange(&mon.h->db_ok, d))
		log_info("health.db", "PostgreSQL is %s", d ? "reachable" : "unreachable");
}

/* Monitor thread: probes until stopped. */
static void *health_run(void *arg)
{
	(void)arg;
	while (!atomic_load(&mon.stop)) {
		health_probe();
		kends_probe(mon.rk);
		for (int i = 0; i < HEALTH_PROBE_MS / 100 && !atomic_load(&mon.stop); i++)
			clock_sleep_ms(100);
	}
	return NULL;
}

int health_monitor_start(struct health *h, rd_kafka_t *rk, const char *dsn)
{
	mon.h = h;
	mon.rk = rk;
	mon.dsn = dsn ? xstrdup(dsn) : NULL;
	atomic_store(&mon.stop, false);
	/* Unknown until the first probe: not ready. */
	atomic_store(&h->kafka_ok, false);
	atomic_store(&h->db_ok, dsn == NULL);
	if (pthread_create(&mon.thread, NULL, health_run, NULL) != 0)
		return -1;
	mon.running = true;
	return 0;
}

void health_monitor_stop(void)
{
	if (!mon.running)
		return;
	atomic_store(&mon.stop, true);
	pthread_join(mon.thread, NULL);
	mon.running = false;
	free(mon.dsn);
	mon.dsn = NULL;
}

static struct {
	const char   *name[HEALTH_BEATS];
	atomic_llong  at_ms[HEALTH_BEATS];   /* monotonic */
	atomic_int    n;
	long          stale_ms;
	pthread_mutex_t lock;
} beats = { .lock = PTHREAD_MUTEX_INITIALIZER };

void health_set_liveness(long stale_s)
{
	beats.stale_ms = stale_s * 1000;
}

int health_beat_slot(const char *name)
{
	int slot = -1;

	pthread_mutex_lock(&beats.lock);
	if (atomic_load(&beats.n) < HEALTH_BEATS) {
		slot = atomic_load(&beats.n);
		beats.name[slot] = name;
		atomic_store(&beats.at_ms[slot], clock_mono_ms());
		atomic_store(&beats.n, slot + 1);   /* published once complete */
	}
	pthread_mutex_unlock(&beats.lock);
	return slot;
}

void health_beat(int slot)
{
	if (slot >= 0 && slot < HEALTH_BEATS)
		atomic_store(&beats.at_ms[slot], clock_mono_ms());
}

const char *health_stuck(long long *age_ms)
{
	int64_t now = clock_mono_ms();
	int n = atomic_load(&beats.n);

	for (int i = 0; beats.stale_ms > 0 && i < n; i++) {
		*age_ms = now - atomic_load(&beats.at_ms[i]);
		if (*age_ms > beats.stale_ms)
			return beats.name[i];
	}
	return NULL;
}

/* Ready: Kafka (and PostgreSQL unless not needed) answer and no shutdown has begun. */
static bool health_ready(const struct health *h)
{
	return atomic_load(&h->kafka_ok) && (h->ready_without_db || atomic_load(&h->db_ok)) &&
	       !atomic_load(&h->draining);
}

/* GET /healthz: every work loop made progress recently. */
static void on_healthz(struct evhttp_request *req, void *arg)
{
	long long age = 0;
	const char *stuck = health_stuck(&age);
	(void)arg;

	if (stuck == NULL) {
		http_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
		return;
	}
	http_reply_json(req, 503, json_pack("{s:s, s:s, s:I}", "status", "stuck", "loop", stuck,
	                                    "since_ms", (json_int_t)age));
}

/* GET /readyz: dependencies up and not draining. */
static void on_readyz(struct evhttp_request *req, void *arg)
{
	struct health *h = arg;
	bool ready = health_ready(h);

	http_reply_json(req, ready ? 200 : 503,
	                json_pack("{s:s, s:b, s:b, s:b}", "status", ready ? "ready" : "not_ready",
	                          "kafka", atomic_load(&h->kafka_ok), "postgres",
	                          atomic_load(&h->db_ok), "draining", atomic_load(&h->draining)));
}

/* GET /metrics: Prometheus text. */
static void on_metrics(struct evhttp_request *req, void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	(void)arg;

	metrics_write(f);
	fclose(f);
	http_reply_text(req, 200, "text/plain; version=0.0.4", text);
	free(text);
}

void health_routes(struct evhttp *http, struct health *h)
{
	evhttp_set_cb(http, "/healthz", on_healthz, h);
	evhttp_set_cb(http, "/readyz", on_readyz, h);
	evhttp_set_cb(http, "/metrics", on_metrics, h);
}

bool health_route(struct evhttp_request *req, const char *path, struct health *h,
                  bool metrics)
{
	if (strcmp(path, "/healthz") == 0)
		on_healthz(req, h);
	else if (strcmp(path, "/readyz") == 0)
		on_readyz(req, h);
	else if (metrics && strcmp(path, "/metrics") == 0)
		on_metrics(req, h);
	else
		return false;
	return true;
}

/* Anything else on the health port. */
static void on_other(struct evhttp_request *req, void *arg)
{
	(void)arg;
	http_reply_error(req, 404, "not_found", "only /healthz, /readyz and /metrics here");
}

struct evhttp *health_listen(struct event_base *base, struct health *h, const char *addr,
                             int port)
{
	char err[256];
	struct evhttp *http = http_listen(base, addr, port, 4096, err, sizeof(err));

	if (http == NULL) {
		log_error("health.listen", "%s", err);
		return NULL;
	}
	health_routes(http, h);
	evhttp_set_gencb(http, on_other, NULL);
	return http;
}

/* Health server thread: its own loop. */
static void *health_serve_run(void *arg)
{
	(void)arg;
	event_base_dispatch(srv.base);
	return NULL;
}

int health_serve(struct health *h, const char *addr, int port)
{
	/* The base is stopped from another thread: make libevent thread-safe. */
	evthread_use_pthreads();
	srv.base = event_base_new();
	if (srv.base == NULL)
		return -1;
	if (health_listen(srv.base, h, addr, port) == NULL)
		return -1;
	if (pthread_create(&srv.thread, NULL, health_serve_run, NULL) != 0)
		return -1;
	srv.running = true;
	return 0;
}

void health_serve_stop(void)
{
	if (!srv.running)
		return;
	event_base_loopexit(srv.base, NULL);
	pthread_join(srv.thread, NULL);
	srv.running = false;
}
