/* Channel kinds: names and values both ways, unknown ones refused, notice targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "channel_kind.h"

#define WA BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP
#define TG BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM

static void test_round_trip(void **state)
{
	static const channel_kind all[] = { WA, TG };
	(void)state;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		channel_kind k = BANDITORE__V1__CHANNEL_KIND__CHANNEL_UNSPECIFIED;
		assert_true(channel_kind_known(all[i]));
		assert_int_equal(channel_kind_parse(channel_kind_name(all[i]), &k), 0);
		assert_int_equal(k, all[i]);
	}
	assert_string_equal(channel_kind_name(WA), "whatsapp");
	assert_string_equal(channel_kind_name(TG), "telegram");
}

/* Nothing unknown is taken for WhatsApp (or anything else). */
static void test_unknown_refused(void **state)
{
	static const char *const bad[] = { "sms", "", "WhatsApp", "telegram ", "telegram_channel",
		                           NULL };
	channel_kind k = TG;
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(channel_kind_parse(bad[i], &k), -1);
		assert_int_equal(k, TG);   /* untouched */
	}
	assert_false(channel_kind_known(BANDITORE__V1__CHANNEL_KIND__CHANNEL_UNSPECIFIED));
	assert_false(channel_kind_known((channel_kind)7));
	assert_string_equal(channel_kind_name((channel_kind)7), "unknown");
	assert_null(channel_kind_post_target((channel_kind)7));
}

static void test_targets(void **state)
{
	(void)state;
	assert_null(channel_kind_post_target(WA));
	assert_string_equal(channel_kind_post_target(TG), "telegram_channel");
	assert_true(channel_target_ok("whatsapp"));
	assert_true(channel_target_ok("telegram"));
	assert_true(channel_target_ok("telegram_channel"));
	assert_false(channel_target_ok("whatsapp_channel"));
	assert_false(channel_target_ok("sms"));
	assert_false(channel_target_ok(""));
	assert_false(channel_target_ok(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_unknown_refused),
		cmocka_unit_test(test_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
