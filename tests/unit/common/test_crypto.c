/* SHA-256, HMAC-SHA256 (RFC 4231 vectors), constant-time compare, ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
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

static int cmp_uuid(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Many ids (across several refills of the random pool): all well formed, none twice. */
static void test_uuid_shape_and_uniqueness(void **state)
{
	enum { N = 2000 };
	static char ids[N][UUID_STR_LEN + 1];
	(void)state;

	for (size_t i = 0; i < N; i++) {
		const char *a = ids[i];
		uuid_v4(ids[i]);
		assert_int_equal(strlen(a), 36);
		assert_true(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
		assert_int_equal(strspn(a, "0123456789abcdef-"), 36);
		assert_int_equal(a[14], '4');
		assert_non_null(strchr("89ab", a[19]));
	}
	qsort(ids, N, sizeof(ids[0]), cmp_uuid);
	for (size_t i = 1; i < N; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
}

static void test_random_hex(void **state)
{
	char out[2 * 100 + 1];
	(void)state;

	random_hex(out, 100);
	assert_int_equal(strlen(out), 200);
	assert_int_equal(strspn(out, "0123456789abcdef"), 200);
}

/* Only the 8-4-4-4-12 shape is a UUID; uuid_parse gives it back in lowercase. */
static void test_uuid_parse(void **state)
{
	char out[UUID_STR_LEN + 1];
	(void)state;

	assert_true(uuid_parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427", out));
	assert_string_equal(out, "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
	assert_true(uuid_parse("1B4E28BA-2FA1-11D2-883F-0016D3CCA427", out));
	assert_string_equal(out, "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
	assert_false(uuid_parse("1b4e28ba-2fa1-11d2-883f-0016d3cca42", out));
	assert_false(uuid_parse("1b4e28ba-2fa1-11d2-883f-0016d3cca4277", out));
	assert_false(uuid_parse("1b4e28ba2fa1-11d2-883f-0016d3cca4277", out));
	assert_false(uuid_parse("1b4e28ba-2fa1-11d2-883f-0016d3cca42g", out));
	assert_false(uuid_parse("../../../../etc/passwd-000000000000", out));
	assert_false(uuid_parse("", out));
	assert_true(uuid_valid("0b5c6f3e-1d2a-4c8b-9e7f-123456789abc"));
	assert_true(uuid_valid("0B5C6F3E-1D2A-4C8B-9E7F-123456789ABC"));
	assert_false(uuid_valid("0b5c6f3e-1d2a-4c8b-9e7f-123456789ab"));
	assert_false(uuid_valid("0b5c6f3e11d2a-4c8b-9e7f-123456789abc"));
	assert_false(uuid_valid(""));
	assert_false(uuid_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vector),
		cmocka_unit_test(test_hmac_rfc4231_case2),
		cmocka_unit_test(test_ct_equal),
		cmocka_unit_test(test_uuid_shape_and_uniqueness),
		cmocka_unit_test(test_random_hex),
		cmocka_unit_test(test_uuid_parse),
	};
	return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
