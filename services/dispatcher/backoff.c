/* Exponential backoff with equal jitter. */
#include "backoff.h"

long backoff_delay_ms(unsigned failures, long base_ms, long cap_ms, uint32_t rnd)
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
