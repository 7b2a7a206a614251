/*
 * The retry policy: when a job that did not go out for good is tried
 * again, waits, or is given up, with every threshold in one place. Pure
 * (no clock, no I/O): the caller gives the time and the random bits and
 * applies the decision (slot_retry, slot_defer, the sender's queue).
 *
 *   after an answer (retry_decide):
 *     sent, permanent               RETRY_NONE   final: nothing to retry
 *     transient, attempts left and  RETRY_AT     now + backoff(attempts) with
 *       younger than max age                     jitter, at least the answer's
 *                                                min_delay_ms: delivery.jobs.retry
 *     transient, attempts used up   RETRY_DEAD   "transient_exhausted": delivery.dead
 *       or older than max age
 *     halt (token, account)         RETRY_HOLD   not the job's fault: the attempt
 *                                                is not counted, the job waits
 *                                                with its halted sender (its probe)
 *   a job not tried:
 *     held by a messaging limit     RETRY_PARK   until the limit frees a place
 *       (retry_held)                             (delivery.jobs.parked, not counted)
 *     not due (retry_due)           RETRY_KEEP   due within RETRY_SOON_MS: waits
 *                                                in memory, checked when due
 *                                   RETRY_DEFER  due later: waits in the backlog
 *                                   RETRY_NONE   due now
 * Changing a rule: docs/architecture.md, "Changing a retry rule".
 */
#ifndef DSP_RETRY_H
#define DSP_RETRY_H

#include <stdint.h>

#include "provider.h"

struct dsp_cfg;

#define RETRY_SOON_MS 1000   /* a job due within this waits in memory; a later one in the backlog */

enum retry_act {
	RETRY_NONE,    /* nothing to wait for */
	RETRY_AT,      /* a failed attempt: tried again at at_ms (delivery.jobs.retry) */
	RETRY_DEAD,    /* given up: dead-lettered with reason */
	RETRY_HOLD,    /* not counted: waits on its halted sender's queue */
	RETRY_PARK,    /* a long wait that is no failure: delivery.jobs.parked until at_ms */
	RETRY_KEEP,    /* waits in memory until at_ms */
	RETRY_DEFER,   /* waits in the backlog until at_ms */
};

struct retry_decision {
	enum retry_act act;
	int64_t        at_ms;    /* wall clock ms (RETRY_AT, _PARK, _KEEP, _DEFER) */
	const char    *reason;   /* RETRY_DEAD: the dead letter's reason */
};

/* The thresholds, from the configuration (BND_MAX_ATTEMPTS, BND_RETRY_*). */
struct retry_policy {
	unsigned max_attempts;   /* sends of a job at most */
	long     max_age_ms;     /* dead once its first attempt is this old */
	long     base_ms;        /* first delay, doubled per attempt ... */
	long     cap_ms;         /* ... up to this */
};

struct retry_policy retry_policy(const struct dsp_cfg *cfg);
/*
 * What becomes of a job after an answer: attempts made (this one
 * included), first_ms the wall time of the first, now_ms the wall time
 * now. rnd gives 32 random bits; it is called only for a delay.
 */
struct retry_decision retry_decide(const struct retry_policy *rp, const struct verdict *v,
                                   unsigned attempts, int64_t first_ms, int64_t now_ms,
                                   uint32_t (*rnd)(void));
/* A job a messaging limit holds until until_ms (wall). */
struct retry_decision retry_held(int64_t until_ms);
/* Where a job due at not_before_ms (wall; 0: none) waits at now_ms. */
struct retry_decision retry_due(int64_t not_before_ms, int64_t now_ms);
/*
 * Delay before the next attempt after `failures` failed ones (>= 1):
 * d = min(cap, base * 2^(failures-1)), then "equal jitter": a value in
 * [d/2, d] picked by rnd (any 32 random bits). Spreads retries of many
 * jobs that failed together while still growing.
 */
long retry_backoff_ms(unsigned failures, long base_ms, long cap_ms, uint32_t rnd);

#endif
