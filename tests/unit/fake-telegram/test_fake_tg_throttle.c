/* The fake Bot API's flood limits: per bot and per chat, retry_after in seconds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "../../../tests/fakes/fake-telegram/throttle.h"

#define T0 1700000000000LL

/* 30 msg/s per bot: a second of 100 msg/s to many chats lets about 30 (+ burst) through. */
static void test_bot_rate(void **state)
{
	struct throttle_cfg cfg = { .rate = 30 };
	struct throttle *th = throttle_new(&cfg);
	char chat[16];
	int ok = 0;
	(void)state;

	for (int i = 0; i < 1000; i++) {       /* 10 s at 100/s */
		snprintf(chat, sizeof(chat), "%d", 1000 + i);
		ok += throttle_take(th, chat, T0 + i * 10) == 0;
	}
	assert_true(ok >= 300 && ok <= 300 + 8 + 1);
	assert_int_equal(throttle_count(th), 1000 - ok);
	throttle_free(th);
}

/* 1 msg/s per chat with a burst of 2: the third message at once waits a second. */
static void test_chat_rate(void **state)
{
	struct throttle_cfg cfg = { .chat_rate = 1, .chat_burst = 2 };
	struct throttle *th = throttle_new(&cfg);
	(void)state;

	assert_int_equal(throttle_take(th, "42", T0), 0);
	assert_int_equal(throttle_take(th, "42", T0 + 1), 0);
	assert_int_equal(throttle_take(th, "42", T0 + 2), 1);   /* retry after 1 s */
	assert_int_equal(throttle_take(th, "43", T0 + 2), 0);   /* another chat */
	assert_int_equal(throttle_take(th, "42", T0 + 1002), 0);
	throttle_free(th);
}

/* retry_after counts whole seconds to the next token; knobs change at run time. */
static void test_retry_after_and_knobs(void **state)
{
	struct throttle_cfg cfg = { .chat_rate = 0.2, .chat_burst = 1 };
	struct throttle *th = throttle_new(&cfg);
	char err[128], small[16];
	json_t *in, *out;
	(void)state;

	assert_int_equal(throttle_take(th, "7", T0), 0);
	assert_int_equal(throttle_take(th, "7", T0 + 100), 5);   /* one every 5 s */
	in = json_loads("{\"chat_rate\":0}", 0, NULL);
	assert_int_equal(throttle_apply(th, in, err, sizeof(err)), 0);
	json_decref(in);
	assert_int_equal(throttle_take(th, "7", T0 + 200), 0);   /* limit off */
	in = json_loads("{\"speed\":3}", 0, NULL);
	assert_int_equal(throttle_apply(th, in, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown knob \"speed\" (known: rate burst chat_rate chat_burst)");
	assert_int_equal(throttle_apply(th, in, small, sizeof(small)), -1);   /* cut, not overrun */
	assert_int_equal(strlen(small), sizeof(small) - 1);
	json_decref(in);
	in = json_loads("{\"rate\":-1}", 0, NULL);
	assert_int_equal(throttle_apply(th, in, err, sizeof(err)), -1);
	json_decref(in);
	out = throttle_json(th);
	assert_int_equal(json_integer_value(json_object_get(out, "throttled")), 1);
	json_decref(out);
	throttle_free(th);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bot_rate),
		cmocka_unit_test(test_chat_rate),
		cmocka_unit_test(test_retry_after_and_knobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
