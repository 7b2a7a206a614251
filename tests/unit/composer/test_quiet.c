/*
 * Quiet hours: holding a normal notice until the comune's quiet hours end,
 * in Europe/Rome local time, across midnight and both DST changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <time.h>

#include "quiet.h"

/* Unix ms of a UTC date and time. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
	                 .tm_hour = h, .tm_min = mi };
	return (int64_t)timegm(&tm) * 1000;
}

static const struct quiet_hours night = { 21 * 60, 8 * 60, "Europe/Rome" };

static void test_parse_time(void **state)
{
	(void)state;
	assert_int_equal(quiet_parse_time("21:00"), 1260);
	assert_int_equal(quiet_parse_time("08:30:00"), 510);
	assert_int_equal(quiet_parse_time("00:00"), 0);
	assert_int_equal(quiet_parse_time("24:00"), -1);
	assert_int_equal(quiet_parse_time("7:00"), -1);
	assert_int_equal(quiet_parse_time("07:60"), -1);
	assert_int_equal(quiet_parse_time(""), -1);
}

/* Winter (CET, UTC+1): 22:30 local is held until 08:00 local next day. */
static void test_winter_evening_held_past_midnight(void **state)
{
	(void)state;
	assert_true(quiet_inside(&night, utc(2026, 1, 15, 21, 30)));
	assert_int_equal(quiet_release(&night, utc(2026, 1, 15, 21, 30)), utc(2026, 1, 16, 7, 0));
}

/* 03:00 local, after midnight: held until 08:00 the same day. */
static void test_after_midnight_held_same_day(void **state)
{
	(void)state;
	assert_int_equal(quiet_release(&night, utc(2026, 1, 16, 2, 0)), utc(2026, 1, 16, 7, 0));
}

/* Summer (CEST, UTC+2): 23:00 local -> 08:00 local = 06:00 UTC. */
static void test_summer_offset(void **state)
{
	(void)state;
	assert_int_equal(quiet_release(&night, utc(2026, 7, 10, 21, 0)), utc(2026, 7, 11, 6, 0));
	/* 20:30 local in summer is 18:30 UTC: outside, not held. */
	assert_false(quiet_inside(&night, utc(2026, 7, 10, 18, 30)));
	assert_int_equal(quiet_release(&night, utc(2026, 7, 10, 18, 30)), utc(2026, 7, 10, 18, 30));
}

/* Night of 28-29 March 2026 (clocks forward at 02:00): 22:00 CET is
 * held until 08:00 CEST, 06:00 UTC, nine hours later, not ten. */
static void test_spring_forward_night(void **state)
{
	(void)state;
	assert_int_equal(quiet_release(&night, utc(2026, 3, 28, 21, 0)), utc(2026, 3, 29, 6, 0));
	/* 04:00 CEST that morning (02:00 UTC) -> 06:00 UTC. */
	assert_int_equal(quiet_release(&night, utc(2026, 3, 29, 2, 0)), utc(2026, 3, 29, 6, 0));
}

/* Night of 24-25 October 2026 (clocks back at 03:00): 22:00 CEST is
 * held until 08:00 CET, 07:00 UTC, eleven hours later. */
static void test_fall_back_night(void **state)
{
	(void)state;
	assert_int_equal(quiet_release(&night, utc(2026, 10, 24, 20, 0)), utc(2026, 10, 25, 7, 0));
	/* 02:30 local happens twice; both are inside and end at 07:00 UTC. */
	assert_int_equal(quiet_release(&night, utc(2026, 10, 25, 0, 30)), utc(2026, 10, 25, 7, 0));
	assert_int_equal(quiet_release(&night, utc(2026, 10, 25, 1, 30)), utc(2026, 10, 25, 7, 0));
}

/* Boundaries: the start is inside, the end is outside. */
static void test_boundaries(void **state)
{
	(void)state;
	assert_true(quiet_inside(&night, utc(2026, 1, 15, 20, 0)));       /* 21:00 CET */
	assert_false(quiet_inside(&night, utc(2026, 1, 15, 19, 59)));     /* 20:59 CET */
	assert_false(quiet_inside(&night, utc(2026, 1, 16, 7, 0)));       /* 08:00 CET */
	assert_true(quiet_inside(&night, utc(2026, 1, 16, 6, 59)));       /* 07:59 CET */
}

/* A window inside one day, and no window at all. */
static void test_daytime_window_and_none(void **state)
{
	const struct quiet_hours lunch = { 13 * 60, 15 * 60, "Europe/Rome" };
	const struct quiet_hours none = { 21 * 60, 21 * 60, "Europe/Rome" };
	(void)state;
	assert_int_equal(quiet_release(&lunch, utc(2026, 5, 4, 12, 0)), utc(2026, 5, 4, 13, 0));
	assert_int_equal(quiet_release(&lunch, utc(2026, 5, 4, 14, 0)), utc(2026, 5, 4, 14, 0));
	assert_false(quiet_inside(&none, utc(2026, 5, 4, 20, 0)));
	assert_int_equal(quiet_release(&none, utc(2026, 5, 4, 20, 0)), utc(2026, 5, 4, 20, 0));
}

/* An end that does not exist (02:30 on the spring-forward day) is
 * moved on by the gap: 03:30 CEST. */
static void test_end_in_spring_gap(void **state)
{
	const struct quiet_hours q = { 60, 150, "Europe/Rome" };
	(void)state;
	assert_int_equal(quiet_release(&q, utc(2026, 3, 29, 0, 30)), utc(2026, 3, 29, 1, 30));
}

/* Another zone follows its own rules (New York, EDT = UTC-4). */
/* Found by fuzzing: an end moved on by the gap that lands inside the next
 * window. Italy's clocks went from 00:00 to 01:00 on 28 May 1972; with
 * quiet hours 00:40-00:00 the first instant outside is midnight of the
 * 29th, not 01:00 of the 28th (inside again). */
static void test_end_moved_into_the_next_window(void **state)
{
	const struct quiet_hours late = { 40, 0, "Europe/Rome" };
	int64_t t = utc(1972, 5, 27, 13, 44), rel = quiet_release(&late, t);
	(void)state;

	assert_false(quiet_inside(&late, rel));
	assert_int_equal(rel, utc(1972, 5, 28, 22, 0));   /* 00:00 CEST of the 29th */
}

static void test_other_zone(void **state)
{
	const struct quiet_hours ny = { 22 * 60, 7 * 60, "America/New_York" };
	(void)state;
	assert_int_equal(quiet_release(&ny, utc(2026, 7, 1, 3, 0)), utc(2026, 7, 1, 11, 0));
}

/* Urgent notices ignore quiet hours; a schedule is honoured by both. */
static void test_release_notice(void **state)
{
	int64_t now = utc(2026, 1, 15, 21, 30);            /* 22:30 CET */
	(void)state;
	assert_int_equal(quiet_release_notice(&night, true, now, 0), now);
	assert_int_equal(quiet_release_notice(&night, false, now, 0), utc(2026, 1, 16, 7, 0));
	/* Scheduled for 10:00 tomorrow: not before that, whatever the urgency. */
	assert_int_equal(quiet_release_notice(&night, true, now, utc(2026, 1, 16, 9, 0)),
	                 utc(2026, 1, 16, 9, 0));
	/* Scheduled for 23:00 tonight (past the start): held until 08:00. */
	assert_int_equal(quiet_release_notice(&night, false, utc(2026, 1, 15, 12, 0),
	                                      utc(2026, 1, 15, 22, 0)), utc(2026, 1, 16, 7, 0));
	/* A schedule in the past counts from now. */
	assert_int_equal(quiet_release_notice(&night, true, now, utc(2026, 1, 1, 0, 0)), now);
}

/* The clock is injectable. */
static int64_t fixed_clock(void)
{
	return 42000;
}

static void test_clock_injectable(void **state)
{
	quiet_clock_fn saved = quiet_clock;
	(void)state;
	quiet_clock = fixed_clock;
	assert_int_equal(quiet_now_ms(), 42000);
	quiet_clock = saved;
	quiet_clock_offset(3600);
	assert_true(quiet_now_ms() - (int64_t)time(NULL) * 1000 >= 3599000);
	quiet_clock_offset(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_winter_evening_held_past_midnight),
		cmocka_unit_test(test_after_midnight_held_same_day),
		cmocka_unit_test(test_summer_offset),
		cmocka_unit_test(test_spring_forward_night),
		cmocka_unit_test(test_fall_back_night),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_daytime_window_and_none),
		cmocka_unit_test(test_end_in_spring_gap),
		cmocka_unit_test(test_end_moved_into_the_next_window),
		cmocka_unit_test(test_other_zone),
		cmocka_unit_test(test_release_notice),
		cmocka_unit_test(test_clock_injectable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
