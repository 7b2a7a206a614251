/*
 * The consume loop of a worker service: one message at a time, handled
 * until its effect is durable, then its offset committed. A handler
 * that cannot reach PostgreSQL or Kafka answers WORK_RETRY and the same
 * message is retried with backoff (never skipped); a message that can
 * never be handled (undecodable, unknown notice) answers WORK_REJECT:
 * it is logged and committed past. Ends on SIGTERM/SIGINT after the
 * message in hand is finished or abandoned uncommitted.
 */
#ifndef BND_WORKER_H
#define BND_WORKER_H

#include "kafka.h"

enum work_result {
	WORK_DONE,    /* effect durable: commit */
	WORK_RETRY,   /* transient failure: retry the same message later */
	WORK_REJECT,  /* can never succeed: log and commit past it */
};

typedef enum work_result (*work_handler)(const rd_kafka_message_t *msg, void *arg);

/* Runs until shutdown is requested. Returns 0 on a clean stop. */
int worker_run(struct kq_consumer *kc, work_handler handle, void *arg);
/* Backoff for the n-th consecutive retry (0-based): 100 ms doubling to 5 s. */
long worker_backoff_ms(unsigned n);

#endif
