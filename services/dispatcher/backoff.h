/* Retry delays: exponential growth with jitter, capped. */
#ifndef DSP_BACKOFF_H
#define DSP_BACKOFF_H

#include <stdint.h>

#define BACKOFF_BASE_MS 200
#define BACKOFF_CAP_MS  10000

/*
 * Delay before the next attempt after `failures` failed ones (>= 1):
 * d = min(cap, base * 2^(failures-1)), then "equal jitter": a value in
 * [d/2, d] picked by rnd (any 32 random bits). Spreads retries of many
 * jobs that failed together while still growing.
 */
long backoff_delay_ms(unsigned failures, long base_ms, long cap_ms, uint32_t rnd);

#endif
