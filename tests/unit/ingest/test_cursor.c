/* Pagination cursor tokens (cursor.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/cursor.h"

#define ID "3f2b8c1e-6a4d-4f0e-9b1a-0c2d3e4f5a6b"

static void test_round_trip(void **state)
{
	struct cursor c = { 1763895600123456LL, ID }, back;
	char tok[CURSOR_MAX];
	(void)state;

	cursor_format(&c, tok);
	assert_string_equal(tok, "1763895600123456_" ID);
	assert_true(cursor_parse(tok, &back));
	assert_int_equal(back.micros, c.micros);
	assert_string_equal(back.id, ID);
}

static void test_uppercase_id_normalized(void **state)
{
	struct cursor c;
	(void)state;

	assert_true(cursor_parse("5_3F2B8C1E-6A4D-4F0E-9B1A-0C2D3E4F5A6B", &c));
	assert_string_equal(c.id, ID);
	assert_int_equal(c.micros, 5);
}

static void test_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"", "_", "123", "123_", "_" ID, "-1_" ID, "+1_" ID, " 1_" ID, "1 _" ID,
		"12a_" ID, "99999999999999999999_" ID, "1_" ID "x", "1_" ID "_2",
		"1_3f2b8c1e6a4d4f0e9b1a0c2d3e4f5a6b", "1_'; DROP TABLE notices; --",
	};
	struct cursor c = { 42, "unchanged" };
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cursor_parse(bad[i], &c))
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(c.micros, 42);
	assert_string_equal(c.id, "unchanged");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_uppercase_id_normalized),
		cmocka_unit_test(test_rejects_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
