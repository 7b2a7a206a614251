/* HTML, XML and Telegram escaping and UTF-8 repair (common/escape.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static void expect(const char *in, enum esc_mode mode, const char *want)
{
	char *got = esc_text(in, mode);

	assert_string_equal(got, want);
	free(got);
}

static void test_script_and_quotes(void **state)
{
	(void)state;
	expect("<script>alert(1)</script> & \"quotes\" 'x'", ESC_HTML,
	       "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;x&#39;");
	expect("<script>alert(1)</script> & \"quotes\" 'x'", ESC_XML,
	       "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;x&#39;");
	/* Telegram's HTML knows only &lt; &gt; &amp; &quot;. */
	expect("<b>&\"'", ESC_TELEGRAM, "&lt;b&gt;&amp;&quot;'");
	expect("a & b < c > d \"e\" 'f' è", ESC_TELEGRAM,
	       "a &amp; b &lt; c &gt; d &quot;e&quot; 'f' è");
	/* An attribute value of a page (the form's links and topics). */
	expect("<a href=\"x\">&'</a>", ESC_HTML, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	expect("", ESC_TELEGRAM, "");
}

static void test_entities_are_escaped_again(void **state)
{
	(void)state;
	expect("&amp; &#60;", ESC_HTML, "&amp;amp; &amp;#60;");
	expect("&amp;", ESC_TELEGRAM, "&amp;amp;");
}

static void test_valid_utf8_kept(void **state)
{
	(void)state;
	expect("Perché è già così – 🌧", ESC_HTML, "Perché è già così – 🌧");
}

static void test_invalid_utf8_replaced(void **state)
{
	(void)state;
	/* A stray continuation byte, a truncated sequence, an overlong '<'
	 * (C0 BC, which must never turn into a tag), a surrogate. */
	expect("a\x80" "b", ESC_HTML, "a\xEF\xBF\xBD" "b");
	expect("c\xC3", ESC_HTML, "c\xEF\xBF\xBD");
	expect("\xC0\xBCscript", ESC_HTML, "\xEF\xBF\xBD\xEF\xBF\xBDscript");
	expect("\xED\xA0\x80", ESC_XML, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	expect("\xF5\x80\x80\x80", ESC_XML,
	       "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void test_xml_drops_control_characters(void **state)
{
	(void)state;
	expect("a\x01" "b\x1F" "c\td\ne\r", ESC_XML, "abc\td\ne\r");
	expect("a\x01" "b", ESC_HTML, "a\x01" "b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_and_quotes),
		cmocka_unit_test(test_entities_are_escaped_again),
		cmocka_unit_test(test_valid_utf8_kept),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_xml_drops_control_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
