/*
 * The ends of a few topics no consumer group drains (the dead letters,
 * the quarantine): every KENDS_EVERY_MS the health monitor thread asks
 * the brokers for each partition's low and high watermarks, and /metrics
 * shows per topic bnd_<service>_topic_end_offset{topic} (the sum of the
 * high watermarks: how many messages were ever written; alert on its
 * increase) and bnd_<service>_topic_retained_messages{topic} (high minus
 * low: what the topic holds now, within its retention).
 */
#ifndef BND_KAFKA_ENDS_H
#define BND_KAFKA_ENDS_H

#include <librdkafka/rdkafka.h>

#define KENDS_EVERY_MS 15000
#define KENDS_MAX 4

/* Watches topics (NULL-terminated, at most KENDS_MAX, without prefix).
 * Call once at start-up, before the health monitor starts. */
void kends_watch(const char *prefix, const char *const *topics);
/* Probes the watched topics if KENDS_EVERY_MS passed (health monitor thread). */
void kends_probe(rd_kafka_t *rk);

#endif
