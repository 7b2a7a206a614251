/* Login lockout arithmetic (lockout.h). */
#include "console/lockout.h"

int64_t lockout_remaining(const struct lockout *lo, int64_t now_s)
{
	return lo->locked_until_s > now_s ? lo->locked_until_s - now_s : 0;
}

void lockout_fail(struct lockout *lo, int64_t now_s)
{
	if (lo->since_s == 0 || now_s - lo->since_s >= LOCKOUT_WINDOW_S || now_s < lo->since_s) {
		lo->failures = 0;
		lo->since_s = now_s;
	}
	lo->failures++;
	if (lo->failures >= LOCKOUT_FAILURES) {
		lo->locked_until_s = now_s + LOCKOUT_LOCK_S;
		lo->failures = 0;
		lo->since_s = 0;
	}
}

void lockout_clear(struct lockout *lo)
{
	lo->failures = 0;
	lo->since_s = 0;
	lo->locked_until_s = 0;
}
