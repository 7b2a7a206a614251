/* Opt-in links (api/optin_link.c) and their QR codes (api/qr_svg.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "api/optin_link.h"
#include "api/qr_svg.h"

static void expect(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void test_url_encode(void **state)
{
	(void)state;
	expect(optin_url_encode("ATTIVA"), "ATTIVA");
	expect(optin_url_encode("ATTIVA ACQUA"), "ATTIVA%20ACQUA");
	expect(optin_url_encode("a&b=c?d#e+f/g"), "a%26b%3Dc%3Fd%23e%2Bf%2Fg");
	expect(optin_url_encode("più"), "pi%C3%B9");
	expect(optin_url_encode("-._~"), "-._~");
	expect(optin_url_encode(""), "");
}

static void test_links(void **state)
{
	(void)state;
	expect(optin_wa_link("390612345678", "ATTIVA"), "https://wa.me/390612345678?text=ATTIVA");
	expect(optin_wa_link("390612345678", "ISCRIVIMI ORA"),
	       "https://wa.me/390612345678?text=ISCRIVIMI%20ORA");
	expect(optin_tg_link("ComuneValleBot", OPTIN_TG_PAYLOAD),
	       "https://t.me/ComuneValleBot?start=tutti");
	expect(optin_form_url("https://avvisi.valle.it/", "valle"),
	       "https://avvisi.valle.it/c/valle/iscrizione");
	expect(optin_form_url("https://avvisi.valle.it", "valle"),
	       "https://avvisi.valle.it/c/valle/iscrizione");
	expect(optin_form_url("", "valle"), "/c/valle/iscrizione");
}

/* Counts the occurrences of needle in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)) != NULL; s += strlen(needle))
		n++;
	return n;
}

static void test_qr_svg(void **state)
{
	char *svg = qr_svg("https://wa.me/390612345678?text=ATTIVA", "a <b> & \"c\"");
	(void)state;

	assert_non_null(svg);
	assert_int_equal(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44), 0);
	/* Version 3 at level M holds this 38-byte link: 29 modules + 2 x 4 quiet. */
	assert_non_null(strstr(svg, "viewBox=\"0 0 37 37\""));
	assert_non_null(strstr(svg, "<title>a &lt;b&gt; &amp; &quot;c&quot;</title>"));
	/* The three finder patterns' top rows: 7 dark modules from the quiet zone's edge. */
	assert_non_null(strstr(svg, "M4 4h7v1h-7z"));
	assert_non_null(strstr(svg, "M26 4h7v1h-7z"));
	assert_non_null(strstr(svg, "M4 26h7v1h-7z"));
	assert_int_equal(count(svg, "<svg"), 1);
	assert_int_equal(count(svg, "</svg>"), 1);
	free(svg);
}

static void test_qr_svg_too_long(void **state)
{
	char *text = malloc(8000);
	(void)state;

	memset(text, 'x', 7999);
	text[7999] = '\0';
	assert_null(qr_svg(text, "t"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_encode),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_qr_svg),
		cmocka_unit_test(test_qr_svg_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
