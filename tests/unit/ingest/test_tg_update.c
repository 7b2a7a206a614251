/* Telegram update parsing and normalization (tg_update.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/citizen_key.h"
#include "webhooks/tg_update.h"

static const struct tg_channel demo = { 12, "demo", "7000000001" };

static enum tg_err parse(const char *body, struct tg_update *upd)
{
	char err[256];
	return tg_update_parse(body, strlen(body), &demo, upd, err, sizeof(err));
}

/* /start as the Bot API delivers it (docs/providers.md, "Telegram: webhook updates"). */
static const char START[] =
    "{\"update_id\":815000123,\"message\":{\"message_id\":1,\"from\":{\"id\":123456789,"
    "\"is_bot\":false,\"first_name\":\"Maria\",\"language_code\":\"it\"},\"chat\":"
    "{\"id\":123456789,\"first_name\":\"Maria\",\"type\":\"private\"},\"date\":1749416383,"
    "\"text\":\"/start\",\"entities\":[{\"offset\":0,\"length\":6,\"type\":\"bot_command\"}]}}";

static void test_start(void **state)
{
	struct tg_update upd;
	(void)state;

	assert_int_equal(parse(START, &upd), TG_OK);
	assert_true(upd.has_event);
	assert_int_equal(upd.update_id, 815000123);
	assert_int_equal(upd.msg.kind, BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM);
	assert_int_equal(upd.msg.channel_id, 12);
	assert_string_equal(upd.msg.sender_account, "7000000001");
	assert_string_equal(upd.msg.address, "123456789");
	assert_string_equal(upd.msg.provider_message_id, "tg:815000123");
	assert_string_equal(upd.msg.message_type, "text");
	assert_string_equal(upd.msg.text, "/start");
	assert_string_equal(upd.msg.source, "telegram");
	assert_int_equal(upd.msg.provider_ts, 1749416383);
	{
		char *want = ck_message_key(12, "123456789");
		assert_string_equal(upd.key, want);   /* "12/<hash>", not the chat id */
		assert_null(strstr(upd.key, "123456789"));
		free(want);
	}
	assert_string_equal(upd.msg.meta->comune_id, "demo");
	assert_int_equal(strlen(upd.msg.meta->id), 36);
	tg_update_free(&upd);
}

/* The event survives the trip through Kafka. */
static void test_pack_roundtrip(void **state)
{
	struct tg_update upd;
	Banditore__V1__CitizenMessage *cm;
	size_t len;
	void *buf;
	(void)state;

	assert_int_equal(parse(START, &upd), TG_OK);
	buf = tg_update_pack(&upd, &len);
	cm = banditore__v1__citizen_message__unpack(NULL, len, buf);
	assert_non_null(cm);
	assert_string_equal(cm->address, "123456789");
	assert_string_equal(cm->source, "telegram");
	assert_string_equal(cm->provider_message_id, "tg:815000123");
	banditore__v1__citizen_message__free_unpacked(cm, NULL);
	free(buf);
	tg_update_free(&upd);
}

static void test_deep_link_and_big_ids(void **state)
{
	struct tg_update upd;
	(void)state;

	assert_int_equal(parse("{\"update_id\":9007199254740993,\"message\":{\"message_id\":7,"
	                       "\"chat\":{\"id\":7123456789012,\"type\":\"private\"},\"date\":5,"
	                       "\"text\":\"/start viabilita\"}}", &upd), TG_OK);
	assert_true(upd.has_event);
	assert_string_equal(upd.msg.text, "/start viabilita");
	assert_string_equal(upd.msg.address, "7123456789012");
	assert_string_equal(upd.msg.provider_message_id, "tg:9007199254740993");
	tg_update_free(&upd);
}

/* A row: an update body and what it must give. */
struct member_case {
	const char *status;
	const char *type;     /* NULL: ignored */
};

static void test_my_chat_member(void **state)
{
	static const struct member_case cases[] = {
		{ "kicked", "blocked" }, { "member", "unblocked" },
		{ "left", NULL }, { "administrator", NULL },
	};
	char body[512];
	struct tg_update upd;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(body, sizeof(body),
		         "{\"update_id\":5,\"my_chat_member\":{\"chat\":{\"id\":42,\"type\":\"private\"},"
		         "\"from\":{\"id\":42,\"is_bot\":false,\"first_name\":\"A\"},\"date\":99,"
		         "\"old_chat_member\":{\"user\":{\"id\":7000000001,\"is_bot\":true},"
		         "\"status\":\"member\"},\"new_chat_member\":{\"user\":{\"id\":7000000001,"
		         "\"is_bot\":true},\"status\":\"%s\",\"until_date\":0}}}", cases[i].status);
		assert_int_equal(parse(body, &upd), TG_OK);
		if (cases[i].type == NULL) {
			assert_false(upd.has_event);
			continue;
		}
		assert_true(upd.has_event);
		assert_string_equal(upd.msg.message_type, cases[i].type);
		assert_string_equal(upd.msg.text, "");
		assert_string_equal(upd.msg.address, "42");
		assert_int_equal(upd.msg.provider_ts, 99);
		tg_update_free(&upd);
	}
}

/* Non-private chats and kinds we do not use: accepted, nothing produced. */
static void test_ignored(void **state)
{
	static const char *const bodies[] = {
		"{\"update_id\":1,\"message\":{\"message_id\":1,\"chat\":{\"id\":-1001234,"
		"\"type\":\"supergroup\",\"title\":\"G\"},\"date\":1,\"text\":\"/start\"}}",
		"{\"update_id\":2,\"message\":{\"message_id\":1,\"chat\":{\"id\":-42,"
		"\"type\":\"group\",\"title\":\"G\"},\"date\":1,\"text\":\"ciao\"}}",
		"{\"update_id\":3,\"my_chat_member\":{\"chat\":{\"id\":-1001,\"type\":\"channel\"},"
		"\"date\":1,\"new_chat_member\":{\"status\":\"administrator\"}}}",
		"{\"update_id\":4,\"channel_post\":{\"message_id\":1,\"chat\":{\"id\":-1001,"
		"\"type\":\"channel\"},\"date\":1,\"text\":\"x\"}}",
		"{\"update_id\":5,\"edited_message\":{\"message_id\":1,\"chat\":{\"id\":42,"
		"\"type\":\"private\"},\"date\":1,\"text\":\"x\"}}",
		"{\"update_id\":6,\"callback_query\":{\"id\":\"1\",\"data\":\"x\"}}",
		"{\"update_id\":7}",
	};
	struct tg_update upd;
	(void)state;

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		if (parse(bodies[i], &upd) != TG_OK || upd.has_event)
			fail_msg("update %zu: want accepted without an event", i + 1);
		assert_non_null(upd.ignored);
		tg_update_free(&upd);
	}
}

/* A photo (or sticker, voice...) in a private chat: "other", no text. */
static void test_other_kinds(void **state)
{
	struct tg_update upd;
	(void)state;

	assert_int_equal(parse("{\"update_id\":8,\"message\":{\"message_id\":3,\"chat\":{\"id\":42,"
	                       "\"type\":\"private\"},\"date\":1,\"photo\":[{\"file_id\":\"x\"}],"
	                       "\"caption\":\"guardate\"}}", &upd), TG_OK);
	assert_true(upd.has_event);
	assert_string_equal(upd.msg.message_type, "other");
	assert_string_equal(upd.msg.text, "");
	tg_update_free(&upd);
}

static void test_malformed(void **state)
{
	static const struct {
		const char *body;
		enum tg_err want;
	} cases[] = {
		{ "", TG_ERR_JSON },
		{ "not json", TG_ERR_JSON },
		{ "[1,2]", TG_ERR_JSON },
		{ "{\"message\":{}}", TG_ERR_SHAPE },
		{ "{\"update_id\":\"1\"}", TG_ERR_SHAPE },
		{ "{\"update_id\":-1}", TG_ERR_SHAPE },
		{ "{\"update_id\":1,\"message\":\"x\"}", TG_ERR_SHAPE },
		{ "{\"update_id\":1,\"message\":{\"chat\":{\"type\":\"private\"}}}", TG_ERR_SHAPE },
		{ "{\"update_id\":1,\"message\":{\"chat\":{\"id\":\"42\",\"type\":\"private\"}}}",
		  TG_ERR_SHAPE },
		{ "{\"update_id\":1,\"message\":{\"chat\":{\"id\":-42,\"type\":\"private\"}}}",
		  TG_ERR_SHAPE },
		{ "{\"update_id\":1,\"my_chat_member\":{\"chat\":{\"id\":42,\"type\":\"private\"}}}",
		  TG_ERR_SHAPE },
	};
	struct tg_update upd;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum tg_err got = parse(cases[i].body, &upd);
		if (got != cases[i].want)
			fail_msg("case %zu (%s): got %d, want %d", i, cases[i].body, got, cases[i].want);
		assert_false(upd.has_event);
	}
}

/* The body need not be NUL-terminated: only len bytes are read. */
static void test_length_bounded(void **state)
{
	char buf[sizeof(START) + 8];
	struct tg_update upd;
	char err[128];
	(void)state;

	memcpy(buf, START, sizeof(START) - 1);
	memcpy(buf + sizeof(START) - 1, "GARBAGE!", 8);
	assert_int_equal(tg_update_parse(buf, sizeof(START) - 1, &demo, &upd, err, sizeof(err)),
	                 TG_OK);
	assert_true(upd.has_event);
	tg_update_free(&upd);
}

/* Invalid UTF-8 in an update: refused, naming the field. */
static void test_invalid_utf8(void **state)
{
	const char body[] = "{\"update_id\":9,\"message\":{\"message_id\":1,\"date\":1,"
	                    "\"chat\":{\"id\":42,\"type\":\"private\"},\"text\":\"ATTIVA \xF0\x9F\"}}";
	struct tg_update upd;
	char err[128];
	(void)state;

	assert_int_equal(tg_update_parse(body, sizeof(body) - 1, &demo, &upd, err, sizeof(err)),
	                 TG_ERR_UTF8);
	assert_string_equal(upd.bad_field, "message.text");
	assert_non_null(strstr(err, "message.text"));
	assert_false(upd.has_event);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_pack_roundtrip),
		cmocka_unit_test(test_deep_link_and_big_ids),
		cmocka_unit_test(test_my_chat_member),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_other_kinds),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_length_bounded),
		cmocka_unit_test(test_invalid_utf8),
	};
	return cmocka_run_group_tests_name("tg_update", tests, NULL, NULL);
}
