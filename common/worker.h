/*
 * The consume loop of a worker service: one message at a time, handled
 * until its effect is durable, then its offset committed. A handler
 * that cannot reach PostgreSQL or Kafka answers WORK_RETRY and the same
 * message is retried with backoff (never skipped); a message that can
 * never be handled (undecodable, unknown notice) answers WORK_REJECT:
 * it is logged and committed past. Ends on SIGTERM/SIGINT after the
 * message in hand is finished or abandoned uncommitted.
 *
 * Offsets are stored after each handled message and committed in the
 * background every WORKER_COMMIT_MS or WORKER_COMMIT_EVERY messages (and
 * synchronously at shutdown). A crash can therefore hand the last few
 * handled messages to the next owner again: every handler is idempotent
 * (the ledger and job ids make a replay a no-op), which is what makes
 * this safe and spares a broker round trip per message.
 */
#ifndef BND_WORKER_H
#define BND_WORKER_H

#include "kafka.h"

enum work_result {
	WORK_DONE,    /* effect durable: commit */
	WORK_RETRY,   /* transient failure: retry the same message later */
	WORK_REJECT,  /* can never succeed: log and commit past it */
};

#define WORKER_COMMIT_MS 200
#define WORKER_COMMIT_EVERY 500

typedef enum work_result (*work_handler)(const rd_kafka_message_t *msg, void *arg);

/* Runs until shutdown is requested. Returns 0 on a clean stop. */
int worker_run(struct kq_consumer *kc, work_handler handle, void *arg);
/* Backoff for the n-th consecutive retry (0-based): 100 ms doubling to 5 s. */
long worker_backoff_ms(unsigned n);

#endif
