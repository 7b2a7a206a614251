/*
 * Point in polygon (holes as rings of their own or cut into one ring,
 * polygons across the antimeridian), circles and the CAP notations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "geo.h"

#define P(la, lo) ((struct geo_point){ (la), (lo) })
#define RING(a) ((struct geo_ring){ (a), sizeof(a) / sizeof((a)[0]) })

static const struct geo_point square[] = { { 44, 7 }, { 46, 7 }, { 46, 9 }, { 44, 9 }, { 44, 7 } };
static const struct geo_point hole[] = { { 44.8, 7.8 }, { 45.2, 7.8 }, { 45.2, 8.2 },
	                                 { 44.8, 8.2 }, { 44.8, 7.8 } };

static void test_square(void **state)
{
	struct geo_ring r = RING(square);

	(void)state;
	assert_true(geo_in_polygon(P(45, 7.5), &r, NULL, 0));
	assert_true(geo_in_polygon(P(44.01, 8.99), &r, NULL, 0));
	assert_false(geo_in_polygon(P(43.9, 8), &r, NULL, 0));
	assert_false(geo_in_polygon(P(45, 9.1), &r, NULL, 0));
	assert_false(geo_in_polygon(P(45, -171), &r, NULL, 0));   /* the other side of the Earth */
}

static void test_hole_ring(void **state)
{
	struct geo_ring r = RING(square), h = RING(hole);

	(void)state;
	assert_false(geo_in_polygon(P(45, 8), &r, &h, 1));        /* in the hole */
	assert_true(geo_in_polygon(P(45, 7.5), &r, &h, 1));       /* around it */
	assert_true(geo_in_polygon(P(45.5, 8), &r, &h, 1));
	assert_false(geo_in_polygon(P(47, 8), &r, &h, 1));        /* outside both */
}

/* One ring going round the outside, in along a cut, round the hole backwards, out. */
static void test_keyhole(void **state)
{
	static const struct geo_point k[] = { { 44, 7 }, { 46, 7 }, { 46, 9 }, { 44, 9 }, { 44, 8 },
		                              { 44.8, 8 }, { 44.8, 8.2 }, { 45.2, 8.2 },
		                              { 45.2, 7.8 }, { 44.8, 7.8 }, { 44.8, 8 }, { 44, 8 },
		                              { 44, 7 } };
	struct geo_ring r = RING(k);

	(void)state;
	assert_false(geo_in_polygon(P(45, 8), &r, NULL, 0));
	assert_true(geo_in_polygon(P(45, 7.5), &r, NULL, 0));
	assert_true(geo_in_polygon(P(45.5, 8.5), &r, NULL, 0));
}

/* A polygon from 170 E to 170 W across the date line (Fiji-like). */
static void test_antimeridian(void **state)
{
	static const struct geo_point fiji[] = { { -20, 170 }, { -15, 170 }, { -15, -170 },
		                                 { -20, -170 }, { -20, 170 } };
	struct geo_ring r = RING(fiji);

	(void)state;
	assert_true(geo_in_polygon(P(-17, 179.5), &r, NULL, 0));
	assert_true(geo_in_polygon(P(-17, -179.5), &r, NULL, 0));
	assert_true(geo_in_polygon(P(-17, 180), &r, NULL, 0));
	assert_true(geo_in_polygon(P(-17, -175), &r, NULL, 0));
	assert_false(geo_in_polygon(P(-17, 0), &r, NULL, 0));     /* the long way round: no */
	assert_false(geo_in_polygon(P(-17, 169), &r, NULL, 0));
	assert_false(geo_in_polygon(P(-17, -169), &r, NULL, 0));
	assert_false(geo_in_polygon(P(-21, 179), &r, NULL, 0));
}

static void test_circle(void **state)
{
	struct geo_point milano = P(45.4642, 9.19), monza = P(45.5845, 9.2744),
	                 torino = P(45.0703, 7.6869);

	(void)state;
	assert_true(geo_in_circle(monza, milano, 25));
	assert_false(geo_in_circle(torino, milano, 25));
	/* Rome-Milan is about 477 km. */
	assert_in_range((long)geo_distance_km(P(41.9028, 12.4964), milano), 470, 485);
	/* Across the date line: 2 degrees of longitude at the equator, ~222 km. */
	assert_in_range((long)geo_distance_km(P(0, 179), P(0, -179)), 220, 225);
}

static void test_parse(void **state)
{
	struct geo_point *pts, c;
	size_t n;
	double r;

	(void)state;
	assert_int_equal(geo_parse_polygon(" 44.9,7.4 45.3,7.4\n45.3,8.0 44.9,8.0 44.9,7.4 ", &pts,
	                                   &n), 0);
	assert_int_equal(n, 5);
	assert_true(pts[2].lat == 45.3 && pts[2].lon == 8.0);
	free(pts);
	assert_int_equal(geo_parse_polygon("44.9,7.4 45.3,7.4 44.9,7.4", &pts, &n), -1);
	assert_int_equal(geo_parse_polygon("44.9,7.4 45.3,7.4 45.3,8.0 x", &pts, &n), -1);
	assert_int_equal(geo_parse_polygon("95,7.4 45.3,7.4 45.3,8.0 95,7.4", &pts, &n), -1);
	assert_int_equal(geo_parse_polygon("44.9;7.4 45.3,7.4 45.3,8.0 44.9,7.4", &pts, &n), -1);
	assert_int_equal(geo_parse_circle("45.4642,9.19 25", &c, &r), 0);
	assert_true(c.lat == 45.4642 && c.lon == 9.19 && r == 25);
	assert_int_equal(geo_parse_circle("45.4642,9.19 0", &c, &r), 0);
	assert_int_equal(geo_parse_circle("45.4642,9.19", &c, &r), -1);
	assert_int_equal(geo_parse_circle("45.4642,9.19 -3", &c, &r), -1);
	assert_int_equal(geo_parse_circle("45.4642,9.19 25 km", &c, &r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_square),     cmocka_unit_test(test_hole_ring),
		cmocka_unit_test(test_keyhole),    cmocka_unit_test(test_antimeridian),
		cmocka_unit_test(test_circle),     cmocka_unit_test(test_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
