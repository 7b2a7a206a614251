/* The console's query parameters (api/console_params.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "api/console_params.h"

/* The literal of a parsed list, or "ERR:<field>" when refused. */
static char *topics_of(const char *s, bool channels)
{
	struct pgarr a = { 0 };
	struct editor_error err;
	char *out;
	int rc = channels ? console_channels_parse(s, &a, &err) : console_topics_parse(s, &a, &err);

	if (rc != 0) {
		pgarr_free(&a, 1);
		out = malloc(64);
		snprintf(out, 64, "ERR:%s", err.field);
		return out;
	}
	out = strdup(pgarr_end(&a));
	pgarr_free(&a, 1);
	return out;
}

static void expect_list(const char *s, bool channels, const char *want)
{
	char *got = topics_of(s, channels);

	assert_string_equal(got, want);
	free(got);
}

static void test_topics(void **state)
{
	(void)state;
	expect_list(NULL, false, "{}");
	expect_list("", false, "{}");
	expect_list("acqua", false, "{\"acqua\"}");
	expect_list("acqua,viabilità", false, "{\"acqua\",\"viabilità\"}");
	expect_list("a\"b", false, "{\"a\\\"b\"}");
	expect_list("acqua,", false, "ERR:topics");      /* an empty one */
	expect_list("acqua,acqua", false, "ERR:topics"); /* repeated */
	expect_list("a\nb", false, "ERR:topics");        /* not one line */
	expect_list("\xff", false, "ERR:topics");        /* not UTF-8 */
}

static void test_topics_at_most_32(void **state)
{
	char s[32 * 4 + 8] = "";
	(void)state;

	for (int i = 0; i < 33; i++)
		snprintf(s + strlen(s), sizeof(s) - strlen(s), "%s%c", i ? "," : "", 'A' + i);
	expect_list(s, false, "ERR:topics");
	s[strlen(s) - 2] = '\0'; /* 32 */
	{
		char *got = topics_of(s, false);
		assert_int_not_equal(strncmp(got, "ERR", 3), 0);
		free(got);
	}
}

static void test_channels(void **state)
{
	(void)state;
	expect_list(NULL, true, "{}");
	expect_list("whatsapp", true, "{\"whatsapp\"}");
	expect_list("whatsapp,telegram,telegram_channel", true,
	            "{\"whatsapp\",\"telegram\",\"telegram_channel\"}");
	expect_list("sms", true, "ERR:channels");
	expect_list("whatsapp,whatsapp", true, "ERR:channels");
	expect_list("WhatsApp", true, "ERR:channels");
}

static void test_days(void **state)
{
	struct editor_error err;
	int days;
	(void)state;

	assert_int_equal(console_days_parse(NULL, &days, &err), 0);
	assert_int_equal(days, 30);
	assert_int_equal(console_days_parse("1", &days, &err), 0);
	assert_int_equal(days, 1);
	assert_int_equal(console_days_parse("366", &days, &err), 0);
	assert_int_equal(days, 366);
	assert_int_equal(console_days_parse("367", &days, &err), -1);
	assert_string_equal(err.field, "days");
	assert_int_equal(console_days_parse("0", &days, &err), -1);
	assert_int_equal(console_days_parse("-5", &days, &err), -1);
	assert_int_equal(console_days_parse("+5", &days, &err), -1);
	assert_int_equal(console_days_parse("7d", &days, &err), -1);
	assert_int_equal(console_days_parse("", &days, &err), -1);
}

static void test_at_and_kind(void **state)
{
	struct editor_error err;
	long long at;
	char kind[16];
	(void)state;

	assert_int_equal(console_at_parse(NULL, 1234, &at, &err), 0);
	assert_int_equal(at, 1234);
	assert_int_equal(console_at_parse("2026-12-24T22:30:00+01:00", 0, &at, &err), 0);
	assert_int_equal(at, 1798147800000LL);
	assert_int_equal(console_at_parse("2026-12-24T22:30:00 01:00", 0, &at, &err), 0);
	assert_int_equal(at, 1798147800000LL);
	assert_int_equal(console_at_parse("2026-12-24T21:30:00Z", 0, &at, &err), 0);
	assert_int_equal(at, 1798147800000LL);
	assert_int_equal(
	    console_at_parse("2026-12-24T22:30:00 01:00 and much more text after it", 0, &at, &err),
	    -1);
	assert_int_equal(console_at_parse("domani", 0, &at, &err), -1);
	assert_string_equal(err.field, "at");
	assert_int_equal(console_kind_parse("telegram", kind, &err), 0);
	assert_string_equal(kind, "telegram");
	assert_int_equal(console_kind_parse("telegram_channel", kind, &err), -1);
	assert_int_equal(console_kind_parse(NULL, kind, &err), -1);
	assert_string_equal(err.field, "channel");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topics),      cmocka_unit_test(test_topics_at_most_32),
		cmocka_unit_test(test_channels),    cmocka_unit_test(test_days),
		cmocka_unit_test(test_at_and_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
