/*
 * Start-up and shutdown shared by the worker services (subscriptions,
 * composer, dispatcher): producer, consumer group, PostgreSQL
 * connection, readiness monitor and health server, in that order.
 */
#ifndef BND_SERVICE_H
#define BND_SERVICE_H

#include "config.h"
#include "db.h"
#include "health.h"
#include "kafka.h"
#include "quarantine.h"

struct service {
	const struct common_cfg *cfg;
	struct kq_producer *kp;
	struct kq_consumer *kc;
	struct db *db;
	struct health health;
	struct quarantine *qn;    /* where poison messages go (quarantine.h) */
};

/* topics: NULL-terminated, without prefix. Logs and returns -1 on failure. */
int service_start(struct service *svc, const struct common_cfg *cfg,
                  const char *group, const char *const *topics)
    __attribute__((warn_unused_result));
/* Marks draining, closes the consumer (final commit), flushes the
 * producer, stops health threads, frees everything. */
void service_stop(struct service *svc);

#endif
