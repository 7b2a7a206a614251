/*
 * Time helpers: the clocks in milliseconds, a sleep, and the two shapes
 * other APIs want a time in: a monotonic deadline (pthread_cond_timedwait
 * on a condition variable set to CLOCK_MONOTONIC) and a duration as a
 * struct timeval (libevent timers and timeouts).
 */
#ifndef BND_CLOCK_H
#define BND_CLOCK_H

#include <stdint.h>
#include <sys/time.h>
#include <time.h>

int64_t clock_wall_ms(void);     /* Unix ms */
int64_t clock_mono_ms(void);     /* monotonic ms */
void clock_sleep_ms(long ms);
/* The CLOCK_MONOTONIC time ms (>= 0) from now. */
struct timespec clock_mono_deadline(long ms);
/* ms (>= 0) as a struct timeval. */
struct timeval clock_timeval(int64_t ms);

#endif
