/*
 * Quiet hours and the composer's clock; see quiet.h.
 *
 * Local time in an arbitrary IANA zone needs the C library's time-zone
 * code, which reads the TZ variable: we switch TZ under a mutex around
 * localtime_r/mktime and put it back. Only the composer's own threads
 * compute quiet hours, and nothing else in the composer uses local time
 * (logs are UTC), so the switch is invisible to the rest of the process.
 */
#include "quiet.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "xmalloc.h"

static long clock_offset_ms;

/* Real time shifted by the configured offset. */
static int64_t quiet_default_clock(void)
{
	return clock_wall_ms() + clock_offset_ms;
}

quiet_clock_fn quiet_clock = quiet_default_clock;

void quiet_clock_offset(long offset_s)
{
	clock_offset_ms = offset_s * 1000L;
}

int64_t quiet_now_ms(void)
{
	return quiet_clock();
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

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

/* Holds tz_lock with TZ set to tz; *saved gets the previous value. */
static void tz_enter(const char *tz, char **saved)
{
	const char *old;

	pthread_mutex_lock(&tz_lock);
	old = getenv("TZ");
	*saved = old != NULL ? xstrdup(old) : NULL;
	setenv("TZ", tz != NULL && *tz != '\0' ? tz : "Europe/Rome", 1);
	tzset();
}

/* Restores TZ and releases tz_lock. */
static void tz_leave(char *saved)
{
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	pthread_mutex_unlock(&tz_lock);
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

bool quiet_inside(const struct quiet_hours *q, int64_t t_ms)
{
	time_t t = (time_t)(t_ms / 1000);
	struct tm tm;
	char *saved;

	if (q->start_min == q->end_min)
		return false;
	tz_enter(q->tz, &saved);
	localtime_r(&t, &tm);
	tz_leave(saved);
	return window_has(q->start_min, q->end_min, tm.tm_hour * 60 + tm.tm_min);
}

/* The window's next local end after t_ms, or t_ms when outside it. */
static int64_t quiet_release_once(const struct quiet_hours *q, int64_t t_ms)
{
	time_t t = (time_t)(t_ms / 1000), end;
	struct tm tm, at;
	char *saved;
	int m;

	if (q->start_min == q->end_min)
		return t_ms;
	tz_enter(q->tz, &saved);
	localtime_r(&t, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	if (!window_has(q->start_min, q->end_min, m)) {
		tz_leave(saved);
		return t_ms;
	}
	memset(&at, 0, sizeof(at));
	at.tm_year = tm.tm_year;
	at.tm_mon = tm.tm_mon;
	/* Before midnight in a window that spans it: the end is tomorrow. */
	at.tm_mday = tm.tm_mday + (q->start_min > q->end_min && m >= q->start_min ? 1 : 0);
	at.tm_hour = q->end_min / 60;
	at.tm_min = q->end_min % 60;
	at.tm_isdst = -1;   /* that day's offset, not today's */
	end = mktime(&at);
	tz_leave(saved);
	if (end == (time_t)-1 || (int64_t)end * 1000 <= t_ms)
		return t_ms;
	return (int64_t)end * 1000;
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
