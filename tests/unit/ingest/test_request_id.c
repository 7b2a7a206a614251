/* Request ids: a sane incoming one is kept, anything else replaced (request_id.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/request_id.h"

static void test_valid(void **state)
{
	(void)state;
	assert_true(rid_valid("a"));
	assert_true(rid_valid("4bf92f3577b34da6a3ce929d0e0e4736"));
	assert_true(rid_valid("req-1_2.3:4"));
	assert_false(rid_valid(NULL));
	assert_false(rid_valid(""));
	assert_false(rid_valid("has space"));
	assert_false(rid_valid("quote\"d"));
	assert_false(rid_valid("new\nline"));
	assert_false(rid_valid("+393331234567 "));
	assert_false(rid_valid("è"));
	assert_true(rid_valid("0123456789012345678901234567890123456789012345678901234567890123"));
	assert_false(rid_valid("01234567890123456789012345678901234567890123456789012345678901234"));
}

static void test_choose(void **state)
{
	char out[RID_MAX + 1], again[RID_MAX + 1];
	(void)state;

	rid_choose("abc-123", out);
	assert_string_equal(out, "abc-123");
	rid_choose("bad id", out);
	assert_int_equal(strlen(out), 32);
	assert_true(rid_valid(out));
	rid_choose(NULL, again);
	assert_int_equal(strlen(again), 32);
	assert_string_not_equal(out, again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_choose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
