/* The fake's setWebhook parameters: which URLs and secret tokens it takes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "webhook.h"

/* One row: the parameters as JSON, the code, then the URL and secret taken or the error. */
struct hook_case {
	const char *json;
	int         code;
	const char *url;      /* or the description when code != 0 */
	const char *secret;
};

static const struct hook_case cases[] = {
	{ "{\"url\":\"http://127.0.0.1:8080/webhooks/telegram/7\",\"secret_token\":\"Ab_9-z\"}", 0,
	  "http://127.0.0.1:8080/webhooks/telegram/7", "Ab_9-z" },
	{ "{\"url\":\"https://example.org/hook\"}", 0, "https://example.org/hook", "" },
	{ "{\"url\":\"\"}", 0, "", "" },
	{ "{\"url\":\"https://example.org/hook\",\"secret_token\":\"\"}", 0,
	  "https://example.org/hook", "" },
	{ "{}", 400, "parameter \"url\" is required", NULL },
	{ "{\"url\":\"ftp://example.org/hook\"}", 400, "An HTTPS URL must be provided", NULL },
	{ "{\"url\":\"http://x/\",\"secret_token\":\"7000000001:abc\"}", 400,
	  "secret token contains unallowed characters", NULL },
	{ "{\"url\":\"http://x/\",\"secret_token\":\"è\"}", 400,
	  "secret token contains unallowed characters", NULL },
	{ "{\"url\":\"http://x/\",\"secret_token\":12}", 400,
	  "secret token contains unallowed characters", NULL },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hook_case *c = &cases[i];
		json_t *params = json_loads(c->json, 0, NULL);
		const char *url = NULL, *secret = NULL;
		char desc[160] = "";

		assert_non_null(params);
		int code = webhook_check(params, &url, &secret, desc, sizeof(desc));
		if (code != c->code)
			fail_msg("%s: code %d, want %d (%s)", c->json, code, c->code, desc);
		if (c->code == 0) {
			assert_string_equal(url, c->url);
			assert_string_equal(secret, c->secret);
		} else {
			assert_non_null(strstr(desc, c->url));
			assert_int_equal(strncmp(desc, "Bad Request: ", 13), 0);
		}
		json_decref(params);
	}
}

/* 256 characters are allowed, 257 are not. */
static void test_secret_length(void **state)
{
	char secret[300];
	const char *url, *got;
	char desc[160];
	(void)state;

	memset(secret, 'a', 257);
	secret[256] = '\0';
	json_t *params = json_pack("{s:s, s:s}", "url", "http://x/", "secret_token", secret);
	assert_int_equal(webhook_check(params, &url, &got, desc, sizeof(desc)), 0);
	json_decref(params);
	secret[256] = 'a';
	secret[257] = '\0';
	params = json_pack("{s:s, s:s}", "url", "http://x/", "secret_token", secret);
	assert_int_equal(webhook_check(params, &url, &got, desc, sizeof(desc)), 400);
	json_decref(params);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_secret_length),
	};
	return cmocka_run_group_tests_name("fake_tg_webhook", tests, NULL, NULL);
}
