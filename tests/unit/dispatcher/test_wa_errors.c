/* Classification of Cloud API answers: every code of PROVIDERS.md, statuses, transport. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <curl/curl.h>

#include "../../../services/dispatcher/wa_errors.h"
#include "utf8.h"

/* One row: a Meta error code, the HTTP status it comes with, the expected verdict. */
struct code_case {
	int           code;
	long          http;
	enum wa_class cls;
	bool          auth;
};

static const struct code_case code_cases[] = {
	/* transient */
	{ 130429, 429, WA_TRANSIENT, false },
	{ 131056, 400, WA_TRANSIENT, false },
	{ 131057, 400, WA_TRANSIENT, false },
	{ 131000, 500, WA_TRANSIENT, false },
	{ 4, 400, WA_TRANSIENT, false },
	{ 80007, 400, WA_TRANSIENT, false },
	/* permanent */
	{ 131047, 400, WA_PERMANENT, false },
	{ 131026, 400, WA_PERMANENT, false },
	{ 131049, 400, WA_PERMANENT, false },
	{ 131050, 400, WA_PERMANENT, false },
	{ 131048, 400, WA_PERMANENT, false },
	{ 131008, 400, WA_PERMANENT, false },
	{ 131009, 400, WA_PERMANENT, false },
	{ 131051, 400, WA_PERMANENT, false },
	{ 132000, 400, WA_PERMANENT, false },
	{ 132001, 400, WA_PERMANENT, false },
	{ 100, 400, WA_PERMANENT, false },
	/* the sender is unusable */
	{ 190, 401, WA_HALT, true },
	{ 368, 403, WA_HALT, false },
	{ 131031, 400, WA_HALT, false },
	{ 131042, 400, WA_HALT, false },
};

/* A Meta error body for code. */
static void error_body(char *buf, size_t len, int code)
{
	snprintf(buf, len,
	         "{\"error\":{\"message\":\"(#%d) something\",\"type\":\"OAuthException\","
	         "\"code\":%d,\"error_data\":{\"messaging_product\":\"whatsapp\","
	         "\"details\":\"the details\"},\"fbtrace_id\":\"Axyz\"}}", code, code);
}

static void test_every_code(void **state)
{
	char body[512];
	struct wa_verdict v;
	(void)state;

	for (size_t i = 0; i < sizeof(code_cases) / sizeof(code_cases[0]); i++) {
		const struct code_case *c = &code_cases[i];
		error_body(body, sizeof(body), c->code);
		wa_classify(CURLE_OK, NULL, c->http, body, strlen(body), &v);
		if (v.cls != c->cls || v.code != c->code || v.auth != c->auth)
			fail_msg("code %d: got class %s code %d auth %d, want %s auth %d", c->code,
			         wa_class_name(v.cls), v.code, v.auth, wa_class_name(c->cls), c->auth);
		assert_non_null(strstr(v.detail, "the details"));
		assert_string_equal(v.wamid, "");
		/* Only the user's own stop is an opt-out to record (PROVIDERS.md). */
		if (v.revoke != (c->code == 131050))
			fail_msg("code %d: revoke %d", c->code, v.revoke);
	}
}

/* The same code decides even when the HTTP status would say otherwise. */
static void test_code_beats_status(void **state)
{
	char body[512];
	struct wa_verdict v;
	(void)state;

	error_body(body, sizeof(body), 131047);
	wa_classify(CURLE_OK, NULL, 500, body, strlen(body), &v);
	assert_int_equal(v.cls, WA_PERMANENT);
	error_body(body, sizeof(body), 131000);
	wa_classify(CURLE_OK, NULL, 400, body, strlen(body), &v);
	assert_int_equal(v.cls, WA_TRANSIENT);
}

static void test_min_delays(void **state)
{
	char body[512];
	struct wa_verdict v;
	(void)state;

	error_body(body, sizeof(body), 131056);
	wa_classify(CURLE_OK, NULL, 400, body, strlen(body), &v);
	assert_true(v.min_delay_ms >= 6000);
	error_body(body, sizeof(body), 131057);
	wa_classify(CURLE_OK, NULL, 400, body, strlen(body), &v);
	assert_true(v.min_delay_ms >= 10000);
	error_body(body, sizeof(body), 131000);
	wa_classify(CURLE_OK, NULL, 500, body, strlen(body), &v);
	assert_int_equal(v.min_delay_ms, 0);
}

static void test_success(void **state)
{
	const char *ok = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"393331234567\","
	                 "\"wa_id\":\"393331234567\"}],\"messages\":[{\"id\":\"wamid.HBgLabc\"}]}";
	struct wa_verdict v;
	(void)state;

	wa_classify(CURLE_OK, NULL, 200, ok, strlen(ok), &v);
	assert_int_equal(v.cls, WA_SENT);
	assert_string_equal(v.wamid, "wamid.HBgLabc");
	assert_int_equal(v.code, 0);
	/* Accepted but unreadable: still sent (a resend could duplicate), no wamid. */
	wa_classify(CURLE_OK, NULL, 200, "<html>", 6, &v);
	assert_int_equal(v.cls, WA_SENT);
	assert_string_equal(v.wamid, "");
	assert_non_null(strstr(v.detail, "without a message id"));
}

/* Answers without a Meta error body: the HTTP status decides. */
static void test_status_without_body(void **state)
{
	static const struct {
		long          http;
		enum wa_class cls;
		bool          auth;
	} cases[] = {
		{ 500, WA_TRANSIENT, false }, { 502, WA_TRANSIENT, false },
		{ 503, WA_TRANSIENT, false }, { 504, WA_TRANSIENT, false },
		{ 429, WA_TRANSIENT, false }, { 408, WA_TRANSIENT, false },
		{ 401, WA_HALT, true },       { 403, WA_HALT, false },
		{ 400, WA_PERMANENT, false }, { 404, WA_PERMANENT, false },
	};
	struct wa_verdict v;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wa_classify(CURLE_OK, NULL, cases[i].http, NULL, 0, &v);
		if (v.cls != cases[i].cls || v.auth != cases[i].auth)
			fail_msg("http %ld: got %s auth %d", cases[i].http, wa_class_name(v.cls), v.auth);
		wa_classify(CURLE_OK, NULL, cases[i].http, "Bad Gateway", 11, &v);
		assert_int_equal(v.cls, cases[i].cls);
	}
}

/* An unknown code falls back on the status. */
static void test_unknown_code(void **state)
{
	char body[512];
	struct wa_verdict v;
	(void)state;

	error_body(body, sizeof(body), 999999);
	wa_classify(CURLE_OK, NULL, 400, body, strlen(body), &v);
	assert_int_equal(v.cls, WA_PERMANENT);
	assert_int_equal(v.code, 999999);
	wa_classify(CURLE_OK, NULL, 503, body, strlen(body), &v);
	assert_int_equal(v.cls, WA_TRANSIENT);
}

static void test_transport(void **state)
{
	static const int errors[] = { CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_CONNECT,
	                              CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING,
	                              CURLE_COULDNT_RESOLVE_HOST };
	struct wa_verdict v;
	(void)state;

	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		/* Whatever status/body curl had, a transport error is transient. */
		wa_classify(errors[i], NULL, 0, NULL, 0, &v);
		assert_int_equal(v.cls, WA_TRANSIENT);
		assert_int_equal(v.code, 0);
		assert_non_null(strstr(v.detail, "transport"));
	}
	wa_classify(CURLE_OPERATION_TIMEDOUT, "Operation timed out after 10000 ms", 0, NULL, 0, &v);
	assert_non_null(strstr(v.detail, "timed out"));
}

/* A long message with accented letters at the cut: the detail stays valid
 * UTF-8 (the ledger's text column refuses a split character). */
static void test_detail_cut_between_characters(void **state)
{
	char body[1024], msg[600];
	struct wa_verdict v;
	(void)state;

	memset(msg, 'a', 230);
	msg[230] = '\0';
	for (int i = 0; i < 60; i++)
		strcat(msg, "\xC3\xA8");   /* è */
	snprintf(body, sizeof(body), "{\"error\":{\"code\":999999,\"message\":\"%s\"}}", msg);
	wa_classify(CURLE_OK, NULL, 400, body, strlen(body), &v);
	assert_int_equal(v.code, 999999);
	assert_true(strlen(v.detail) < sizeof(v.detail));
	assert_true(utf8_valid_str(v.detail));
	assert_non_null(strstr(v.detail, "\xE2\x80\xA6"));   /* ends with "…" */
}

/* Invalid UTF-8 in a provider's answer is repaired, not a lost answer. */
static void test_invalid_utf8_repaired(void **state)
{
	const char body[] = "{\"error\":{\"code\":131047,\"message\":\"Re-engagement caf\xE9\","
	                    "\"error_data\":{\"details\":\"fuori \xC3\"}}}";
	struct wa_verdict v;
	(void)state;

	wa_classify(CURLE_OK, NULL, 400, body, sizeof(body) - 1, &v);
	assert_int_equal(v.code, 131047);
	assert_int_equal(v.cls, WA_PERMANENT);
	assert_true(utf8_valid_str(v.detail));
	assert_non_null(strstr(v.detail, "fuori \xEF\xBF\xBD"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code),
		cmocka_unit_test(test_code_beats_status),
		cmocka_unit_test(test_min_delays),
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_status_without_body),
		cmocka_unit_test(test_unknown_code),
		cmocka_unit_test(test_transport),
		cmocka_unit_test(test_detail_cut_between_characters),
		cmocka_unit_test(test_invalid_utf8_repaired),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
