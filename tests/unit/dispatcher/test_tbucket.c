/* Token buckets and the adaptive rate: smooth output, waits, holds, AIMD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arate.h"
#include "tbucket.h"

/* Sends as fast as the bucket allows for `ms`, counting them. */
static int drain_for(struct tbucket *tb, int64_t from, int64_t ms)
{
	int n = 0;

	for (int64_t t = from; t < from + ms; t++)
		while (tb_take(tb, t) == 0)
			n++;
	return n;
}

static void test_rate_held(void **state)
{
	struct tbucket tb;
	(void)state;

	tb_init(&tb, 80, 2, 0);
	/* 10 s at 80/s: 800 plus the initial burst, never more. */
	int n = drain_for(&tb, 0, 10000);
	assert_in_range(n, 800, 802);
}

static void test_smooth(void **state)
{
	struct tbucket tb;
	int max_in_100ms = 0;
	(void)state;

	tb_init(&tb, 200, 4, 0);
	(void)drain_for(&tb, 0, 1);   /* spend the initial burst */
	for (int64_t w = 1; w < 5000; w += 100) {
		int n = drain_for(&tb, w, 100);
		if (n > max_in_100ms)
			max_in_100ms = n;
	}
	/* 200/s is 20 per 100 ms: no bunching beyond the small burst. */
	assert_in_range(max_in_100ms, 19, 24);
}

static void test_wait_value(void **state)
{
	struct tbucket tb;
	(void)state;

	tb_init(&tb, 10, 1, 1000);
	assert_int_equal(tb_take(&tb, 1000), 0);
	/* Next token in 100 ms; nothing taken while waiting. */
	assert_int_equal(tb_take(&tb, 1000), 100);
	assert_int_equal(tb_wait(&tb, 1050), 50);
	assert_int_equal(tb_take(&tb, 1100), 0);
}

static void test_hold(void **state)
{
	struct tbucket tb;
	(void)state;

	tb_init(&tb, 30, 3, 0);
	tb_hold(&tb, 0, 5000);   /* Telegram retry_after 5 */
	assert_true(tb_wait(&tb, 0) >= 5000);
	assert_true(tb_take(&tb, 4999) > 0);
	assert_true(tb_wait(&tb, 5000) > 0);   /* empty at the end of the hold ... */
	assert_int_equal(tb_take(&tb, 5034), 0); /* ... one token 1/30 s later */
}

static void test_set_rate(void **state)
{
	struct tbucket tb;
	(void)state;

	tb_init(&tb, 100, 10, 0);
	tb_set(&tb, 10, 1, 0);
	assert_true(tb.tokens <= 1.0);
	assert_int_equal(drain_for(&tb, 0, 1000), 10);
}

static void test_arate_halves_once_per_holdoff(void **state)
{
	struct arate ar;
	(void)state;

	ar_init(&ar, 80, 0);
	assert_true(ar_throttled(&ar, 100));
	assert_true(ar.cur == 40);
	/* The other requests in flight answer 130429 too: one cut only. */
	assert_false(ar_throttled(&ar, 150));
	assert_false(ar_throttled(&ar, 100 + AR_HOLDOFF_MS - 1));
	assert_true(ar.cur == 40);
	assert_true(ar_throttled(&ar, 100 + AR_HOLDOFF_MS));
	assert_true(ar.cur == 20);
}

static void test_arate_floor(void **state)
{
	struct arate ar;
	(void)state;

	ar_init(&ar, 1000, 0);
	for (int i = 1; i < 50; i++)
		(void)ar_throttled(&ar, (int64_t)i * AR_HOLDOFF_MS);
	assert_true(ar.cur >= ar.min);
	assert_true(ar.cur > 0);
}

static void test_arate_probes_up(void **state)
{
	struct arate ar;
	int64_t t = 0;
	(void)state;

	ar_init(&ar, 100, 0);
	(void)ar_throttled(&ar, 1000);
	assert_true(ar.cur == 50);
	assert_false(ar_tick(&ar, 1000 + AR_QUIET_MS - 1));   /* not quiet long enough */
	assert_true(ar_tick(&ar, 1000 + AR_QUIET_MS));
	assert_true(ar.cur == 60);                             /* additive: +max/10 */
	assert_false(ar_tick(&ar, 1000 + AR_QUIET_MS + 10));   /* one step per quiet period */
	for (t = 1000 + 2 * AR_QUIET_MS; ar.cur < ar.max; t += AR_QUIET_MS)
		assert_true(ar_tick(&ar, t));
	assert_true(ar.cur == 100);
	assert_false(ar_tick(&ar, t + AR_QUIET_MS));           /* never above the configured rate */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_held),
		cmocka_unit_test(test_smooth),
		cmocka_unit_test(test_wait_value),
		cmocka_unit_test(test_hold),
		cmocka_unit_test(test_set_rate),
		cmocka_unit_test(test_arate_halves_once_per_holdoff),
		cmocka_unit_test(test_arate_floor),
		cmocka_unit_test(test_arate_probes_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
