/* fake-cap: which names it serves, its ETags and If-None-Match. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "serve.h"

static void test_names(void **state)
{
	(void)state;
	assert_true(serve_name_ok("orange-alert.xml"));
	assert_true(serve_name_ok("a_b.1.xml"));
	assert_false(serve_name_ok(""));
	assert_false(serve_name_ok(".hidden"));
	assert_false(serve_name_ok("../etc/passwd"));
	assert_false(serve_name_ok("a/b.xml"));
	assert_false(serve_name_ok("a%2fb"));
}

static void test_etag(void **state)
{
	char a[70], b[70];

	(void)state;
	serve_etag("one", 3, a);
	serve_etag("two", 3, b);
	assert_int_equal(strlen(a), 34);
	assert_true(a[0] == '"' && a[33] == '"');
	assert_string_not_equal(a, b);
	assert_true(serve_etag_matches(a, a));
	assert_false(serve_etag_matches(b, a));
	assert_false(serve_etag_matches(NULL, a));
	assert_true(serve_etag_matches("*", a));
	char list[200];
	snprintf(list, sizeof(list), "%s, W/%s", b, a);
	assert_true(serve_etag_matches(list, a));
	list[strlen(b) - 1] = '\0';   /* a cut tag is no tag */
	assert_false(serve_etag_matches(list, b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_etag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
