/* The archive's caches (archive_cache.c): answers and list pages by key,
 * replaced in place, bounded with the oldest entry making room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "clock.h"
#include "archive/archive_cache.h"

static void test_answers(void **state)
{
	const struct archive_hit *hit;
	(void)state;

	assert_null(archive_cache_get("demo/list/1"));
	archive_cache_put("demo/list/1", 200, "<p>uno</p>");
	archive_cache_put("demo/notice/x", 404, NULL);
	hit = archive_cache_get("demo/list/1");
	assert_non_null(hit);
	assert_int_equal(hit->code, 200);
	assert_string_equal(hit->body, "<p>uno</p>");
	hit = archive_cache_get("demo/notice/x");
	assert_non_null(hit);
	assert_int_equal(hit->code, 404);
	assert_null(hit->body);
	/* A new answer for a key replaces the old one. */
	archive_cache_put("demo/list/1", 200, "<p>due</p>");
	assert_string_equal(archive_cache_get("demo/list/1")->body, "<p>due</p>");
}

static void test_answers_bounded(void **state)
{
	char key[32];
	(void)state;

	archive_cache_put("first", 200, "a");
	clock_sleep_ms(2);   /* the oldest by the clock */
	for (int i = 0; i < ARCHIVE_ANSWERS_MAX; i++) {
		snprintf(key, sizeof(key), "k/%d", i);
		archive_cache_put(key, 200, key);
	}
	assert_null(archive_cache_get("first"));
	assert_string_equal(archive_cache_get("k/0")->body, "k/0");
	assert_string_equal(archive_cache_get(key)->body, key);
}

static void test_pages(void **state)
{
	char comune[32];
	(void)state;

	assert_int_equal(archive_cache_pages("demo"), 0);
	archive_cache_set_pages("demo", 0);   /* at least one */
	assert_int_equal(archive_cache_pages("demo"), 1);
	archive_cache_set_pages("demo", 7);
	assert_int_equal(archive_cache_pages("demo"), 7);
	clock_sleep_ms(2);
	for (int i = 0; i < ARCHIVE_COMUNI_MAX; i++) {
		snprintf(comune, sizeof(comune), "c%d", i);
		archive_cache_set_pages(comune, i + 1);
	}
	assert_int_equal(archive_cache_pages("demo"), 0);
	assert_int_equal(archive_cache_pages("c0"), 1);
	assert_int_equal(archive_cache_pages(comune), ARCHIVE_COMUNI_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_answers_bounded),
		cmocka_unit_test(test_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
