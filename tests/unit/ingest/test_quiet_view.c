/* Quiet hours as the console shows them (api/quiet_view.c), by the
 * composer's arithmetic, and the cost estimate (api/audience_read.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tzone.h"
#include "api/audience_read.h"
#include "api/editor_validate.h"
#include "api/quiet_view.h"

static struct tzone *rome;

static int setup(void **state)
{
	(void)state;
	rome = tzone_load("Europe/Rome");
	return rome == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	tzone_free(rome);
	return 0;
}

/* The view at RFC 3339 time at, with 21:00-08:00 quiet hours in Rome. */
static json_t *view_at(const char *start, const char *end, const char *at)
{
	long long ms;

	assert_true(editor_time_parse(at, &ms));
	return quiet_view(start, end, "Europe/Rome", rome, ms);
}

static const char *str(json_t *v, const char *key)
{
	return json_string_value(json_object_get(v, key));
}

static void test_held_until_morning(void **state)
{
	json_t *v = view_at("21:00:00", "08:00:00", "2026-12-24T22:30:00+01:00");
	(void)state;

	assert_true(json_is_true(json_object_get(v, "held")));
	assert_string_equal(str(v, "start"), "21:00");
	assert_string_equal(str(v, "end"), "08:00");
	assert_string_equal(str(v, "time_zone"), "Europe/Rome");
	assert_string_equal(str(v, "at"), "2026-12-24T21:30:00Z");
	assert_string_equal(str(v, "until"), "2026-12-25T07:00:00Z");
	assert_string_equal(str(v, "until_local"), "2026-12-25T08:00:00+01:00");
	json_decref(v);
}

static void test_not_held_by_day(void **state)
{
	json_t *v = view_at("21:00:00", "08:00:00", "2026-12-24T12:00:00+01:00");
	(void)state;

	assert_true(json_is_false(json_object_get(v, "held")));
	assert_true(json_is_null(json_object_get(v, "until")));
	assert_true(json_is_null(json_object_get(v, "until_local")));
	json_decref(v);
}

/* The night clocks go forward: 08:00 summer time is 06:00 UTC. */
static void test_held_across_dst(void **state)
{
	json_t *v = view_at("21:00:00", "08:00:00", "2026-03-28T23:00:00+01:00");
	(void)state;

	assert_true(json_is_true(json_object_get(v, "held")));
	assert_string_equal(str(v, "until"), "2026-03-29T06:00:00Z");
	assert_string_equal(str(v, "until_local"), "2026-03-29T08:00:00+02:00");
	json_decref(v);
}

static void test_no_quiet_hours(void **state)
{
	json_t *v = view_at("00:00:00", "00:00:00", "2026-12-24T23:00:00+01:00");
	(void)state;

	assert_true(json_is_false(json_object_get(v, "held")));
	assert_string_equal(str(v, "start"), "00:00");
	assert_string_equal(str(v, "end"), "00:00");
	json_decref(v);
}

static void test_time_format(void **state)
{
	char s[32];
	(void)state;

	quiet_view_time(0, 0, s);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
	quiet_view_time(-1, 0, s);
	assert_string_equal(s, "1969-12-31T23:59:59Z");
	quiet_view_time(0, -(5 * 3600 + 30 * 60), s);
	assert_string_equal(s, "1969-12-31T18:30:00-05:30");
}

static void test_cost(void **state)
{
	json_t *c = audience_cost(3, 0.05);
	(void)state;

	assert_string_equal(json_string_value(json_object_get(c, "currency")), "EUR");
	assert_float_equal(json_real_value(json_object_get(c, "per_message")), 0.05, 1e-12);
	assert_float_equal(json_real_value(json_object_get(c, "estimate")), 0.15, 1e-12);
	json_decref(c);
	c = audience_cost(123457, 0.0305);
	assert_float_equal(json_real_value(json_object_get(c, "estimate")), 3765.4385, 1e-9);
	json_decref(c);
	c = audience_cost(0, 0.03);
	assert_float_equal(json_real_value(json_object_get(c, "estimate")), 0, 1e-12);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_held_until_morning), cmocka_unit_test(test_not_held_by_day),
		cmocka_unit_test(test_held_across_dst),    cmocka_unit_test(test_no_quiet_hours),
		cmocka_unit_test(test_time_format),        cmocka_unit_test(test_cost),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
