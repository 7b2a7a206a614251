/* Points, polygons and circles; see geo.h. */
#include "geo.h"

#include <math.h>
#include <stdlib.h>

#include "xmalloc.h"

#define EARTH_RADIUS_KM 6371.0088

/* lon - ref wrapped into [-180, 180). */
static double lon_rel(double lon, double ref)
{
	double d = fmod(lon - ref + 180.0, 360.0);

	if (d < 0)
		d += 360.0;
	return d - 180.0;
}

/* Even-odd crossings of the ray from p eastwards with ring r, longitudes
 * taken relative to ref (the outer ring's first vertex: every vertex is
 * within 180 degrees of it, so no edge wraps around). */
static bool ring_flips(struct geo_point p, const struct geo_ring *r, double ref)
{
	double px = lon_rel(p.lon, ref);
	bool in = false;

	for (size_t i = 0, j = r->n - 1; i < r->n; j = i++) {
		double yi = r->pts[i].lat, yj = r->pts[j].lat;
		double xi = lon_rel(r->pts[i].lon, ref), xj = lon_rel(r->pts[j].lon, ref);

		if ((yi > p.lat) != (yj > p.lat) && px < xj + (p.lat - yj) * (xi - xj) / (yi - yj))
			in = !in;
	}
	return in;
}

bool geo_in_polygon(struct geo_point p, const struct geo_ring *outer,
                    const struct geo_ring *holes, size_t nholes)
{
	double ref;
	bool in;

	if (outer->n < 3)
		return false;
	ref = outer->pts[0].lon;
	in = ring_flips(p, outer, ref);
	for (size_t h = 0; h < nholes; h++)
		if (holes[h].n >= 3 && ring_flips(p, &holes[h], ref))
			in = !in;
	return in;
}

double geo_distance_km(struct geo_point a, struct geo_point b)
{
	double rad = M_PI / 180.0;
	double dlat = (b.lat - a.lat) * rad, dlon = (b.lon - a.lon) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
	           cos(a.lat * rad) * cos(b.lat * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * EARTH_RADIUS_KM * asin(sqrt(h < 1 ? h : 1));
}

bool geo_in_circle(struct geo_point p, struct geo_point centre, double radius_km)
{
	return geo_distance_km(p, centre) <= radius_km;
}

/* Parses "lat,lon" at *s (leading blanks skipped), moving *s past it. */
static int parse_pair(const char **s, struct geo_point *pt)
{
	char *end;

	pt->lat = strtod(*s, &end);
	if (end == *s || *end != ',')
		return -1;
	*s = end + 1;
	pt->lon = strtod(*s, &end);
	if (end == *s || !(pt->lat >= -90 && pt->lat <= 90) || !(pt->lon >= -180 && pt->lon <= 180))
		return -1;
	*s = end;
	return 0;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

int geo_parse_polygon(const char *s, struct geo_point **pts, size_t *n)
{
	size_t cap = 16;

	*n = 0;
	*pts = xmalloc(cap * sizeof(**pts));
	for (s = skip_blanks(s); *s != '\0'; s = skip_blanks(s)) {
		if (*n == cap)
			*pts = xrealloc(*pts, (cap *= 2) * sizeof(**pts));
		if (parse_pair(&s, &(*pts)[*n]) != 0)
			break;
		(*n)++;
		if (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			break;
	}
	if (*s == '\0' && *n >= 4)
		return 0;
	free(*pts);
	*pts = NULL;
	*n = 0;
	return -1;
}

int geo_parse_circle(const char *s, struct geo_point *centre, double *radius_km)
{
	char *end;

	s = skip_blanks(s);
	if (parse_pair(&s, centre) != 0 || (*s != ' ' && *s != '\t'))
		return -1;
	*radius_km = strtod(s, &end);
	if (end == s || *skip_blanks(end) != '\0' || !(*radius_km >= 0 && *radius_km <= 20000))
		return -1;
	return 0;
}
