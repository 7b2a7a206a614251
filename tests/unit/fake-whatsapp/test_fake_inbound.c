/* The fake's inbound webhooks: Meta's shape, Meta's escaping, a signature over the exact bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "crypto.h"
#include "../../../tests/fakes/fake-whatsapp/inbound.h"
#include "../../../tests/fakes/fake-whatsapp/webhook.h"

static const struct inbound_msg base_msg = {
	.waba_id = "200000000000001",
	.display_number = "15550000001",
	.phone_number_id = "100000000000001",
	.from = "393331234567",
	.name = "Test",
	.type = "text",
	.text = "ATTIVA",
	.wamid = "wamid.HBgLtest1",
	.ts_s = 1700000000,
};

/* value of a path like entry[0].changes[0].value */
static json_t *value_of(json_t *payload)
{
	return json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(payload, "entry"), 0), "changes"), 0), "value");
}

static void test_shape(void **state)
{
	json_t *p = inbound_payload(&base_msg), *value, *msg, *change;
	(void)state;

	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "object")),
	                    "whatsapp_business_account");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	                        json_object_get(p, "entry"), 0), "id")), "200000000000001");
	change = json_array_get(json_object_get(json_array_get(json_object_get(p, "entry"), 0),
	                                        "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(change, "field")), "messages");
	value = value_of(p);
	assert_string_equal(json_string_value(json_object_get(value, "messaging_product")),
	                    "whatsapp");
	assert_string_equal(json_string_value(json_object_get(json_object_get(value, "metadata"),
	                                                      "phone_number_id")), "100000000000001");
	assert_string_equal(json_string_value(json_object_get(json_object_get(value, "metadata"),
	                                                      "display_phone_number")), "15550000001");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(
	                        json_object_get(value, "contacts"), 0), "profile"), "name")), "Test");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	                        json_object_get(value, "contacts"), 0), "wa_id")), "393331234567");
	msg = json_array_get(json_object_get(value, "messages"), 0);
	assert_string_equal(json_string_value(json_object_get(msg, "from")), "393331234567");
	assert_string_equal(json_string_value(json_object_get(msg, "id")), "wamid.HBgLtest1");
	assert_string_equal(json_string_value(json_object_get(msg, "timestamp")), "1700000000");
	assert_string_equal(json_string_value(json_object_get(msg, "type")), "text");
	assert_string_equal(json_string_value(json_object_get(json_object_get(msg, "text"), "body")),
	                    "ATTIVA");
	json_decref(p);
}

static void test_other_types(void **state)
{
	struct inbound_msg m = base_msg;
	json_t *p, *msg;
	(void)state;

	m.type = "image";
	m.text = NULL;
	p = inbound_payload(&m);
	msg = json_array_get(json_object_get(value_of(p), "messages"), 0);
	assert_string_equal(json_string_value(json_object_get(msg, "type")), "image");
	assert_string_equal(json_string_value(json_object_get(json_object_get(msg, "image"),
	                                                      "mime_type")), "image/jpeg");
	assert_null(json_object_get(msg, "text"));
	json_decref(p);
	m.type = "carrier-pigeon";
	assert_null(inbound_payload(&m));
}

static void test_escaping_and_signature(void **state)
{
	struct inbound_msg m = base_msg;
	char sig[WEBHOOK_SIG_LEN], want[SHA256_HEX_LEN + 1];
	json_t *p, *back;
	size_t len;
	char *body;
	(void)state;

	m.text = "Citt\xc3\xa0 / \xf0\x9f\x98\x80 \\u00E8";
	p = inbound_payload(&m);
	body = webhook_serialize(p, &len);
	assert_non_null(body);
	assert_int_equal(len, strlen(body));
	/* Pure ASCII, lowercase \u escapes, escaped slash, literal backslash kept as is. */
	for (size_t i = 0; i < len; i++)
		assert_true((unsigned char)body[i] < 0x80);
	assert_non_null(strstr(body, "Citt\\u00e0 \\/ \\ud83d\\ude00 \\\\u00E8"));
	back = json_loads(body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(
	                        json_object_get(value_of(back), "messages"), 0), "text"), "body")),
	                    m.text);
	/* The signature is over exactly these bytes. */
	webhook_signature("app-secret", body, len, sig);
	hmac_sha256_hex("app-secret", 10, body, len, want);
	assert_memory_equal(sig, "sha256=", 7);
	assert_string_equal(sig + 7, want);
	json_decref(back);
	json_decref(p);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_other_types),
		cmocka_unit_test(test_escaping_and_signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
