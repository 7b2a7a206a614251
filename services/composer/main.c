/*
 * banditore-composer: owns notices. Consumes notice.events, keeps the
 * notices table, and on approval fans a notice out into delivery jobs.
 */
#include "config.h"
#include "log.h"
#include "notices.h"

static struct common_cfg cfg;
static char *group;
static struct composer cmp;

static const struct cfg_item items[] = {
	CFG_COMMON_ITEMS(&cfg, "8082"),
	{ "BND_CONSUMER_GROUP", CFG_STR, "composer", 0, 0, "Kafka consumer group", &group },
	{ "BND_FANOUT_PAGE", CFG_INT, "5000", 100, 100000,
	  "subscribers read and produced per page (and per checkpoint)", &cmp.fanout_page },
	CFG_END,
};

int main(int argc, char **argv)
{
	static const char *const topics[] = { TOPIC_NOTICE_EVENTS, NULL };

	cfg_main(argc, argv, "composer", items);
	log_init("composer", cfg.log_level);
	if (service_start(&cmp.svc, &cfg, group, topics) != 0)
		return 1;
	worker_run(cmp.svc.kc, notices_handle, &cmp);
	service_stop(&cmp.svc);
	return 0;
}
