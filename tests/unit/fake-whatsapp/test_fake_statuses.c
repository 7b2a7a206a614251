/* The fake's status webhooks: Meta's payload, and sends, retries and counters on a real loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "receiver.h"
#include "../../../tests/fakes/fake-whatsapp/fake.h"
#include "../../../tests/fakes/fake-whatsapp/statq.h"
#include "../../../tests/fakes/fake-whatsapp/statuses.h"
#include "../../../tests/fakes/fake-whatsapp/webhook.h"

#define PNID   "100000000000001"
#define WABA   "200000000000001"
#define NUMBER "15550000001"

/* entry[0].changes[0] of a webhook payload. */
static json_t *change_of(json_t *payload)
{
	return json_array_get(json_object_get(json_array_get(json_object_get(payload, "entry"), 0),
	                                      "changes"), 0);
}

/* The string at key of obj ("" when missing, so asserts show the difference). */
static const char *str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s != NULL ? s : "";
}

/* Queues two statuses of PNID, the second without biz_opaque_callback_data, and takes them. */
static void two_statuses(struct statq *q, struct statq_batch *b)
{
	const struct statq_status with = { .pnid = PNID, .to = "393331234567",
	                                   .wamid = "wamid.HBgL1", .opaque = "job-\xc3\xa8/1",
	                                   .ts_s = 1700000000 };
	const struct statq_status without = { .pnid = PNID, .to = "393337654321",
	                                      .wamid = "wamid.HBgL2", .opaque = NULL,
	                                      .ts_s = 1700000001 };

	statq_init(q, 10);
	statq_push(q, &with, 0);
	statq_push(q, &without, 0);
	assert_int_equal(statq_take(q, 0, 0, b), 2);
}

/* The envelope: one entry, one change of field "messages", metadata of the sender. */
static void test_payload_envelope(void **state)
{
	struct statq q;
	struct statq_batch b;
	json_t *p, *change, *value, *meta;
	(void)state;

	two_statuses(&q, &b);
	p = statuses_payload(WABA, NUMBER, &b);
	assert_non_null(p);
	assert_string_equal(str(p, "object"), "whatsapp_business_account");
	assert_int_equal(json_array_size(json_object_get(p, "entry")), 1);
	assert_string_equal(str(json_array_get(json_object_get(p, "entry"), 0), "id"), WABA);
	change = change_of(p);
	assert_string_equal(str(change, "field"), "messages");
	value = json_object_get(change, "value");
	assert_string_equal(str(value, "messaging_product"), "whatsapp");
	meta = json_object_get(value, "metadata");
	assert_string_equal(str(meta, "display_phone_number"), NUMBER);
	assert_string_equal(str(meta, "phone_number_id"), PNID);
	assert_null(json_object_get(value, "messages"));
	assert_int_equal(json_array_size(json_object_get(value, "statuses")), 2);
	json_decref(p);
	statq_clear(&q);
}

/* Each status: wamid, "sent", timestamp as a string, recipient, conversation, pricing. */
static void test_payload_statuses(void **state)
{
	struct statq q;
	struct statq_batch b;
	json_t *p, *list, *s0, *s1, *conv, *pricing;
	(void)state;

	two_statuses(&q, &b);
	p = statuses_payload(WABA, NUMBER, &b);
	list = json_object_get(json_object_get(change_of(p), "value"), "statuses");
	s0 = json_array_get(list, 0);
	s1 = json_array_get(list, 1);
	assert_string_equal(str(s0, "id"), "wamid.HBgL1");
	assert_string_equal(str(s0, "status"), "sent");
	assert_true(json_is_string(json_object_get(s0, "timestamp")));
	assert_string_equal(str(s0, "timestamp"), "1700000000");
	assert_string_equal(str(s0, "recipient_id"), "393331234567");
	assert_string_equal(str(s0, "biz_opaque_callback_data"), "job-\xc3\xa8/1");
	conv = json_object_get(s0, "conversation");
	assert_int_equal(strlen(str(conv, "id")), 32);
	assert_string_equal(str(json_object_get(conv, "origin"), "type"), "utility");
	pricing = json_object_get(s0, "pricing");
	assert_true(json_is_true(json_object_get(pricing, "billable")));
	assert_string_equal(str(pricing, "pricing_model"), "PMP");
	assert_string_equal(str(pricing, "category"), "utility");
	/* Without biz_opaque_callback_data at the send, none in the status. */
	assert_string_equal(str(s1, "id"), "wamid.HBgL2");
	assert_string_equal(str(s1, "timestamp"), "1700000001");
	assert_string_equal(str(s1, "recipient_id"), "393337654321");
	assert_null(json_object_get(s1, "biz_opaque_callback_data"));
	/* Another recipient, another conversation. */
	assert_string_not_equal(str(conv, "id"), str(json_object_get(s1, "conversation"), "id"));
	json_decref(p);
	statq_clear(&q);
}

/* Serialized as Meta does: the opaque data escaped, and read back as sent. */
static void test_payload_serialized(void **state)
{
	struct statq q;
	struct statq_batch b;
	json_t *p, *back;
	size_t len = 0;
	char *body;
	(void)state;

	two_statuses(&q, &b);
	p = statuses_payload(WABA, NUMBER, &b);
	body = webhook_serialize(p, &len);
	assert_non_null(strstr(body, "\"biz_opaque_callback_data\":\"job-\\u00e8\\/1\""));
	back = json_loadb(body, len, 0, NULL);
	assert_true(json_equal(back, p));
	json_decref(back);
	json_decref(p);
	free(body);
	statq_clear(&q);
}

/* A fake with just what statuses.c reads, posting to a receiver on its loop. */
struct test_fake {
	struct fake     fk;
	struct receiver r;
	char            url[64];
};

/* Sets tf up on a new loop, with its receiver answering answers; statuses on, no delay. */
static void test_fake_init(struct test_fake *tf, const int *answers, size_t nanswers)
{
	memset(tf, 0, sizeof(*tf));
	tf->fk.srv.base = event_base_new();
	rcv_start(&tf->r, tf->fk.srv.base);
	tf->r.answers = answers;
	tf->r.nanswers = nanswers;
	snprintf(tf->url, sizeof(tf->url), "http://127.0.0.1:%d/webhooks/whatsapp", tf->r.port);
	tf->fk.cfg.webhook_url = tf->url;
	tf->fk.cfg.app_secret = "app-secret";
	tf->fk.cfg.waba_id = WABA;
	tf->fk.cfg.display_number = NUMBER;
	tf->fk.knobs.status_webhooks = true;
	tf->fk.knobs.status_delay_ms = 0;
	tf->fk.statuses = statuses_new(&tf->fk);
	assert_non_null(tf->fk.statuses);
}

/* Frees what test_fake_init set up. */
static void test_fake_done(struct test_fake *tf)
{
	run_for(tf->fk.srv.base, 50);     /* let the webhook connections be released */
	statuses_free(tf->fk.statuses);
	rcv_stop(&tf->r);
	event_base_free(tf->fk.srv.base);
}

/* run_until condition: every status sent. */
static bool all_sent(void *arg)
{
	const struct statuses *ss = arg;
	return statuses_pending(ss) == 0 && statuses_sent(ss) > 0;
}

/* The statuses array of a received body, checking its signature. New reference. */
static json_t *received_statuses(const struct rcv_hit *h)
{
	char sig[WEBHOOK_SIG_LEN];
	json_t *p = json_loadb(h->body, h->len, 0, NULL), *list;

	assert_non_null(p);
	webhook_signature("app-secret", h->body, h->len, sig);
	assert_string_equal(h->sig256, sig);
	assert_string_equal(h->uri, "/webhooks/whatsapp");
	list = json_incref(json_object_get(json_object_get(change_of(p), "value"), "statuses"));
	json_decref(p);
	return list;
}

/* Statuses of one sender go in one POST; a 503 keeps them for a retry; 200 settles them. */
static void test_send_and_retry(void **state)
{
	static const int answers[] = { 503 };
	struct test_fake tf;
	json_t *list;
	(void)state;

	test_fake_init(&tf, answers, 1);
	statuses_accepted(tf.fk.statuses, PNID, "393331234567", "wamid.1", "job-1", 1700000000000);
	statuses_accepted(tf.fk.statuses, PNID, "393337654321", "wamid.2", NULL, 1700000000500);
	assert_int_equal(statuses_pending(tf.fk.statuses), 2);
	assert_true(run_until(tf.fk.srv.base, all_sent, tf.fk.statuses, 5000));
	assert_int_equal(tf.r.n, 2);                      /* refused once, then taken */
	for (size_t i = 0; i < 2; i++) {
		list = received_statuses(&tf.r.hits[i]);
		assert_int_equal(json_array_size(list), 2);
		assert_string_equal(str(json_array_get(list, 0), "id"), "wamid.1");
		assert_string_equal(str(json_array_get(list, 0), "biz_opaque_callback_data"),
		                    "job-1");
		assert_string_equal(str(json_array_get(list, 1), "id"), "wamid.2");
		assert_string_equal(str(json_array_get(list, 1), "timestamp"), "1700000000");
		json_decref(list);
	}
	assert_int_equal(statuses_sent(tf.fk.statuses), 2);
	statuses_reset_sent(tf.fk.statuses);
	assert_int_equal(statuses_sent(tf.fk.statuses), 0);
	test_fake_done(&tf);
}

/* Nobody answers: the statuses are kept, to be sent again. */
static void test_no_answer(void **state)
{
	struct test_fake tf;
	(void)state;

	test_fake_init(&tf, NULL, 0);
	snprintf(tf.url, sizeof(tf.url), "http://127.0.0.1:%d/", rcv_closed_port());
	statuses_accepted(tf.fk.statuses, PNID, "393331234567", "wamid.1", "job-1", 1700000000000);
	run_for(tf.fk.srv.base, 200);
	assert_int_equal(statuses_pending(tf.fk.statuses), 1);
	assert_int_equal(statuses_sent(tf.fk.statuses), 0);
	test_fake_done(&tf);
}

/* Knob off, or no webhook URL: nothing is queued. */
static void test_off(void **state)
{
	struct test_fake tf;
	(void)state;

	test_fake_init(&tf, NULL, 0);
	tf.fk.knobs.status_webhooks = false;
	statuses_accepted(tf.fk.statuses, PNID, "393331234567", "wamid.1", "job-1", 1700000000000);
	tf.fk.knobs.status_webhooks = true;
	tf.url[0] = '\0';
	statuses_accepted(tf.fk.statuses, PNID, "393331234567", "wamid.2", "job-2", 1700000000000);
	assert_int_equal(statuses_pending(tf.fk.statuses), 0);
	run_for(tf.fk.srv.base, 120);
	assert_int_equal(tf.r.n, 0);
	test_fake_done(&tf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_envelope),
		cmocka_unit_test(test_payload_statuses),
		cmocka_unit_test(test_payload_serialized),
		cmocka_unit_test(test_send_and_retry),
		cmocka_unit_test(test_no_answer),
		cmocka_unit_test(test_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
