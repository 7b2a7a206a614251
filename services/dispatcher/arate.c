/* Adaptive rate, AIMD (arate.h). */
#include "arate.h"

void ar_init(struct arate *ar, double max, int64_t now_ms)
{
	ar->max = max > 0 ? max : 1;
	ar->min = ar->max / 64 < 1 ? (ar->max < 1 ? ar->max : 1) : ar->max / 64;
	ar->cur = ar->max;
	ar->changed_ms = now_ms;
	ar->cut_ms = 0;
}

bool ar_throttled(struct arate *ar, int64_t now_ms)
{
	if (ar->cut_ms != 0 && now_ms - ar->cut_ms < AR_HOLDOFF_MS)
		return false;
	ar->cur /= 2;
	if (ar->cur < ar->min)
		ar->cur = ar->min;
	ar->cut_ms = now_ms;
	ar->changed_ms = now_ms;
	return true;
}

bool ar_tick(struct arate *ar, int64_t now_ms)
{
	if (ar->cur >= ar->max || now_ms - ar->changed_ms < AR_QUIET_MS)
		return false;
	ar->cur += ar->max / 10;
	if (ar->cur > ar->max)
		ar->cur = ar->max;
	ar->changed_ms = now_ms;
	return true;
}
