/*
 * Token buckets: a smooth rate limit. Tokens flow in continuously at
 * `rate` per second up to `burst`; a send takes one. A small burst keeps
 * the output smooth (no bunching after an idle second), which is what
 * the providers' per-second counters want to see.
 */
#ifndef DSP_TBUCKET_H
#define DSP_TBUCKET_H

#include <stdint.h>

struct tbucket {
	double  rate;     /* tokens per second (> 0) */
	double  burst;    /* most tokens held (>= 1) */
	double  tokens;
	int64_t last_ms;  /* monotonic time of the last refill */
};

/* A full bucket. */
void tb_init(struct tbucket *tb, double rate, double burst, int64_t now_ms);
/* Changes the rate (and burst) from now on; tokens already there are kept up to burst. */
void tb_set(struct tbucket *tb, double rate, double burst, int64_t now_ms);
/* Takes a token: 0, or else the ms to wait until one is there (nothing taken). */
int64_t tb_take(struct tbucket *tb, int64_t now_ms);
/* Like tb_take, without taking. */
int64_t tb_wait(struct tbucket *tb, int64_t now_ms);
/* Empties the bucket until now_ms + ms (e.g. Telegram's retry_after). */
void tb_hold(struct tbucket *tb, int64_t now_ms, int64_t ms);

#endif
