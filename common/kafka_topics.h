/*
 * Banditore's topics as the cluster should hold them, created where they
 * are missing and compared where they exist (admin API).
 *
 * A spec names a topic (without the stack's prefix), its partition count,
 * its replication factor (-1: the broker's default.replication.factor)
 * and topic configs (retention.ms, cleanup.policy, min.insync.replicas,
 * ...). kq_topic_defaults() gives Banditore's policy: consent.changes is
 * compacted (the latest consent of each subscriber kept for good); what
 * waits for a person, delivery.dead and quarantine, is kept 30 days
 * (KQ_RETENTION_LONG_MS) instead of the broker's default week.
 *
 * Existing topics are never changed: a partition count, replication
 * factor or config that differs from the spec is reported as drift, for
 * an operator to fix (kafka-topics.sh / kafka-configs.sh, or the
 * cluster's operator): adding partitions moves keys to other partitions
 * and breaks per-citizen order, so it is never done behind anyone's back.
 */
#ifndef BND_KAFKA_TOPICS_H
#define BND_KAFKA_TOPICS_H

#include <stddef.h>

#define KQ_TOPIC_MAX_CONFIGS 8
#define KQ_RETENTION_LONG_MS "2592000000"   /* 30 days */

struct kq_topic_spec {
	const char *name;                               /* without prefix */
	int partitions;
	int replication_factor;                         /* -1: broker default */
	/* name/value pairs, NULL-terminated; the strings are the caller's */
	const char *configs[2 * KQ_TOPIC_MAX_CONFIGS + 1];
};

/* One difference between an existing topic and its spec: what is
 * "partitions", "replication.factor" or a config name. */
typedef void (*kq_drift_cb)(void *arg, const char *topic, const char *what,
                            const char *have, const char *want);

/* Fills *spec with Banditore's policy for topic (see above). */
void kq_topic_defaults(const char *topic, int partitions, int replication_factor,
                       struct kq_topic_spec *spec);

/*
 * Sets (or replaces) config name = value in spec. 0, or -1 if the spec
 * holds KQ_TOPIC_MAX_CONFIGS already. The strings must outlive spec.
 */
int kq_topic_config(struct kq_topic_spec *spec, const char *name, const char *value)
    __attribute__((warn_unused_result));

/*
 * Creates the topics of specs that do not exist (prefix added) and
 * compares the others with their spec, calling drift (may be NULL) for
 * each difference. *created (may be NULL) gets the number created.
 * Returns the number of differences (>= 0), or -1 with err set.
 */
int kq_topics_ensure(const char *brokers, const char *prefix,
                     const struct kq_topic_spec *specs, int n,
                     kq_drift_cb drift, void *arg, int *created,
                     char *err, size_t errlen) __attribute__((warn_unused_result));

/* The topics (NULL-terminated) with kq_topic_defaults() and the broker's
 * replication factor; existing ones are left alone. 0 or -1. */
int kq_create_topics(const char *brokers, const char *prefix,
                     const char *const *topics, int partitions,
                     char *err, size_t errlen) __attribute__((warn_unused_result));

#endif
