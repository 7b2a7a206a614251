/* E.164 normalization and redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "phone.h"

struct phone_case {
	const char *in;
	const char *want;   /* NULL: must be rejected */
};

static const struct phone_case cases[] = {
	{ "393331234567", "+393331234567" },       /* as WhatsApp sends it */
	{ "+39 333 123 4567", "+393331234567" },
	{ "0039-333-1234567", "+393331234567" },
	{ "333 1234567", "+393331234567" },        /* Italian mobile, national */
	{ "333.123.45.67", "+393331234567" },
	{ "(055) 123456", "+39055123456" },        /* landline keeps its 0 */
	{ "  +4915112345678 ", "+4915112345678" }, /* German mobile */
	{ "33612345678", "+33612345678" },         /* French, 11 digits: international */
	{ "+39 333 123 4567 8901", NULL },         /* too long */
	{ "12345", NULL },                         /* too short */
	{ "", NULL },
	{ "ciao", NULL },
	{ "+39 333 12a4567", NULL },
	{ "+0333123456", NULL },                   /* country codes never start with 0 */
};

static void test_normalize_table(void **state)
{
	char out[PHONE_MAX];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = phone_normalize(cases[i].in, out);
		if (cases[i].want == NULL) {
			assert_int_equal(rc, -1);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].want);
		}
	}
}

static void test_digits(void **state)
{
	(void)state;
	assert_string_equal(phone_digits("+393331234567"), "393331234567");
	assert_string_equal(phone_digits("12345"), "12345");
}

static void test_redact_hides_the_middle(void **state)
{
	char out[PHONE_MAX + 4];
	(void)state;

	assert_string_equal(phone_redact("+393331234567", out), "+39********67");
	assert_null(strstr(phone_redact("+393331234567", out), "3331234"));
	assert_string_equal(phone_redact("123456789", out), "*******89");
	assert_string_equal(phone_redact("12", out), "***");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_table),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_redact_hides_the_middle),
	};
	return cmocka_run_group_tests_name("phone", tests, NULL, NULL);
}
