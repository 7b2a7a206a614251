/* "Invia una prova a me": the title and the states allowed (test_send.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "api/test_send.h"

static void test_title(void **state)
{
	char out[64], big[200];

	(void)state;
	test_send_title(out, sizeof(out), "Acqua sospesa");
	assert_string_equal(out, "[PROVA] Acqua sospesa");
	memset(big, 'a', sizeof(big) - 3);
	memcpy(big + sizeof(big) - 3, "\xc3\xa8", 3);   /* ends with è */
	test_send_title(out, sizeof(out), big);
	assert_int_equal(strncmp(out, TEST_SEND_PREFIX, strlen(TEST_SEND_PREFIX)), 0);
	assert_true(strlen(out) < sizeof(out));
}

static void test_allowed(void **state)
{
	(void)state;
	assert_true(test_send_allowed("draft"));
	assert_true(test_send_allowed("submitted"));
	assert_true(test_send_allowed("rejected"));
	assert_false(test_send_allowed("approved"));
	assert_false(test_send_allowed("sent"));
	assert_false(test_send_allowed("cancelled"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_allowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
