/* Alert areas against a comune; see match.h. */
#include "match.h"

#include <string.h>
#include <strings.h>

/* A declared code ("VALUE" or "NAME=VALUE") against one geocode. */
static bool code_matches(const char *code, const struct cap_geocode *g)
{
	const char *eq = strchr(code, '=');

	if (eq == NULL)
		return strcasecmp(code, g->value) == 0;
	return strlen(g->name) == (size_t)(eq - code) &&
	       strncasecmp(code, g->name, (size_t)(eq - code)) == 0 &&
	       strcasecmp(eq + 1, g->value) == 0;
}

bool match_area(const struct cap_area *area, const struct place *p)
{
	for (size_t i = 0; i < area->ngeocodes; i++)
		for (size_t k = 0; k < p->ngeocodes; k++)
			if (code_matches(p->geocodes[k], &area->geocodes[i]))
				return true;
	if (!p->has_centroid)
		return false;
	for (size_t i = 0; i < area->npolygons; i++) {
		struct geo_ring ring = { area->polygons[i].pts, area->polygons[i].n };
		if (geo_in_polygon(p->centroid, &ring, NULL, 0))
			return true;
	}
	for (size_t i = 0; i < area->ncircles; i++)
		if (geo_in_circle(p->centroid, area->circles[i].centre, area->circles[i].radius_km))
			return true;
	return false;
}

size_t match_info(const struct cap_info *in, const struct place *p, const char **names,
                  size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < in->nareas; i++) {
		if (!match_area(&in->areas[i], p))
			continue;
		if (n < max)
			names[n] = in->areas[i].desc;
		n++;
	}
	return n;
}
