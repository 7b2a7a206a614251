/* Per-recipient limits: pair rate with a small burst, penalties, bounded table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pairlim.h"

static void test_pair_rate(void **state)
{
	struct pairlim pl;
	(void)state;

	pl_init(&pl, 6000, 2);
	assert_int_equal(pl_take(&pl, "100", "+393331", 0), 0);
	assert_int_equal(pl_take(&pl, "100", "+393331", 10), 0);   /* burst of 2 */
	assert_int_equal(pl_take(&pl, "100", "+393331", 20), 5980);   /* ~6 s less what refilled */
	/* Other recipients and other senders are not affected. */
	assert_int_equal(pl_take(&pl, "100", "+393332", 20), 0);
	assert_int_equal(pl_take(&pl, "200", "+393331", 20), 0);
	assert_int_equal(pl_take(&pl, "100", "+393331", 6000), 0);
	pl_free(&pl);
}

static void test_penalty(void **state)
{
	struct pairlim pl;
	(void)state;

	pl_init(&pl, 1000, 3);
	pl_penalize(&pl, "bot", "42", 0, 6000);   /* the provider said 131056 */
	assert_int_equal(pl_take(&pl, "bot", "42", 100), 5900);
	assert_int_equal(pl_take(&pl, "bot", "43", 100), 0);
	assert_true(pl_take(&pl, "bot", "42", 6000) > 0);   /* empty after the penalty */
	assert_int_equal(pl_take(&pl, "bot", "42", 7000), 0);
	pl_free(&pl);
}

static void test_table_bounded(void **state)
{
	struct pairlim pl;
	char to[32];
	(void)state;

	pl_init(&pl, 100, 1);
	/* 100,000 recipients, one message each, 1 ms apart: only the last ~100 ms are kept. */
	for (int i = 0; i < 100000; i++) {
		snprintf(to, sizeof(to), "+39333%07d", i);
		assert_int_equal(pl_take(&pl, "s", to, i), 0);
	}
	assert_true(pl_size(&pl) < 5000);
	pl_free(&pl);
}

static void test_long_key(void **state)
{
	struct pairlim pl;
	char to[300];
	(void)state;

	/* Keys longer than pairlim.c's stack buffer are still one pair each. */
	memset(to, '7', sizeof(to) - 1);
	to[sizeof(to) - 1] = '\0';
	pl_init(&pl, 1000, 1);
	assert_int_equal(pl_take(&pl, "bot", to, 0), 0);
	assert_int_equal(pl_take(&pl, "bot", to, 10), 990);
	to[0] = '8';
	assert_int_equal(pl_take(&pl, "bot", to, 10), 0);
	assert_int_equal(pl_size(&pl), 2);
	pl_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_rate),
		cmocka_unit_test(test_penalty),
		cmocka_unit_test(test_table_bounded),
		cmocka_unit_test(test_long_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
