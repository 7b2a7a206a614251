/*
 * banditore-ingest: the HTTP edge. WhatsApp webhooks and the editors'
 * API in, normalized events to Kafka out; 2xx only after the broker
 * acknowledged. One event loop; the directory refreshes in its own thread.
 */
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "db.h"
#include "health.h"
#include "http.h"
#include "kafka.h"
#include "log.h"
#include "secret.h"
#include "shutdown.h"
#include "core/access.h"
#include "core/citizen_key.h"
#include "core/conn_guard.h"
#include "core/dbwork.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/origin.h"
#include "core/pending.h"
#include "core/router.h"
#include "console/console.h"
#include "console/console_static.h"
#include "console/session.h"
#include "form/form_handler.h"

#define DRAIN_TICK_MS 20

static struct {
	struct common_cfg c;
	long max_body;
	char *verify_token;
	long ack_timeout_ms;
	long dir_refresh_ms;
	long db_queue;
	long archive_queue;
	long form_queue;
	char *public_base;
	char *key_hash_ref;
	long health_port;
	struct cg_cfg guard;
	long idle_ms;
} cfg;

static const struct cfg_item items[] = {
	CFG_COMMON_ITEMS(&cfg.c, "8080"),
	{ "BND_MAX_BODY_BYTES", CFG_INT, "65536", 1024, 16777216,
	  "largest request body accepted (413 above)", &cfg.max_body },
	{ "BND_WA_VERIFY_TOKEN", CFG_STR, NULL, 0, 0,
	  "token Meta echoes in the webhook verification handshake", &cfg.verify_token },
	{ "BND_KAFKA_ACK_TIMEOUT_MS", CFG_INT, "10000", 100, 300000,
	  "answer 503 if Kafka has not acknowledged a request's events by then",
	  &cfg.ack_timeout_ms },
	{ "BND_TRUST_FORWARDED", CFG_BOOL, "0", 0, 0,
	  "web form: take the client IP (rate limits) from the last X-Forwarded-For entry; "
	  "only behind a proxy that sets it", &form_cfg.trust_forwarded },
	{ "BND_DIRECTORY_REFRESH_MS", CFG_INT, "5000", 100, 3600000,
	  "how often channels and API keys are reloaded from PostgreSQL", &cfg.dir_refresh_ms },
	{ "BND_DB_QUEUE_MAX", CFG_INT, "256", 1, 100000,
	  "editors' API requests waiting for PostgreSQL at most (503 above)", &cfg.db_queue },
	{ "BND_ARCHIVE_QUEUE_MAX", CFG_INT, "64", 1, 100000,
	  "public archive pages waiting for PostgreSQL at most, on a connection of their own "
	  "(503 above)", &cfg.archive_queue },
	{ "BND_FORM_QUEUE_MAX", CFG_INT, "64", 1, 100000,
	  "sign-up form requests waiting for PostgreSQL to count them at most, on a connection "
	  "of their own (above: counted in this replica's memory)", &cfg.form_queue },
	{ "BND_KEY_HASH_SECRET", CFG_STR, NULL, 0, 0,
	  "reference (env:NAME or file:/path) to the secret of the keyed hashes that stand for "
	  "citizens' numbers and chat ids in Kafka keys and in the form's limits; every replica "
	  "needs the same one", &cfg.key_hash_ref },
	{ "BND_PUBLIC_BASE_URL", CFG_STR, "", 0, 0,
	  "the address the public reaches this service at (https://host[:port]): archive links "
	  "when the comune has no archive_base_url, and the origin the sign-up form accepts; "
	  "empty: relative links, and the form accepts the origin of its own Host",
	  &cfg.public_base },
	{ "BND_MAX_CONNECTIONS", CFG_INT, "1024", 1, 1000000,
	  "connections open at once on the API port at most; one more is answered 503 and "
	  "closed at once", &cfg.guard.max_conns },
	{ "BND_MAX_CONNECTIONS_PER_IP", CFG_INT, "0", 0, 1000000,
	  "connections open at once from one client address (an IPv6 /64 counts as one) at "
	  "most; 0: no such limit (behind a proxy every connection has the proxy's address)",
	  &cfg.guard.max_per_peer },
	{ "BND_HTTP_HEADER_TIMEOUT_MS", CFG_INT, "10000", 100, 600000,
	  "a request's line and headers must arrive within this from its first byte (a "
	  "connection's first request: from the accept), else the connection is closed",
	  &cfg.guard.header_ms },
	{ "BND_HTTP_BODY_TIMEOUT_MS", CFG_INT, "30000", 100, 3600000,
	  "a whole request, body included, must arrive within this from its first byte, else "
	  "the connection is closed", &cfg.guard.body_ms },
	{ "BND_HTTP_IDLE_TIMEOUT_MS", CFG_INT, "30000", 100, 3600000,
	  "a connection that neither sends nor takes a byte for this long is closed (also "
	  "between keep-alive requests)", &cfg.idle_ms },
	{ "BND_CONSOLE_IDLE_S", CFG_INT, "1800", 60, 86400,
	  "a console session ends after this many seconds without a request",
	  &console_cfg.idle_s },
	{ "BND_CONSOLE_MAX_S", CFG_INT, "28800", 300, 604800,
	  "a console session ends this many seconds after its login, in use or not (the "
	  "cookie's Max-Age)", &console_cfg.max_s },
	{ "BND_CONSOLE_LOGIN_QUEUE_MAX", CFG_INT, "16", 1, 10000,
	  "console logins and new staff passwords waiting for their (deliberately slow) "
	  "password hash at most, on a PostgreSQL connection of their own (503 above)",
	  &console_cfg.login_queue },
	{ "BND_CONSOLE_LOGINS_PER_MINUTE", CFG_INT, "30", 1, 100000,
	  "console login attempts one client address (an IPv6 /64 counts as one) may make a "
	  "minute, and ten times as many an hour, per replica (429 above)",
	  &console_cfg.logins_per_minute },
	{ "BND_HEALTH_PORT", CFG_INT, "8090", 1, 65535,
	  "port of the health listener (on BND_HTTP_ADDR): /healthz, /readyz and /metrics; "
	  "the API port answers /healthz and /readyz too, never /metrics", &cfg.health_port },
	{ "BND_CONSOLE_DIR", CFG_STR, "", 0, 0,
	  "folder of the editors' console's static files, served under /console/ (make builds "
	  "them into build/console); empty: no console", &console_dir },
	CFG_END,
};

static struct ingest ing;
static struct event *drain_timer;
static int64_t drain_deadline_ms;

/* While draining: leave the loop once no request waits for Kafka. */
static void on_drain_tick(evutil_socket_t fd, short what, void *arg)
{
	long live = pending_live();

	if (live == 0 || clock_mono_ms() >= drain_deadline_ms) {
		if (live > 0)
			log_warn("ingest.drain_timeout", "%ld request(s) still waiting for Kafka", live);
		event_base_loopexit(ing.base, NULL);
	}
}

/* SIGTERM/SIGINT: refuse new requests, wait for those in flight. */
static void on_shutdown(void *arg)
{
	struct timeval tick = clock_timeval(DRAIN_TICK_MS);

	if (ing.draining)
		return;
	ing.draining = true;
	atomic_store(&ing.health.draining, true);
	drain_deadline_ms = clock_mono_ms() + cfg.c.drain_timeout_ms;
	log_info("ingest.draining", "%ld request(s) in flight", pending_live());
	drain_timer = event_new(ing.base, -1, EV_PERSIST, on_drain_tick, NULL);
	if (drain_timer == NULL || event_add(drain_timer, &tick) != 0)
		event_base_loopexit(ing.base, NULL);
}

/* Producer with our ack deadline; delivery reports served on the loop. */
static int start_kafka(void)
{
	char err[512], timeout[32];
	const char *extra[] = { "message.timeout.ms", timeout, "linger.ms", "5", NULL };

	snprintf(timeout, sizeof(timeout), "%ld", cfg.ack_timeout_ms);
	ing.kp = kq_producer_new(cfg.c.kafka_brokers, cfg.c.topic_prefix, extra, err,
	                         sizeof(err));
	if (ing.kp == NULL) {
		log_error("ingest.kafka", "cannot create the producer: %s", err);
		return -1;
	}
	if (kq_watch(ing.kp, ing.base) != 0) {
		log_error("ingest.kafka", "cannot watch the producer queue");
		return -1;
	}
	return 0;
}

/* BND_PUBLIC_BASE_URL checked, without its trailing '/'; 0 or -1 (logged). */
static int public_base_init(void)
{
	char origin[ORIGIN_MAX] = "";
	size_t n = strlen(cfg.public_base);

	while (n > 0 && cfg.public_base[n - 1] == '/')
		cfg.public_base[--n] = '\0';
	if (n > 0 && origin_of(cfg.public_base, origin) != 0) {
		log_error("ingest.config", "BND_PUBLIC_BASE_URL must be http(s)://host[:port][/path]");
		return -1;
	}
	ing.public_base = cfg.public_base;
	snprintf(form_cfg.own_origin, sizeof(form_cfg.own_origin), "%s", origin);
	return 0;
}

/* The keyed hashes' secret, resolved; 0 or -1 (logged, never the secret). */
static int key_hash_init(void)
{
	char err[256], *secret = secret_resolve(cfg.key_hash_ref, err, sizeof(err));

	if (secret == NULL) {
		log_error("ingest.config", "BND_KEY_HASH_SECRET: %s", err);
		return -1;
	}
	if (strlen(secret) < 16) {
		log_error("ingest.config", "BND_KEY_HASH_SECRET: the secret is shorter than 16 bytes");
		explicit_bzero(secret, strlen(secret));
		free(secret);
		return -1;
	}
	ck_set_secret(secret, strlen(secret));
	explicit_bzero(secret, strlen(secret));
	free(secret);
	return 0;
}

/* Everything the loop needs, in order. Logs and returns -1 on failure. */
static int start(void)
{
	struct timeval idle = clock_timeval(cfg.idle_ms);
	char err[256];

	evthread_use_pthreads();
	ing.base = event_base_new();
	if (ing.base == NULL) {
		log_error("ingest.start", "event_base_new failed");
		return -1;
	}
	ing.verify_token = cfg.verify_token;
	ing.ack_timeout_ms = cfg.ack_timeout_ms;
	if (start_kafka() != 0)
		return -1;
	ing.dir = dir_new(cfg.c.pg_dsn, cfg.dir_refresh_ms);
	if (dir_start(ing.dir) != 0) {
		log_error("ingest.start", "cannot start the directory thread");
		return -1;
	}
	ing.dbw = dbw_new(ing.base, cfg.c.pg_dsn, (int)cfg.db_queue);
	ing.dbw_archive = dbw_new(ing.base, cfg.c.pg_dsn, (int)cfg.archive_queue);
	ing.dbw_form = dbw_new(ing.base, cfg.c.pg_dsn, (int)cfg.form_queue);
	ing.dbw_console = dbw_new(ing.base, cfg.c.pg_dsn, (int)console_cfg.login_queue);
	if (dbw_start(ing.dbw) != 0 || dbw_start(ing.dbw_archive) != 0 ||
	    dbw_start(ing.dbw_form) != 0 || dbw_start(ing.dbw_console) != 0) {
		log_error("ingest.start", "cannot start the PostgreSQL worker threads");
		return -1;
	}
	ing.http = http_listen(ing.base, cfg.c.http_addr, (int)cfg.c.http_port,
	                       (size_t)cfg.max_body, err, sizeof(err));
	if (ing.http == NULL) {
		log_error("ingest.listen", "%s", err);
		return -1;
	}
	if (cfg.guard.body_ms < cfg.guard.header_ms)
		cfg.guard.body_ms = cfg.guard.header_ms;
	evhttp_set_timeout_tv(ing.http, &idle);
	ing.guard = cg_new(ing.base, ing.http, &cfg.guard);
	router_install(&ing);
	/* Ready with Kafka alone: webhooks and the form need nothing else, and
	 * a PostgreSQL outage answers the editors' reads 503 by itself. */
	ing.health.ready_without_db = true;
	ing.health_http = health_listen(ing.base, &ing.health, cfg.c.http_addr,
	                                (int)cfg.health_port);
	if (ing.health_http == NULL)
		return -1;
	if (health_monitor_start(&ing.health, kq_producer_handle(ing.kp), cfg.c.pg_dsn) != 0 ||
	    shutdown_watch(ing.base, on_shutdown, NULL) != 0) {
		log_error("ingest.start", "cannot start the health monitor or signal watch");
		return -1;
	}
	return 0;
}

/* After the loop: answer what is left, flush, free in reverse order. */
static void stop(void)
{
	/* What is left of the drain budget, but give the flush a second. */
	int64_t left = drain_deadline_ms - clock_mono_ms();
	int flush_ms = left > 1000 ? (int)left : 1000;

	dbw_free(ing.dbw);   /* answers what still waits for PostgreSQL */
	dbw_free(ing.dbw_archive);
	dbw_free(ing.dbw_form);
	dbw_free(ing.dbw_console);
	pending_abandon_all();
	if (ing.kp != NULL && kq_flush(ing.kp, flush_ms) != 0)
		log_warn("ingest.flush", "Kafka flush incomplete at shutdown");
	health_monitor_stop();
	if (drain_timer != NULL)
		event_free(drain_timer);
	if (ing.http != NULL)
		evhttp_free(ing.http);
	cg_free(ing.guard);
	access_free();
	if (ing.health_http != NULL)
		evhttp_free(ing.health_http);
	dir_free(ing.dir);
	kq_producer_free(ing.kp, 0);
	shutdown_unwatch();
	if (ing.base != NULL)
		event_base_free(ing.base);
}

int main(int argc, char **argv)
{
	cfg_main(argc, argv, "ingest", items);
	log_init("ingest", cfg.c.log_level);
	db_set_default_timeout(cfg.c.pg_timeout_ms);
	if (*cfg.verify_token == '\0') {
		log_error("ingest.config", "BND_WA_VERIFY_TOKEN must not be empty");
		return 2;
	}
	if (public_base_init() != 0 || key_hash_init() != 0 || console_init() != 0)
		return 2;
	ingest_metrics_register();
	if (start() != 0) {
		stop();
		return 1;
	}
	log_info("ingest.listening", "http://%s:%ld (health and metrics on port %ld)",
	         cfg.c.http_addr, cfg.c.http_port, cfg.health_port);
	event_base_dispatch(ing.base);
	stop();
	log_info("ingest.stopped", "bye");
	return 0;
}
