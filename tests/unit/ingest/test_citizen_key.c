/* Keyed hashes standing for citizens' addresses (citizen_key.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/citizen_key.h"

static void test_known_value(void **state)
{
	char hash[CK_HASH_HEX + 1];
	char *key;
	(void)state;

	/* printf %s +393331234567 | openssl dgst -sha256 -hmac banditore-test-secret | cut -c1-32 */
	ck_set_secret("banditore-test-secret", strlen("banditore-test-secret"));
	ck_hash("+393331234567", hash);
	assert_string_equal(hash, "a4c78bdb8f02e082140d419afe285c8f");
	key = ck_message_key(7, "+393331234567");
	assert_string_equal(key, "7/a4c78bdb8f02e082140d419afe285c8f");
	free(key);
}

static void test_secret_matters(void **state)
{
	char a[CK_HASH_HEX + 1], b[CK_HASH_HEX + 1], c[CK_HASH_HEX + 1];
	(void)state;

	ck_set_secret("one", 3);
	ck_hash("+393331234567", a);
	ck_hash("+393331234568", c);
	ck_set_secret("two", 3);
	ck_hash("+393331234567", b);
	assert_string_not_equal(a, b);   /* another secret, another key */
	assert_string_not_equal(a, c);   /* another number, another key */
	ck_set_secret("one", 3);
	ck_hash("+393331234567", b);
	assert_string_equal(a, b);       /* the same citizen, the same key */
	assert_int_equal(strlen(a), CK_HASH_HEX);
	assert_int_equal(strspn(a, "0123456789abcdef"), CK_HASH_HEX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_value),
		cmocka_unit_test(test_secret_matters),
	};
	return cmocka_run_group_tests_name("citizen_key", tests, NULL, NULL);
}
