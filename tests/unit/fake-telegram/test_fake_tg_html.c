/* The fake's Telegram-HTML parser: what Telegram accepts, shows and refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "html.h"

/* One row: HTML in, the text Telegram shows (NULL: refused, with err containing want_err). */
struct html_case {
	const char *in;
	const char *out;
	const char *want_err;
};

static const struct html_case cases[] = {
	{ "plain", "plain", NULL },
	{ "<b>Acqua</b>\n\nVia Roma", "Acqua\n\nVia Roma", NULL },
	{ "&lt;&gt;&amp;&quot;", "<>&\"", NULL },
	{ "&#232; &#xE8; &#x1F6A7;", "\xC3\xA8 \xC3\xA8 \xF0\x9F\x9A\xA7", NULL },
	{ "a & b", "a & b", NULL },                 /* not an entity: kept */
	{ "&nbsp;", "&nbsp;", NULL },               /* unsupported named entity: kept */
	{ "x > y", "x > y", NULL },
	{ "<B>x</B>", "x", NULL },
	{ "<strong>a</strong><i>b</i><em>c</em><u>d</u><s>e</s><code>f</code><pre>g</pre>",
	  "abcdefg", NULL },
	{ "<a href=\"https://comune.example/avvisi?a=1&amp;b=2\">sito</a>", "sito", NULL },
	{ "<a href='x'>y</a>", "y", NULL },
	{ "<span class=\"tg-spoiler\">s</span><tg-spoiler>t</tg-spoiler>", "st", NULL },
	{ "<blockquote>q</blockquote>", "q", NULL },
	{ "<b>a</>", "a", NULL },                   /* an empty end tag closes the last one */
	{ "a < b", NULL, "Unsupported start tag \"\" at byte offset 2" },
	{ "<p>x</p>", NULL, "Unsupported start tag \"p\" at byte offset 0" },
	{ "x<br>y", NULL, "Unsupported start tag \"br\" at byte offset 1" },
	{ "<b>x", NULL, "Can't find end tag corresponding to start tag \"b\"" },
	{ "<b>x</i>", NULL, "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"" },
	{ "x</b>", NULL, "Unexpected end tag at byte offset 1" },
	{ "<b", NULL, "Unclosed start tag at byte offset 0" },
	{ "<a href>x</a>", NULL, "Expected equal sign" },
	{ "<span>x</span>", NULL, "must have class \"tg-spoiler\"" },
};

static void test_cases(void **state)
{
	char err[256];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct html_case *c = &cases[i];
		char *out = html_parse(c->in, err, sizeof(err));
		if (c->out != NULL) {
			if (out == NULL || strcmp(out, c->out) != 0)
				fail_msg("\"%s\": got \"%s\" (%s), want \"%s\"", c->in, out ? out : "(null)",
				         out ? "" : err, c->out);
		} else if (out != NULL || strstr(err, c->want_err) == NULL) {
			fail_msg("\"%s\": got \"%s\" / \"%s\", want error \"%s\"", c->in,
			         out ? out : "(null)", out ? "" : err, c->want_err);
		}
		free(out);
	}
}

static void test_length(void **state)
{
	(void)state;
	assert_int_equal(html_text_length(""), 0);
	assert_int_equal(html_text_length("abc"), 3);
	assert_int_equal(html_text_length("\xC3\xA8"), 1);            /* è */
	assert_int_equal(html_text_length("\xE2\x80\xA6"), 1);        /* … */
	assert_int_equal(html_text_length("\xF0\x9F\x9A\xA7"), 2);    /* emoji: surrogate pair */
	assert_int_equal(html_text_length("\xC3\x28"), -1);           /* not UTF-8 */
	assert_int_equal(html_text_length("\xE2\x80"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_length),
	};
	return cmocka_run_group_tests_name("fake_tg_html", tests, NULL, NULL);
}
