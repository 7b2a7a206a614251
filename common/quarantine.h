/*
 * Poison messages are set aside, never retried forever. A consumer that
 * cannot handle a message because of the message itself (it cannot be
 * decoded, PostgreSQL refuses its data, it names something unknown, or
 * it failed the same way BND_POISON_RETRIES times in a row while
 * PostgreSQL and Kafka answered) puts it on the quarantine topic with
 * the reason, then commits past it: the next message of its partition is
 * handled within seconds. Failures of the infrastructure (PostgreSQL or
 * Kafka not answering) are never the message's fault: those are retried
 * with backoff while readiness says the service is not ready.
 *
 * A quarantined record keeps the original key and value; its headers say
 * where it came from and why (QN_H_* below). `banditorectl quarantine
 * list` shows them, `quarantine replay` puts one (or all not yet
 * replayed) back on its topic, e.g. once the bug or the missing
 * configuration it met is fixed; a replay that fails again is
 * quarantined again.
 *
 * Thread-safe: one per process, its own producer; qn_put waits for the
 * broker's acknowledgement. Records name the service that set them aside
 * (log_init's name).
 */
#ifndef BND_QUARANTINE_H
#define BND_QUARANTINE_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>

#include "health.h"
#include "kafka.h"


/* Headers of a quarantined record. */
#define QN_H_TOPIC     "bnd-topic"       /* the topic it was read from (full name) */
#define QN_H_PARTITION "bnd-partition"   /* decimal */
#define QN_H_OFFSET    "bnd-offset"      /* decimal */
#define QN_H_ERROR     "bnd-error"       /* why, UTF-8, at most QN_WHY_MAX bytes */
#define QN_H_SERVICE   "bnd-service"     /* who set it aside */

#define QN_WHY_MAX 400

struct quarantine;

/*
 * health: the service's readiness monitor (its view of PostgreSQL and
 * Kafka), or NULL; max_same: failures alike in a row that make a
 * message's fault (BND_POISON_RETRIES). NULL (logged) on failure.
 */
struct quarantine *qn_new(const char *brokers, const char *prefix, const struct health *health,
                          int max_same);
void qn_free(struct quarantine *q);

/*
 * Sets msg aside with why, logged with its topic, partition and offset,
 * and counted (bnd_<service>_quarantined_total). 0 once Kafka acknowledged it, -1
 * if it did not: the caller must not commit past msg (retry later).
 */
int qn_put(struct quarantine *q, const rd_kafka_message_t *msg, const char *why)
    __attribute__((warn_unused_result));

/*
 * For a consumer that produces through a batch of its own (the
 * dispatcher): the record (with its headers) into the batch b of kp, 0
 * or -1 as kq_batch_produce_headers; and the log line and count of a
 * record so produced.
 */
int qn_produce(struct kq_producer *kp, struct kq_batch *b, const char *topic, int32_t partition,
               int64_t offset, const void *key, size_t klen, const void *val, size_t vlen,
               const char *why) __attribute__((warn_unused_result));
void qn_note(const char *topic, int32_t partition, int64_t offset, const char *why);

/*
 * Failures of one message in a row. qn_repeat_poison() counts one more
 * failure with reason why ("" or NULL: the infrastructure's, not
 * counted, and it resets the count) and is true once max_same alike
 * happened in a row, at least QN_REPEAT_MIN_MS apart from first to last,
 * while the health monitor says PostgreSQL and Kafka answer.
 */
#define QN_REPEAT_MIN_MS 3000
struct qn_repeat {
	char why[QN_WHY_MAX + 1];
	unsigned n;
	int64_t first_ms;
};
void qn_repeat_reset(struct qn_repeat *r);
bool qn_repeat_poison(const struct quarantine *q, struct qn_repeat *r, const char *why);
/* The same at a given monotonic time (ms), for tests. */
bool qn_repeat_poison_at(const struct quarantine *q, struct qn_repeat *r, const char *why,
                         int64_t now);

#endif
