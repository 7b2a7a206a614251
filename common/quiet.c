/* Quiet hours and the composer's clock; see quiet.h. */
#include "quiet.h"

#include <stdio.h>

#include "clock.h"
#include "log.h"
#include "tzone.h"

#define DAY_S 86400LL

int64_t quiet_now_ms(long offset_s)
{
	return clock_wall_ms() + (int64_t)offset_s * 1000;
}

int quiet_parse_time(const char *s)
{
	int h, m, n = 0;

	if (s == NULL || sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5)
		return -1;
	if (h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	if (s[5] != '\0' && s[5] != ':')
		return -1;
	return h * 60 + m;
}

struct tzone *quiet_zone(const char *name)
{
	const char *want = name != NULL && *name != '\0' ? name : "Europe/Rome";
	struct tzone *z = tzone_load(want);

	if (z != NULL)
		return z;
	log_warn("quiet.zone_unreadable", "time zone \"%s\" cannot be read (is tzdata "
	         "installed?): quiet hours counted in UTC", want);
	return tzone_utc();
}

void quiet_hours_set(struct quiet_hours *q, const char *start, const char *end,
                     const struct tzone *zone)
{
	q->start_min = quiet_parse_time(start);
	q->end_min = quiet_parse_time(end);
	if (q->start_min < 0 || q->end_min < 0)
		q->start_min = q->end_min = 0;
	q->zone = zone;
}

/* true if minute-of-day m is inside [start, end), wrapping at midnight. */
static bool window_has(int start, int end, int m)
{
	if (start == end)
		return false;
	if (start < end)
		return m >= start && m < end;
	return m >= start || m < end;
}

/* Local time at t_ms: seconds since 1970-01-01T00:00 local. */
static int64_t local_s(const struct quiet_hours *q, int64_t t_ms)
{
	int64_t t = t_ms / 1000 - (t_ms % 1000 < 0);

	return t + tzone_offset(q->zone, t);
}

/* Seconds since local midnight at local time l. */
static int64_t second_of_day(int64_t l)
{
	int64_t s = l % DAY_S;

	return s < 0 ? s + DAY_S : s;
}

bool quiet_inside(const struct quiet_hours *q, int64_t t_ms)
{
	if (q->start_min == q->end_min)
		return false;
	return window_has(q->start_min, q->end_min, (int)(second_of_day(local_s(q, t_ms)) / 60));
}

/* The window's next local end after t_ms, or t_ms when outside it. */
static int64_t quiet_release_once(const struct quiet_hours *q, int64_t t_ms)
{
	int64_t l, day, at[2];
	int m, n;

	if (q->start_min == q->end_min)
		return t_ms;
	l = local_s(q, t_ms);
	m = (int)(second_of_day(l) / 60);
	if (!window_has(q->start_min, q->end_min, m))
		return t_ms;
	day = l - second_of_day(l);   /* local midnight */
	/* Before midnight in a window that spans it: the end is tomorrow. */
	if (q->start_min > q->end_min && m >= q->start_min)
		day += DAY_S;
	n = tzone_instants(q->zone, day + q->end_min * 60LL, at);
	for (int i = 0; i < (n > 0 ? n : 1); i++)
		if (at[i] * 1000 > t_ms)
			return at[i] * 1000;
	return t_ms;
}

int64_t quiet_release(const struct quiet_hours *q, int64_t t_ms)
{
	int64_t rel = quiet_release_once(q, t_ms);

	/* An end moved on by a spring-forward gap can land inside the next
	 * window (found by fuzzing: 00:40-00:00 on a day whose midnight was
	 * skipped, as in Italy in the 1970s); the next end is then the first
	 * instant outside. Two more days at most: the gap is under a day. */
	for (int i = 0; i < 2 && rel != t_ms && quiet_inside(q, rel); i++)
		rel = quiet_release_once(q, rel);
	return rel;
}

int64_t quiet_release_notice(const struct quiet_hours *q, bool urgent, int64_t now_ms,
                             int64_t scheduled_ms)
{
	int64_t t = scheduled_ms > now_ms ? scheduled_ms : now_ms;

	return urgent ? t : quiet_release(q, t);
}
