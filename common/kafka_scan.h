/*
 * Looking at Kafka from outside the services' consumer groups, for the
 * tools that inspect a stack (banditorectl) and the composer's resume
 * scan (resume.h):
 *  - kq_scan() reads a whole topic: every partition from its beginning
 *    to its end, and kq_scan_tail() only the last messages of each, with
 *    a consumer of a throwaway group of its own that joins nothing and
 *    commits nothing, so nothing any service reads is disturbed;
 *  - kq_metadata() asks the cluster for its brokers and topics.
 * All take the operator's BND_KAFKA_PROP_* properties (kafka_props.h)
 * like the services, and keep librdkafka's own log lines quiet: a
 * failure is the caller's to report, from err.
 */
#ifndef BND_KAFKA_SCAN_H
#define BND_KAFKA_SCAN_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>

/* Called with each message read; msg is the scan's (copy what is kept). */
typedef void (*kq_scan_cb)(void *arg, const rd_kafka_message_t *msg);

/*
 * Reads topic (its full name, prefix included) from the beginning of
 * every partition until each one's end, calling cb for every message in
 * partition order; a message that is an error is logged and skipped.
 * who names the throwaway group ("<who>-read-<pid>"). 0, or -1 with err
 * set if the topic does not exist or Kafka said nothing for timeout_ms
 * (metadata, a message, an end).
 */
int kq_scan(const char *brokers, const char *who, const char *topic, int timeout_ms,
            kq_scan_cb cb, void *arg, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/*
 * kq_scan() of only the last tail (>= 1) messages of each partition:
 * partition p is read from max(low, high - tail), its watermarks asked
 * (within timeout_ms each) when the scan starts; an empty partition is
 * not read.
 */
int kq_scan_tail(const char *brokers, const char *who, const char *topic, long tail,
                 int timeout_ms, kq_scan_cb cb, void *arg, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/*
 * The cluster's metadata (every topic), or NULL with err set if the
 * client could not be made or no broker answered within timeout_ms. The
 * caller frees it with rd_kafka_metadata_destroy().
 */
const rd_kafka_metadata_t *kq_metadata(const char *brokers, int timeout_ms,
                                       char *err, size_t errlen);

#endif
