/* Automatic-reply throttle: one per citizen per interval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>

#include "autoreply.h"

static int setup(void **state)
{
	*state = autoreply_new();
	return 0;
}

static int teardown(void **state)
{
	autoreply_free(*state);
	return 0;
}

static void test_one_per_interval(void **state)
{
	struct autoreply *ar = *state;

	assert_true(autoreply_allow(ar, 1, "+393330000001", 1000, 60));
	assert_false(autoreply_allow(ar, 1, "+393330000001", 2000, 60));
	assert_false(autoreply_allow(ar, 1, "+393330000001", 60999, 60));
	assert_true(autoreply_allow(ar, 1, "+393330000001", 61000, 60));
	assert_false(autoreply_allow(ar, 1, "+393330000001", 61001, 60));
}

static void test_citizens_and_channels_are_separate(void **state)
{
	struct autoreply *ar = *state;

	assert_true(autoreply_allow(ar, 2, "+393330000002", 1000, 60));
	assert_true(autoreply_allow(ar, 2, "+393330000003", 1000, 60));
	assert_true(autoreply_allow(ar, 3, "+393330000002", 1000, 60));
	assert_false(autoreply_allow(ar, 2, "+393330000002", 1500, 60));
}

static void test_zero_interval_always_allows(void **state)
{
	struct autoreply *ar = *state;

	assert_true(autoreply_allow(ar, 4, "x", 1, 0));
	assert_true(autoreply_allow(ar, 4, "x", 1, 0));
}

static void test_full_table_still_answers(void **state)
{
	struct autoreply *ar = *state;
	char addr[32];

	/* Far more citizens than the table holds: new ones are never refused. */
	for (int i = 0; i < 3 * AUTOREPLY_MAX; i++) {
		snprintf(addr, sizeof(addr), "+39333%07d", i);
		assert_true(autoreply_allow(ar, 5, addr, 5000, 3600));
	}
	/* The latest ones are still remembered. */
	assert_false(autoreply_allow(ar, 5, addr, 6000, 3600));
}

/* Citizens whose interval ran out make room without emptying the table. */
static void test_expired_make_room(void **state)
{
	struct autoreply *ar = *state;
	char addr[32];

	for (int i = 0; i < AUTOREPLY_MAX; i++) {
		snprintf(addr, sizeof(addr), "+39334%07d", i);
		assert_true(autoreply_allow(ar, 6, addr, 1000, i < AUTOREPLY_MAX / 2 ? 1 : 3600));
	}
	assert_true(autoreply_allow(ar, 6, "+393350000000", 10000, 3600));
	assert_false(autoreply_allow(ar, 6, addr, 10000, 3600));   /* the last one stayed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_per_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_citizens_and_channels_are_separate, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_zero_interval_always_allows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_table_still_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expired_make_room, setup, teardown),
	};
	return cmocka_run_group_tests_name("autoreply", tests, NULL, NULL);
}
