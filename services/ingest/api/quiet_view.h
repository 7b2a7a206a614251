/*
 * Whether a normal notice sent at a given time would be held by its
 * comune's quiet hours, and until when, as the console shows it: the
 * composer's own arithmetic (common/quiet.h, DST-correct), so the answer
 * is what the composer will do. Pure: the zone is loaded by the caller.
 */
#ifndef BND_QUIET_VIEW_H
#define BND_QUIET_VIEW_H

#include <jansson.h>
#include <stddef.h>

struct tzone;

/*
 * {"start","end","time_zone","at","held","until","until_local"}: start
 * and end as "HH:MM" (equal: no quiet hours), at and until in UTC
 * (RFC 3339, "Z"), until_local with the zone's offset; until and
 * until_local are null when not held. start/end as the comune stores
 * them ("HH:MM[:SS]"); zone_name as stored, z loaded from it.
 */
json_t *quiet_view(const char *start, const char *end, const char *zone_name, const struct tzone *z,
                   long long at_ms);
/* Unix ms as RFC 3339 with the offset offset_s (UTC as "Z"), seconds precision. */
void quiet_view_time(long long ms, long offset_s, char out[32]);

#endif
