/* sendMessage bodies and URLs (prov_telegram.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "provider.h"

/* A Telegram text job to addr. */
static void text_job(Banditore__V1__DeliveryJob *job, Banditore__V1__TextContent *text,
                     const char *addr, const char *body, bool html)
{
	banditore__v1__delivery_job__init(job);
	banditore__v1__text_content__init(text);
	job->job_id = "notice:0b4c:3:17";
	job->kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
	job->channel_id = 3;
	job->sender_account = "7000000001";
	job->address = (char *)addr;
	text->body = (char *)body;
	text->html = html;
	job->content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT;
	job->text = text;
}

static char *build(const char *addr, const char *body, bool html)
{
	Banditore__V1__DeliveryJob job;
	Banditore__V1__TextContent text;
	char err[160];

	text_job(&job, &text, addr, body, html);
	return prov_telegram.request(&job, err, sizeof(err));
}

static void test_private_plain(void **state)
{
	char *out = build("123456789", "Benvenuto! Scrivi /stop per uscire.", false);
	(void)state;

	assert_non_null(out);
	assert_string_equal(out, "{\"chat_id\":123456789,\"text\":\"Benvenuto! Scrivi /stop per "
	                         "uscire.\",\"link_preview_options\":{\"is_disabled\":true}}");
	free(out);
}

static void test_html(void **state)
{
	char *out = build("123456789", "<b>Acqua</b>\n\nVia Roma &amp; via Po", true);
	(void)state;

	assert_non_null(out);
	assert_string_equal(out, "{\"chat_id\":123456789,\"text\":\"<b>Acqua</b>\\n\\nVia Roma "
	                         "&amp; via Po\",\"parse_mode\":\"HTML\",\"link_preview_options\":"
	                         "{\"is_disabled\":true}}");
	free(out);
}

static void test_channels(void **state)
{
	char *out = build("@comunedemo", "x", true);
	json_t *j;
	(void)state;

	assert_non_null(out);
	j = json_loads(out, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(j, "chat_id")), "@comunedemo");
	json_decref(j);
	free(out);
	out = build("-1001234567890", "x", true);
	j = json_loads(out, 0, NULL);
	assert_true(json_is_integer(json_object_get(j, "chat_id")));
	assert_int_equal(json_integer_value(json_object_get(j, "chat_id")), -1001234567890LL);
	json_decref(j);
	free(out);
}

static void test_bad_address(void **state)
{
	static const char *const bad[] = { "", "+393331234567", "abc", "@ab", "@with-dash",
	                                   "0", "-", "12a", "99999999999999999999",
	                                   "@a_name_that_is_much_too_long_for_tg" };
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *out = build(bad[i], "x", false);
		if (out != NULL)
			fail_msg("address \"%s\" accepted: %s", bad[i], out);
	}
}

static void test_bad_content(void **state)
{
	Banditore__V1__DeliveryJob job;
	Banditore__V1__TextContent text;
	Banditore__V1__TemplateContent tpl = BANDITORE__V1__TEMPLATE_CONTENT__INIT;
	char err[160];
	(void)state;

	assert_null(build("42", "", false));
	assert_null(build("42", "\xC3\x28 broken", false));
	text_job(&job, &text, "42", "x", false);
	tpl.name = "avviso_comune";
	tpl.language = "it";
	job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
	job.template_ = &tpl;
	assert_null(prov_telegram.request(&job, err, sizeof(err)));
	assert_non_null(strstr(err, "invalid_content"));
}

static void test_url(void **state)
{
	char *u = prov_telegram.url("http://127.0.0.1:17409/", "7000000001", "7000000001:abc-DEF_1");
	(void)state;

	assert_string_equal(u, "http://127.0.0.1:17409/bot7000000001:abc-DEF_1/sendMessage");
	free(u);
	u = prov_telegram.url("https://api.telegram.org", "1", "1:x");
	assert_string_equal(u, "https://api.telegram.org/bot1:x/sendMessage");
	free(u);
	assert_true(prov_telegram.token_in_url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_private_plain),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_bad_address),
		cmocka_unit_test(test_bad_content),
		cmocka_unit_test(test_url),
	};
	return cmocka_run_group_tests_name("prov_telegram_request", tests, NULL, NULL);
}
