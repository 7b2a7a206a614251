/*
 * PostgreSQL text parameters: array literals (escaping, NULLs, integers)
 * and the checks that keep bad event values out of statements.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pgtext.h"

static void test_array_escapes(void **state)
{
	struct pgtext a;
	(void)state;
	pgtext_init(&a);
	pgtext_add(&a, "wamid.1");
	pgtext_add(&a, "a \"quoted\" \\ back,slash {x}");
	pgtext_add(&a, NULL);
	assert_string_equal(pgtext_end(&a), "{\"wamid.1\",\"a \\\"quoted\\\" \\\\ back,slash {x}\",NULL}");
	pgtext_free(&a);
}

static void test_array_grows_and_ints(void **state)
{
	struct pgtext a;
	char big[3000];
	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	pgtext_init(&a);
	pgtext_add_int(&a, 131026);
	pgtext_add(&a, big);
	pgtext_add_int(&a, -1);
	pgtext_end(&a);
	assert_int_equal(strlen(a.buf), 2 + 6 + 1 + sizeof(big) + 1 + 1 + 2);
	assert_memory_equal(a.buf, "{131026,\"", 9);
	assert_string_equal(a.buf + strlen(a.buf) - 4, "\",-1}" + 1);
	pgtext_free(&a);
}

static void test_empty_and_filtered(void **state)
{
	char *items[] = { "whatsapp", "sms", "telegram_channel" };
	struct pgtext a;
	(void)state;
	pgtext_array(&a, items, 0, NULL);
	assert_string_equal(a.buf, "{}");
	pgtext_free(&a);
	pgtext_array(&a, items, 3, pgtext_channel_ok);
	assert_string_equal(a.buf, "{\"whatsapp\",\"telegram_channel\"}");
	pgtext_free(&a);
}

static void test_checks(void **state)
{
	(void)state;
	assert_string_equal(pgtext_category("weather"), "weather");
	assert_string_equal(pgtext_category("'; DROP TABLE notices"), "other");
	assert_string_equal(pgtext_category(NULL), "other");
	assert_true(pgtext_uuid_ok("0b5c6f3e-1d2a-4c8b-9e7f-123456789abc"));
	assert_false(pgtext_uuid_ok("0b5c6f3e-1d2a-4c8b-9e7f-123456789ab"));
	assert_false(pgtext_uuid_ok("0b5c6f3e11d2a-4c8b-9e7f-123456789abc"));
	assert_false(pgtext_uuid_ok(""));
	assert_false(pgtext_uuid_ok(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array_escapes),
		cmocka_unit_test(test_array_grows_and_ints),
		cmocka_unit_test(test_empty_and_filtered),
		cmocka_unit_test(test_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
