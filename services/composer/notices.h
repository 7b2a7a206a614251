/*
 * Notice state in PostgreSQL. States:
 *   draft     created by an editor, not yet approved
 *   approved  approved; fan-out not started
 *   sending   fan-out in progress (checkpoint in fanout_* columns)
 *   sent      every job acknowledged by Kafka
 *   cancelled withdrawn before sending
 */
#ifndef BND_NOTICES_H
#define BND_NOTICES_H

#include "service.h"
#include "worker.h"

struct composer {
	struct service svc;
	long fanout_page;
};

/* work_handler for notice.events; arg is the struct composer. */
enum work_result notices_handle(const rd_kafka_message_t *msg, void *arg);

#endif
