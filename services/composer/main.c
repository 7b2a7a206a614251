/*
 * banditore-composer: owns notices. Consumes notice.events and keeps the
 * notices table (the editorial workflow, authoritatively); a scheduler
 * thread releases approved notices (schedule, quiet hours) and fans them
 * out into delivery jobs; a third thread applies the providers' status
 * webhooks to the delivery ledger. See composer.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "composer.h"
#include "config.h"
#include "fanout.h"
#include "instance.h"
#include "log.h"
#include "notices.h"
#include "release.h"
#include "status.h"
#include "xmalloc.h"

static struct common_cfg cfg;
static char *group;
static struct composer cmp;

static const struct cfg_item items[] = {
	CFG_COMMON_ITEMS(&cfg, "8082"),
	CFG_POISON_ITEM(&cfg),
	{ "BND_CONSUMER_GROUP", CFG_STR, "composer", 0, 0, "Kafka consumer group", &group },
	{ "BND_STATUS_GROUP", CFG_STR, "", 0, 0,
	  "consumer group of delivery.status (default: BND_CONSUMER_GROUP + \"-status\")",
	  &cmp.status_group },
	{ "BND_FANOUT_PAGE", CFG_INT, "5000", 100, 100000,
	  "subscribers read and produced per page (and per checkpoint)", &cmp.fanout_page },
	{ "BND_FANOUT_INFLIGHT", CFG_INT, "4", 1, 16,
	  "pages produced ahead of the last acknowledged checkpoint", &cmp.fanout_inflight },
	{ "BND_FANOUT_PAGE_DELAY_MS", CFG_INT, "0", 0, 10000,
	  "pause after each page of a fan-out (tests only: a fan-out slow enough to interrupt)",
	  &cmp.fanout_delay_ms },
	{ "BND_SCHEDULER_TICK_MS", CFG_INT, "1000", 50, 60000,
	  "how often held notices are re-checked (a change of quiet hours is seen within this)",
	  &cmp.tick_ms },
	{ "BND_STATUS_BATCH", CFG_INT, "1000", 1, 5000,
	  "provider status webhooks applied per statement", &cmp.status_batch },
	{ "BND_INSTANCE_NAME", CFG_STR, "", 0, 0,
	  "this process's name among the composers, stable across its restarts (a restart "
	  "frees its predecessor's fan-out claims at once); empty: <host name>:<BND_HTTP_PORT>",
	  &cmp.instance_name },
	{ "BND_FANOUT_LEASE_MS", CFG_INT, "5000", 2000, 600000,
	  "a composer's claim on a notice's fan-out lives this long after its last heartbeat: "
	  "another composer resumes a dead one's fan-out after it", &cmp.lease_ms },
	{ "BND_COMPOSER_APPROVAL_ALERT_S", CFG_INT, "600", 0, 86400,
	  "a submitted notice that is not urgent alerts its approvers on their own WhatsApp or "
	  "Telegram after waiting this long (urgent ones at once)", &cmp.approval_alert_s },
	{ "BND_CONSOLE_URL", CFG_STR, "", 0, 0,
	  "the editors' console as approvers reach it (e.g. https://avvisi.example.it/console/): "
	  "approval alerts link to its \"Da approvare\" page; empty: no link",
	  &cmp.console_url },
	{ "BND_CLOCK_OFFSET_S", CFG_INT, "0", -31536000, 31536000,
	  "seconds added to the clock that decides releases and quiet hours (tests only)",
	  &cmp.clock_offset_s },
	CFG_END,
};

int main(int argc, char **argv)
{
	static const char *const topics[] = { TOPIC_NOTICE_EVENTS, NULL };
	static char status_group[256];
	char *name;
	int rc = 1;

	cfg_main(argc, argv, "composer", items);
	log_init("composer", cfg.log_level);
	if (cmp.clock_offset_s != 0)
		log_warn("composer.clock_offset", "clock shifted by %ld s", cmp.clock_offset_s);
	if (cmp.status_group[0] == '\0') {
		snprintf(status_group, sizeof(status_group), "%s-status", group);
		free(cmp.status_group);
		cmp.status_group = status_group;
	}
	fanout_metrics();
	release_metrics();
	if (service_start(&cmp.svc, &cfg, group, topics) != 0)
		return 1;
	name = *cmp.instance_name ? xstrdup(cmp.instance_name) : instance_default_name(cfg.http_port);
	/* Stops producing 2 s before another composer may take a notice over. */
	cmp.inst = instance_start(cfg.pg_dsn, "composer", name, cmp.lease_ms, cmp.lease_ms - 2000);
	free(name);
	cmp.rel = cmp.inst != NULL ? release_start(&cmp) : NULL;
	cmp.st = status_start(&cmp);
	if (cmp.rel != NULL && cmp.st != NULL) {
		worker_run(cmp.svc.kc, cmp.svc.qn, notices_handle, &cmp);
		rc = 0;
	}
	status_stop(cmp.st);
	release_stop(cmp.rel);
	instance_stop(cmp.inst);   /* its fan-out claims free at once */
	service_stop(&cmp.svc);
	return rc;
}
