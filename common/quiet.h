/*
 * When a notice may be released: the composer's clock and the
 * quiet-hours arithmetic. Quiet hours are a daily window [start, end) of
 * local wall-clock time in the comune's time zone (IANA name, e.g.
 * "Europe/Rome"), DST-correct, and may span midnight (21:00-08:00).
 * start == end means no quiet hours. Local time comes from tzone.h, not
 * from the C library's TZ, so any thread may compute at any time.
 */
#ifndef BND_QUIET_H
#define BND_QUIET_H

#include <stdbool.h>
#include <stdint.h>

struct tzone;

/* The composer's clock: real time shifted by offset_s (BND_CLOCK_OFFSET_S,
 * for tests), Unix ms. */
int64_t quiet_now_ms(long offset_s);

/* A comune's quiet hours: minutes after local midnight, and the zone. */
struct quiet_hours {
	int start_min;
	int end_min;
	const struct tzone *zone;
};

/* "HH:MM" or "HH:MM:SS" -> minutes after midnight; -1 if malformed. */
int quiet_parse_time(const char *s);
/*
 * The zone called name for quiet hours: "" means Europe/Rome; a zone that
 * cannot be read is logged and counts as UTC (as the C library does).
 * Never NULL. Free with tzone_free.
 */
struct tzone *quiet_zone(const char *name);
/*
 * Fills q from the comune's columns ("HH:MM[:SS]" texts, malformed = no
 * quiet hours) and its zone (borrowed: it must outlive q).
 */
void quiet_hours_set(struct quiet_hours *q, const char *start, const char *end,
                     const struct tzone *zone);
/* true if local time at t_ms falls inside the quiet hours. */
bool quiet_inside(const struct quiet_hours *q, int64_t t_ms);
/*
 * The first instant at or after t_ms outside the quiet hours: t_ms itself
 * when outside, else the next local end time (the same day, or the next
 * day after midnight when the window spans it), converted back to UTC
 * with that day's offset. An end falling into a spring-forward gap is
 * moved on by the gap; an end that happens twice (clocks put back) is
 * the first of the two after t_ms. Unix ms.
 */
int64_t quiet_release(const struct quiet_hours *q, int64_t t_ms);
/*
 * A notice's release time: not before now_ms nor scheduled_ms (0 = none);
 * normal notices also after the quiet hours, urgent ones ignore them.
 */
int64_t quiet_release_notice(const struct quiet_hours *q, bool urgent, int64_t now_ms,
                             int64_t scheduled_ms);

#endif
