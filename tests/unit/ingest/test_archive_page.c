/* The archive's ?pagina= (archive.c): a bounded number or nothing, other
 * parameters ignored, so that the cache key cannot be varied at will. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "archive/archive.h"

static const struct {
	const char *query;
	int page;   /* 0: answered 404 */
} cases[] = {
	{ NULL, 1 },
	{ "", 1 },
	{ "utm_source=x&fbclid=123", 1 },
	{ "pagina=2", 2 },
	{ "pagina=0002", 2 },
	{ "pagina=2&x=1", 2 },
	{ "x=1&pagina=3", 3 },
	{ "pagina=1000", ARCHIVE_MAX_PAGE },
	{ "pagina=1001", 0 },
	{ "pagina=0", 0 },
	{ "pagina=", 0 },
	{ "pagina=-1", 0 },
	{ "pagina=+2", 0 },
	{ "pagina=%202", 0 },
	{ "pagina=2x", 0 },
	{ "pagina=99999999999999999999", 0 },
	{ "pagina=abc", 0 },
};

static void test_page_param(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (archive_page_param(cases[i].query) != cases[i].page)
			fail_msg("%s: %d, want %d", cases[i].query ? cases[i].query : "(none)",
			         archive_page_param(cases[i].query), cases[i].page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_param),
	};
	return cmocka_run_group_tests_name("archive_page", tests, NULL, NULL);
}
