/* Retry delays: bounds, cap, growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../../../services/dispatcher/backoff.h"

/* The un-jittered delay after f failures. */
static long full_delay(unsigned f)
{
	long d = BACKOFF_BASE_MS;

	for (unsigned i = 1; i < f && d < BACKOFF_CAP_MS; i++)
		d *= 2;
	return d > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : d;
}

static void test_bounds(void **state)
{
	static const uint32_t rnds[] = { 0, 1, 2, 99, 100, 101, 4999, 0x7fffffff, 0xffffffff };
	(void)state;

	srand(42);
	for (unsigned f = 1; f <= 40; f++) {
		long d = full_delay(f);
		for (size_t i = 0; i < sizeof(rnds) / sizeof(rnds[0]) + 200; i++) {
			uint32_t r = i < sizeof(rnds) / sizeof(rnds[0]) ? rnds[i]
			                                                 : ((uint32_t)rand() << 1) ^ (uint32_t)rand();
			long got = backoff_delay_ms(f, BACKOFF_BASE_MS, BACKOFF_CAP_MS, r);
			if (got < d / 2 || got > d)
				fail_msg("failures %u rnd %u: %ld outside [%ld, %ld]", f, r, got, d / 2, d);
		}
	}
	/* First retry: 100..200 ms. */
	assert_int_equal(backoff_delay_ms(1, 200, 10000, 0), 100);
	assert_int_equal(backoff_delay_ms(1, 200, 10000, 100), 200);
	assert_int_equal(backoff_delay_ms(1, 200, 10000, 101), 100);
}

static void test_cap(void **state)
{
	static const unsigned fs[] = { 7, 8, 10, 31, 32, 33, 64, 1000, 0xffffffffu };
	(void)state;

	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		for (uint32_t r = 0; r < 20000; r += 997) {
			long got = backoff_delay_ms(fs[i], 200, 10000, r);
			assert_true(got <= 10000);
			assert_true(got >= 5000);
		}
	}
	/* The cap is reached exactly, never exceeded. */
	assert_int_equal(backoff_delay_ms(100, 200, 10000, 5000), 10000);
	/* A base above the cap is held to the cap. */
	assert_true(backoff_delay_ms(1, 50000, 10000, 0xffffffff) <= 10000);
}

static void test_growth(void **state)
{
	long prev = 0;
	(void)state;

	/* The floor doubles with every failure until the cap: 100, 200, 400, ... 5000. */
	for (unsigned f = 1; f <= 12; f++) {
		long lo = backoff_delay_ms(f, 200, 10000, 0);
		if (f > 1 && full_delay(f) < BACKOFF_CAP_MS)
			assert_int_equal(lo, prev * 2);
		assert_true(lo >= prev);
		prev = lo;
	}
	assert_int_equal(prev, 5000);
	/* Sum of the worst case for the default 6 attempts stays well under a minute. */
	long total = 0;
	for (unsigned f = 1; f < 6; f++)
		total += full_delay(f);
	assert_true(total < 60000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
