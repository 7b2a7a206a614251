/* The web form's in-memory rate limits (form_ratelimit.c): several
 * windows per key, Retry-After values, independence of keys, bounded
 * memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "form/form_ratelimit.h"

#define MIN 60000
#define DAY (24LL * 60 * MIN)

static const struct frl_rule ip_rules[] = { { MIN, 5 }, { DAY, 30 } };

static void test_five_a_minute(void **state)
{
	struct frl *rl = frl_new(ip_rules, 2, 100);
	(void)state;

	for (int i = 0; i < 5; i++)
		assert_int_equal(frl_hit(rl, "192.0.2.1", 1000 + i), 0);
	/* The 6th in the same minute waits until the minute's end. */
	assert_int_equal(frl_hit(rl, "192.0.2.1", 2000), MIN - 1000);
	assert_int_equal(frl_hit(rl, "192.0.2.1", 1000 + MIN - 1), 1);
	/* Another address is not affected. */
	assert_int_equal(frl_hit(rl, "192.0.2.2", 2000), 0);
	/* A new minute: allowed again. */
	assert_int_equal(frl_hit(rl, "192.0.2.1", 1000 + MIN), 0);
	frl_free(rl);
}

static void test_thirty_a_day(void **state)
{
	struct frl *rl = frl_new(ip_rules, 2, 100);
	int64_t t = 0;
	(void)state;

	for (int i = 0; i < 30; i++, t += MIN / 5)
		assert_int_equal(frl_hit(rl, "2001:db8::1", t), 0);
	/* The minute window has room, the day window not. */
	assert_int_equal(frl_hit(rl, "2001:db8::1", t + MIN), DAY - t - MIN);
	/* Refused requests are not counted: the next day is a fresh start. */
	assert_int_equal(frl_hit(rl, "2001:db8::1", DAY), 0);
	frl_free(rl);
}

static void test_per_number(void **state)
{
	const struct frl_rule rules[] = { { DAY, 3 } };
	struct frl *rl = frl_new(rules, 1, 100);
	(void)state;

	for (int i = 0; i < 3; i++)
		assert_int_equal(frl_hit(rl, "+393331234567", i * 1000), 0);
	assert_true(frl_hit(rl, "+393331234567", 5000) > 0);
	assert_int_equal(frl_hit(rl, "+393331234568", 5000), 0);
	frl_free(rl);
}

static void test_bounded(void **state)
{
	struct frl *rl = frl_new(ip_rules, 2, 8);
	char key[32];
	(void)state;

	for (int i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "10.0.0.%d", i);
		assert_int_equal(frl_hit(rl, key, 0), 0);
	}
	assert_int_equal(frl_size(rl), 8);
	/* Full of live keys: a new key is refused, not let through. */
	assert_true(frl_hit(rl, "10.0.1.1", 1000) > 0);
	assert_int_equal(frl_size(rl), 8);
	/* A day later every key has expired: swept, and the new key fits. */
	assert_int_equal(frl_hit(rl, "10.0.1.1", DAY), 0);
	assert_int_equal(frl_size(rl), 1);
	/* Keys are still found after a sweep. */
	for (int i = 0; i < 4; i++)
		assert_int_equal(frl_hit(rl, "10.0.1.1", DAY + 1 + i), 0);
	assert_int_equal(frl_hit(rl, "10.0.1.1", DAY + 10), MIN - 10);
	frl_free(rl);
}

static void test_long_and_empty_keys(void **state)
{
	const struct frl_rule rules[] = { { MIN, 1 } };
	struct frl *rl = frl_new(rules, 1, 10);
	char a[200], b[200];
	(void)state;

	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	b[150] = 'y';   /* differs beyond the stored length: same key */
	assert_int_equal(frl_hit(rl, a, 0), 0);
	assert_true(frl_hit(rl, b, 1) > 0);
	assert_int_equal(frl_hit(rl, "", 0), 0);
	assert_true(frl_hit(rl, "", 1) > 0);
	frl_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_five_a_minute),
		cmocka_unit_test(test_thirty_a_day),
		cmocka_unit_test(test_per_number),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_long_and_empty_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
