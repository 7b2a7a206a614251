/*
 * banditore-feeds: civil-protection warnings (CAP 1.2) to draft urgent
 * notices. A poll loop (poll.h) on the main thread, the instance's
 * heartbeat (instance.h) and the health server on their own threads.
 * See feeds.h.
 */
#include <curl/curl.h>
#include <libxml/parser.h>
#include <stdlib.h>

#include "feeds.h"
#include "log.h"
#include "poll.h"
#include "shutdown.h"
#include "xmalloc.h"

static struct feeds fs;

static const struct cfg_item items[] = {
	CFG_COMMON_ITEMS(&fs.cfg, "8086"),
	{ "BND_CAP_SCHEMA", CFG_STR, "services/feeds/cap-1.2.xsd", 0, 0,
	  "the CAP 1.2 XML Schema every alert is validated against", &fs.schema_path },
	{ "BND_FEEDS_AUTHOR", CFG_STR, "allerte-protezione-civile", 0, 0,
	  "the author the drafted notices show (no API key; approved as any urgent notice is)",
	  &fs.author },
	{ "BND_FEEDS_REVIEW_URL", CFG_STR, "", 0, 0,
	  "the link in the alerts to staff of a draft waiting for approval, {id} replaced by the "
	  "notice's id (e.g. the editors' console); empty: the CAP alert's own link", &fs.review_url },
	{ "BND_FEEDS_TICK_MS", CFG_INT, "500", 50, 60000,
	  "how often due feeds are claimed and started (each feed has its own interval)",
	  &fs.tick_ms },
	{ "BND_FEED_TIMEOUT_MS", CFG_INT, "10000", 500, 300000,
	  "a feed request that takes longer is abandoned (logged, counted, polled again later)",
	  &fs.fetch_timeout_ms },
	{ "BND_FEED_MAX_BYTES", CFG_INT, "2000000", 1000, 100000000,
	  "a larger feed or alert document is refused", &fs.max_bytes },
	{ "BND_INSTANCE_NAME", CFG_STR, "", 0, 0,
	  "this process's name among the feeds instances, stable across its restarts; empty: "
	  "<host name>:<BND_HTTP_PORT>", &fs.instance_name },
	{ "BND_FEEDS_LEASE_MS", CFG_INT, "10000", 2000, 600000,
	  "an instance's claim on its feeds lives this long after its last heartbeat: another "
	  "instance polls a dead one's feeds after it", &fs.lease_ms },
	CFG_END,
};

/* Producer, PostgreSQL, health, schema. 0 or -1 (logged). */
static int feeds_start(void)
{
	char err[512], *name;

	shutdown_install();
	fs.kp = kq_producer_new(fs.cfg.kafka_brokers, fs.cfg.topic_prefix, NULL, err, sizeof(err));
	if (fs.kp == NULL) {
		log_error("feeds.start_failed", "%s", err);
		return -1;
	}
	db_set_default_timeout(fs.cfg.pg_timeout_ms);
	fs.db = db_new(fs.cfg.pg_dsn);
	health_set_liveness(fs.cfg.liveness_stale_s);
	if (health_monitor_start(&fs.health, kq_producer_handle(fs.kp), fs.cfg.pg_dsn) != 0 ||
	    health_serve(&fs.health, fs.cfg.http_addr, (int)fs.cfg.http_port) != 0) {
		log_error("feeds.start_failed", "cannot start health endpoints on %s:%ld",
		          fs.cfg.http_addr, fs.cfg.http_port);
		return -1;
	}
	fs.schema = cap_schema_load(fs.schema_path);
	if (fs.schema == NULL)
		return -1;
	name = *fs.instance_name ? xstrdup(fs.instance_name) : instance_default_name(fs.cfg.http_port);
	/* Stops acting 2 s before another instance may take its feeds over. */
	fs.inst = instance_start(fs.cfg.pg_dsn, "feeds", name, fs.lease_ms, fs.lease_ms - 2000);
	free(name);
	return fs.inst != NULL ? 0 : -1;
}

static void feeds_stop(void)
{
	atomic_store(&fs.health.draining, true);
	instance_stop(fs.inst);   /* its feeds are free for another instance at once */
	kq_producer_free(fs.kp, (int)fs.cfg.drain_timeout_ms);
	health_serve_stop();
	health_monitor_stop();
	db_free(fs.db);
	cap_schema_free(fs.schema);
}

int main(int argc, char **argv)
{
	int rc = 1;

	cfg_main(argc, argv, "feeds", items);
	log_init("feeds", fs.cfg.log_level);
	xmlInitParser();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	poll_metrics();
	if (feeds_start() == 0 && poll_run(&fs) == 0)
		rc = 0;
	feeds_stop();
	curl_global_cleanup();
	xmlCleanupParser();
	log_info("feeds.stopped", "stopped");
	return rc;
}
