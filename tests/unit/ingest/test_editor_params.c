/* Bodies of workflow actions, new notice fields and RFC 3339 times
 * (editor_params.c, editor_validate.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "pgarr.h"
#include "api/editor_validate.h"

#define NOW 1763888400000LL   /* 2025-11-23T09:00:00Z */

static void test_times(void **state)
{
	long long ms;
	(void)state;

	assert_true(editor_time_parse("2025-11-23T09:00:00Z", &ms));
	assert_int_equal(ms, NOW);
	assert_true(editor_time_parse("2025-11-23T10:00:00+01:00", &ms));
	assert_int_equal(ms, NOW);
	assert_true(editor_time_parse("2025-11-23T08:30:00.250-00:30", &ms));
	assert_int_equal(ms, NOW + 250);
	static const char *const bad[] = {
		"", "2025-11-23", "2025-11-23 09:00:00Z", "2025-11-23T09:00:00",
		"2025-02-30T09:00:00Z", "2025-13-01T09:00:00Z", "2025-11-23T24:00:00Z",
		"2025-11-23T09:00:00+0100", "2025-11-23T09:00:00.Z", "2025-11-23T09:00:00Zjunk",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (editor_time_parse(bad[i], &ms))
			fail_msg("accepted \"%s\"", bad[i]);
}

/* Expects the action body to fail on field. */
static void expect_bad(const char *body, bool reason, bool when, const char *field)
{
	struct action_input in;
	struct editor_error err;

	assert_int_equal(editor_action_parse(body, strlen(body), reason, when, NOW, &in, &err), -1);
	assert_string_equal(err.field, field);
}

static void test_actions(void **state)
{
	struct action_input in;
	struct editor_error err;
	(void)state;

	assert_int_equal(editor_action_parse("", 0, false, false, NOW, &in, &err), 0);
	assert_int_equal(in.version, 0);
	assert_int_equal(editor_action_parse("{\"version\":4,\"reason\":\"Refuso nel titolo\"}", 42,
	                                     true, false, NOW, &in, &err), 0);
	assert_int_equal(in.version, 4);
	assert_string_equal(in.reason, "Refuso nel titolo");
	expect_bad("{}", true, false, "reason");
	expect_bad("{\"reason\":\"   \"}", true, false, "reason");
	expect_bad("{\"reason\":5}", true, false, "reason");
	expect_bad("{}", false, true, "scheduled_at");
	expect_bad("{\"scheduled_at\":\"domani\"}", false, true, "scheduled_at");
	expect_bad("{\"scheduled_at\":\"2025-11-23T08:59:59Z\"}", false, true, "scheduled_at");
	expect_bad("{\"version\":0}", false, false, "version");
	expect_bad("{\"version\":\"3\"}", false, false, "version");
	expect_bad("[1]", false, false, "");
	expect_bad("{", false, false, "");
	const char *ok = "{\"scheduled_at\":\"2025-11-23T10:00:00+01:00:00\"}";
	expect_bad(ok, false, true, "scheduled_at");
	ok = "{\"scheduled_at\":\"2025-11-24T08:00:00+01:00\"}";
	assert_int_equal(editor_action_parse(ok, strlen(ok), false, true, NOW, &in, &err), 0);
	assert_int_equal(in.scheduled_at_ms, NOW + 22 * 3600 * 1000LL);
	/* An approve's explicit null: now, over the author's proposed time. */
	assert_int_equal(editor_action_parse("{\"scheduled_at\":null}", 21, false, false, NOW, &in,
	                                     &err), 0);
	assert_int_equal(in.scheduled_at_ms, -1);
	expect_bad("{\"scheduled_at\":null}", false, true, "scheduled_at");
}

/* Expects the notice body to fail on field. */
static void expect_notice_bad(const char *body, const char *field)
{
	struct notice_input in;
	struct editor_error err;

	assert_int_equal(editor_notice_parse(body, strlen(body), &in, &err), -1);
	assert_string_equal(err.field, field);
	assert_null(in.channels);
	assert_null(in.link);
}

/* A reject's reason with invalid UTF-8: 400 on "reason". */
static void test_reason_utf8(void **state)
{
	(void)state;
	expect_bad("{\"reason\":\"Refuso nel titolo: perch\xE9\"}", true, false, "reason");
	expect_bad("{\"version\":2,\"reason\":\"ok\",\"x\":[\"\xFF\"]}", true, false, "x[0]");
}

static void test_notice_fields(void **state)
{
	const char *body = "{\"title\":\"T\",\"body\":\"B\",\"category\":\"roads\","
	                   "\"link\":\"https://comune.example.it/avviso?id=1\","
	                   "\"channels\":[\"whatsapp\",\"telegram_channel\"],\"version\":2}";
	struct notice_input in;
	struct editor_error err;
	(void)state;

	assert_int_equal(editor_notice_parse(body, strlen(body), &in, &err), 0);
	assert_string_equal(in.category, "roads");
	assert_string_equal(in.link, "https://comune.example.it/avviso?id=1");
	assert_int_equal(in.nchannels, 2);
	assert_string_equal(in.channels[1], "telegram_channel");
	assert_int_equal(in.version, 2);
	editor_notice_free(&in);
	body = "{\"title\":\"T\",\"body\":\"B\"}";
	assert_int_equal(editor_notice_parse(body, strlen(body), &in, &err), 0);
	assert_string_equal(in.category, "other");
	assert_string_equal(in.link, "");
	assert_int_equal(in.nchannels, 0);
	editor_notice_free(&in);

	expect_notice_bad("{\"title\":\"T\",\"body\":\"B\",\"category\":\"sport\"}", "category");
	expect_notice_bad("{\"title\":\"T\",\"body\":\"B\",\"category\":\"road\"}", "category");
	expect_notice_bad("{\"title\":\"T\",\"body\":\"B\",\"link\":\"javascript:alert(1)\"}", "link");
	expect_notice_bad("{\"title\":\"T\",\"body\":\"B\",\"link\":\"https://x/\\\"><script>\"}",
	                  "link");
	expect_notice_bad("{\"title\":\"T\",\"body\":\"B\",\"channels\":[\"sms\"]}", "channels[0]");
	expect_notice_bad("{\"title\":\"T\",\"body\":\"B\",\"channels\":[\"telegram\",\"telegram\"]}",
	                  "channels[1]");
	expect_notice_bad("{\"title\":\"T\",\"body\":\"B\",\"channels\":\"whatsapp\"}", "channels");
	expect_notice_bad("{\"title\":\"T\",\"body\":\"B\",\"version\":-1}", "version");
}

/* q= as the text[] literal of its ILIKE patterns, or NULL if refused. */
static char *search(const char *q, struct editor_error *err)
{
	struct pgarr words = { 0 };
	char *lit;

	if (editor_search_parse(q, &words, err) != 0) {
		pgarr_free(&words, 1);
		return NULL;
	}
	lit = strdup(pgarr_end(&words));
	pgarr_free(&words, 1);
	return lit;
}

static void expect_search(const char *q, const char *literal)
{
	struct editor_error err;
	char *lit = search(q, &err);

	if (lit == NULL)
		fail_msg("refused \"%s\": %s", q, err.message);
	assert_string_equal(lit, literal);
	free(lit);
}

static void test_search(void **state)
{
	struct editor_error err;
	char many[2 * NOTICE_SEARCH_MAX + 8];
	(void)state;

	expect_search(NULL, "{}");
	expect_search("", "{}");
	expect_search(" \t ", "{}");
	expect_search("acqua", "{\"%acqua%\"}");
	expect_search("  Acqua   potabile ", "{\"%Acqua%\",\"%potabile%\"}");
	/* LIKE's wildcards and escape match only themselves */
	expect_search("50%", "{\"%50\\\\%%\"}");
	expect_search("via_roma", "{\"%via\\\\_roma%\"}");
	expect_search("a\\b", "{\"%a\\\\\\\\b%\"}");
	/* accents and emoji pass through as they are */
	expect_search("viabilità 🚧", "{\"%viabilità%\",\"%🚧%\"}");

	memset(many, 0, sizeof(many));
	for (int i = 0; i < NOTICE_SEARCH_MAX; i++)
		strcat(many, "è");   /* 100 characters, 200 bytes: fine */
	char *ok = search(many, &err);
	assert_non_null(ok);
	free(ok);
	strcat(many, "x");
	assert_null(search(many, &err));
	assert_string_equal(err.field, "q");
	assert_null(search("caff\xe8", &err));   /* Latin-1, not UTF-8 */
	assert_string_equal(err.field, "q");
	assert_null(search("\xed\xa0\x80", &err));   /* a surrogate */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_notice_fields),
		cmocka_unit_test(test_reason_utf8),
		cmocka_unit_test(test_search),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
