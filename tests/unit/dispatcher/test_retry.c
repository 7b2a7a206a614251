/* The retry policy (retry.c): every decision from a table, and the delays' bounds, cap, growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "retry.h"

#define BACKOFF_BASE_MS 200
#define BACKOFF_CAP_MS  10000

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
			long got = retry_backoff_ms(f, BACKOFF_BASE_MS, BACKOFF_CAP_MS, r);
			if (got < d / 2 || got > d)
				fail_msg("failures %u rnd %u: %ld outside [%ld, %ld]", f, r, got, d / 2, d);
		}
	}
	/* First retry: 100..200 ms. */
	assert_int_equal(retry_backoff_ms(1, 200, 10000, 0), 100);
	assert_int_equal(retry_backoff_ms(1, 200, 10000, 100), 200);
	assert_int_equal(retry_backoff_ms(1, 200, 10000, 101), 100);
}

static void test_cap(void **state)
{
	static const unsigned fs[] = { 7, 8, 10, 31, 32, 33, 64, 1000, 0xffffffffu };
	(void)state;

	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		for (uint32_t r = 0; r < 20000; r += 997) {
			long got = retry_backoff_ms(fs[i], 200, 10000, r);
			assert_true(got <= 10000);
			assert_true(got >= 5000);
		}
	}
	/* The cap is reached exactly, never exceeded. */
	assert_int_equal(retry_backoff_ms(100, 200, 10000, 5000), 10000);
	/* A base above the cap is held to the cap. */
	assert_true(retry_backoff_ms(1, 50000, 10000, 0xffffffff) <= 10000);
}

static void test_growth(void **state)
{
	long prev = 0;
	(void)state;

	/* The floor doubles with every failure until the cap: 100, 200, 400, ... 5000. */
	for (unsigned f = 1; f <= 12; f++) {
		long lo = retry_backoff_ms(f, 200, 10000, 0);
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

static uint32_t rnd_value;   /* what the next call of rnd_bits() gives */
static unsigned rnd_calls;

static uint32_t rnd_bits(void)
{
	rnd_calls++;
	return rnd_value;
}

/* One row: an answer, the job's attempts and age, the random bits; the decision. */
struct decide_case {
	const char        *what;
	enum verdict_class cls;
	long               min_delay_ms;
	unsigned           attempts;
	int64_t            age_ms;      /* now - first attempt */
	uint32_t           rnd;
	enum retry_act     act;
	int64_t            delay_ms;    /* at_ms - now (RETRY_AT) */
	const char        *reason;      /* RETRY_DEAD */
};

/* max 6 attempts, dead after an hour, 1 s doubling up to 60 s */
static const struct retry_policy policy = { 6, 3600000, 1000, 60000 };

static const struct decide_case decide_cases[] = {
	{ "sent is final", VERDICT_SENT, 0, 1, 0, 0, RETRY_NONE, 0, NULL },
	{ "permanent is final", VERDICT_PERMANENT, 0, 1, 0, 0, RETRY_NONE, 0, NULL },
	{ "halt holds the job", VERDICT_HALT, 0, 1, 0, 0, RETRY_HOLD, 0, NULL },
	{ "halt never kills", VERDICT_HALT, 0, 9, 7200000, 0, RETRY_HOLD, 0, NULL },
	{ "first retry, low jitter", VERDICT_TRANSIENT, 0, 1, 0, 0, RETRY_AT, 500, NULL },
	{ "first retry, high jitter", VERDICT_TRANSIENT, 0, 1, 0, 500, RETRY_AT, 1000, NULL },
	{ "first retry, jitter wraps", VERDICT_TRANSIENT, 0, 1, 0, 501, RETRY_AT, 500, NULL },
	{ "third attempt doubles twice", VERDICT_TRANSIENT, 0, 3, 5000, 0, RETRY_AT, 2000, NULL },
	{ "fifth attempt", VERDICT_TRANSIENT, 0, 5, 20000, 8000, RETRY_AT, 16000, NULL },
	{ "the provider's minimum wins", VERDICT_TRANSIENT, 6000, 1, 0, 0, RETRY_AT, 6000, NULL },
	{ "retry_after wins", VERDICT_TRANSIENT, 17000, 2, 1000, 2000, RETRY_AT, 17000, NULL },
	{ "backoff over the minimum", VERDICT_TRANSIENT, 100, 1, 0, 0, RETRY_AT, 500, NULL },
	{ "last attempt used", VERDICT_TRANSIENT, 0, 6, 30000, 0, RETRY_DEAD, 0,
	  "transient_exhausted" },
	{ "more than allowed", VERDICT_TRANSIENT, 0, 7, 30000, 0, RETRY_DEAD, 0,
	  "transient_exhausted" },
	{ "exactly max age", VERDICT_TRANSIENT, 0, 2, 3600000, 0, RETRY_AT, 1000, NULL },
	{ "older than max age", VERDICT_TRANSIENT, 0, 2, 3600001, 0, RETRY_DEAD, 0,
	  "transient_exhausted" },
	{ "exhausted with a minimum", VERDICT_TRANSIENT, 6000, 6, 0, 0, RETRY_DEAD, 0,
	  "transient_exhausted" },
};

static void test_decide(void **state)
{
	const int64_t now = 1750000000000;
	(void)state;

	for (size_t i = 0; i < sizeof(decide_cases) / sizeof(decide_cases[0]); i++) {
		const struct decide_case *c = &decide_cases[i];
		struct verdict v = { .cls = c->cls, .min_delay_ms = c->min_delay_ms };
		struct retry_decision d;

		rnd_value = c->rnd;
		rnd_calls = 0;
		d = retry_decide(&policy, &v, c->attempts, now - c->age_ms, now, rnd_bits);
		if (d.act != c->act)
			fail_msg("%s: act %d, want %d", c->what, (int)d.act, (int)c->act);
		if (c->act == RETRY_AT && d.at_ms - now != c->delay_ms)
			fail_msg("%s: delay %lld, want %lld", c->what, (long long)(d.at_ms - now),
			         (long long)c->delay_ms);
		if ((c->reason == NULL) != (d.reason == NULL) ||
		    (c->reason != NULL && strcmp(c->reason, d.reason) != 0))
			fail_msg("%s: reason %s", c->what, d.reason ? d.reason : "(none)");
		/* Random bits are drawn for a delay only. */
		if (rnd_calls != (c->act == RETRY_AT))
			fail_msg("%s: rnd called %u times", c->what, rnd_calls);
	}
}

/* The delay is capped: the 9th attempt of 10 waits 30..60 s, not 256 s. */
static void test_decide_cap(void **state)
{
	const struct retry_policy p = { 10, 3600000, 1000, 60000 };
	struct verdict v = { .cls = VERDICT_TRANSIENT };
	struct retry_decision d;
	(void)state;

	rnd_value = 0;
	d = retry_decide(&p, &v, 9, 0, 100000, rnd_bits);
	assert_int_equal(d.act, RETRY_AT);
	assert_int_equal(d.at_ms, 100000 + 30000);
	rnd_value = 30000;
	d = retry_decide(&p, &v, 9, 0, 100000, rnd_bits);
	assert_int_equal(d.at_ms, 100000 + 60000);
}

/* Where a job not tried waits, and a held one. */
static void test_due_and_held(void **state)
{
	static const struct {
		int64_t        not_before;   /* relative to now; INT64_MIN: none (0) */
		enum retry_act act;
	} cases[] = {
		{ INT64_MIN, RETRY_NONE }, { -5, RETRY_NONE },     { 0, RETRY_NONE },
		{ 1, RETRY_KEEP },         { RETRY_SOON_MS, RETRY_KEEP },
		{ RETRY_SOON_MS + 1, RETRY_DEFER }, { 86400000, RETRY_DEFER },
	};
	const int64_t now = 1750000000000;
	struct retry_decision d;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t nb = cases[i].not_before == INT64_MIN ? 0 : now + cases[i].not_before;
		d = retry_due(nb, now);
		if (d.act != cases[i].act)
			fail_msg("not before now%+lld: act %d, want %d", (long long)cases[i].not_before,
			         (int)d.act, (int)cases[i].act);
		if (d.act != RETRY_NONE)
			assert_int_equal(d.at_ms, nb);
	}
	d = retry_held(now + 86400000);
	assert_int_equal(d.act, RETRY_PARK);
	assert_int_equal(d.at_ms, now + 86400000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_decide_cap),
		cmocka_unit_test(test_due_and_held),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
