/* Automatic-reply throttle: one per citizen per interval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>

#include "autoreply.h"

static void test_one_per_interval(void **state)
{
	(void)state;
	assert_true(autoreply_allow(1, "+393330000001", 1000, 60));
	assert_false(autoreply_allow(1, "+393330000001", 2000, 60));
	assert_false(autoreply_allow(1, "+393330000001", 60999, 60));
	assert_true(autoreply_allow(1, "+393330000001", 61000, 60));
}

static void test_citizens_and_channels_are_separate(void **state)
{
	(void)state;
	assert_true(autoreply_allow(2, "+393330000002", 1000, 60));
	assert_true(autoreply_allow(2, "+393330000003", 1000, 60));
	assert_true(autoreply_allow(3, "+393330000002", 1000, 60));
	assert_false(autoreply_allow(2, "+393330000002", 1500, 60));
}

static void test_zero_interval_always_allows(void **state)
{
	(void)state;
	assert_true(autoreply_allow(4, "x", 1, 0));
	assert_true(autoreply_allow(4, "x", 1, 0));
}

static void test_full_table_still_answers(void **state)
{
	char addr[32];
	(void)state;

	/* Far more citizens than slots: new ones are never refused. */
	for (int i = 0; i < 3 * AUTOREPLY_SLOTS; i++) {
		snprintf(addr, sizeof(addr), "+39333%07d", i);
		assert_true(autoreply_allow(5, addr, 5000, 3600));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_per_interval),
		cmocka_unit_test(test_citizens_and_channels_are_separate),
		cmocka_unit_test(test_zero_interval_always_allows),
		cmocka_unit_test(test_full_table_still_answers),
	};
	return cmocka_run_group_tests_name("autoreply", tests, NULL, NULL);
}
