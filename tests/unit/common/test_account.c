/* Staff accounts' checks and passwords (account.c, password.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "account.h"
#include "password.h"

static void test_login_role_name(void **state)
{
	(void)state;

	assert_true(account_login_valid("anna"));
	assert_true(account_login_valid("anna.rossi_2-b"));
	assert_false(account_login_valid(""));
	assert_false(account_login_valid("Anna"));
	assert_false(account_login_valid(".anna"));
	assert_false(account_login_valid("anna rossi"));
	assert_false(account_login_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	assert_true(account_role_valid("approver"));
	assert_false(account_role_valid("admin"));
	assert_true(account_name_valid("Niccolò D'Amico"));
	assert_false(account_name_valid(""));
	assert_false(account_name_valid("a\nb"));
	assert_false(account_name_valid("\xff"));
}

static void test_alert_parse(void **state)
{
	char addr[ACCOUNT_ALERT_MAX];
	const char *kind = NULL;
	(void)state;

	assert_int_equal(account_alert_parse("whatsapp:+39 333 1234567", &kind, addr), 0);
	assert_string_equal(kind, "whatsapp");
	assert_string_equal(addr, "+393331234567");
	assert_int_equal(account_alert_parse("telegram:-100123", &kind, addr), 0);
	assert_string_equal(kind, "telegram");
	assert_string_equal(addr, "-100123");
	assert_int_equal(account_alert_parse("telegram:abc", &kind, addr), -1);
	assert_int_equal(account_alert_parse("telegram:", &kind, addr), -1);
	assert_int_equal(account_alert_parse("sms:+393331234567", &kind, addr), -1);
	assert_int_equal(account_alert_parse("whatsapp:ciao", &kind, addr), -1);
}

static void test_password(void **state)
{
	char hash[PW_HASH_MAX];
	(void)state;

	assert_int_equal(pw_init(), 0);
	assert_int_equal(pw_hash("correct horse", 13, hash), 0);
	assert_memory_equal(hash, "$argon2id$", 10);
	assert_true(pw_verify(hash, "correct horse", 13));
	assert_false(pw_verify(hash, "correct horsE", 13));
	assert_false(pw_verify(NULL, "correct horse", 13));
	assert_false(pw_verify("$2y$10$notours", "correct horse", 13));
	assert_non_null(pw_weak("short", 5));
	assert_non_null(pw_weak("ten chars\0x", 11));
	assert_null(pw_weak("ten chars!", 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_role_name),
		cmocka_unit_test(test_alert_parse),
		cmocka_unit_test(test_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
