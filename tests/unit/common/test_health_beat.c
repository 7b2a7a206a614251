/* Liveness: a work loop that stops stamping its heartbeat is stuck (health.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"
#include "health.h"

static void test_stale_loop_named(void **state)
{
	long long age = 0;
	int a, b;
	(void)state;

	health_set_liveness(1);
	a = health_beat_slot("worker");
	b = health_beat_slot("release");
	assert_true(a >= 0 && b >= 0);
	assert_null(health_stuck(&age));
	clock_sleep_ms(1200);
	health_beat(a);   /* one loop goes on, the other does not */
	assert_string_equal(health_stuck(&age), "release");
	assert_true(age >= 1000);
	health_beat(b);
	assert_null(health_stuck(&age));
	health_beat(-1);   /* no slot: nothing */
}

static void test_no_limit_never_stuck(void **state)
{
	long long age = 0;
	(void)state;

	health_set_liveness(0);
	(void)health_beat_slot("poll");
	clock_sleep_ms(20);
	assert_null(health_stuck(&age));
}

static void test_slots_bounded(void **state)
{
	(void)state;
	for (int i = 0; i < HEALTH_BEATS; i++)
		(void)health_beat_slot("more");
	assert_int_equal(health_beat_slot("one too many"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stale_loop_named),
		cmocka_unit_test(test_no_limit_never_stuck),
		cmocka_unit_test(test_slots_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
