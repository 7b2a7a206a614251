/*
 * Which areas of an alert concern a comune: an <area> concerns it when
 * one of its geocodes is one the comune declared (comuni.cap_geocodes:
 * "VALUE" matches that value under any valueName, "valueName=VALUE" only
 * under that name; case-insensitive), or when the comune's centroid lies
 * inside one of its polygons or circles. Pure, unit-tested.
 */
#ifndef BND_FEEDS_MATCH_H
#define BND_FEEDS_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "cap.h"

struct place {
	const char *id;                  /* the comune */
	const char *const *geocodes;
	size_t ngeocodes;
	bool has_centroid;
	struct geo_point centroid;
};

/* true if area concerns the place. */
bool match_area(const struct cap_area *area, const struct place *p);
/*
 * The areas of in that concern p: their descriptions in names (at most
 * max, pointers into in), their number (all of them, even beyond max).
 */
size_t match_info(const struct cap_info *in, const struct place *p, const char **names,
                  size_t max);

#endif
