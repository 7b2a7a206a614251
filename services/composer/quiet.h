/*
 * When a notice may be released: the composer's clock (injectable, for
 * tests) and the quiet-hours arithmetic. Quiet hours are a daily window
 * [start, end) of local wall-clock time in the comune's time zone
 * (IANA name, e.g. "Europe/Rome"), DST-correct, and may span midnight
 * (21:00-08:00). start == end means no quiet hours.
 */
#ifndef BND_QUIET_H
#define BND_QUIET_H

#include <stdbool.h>
#include <stdint.h>

/* The composer's clock: Unix ms. Real time plus a configured offset. */
typedef int64_t (*quiet_clock_fn)(void);
extern quiet_clock_fn quiet_clock;
/* Shifts the default clock by offset_s seconds (BND_CLOCK_OFFSET_S). */
void quiet_clock_offset(long offset_s);
/* quiet_clock(), through the pointer. */
int64_t quiet_now_ms(void);

/* A comune's quiet hours: minutes after local midnight, and the zone. */
struct quiet_hours {
	int start_min;
	int end_min;
	const char *tz;
};

/* "HH:MM" or "HH:MM:SS" -> minutes after midnight; -1 if malformed. */
int quiet_parse_time(const char *s);
/* true if local time at t_ms falls inside the quiet hours. */
bool quiet_inside(const struct quiet_hours *q, int64_t t_ms);
/*
 * The first instant at or after t_ms outside the quiet hours: t_ms itself
 * when outside, else the next local end time (the same day, or the next
 * day after midnight when the window spans it), converted back to UTC
 * with that day's offset. An end falling into a spring-forward gap is
 * moved on by the gap. Unix ms.
 */
int64_t quiet_release(const struct quiet_hours *q, int64_t t_ms);
/*
 * A notice's release time: not before now_ms nor scheduled_ms (0 = none);
 * normal notices also after the quiet hours, urgent ones ignore them.
 */
int64_t quiet_release_notice(const struct quiet_hours *q, bool urgent, int64_t now_ms,
                             int64_t scheduled_ms);

#endif
