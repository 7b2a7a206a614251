/*
 * Reading a whole Kafka topic, for the commands that inspect one
 * (dead list, quarantine list/replay): every partition from its
 * beginning to its end, with a consumer of a throwaway group of its own
 * that commits nothing, so nothing any service reads is disturbed.
 */
#ifndef BND_CTL_KTOPIC_H
#define BND_CTL_KTOPIC_H

#include <librdkafka/rdkafka.h>

/* Waits at most this long for Kafka to say anything (metadata, a message, an end). */
#define KTOPIC_TIMEOUT_MS 10000

/* Called with each message read; msg belongs to the reader (copy what is kept). */
typedef void (*ktopic_cb)(void *arg, const rd_kafka_message_t *msg);

/*
 * Reads topic (its full name, prefix included) from the beginning of
 * every partition until each one's end, calling cb for every message in
 * partition order. CTL_OK, or CTL_FAIL (message printed) if the topic
 * does not exist or Kafka (ctl_cfg.kafka_brokers) does not answer.
 */
int ktopic_read(const char *topic, ktopic_cb cb, void *arg)
    __attribute__((warn_unused_result));

#endif
