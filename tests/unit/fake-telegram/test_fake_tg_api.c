/* The fake's sendMessage rules and the updates it builds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api.h"
#include "store.h"
#include "update.h"

static struct store *st;
static json_t *last_params;   /* of the last check (sent_text points into them) */

static int setup(void **state)
{
	char err[128];
	(void)state;

	st = store_new();
	assert_int_equal(store_channels_parse(st, "@comunedemo, @altro:-1001234567890", err,
	                                      sizeof(err)), 0);
	store_chat_set(st, 42, CHAT_STARTED);
	store_chat_set(st, 43, CHAT_BLOCKED);
	store_chat_set(st, 44, CHAT_DEACTIVATED);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(last_params);
	store_free(st);
	return 0;
}

/* Checks a request given as JSON; returns the code, *desc the description. */
static int check(const char *json, struct api_send *out, char *desc, size_t dlen)
{
	json_decref(last_params);
	last_params = json_loads(json, 0, NULL);
	assert_non_null(last_params);
	return api_check_send(st, last_params, out, desc, dlen);
}

/* One row: a request, the expected code and description (or shown text). */
struct send_case {
	const char *json;
	int         code;
	const char *want;
};

static const struct send_case send_cases[] = {
	{ "{\"chat_id\":42,\"text\":\"ciao\"}", 0, "ciao" },
	{ "{\"chat_id\":\"42\",\"text\":\"  ciao \\n\"}", 0, "ciao" },
	{ "{\"chat_id\":42,\"text\":\"<b>T</b>\\n\\nB &amp; C\",\"parse_mode\":\"HTML\"}", 0,
	  "T\n\nB & C" },
	{ "{\"chat_id\":\"@comunedemo\",\"text\":\"x\"}", 0, "x" },
	{ "{\"chat_id\":\"@ComuneDemo\",\"text\":\"x\"}", 0, "x" },
	{ "{\"chat_id\":-1001234567890,\"text\":\"x\"}", 0, "x" },
	{ "{\"text\":\"x\"}", 400, "Bad Request: chat_id is empty" },
	{ "{\"chat_id\":\" \",\"text\":\"x\"}", 400, "Bad Request: chat_id is empty" },
	{ "{\"chat_id\":7,\"text\":\"x\"}", 403, "Forbidden: bot can't initiate conversation with a user" },
	{ "{\"chat_id\":43,\"text\":\"x\"}", 403, "Forbidden: bot was blocked by the user" },
	{ "{\"chat_id\":44,\"text\":\"x\"}", 403, "Forbidden: user is deactivated" },
	{ "{\"chat_id\":\"@nessuno\",\"text\":\"x\"}", 400, "Bad Request: chat not found" },
	{ "{\"chat_id\":-100999,\"text\":\"x\"}", 400, "Bad Request: chat not found" },
	{ "{\"chat_id\":\"abc\",\"text\":\"x\"}", 400, "Bad Request: chat not found" },
	{ "{\"chat_id\":42}", 400, "Bad Request: message text is empty" },
	{ "{\"chat_id\":42,\"text\":\"   \"}", 400, "Bad Request: message text is empty" },
	{ "{\"chat_id\":42,\"text\":\"<b></b>\",\"parse_mode\":\"HTML\"}", 400,
	  "Bad Request: message text is empty" },
	{ "{\"chat_id\":42,\"text\":\"a < b\",\"parse_mode\":\"HTML\"}", 400,
	  "Bad Request: can't parse entities: Unsupported start tag \"\" at byte offset 2" },
	{ "{\"chat_id\":42,\"text\":\"x\",\"parse_mode\":\"Klingon\"}", 400,
	  "Bad Request: unsupported parse_mode" },
	{ "{\"chat_id\":42,\"text\":\"x\",\"link_preview_options\":\"{nope\"}", 400,
	  "Bad Request: can't parse link preview options JSON object" },
};

static void test_send_rules(void **state)
{
	struct api_send s;
	char desc[512];
	(void)state;

	for (size_t i = 0; i < sizeof(send_cases) / sizeof(send_cases[0]); i++) {
		const struct send_case *c = &send_cases[i];
		int rc = check(c->json, &s, desc, sizeof(desc));
		if (rc != c->code || strcmp(rc == 0 ? s.text : desc, c->want) != 0)
			fail_msg("%s: got %d \"%s\", want %d \"%s\"", c->json, rc,
			         rc == 0 ? s.text : desc, c->code, c->want);
		free(s.text);
	}
}

/* 4096 characters after parsing pass, 4097 do not; an emoji counts two. */
static void test_length_limit(void **state)
{
	char *json = malloc(API_TEXT_MAX * 8 + 200), *w;
	struct api_send s;
	char desc[256];
	(void)state;

	w = json + sprintf(json, "{\"chat_id\":42,\"parse_mode\":\"HTML\",\"text\":\"<b>");
	for (int i = 0; i < API_TEXT_MAX; i++)
		w += sprintf(w, "&amp;");
	sprintf(w, "</b>\"}");
	assert_int_equal(check(json, &s, desc, sizeof(desc)), 0);
	free(s.text);
	sprintf(w, "x</b>\"}");
	assert_int_equal(check(json, &s, desc, sizeof(desc)), 400);
	assert_string_equal(desc, "Bad Request: message is too long");
	w = json + sprintf(json, "{\"chat_id\":42,\"text\":\"");
	for (int i = 0; i < API_TEXT_MAX / 2 + 1; i++)
		w += sprintf(w, "\xF0\x9F\x9A\xA7");
	sprintf(w, "\"}");
	assert_int_equal(check(json, &s, desc, sizeof(desc)), 400);
	free(json);
}

/* What the send remembers: the chat as sent and resolved, the options. */
static void test_send_fields(void **state)
{
	struct api_send s;
	char desc[256];
	(void)state;

	assert_int_equal(check("{\"chat_id\":\"@comunedemo\",\"text\":\"<b>x</b>\",\"parse_mode\":"
	                       "\"HTML\",\"link_preview_options\":{\"is_disabled\":true},"
	                       "\"disable_notification\":true}", &s, desc, sizeof(desc)), 0);
	assert_true(s.channel);
	assert_true(s.chat_id <= -1000000000000LL);
	assert_string_equal(s.chat_key, "@comunedemo");
	assert_string_equal(s.sent_text, "<b>x</b>");
	assert_string_equal(s.parse_mode, "HTML");
	assert_true(s.no_preview);
	assert_true(s.silent);
	free(s.text);
	/* Form-encoded values are strings. */
	assert_int_equal(check("{\"chat_id\":\"42\",\"text\":\"x\",\"link_preview_options\":"
	                       "\"{\\\"is_disabled\\\":true}\",\"disable_notification\":\"false\"}",
	                       &s, desc, sizeof(desc)), 0);
	assert_false(s.channel);
	assert_int_equal(s.chat_id, 42);
	assert_true(s.no_preview);
	assert_false(s.silent);
	free(s.text);
}

static void test_channels_spec(void **state)
{
	struct store *other = store_new();
	char err[128];
	(void)state;

	assert_int_equal(store_channels_parse(other, "", err, sizeof(err)), 0);
	assert_int_equal(store_channels_parse(other, "comunedemo", err, sizeof(err)), -1);
	assert_int_equal(store_channels_parse(other, "@ab", err, sizeof(err)), -1);
	assert_int_equal(store_channels_parse(other, "@comunedemo:42", err, sizeof(err)), -1);
	store_free(other);
	assert_non_null(store_channel_by_name(st, "@COMUNEDEMO"));
	assert_int_equal(store_channel_by_name(st, "@altro")->id, -1001234567890LL);
}

static void test_faults(void **state)
{
	struct store_fault f = { .code = 429, .retry_after = 3 }, got;
	(void)state;

	store_fault_add(st, &f, 2, "42");
	assert_false(store_fault_take(st, "43", &got));
	assert_false(store_fault_take(st, NULL, &got));
	assert_true(store_fault_take(st, "42", &got));
	assert_int_equal(got.code, 429);
	assert_int_equal(got.retry_after, 3);
	assert_true(store_fault_take(st, "42", &got));
	assert_false(store_fault_take(st, "42", &got));
	f.code = 500;
	f.description = "Internal Server Error";
	store_fault_add(st, &f, 1, NULL);
	assert_true(store_fault_take(st, "@comunedemo", &got));
	assert_string_equal(got.description, "Internal Server Error");
	assert_false(store_fault_take(st, "@comunedemo", &got));
}

/* /start as the Bot API sends it: message with from, chat, date, text, entities. */
static void test_update_start(void **state)
{
	struct update_bot bot = { 7000000001LL, "banditore_bot" };
	struct update_in in = { .chat_id = 123456789, .chat_type = "private",
	                        .text = "/start viabilita", .date = 1749416383 };
	json_t *u = update_build(815000123, &bot, &in), *m, *e;
	(void)state;

	assert_int_equal(json_integer_value(json_object_get(u, "update_id")), 815000123);
	m = json_object_get(u, "message");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "chat"), "id")),
	                 123456789);
	assert_string_equal(json_string_value(json_object_get(json_object_get(m, "chat"), "type")),
	                    "private");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "from"), "id")),
	                 123456789);
	assert_false(json_is_true(json_object_get(json_object_get(m, "from"), "is_bot")));
	assert_string_equal(json_string_value(json_object_get(m, "text")), "/start viabilita");
	assert_int_equal(json_integer_value(json_object_get(m, "date")), 1749416383);
	e = json_array_get(json_object_get(m, "entities"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "type")), "bot_command");
	assert_int_equal(json_integer_value(json_object_get(e, "offset")), 0);
	assert_int_equal(json_integer_value(json_object_get(e, "length")), 6);
	json_decref(u);
	in.text = "ciao";
	u = update_build(2, &bot, &in);
	assert_null(json_object_get(json_object_get(u, "message"), "entities"));
	json_decref(u);
}

static void test_update_block(void **state)
{
	struct update_bot bot = { 7000000001LL, "banditore_bot" };
	struct update_in in = { .chat_id = 42, .chat_type = "private", .block = true, .date = 5 };
	json_t *u = update_build(9, &bot, &in), *cm;
	(void)state;

	cm = json_object_get(u, "my_chat_member");
	assert_non_null(cm);
	assert_null(json_object_get(u, "message"));
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(cm, "new_chat_member"), "status")), "kicked");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(cm, "old_chat_member"), "status")), "member");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	                     json_object_get(cm, "new_chat_member"), "user"), "id")), 7000000001LL);
	json_decref(u);
	in.block = false;
	u = update_build(10, &bot, &in);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	                        json_object_get(u, "my_chat_member"), "new_chat_member"), "status")),
	                    "member");
	json_decref(u);
}

static void test_ids_increase(void **state)
{
	long long a = store_next_update_id(st), b = store_next_update_id(st);
	(void)state;

	assert_true(a > 0 && b == a + 1);
	assert_true(b < 2147483647LL);   /* 31 bits, as Telegram's */
	assert_true(store_next_message_id(st) < store_next_message_id(st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send_rules),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_send_fields),
		cmocka_unit_test(test_channels_spec),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_update_start),
		cmocka_unit_test(test_update_block),
		cmocka_unit_test(test_ids_increase),
	};
	return cmocka_run_group_tests_name("fake_tg_api", tests, setup, teardown);
}
