/* PostgreSQL array literals (pgarr.c): quoting and escaping, NULLs, integers, bytea, growth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "pgarr.h"

/* One row: text elements (NULL for SQL NULL) and the literal they make. */
struct text_case {
	const char *items[4];
	size_t      n;
	const char *literal;
};

static const struct text_case text_cases[] = {
	{ { NULL }, 0, "{}" },
	{ { "wamid.1" }, 1, "{\"wamid.1\"}" },
	{ { "" }, 1, "{\"\"}" },
	{ { NULL }, 1, "{NULL}" },
	{ { "NULL" }, 1, "{\"NULL\"}" },   /* the word, not the null */
	{ { "a \"quoted\" \\ back,slash {x}", NULL }, 2,
	  "{\"a \\\"quoted\\\" \\\\ back,slash {x}\",NULL}" },
	{ { "è", "\xF0\x9F\x99\x82", " space " }, 3, "{\"è\",\"\xF0\x9F\x99\x82\",\" space \"}" },
	{ { "'; DROP TABLE x; --" }, 1, "{\"'; DROP TABLE x; --\"}" },
};

static void test_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		const struct text_case *c = &text_cases[i];
		struct pgarr a = { 0 };
		for (size_t k = 0; k < c->n; k++)
			pgarr_add(&a, c->items[k]);
		assert_int_equal(a.count, c->n);
		assert_string_equal(pgarr_end(&a), c->literal);
		pgarr_free(&a, 1);
		assert_null(a.buf);
	}
}

static void test_ints(void **state)
{
	struct pgarr a = { 0 };
	(void)state;

	pgarr_add_int(&a, 131026, false);
	pgarr_add_int(&a, -1, false);
	pgarr_add_int(&a, 0, true);
	pgarr_add_int(&a, 9223372036854775807LL, false);
	pgarr_add_int(&a, 0, false);
	pgarr_add_int(&a, -9223372036854775807LL - 1, false);
	assert_string_equal(pgarr_end(&a),
	                    "{131026,-1,NULL,9223372036854775807,0,-9223372036854775808}");
	pgarr_free(&a, 1);
}

static void test_bytes(void **state)
{
	static const unsigned char raw[] = { 0x00, 0x0a, 0xff, '"', '\\' };
	struct pgarr a = { 0 };
	(void)state;

	pgarr_add_bytes(&a, raw, sizeof(raw));
	pgarr_add_bytes(&a, raw, 0);
	assert_string_equal(pgarr_end(&a), "{\"\\\\x000aff225c\",\"\\\\x\"}");
	pgarr_free(&a, 1);
}

/* Many and long elements: the buffer grows, nothing is lost. */
static void test_grows(void **state)
{
	char big[3000];
	struct pgarr a = { 0 };
	size_t len;
	(void)state;

	memset(big, '"', sizeof(big) - 1);   /* every byte escaped: twice as long */
	big[sizeof(big) - 1] = '\0';
	pgarr_add_int(&a, 7, false);
	pgarr_add(&a, big);
	for (int i = 0; i < 1000; i++)
		pgarr_add(&a, "x");
	pgarr_end(&a);
	len = strlen(a.buf);
	assert_int_equal(len, 1 + 1 + 1 + 2 + 2 * (sizeof(big) - 1) + 1000 * 4 + 1);
	assert_memory_equal(a.buf, "{7,\"\\\"", 6);
	assert_string_equal(a.buf + len - 5, ",\"x\"}");
	assert_int_equal(a.count, 1002);
	pgarr_free(&a, 1);
}

static bool only_short(const char *s)
{
	return strlen(s) < 5;
}

static void test_add_all(void **state)
{
	char *items[] = { "meteo", "strade", "acqua", "eventi" };
	struct pgarr a[2] = { { 0 } };
	(void)state;

	pgarr_add_all(&a[0], items, 4, NULL);
	pgarr_add_all(&a[1], items, 4, only_short);
	assert_string_equal(pgarr_end(&a[0]), "{\"meteo\",\"strade\",\"acqua\",\"eventi\"}");
	assert_string_equal(pgarr_end(&a[1]), "{}");
	pgarr_free(a, 2);
	assert_null(a[0].buf);
	assert_null(a[1].buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_add_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
