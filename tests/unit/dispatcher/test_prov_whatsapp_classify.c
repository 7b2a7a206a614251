/* Classification of Cloud API answers (prov_whatsapp.c): every code it knows, its
 * throttling signals, statuses, transport. */
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

/* One row: a Meta error code, the HTTP status it comes with, the expected verdict. */
struct code_case {
	int                code;
	long               http;
	enum verdict_class cls;
	bool               auth;
	bool               throttled;
	enum verdict_wait  wait;
};

static const struct code_case code_cases[] = {
	/* transient; throttling slows the number down, the pair rate one recipient */
	{ 130429, 429, VERDICT_TRANSIENT, false, true, WAIT_JOB },
	{ 130429, 400, VERDICT_TRANSIENT, false, true, WAIT_JOB },
	{ 131056, 400, VERDICT_TRANSIENT, false, false, WAIT_RECIPIENT },
	{ 131056, 429, VERDICT_TRANSIENT, false, false, WAIT_RECIPIENT },
	{ 131057, 400, VERDICT_TRANSIENT, false, false, WAIT_JOB },
	{ 131000, 500, VERDICT_TRANSIENT, false, false, WAIT_JOB },
	{ 131000, 429, VERDICT_TRANSIENT, false, true, WAIT_JOB },
	{ 4, 400, VERDICT_TRANSIENT, false, true, WAIT_JOB },
	{ 80007, 400, VERDICT_TRANSIENT, false, true, WAIT_JOB },
	/* permanent */
	{ 131047, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 131026, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 131049, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 131050, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 131048, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 131008, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 131009, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 131051, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 132000, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 132001, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	{ 100, 400, VERDICT_PERMANENT, false, false, WAIT_JOB },
	/* the sender is unusable */
	{ 190, 401, VERDICT_HALT, true, false, WAIT_JOB },
	{ 368, 403, VERDICT_HALT, false, false, WAIT_JOB },
	{ 131031, 400, VERDICT_HALT, false, false, WAIT_JOB },
	{ 131042, 400, VERDICT_HALT, false, false, WAIT_JOB },
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
	struct verdict v;
	(void)state;

	for (size_t i = 0; i < sizeof(code_cases) / sizeof(code_cases[0]); i++) {
		const struct code_case *c = &code_cases[i];
		error_body(body, sizeof(body), c->code);
		prov_classify(&prov_whatsapp, CURLE_OK, NULL, c->http, body, strlen(body), NULL, &v);
		if (v.cls != c->cls || v.code != c->code || v.auth != c->auth ||
		    v.throttled != c->throttled || v.wait != c->wait)
			fail_msg("code %d http %ld: got class %s code %d auth %d throttled %d wait %d, "
			         "want %s auth %d throttled %d wait %d", c->code, c->http,
			         class_name(v.cls), v.code, v.auth, v.throttled, (int)v.wait,
			         class_name(c->cls), c->auth, c->throttled, (int)c->wait);
		assert_non_null(strstr(v.detail, "the details"));
		assert_string_equal(v.msg_id, "");
		/* Only the user's own stop is an opt-out to record. */
		if (v.revoke != (c->code == 131050))
			fail_msg("code %d: revoke %d", c->code, v.revoke);
		if (prov_whatsapp.revokes(c->code, v.detail) != v.revoke)
			fail_msg("code %d: a replay from the ledger disagrees", c->code);
	}
}

/* The same code decides even when the HTTP status would say otherwise. */
static void test_code_beats_status(void **state)
{
	char body[512];
	struct verdict v;
	(void)state;

	error_body(body, sizeof(body), 131047);
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 500, body, strlen(body), NULL, &v);
	assert_int_equal(v.cls, VERDICT_PERMANENT);
	error_body(body, sizeof(body), 131000);
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 400, body, strlen(body), NULL, &v);
	assert_int_equal(v.cls, VERDICT_TRANSIENT);
}

static void test_min_delays(void **state)
{
	char body[512];
	struct verdict v;
	(void)state;

	error_body(body, sizeof(body), 131056);
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 400, body, strlen(body), NULL, &v);
	assert_true(v.min_delay_ms >= 6000);
	error_body(body, sizeof(body), 131057);
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 400, body, strlen(body), NULL, &v);
	assert_true(v.min_delay_ms >= 10000);
	error_body(body, sizeof(body), 131000);
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 500, body, strlen(body), NULL, &v);
	assert_int_equal(v.min_delay_ms, 0);
}

static void test_success(void **state)
{
	const char *ok = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"393331234567\","
	                 "\"wa_id\":\"393331234567\"}],\"messages\":[{\"id\":\"wamid.HBgLabc\"}]}";
	struct verdict v;
	(void)state;

	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 200, ok, strlen(ok), NULL, &v);
	assert_int_equal(v.cls, VERDICT_SENT);
	assert_string_equal(v.msg_id, "wamid.HBgLabc");
	assert_int_equal(v.code, 0);
	/* Accepted but unreadable: still sent (a resend could duplicate), no wamid. */
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 200, "<html>", 6, NULL, &v);
	assert_int_equal(v.cls, VERDICT_SENT);
	assert_string_equal(v.msg_id, "");
	assert_non_null(strstr(v.detail, "without a message id"));
}

/* Answers without a Meta error body: the HTTP status decides. */
static void test_status_without_body(void **state)
{
	static const struct {
		long               http;
		enum verdict_class cls;
		bool               auth;
	} cases[] = {
		{ 500, VERDICT_TRANSIENT, false }, { 502, VERDICT_TRANSIENT, false },
		{ 503, VERDICT_TRANSIENT, false }, { 504, VERDICT_TRANSIENT, false },
		{ 429, VERDICT_TRANSIENT, false }, { 408, VERDICT_TRANSIENT, false },
		{ 401, VERDICT_HALT, true },       { 403, VERDICT_HALT, false },
		{ 400, VERDICT_PERMANENT, false }, { 404, VERDICT_PERMANENT, false },
	};
	struct verdict v;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		prov_classify(&prov_whatsapp, CURLE_OK, NULL, cases[i].http, NULL, 0, NULL, &v);
		if (v.cls != cases[i].cls || v.auth != cases[i].auth)
			fail_msg("http %ld: got %s auth %d", cases[i].http, class_name(v.cls), v.auth);
		/* A bare 429 throttles the number. */
		assert_int_equal(v.throttled, cases[i].http == 429);
		prov_classify(&prov_whatsapp, CURLE_OK, NULL, cases[i].http, "Bad Gateway", 11, NULL, &v);
		assert_int_equal(v.cls, cases[i].cls);
	}
}

/* An unknown code falls back on the status. */
static void test_unknown_code(void **state)
{
	char body[512];
	struct verdict v;
	(void)state;

	error_body(body, sizeof(body), 999999);
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 400, body, strlen(body), NULL, &v);
	assert_int_equal(v.cls, VERDICT_PERMANENT);
	assert_int_equal(v.code, 999999);
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 503, body, strlen(body), NULL, &v);
	assert_int_equal(v.cls, VERDICT_TRANSIENT);
}

static void test_transport(void **state)
{
	static const int errors[] = { CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_CONNECT,
	                              CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING,
	                              CURLE_COULDNT_RESOLVE_HOST };
	struct verdict v;
	(void)state;

	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		/* Whatever status/body curl had, a transport error is transient. */
		prov_classify(&prov_whatsapp, errors[i], NULL, 0, NULL, 0, NULL, &v);
		assert_int_equal(v.cls, VERDICT_TRANSIENT);
		assert_int_equal(v.code, 0);
		assert_non_null(strstr(v.detail, "transport"));
	}
	prov_classify(&prov_whatsapp, CURLE_OPERATION_TIMEDOUT, "Operation timed out after 10000 ms", 0,
	                       NULL, 0, NULL, &v);
	assert_non_null(strstr(v.detail, "timed out"));
}

/* A long message with accented letters at the cut: the detail stays valid
 * UTF-8 (the ledger's text column refuses a split character). */
static void test_detail_cut_between_characters(void **state)
{
	char body[1024], msg[600];
	struct verdict v;
	(void)state;

	memset(msg, 'a', 230);
	msg[230] = '\0';
	for (int i = 0; i < 60; i++)
		strcat(msg, "\xC3\xA8");   /* è */
	snprintf(body, sizeof(body), "{\"error\":{\"code\":999999,\"message\":\"%s\"}}", msg);
	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 400, body, strlen(body), NULL, &v);
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
	struct verdict v;
	(void)state;

	prov_classify(&prov_whatsapp, CURLE_OK, NULL, 400, body, sizeof(body) - 1, NULL, &v);
	assert_int_equal(v.code, 131047);
	assert_int_equal(v.cls, VERDICT_PERMANENT);
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
