/* The notice as each kind of channel carries it: one table entry per kind, none for others. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "rendition.h"

static const struct notice_text nt = { "Acqua sospesa", "Domani dalle 8 alle 14.",
	                               "https://comune.example/acqua", "", "Comune di Prova" };
static const struct rendition_channel wa_ch = { "avviso_comune", "it" };

static void test_whatsapp_template(void **state)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	struct rendition r;
	(void)state;

	assert_int_equal(rendition_make(BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP, &nt, &wa_ch,
	                                &r), 0);
	rendition_attach(&r, &job);
	assert_int_equal(job.content_case, BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE);
	assert_string_equal(job.template_->name, "avviso_comune");
	assert_string_equal(job.template_->language, "it");
	assert_int_equal(job.template_->n_body_params, 3);
	assert_string_equal(job.template_->body_params[0], "Acqua sospesa");
	assert_string_equal(job.template_->body_params[1], "Domani dalle 8 alle 14.");
	assert_string_equal(job.template_->body_params[2], "https://comune.example/acqua");
	rendition_free(&r);
}

static void test_telegram_html(void **state)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	struct rendition r;
	(void)state;

	assert_int_equal(rendition_make(BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM, &nt, &wa_ch,
	                                &r), 0);
	rendition_attach(&r, &job);
	assert_int_equal(job.content_case, BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT);
	assert_true(job.text->html);
	assert_non_null(strstr(job.text->body, "<b>Acqua sospesa</b>"));
	assert_non_null(strstr(job.text->body, "https://comune.example/acqua"));
	rendition_free(&r);
}

/* No kind is rendered as another: an unknown one has no rendition. */
static void test_unknown_kind(void **state)
{
	struct rendition r = { .params = { NULL } };
	(void)state;

	assert_int_equal(rendition_make(BANDITORE__V1__CHANNEL_KIND__CHANNEL_UNSPECIFIED, &nt,
	                                &wa_ch, &r), -1);
	assert_int_equal(rendition_make((channel_kind)9, &nt, &wa_ch, &r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whatsapp_template),
		cmocka_unit_test(test_telegram_html),
		cmocka_unit_test(test_unknown_kind),
	};
	return cmocka_run_group_tests_name("rendition", tests, NULL, NULL);
}
