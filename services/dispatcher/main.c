/*
 * banditore-dispatcher: delivers jobs from delivery.jobs,
 * delivery.jobs.urgent and delivery.jobs.retry to the WhatsApp Cloud API and the Telegram Bot API
 * (see loop.h).
 */
#include <curl/curl.h>
#include <stdlib.h>

#include "config.h"
#include "db.h"
#include "dispatcher.h"
#include "instance.h"
#include "kafka.h"
#include "kafka_ends.h"
#include "log.h"
#include "loop.h"
#include "service.h"
#include "stats.h"
#include "xmalloc.h"

static struct dsp_cfg cfg;

static const struct cfg_item dsp_items[] = {
	CFG_COMMON_ITEMS(&cfg.c, "8083"),
	CFG_POISON_ITEM(&cfg.c),
	{ "BND_CONSUMER_GROUP", CFG_STR, "dispatcher", 0, 0, "Kafka consumer group", &cfg.group },
	{ "BND_WA_API_BASE", CFG_STR, "https://graph.facebook.com/v21.0", 0, 0,
	  "WhatsApp Cloud API base URL, version included", &cfg.wa_api_base },
	{ "BND_TG_API_BASE", CFG_STR, "https://api.telegram.org", 0, 0,
	  "Telegram Bot API base URL (requests go to <base>/bot<token>/sendMessage)",
	  &cfg.tg_api_base },
	/* A real provider answers in 100-300 ms: 1,000 msg/s from one sender
	 * needs 100-300 requests in flight. */
	{ "BND_MAX_INFLIGHT", CFG_INT, "256", 1, 10000,
	  "HTTP requests to the provider in flight at most", &cfg.max_inflight },
	/* Jobs are taken while fewer than two batches are queued or being
	 * checked: at 20,000 msg/s, 1,000 gives a check 100 ms to come back
	 * before the sender runs dry (500 did not, on a busy 2-core machine). */
	{ "BND_BATCH_SIZE", CFG_INT, "1000", 1, 100000,
	  "jobs checked together (one ledger/consent query) and flushed together at most",
	  &cfg.batch_size },
	{ "BND_MAX_JOBS", CFG_INT, "4000", 10, 1000000,
	  "jobs held in memory at most (queued, in flight, finished but not yet flushed)",
	  &cfg.max_jobs },
	{ "BND_SENDER_QUEUE", CFG_INT, "3000", 20, 1000000,
	  "jobs a sender keeps in memory (queued and being checked) at most; the rest of its "
	  "jobs wait in the backlog (PostgreSQL) and are read back as it sends",
	  &cfg.sender_queue },
	{ "BND_SENDER_HORIZON_MS", CFG_INT, "10000", 1000, 600000,
	  "a sender keeps in memory only what it can send in this long at its current rate "
	  "(at least 20 jobs): one comune's backlog never holds another's memory",
	  &cfg.sender_horizon_ms },
	{ "BND_STOP_POLL_MS", CFG_INT, "250", 50, 10000,
	  "paused and cancelled notices are looked for this often: their jobs stop within it",
	  &cfg.stop_poll_ms },
	{ "BND_SENDER_INFLIGHT", CFG_INT, "128", 1, 10000,
	  "HTTP requests in flight per sender at most", &cfg.sender_inflight },
	{ "BND_RATE_LIMIT", CFG_INT, "1", 0, 1,
	  "1: per-sender and per-recipient rate limits; 0: none (benchmarks only)",
	  &cfg.rate_limit },
	{ "BND_TG_RATE", CFG_INT, "30", 1, 1000,
	  "messages per second per Telegram bot whose channel sets no rate of its own", &cfg.tg_rate },
	{ "BND_WA_PAIR_INTERVAL_MS", CFG_INT, "6000", 1, 600000,
	  "WhatsApp pair rate: one message to the same recipient per interval", &cfg.wa_pair_interval_ms },
	{ "BND_WA_PAIR_BURST", CFG_INT, "5", 1, 100,
	  "WhatsApp pair rate: messages to one recipient allowed in a burst", &cfg.wa_pair_burst },
	{ "BND_TG_CHAT_BURST", CFG_INT, "3", 1, 100,
	  "Telegram: messages to one chat allowed in a burst (then 1 per second)",
	  &cfg.tg_chat_burst },
	{ "BND_MAX_ATTEMPTS", CFG_INT, "6", 1, 100,
	  "sends of a job before a transient failure makes it dead", &cfg.max_attempts },
	{ "BND_RETRY_BASE_MS", CFG_INT, "1000", 1, 3600000,
	  "first retry delay (doubles per attempt, with jitter)", &cfg.retry_base_ms },
	{ "BND_RETRY_CAP_MS", CFG_INT, "60000", 1, 86400000,
	  "longest retry delay", &cfg.retry_cap_ms },
	{ "BND_RETRY_MAX_AGE_MS", CFG_INT, "3600000", 1000, 604800000,
	  "a job still failing this long after its first attempt is dead", &cfg.max_age_ms },
	{ "BND_HALT_CHECK_MS", CFG_INT, "30000", 100, 3600000,
	  "a halted sender's token is re-read and tested this often", &cfg.halt_check_ms },
	{ "BND_BREAKER_FAILURES", CFG_INT, "10", 1, 10000,
	  "consecutive transport errors or 5xx that open a provider's circuit breaker",
	  &cfg.breaker_failures },
	{ "BND_BREAKER_COOLDOWN_MS", CFG_INT, "5000", 100, 3600000,
	  "how long an open circuit breaker sends nothing before one probe",
	  &cfg.breaker_cooldown_ms },
	{ "BND_FLUSH_MS", CFG_INT, "20", 1, 10000,
	  "finished jobs are recorded, produced and committed at least this often",
	  &cfg.flush_ms },
	{ "BND_HTTP_TIMEOUT_MS", CFG_INT, "10000", 100, 600000,
	  "total timeout of one provider request", &cfg.http_timeout_ms },
	{ "BND_INSTANCE_NAME", CFG_STR, "", 0, 0,
	  "this process's name among the dispatchers, stable across its restarts (a restart "
	  "frees its predecessor's claims at once); empty: <host name>:<BND_HTTP_PORT>",
	  &cfg.instance_name },
	{ "BND_CLAIM_LEASE_MS", CFG_INT, "20000", 2000, 600000,
	  "a dispatcher's claims on jobs live this long after its last heartbeat: a dead one's "
	  "jobs are taken over after it; it stops sending BND_HTTP_TIMEOUT_MS + 2 s before "
	  "(more than BND_HTTP_TIMEOUT_MS + 4 s)", &cfg.claim_lease_ms },
	{ "BND_CA_FILE", CFG_STR, "", 0, 0,
	  "PEM file of CA certificates trusted for the provider endpoints instead of the "
	  "system's (an egress proxy that terminates TLS; tests); empty: the system's",
	  &cfg.ca_file },
	CFG_END,
};

int main(int argc, char **argv)
{
	/* delivery.jobs.urgent has a consumer of its own (loop.c). */
	static const char *const topics[] = { TOPIC_DELIVERY_JOBS, TOPIC_DELIVERY_RETRY,
	                                      TOPIC_DELIVERY_PARKED, NULL };
	/* What no group drains: their ends are watched (kafka_ends.h). */
	static const char *const backlogs[] = { TOPIC_DELIVERY_DEAD, TOPIC_QUARANTINE, NULL };
	struct service svc;
	struct instance *inst;
	struct loop *lp;
	char *name;
	long fresh;
	int rc;

	cfg_main(argc, argv, "dispatcher", dsp_items);
	log_init("dispatcher", cfg.c.log_level);
	/* Before any thread starts: curl's global init is not thread-safe. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error("dispatch.start_failed", "curl_global_init failed");
		return 1;
	}
	stats_register();
	kends_watch(cfg.c.topic_prefix, backlogs);
	if (service_start(&svc, &cfg.c, cfg.group, topics) != 0)
		return 1;
	/* The main thread's own statements (channel settings, a halted sender's
	 * token) must not stall the pipeline long when PostgreSQL hangs. */
	db_set_timeout(svc.db, 2000);
	/* Stop sending early enough that a request started just before has
	 * finished (or timed out) when another dispatcher may take over. */
	fresh = cfg.claim_lease_ms - cfg.http_timeout_ms - 2000;
	if (fresh < 2000) {
		log_error("dispatch.start_failed", "BND_CLAIM_LEASE_MS must exceed "
		          "BND_HTTP_TIMEOUT_MS by more than 4 s");
		service_stop(&svc);
		return 2;
	}
	name = *cfg.instance_name ? xstrdup(cfg.instance_name)
	                          : instance_default_name(cfg.c.http_port);
	inst = instance_start(cfg.c.pg_dsn, "dispatcher", name, cfg.claim_lease_ms, fresh);
	free(name);
	lp = inst != NULL ? loop_new(&cfg, &svc, inst) : NULL;
	if (lp == NULL) {
		log_error("dispatch.start_failed", "cannot create the HTTP client or the instance");
		instance_stop(inst);
		service_stop(&svc);
		return 1;
	}
	rc = loop_run(lp);
	loop_free(lp);
	/* After the drain: claims left (jobs not started) are free for the next owner at once. */
	instance_stop(inst);
	service_stop(&svc);
	curl_global_cleanup();
	log_info("dispatch.stopped", "%s", rc == 0 ? "clean stop" : "last jobs left uncommitted");
	return rc == 0 ? 0 : 1;
}
