/*
 * banditore-subscriptions: owns consent. Consumes citizen.messages,
 * records consent in PostgreSQL, emits welcome/goodbye jobs and
 * consent.changes.
 */
#include <stdlib.h>

#include "citizen.h"
#include "config.h"
#include "log.h"

static struct common_cfg cfg;
static char *group;

static const struct cfg_item items[] = {
	CFG_COMMON_ITEMS(&cfg, "8081"),
	{ "BND_CONSUMER_GROUP", CFG_STR, "subscriptions", 0, 0, "Kafka consumer group", &group },
	CFG_END,
};

int main(int argc, char **argv)
{
	static const char *const topics[] = { TOPIC_CITIZEN_MESSAGES, NULL };
	struct service svc;

	cfg_main(argc, argv, "subscriptions", items);
	log_init("subscriptions", cfg.log_level);
	if (service_start(&svc, &cfg, group, topics) != 0)
		return 1;
	worker_run(svc.kc, citizen_handle, &svc);
	service_stop(&svc);
	return 0;
}
