/*
 * The checks that keep bad event values out of statements (array
 * literals: tests/unit/common/test_pgarr.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "pgtext.h"

/* Only the kinds a notice may target; anything else is left out of the array. */
static void test_channel_ok(void **state)
{
	(void)state;
	assert_true(pgtext_channel_ok("whatsapp"));
	assert_true(pgtext_channel_ok("telegram"));
	assert_true(pgtext_channel_ok("telegram_channel"));
	assert_false(pgtext_channel_ok("sms"));
	assert_false(pgtext_channel_ok(""));
}

static void test_checks(void **state)
{
	(void)state;
	assert_string_equal(pgtext_category("weather"), "weather");
	assert_string_equal(pgtext_category("'; DROP TABLE notices"), "other");
	assert_string_equal(pgtext_category(NULL), "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channel_ok),
		cmocka_unit_test(test_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
