/* The editors' preview renderer (preview.c): what each channel gets, by
 * the composer's rules (services/composer/render.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "api/preview.h"

#define ARCHIVE "https://avvisi.example.it/c/demo/avvisi/3f2b8c1e-6a4d-4f0e-9b1a-0c2d3e4f5a6b"

static void test_telegram_html(void **state)
{
	struct preview_notice n = { "Acqua <sospesa> & \"altro\"", "Riga 1\nRiga 2 <b>", "",
		                    "", "Comune di Demo" };
	char *t = preview_tg_text(&n);
	(void)state;

	assert_string_equal(t, "<b>Acqua &lt;sospesa&gt; &amp; &quot;altro&quot;</b>\n\n"
	                       "Riga 1\nRiga 2 &lt;b&gt;");
	free(t);
	n = (struct preview_notice){ "Solo titolo", "", "", "", "X" };
	t = preview_tg_text(&n);
	assert_string_equal(t, "<b>Solo titolo</b>");
	free(t);
}

static void test_telegram_links_at_the_end(void **state)
{
	struct preview_notice n = { "T", "B", "https://comune.example.it/a?x=1&y=2", ARCHIVE, "X" };
	char *t = preview_tg_text(&n);
	(void)state;

	assert_string_equal(t, "<b>T</b>\n\nB\n\nMaggiori informazioni: "
	                       "https://comune.example.it/a?x=1&amp;y=2\n\n"
	                       "Avviso nell'archivio del Comune: " ARCHIVE);
	free(t);
	n.link = "";
	t = preview_tg_text(&n);
	assert_string_equal(t, "<b>T</b>\n\nB\n\nAvviso nell'archivio del Comune: " ARCHIVE);
	free(t);
}

static void test_telegram_clipped(void **state)
{
	char body[5001];
	struct preview_notice n = { "T", body, "", "", "X" };
	char *t;
	(void)state;

	memset(body, 'a', 5000);
	body[5000] = '\0';
	t = preview_tg_text(&n);
	/* "<b>T</b>\n\n" + 4096 - 1 - 2 units of which the last is "…". */
	assert_int_equal(strlen(t), strlen("<b>T</b>\n\n") + 4092 + 3);
	assert_string_equal(t + strlen(t) - 3, "\xE2\x80\xA6");
	free(t);
}

static void test_whatsapp_params(void **state)
{
	struct preview_notice n = { "  Titolo\n", "Riga 1\n\n\tRiga    2  ", "", "", "Comune di Demo" };
	char *p[3];
	json_t *r;
	(void)state;

	preview_wa_params(&n, p);
	assert_string_equal(p[0], "Titolo");
	assert_string_equal(p[1], "Riga 1 Riga 2");
	assert_string_equal(p[2], "Comune di Demo");   /* no link, no archive */
	for (int i = 0; i < 3; i++)
		free(p[i]);
	n.archive = ARCHIVE;
	preview_wa_params(&n, p);
	assert_string_equal(p[2], ARCHIVE);
	for (int i = 0; i < 3; i++)
		free(p[i]);
	r = preview_render(&n, "avviso_comune", "it");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "whatsapp"),
	                                                      "template")), "avviso_comune");
	assert_int_equal(json_array_size(json_object_get(json_object_get(r, "whatsapp"), "params")), 3);
	assert_true(json_is_true(json_object_get(json_object_get(r, "telegram"),
	                                         "disable_web_page_preview")));
	json_decref(r);
}

static void test_whatsapp_body_fits_the_template(void **state)
{
	char body[3001];
	struct preview_notice n = { "Titolo", body, "", ARCHIVE, "X" };
	char *p[3];
	(void)state;

	memset(body, 'b', 3000);
	body[3000] = '\0';
	preview_wa_params(&n, p);
	/* 1024 - 124 fixed - title - link, "…" included. */
	assert_int_equal(strlen(p[1]) - 3 + 1, 1024 - 124 - strlen("Titolo") - strlen(ARCHIVE));
	for (int i = 0; i < 3; i++)
		free(p[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_telegram_html),
		cmocka_unit_test(test_telegram_links_at_the_end),
		cmocka_unit_test(test_telegram_clipped),
		cmocka_unit_test(test_whatsapp_params),
		cmocka_unit_test(test_whatsapp_body_fits_the_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
