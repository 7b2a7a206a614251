/* The dispatcher's Prometheus metrics. */
#ifndef DSP_STATS_H
#define DSP_STATS_H

#include <stddef.h>

#include "batch.h"

/* Registers the metrics (once, at start-up). */
void stats_register(void);
/* Counts the outcomes of a batch whose effects are durable (replays excluded). */
void stats_outcomes(const struct job_slot *slots, size_t n);
/* One retry scheduled. */
void stats_retried(void);
/* HTTP requests in flight now. */
void stats_inflight(long n);

#endif
