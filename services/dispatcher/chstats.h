/*
 * Per-channel counters of the dispatcher, exported as
 * bnd_dispatcher_channel_<what>_total{channel,kind}: one series per
 * channel this process has served (a bounded set: the deployment's
 * channels). Counted from the main thread, written from the health
 * server's.
 */
#ifndef DSP_CHSTATS_H
#define DSP_CHSTATS_H

#include "channel_kind.h"

enum chs_counter {
	CHS_SENT,        /* accepted by the provider */
	CHS_FAILED,      /* failed permanently */
	CHS_DEAD,        /* given up on, dead-lettered */
	CHS_THROTTLED,   /* the provider said slow down */
	CHS_RETRIED,     /* a retry scheduled */
	CHS_N
};

/* Registers the writer (once, at start-up). */
void chs_register(void);
void chs_count(long long channel_id, channel_kind kind, enum chs_counter what);

#endif
