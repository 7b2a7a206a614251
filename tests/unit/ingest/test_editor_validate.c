/* Validation of the editors' notice API input (editor_validate.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "api/editor_validate.h"

/* A JSON string of n copies of unit (a UTF-8 sequence). */
static char *repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

/* Parses body; returns the rc and leaves in/err filled. */
static int parse(const char *body, struct notice_input *in, struct editor_error *err)
{
	return editor_notice_parse(body, strlen(body), in, err);
}

/* Expects body to fail on field with a message containing what. */
static void expect_invalid(const char *body, const char *field, const char *what)
{
	struct notice_input in;
	struct editor_error err;

	assert_int_equal(parse(body, &in, &err), -1);
	assert_string_equal(err.field, field);
	if (strstr(err.message, what) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err.message, what);
	assert_null(in.title);
	assert_null(in.topics);
}

static void test_full_notice(void **state)
{
	struct notice_input in;
	struct editor_error err;
	(void)state;

	assert_int_equal(parse("{\"title\":\"Chiusura via Roma\",\"body\":\"Dalle 8 alle 18.\\n"
	                       "Deviazione per via Verdi.\",\"urgent\":true,\"topics\":"
	                       "[\"viabilita\",\"lavori\"],\"future_field\":1}", &in, &err), 0);
	assert_string_equal(in.title, "Chiusura via Roma");
	assert_string_equal(in.body, "Dalle 8 alle 18.\nDeviazione per via Verdi.");
	assert_true(in.urgent);
	assert_int_equal(in.ntopics, 2);
	assert_string_equal(in.topics[0], "viabilita");
	assert_string_equal(in.topics[1], "lavori");
	editor_notice_free(&in);
	assert_null(in.title);
	assert_int_equal(in.ntopics, 0);
}

static void test_minimal_notice(void **state)
{
	struct notice_input in;
	struct editor_error err;
	(void)state;

	assert_int_equal(parse("{\"title\":\"Acqua\",\"body\":\"Interruzione idrica.\"}", &in,
	                       &err), 0);
	assert_false(in.urgent);
	assert_int_equal(in.ntopics, 0);
	assert_null(in.topics);
	editor_notice_free(&in);
	assert_int_equal(parse("{\"title\":\"A\",\"body\":\"B\",\"urgent\":null,\"topics\":null}",
	                       &in, &err), 0);
	assert_false(in.urgent);
	editor_notice_free(&in);
}

static void test_title_errors(void **state)
{
	(void)state;
	expect_invalid("{\"body\":\"x\"}", "title", "title is required");
	expect_invalid("{\"title\":null,\"body\":\"x\"}", "title", "title is required");
	expect_invalid("{\"title\":42,\"body\":\"x\"}", "title", "title must be a string");
	expect_invalid("{\"title\":\"\",\"body\":\"x\"}", "title", "must not be empty");
	expect_invalid("{\"title\":\"   \",\"body\":\"x\"}", "title", "must not be empty");
	expect_invalid("{\"title\":\"two\\nlines\",\"body\":\"x\"}", "title", "one line");
	expect_invalid("{\"title\":\"tab\\there\",\"body\":\"x\"}", "title", "one line");
}

static void test_title_length(void **state)
{
	struct notice_input in;
	struct editor_error err;
	char body[1024];
	char *t120 = repeat("a", 120), *t121 = repeat("a", 121);
	/* 120 "è": 240 bytes but 120 characters. */
	char *e120 = repeat("\xc3\xa8", 120), *e121 = repeat("\xc3\xa8", 121);
	(void)state;

	snprintf(body, sizeof(body), "{\"title\":\"%s\",\"body\":\"x\"}", t120);
	assert_int_equal(parse(body, &in, &err), 0);
	assert_int_equal(strlen(in.title), 120);
	editor_notice_free(&in);
	snprintf(body, sizeof(body), "{\"title\":\"%s\",\"body\":\"x\"}", e120);
	assert_int_equal(parse(body, &in, &err), 0);
	assert_int_equal(strlen(in.title), 240);
	editor_notice_free(&in);
	snprintf(body, sizeof(body), "{\"title\":\"%s\",\"body\":\"x\"}", t121);
	expect_invalid(body, "title", "title must be at most 120 characters (got 121)");
	snprintf(body, sizeof(body), "{\"title\":\"%s\",\"body\":\"x\"}", e121);
	expect_invalid(body, "title", "(got 121)");
	free(t120);
	free(t121);
	free(e120);
	free(e121);
}

static void test_body_errors(void **state)
{
	struct notice_input in;
	struct editor_error err;
	char *b3000 = repeat("b", 3000), *b3001 = repeat("b", 3001);
	char *json = malloc(3100);
	(void)state;

	expect_invalid("{\"title\":\"t\"}", "body", "body is required");
	expect_invalid("{\"title\":\"t\",\"body\":[\"x\"]}", "body", "body must be a string");
	expect_invalid("{\"title\":\"t\",\"body\":\"\"}", "body", "must not be empty");
	expect_invalid("{\"title\":\"t\",\"body\":\"bell\\u0007\"}", "body", "control characters");
	snprintf(json, 3100, "{\"title\":\"t\",\"body\":\"%s\"}", b3000);
	assert_int_equal(parse(json, &in, &err), 0);
	assert_int_equal(strlen(in.body), 3000);
	editor_notice_free(&in);
	snprintf(json, 3100, "{\"title\":\"t\",\"body\":\"%s\"}", b3001);
	expect_invalid(json, "body", "body must be at most 3000 characters (got 3001)");
	/* A bad title is reported before a bad body. */
	expect_invalid("{\"title\":1,\"body\":2}", "title", "must be a string");
	free(b3000);
	free(b3001);
	free(json);
}

static void test_urgent_and_topics_errors(void **state)
{
	char json[4096];
	size_t pos;
	(void)state;

	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"urgent\":\"yes\"}", "urgent",
	               "urgent must be true or false");
	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"urgent\":1}", "urgent", "true or false");
	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"topics\":\"lavori\"}", "topics",
	               "must be an array");
	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"topics\":[\"a\",7]}", "topics[1]",
	               "topics[1] must be a string");
	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"topics\":[\"\"]}", "topics[0]",
	               "1 to 64 characters");
	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"topics\":[\"a\\nb\"]}", "topics[0]",
	               "one line");
	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"topics\":[\"acqua\",\"rifiuti\",\"acqua\"]}",
	               "topics[2]", "repeats \"acqua\"");
	pos = (size_t)snprintf(json, sizeof(json), "{\"title\":\"t\",\"body\":\"b\",\"topics\":[");
	for (int i = 0; i < 33; i++)
		pos += (size_t)snprintf(json + pos, sizeof(json) - pos, "%s\"t%d\"", i ? "," : "", i);
	snprintf(json + pos, sizeof(json) - pos, "]}");
	expect_invalid(json, "topics", "at most 32 topics");
}

static void test_not_json(void **state)
{
	(void)state;
	expect_invalid("{\"title\":", "", "invalid JSON");
	expect_invalid("", "", "invalid JSON");
	expect_invalid("[\"title\"]", "", "must be a JSON object");
	expect_invalid("\"title\"", "", "must be a JSON object");
	expect_invalid("null", "", "must be a JSON object");
}

static void test_utf8_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("citt\xc3\xa0"), 5);
	assert_int_equal(utf8_chars("\xe2\x82\xac"), 1);        /* € */
	assert_int_equal(utf8_chars("\xf0\x9f\x9a\xa7!"), 2);    /* 🚧! */
}

/* Empty names are refused at once (they used to loop forever). */
static void test_empty_names(void **state)
{
	(void)state;
	expect_invalid("{\"title\":\"T\",\"body\":\"B\",\"category\":\"\"}", "category",
	               "one of");
	expect_invalid("{\"title\":\"T\",\"body\":\"B\",\"channels\":[\"\",\"telegram\"]}",
	               "channels[0]", "one of");
}

/* Invalid UTF-8 is refused naming the field (editors' JSON API). */
static void test_invalid_utf8(void **state)
{
	(void)state;
	expect_invalid("{\"title\":\"Acqua sospesa a Forl\xEC\",\"body\":\"x\"}", "title",
	               "UTF-8");
	expect_invalid("{\"title\":\"Acqua\",\"body\":\"Via Roma \xF0\x9F\x9A\"}", "body", "UTF-8");
	expect_invalid("{\"title\":\"T\",\"body\":\"B\",\"topics\":[\"acqua\",\"\xC0\xAF\"]}",
	               "topics[1]", "UTF-8");
}

/* The author's proposed time: parsed here, checked against now apart. */
static void test_scheduled_at(void **state)
{
	struct notice_input in;
	struct editor_error err;
	(void)state;

	assert_int_equal(parse("{\"title\":\"t\",\"body\":\"b\","
	                       "\"scheduled_at\":\"2026-12-24T08:30:00+01:00\"}", &in, &err), 0);
	assert_true(in.scheduled_at_ms == 1798097400000LL);
	assert_int_equal(editor_schedule_check(&in, 1798097399999LL, &err), 0);
	assert_int_equal(editor_schedule_check(&in, 1798097400000LL, &err), -1);
	assert_string_equal(err.field, "scheduled_at");
	assert_non_null(strstr(err.message, "in the future"));
	editor_notice_free(&in);
	assert_int_equal(parse("{\"title\":\"t\",\"body\":\"b\",\"scheduled_at\":null}", &in, &err), 0);
	assert_true(in.scheduled_at_ms == 0);
	assert_int_equal(editor_schedule_check(&in, 1798097400000LL, &err), 0);
	editor_notice_free(&in);
	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"scheduled_at\":\"domani\"}",
	               "scheduled_at", "RFC 3339");
	expect_invalid("{\"title\":\"t\",\"body\":\"b\",\"scheduled_at\":1766561400}",
	               "scheduled_at", "RFC 3339");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_notice),
		cmocka_unit_test(test_minimal_notice),
		cmocka_unit_test(test_title_errors),
		cmocka_unit_test(test_title_length),
		cmocka_unit_test(test_body_errors),
		cmocka_unit_test(test_urgent_and_topics_errors),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_empty_names),
		cmocka_unit_test(test_scheduled_at),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
