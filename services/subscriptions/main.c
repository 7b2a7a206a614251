/*
 * banditore-subscriptions: owns consent. Consumes citizen.messages (what
 * citizens write, Telegram blocks, web-form sign-ups) and
 * delivery.outcomes (provider revocations); keeps the consent ledger in
 * PostgreSQL; emits replies, confirmations and consent.changes.
 */
#include <string.h>

#include "autoreply.h"
#include "citizen.h"
#include "config.h"
#include "log.h"
#include "subscriptions.h"

static struct common_cfg cfg;
static char *group;

static const struct cfg_item items[] = {
	CFG_COMMON_ITEMS(&cfg, "8081"),
	CFG_POISON_ITEM(&cfg),
	{ "BND_CONSUMER_GROUP", CFG_STR, "subscriptions", 0, 0, "Kafka consumer group", &group },
	CFG_END,
};

/* Routes a message to the handler of its topic. */
static enum work_result route(const rd_kafka_message_t *msg, void *arg, struct work_fault *fault)
{
	const char *topic = rd_kafka_topic_name(msg->rkt);
	size_t n = strlen(topic), k = strlen(TOPIC_DELIVERY_OUTCOMES);

	if (n >= k && strcmp(topic + n - k, TOPIC_DELIVERY_OUTCOMES) == 0)
		return outcome_handle(msg, arg, fault);
	return citizen_handle(msg, arg, fault);
}

int main(int argc, char **argv)
{
	static const char *const topics[] = { TOPIC_CITIZEN_MESSAGES, TOPIC_DELIVERY_OUTCOMES, NULL };
	struct subscriptions sub = { 0 };

	cfg_main(argc, argv, "subscriptions", items);
	log_init("subscriptions", cfg.log_level);
	citizen_metrics_register();
	if (service_start(&sub.svc, &cfg, group, topics) != 0)
		return 1;
	sub.autoreply = autoreply_new();
	worker_run(sub.svc.kc, sub.svc.qn, route, &sub);
	service_stop(&sub.svc);
	settings_cache_clear(&sub.settings);
	autoreply_free(sub.autoreply);
	return 0;
}
