/* The dispatcher's Prometheus metrics. */
#ifndef DSP_STATS_H
#define DSP_STATS_H

#include <stdatomic.h>
#include <stddef.h>

#include "batch.h"

/* Registers the metrics (once, at start-up). */
void stats_register(void);
/* Counts the outcomes of a batch whose effects are durable (replays excluded). */
void stats_outcomes(struct job_slot *const *slots, size_t n);
/* One retry scheduled. */
void stats_retried(void);
struct senders;
/* Exports bnd_dispatcher_sender_halted{channel=...} for these senders;
 * NULL stops it (before they are freed). */
void stats_senders_register(struct senders *ss);
/* Recounts halted senders. */
void stats_halted(const struct senders *ss);
/* Jobs held in memory now. */
void stats_in_memory(long n);
/* HTTP requests in flight now. */
void stats_inflight(long n);
/* Where the breaker of the endpoint named kind (a channel kind's name,
 * static) publishes its state: bnd_dispatcher_breaker_state{kind}. */
atomic_int *stats_breaker(const char *kind);

#endif
