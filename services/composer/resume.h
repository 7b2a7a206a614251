/*
 * Where a killed fan-out really stopped. The checkpoint in PostgreSQL
 * lags what reached Kafka by the pages that were in flight at the crash;
 * producing those pages again would send their citizens the notice twice
 * whenever the dispatcher cannot tell the copies apart in time. Jobs of
 * one channel all go to one partition (keyed by sender) from an
 * idempotent producer, so what Kafka holds of a fan-out is a prefix of
 * what was produced, in subscriber order: the largest subscriber id of
 * the notice and channel among the partition's last messages is exactly
 * where to resume. resume_scan reads the tails of the topic's partitions
 * (kq_scan_tail: a consumer of its own, no group joined, nothing
 * committed) to find it.
 */
#ifndef BND_RESUME_H
#define BND_RESUME_H

/*
 * The largest subscriber id of a job of notice_id on channel ch_id among
 * the last depth messages of each partition of topic (full name); 0 if
 * none is there, -1 if Kafka could not be read.
 */
long long resume_scan(const char *brokers, const char *topic, const char *notice_id,
                      long long ch_id, long depth);

#endif
