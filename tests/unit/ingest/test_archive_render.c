/* The archive's HTML pages and Atom feed (archive_html.c, feed.c): escaped,
 * no script, well-formed, linked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/archive_render.h"

#define EVIL "<script>alert(1)</script> & \"quotes\""
#define EVIL_ESC "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"

static struct archive_item items[2];

static struct archive_page page(void)
{
	struct archive_page pg = { .comune_id = "demo", .page = 2, .has_next = true,
	                           .items = items, .nitems = 2 };

	pg.comune_name = "Comune di <Demo>";
	pg.base_url = "http://x.example/c/demo/avvisi";
	items[0] = (struct archive_item){ .id = "11111111-1111-4111-8111-111111111111",
	                                  .title = EVIL, .body = "Riga 1\n" EVIL "\xC3",
	                                  .urgent = true, .sent_iso = "2026-11-23T10:00:00Z",
	                                  .sent_local = "23/11/2026 11:00" };
	items[1] = (struct archive_item){ .id = "22222222-2222-4222-8222-222222222222",
	                                  .title = "Secondo", .body = "x\x01y",
	                                  .sent_iso = "2026-11-22T10:00:00Z",
	                                  .sent_local = "22/11/2026 11:00" };
	return pg;
}

static void assert_has(const char *doc, const char *what)
{
	if (strstr(doc, what) == NULL)
		fail_msg("document lacks \"%s\":\n%s", what, doc);
}

static void assert_lacks(const char *doc, const char *what)
{
	if (strstr(doc, what) != NULL)
		fail_msg("document has \"%s\":\n%s", what, doc);
}

static void test_list_page(void **state)
{
	struct archive_page pg = page();
	char *html = archive_html_list(&pg);
	(void)state;

	assert_has(html, "<html lang=\"it\">");
	assert_has(html, EVIL_ESC);
	assert_lacks(html, "<script");
	assert_has(html, "Comune di &lt;Demo&gt;");
	assert_has(html, "href=\"http://x.example/c/demo/avvisi/11111111-1111-4111-8111-111111111111\"");
	assert_has(html, "?pagina=1\">Avvisi più recenti");
	assert_has(html, "?pagina=3\">Avvisi precedenti");
	assert_has(html, "Urgente");
	assert_has(html, "\xEF\xBF\xBD");   /* the stray byte, repaired */
	/* The newer notice comes first. */
	assert_true(strstr(html, "11111111") < strstr(html, "22222222"));
	free(html);
}

static void test_notice_page(void **state)
{
	struct archive_page pg = page();
	char *html = archive_html_notice(&pg, &items[0]);
	(void)state;

	assert_has(html, "<h1>" EVIL_ESC "</h1>");
	assert_has(html, "Riga 1\n" EVIL_ESC);
	assert_lacks(html, "<script");
	free(html);
}

static void test_feed(void **state)
{
	struct archive_page pg = page();
	char *xml = archive_atom(&pg);
	(void)state;

	assert_has(xml, "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	assert_has(xml, "<updated>2026-11-23T10:00:00Z</updated>");
	assert_has(xml, "<id>urn:uuid:11111111-1111-4111-8111-111111111111</id>");
	assert_has(xml, "<title>[Urgente] " EVIL_ESC "</title>");
	assert_has(xml, "<content type=\"text\">xy</content>");   /* \x01 is not XML */
	assert_has(xml, "rel=\"self\" type=\"application/atom+xml\" "
	                "href=\"http://x.example/c/demo/avvisi.atom\"");
	assert_lacks(xml, "<script");
	assert_lacks(xml, "\x01");
	free(xml);
	pg.nitems = 0;
	xml = archive_atom(&pg);
	assert_has(xml, "<updated>1970-01-01T00:00:00Z</updated>");
	assert_lacks(xml, "<entry>");
	free(xml);
}

static void test_excerpt(void **state)
{
	char *e;
	(void)state;

	e = archive_excerpt("città", 5);
	assert_string_equal(e, "città");
	free(e);
	e = archive_excerpt("città di mare", 5);
	assert_string_equal(e, "città…");
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_page),
		cmocka_unit_test(test_notice_page),
		cmocka_unit_test(test_feed),
		cmocka_unit_test(test_excerpt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
