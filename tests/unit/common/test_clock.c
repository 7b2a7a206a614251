/* Times in the shapes other APIs want (clock.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"

static void test_timeval(void **state)
{
	struct timeval tv = clock_timeval(1500);
	(void)state;

	assert_int_equal(tv.tv_sec, 1);
	assert_int_equal(tv.tv_usec, 500000);
	tv = clock_timeval(999);
	assert_int_equal(tv.tv_sec, 0);
	assert_int_equal(tv.tv_usec, 999000);
	tv = clock_timeval(0);
	assert_int_equal(tv.tv_sec, 0);
	assert_int_equal(tv.tv_usec, 0);
}

static void test_mono_deadline(void **state)
{
	(void)state;
	for (long ms = 0; ms < 3000; ms += 250) {
		int64_t before = clock_mono_ms();
		struct timespec ts = clock_mono_deadline(ms);
		int64_t at = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

		assert_true(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L);
		assert_true(at >= before + ms);
		assert_true(at <= clock_mono_ms() + ms);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeval),
		cmocka_unit_test(test_mono_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
