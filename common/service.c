/* Start-up and shutdown of a worker service. */
#include "service.h"

#include <string.h>

#include "log.h"
#include "shutdown.h"

int service_start(struct service *svc, const struct common_cfg *cfg,
                  const char *group, const char *const *topics)
{
	char err[512];

	memset(svc, 0, sizeof(*svc));
	svc->cfg = cfg;
	shutdown_install();
	svc->kp = kq_producer_new(cfg->kafka_brokers, cfg->topic_prefix, NULL, err, sizeof(err));
	if (svc->kp == NULL)
		goto failed;
	svc->kc = kq_consumer_new(cfg->kafka_brokers, cfg->topic_prefix, group, topics,
	                          NULL, err, sizeof(err));
	if (svc->kc == NULL)
		goto failed;
	db_set_default_timeout(cfg->pg_timeout_ms);
	health_set_liveness(cfg->liveness_stale_s);
	svc->db = db_new(cfg->pg_dsn);
	if (health_monitor_start(&svc->health, kq_producer_handle(svc->kp), cfg->pg_dsn) != 0 ||
	    health_serve(&svc->health, cfg->http_addr, (int)cfg->http_port) != 0) {
		snprintf(err, sizeof(err), "cannot start health endpoints on %s:%ld",
		         cfg->http_addr, cfg->http_port);
		goto failed;
	}
	svc->qn = qn_new(cfg->kafka_brokers, cfg->topic_prefix, &svc->health,
	                 (int)cfg->poison_retries);
	if (svc->qn == NULL) {
		snprintf(err, sizeof(err), "cannot start the quarantine producer");
		goto failed;
	}
	log_info("service.started", "group %s, health on %s:%ld", group, cfg->http_addr,
	         cfg->http_port);
	return 0;
failed:
	log_error("service.start_failed", "%s", err);
	return -1;
}

void service_stop(struct service *svc)
{
	atomic_store(&svc->health.draining, true);
	kq_consumer_free(svc->kc);
	svc->kc = NULL;
	kq_producer_free(svc->kp, (int)svc->cfg->drain_timeout_ms);
	svc->kp = NULL;
	qn_free(svc->qn);
	svc->qn = NULL;
	health_serve_stop();
	health_monitor_stop();
	db_free(svc->db);
	svc->db = NULL;
	log_info("service.stopped", "drained and stopped");
}
