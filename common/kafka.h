/*
 * Kafka producer and consumer wrappers (librdkafka), configured the way
 * Banditore needs them everywhere:
 *  - producers are idempotent (acks=all); every produce reports its
 *    acknowledgement to a callback, served by kq_poll()/kq_watch();
 *    QUEUE_FULL is back-pressure: we poll and retry, never drop;
 *  - consumers commit by hand, only offsets the caller stored with
 *    kq_store() after the effect of a message is durable;
 *  - consumer groups rebalance incrementally (cooperative-sticky): a
 *    member joining or leaving moves only the partitions that must move,
 *    the others keep being consumed. A partition is revoked only after
 *    its owner's hook (kq_hooks) finished its work and the wrapper
 *    committed what was stored; a lost partition (the member was thrown
 *    out of the group) cannot be committed.
 * Topic names are given without the stack's prefix (BND_TOPIC_PREFIX);
 * the wrappers add it. librdkafka's logs are routed into ours.
 * Every client takes the operator's BND_KAFKA_PROP_* properties (TLS,
 * SASL, tuning; kafka_props.h) over our defaults; the extras a caller
 * passes win over both.
 *
 * All Kafka use goes through kq_* (here, kafka_scan.h for tools that
 * read a topic whole or ask for metadata and for the composer's resume
 * scan, kafka_topics.h for topic creation). What stays librdkafka's own, because a wrapper would add
 * nothing: the messages kq_consume() and kq_scan() hand out
 * (rd_kafka_message_t, read through its fields, rd_kafka_topic_name(),
 * rd_kafka_message_timestamp(), rd_kafka_message_headers(), destroyed
 * with rd_kafka_message_destroy()), error codes and rd_kafka_err2str(),
 * the partition lists kq_hooks are given, the metadata kq_metadata()
 * returns, headers built for kq_batch_produce_headers() (quarantine.c),
 * and the producer handle the health monitor pings (kq_producer_handle).
 * One raw producer is left, in the test tool kafka-put: it puts a message
 * on a partition it names and prints the offset each got, which
 * kq_produce() (partition by key, an ack with the error only) does not
 * offer; its settings still come from kq_conf_base().
 */
#ifndef BND_KAFKA_H
#define BND_KAFKA_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;

/* Topic names (without prefix). */
#define TOPIC_CITIZEN_MESSAGES   "citizen.messages"
#define TOPIC_DELIVERY_STATUS    "delivery.status"
#define TOPIC_NOTICE_EVENTS      "notice.events"
#define TOPIC_CONSENT_CHANGES    "consent.changes"
#define TOPIC_DELIVERY_JOBS      "delivery.jobs"
#define TOPIC_DELIVERY_URGENT    "delivery.jobs.urgent"
#define TOPIC_DELIVERY_RETRY     "delivery.jobs.retry"   /* dispatcher's own retries */
#define TOPIC_DELIVERY_PARKED    "delivery.jobs.parked"  /* jobs not due for long */
#define TOPIC_DELIVERY_DEAD      "delivery.dead"
#define TOPIC_DELIVERY_OUTCOMES  "delivery.outcomes"
#define TOPIC_QUARANTINE         "quarantine"             /* messages a consumer set aside */

/* Called once per produced message when the broker acked it (err = 0) or
 * librdkafka gave up (err != 0, after message.timeout.ms). */
typedef void (*kq_ack_cb)(void *arg, rd_kafka_resp_err_t err);

struct kq_producer;

/* extra: NULL-terminated name/value pairs of librdkafka settings, or NULL. */
struct kq_producer *kq_producer_new(const char *brokers, const char *prefix,
                                    const char *const *extra,
                                    char *err, size_t errlen);
/* Flushes (up to timeout_ms) and destroys. NULL is allowed. */
void kq_producer_free(struct kq_producer *kp, int timeout_ms);
rd_kafka_t *kq_producer_handle(struct kq_producer *kp);
/* The full (prefixed) name of a topic; valid while kp lives. */
const char *kq_topic_name(struct kq_producer *kp, const char *topic);

/* Copies key and value. cb may be NULL. Returns 0 or -1 (err logged). */
int kq_produce(struct kq_producer *kp, const char *topic,
               const void *key, size_t keylen,
               const void *val, size_t vallen,
               kq_ack_cb cb, void *arg) __attribute__((warn_unused_result));
/* Serves delivery reports; timeout_ms may be 0. */
void kq_poll(struct kq_producer *kp, int timeout_ms);
/* Serves delivery reports from an event loop, as soon as they arrive. */
int kq_watch(struct kq_producer *kp, struct event_base *base)
    __attribute__((warn_unused_result));
int kq_flush(struct kq_producer *kp, int timeout_ms);

/* A group of produces the caller waits for, e.g. all jobs of a page. */
struct kq_batch {
	long pending;
	long failed;
	rd_kafka_resp_err_t first_err;
};
void kq_batch_init(struct kq_batch *b);
int kq_batch_produce(struct kq_producer *kp, struct kq_batch *b,
                     const char *topic, const void *key, size_t keylen,
                     const void *val, size_t vallen)
    __attribute__((warn_unused_result));
/* The same with headers (NULL: none), which the call takes in any case:
 * librdkafka's once produced, destroyed if it failed. */
int kq_batch_produce_headers(struct kq_producer *kp, struct kq_batch *b,
                             const char *topic, const void *key, size_t keylen,
                             const void *val, size_t vallen, rd_kafka_headers_t *hdrs)
    __attribute__((warn_unused_result));
/* Polls until every produce of the batch is acked or failed.
 * Returns 0 if all were acked, -1 if any failed. */
int kq_batch_wait(struct kq_producer *kp, struct kq_batch *b)
    __attribute__((warn_unused_result));

struct kq_consumer;

/*
 * What a consumer's owner does when partitions come and go, called on the
 * thread that calls kq_consume() (from inside it). revoked: before the
 * partitions are given up; lost: true if they were taken away already
 * (the member timed out), so nothing may be committed for them. Either
 * may be NULL.
 */
struct kq_hooks {
	void (*assigned)(void *arg, struct kq_consumer *kc,
	                 const rd_kafka_topic_partition_list_t *parts);
	void (*revoked)(void *arg, struct kq_consumer *kc,
	                const rd_kafka_topic_partition_list_t *parts, bool lost);
	void *arg;
};

/* Subscribes group_id to the topics (NULL-terminated, without prefix). */
struct kq_consumer *kq_consumer_new(const char *brokers, const char *prefix,
                                    const char *group_id,
                                    const char *const *topics,
                                    const char *const *extra,
                                    char *err, size_t errlen);
/* Sets (or with NULL clears) the rebalance hooks; the struct is copied. */
void kq_consumer_hooks(struct kq_consumer *kc, const struct kq_hooks *hooks);
/*
 * Next message, or NULL after timeout_ms. Errors and partition EOFs are
 * logged and not returned. The caller destroys the message with
 * rd_kafka_message_destroy().
 */
rd_kafka_message_t *kq_consume(struct kq_consumer *kc, int timeout_ms);
/* Copies the last value of header name into out as a string. 0, or -1
 * (out "") if hdrs (may be NULL) has none or it does not fit. */
int kq_header(const rd_kafka_headers_t *hdrs, const char *name, char *out, size_t outlen);
/* Marks msg (and all before it in its partition) as processed. */
void kq_store(struct kq_consumer *kc, const rd_kafka_message_t *msg);
/* The same by position: everything of topic (full name) [partition]
 * before offset next is processed. For consumers whose messages finish
 * out of order (the dispatcher stores the end of each finished prefix). */
void kq_store_offset(struct kq_consumer *kc, const char *topic, int32_t partition, int64_t next);
/* Commits stored offsets synchronously. 0, or -1 (logged). */
int kq_commit(struct kq_consumer *kc) __attribute__((warn_unused_result));
/* Starts a commit of the stored offsets without waiting for it. 0, or -1
 * (logged) if it could not start. */
int kq_commit_async(struct kq_consumer *kc);
/* Commits, leaves the group, destroys. NULL is allowed. */
void kq_consumer_free(struct kq_consumer *kc);

/* Topic creation and drift (kq_create_topics, kq_topics_ensure), topic
 * reads and metadata (kq_scan, kq_scan_tail, kq_metadata) and librdkafka
 * properties from the environment live in their own modules. */
#include "kafka_props.h"
#include "kafka_scan.h"
#include "kafka_topics.h"

#endif
