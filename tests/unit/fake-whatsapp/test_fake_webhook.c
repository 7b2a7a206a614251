/* The fake's signed webhook POSTs: Meta's escaping, the signatures, the answer handed back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "crypto.h"
#include "receiver.h"
#include "../../../tests/fakes/fake-whatsapp/webhook.h"

#define SECRET "app-secret"

/* What a POST's done callback saw. */
struct outcome {
	int calls;
	int status;
};

/* fk_post_done_fn of the tests. */
static void on_done(int status, void *arg)
{
	struct outcome *o = arg;

	o->calls++;
	o->status = status;
}

/* run_until condition: done was called. */
static bool answered(void *arg)
{
	return ((struct outcome *)arg)->calls > 0;
}

/* Non-ASCII as lowercase \u escapes, '/' escaped, a literal backslash left alone. */
static void test_serialize(void **state)
{
	json_t *p = json_pack("{s:s}", "t", "Citt\xc3\xa0 / \xf0\x9f\x98\x80 \\u00E8");
	size_t len = 0;
	char *body = webhook_serialize(p, &len);
	(void)state;

	assert_non_null(body);
	assert_int_equal(len, strlen(body));
	assert_string_equal(body, "{\"t\":\"Citt\\u00e0 \\/ \\ud83d\\ude00 \\\\u00E8\"}");
	free(body);
	json_decref(p);
}

/* The signature is HMAC-SHA256 over exactly the bytes given. */
static void test_signature(void **state)
{
	const char *body = "{\"a\":1}";
	char sig[WEBHOOK_SIG_LEN], want[SHA256_HEX_LEN + 1];
	(void)state;

	webhook_signature(SECRET, body, strlen(body), sig);
	hmac_sha256_hex(SECRET, strlen(SECRET), body, strlen(body), want);
	assert_memory_equal(sig, "sha256=", 7);
	assert_string_equal(sig + 7, want);
}

/* POSTs body to the receiver at path, which answers answer; returns what done saw. */
static struct outcome post_to(struct event_base *base, struct receiver *r, const char *path,
                              const char *body)
{
	struct outcome o = { 0, -1 };
	char url[128], err[256];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", r->port, path);
	assert_int_equal(webhook_post(base, url, SECRET, body, strlen(body), on_done, &o, err,
	                              sizeof(err)), 0);
	assert_true(run_until(base, answered, &o, 5000));
	return o;
}

/* The receiver gets the exact bytes, Meta's headers and signatures; its status comes back. */
static void test_post(void **state)
{
	struct event_base *base = event_base_new();
	static const int answers[] = { 200, 404 };
	const char *body = "{\"object\":\"whatsapp_business_account\"}";
	char sig[WEBHOOK_SIG_LEN];
	struct receiver r;
	struct outcome o;
	(void)state;

	rcv_start(&r, base);
	r.answers = answers;
	r.nanswers = 2;
	o = post_to(base, &r, "/webhooks/whatsapp?x=1", body);
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.status, 200);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.hits[0].uri, "/webhooks/whatsapp?x=1");
	assert_int_equal(r.hits[0].len, strlen(body));
	assert_string_equal(r.hits[0].body, body);
	assert_string_equal(r.hits[0].ctype, "application/json");
	assert_string_equal(r.hits[0].agent, "facebookexternalua");
	webhook_signature(SECRET, body, strlen(body), sig);
	assert_string_equal(r.hits[0].sig256, sig);
	assert_memory_equal(r.hits[0].sig1, "sha1=", 5);
	assert_int_equal(strlen(r.hits[0].sig1), 45);
	o = post_to(base, &r, "", body);
	assert_int_equal(o.status, 404);
	assert_string_equal(r.hits[1].uri, "/");
	run_for(base, 50);
	rcv_stop(&r);
	event_base_free(base);
}

/* Nobody listening: done gets 0. A URL we cannot use: -1 and no callback. */
static void test_post_failures(void **state)
{
	struct event_base *base = event_base_new();
	struct outcome o = { 0, -1 };
	char url[128], err[256] = "";
	(void)state;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", rcv_closed_port());
	assert_int_equal(webhook_post(base, url, SECRET, "{}", 2, on_done, &o, err, sizeof(err)),
	                 0);
	assert_true(run_until(base, answered, &o, 5000));
	assert_int_equal(o.calls, 1);
	assert_int_equal(o.status, 0);
	o = (struct outcome){ 0, -1 };
	assert_int_equal(webhook_post(base, "https://127.0.0.1/", SECRET, "{}", 2, on_done, &o, err,
	                              sizeof(err)), -1);
	assert_non_null(strstr(err, "http://"));
	run_until(base, answered, &o, 100);
	assert_int_equal(o.calls, 0);
	run_for(base, 50);
	event_base_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serialize),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_post),
		cmocka_unit_test(test_post_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
