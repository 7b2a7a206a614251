/* A delivery timeline's interval width (api/timeline_step.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/timeline_step.h"

static void test_parse(void **state)
{
	struct editor_error err;
	long step = -1;

	(void)state;
	assert_int_equal(timeline_step_parse(NULL, &step, &err), 0);
	assert_int_equal(step, 0);
	assert_int_equal(timeline_step_parse("", &step, &err), 0);
	assert_int_equal(step, 0);
	assert_int_equal(timeline_step_parse("60", &step, &err), 0);
	assert_int_equal(step, 60);
	assert_int_equal(timeline_step_parse("604800", &step, &err), 0);
	for (const char *bad[] = { "9", "0", "-60", "60s", " 60", "604801", "1e3",
	                           "99999999999999999999" }, **b = bad;
	     b < bad + 8; b++) {
		assert_int_equal(timeline_step_parse(*b, &step, &err), -1);
		assert_string_equal(err.field, "step");
	}
}

static void test_chosen(void **state)
{
	(void)state;
	assert_int_equal(timeline_step(0, 0), 10);
	assert_int_equal(timeline_step(-5, 0), 10);
	assert_int_equal(timeline_step(1190, 0), 10);     /* 120 intervals */
	assert_int_equal(timeline_step(1200, 0), 30);     /* 121 would be too many */
	assert_int_equal(timeline_step(3600, 0), 60);
	assert_int_equal(timeline_step(86400, 0), 900);
	assert_int_equal(timeline_step(30LL * 86400, 0), 43200);
	assert_int_equal(timeline_step(119LL * 86400, 0), 86400);
	assert_int_equal(timeline_step(200LL * 86400, 0), 2 * 86400);
}

static void test_asked(void **state)
{
	(void)state;
	assert_int_equal(timeline_step(3600, 45), 45);      /* 81 intervals: kept */
	assert_int_equal(timeline_step(3600, 20), 60);      /* 181: a round one that fits */
	assert_int_equal(timeline_step(86400, 1000), 1000); /* 87 intervals: kept */
	assert_int_equal(timeline_step(86400, 500), 900);  /* 173: the next round one */
	assert_int_equal(timeline_step(86400, 3600), 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_asked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
