/* The JSON writer: escapes as jansson does, refuses invalid UTF-8, round-trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "jsonw.h"

/* s written by jsonw and by jansson: the same bytes. */
static void assert_like_jansson(const char *s)
{
	struct jsonw w = { 0 };
	json_t *j = json_string(s);
	char *ours, *theirs;

	assert_non_null(j);
	jw_str(&w, s);
	ours = jw_finish(&w);
	theirs = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	assert_non_null(ours);
	assert_string_equal(ours, theirs);
	free(ours);
	free(theirs);
	json_decref(j);
}

static void test_escapes_like_jansson(void **state)
{
	static const char *const cases[] = {
		"", "plain", "quote \" and backslash \\", "new\nline\ttab\rcr\bbs\fff",
		"\x01\x1f\x7f", "slash / </script>", "\xc3\xa8 \xe2\x82\xac \xf0\x9f\x98\x80",
		"\xef\xbf\xbf \xf4\x8f\xbf\xbf",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_like_jansson(cases[i]);
}

static void test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\xc0\xaf",           /* overlong '/' */
		"\xe0\x80\xaf",       /* overlong, three bytes */
		"\xed\xa0\x80",       /* surrogate */
		"\xf4\x90\x80\x80",   /* above U+10FFFF */
		"ok \xc3",            /* truncated */
		"\xff",
		"\x80",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jsonw w = { 0 };
		jw_raw(&w, "{");
		jw_kv(&w, false, "k", bad[i]);
		jw_raw(&w, "}");
		assert_null(jw_finish(&w));
		assert_null(json_string(bad[i]));   /* jansson refuses them too */
	}
}

static void test_object_round_trip(void **state)
{
	struct jsonw w = { 0 };
	json_t *parsed;
	char *out;
	(void)state;

	/* Long enough to grow the buffer several times. */
	char *big = malloc(5000);
	memset(big, 'x', 4999);
	big[4999] = '\0';
	big[100] = '"';
	jw_raw(&w, "{");
	jw_kv(&w, false, "a", "uno");
	jw_kv(&w, true, "b", big);
	jw_raw(&w, ",\"n\":42}");
	out = jw_finish(&w);
	assert_non_null(out);
	parsed = json_loads(out, 0, NULL);
	assert_non_null(parsed);
	assert_string_equal(json_string_value(json_object_get(parsed, "a")), "uno");
	assert_string_equal(json_string_value(json_object_get(parsed, "b")), big);
	assert_int_equal(json_integer_value(json_object_get(parsed, "n")), 42);
	json_decref(parsed);
	free(out);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_like_jansson),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_object_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
