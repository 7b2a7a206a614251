/*
 * The drain deadline of a thread that works until shutdown: set the
 * first time a shutdown is seen, timeout_ms later. drain_expired() is
 * true once it has passed; drain_pause() sleeps between attempts without
 * sleeping past a shutdown.
 */
#ifndef DSP_DRAIN_H
#define DSP_DRAIN_H

#include <stdbool.h>
#include <stdint.h>

struct drain {
	long    timeout_ms;
	int64_t deadline_ms;   /* 0 until shutdown */
};
bool drain_expired(struct drain *d);
/* Sleeps ms, shorter if a shutdown arrives first (but never a busy loop). */
void drain_pause(struct drain *d, long ms);

#endif
