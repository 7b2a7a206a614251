/* One job to a member of the staff (staff_alert.h): packed and read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "events.h"
#include "staff_alert.h"

static const struct sa_target WA = { "whatsapp", "+393330000001", 7, "100200", "avviso_comune",
	                             "it" };
static const struct sa_target TG = { "telegram", "5557001", 8, "900900", "", "" };

/* Unpacks what sa_job_pack made for t. */
static Banditore__V1__DeliveryJob *roundtrip(const struct sa_target *t, const struct sa_message *m)
{
	size_t len;
	void *buf = sa_job_pack(t, m, &len);
	Banditore__V1__DeliveryJob *job = banditore__v1__delivery_job__unpack(NULL, len, buf);

	free(buf);
	assert_non_null(job);
	return job;
}

/* WhatsApp: the template with the citizens' three parameters. */
static void test_whatsapp(void **state)
{
	struct sa_message m = { "approval-alert:n:v1:3", "demo", "Da approvare: Acqua",
		                "Scritto da Anna.", "", "", "Comune di Prova" };
	Banditore__V1__DeliveryJob *job = roundtrip(&WA, &m);

	(void)state;
	assert_string_equal(job->job_id, "approval-alert:n:v1:3");
	assert_int_equal(job->kind, BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP);
	assert_int_equal(job->channel_id, 7);
	assert_string_equal(job->sender_account, "100200");
	assert_string_equal(job->address, "+393330000001");
	assert_int_equal(job->purpose, BANDITORE__V1__JOB_PURPOSE__PURPOSE_REPLY);
	assert_false(job->requires_consent);
	assert_true(job->urgent);
	assert_string_equal(job->meta->comune_id, "demo");
	assert_int_equal(job->content_case, BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE);
	assert_string_equal(job->template_->name, "avviso_comune");
	assert_int_equal(job->template_->n_body_params, 3);
	assert_string_equal(job->template_->body_params[0], "Da approvare: Acqua");
	assert_string_equal(job->template_->body_params[2], "Comune di Prova");   /* no link */
	banditore__v1__delivery_job__free_unpacked(job, NULL);
}

/* Telegram: the citizens' HTML text, with the link in words. */
static void test_telegram(void **state)
{
	struct sa_message m = { "test-send:x", "demo", "[PROVA] Acqua", "Sospesa <domani>.",
		                "https://x.example/a", "", "Comune di Prova" };
	Banditore__V1__DeliveryJob *job = roundtrip(&TG, &m);

	(void)state;
	assert_int_equal(job->kind, BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM);
	assert_int_equal(job->content_case, BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT);
	assert_true(job->text->html);
	assert_non_null(strstr(job->text->body, "<b>[PROVA] Acqua</b>"));
	assert_non_null(strstr(job->text->body, "&lt;domani&gt;"));
	assert_non_null(strstr(job->text->body, "https://x.example/a"));
	banditore__v1__delivery_job__free_unpacked(job, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whatsapp),
		cmocka_unit_test(test_telegram),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
