/* SHA-256, HMAC-SHA256 (RFC 4231 vectors), constant-time compare, ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "crypto.h"

static void test_sha256_vector(void **state)
{
	char out[SHA256_HEX_LEN + 1];
	(void)state;

	sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_hmac_rfc4231_case2(void **state)
{
	char out[SHA256_HEX_LEN + 1];
	const char *data = "what do ya want for nothing?";
	(void)state;

	hmac_sha256_hex("Jefe", 4, data, strlen(data), out);
	assert_string_equal(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_ct_equal(void **state)
{
	(void)state;
	assert_true(ct_equal("abc", 3, "abc", 3));
	assert_false(ct_equal("abc", 3, "abd", 3));
	assert_false(ct_equal("abc", 3, "abcd", 4));
	assert_true(ct_equal("", 0, "", 0));
}

static void test_uuid_shape_and_uniqueness(void **state)
{
	char a[UUID_STR_LEN + 1], b[UUID_STR_LEN + 1];
	(void)state;

	uuid_v4(a);
	uuid_v4(b);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[8], '-');
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	assert_string_not_equal(a, b);
}

static void test_random_hex(void **state)
{
	char out[2 * 100 + 1];
	(void)state;

	random_hex(out, 100);
	assert_int_equal(strlen(out), 200);
	assert_int_equal(strspn(out, "0123456789abcdef"), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vector),
		cmocka_unit_test(test_hmac_rfc4231_case2),
		cmocka_unit_test(test_ct_equal),
		cmocka_unit_test(test_uuid_shape_and_uniqueness),
		cmocka_unit_test(test_random_hex),
	};
	return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
