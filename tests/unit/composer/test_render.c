/* Rendering for channel limits: UTF-8-safe clipping, template params. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static void test_clip_short_is_unchanged(void **state)
{
	char *s = render_clip("Acqua sospesa", 100);
	(void)state;
	assert_string_equal(s, "Acqua sospesa");
	free(s);
}

static void test_clip_adds_ellipsis_within_limit(void **state)
{
	char *s = render_clip("abcdefghij", 8);
	(void)state;
	assert_true(strlen(s) <= 8);
	assert_string_equal(s, "abcde\xE2\x80\xA6");
	free(s);
}

static void test_clip_never_cuts_utf8(void **state)
{
	/* "èèèè": 8 bytes; a limit of 6 leaves 3 bytes before the ellipsis,
	 * which must back up to a whole "è" (2 bytes). */
	char *s = render_clip("\xC3\xA8\xC3\xA8\xC3\xA8\xC3\xA8", 6);
	(void)state;
	assert_string_equal(s, "\xC3\xA8\xE2\x80\xA6");
	free(s);
}

static void test_wa_param_folds_whitespace(void **state)
{
	char s[] = "Via Roma chiusa\n\ndalle 8\talle 18    per lavori  ";
	(void)state;
	render_wa_param(s);
	assert_string_equal(s, "Via Roma chiusa dalle 8 alle 18 per lavori");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clip_short_is_unchanged),
		cmocka_unit_test(test_clip_adds_ellipsis_within_limit),
		cmocka_unit_test(test_clip_never_cuts_utf8),
		cmocka_unit_test(test_wa_param_folds_whitespace),
	};
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
