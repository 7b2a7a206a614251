/* A sleep other threads can cut short (sleeper.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"
#include "sleeper.h"

static void test_sleeps_out(void **state)
{
	struct sleeper s;
	int64_t t0;
	(void)state;

	sleeper_init(&s);
	t0 = clock_mono_ms();
	assert_false(sleeper_sleep(&s, 30));
	assert_true(clock_mono_ms() - t0 >= 30);
	sleeper_destroy(&s);
}

static void test_wake_used_once(void **state)
{
	struct sleeper s;
	int64_t t0;
	(void)state;

	sleeper_init(&s);
	sleeper_wake(&s);   /* before the sleep: the next one returns at once */
	t0 = clock_mono_ms();
	assert_false(sleeper_sleep(&s, 10000));
	assert_true(clock_mono_ms() - t0 < 5000);
	t0 = clock_mono_ms();
	assert_false(sleeper_sleep(&s, 20));   /* used up: this one sleeps */
	assert_true(clock_mono_ms() - t0 >= 20);
	sleeper_wake(&s);
	assert_false(sleeper_round(&s));   /* a round forgets it */
	t0 = clock_mono_ms();
	assert_false(sleeper_sleep(&s, 20));
	assert_true(clock_mono_ms() - t0 >= 20);
	sleeper_destroy(&s);
}

static void *stopper(void *arg)
{
	clock_sleep_ms(20);
	sleeper_stop(arg);
	return NULL;
}

static void test_stop(void **state)
{
	struct sleeper s;
	pthread_t t;
	int64_t t0;
	(void)state;

	sleeper_init(&s);
	assert_int_equal(pthread_create(&t, NULL, stopper, &s), 0);
	t0 = clock_mono_ms();
	assert_true(sleeper_sleep(&s, 10000));   /* cut short by the other thread */
	assert_true(clock_mono_ms() - t0 < 5000);
	pthread_join(t, NULL);
	assert_true(sleeper_sleep(&s, 10000));   /* and every later one */
	assert_true(sleeper_round(&s));
	sleeper_destroy(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sleeps_out),
		cmocka_unit_test(test_wake_used_once),
		cmocka_unit_test(test_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
