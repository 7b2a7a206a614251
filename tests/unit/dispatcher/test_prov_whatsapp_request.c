/* Request bodies and URLs of the Cloud API (prov_whatsapp.c), byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "provider.h"

/* A job to "+393331234567" with the given text body. */
static void text_job(Banditore__V1__DeliveryJob *job, Banditore__V1__TextContent *text,
                     const char *body)
{
	banditore__v1__delivery_job__init(job);
	banditore__v1__text_content__init(text);
	job->job_id = "welcome:wamid.X:1:42";
	job->kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP;
	job->channel_id = 1;
	job->sender_account = "100000000000001";
	job->address = "+393331234567";
	text->body = (char *)body;
	job->content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT;
	job->text = text;
}

static void test_text(void **state)
{
	Banditore__V1__DeliveryJob job;
	Banditore__V1__TextContent text;
	char err[128];
	char *out;
	(void)state;

	text_job(&job, &text, "Benvenuto!");
	out = prov_whatsapp.request(&job, err, sizeof(err));
	assert_non_null(out);
	assert_string_equal(out,
	    "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
	    "\"to\":\"393331234567\",\"type\":\"text\","
	    "\"text\":{\"preview_url\":false,\"body\":\"Benvenuto!\"},"
	    "\"biz_opaque_callback_data\":\"welcome:wamid.X:1:42\"}");
	free(out);
}

static void test_template(void **state)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	Banditore__V1__TemplateContent tmpl = BANDITORE__V1__TEMPLATE_CONTENT__INIT;
	char *params[] = { "Comune di Demo", "Chiusura via Roma \"lunedì\"" };
	char err[128];
	char *out;
	(void)state;

	job.job_id = "notice:0b5c2a52-3f0e-4c1e-9d59-9c0f1b1a2b3c:1:7";
	job.kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP;
	job.sender_account = "100000000000001";
	job.address = "+393339999999";
	tmpl.name = "avviso_comune";
	tmpl.language = "it";
	tmpl.n_body_params = 2;
	tmpl.body_params = params;
	job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
	job.template_ = &tmpl;
	out = prov_whatsapp.request(&job, err, sizeof(err));
	assert_non_null(out);
	assert_string_equal(out,
	    "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\","
	    "\"to\":\"393339999999\",\"type\":\"template\","
	    "\"template\":{\"name\":\"avviso_comune\",\"language\":{\"code\":\"it\"},"
	    "\"components\":[{\"type\":\"body\",\"parameters\":["
	    "{\"type\":\"text\",\"text\":\"Comune di Demo\"},"
	    "{\"type\":\"text\",\"text\":\"Chiusura via Roma \\\"luned\xc3\xac\\\"\"}]}]},"
	    "\"biz_opaque_callback_data\":\"notice:0b5c2a52-3f0e-4c1e-9d59-9c0f1b1a2b3c:1:7\"}");
	free(out);

	/* A template without parameters has no components. */
	tmpl.n_body_params = 0;
	out = prov_whatsapp.request(&job, err, sizeof(err));
	assert_non_null(out);
	assert_null(strstr(out, "components"));
	free(out);
}

/* Quotes, backslashes, newlines, control characters and non-ASCII survive a round trip. */
static void test_escaping(void **state)
{
	static const char body[] = "Avviso \"urgente\":\nstrada\tchiusa \\ C:\\dir "
	                           "\xc3\xa8 \xe2\x82\xac \xf0\x9f\x98\x80 \x01 </script>";
	Banditore__V1__DeliveryJob job;
	Banditore__V1__TextContent text;
	char err[128];
	json_t *parsed;
	char *out;
	(void)state;

	text_job(&job, &text, body);
	out = prov_whatsapp.request(&job, err, sizeof(err));
	assert_non_null(out);
	assert_non_null(strstr(out, "Avviso \\\"urgente\\\":\\nstrada\\tchiusa \\\\ C:\\\\dir"));
	assert_non_null(strstr(out, "\xc3\xa8 \xe2\x82\xac \xf0\x9f\x98\x80"));  /* raw UTF-8 */
	assert_non_null(strstr(out, "\\u0001"));
	assert_null(strchr(out, '\n'));
	parsed = json_loads(out, 0, NULL);
	assert_non_null(parsed);
	assert_string_equal(json_string_value(json_object_get(json_object_get(parsed, "text"),
	                                                      "body")), body);
	json_decref(parsed);
	free(out);
}

/* "to" is the E.164 number without '+'; anything else is refused before sending. */
static void test_address(void **state)
{
	static const char *const bad[] = { "393331234567", "+39 333 1234567", "+39abc1234567",
	                                   "+123", "+1234567890123456", "", "123456789" };
	Banditore__V1__DeliveryJob job;
	Banditore__V1__TextContent text;
	char err[128];
	char *out;
	(void)state;

	text_job(&job, &text, "x");
	job.address = "+15551234567";
	out = prov_whatsapp.request(&job, err, sizeof(err));
	assert_non_null(out);
	assert_non_null(strstr(out, "\"to\":\"15551234567\""));
	assert_null(strstr(out, "+"));
	free(out);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		job.address = (char *)bad[i];
		err[0] = '\0';
		out = prov_whatsapp.request(&job, err, sizeof(err));
		if (out != NULL)
			fail_msg("address \"%s\" accepted: %s", bad[i], out);
		assert_non_null(strstr(err, "invalid_address"));
	}
}

static void test_invalid_content(void **state)
{
	Banditore__V1__DeliveryJob job;
	Banditore__V1__TextContent text;
	char err[128];
	(void)state;

	text_job(&job, &text, "");
	assert_null(prov_whatsapp.request(&job, err, sizeof(err)));
	assert_non_null(strstr(err, "invalid_content"));
	text_job(&job, &text, "bad \xff\xfe utf-8");
	assert_null(prov_whatsapp.request(&job, err, sizeof(err)));
	text_job(&job, &text, "ok");
	job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT__NOT_SET;
	assert_null(prov_whatsapp.request(&job, err, sizeof(err)));
}

/* <api base>/<phone-number id>/messages; the token travels as a bearer token, never in the URL. */
static void test_url(void **state)
{
	char *u = prov_whatsapp.url("http://127.0.0.1:17408//", "100000000000001", "EAAGsecret");
	(void)state;

	assert_string_equal(u, "http://127.0.0.1:17408/100000000000001/messages");
	free(u);
	assert_false(prov_whatsapp.token_in_url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_invalid_content),
		cmocka_unit_test(test_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
