/*
 * Consumer lag from librdkafka's statistics: every consumer emits its
 * statistics JSON each KLAG_INTERVAL_MS (statistics.interval.ms) from its
 * poll; klag_update() keeps, per consumer group, the lag of each
 * partition it has assigned (consumer_lag: the partition's high
 * watermark minus the group's committed offset; partitions whose lag is
 * unknown, -1, are left out), exported as
 * bnd_<service>_consumer_lag{group,topic,partition} (topic without the
 * stack's prefix).
 */
#ifndef BND_KAFKA_LAG_H
#define BND_KAFKA_LAG_H

#include <stddef.h>

#define KLAG_INTERVAL_MS "5000"

struct klag_part {
	char topic[128];
	int  partition;
	long long lag;
};

/* The partitions with a known lag in a statistics document (topic names
 * with prefix removed if they have it); *out is the caller's to free.
 * Returns their number, or -1 if json is no statistics document. Pure. */
int klag_parse(const char *json, size_t len, const char *prefix, struct klag_part **out)
    __attribute__((warn_unused_result));
/* Replaces group's partitions with those of the document (any thread). */
void klag_update(const char *group, const char *json, size_t len, const char *prefix);

#endif
