/* The retry policy (retry.h). */
#include "retry.h"

#include "dispatcher.h"

struct retry_policy retry_policy(const struct dsp_cfg *cfg)
{
	return (struct retry_policy){
		.max_attempts = (unsigned)cfg->max_attempts,
		.max_age_ms = cfg->max_age_ms,
		.base_ms = cfg->retry_base_ms,
		.cap_ms = cfg->retry_cap_ms,
	};
}

long retry_backoff_ms(unsigned failures, long base_ms, long cap_ms, uint32_t rnd)
{
	long d = base_ms > 0 ? base_ms : 1, half;

	/* Doubling by loop, not by shift: no overflow for any failure count. */
	for (unsigned i = 1; i < failures && d < cap_ms; i++)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	half = d / 2;
	return half + (long)(rnd % (uint32_t)(d - half + 1));
}

/* A transient answer: again after the backoff (at least min_delay_ms), or dead. */
static struct retry_decision retry_transient(const struct retry_policy *rp, long min_delay_ms,
                                             unsigned attempts, int64_t first_ms,
                                             int64_t now_ms, uint32_t (*rnd)(void))
{
	long delay;

	if (attempts >= rp->max_attempts || now_ms - first_ms > rp->max_age_ms)
		return (struct retry_decision){ RETRY_DEAD, 0, "transient_exhausted" };
	delay = retry_backoff_ms(attempts, rp->base_ms, rp->cap_ms, rnd());
	if (delay < min_delay_ms)
		delay = min_delay_ms;
	return (struct retry_decision){ RETRY_AT, now_ms + delay, NULL };
}

struct retry_decision retry_decide(const struct retry_policy *rp, const struct verdict *v,
                                   unsigned attempts, int64_t first_ms, int64_t now_ms,
                                   uint32_t (*rnd)(void))
{
	switch (v->cls) {
	case VERDICT_TRANSIENT:
		return retry_transient(rp, v->min_delay_ms, attempts, first_ms, now_ms, rnd);
	case VERDICT_HALT:
		return (struct retry_decision){ RETRY_HOLD, 0, NULL };
	default:
		return (struct retry_decision){ RETRY_NONE, 0, NULL };
	}
}

struct retry_decision retry_held(int64_t until_ms)
{
	return (struct retry_decision){ RETRY_PARK, until_ms, NULL };
}

struct retry_decision retry_due(int64_t not_before_ms, int64_t now_ms)
{
	if (not_before_ms > now_ms + RETRY_SOON_MS)
		return (struct retry_decision){ RETRY_DEFER, not_before_ms, NULL };
	if (not_before_ms > now_ms)
		return (struct retry_decision){ RETRY_KEEP, not_before_ms, NULL };
	return (struct retry_decision){ RETRY_NONE, 0, NULL };
}
