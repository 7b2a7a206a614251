/* Web origins as the sign-up form compares them (origin.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/origin.h"

static const struct {
	const char *url, *origin;   /* origin NULL: refused */
} cases[] = {
	{ "https://www.comune.valle.it", "https://www.comune.valle.it" },
	{ "https://WWW.Comune.Valle.IT/avvisi/", "https://www.comune.valle.it" },
	{ "https://avvisi.example:443", "https://avvisi.example" },
	{ "http://127.0.0.1:17405", "http://127.0.0.1:17405" },
	{ "http://127.0.0.1:80/x?y#z", "http://127.0.0.1" },
	{ "HTTPS://[2001:db8::1]:8443/", "https://[2001:db8::1]:8443" },
	{ "ftp://example.it", NULL },
	{ "https://", NULL },
	{ "https://user@evil.example", NULL },
	{ "https://a.example:0", NULL },
	{ "https://a.example:99999", NULL },
	{ "https://a.example:80x", NULL },
	{ "https://a b.example", NULL },
	{ "null", NULL },
	{ "", NULL },
};

static void test_origin_of(void **state)
{
	char out[ORIGIN_MAX];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = origin_of(cases[i].url, out);
		if (cases[i].origin == NULL) {
			if (rc != -1)
				fail_msg("%s accepted as %s", cases[i].url, out);
			assert_string_equal(out, "");
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].origin);
		}
	}
}

static void test_has_host(void **state)
{
	(void)state;
	assert_true(origin_has_host("http://127.0.0.1:17405", "127.0.0.1:17405"));
	assert_true(origin_has_host("https://avvisi.example", "Avvisi.Example"));
	assert_true(origin_has_host("https://avvisi.example", "avvisi.example:443"));
	assert_false(origin_has_host("http://127.0.0.1:17405", "127.0.0.1:17406"));
	assert_false(origin_has_host("https://evil.example", "avvisi.example"));
	assert_false(origin_has_host("http://avvisi.example:8080", "avvisi.example"));
	assert_false(origin_has_host("https://avvisi.example", NULL));
	assert_false(origin_has_host("https://avvisi.example", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin_of),
		cmocka_unit_test(test_has_host),
	};
	return cmocka_run_group_tests_name("origin", tests, NULL, NULL);
}
