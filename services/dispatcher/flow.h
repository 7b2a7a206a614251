/*
 * Flow control by partition: the backlog stays in Kafka instead of in
 * memory. A partition is paused (rd_kafka_pause_partitions) while any of
 * these holds, and resumed when none does:
 *   WAIT    a job of it is not due yet (a retry's not_before_ms);
 *   FULL    a sender with jobs from it has more than BND_SENDER_QUEUE
 *           queued (throttled, halted, or its breaker open), until that
 *           queue has drained to half;
 *   URGENT  urgent jobs are pending: every partition of the normal
 *           topics (delivery.jobs, delivery.jobs.retry) waits.
 * (delivery.jobs.urgent has a consumer of its own, read first every turn,
 * so an urgent job never waits behind a prefetched normal backlog.)
 * librdkafka drops what it had prefetched of a paused partition and
 * fetches again from the next unread offset on resume.
 */
#ifndef DSP_FLOW_H
#define DSP_FLOW_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctrack.h"

struct sender;

struct flow {
	struct ctrack *ct;
	rd_kafka_t    *rk;            /* the consumer of the normal topics */
	const char    *t_urgent;      /* full name of delivery.jobs.urgent */
	size_t         sender_queue;
	bool           normal_paused;   /* URGENT in force */
};

/* cp waits until at_ms (monotonic) for a job of it. */
void flow_pause_until(struct cpart *cp, int64_t at_ms);
/* cp waits until snd's queue has drained to half. */
void flow_block(struct cpart *cp, struct sender *snd);
/* Recomputes every partition's reasons and tells librdkafka what changed
 * (everything again if reassert). */
void flow_apply(struct flow *fl, bool urgent, int64_t now, bool reassert);

#endif
