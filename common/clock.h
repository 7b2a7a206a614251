/* Time helpers. */
#ifndef BND_CLOCK_H
#define BND_CLOCK_H

#include <stdint.h>

int64_t clock_wall_ms(void);     /* Unix ms */
int64_t clock_mono_ms(void);     /* monotonic ms */
void clock_sleep_ms(long ms);

#endif
