/*
 * The dispatcher's histograms (seconds): provider request latency per
 * channel kind, and approval -> first send per notice. A notice's first
 * send is the first job of it this dispatcher saw accepted: it remembers
 * the last LAT_NOTICES notices, so with several dispatchers each records
 * its own first send (the earliest is the notice's).
 */
#ifndef DSP_LATENCY_H
#define DSP_LATENCY_H

#include <stdint.h>

#include "channel_kind.h"

#define LAT_NOTICES 512

/* Registers the histograms (once, at start-up). */
void lat_register(void);
/* One provider exchange of kind that took seconds (an answer or not). */
void lat_provider(channel_kind kind, double seconds);
/* A job of notice_id accepted at now_ms (wall); approved_ms 0: unknown. */
void lat_sent(const char *notice_id, int64_t approved_ms, int64_t now_ms);

#endif
