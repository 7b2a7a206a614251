/*
 * Geometry of CAP areas on the sphere, pure and unit-tested: is a point
 * (a comune's centroid) inside a polygon or a circle of an alert?
 *
 * Polygons are rings of (lat, lon) vertices, first == last as CAP writes
 * them (a ring not closed is closed implicitly). Inside is decided by the
 * even-odd rule over the outer ring and its holes together, so a hole is
 * either a ring of its own or a "keyhole" cut into one ring. Longitudes
 * are taken relative to the outer ring's first vertex and wrapped into [-180, 180), so a
 * polygon that crosses the antimeridian (170 .. -170) works as any other;
 * polygons must span less than 180 degrees of longitude (every warning
 * area does). A point exactly on an edge may fall either way.
 */
#ifndef BND_FEEDS_GEO_H
#define BND_FEEDS_GEO_H

#include <stdbool.h>
#include <stddef.h>

struct geo_point {
	double lat, lon;   /* WGS 84 degrees */
};

struct geo_ring {
	const struct geo_point *pts;
	size_t n;
};

/* true if p is inside outer and not inside any of holes[0..nholes). */
bool geo_in_polygon(struct geo_point p, const struct geo_ring *outer,
                    const struct geo_ring *holes, size_t nholes);
/* Great-circle distance in km (haversine, mean Earth radius). */
double geo_distance_km(struct geo_point a, struct geo_point b);
/* true if p is within radius_km of centre. */
bool geo_in_circle(struct geo_point p, struct geo_point centre, double radius_km);
/*
 * Parses a CAP polygon, "lat,lon lat,lon ..." (whitespace-separated
 * pairs), into *pts (caller frees) and *n. 0, or -1 if it is not one:
 * fewer than 4 pairs, a number out of range, junk.
 */
int geo_parse_polygon(const char *s, struct geo_point **pts, size_t *n)
    __attribute__((warn_unused_result));
/* Parses a CAP circle, "lat,lon radius_km". 0 or -1. */
int geo_parse_circle(const char *s, struct geo_point *centre, double *radius_km)
    __attribute__((warn_unused_result));

#endif
