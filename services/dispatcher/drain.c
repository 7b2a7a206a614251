/* The drain deadline (drain.h). */
#include "drain.h"

#include "clock.h"
#include "shutdown.h"

bool drain_expired(struct drain *d)
{
	if (!shutdown_requested())
		return false;
	if (d->deadline_ms == 0)
		d->deadline_ms = clock_mono_ms() + d->timeout_ms;
	return clock_mono_ms() >= d->deadline_ms;
}

void drain_pause(struct drain *d, long ms)
{
	(void)drain_expired(d);
	if (shutdown_requested())
		clock_sleep_ms(ms < 200 ? ms : 200);   /* draining: keep checking the deadline */
	else
		shutdown_sleep_ms(ms);
}
