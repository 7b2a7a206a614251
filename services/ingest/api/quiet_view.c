/* Quiet hours as the console shows them (quiet_view.h). */
#include "api/quiet_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "quiet.h"
#include "tzone.h"

void quiet_view_time(long long ms, long offset_s, char out[32])
{
	time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0)) + offset_s;
	long off = offset_s < 0 ? -offset_s : offset_s;
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	if (offset_s == 0)
		snprintf(out + n, 32 - n, "Z");
	else
		snprintf(out + n, 32 - n, "%c%02ld:%02ld", offset_s < 0 ? '-' : '+', off / 3600,
		         off / 60 % 60);
}

/* "HH:MM" of minutes after midnight. */
static json_t *hhmm(int min)
{
	char s[16];

	snprintf(s, sizeof(s), "%02d:%02d", min / 60 % 24, min % 60);
	return json_string(s);
}

json_t *quiet_view(const char *start, const char *end, const char *zone_name, const struct tzone *z,
                   long long at_ms)
{
	struct quiet_hours q;
	char at[32], until[32], local[32];
	long long rel;
	bool held;

	quiet_hours_set(&q, start, end, z);
	held = quiet_inside(&q, at_ms);
	rel = held ? quiet_release(&q, at_ms) : at_ms;
	quiet_view_time(at_ms, 0, at);
	quiet_view_time(rel, 0, until);
	quiet_view_time(rel, tzone_offset(z, rel / 1000), local);
	return json_pack("{s:o, s:o, s:s, s:s, s:b, s:o, s:o}", "start", hhmm(q.start_min), "end",
	                 hhmm(q.end_min), "time_zone", zone_name, "at", at, "held", held, "until",
	                 held ? json_string(until) : json_null(), "until_local",
	                 held ? json_string(local) : json_null());
}
