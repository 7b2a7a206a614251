/*
 * Quiet hours: holding a normal notice until the comune's quiet hours end,
 * in Europe/Rome local time, across midnight and both DST changes; other
 * zones; the zone arithmetic (tzone.c) against the C library's, and from
 * several threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "quiet.h"
#include "tzone.h"

static struct tzone *rome, *new_york, *sydney;

/* Unix ms of a UTC date and time. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
	                 .tm_hour = h, .tm_min = mi };
	return (int64_t)timegm(&tm) * 1000;
}

static struct quiet_hours night;

static int zones_load(void **state)
{
	(void)state;
	rome = tzone_load("Europe/Rome");
	new_york = tzone_load("America/New_York");
	sydney = tzone_load("Australia/Sydney");
	night = (struct quiet_hours){ 21 * 60, 8 * 60, rome };
	return rome != NULL && new_york != NULL && sydney != NULL ? 0 : -1;
}

static int zones_free(void **state)
{
	(void)state;
	tzone_free(rome);
	tzone_free(new_york);
	tzone_free(sydney);
	return 0;
}

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
	const struct quiet_hours lunch = { 13 * 60, 15 * 60, rome };
	const struct quiet_hours none = { 21 * 60, 21 * 60, rome };
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
	const struct quiet_hours q = { 60, 150, rome };
	(void)state;
	assert_int_equal(quiet_release(&q, utc(2026, 3, 29, 0, 30)), utc(2026, 3, 29, 1, 30));
}

/* Found by fuzzing: an end moved on by the gap that lands inside the next
 * window. Italy's clocks went from 00:00 to 01:00 on 28 May 1972; with
 * quiet hours 00:40-00:00 the first instant outside is midnight of the
 * 29th, not 01:00 of the 28th (inside again). */
static void test_end_moved_into_the_next_window(void **state)
{
	const struct quiet_hours late = { 40, 0, rome };
	int64_t t = utc(1972, 5, 27, 13, 44), rel = quiet_release(&late, t);
	(void)state;

	assert_false(quiet_inside(&late, rel));
	assert_int_equal(rel, utc(1972, 5, 28, 22, 0));   /* 00:00 CEST of the 29th */
}

/* Another zone follows its own rules (New York, EDT = UTC-4). */
static void test_other_zone(void **state)
{
	const struct quiet_hours ny = { 22 * 60, 7 * 60, new_york };
	(void)state;
	assert_int_equal(quiet_release(&ny, utc(2026, 7, 1, 3, 0)), utc(2026, 7, 1, 11, 0));
}

/* The southern hemisphere: Sydney's summer time spans the new year
 * (AEDT, UTC+11, from October to April; AEST, UTC+10, otherwise). */
static void test_southern_zone(void **state)
{
	const struct quiet_hours syd = { 22 * 60, 7 * 60, sydney };
	(void)state;
	/* 23:00 AEDT on 31 December = 12:00 UTC -> 07:00 AEDT = 20:00 UTC. */
	assert_int_equal(quiet_release(&syd, utc(2026, 12, 31, 12, 0)), utc(2026, 12, 31, 20, 0));
	/* 23:00 AEST on 1 July = 13:00 UTC -> 07:00 AEST = 21:00 UTC. */
	assert_int_equal(quiet_release(&syd, utc(2026, 7, 1, 13, 0)), utc(2026, 7, 1, 21, 0));
}

/* Past the transitions a zone file lists (2037), its rule decides: the
 * last Sunday of March 2050 is the 27th, of October the 30th. */
static void test_far_future_rule(void **state)
{
	(void)state;
	assert_int_equal(tzone_offset(rome, utc(2050, 3, 27, 0, 59) / 1000), 3600);
	assert_int_equal(tzone_offset(rome, utc(2050, 3, 27, 1, 0) / 1000), 7200);
	assert_int_equal(tzone_offset(rome, utc(2050, 10, 30, 0, 59) / 1000), 7200);
	assert_int_equal(tzone_offset(rome, utc(2050, 10, 30, 1, 0) / 1000), 3600);
	/* 22:00 CET on 26 March 2050 -> 08:00 CEST, 06:00 UTC. */
	assert_int_equal(quiet_release(&night, utc(2050, 3, 26, 21, 0)), utc(2050, 3, 27, 6, 0));
}

/* An end that happens twice (clocks back at 03:00 CEST to 02:00 CET):
 * quiet hours 01:00-02:30 end at the first 02:30 after the time asked. */
static void test_end_repeated(void **state)
{
	const struct quiet_hours q = { 60, 150, rome };
	int64_t at[2];
	(void)state;

	/* 01:30 CEST (23:30 UTC): the first 02:30, CEST = 00:30 UTC. */
	assert_int_equal(quiet_release(&q, utc(2026, 10, 24, 23, 30)), utc(2026, 10, 25, 0, 30));
	/* 02:10 CET the second time (01:10 UTC), inside again: 02:30 CET = 01:30 UTC. */
	assert_int_equal(quiet_release(&q, utc(2026, 10, 25, 1, 10)), utc(2026, 10, 25, 1, 30));
	assert_int_equal(tzone_instants(rome, utc(2026, 10, 25, 2, 30) / 1000, at), 2);
	assert_int_equal(at[0] * 1000, utc(2026, 10, 25, 0, 30));
	assert_int_equal(at[1] * 1000, utc(2026, 10, 25, 1, 30));
	/* Skipped: 02:30 on 29 March; moved on by the hour it lacks. */
	assert_int_equal(tzone_instants(rome, utc(2026, 3, 29, 2, 30) / 1000, at), 0);
	assert_int_equal(at[0] * 1000, utc(2026, 3, 29, 1, 30));
}

/* The zone arithmetic gives the C library's answers over 130 years of
 * both kinds of change, in three zones (TZ is switched here
 * only: this test runs on one thread). */
static void test_same_as_libc(void **state)
{
	static const char *const names[] = { "Europe/Rome", "America/New_York",
		                             "Australia/Sydney" };
	const struct tzone *zones[] = { rome, new_york, sydney };
	(void)state;

	for (size_t z = 0; z < 3; z++) {
		setenv("TZ", names[z], 1);
		tzset();
		/* Hourly-ish to 2040 (the files' transitions), then the rules to 2100. */
		for (time_t t = (time_t)(utc(1970, 1, 1, 0, 0) / 1000);
		     t < (time_t)(utc(2100, 1, 1, 0, 0) / 1000);
		     t += t < utc(2040, 1, 1, 0, 0) / 1000 ? 3607 : 25301) {
			struct tm tm;
			localtime_r(&t, &tm);
			if (tzone_offset(zones[z], t) != tm.tm_gmtoff)
				fail_msg("%s at %lld: %ld, libc %ld", names[z], (long long)t,
				         tzone_offset(zones[z], t), tm.tm_gmtoff);
		}
	}
	unsetenv("TZ");
	tzset();
}

/* Zone names that could leave the zone folder are refused; UTC is a zone. */
static void test_zone_names(void **state)
{
	struct tzone *z = quiet_zone("No/Such_Zone");
	(void)state;

	assert_null(tzone_load("../../etc/passwd"));
	assert_null(tzone_load("/etc/localtime"));
	assert_null(tzone_load(""));
	assert_null(tzone_load("Europe/Nowhere"));
	assert_int_equal(tzone_offset(z, 1800000000), 0);   /* unreadable: UTC */
	tzone_free(z);
	z = quiet_zone("");                                   /* none: Europe/Rome */
	assert_int_equal(tzone_offset(z, utc(2026, 7, 1, 0, 0) / 1000), 7200);
	tzone_free(z);
}

/* A malformed zone file is refused, not half-read. */
static void test_malformed_zone(void **state)
{
	unsigned char junk[64] = "TZif2";
	(void)state;

	assert_null(tzone_parse(junk, sizeof(junk)));
	assert_null(tzone_parse(junk, 3));
}

/* Threads computing quiet hours in different zones at once agree with
 * one thread doing it alone (the old TZ switch could not promise this). */
struct worker {
	const struct quiet_hours *q;
	int64_t from;
	int64_t sum;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 20000; i++)
		w->sum += quiet_release(w->q, w->from + (int64_t)i * 1237000) % 1000003;
	return NULL;
}

static void test_threads(void **state)
{
	const struct quiet_hours ny = { 22 * 60, 7 * 60, new_york }, syd = { 22 * 60, 7 * 60, sydney };
	const struct quiet_hours *qs[4] = { &night, &ny, &syd, &night };
	struct worker alone[4], many[4];
	pthread_t th[4];
	(void)state;

	for (int i = 0; i < 4; i++) {
		alone[i] = (struct worker){ qs[i], utc(2026, 1, 1, 0, 0) + i * 999, 0 };
		many[i] = alone[i];
		worker_main(&alone[i]);
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker_main, &many[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(many[i].sum, alone[i].sum);
	}
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

/* The clock can be shifted (tests of the whole stack do). */
static void test_clock_offset(void **state)
{
	(void)state;
	assert_true(quiet_now_ms(3600) - (int64_t)time(NULL) * 1000 >= 3599000);
	assert_true(quiet_now_ms(0) - (int64_t)time(NULL) * 1000 < 2000);
}

/* Malformed quiet hours count as none. */
static void test_hours_set(void **state)
{
	struct quiet_hours q;
	(void)state;

	quiet_hours_set(&q, "21:00:00", "08:00:00", rome);
	assert_int_equal(q.start_min, 21 * 60);
	assert_int_equal(q.end_min, 8 * 60);
	quiet_hours_set(&q, "21:00", "8", rome);
	assert_int_equal(q.start_min, q.end_min);
	assert_false(quiet_inside(&q, utc(2026, 1, 15, 21, 30)));
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
		cmocka_unit_test(test_southern_zone),
		cmocka_unit_test(test_far_future_rule),
		cmocka_unit_test(test_end_repeated),
		cmocka_unit_test(test_same_as_libc),
		cmocka_unit_test(test_zone_names),
		cmocka_unit_test(test_malformed_zone),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_release_notice),
		cmocka_unit_test(test_clock_offset),
		cmocka_unit_test(test_hours_set),
	};
	return cmocka_run_group_tests(tests, zones_load, zones_free);
}
