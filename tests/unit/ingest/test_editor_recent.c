/* Read-your-writes bookkeeping (editor_recent.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "clock.h"
#include "api/editor_recent.h"

#define ID1 "11111111-1111-4111-8111-111111111111"
#define ID2 "22222222-2222-4222-8222-222222222222"

static void test_create_waits_until_the_notice_exists(void **state)
{
	(void)state;
	editor_recent_note(ID1, 0);
	assert_int_equal(RECENT_WAITING, editor_recent_check(ID1, false, 0));
	assert_int_equal(RECENT_WAITING, editor_recent_check(ID1, false, 0));
	assert_int_equal(RECENT_APPLIED, editor_recent_check(ID1, true, 1));
	/* Seen once: no more waiting for it. */
	assert_int_equal(RECENT_APPLIED, editor_recent_check(ID1, false, 0));
}

static void test_action_waits_for_one_more_event(void **state)
{
	(void)state;
	editor_recent_note(ID1, 3);
	assert_int_equal(RECENT_WAITING, editor_recent_check(ID1, true, 3));
	assert_int_equal(RECENT_APPLIED, editor_recent_check(ID1, true, 4));
}

static void test_alert_waits_for_create_and_submit(void **state)
{
	(void)state;
	editor_recent_note(ID2, 1);
	assert_int_equal(RECENT_WAITING, editor_recent_check(ID2, false, 0));
	assert_int_equal(RECENT_WAITING, editor_recent_check(ID2, true, 1));
	assert_int_equal(RECENT_APPLIED, editor_recent_check(ID2, true, 2));
}

static void test_unknown_notices_never_wait(void **state)
{
	(void)state;
	assert_int_equal(RECENT_APPLIED, editor_recent_check("33333333-3333-4333-8333-333333333333", false, 0));
}

static void test_late_after_the_wait(void **state)
{
	(void)state;
	editor_recent_note(ID1, 5);
	assert_int_equal(editor_recent_check(ID1, true, 5), RECENT_WAITING);
	clock_sleep_ms(EDITOR_RECENT_MS + 50);
	assert_int_equal(editor_recent_check(ID1, true, 5), RECENT_LATE);
	assert_int_equal(editor_recent_check(ID1, true, 6), RECENT_APPLIED);
}

static void test_bounded(void **state)
{
	char id[40];
	(void)state;

	for (int i = 0; i <= EDITOR_RECENT_KEEP; i++) {
		snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012d", i);
		editor_recent_note(id, 0);
		if (i == 0)
			clock_sleep_ms(2);   /* the oldest by the clock, too */
	}
	/* The first write noted made room for the last. */
	assert_int_equal(RECENT_APPLIED, editor_recent_check("00000000-0000-4000-8000-000000000000",
	                                                     false, 0));
	assert_int_equal(RECENT_WAITING, editor_recent_check("00000000-0000-4000-8000-000000000001",
	                                                     false, 0));
	assert_int_equal(RECENT_WAITING, editor_recent_check(id, false, 0));
	/* Not a notice id: never waited for. */
	editor_recent_note("00000000-0000-4000-8000-0000000000000", 0);
	assert_int_equal(RECENT_APPLIED, editor_recent_check("00000000-0000-4000-8000-0000000000000",
	                                                     false, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_waits_until_the_notice_exists),
		cmocka_unit_test(test_action_waits_for_one_more_event),
		cmocka_unit_test(test_alert_waits_for_create_and_submit),
		cmocka_unit_test(test_unknown_notices_never_wait),
		cmocka_unit_test(test_late_after_the_wait),
		cmocka_unit_test(test_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
