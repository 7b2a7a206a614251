/* Classification of Bot API answers (prov_telegram.c): successes, the errors it tells
 * apart, flood control, transport. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "provider.h"
#include "utf8.h"

static const char *class_name(enum verdict_class cls)
{
	static const char *const names[] = { "sent", "transient", "permanent", "halt" };
	return (unsigned)cls < 4 ? names[cls] : "?";
}

/* A Bot API error body. */
static void error_body(char *buf, size_t len, int code, const char *desc)
{
	snprintf(buf, len, "{\"ok\":false,\"error_code\":%d,\"description\":\"%s\"}", code, desc);
}

static void classify(long http, const char *body, struct verdict *v)
{
	prov_classify(&prov_telegram, CURLE_OK, NULL, http, body, body ? strlen(body) : 0, "123456789", v);
}

static void test_sent(void **state)
{
	const char *ok = "{\"ok\":true,\"result\":{\"message_id\":77,\"from\":{\"id\":7000000001,"
	                 "\"is_bot\":true},\"chat\":{\"id\":123456789,\"type\":\"private\"},"
	                 "\"date\":1749416383,\"text\":\"Acqua sospesa\"}}";
	const char *channel = "{\"ok\":true,\"result\":{\"message_id\":5,\"sender_chat\":"
	                      "{\"id\":-1001234567890},\"chat\":{\"id\":-1001234567890,"
	                      "\"type\":\"channel\"},\"date\":1,\"text\":\"x\"}}";
	struct verdict v;
	(void)state;

	classify(200, ok, &v);
	assert_int_equal(v.cls, VERDICT_SENT);
	assert_string_equal(v.msg_id, "123456789:77");
	assert_false(v.revoke);
	classify(200, channel, &v);
	assert_string_equal(v.msg_id, "-1001234567890:5");
	/* No chat in the result: the job's address names it. */
	classify(200, "{\"ok\":true,\"result\":{\"message_id\":9}}", &v);
	assert_string_equal(v.msg_id, "123456789:9");
	/* Accepted but unreadable: still sent (a resend could duplicate), no id. */
	classify(200, "<html>", &v);
	assert_int_equal(v.cls, VERDICT_SENT);
	assert_string_equal(v.msg_id, "");
	assert_non_null(strstr(v.detail, "without a message id"));
}

/* One row: an error answer and its verdict. */
struct err_case {
	int                code;
	const char        *desc;
	enum verdict_class cls;
	bool               revoke;
	bool               auth;
};

static const struct err_case err_cases[] = {
	{ 403, "Forbidden: bot was blocked by the user", VERDICT_PERMANENT, true, false },
	{ 403, "Forbidden: user is deactivated", VERDICT_PERMANENT, true, false },
	{ 400, "Bad Request: chat not found", VERDICT_PERMANENT, true, false },
	{ 403, "Forbidden: bot can't initiate conversation with a user", VERDICT_PERMANENT, false,
	  false },
	{ 403, "Forbidden: bot was kicked from the channel chat", VERDICT_PERMANENT, false, false },
	{ 403, "Forbidden: bot is not a member of the channel chat", VERDICT_PERMANENT, false, false },
	{ 400, "Bad Request: message is too long", VERDICT_PERMANENT, false, false },
	{ 400, "Bad Request: can't parse entities: Unsupported start tag \\\"p\\\" at byte offset 0",
	  VERDICT_PERMANENT, false, false },
	{ 400, "Bad Request: message text is empty", VERDICT_PERMANENT, false, false },
	{ 401, "Unauthorized", VERDICT_HALT, false, true },
	{ 404, "Not Found", VERDICT_HALT, false, true },
	{ 500, "Internal Server Error", VERDICT_TRANSIENT, false, false },
	{ 502, "Bad Gateway", VERDICT_TRANSIENT, false, false },
	{ 429, "Too Many Requests: retry after 3", VERDICT_TRANSIENT, false, false },
};

static void test_errors(void **state)
{
	char body[512];
	struct verdict v;
	(void)state;

	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		const struct err_case *c = &err_cases[i];
		error_body(body, sizeof(body), c->code, c->desc);
		classify(c->code, body, &v);
		if (v.cls != c->cls || v.revoke != c->revoke || v.auth != c->auth || v.code != c->code)
			fail_msg("%d %s: got %s revoke %d auth %d code %d", c->code, c->desc,
			         class_name(v.cls), v.revoke, v.auth, v.code);
		assert_non_null(strstr(v.detail, "http "));
		assert_string_equal(v.msg_id, "");
		/* Only flood control slows the bot down and holds it. */
		assert_int_equal(v.throttled, c->code == 429);
		assert_int_equal(v.wait, c->code == 429 ? WAIT_SENDER : WAIT_JOB);
	}
}

/* 429: wait as long as Telegram says, at least. */
static void test_retry_after(void **state)
{
	const char *ra = "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: "
	                 "retry after 17\",\"parameters\":{\"retry_after\":17}}";
	struct verdict v;
	(void)state;

	classify(429, ra, &v);
	assert_int_equal(v.cls, VERDICT_TRANSIENT);
	assert_int_equal(v.min_delay_ms, 17000);
	assert_int_equal(v.wait, WAIT_SENDER);
	assert_true(v.throttled);
	classify(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests\"}", &v);
	assert_int_equal(v.cls, VERDICT_TRANSIENT);
	assert_true(v.min_delay_ms >= 1000);
}

/* The chat moved: failed, with the new id in the detail, no revocation. */
static void test_migrated(void **state)
{
	const char *mig = "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group "
	                  "chat was upgraded to a supergroup chat\",\"parameters\":"
	                  "{\"migrate_to_chat_id\":-1009876543210}}";
	struct verdict v;
	(void)state;

	classify(400, mig, &v);
	assert_int_equal(v.cls, VERDICT_PERMANENT);
	assert_false(v.revoke);
	assert_non_null(strstr(v.detail, "migrated"));
	assert_non_null(strstr(v.detail, "-1009876543210"));
}

/* No body, or not JSON: the status decides. */
static void test_status_only(void **state)
{
	struct verdict v;
	(void)state;

	classify(502, NULL, &v);
	assert_int_equal(v.cls, VERDICT_TRANSIENT);
	classify(503, "<html>Service Unavailable</html>", &v);
	assert_int_equal(v.cls, VERDICT_TRANSIENT);
	classify(401, NULL, &v);
	assert_int_equal(v.cls, VERDICT_HALT);
	classify(400, NULL, &v);
	assert_int_equal(v.cls, VERDICT_PERMANENT);
	assert_false(v.revoke);
}

static void test_transport(void **state)
{
	struct verdict v;
	(void)state;

	prov_classify(&prov_telegram, CURLE_COULDNT_CONNECT, NULL, 0, NULL, 0, "1", &v);
	assert_int_equal(v.cls, VERDICT_TRANSIENT);
	assert_non_null(strstr(v.detail, "transport"));
	prov_classify(&prov_telegram, CURLE_OPERATION_TIMEDOUT, "Operation timed out after 10000 ms", 200,
	            "{\"ok\":true}", 11, "1", &v);
	assert_int_equal(v.cls, VERDICT_TRANSIENT);
	assert_non_null(strstr(v.detail, "timed out"));
}

/* The ledger keeps the description in the detail: a replay still knows to revoke. */
static void test_revokes_from_ledger_detail(void **state)
{
	(void)state;

	assert_true(prov_telegram.revokes(403, "http 403: Forbidden: bot was blocked by the user"));
	assert_true(prov_telegram.revokes(400, "http 400: Bad Request: chat not found"));
	assert_false(prov_telegram.revokes(400, "http 400: Bad Request: message is too long"));
	assert_false(prov_telegram.revokes(403, "http 403: Forbidden: bot was kicked from the channel chat"));
	assert_false(prov_telegram.revokes(500, "http 500: chat not found"));
	assert_false(prov_telegram.revokes(403, NULL));
}

/* A description cut for the ledger keeps whole characters; invalid
 * bytes in it are repaired and the error code still counts. */
static void test_description_utf8(void **state)
{
	char body[1024], desc[600];
	const char bad[] = "{\"ok\":false,\"error_code\":403,\"description\":"
	                   "\"Forbidden: bot was blocked by the user \xF0\x9F\"}";
	struct verdict v;
	(void)state;

	memset(desc, 'x', 240);
	desc[240] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(desc, "\xF0\x9F\x99\x82");   /* 🙂 */
	error_body(body, sizeof(body), 400, desc);
	classify(400, body, &v);
	assert_int_equal(v.cls, VERDICT_PERMANENT);
	assert_true(utf8_valid_str(v.detail));
	classify(403, bad, &v);
	assert_int_equal(v.code, 403);
	assert_true(v.revoke);
	assert_true(utf8_valid_str(v.detail));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sent),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_migrated),
		cmocka_unit_test(test_status_only),
		cmocka_unit_test(test_transport),
		cmocka_unit_test(test_revokes_from_ledger_detail),
		cmocka_unit_test(test_description_utf8),
	};
	return cmocka_run_group_tests_name("prov_telegram_classify", tests, NULL, NULL);
}
