/* The console's static files (console_static.c): which paths name a file
 * of the console's folder, and which are refused (traversal, hidden
 * files, odd bytes); the Content-Type by extension. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "console/console_static.h"

static void test_paths_served(void **state)
{
	static const struct {
		const char *rest, *file;
	} ok[] = {
		{ "", "index.html" },
		{ "index.html", "index.html" },
		{ "app.js", "app.js" },
		{ "js/pages/notice.js", "js/pages/notice.js" },
		{ "bi/css/bootstrap-italia.min.css", "bi/css/bootstrap-italia.min.css" },
		{ "bi/", "bi/index.html" },
		{ "a..b.js", "a..b.js" },
	};
	char out[CONSOLE_PATH_MAX];
	(void)state;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(out, 'x', sizeof(out));
		if (!console_path(ok[i].rest, out, sizeof(out)))
			fail_msg("refused: %s", ok[i].rest);
		assert_string_equal(out, ok[i].file);
	}
}

static void test_paths_refused(void **state)
{
	static const char *bad[] = {
		"..",          "../",          "../etc/passwd", "js/../../secret",
		"js/..",       "./index.html", ".git/config",   "js/.hidden.js",
		"/etc/passwd", "js//app.js",   "%2e%2e/x",      "a%2fb",
		"a\\b",        "a b",          "a?b",           "café.js",
		"a\nb",        "..%2f",
	};
	char out[CONSOLE_PATH_MAX], longer[CONSOLE_PATH_MAX + 8];
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (console_path(bad[i], out, sizeof(out)))
			fail_msg("served: %s (as %s)", bad[i], out);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_false(console_path(longer, out, sizeof(out)));
	/* An out buffer too small for the file's name is a refusal too. */
	assert_false(console_path("index.html", out, 8));
}

static void test_types(void **state)
{
	(void)state;
	assert_string_equal(console_type("index.html"), "text/html; charset=utf-8");
	assert_string_equal(console_type("js/app.js"), "text/javascript; charset=utf-8");
	assert_string_equal(console_type("bi/css/x.min.css"), "text/css; charset=utf-8");
	assert_string_equal(console_type("bi/svg/sprites.svg"), "image/svg+xml");
	assert_string_equal(console_type("f.woff2"), "font/woff2");
	assert_string_equal(console_type("f.woff"), "font/woff");
	assert_null(console_type("x.map"));
	assert_null(console_type("Makefile"));
	assert_null(console_type(".js"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_served),
		cmocka_unit_test(test_paths_refused),
		cmocka_unit_test(test_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
