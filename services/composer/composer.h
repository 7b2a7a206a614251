/*
 * The composer's shared state. Three threads, each with its own
 * PostgreSQL connection:
 *   main     notice.events -> the notices table (notices.c), one event at
 *            a time, offsets committed once the change is durable;
 *   release  the scheduler: releases notices when due and fans them out
 *            (release.c, fanout.c); the only user of the producer;
 *   status   delivery.status -> deliveries.status (status.c), in batches.
 * The main thread wakes the release thread the moment a notice is
 * approved, so a notice due now starts without waiting for a tick.
 */
#ifndef BND_COMPOSER_H
#define BND_COMPOSER_H

#include "service.h"

struct instance;
struct release;
struct status_loop;

struct composer {
	struct service svc;          /* producer, notice.events consumer, main db */
	long fanout_page;            /* subscribers per page and checkpoint */
	long fanout_inflight;        /* pages produced ahead of the checkpoint */
	long fanout_delay_ms;        /* pause after each page (tests) */
	long tick_ms;                /* the scheduler's re-check of held notices */
	long clock_offset_s;         /* BND_CLOCK_OFFSET_S, for tests */
	long status_batch;           /* status webhooks applied per statement */
	char *status_group;          /* consumer group of delivery.status */
	char *instance_name;         /* "" = <host>:<BND_HTTP_PORT> */
	long lease_ms;               /* a fan-out claim lives this long after our last heartbeat */
	long approval_alert_s;       /* a normal notice's approvers are alerted after this wait */
	char *console_url;           /* BND_CONSOLE_URL: the alerts' link, "" none */
	struct instance *inst;       /* the holder of fan-out claims */
	struct release *rel;
	struct status_loop *st;
};

#endif
