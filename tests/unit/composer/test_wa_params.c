/*
 * A notice as WhatsApp template parameters (title, body, link) within
 * WhatsApp's limits, the archive link, and the Telegram text with its
 * links at the end, escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static void params_free(char *p[3])
{
	for (int i = 0; i < 3; i++)
		free(p[i]);
}

static void test_archive_url(void **state)
{
	char *u = render_archive_url("https://avvisi.example.it/", "demo", "0b5c");
	(void)state;
	assert_string_equal(u, "https://avvisi.example.it/c/demo/avvisi/0b5c");
	free(u);
	u = render_archive_url("", "demo", "0b5c");
	assert_string_equal(u, "");
	free(u);
}

static void test_link_choice(void **state)
{
	char *p[3];
	(void)state;
	render_wa_params("Titolo", "Testo", "https://x.it/a", "https://arch/1", "Comune", p);
	assert_string_equal(p[2], "https://x.it/a");
	params_free(p);
	render_wa_params("Titolo", "Testo", "", "https://arch/1", "Comune", p);
	assert_string_equal(p[2], "https://arch/1");
	params_free(p);
	render_wa_params("Titolo", "Testo", "", "", "Comune di Demo", p);
	assert_string_equal(p[2], "Comune di Demo");
	params_free(p);
}

static void test_params_fold_whitespace(void **state)
{
	char *p[3];
	(void)state;
	render_wa_params("Acqua\nsospesa", "Via Roma:\n\n    dalle 8\talle 14", "", "", "C", p);
	assert_string_equal(p[0], "Acqua sospesa");
	assert_string_equal(p[1], "Via Roma: dalle 8 alle 14");
	params_free(p);
}

static void test_template_body_within_limit(void **state)
{
	char *p[3], body[5000], title[300];
	(void)state;
	memset(body, 'a', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	memset(title, 'T', sizeof(title) - 1);
	title[sizeof(title) - 1] = '\0';
	render_wa_params(title, body, "https://x.it/a", "", "C", p);
	assert_int_equal(render_units(p[0]), RENDER_WA_TITLE_MAX);
	assert_true(render_units(p[0]) + render_units(p[1]) + render_units(p[2]) + RENDER_WA_FIXED
	            <= RENDER_WA_BODY_TOTAL);
	assert_non_null(strstr(p[1], "\xE2\x80\xA6"));   /* shortened visibly */
	params_free(p);
}

static void test_overlong_link_replaced_not_cut(void **state)
{
	char *p[3], link[400];
	(void)state;
	strcpy(link, "https://x.it/");
	memset(link + 13, 'a', sizeof(link) - 14);
	link[sizeof(link) - 1] = '\0';
	render_wa_params("T", "B", link, "https://arch/1", "C", p);
	assert_string_equal(p[2], "https://arch/1");
	params_free(p);
}

static void test_empty_params_never_sent(void **state)
{
	char *p[3];
	(void)state;
	render_wa_params("Solo titolo", "", "", "", "", p);
	assert_string_equal(p[1], "-");
	assert_string_equal(p[2], "-");
	params_free(p);
	/* Blank text folds to nothing: still "-" (found by fuzzing: a title of
	 * one space was sent as an empty parameter). */
	render_wa_params(" ", " \n\t ", "", "  ", " ", p);
	assert_string_equal(p[0], "-");
	assert_string_equal(p[1], "-");
	assert_string_equal(p[2], "-");
	params_free(p);
}

static void test_tg_links_at_end_escaped(void **state)
{
	char *s = render_tg_full("<b>Strada</b>", "Chiusa & deviata", "https://x.it/?a=1&b=2",
	                         "https://arch/1");
	(void)state;
	assert_string_equal(s, "<b>&lt;b&gt;Strada&lt;/b&gt;</b>\n\nChiusa &amp; deviata"
	                       "\n\nMaggiori informazioni: https://x.it/?a=1&amp;b=2"
	                       "\n\nAvviso nell'archivio del Comune: https://arch/1");
	free(s);
	s = render_tg_full("T", "B", "", "");
	assert_string_equal(s, "<b>T</b>\n\nB");
	free(s);
	s = render_tg_full("T", "B", "https://arch/1", "https://arch/1");
	assert_string_equal(s, "<b>T</b>\n\nB\n\nMaggiori informazioni: https://arch/1");
	free(s);
}

static void test_tg_long_body_leaves_room_for_links(void **state)
{
	char body[6000], *s;
	(void)state;
	memset(body, 'x', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	s = render_tg_full("T", body, "", "https://arch/1");
	/* Telegram counts the text after parsing: "<b>" and "</b>" are not shown. */
	assert_true(render_units(s) - 7 <= RENDER_TG_TEXT_MAX);
	assert_true(render_units(s) - 7 >= RENDER_TG_TEXT_MAX - 2);
	assert_non_null(strstr(s, "archivio del Comune: https://arch/1"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_archive_url),
		cmocka_unit_test(test_link_choice),
		cmocka_unit_test(test_params_fold_whitespace),
		cmocka_unit_test(test_template_body_within_limit),
		cmocka_unit_test(test_overlong_link_replaced_not_cut),
		cmocka_unit_test(test_empty_params_never_sent),
		cmocka_unit_test(test_tg_links_at_end_escaped),
		cmocka_unit_test(test_tg_long_body_leaves_room_for_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
