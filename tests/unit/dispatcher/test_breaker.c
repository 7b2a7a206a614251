/* Circuit breaker: closed -> open after K failures -> half-open probe -> closed or open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "breaker.h"

static void test_opens_after_k(void **state)
{
	struct breaker br;
	(void)state;

	br_init(&br, "test", 3, 5000);
	br_failure(&br, 0);
	br_failure(&br, 1);
	assert_int_equal(br.st, BR_CLOSED);
	assert_true(br_allow(&br, 2));
	br_failure(&br, 2);
	assert_int_equal(br.st, BR_OPEN);
	assert_false(br_allow(&br, 3));
	assert_int_equal(br_wait(&br, 3), 4999);
}

static void test_success_resets_count(void **state)
{
	struct breaker br;
	(void)state;

	br_init(&br, "test", 3, 5000);
	br_failure(&br, 0);
	br_failure(&br, 0);
	br_success(&br, 0);   /* not consecutive any more */
	br_failure(&br, 0);
	br_failure(&br, 0);
	assert_int_equal(br.st, BR_CLOSED);
}

static void test_half_open_one_probe(void **state)
{
	struct breaker br;
	(void)state;

	br_init(&br, "test", 1, 1000);
	br_failure(&br, 0);
	assert_false(br_allow(&br, 999));
	assert_true(br_allow(&br, 1000));    /* the probe */
	assert_int_equal(br.st, BR_HALF_OPEN);
	assert_false(br_allow(&br, 1001));   /* only one */
	assert_false(br_allow(&br, 5000));
	br_success(&br, 1010);
	assert_int_equal(br.st, BR_CLOSED);
	assert_true(br_allow(&br, 1011));
	assert_true(br_allow(&br, 1011));
}

static void test_probe_fails_reopens(void **state)
{
	struct breaker br;
	(void)state;

	br_init(&br, "test", 2, 1000);
	br_failure(&br, 0);
	br_failure(&br, 0);
	assert_true(br_allow(&br, 1000));
	br_failure(&br, 1005);
	assert_int_equal(br.st, BR_OPEN);
	assert_false(br_allow(&br, 1500));
	assert_true(br_allow(&br, 2005));
}

static void test_late_success_while_open_ignored(void **state)
{
	struct breaker br;
	(void)state;

	br_init(&br, "test", 1, 1000);
	br_failure(&br, 0);
	br_success(&br, 10);   /* a request started before the breaker opened */
	assert_int_equal(br.st, BR_OPEN);
	assert_false(br_allow(&br, 20));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opens_after_k),
		cmocka_unit_test(test_success_resets_count),
		cmocka_unit_test(test_half_open_one_probe),
		cmocka_unit_test(test_probe_fails_reopens),
		cmocka_unit_test(test_late_success_while_open_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
