/* The fake's rate limiter: token buckets per sender and per recipient, and its knobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "../../../tests/fakes/fake-whatsapp/errors.h"
#include "../../../tests/fakes/fake-whatsapp/knobs.h"
#include "../../../tests/fakes/fake-whatsapp/limits.h"

#define T0 1700000000000LL

/* Offered `offered` msg/s evenly for `seconds`; returns how many the bucket let through. */
static long drive(struct fk_bucket *b, double rate, double burst, double offered, int seconds)
{
	long ok = 0, n = (long)(offered * seconds);

	for (long i = 0; i < n; i++)
		ok += fk_bucket_take(b, rate, burst, T0 + (int64_t)((double)i * 1000.0 / offered));
	return ok;
}

/* At or under the rate everything passes; over it, the rate (plus the burst) passes. */
static void test_bucket_rate(void **state)
{
	struct fk_bucket b = { 0 };
	long ok;
	(void)state;

	assert_int_equal(drive(&b, 200, 20, 200, 10), 2000);
	memset(&b, 0, sizeof(b));
	assert_int_equal(drive(&b, 200, 20, 150, 10), 1500);
	memset(&b, 0, sizeof(b));
	ok = drive(&b, 200, 20, 1000, 10);        /* five times too fast */
	assert_true(ok >= 2000 && ok <= 2000 + 20 + 1);
	memset(&b, 0, sizeof(b));
	assert_int_equal(drive(&b, 0, 0, 5000, 2), 10000);   /* rate 0: no limit */
}

/* A burst is allowed up to its size at once, then the bucket refills at the rate. */
static void test_bucket_burst(void **state)
{
	struct fk_bucket b = { 0 };
	int ok = 0;
	(void)state;

	for (int i = 0; i < 50; i++)
		ok += fk_bucket_take(&b, 100, 10, T0);
	assert_int_equal(ok, 10);
	assert_false(fk_bucket_take(&b, 100, 10, T0 + 9));      /* 0.9 token */
	assert_true(fk_bucket_take(&b, 100, 10, T0 + 10));      /* one more after 10 ms */
	/* A long pause saves at most `burst` tokens. */
	ok = 0;
	for (int i = 0; i < 50; i++)
		ok += fk_bucket_take(&b, 100, 10, T0 + 60000);
	assert_int_equal(ok, 10);
	assert_true(fk_bucket_default_burst(200) == 50 && fk_bucket_default_burst(3) == 1);
}

/* Senders are limited separately; the pair rate per recipient answers 131056. */
static void test_senders_and_pairs(void **state)
{
	struct limits *lm = limits_new();
	struct lim_sender *a = limits_sender(lm, "1"), *b = limits_sender(lm, "2");
	int a_ok = 0, b_ok = 0;
	(void)state;

	assert_ptr_equal(limits_sender(lm, "1"), a);
	for (int i = 0; i < 10; i++) {
		a_ok += limits_sender_take(lm, a, 5, 5, T0) == 0;
		b_ok += limits_sender_take(lm, b, 5, 5, T0) == 0;
	}
	assert_int_equal(a_ok, 5);
	assert_int_equal(b_ok, 5);
	assert_int_equal(limits_sender_take(lm, a, 5, 5, T0), WAERR_THROUGHPUT);
	assert_int_equal(a->throttled, 6);
	/* One message every 6 s to the same recipient, bursts of 2. */
	assert_int_equal(limits_pair_take(lm, "393331", 6000, 2, T0), 0);
	assert_int_equal(limits_pair_take(lm, "393331", 6000, 2, T0 + 1), 0);
	assert_int_equal(limits_pair_take(lm, "393331", 6000, 2, T0 + 2), WAERR_PAIR_RATE);
	assert_int_equal(limits_pair_take(lm, "393332", 6000, 2, T0 + 2), 0);   /* another citizen */
	assert_int_equal(limits_pair_take(lm, "393331", 6000, 2, T0 + 6001), 0);
	assert_int_equal(limits_pair_take(lm, "393331", 0, 2, T0 + 6002), 0);  /* off */
	limits_free(lm);
}

/* POST /_fake/config: partial updates, invalid tokens, refusals change nothing. */
static void test_knobs(void **state)
{
	struct limits *lm = limits_new();
	struct knobs kn = { .rate = 80, .pair_burst = 3 };
	char err[256];
	json_t *in, *out;
	(void)state;

	in = json_loads("{\"rate\":200,\"latency_ms\":5,\"invalid_tokens\":[\"42\"]}", 0, NULL);
	assert_int_equal(knobs_apply(&kn, lm, in, err, sizeof(err)), 0);
	json_decref(in);
	assert_true(kn.rate == 200 && kn.latency_ms == 5 && kn.pair_burst == 3);
	assert_true(knobs_burst(&kn) == 50);
	assert_true(limits_sender(lm, "42")->invalid_token);
	assert_false(limits_sender(lm, "43")->invalid_token);
	for (int i = 0; i < 100; i++)
		assert_true(knobs_delay_ms(&kn) == 5);
	in = json_loads("{\"rate\":-1,\"invalid_tokens\":[]}", 0, NULL);
	assert_int_equal(knobs_apply(&kn, lm, in, err, sizeof(err)), -1);
	json_decref(in);
	assert_true(kn.rate == 200 && limits_sender(lm, "42")->invalid_token);
	in = json_loads("{\"speed\":1}", 0, NULL);
	assert_int_equal(knobs_apply(&kn, lm, in, err, sizeof(err)), -1);
	json_decref(in);
	in = json_loads("{\"invalid_tokens\":[],\"jitter_ms\":10}", 0, NULL);
	assert_int_equal(knobs_apply(&kn, lm, in, err, sizeof(err)), 0);
	json_decref(in);
	assert_false(limits_sender(lm, "42")->invalid_token);
	for (int i = 0; i < 100; i++) {
		long d = knobs_delay_ms(&kn);
		assert_true(d >= 5 && d <= 15);
	}
	knobs_set_invalid_csv(lm, "7, 8");
	out = knobs_json(&kn, lm);
	assert_int_equal(json_array_size(json_object_get(out, "invalid_tokens")), 2);
	json_decref(out);
	limits_free(lm);
}

/* Knob text that must be refused; kn must not change. */
static void refused(struct knobs *kn, struct limits *lm, const char *text)
{
	struct knobs before = *kn;
	char err[256] = "";
	json_t *in = json_loads(text, 0, NULL);

	assert_int_equal(knobs_apply(kn, lm, in, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	assert_memory_equal(&before, kn, sizeof(before));
	json_decref(in);
}

/* status_webhooks is a boolean, status_delay_ms 0..60000; both shown by knobs_json. */
static void test_status_knobs(void **state)
{
	struct limits *lm = limits_new();
	struct knobs kn = { .rate = 80, .status_delay_ms = 100 };
	char err[256];
	json_t *in, *out;
	(void)state;

	in = json_loads("{\"status_webhooks\":true}", 0, NULL);
	assert_int_equal(knobs_apply(&kn, lm, in, err, sizeof(err)), 0);
	json_decref(in);
	assert_true(kn.status_webhooks);
	assert_int_equal(kn.status_delay_ms, 100);
	in = json_loads("{\"status_delay_ms\":0,\"rate\":5}", 0, NULL);
	assert_int_equal(knobs_apply(&kn, lm, in, err, sizeof(err)), 0);
	json_decref(in);
	assert_true(kn.status_webhooks && kn.status_delay_ms == 0 && kn.rate == 5);
	refused(&kn, lm, "{\"status_webhooks\":1}");
	refused(&kn, lm, "{\"status_webhooks\":\"yes\"}");
	refused(&kn, lm, "{\"status_delay_ms\":60001}");
	refused(&kn, lm, "{\"status_delay_ms\":-1}");
	refused(&kn, lm, "{\"status_webhooks\":false,\"status_delay_ms\":\"1\"}");
	in = json_loads("{\"status_webhooks\":false,\"status_delay_ms\":60000}", 0, NULL);
	assert_int_equal(knobs_apply(&kn, lm, in, err, sizeof(err)), 0);
	json_decref(in);
	out = knobs_json(&kn, lm);
	assert_true(json_is_false(json_object_get(out, "status_webhooks")));
	assert_int_equal(json_integer_value(json_object_get(out, "status_delay_ms")), 60000);
	json_decref(out);
	limits_free(lm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_rate),
		cmocka_unit_test(test_bucket_burst),
		cmocka_unit_test(test_senders_and_pairs),
		cmocka_unit_test(test_knobs),
		cmocka_unit_test(test_status_knobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
