/* The quarantine topic: poison messages set aside; see quarantine.h. */
#include "quarantine.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "metrics.h"
#include "utf8.h"
#include "xmalloc.h"

static struct metric m_quarantined = METRIC_COUNTER(
    "quarantined_total", "messages set aside on the quarantine topic (their own fault)");

struct quarantine {
	struct kq_producer *kp;
	const struct health *health;
	int max_same;
	pthread_mutex_t lock;      /* one qn_put at a time: the producer is polled by it */
};

struct quarantine *qn_new(const char *brokers, const char *prefix, const struct health *health,
                          int max_same)
{
	static const char *const extra[] = { "linger.ms", "0", NULL };
	static bool registered;
	struct quarantine *q;
	char err[256];
	struct kq_producer *kp = kq_producer_new(brokers, prefix, extra, err, sizeof(err));

	if (kp == NULL) {
		log_error("quarantine.start_failed", "producer: %s", err);
		return NULL;
	}
	if (!registered) {
		metrics_register(&m_quarantined);
		registered = true;
	}
	q = xcalloc(1, sizeof(*q));
	q->kp = kp;
	q->health = health;
	q->max_same = max_same < 1 ? 1 : max_same;
	pthread_mutex_init(&q->lock, NULL);
	return q;
}

void qn_free(struct quarantine *q)
{
	if (q == NULL)
		return;
	kq_producer_free(q->kp, 5000);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* A quarantined record's headers (QN_H_*). */
static rd_kafka_headers_t *qn_headers(const char *topic, int32_t partition, int64_t offset,
                                      const char *why)
{
	rd_kafka_headers_t *h = rd_kafka_headers_new(5);
	char num[2][24], reason[QN_WHY_MAX + 1];

	snprintf(num[0], sizeof(num[0]), "%" PRId32, partition);
	snprintf(num[1], sizeof(num[1]), "%" PRId64, offset);
	utf8_format(reason, sizeof(reason), "%s", why != NULL && *why != '\0' ? why : "unknown");
	rd_kafka_header_add(h, QN_H_TOPIC, -1, topic, -1);
	rd_kafka_header_add(h, QN_H_PARTITION, -1, num[0], -1);
	rd_kafka_header_add(h, QN_H_OFFSET, -1, num[1], -1);
	rd_kafka_header_add(h, QN_H_ERROR, -1, reason, -1);
	rd_kafka_header_add(h, QN_H_SERVICE, -1, log_service_name(), -1);
	return h;
}

void qn_note(const char *topic, int32_t partition, int64_t offset, const char *why)
{
	metric_add(&m_quarantined, 1);
	log_error("quarantine.put", "%s [%" PRId32 "] offset %" PRId64 " set aside: %s", topic,
	          partition, offset, why != NULL && *why != '\0' ? why : "unknown");
}

int qn_produce(struct kq_producer *kp, struct kq_batch *b, const char *topic, int32_t partition,
               int64_t offset, const void *key, size_t klen, const void *val, size_t vlen,
               const char *why)
{
	return kq_batch_produce_headers(kp, b, TOPIC_QUARANTINE, key, klen, val, vlen,
	                                qn_headers(topic, partition, offset, why));
}

/* qn_put() for a message known only by its parts (topic: full name). */
static int qn_put_raw(struct quarantine *q, const char *topic, int32_t partition,
                      int64_t offset, const void *key, size_t klen, const void *val,
                      size_t vlen, const char *why)
{
	struct kq_batch b;
	int rc;

	pthread_mutex_lock(&q->lock);
	kq_batch_init(&b);
	rc = qn_produce(q->kp, &b, topic, partition, offset, key, klen, val, vlen, why);
	if (kq_batch_wait(q->kp, &b) != 0)
		rc = -1;
	pthread_mutex_unlock(&q->lock);
	if (rc != 0) {
		log_warn("quarantine.put_failed", "%s [%" PRId32 "] offset %" PRId64
		         " not set aside (Kafka): will try again", topic, partition, offset);
		return -1;
	}
	qn_note(topic, partition, offset, why);
	return 0;
}

int qn_put(struct quarantine *q, const rd_kafka_message_t *msg, const char *why)
{
	return qn_put_raw(q, rd_kafka_topic_name(msg->rkt), msg->partition, msg->offset, msg->key,
	                  msg->key_len, msg->payload, msg->len, why);
}

void qn_repeat_reset(struct qn_repeat *r)
{
	r->why[0] = '\0';
	r->n = 0;
	r->first_ms = 0;
}

/* true if the monitor says both PostgreSQL and Kafka answer (no monitor: true). */
static bool qn_deps_answer(const struct quarantine *q)
{
	return q->health == NULL ||
	       (atomic_load(&q->health->db_ok) && atomic_load(&q->health->kafka_ok));
}

bool qn_repeat_poison(const struct quarantine *q, struct qn_repeat *r, const char *why)
{
	return qn_repeat_poison_at(q, r, why, clock_mono_ms());
}

bool qn_repeat_poison_at(const struct quarantine *q, struct qn_repeat *r, const char *why,
                         int64_t now)
{
	char cut[sizeof(r->why)];

	if (why == NULL || *why == '\0' || !qn_deps_answer(q)) {
		qn_repeat_reset(r);
		return false;
	}
	utf8_format(cut, sizeof(cut), "%s", why);
	if (r->n == 0 || strcmp(r->why, cut) != 0) {
		memcpy(r->why, cut, sizeof(cut));
		r->n = 0;
		r->first_ms = now;
	}
	r->n++;
	return r->n >= (unsigned)q->max_same && now - r->first_ms >= QN_REPEAT_MIN_MS;
}
