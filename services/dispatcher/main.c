/*
 * banditore-dispatcher: delivers jobs from delivery.jobs and
 * delivery.jobs.urgent to the WhatsApp Cloud API and the Telegram Bot API
 * (see loop.h).
 */
#include <curl/curl.h>
#include <stdlib.h>

#include "config.h"
#include "dispatcher.h"
#include "kafka.h"
#include "log.h"
#include "loop.h"
#include "service.h"
#include "stats.h"

static struct dsp_cfg cfg;

static const struct cfg_item dsp_items[] = {
	CFG_COMMON_ITEMS(&cfg.c, "8083"),
	{ "BND_CONSUMER_GROUP", CFG_STR, "dispatcher", 0, 0, "Kafka consumer group", &cfg.group },
	{ "BND_WA_API_BASE", CFG_STR, "https://graph.facebook.com/v21.0", 0, 0,
	  "WhatsApp Cloud API base URL, version included", &cfg.wa_api_base },
	{ "BND_TG_API_BASE", CFG_STR, "https://api.telegram.org", 0, 0,
	  "Telegram Bot API base URL (requests go to <base>/bot<token>/sendMessage)",
	  &cfg.tg_api_base },
	{ "BND_MAX_INFLIGHT", CFG_INT, "64", 1, 10000,
	  "HTTP requests to the provider in flight at most", &cfg.max_inflight },
	{ "BND_BATCH_SIZE", CFG_INT, "500", 1, 100000,
	  "jobs taken per batch (outcomes recorded and offsets committed per batch)", &cfg.batch_size },
	{ "BND_MAX_ATTEMPTS", CFG_INT, "6", 1, 100,
	  "sends of a job before a transient failure makes it dead", &cfg.max_attempts },
	{ "BND_HTTP_TIMEOUT_MS", CFG_INT, "10000", 100, 600000,
	  "total timeout of one provider request", &cfg.http_timeout_ms },
	CFG_END,
};

int main(int argc, char **argv)
{
	static const char *const topics[] = { TOPIC_DELIVERY_JOBS, TOPIC_DELIVERY_URGENT, NULL };
	struct service svc;
	struct loop *lp;
	int rc;

	cfg_main(argc, argv, "dispatcher", dsp_items);
	log_init("dispatcher", cfg.c.log_level);
	/* Before any thread starts: curl's global init is not thread-safe. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error("dispatch.start_failed", "curl_global_init failed");
		return 1;
	}
	stats_register();
	if (service_start(&svc, &cfg.c, cfg.group, topics) != 0)
		return 1;
	lp = loop_new(&cfg, &svc);
	if (lp == NULL) {
		log_error("dispatch.start_failed", "cannot create the HTTP client");
		service_stop(&svc);
		return 1;
	}
	rc = loop_run(lp);
	loop_free(lp);
	service_stop(&svc);
	curl_global_cleanup();
	log_info("dispatch.stopped", "%s", rc == 0 ? "clean stop" : "last batch left uncommitted");
	return rc == 0 ? 0 : 1;
}
