/*
 * Adaptive send rate of one sender (additive increase, multiplicative
 * decrease): a throttling answer halves the rate (once per hold-off, as
 * the requests already in flight answer the same), then after a quiet
 * period without throttling the rate climbs back in steps of a tenth of
 * the configured rate, each after another quiet period.
 */
#ifndef DSP_ARATE_H
#define DSP_ARATE_H

#include <stdbool.h>
#include <stdint.h>

#define AR_HOLDOFF_MS 1000   /* throttles closer than this count once */
#define AR_QUIET_MS   5000   /* without throttling before each step up */

struct arate {
	double  max;          /* the configured rate */
	double  min;          /* never below */
	double  cur;
	int64_t changed_ms;   /* last cut or step */
	int64_t cut_ms;       /* last cut (0: never) */
};

void ar_init(struct arate *ar, double max, int64_t now_ms);
/* A throttling answer: true if the rate changed. */
bool ar_throttled(struct arate *ar, int64_t now_ms);
/* Time passes: true if the rate stepped up. */
bool ar_tick(struct arate *ar, int64_t now_ms);

#endif
