/* WhatsApp webhook parsing and normalization (wa_webhook.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kafka.h"
#include "core/citizen_key.h"
#include "webhooks/wa_webhook.h"

/* The channels the fake directory knows. */
static const struct {
	const char *pnid;
	long long id;
	const char *comune;
	const char *secret;
} channels[] = {
	{ "100000000000001", 7, "demo", "demo-app-secret" },
	{ "100000000000002", 8, "greve", "greve-secret" },
};
static int lookups;

/* wa_lookup_fn over the table above. */
static bool fake_lookup(void *arg, const char *pnid, struct wa_channel *out)
{
	(void)arg;
	lookups++;
	for (size_t i = 0; i < sizeof(channels) / sizeof(channels[0]); i++) {
		if (strcmp(channels[i].pnid, pnid) != 0)
			continue;
		out->id = channels[i].id;
		snprintf(out->comune_id, sizeof(out->comune_id), "%s", channels[i].comune);
		out->app_secret_len = strlen(channels[i].secret);
		memcpy(out->app_secret, channels[i].secret, out->app_secret_len);
		return true;
	}
	return false;
}

/* The Kafka key a citizen's message gets: never the number itself. */
static const char *key_of(long long channel_id, const char *number)
{
	static char key[64];
	char *k = ck_message_key(channel_id, number);

	assert_null(strstr(k, number + 1));
	snprintf(key, sizeof(key), "%s", k);
	free(k);
	return key;
}

static enum wa_err parse(const char *body, struct wa_webhook *wh)
{
	char err[256];
	lookups = 0;
	return wa_webhook_parse(body, strlen(body), fake_lookup, NULL, wh, err, sizeof(err));
}

static int reset(void **state)
{
	(void)state;
	lookups = 0;
	return 0;
}

/* An inbound text as the Cloud API sends it, contacts included. */
static const char INBOUND_TEXT[] =
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\","
    "\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
    "{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"100000000000001\"},"
    "\"contacts\":[{\"profile\":{\"name\":\"Mario Rossi\"},\"wa_id\":\"393331234567\"}],"
    "\"messages\":[{\"from\":\"393331234567\",\"id\":\"wamid.HBgLMzkzMzMxMjM0NTY3FQIAEhggQTNGQjQ2\","
    "\"timestamp\":\"1749416383\",\"type\":\"text\",\"text\":{\"body\":\"Attiva \\u00e8\"}}]},"
    "\"field\":\"messages\"}]}]}";

static void test_inbound_text(void **state)
{
	struct wa_webhook wh;
	(void)state;

	assert_int_equal(parse(INBOUND_TEXT, &wh), WA_OK);
	assert_int_equal(lookups, 1);
	assert_int_equal(wh.nchannels, 1);
	assert_string_equal(wh.channels[0].sender_account, "100000000000001");
	assert_int_equal(wh.channels[0].id, 7);
	assert_memory_equal(wh.channels[0].app_secret, "demo-app-secret", 15);
	assert_int_equal(wh.nevents, 1);
	assert_int_equal(wh.skipped_sender + wh.skipped_invalid + wh.ignored_changes, 0);

	const struct wa_event *ev = wh.events[0];
	assert_int_equal(ev->type, WA_EVENT_MESSAGE);
	assert_string_equal(ev->topic, TOPIC_CITIZEN_MESSAGES);
	assert_string_equal(ev->key, key_of(7, "+393331234567"));
	assert_int_equal(ev->msg.kind, BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP);
	assert_int_equal(ev->msg.channel_id, 7);
	assert_string_equal(ev->msg.sender_account, "100000000000001");
	assert_string_equal(ev->msg.address, "+393331234567");
	assert_string_equal(ev->msg.provider_message_id,
	                    "wamid.HBgLMzkzMzMxMjM0NTY3FQIAEhggQTNGQjQ2");
	assert_string_equal(ev->msg.message_type, "text");
	assert_string_equal(ev->msg.text, "Attiva \xc3\xa8");
	assert_int_equal(ev->msg.provider_ts, 1749416383);
	assert_ptr_equal(ev->msg.meta, &ev->meta);
	assert_string_equal(ev->meta.comune_id, "demo");
	assert_int_equal(ev->meta.schema_version, 1);
	assert_int_equal(strlen(ev->meta.id), 36);
	assert_true(ev->meta.ts_ms > 1700000000000LL);

	/* What goes to Kafka decodes to the same message. */
	size_t len;
	void *buf = wa_event_pack(ev, &len);
	Banditore__V1__CitizenMessage *m =
	    banditore__v1__citizen_message__unpack(NULL, len, buf);
	assert_non_null(m);
	assert_string_equal(m->address, "+393331234567");
	assert_string_equal(m->text, "Attiva \xc3\xa8");
	assert_string_equal(m->meta->comune_id, "demo");
	assert_string_equal(m->meta->id, ev->meta.id);
	assert_int_equal(m->channel_id, 7);
	banditore__v1__citizen_message__free_unpacked(m, NULL);
	free(buf);
	wa_webhook_free(&wh);
	assert_int_equal(wh.nevents, 0);
	assert_null(wh.events);
}

static const char STATUSES[] =
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
    "\"metadata\":{\"display_phone_number\":\"15550783881\",\"phone_number_id\":\"100000000000001\"},"
    "\"statuses\":["
    "{\"id\":\"wamid.AAA\",\"status\":\"failed\",\"timestamp\":\"1749416400\","
    "\"recipient_id\":\"393331234567\",\"biz_opaque_callback_data\":\"notice:1b4e28ba-2fa1-11d2-883f-0016d3cca427:7:42\","
    "\"errors\":[{\"code\":131026,\"title\":\"Message undeliverable\",\"message\":\"Message undeliverable\","
    "\"error_data\":{\"details\":\"Message Undeliverable.\"}}]},"
    "{\"id\":\"wamid.BBB\",\"status\":\"delivered\",\"timestamp\":\"1749416401\","
    "\"recipient_id\":\"393339999999\",\"conversation\":{\"id\":\"c1\",\"origin\":{\"type\":\"utility\"}},"
    "\"pricing\":{\"billable\":true,\"pricing_model\":\"PMP\",\"category\":\"utility\"}},"
    "{\"id\":\"wamid.CCC\",\"status\":\"failed\",\"timestamp\":1749416402,"
    "\"errors\":[{\"code\":131047,\"message\":\"Re-engagement message\"}]}"
    "]}}]}]}";

static void test_statuses(void **state)
{
	struct wa_webhook wh;
	(void)state;

	assert_int_equal(parse(STATUSES, &wh), WA_OK);
	assert_int_equal(wh.nevents, 3);

	const struct wa_event *f = wh.events[0], *d = wh.events[1], *c = wh.events[2];
	assert_int_equal(f->type, WA_EVENT_STATUS);
	assert_string_equal(f->topic, TOPIC_DELIVERY_STATUS);
	assert_string_equal(f->key, "wamid.AAA");
	assert_string_equal(f->status.provider_message_id, "wamid.AAA");
	assert_string_equal(f->status.status, "failed");
	assert_string_equal(f->status.job_id, "notice:1b4e28ba-2fa1-11d2-883f-0016d3cca427:7:42");
	assert_int_equal(f->status.error_code, 131026);
	assert_string_equal(f->status.error_title, "Message undeliverable");
	assert_int_equal(f->status.provider_ts, 1749416400);
	assert_int_equal(f->status.channel_id, 7);
	assert_int_equal(f->status.kind, BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP);
	assert_string_equal(f->meta.comune_id, "demo");

	assert_string_equal(d->key, "wamid.BBB");
	assert_string_equal(d->status.status, "delivered");
	assert_string_equal(d->status.job_id, "");
	assert_int_equal(d->status.error_code, 0);
	assert_string_equal(d->status.error_title, "");
	assert_int_equal(d->status.provider_ts, 1749416401);

	/* Numeric timestamp; an error without a title falls back to its message. */
	assert_int_equal(c->status.provider_ts, 1749416402);
	assert_int_equal(c->status.error_code, 131047);
	assert_string_equal(c->status.error_title, "Re-engagement message");

	size_t len;
	void *buf = wa_event_pack(f, &len);
	Banditore__V1__DeliveryStatus *s = banditore__v1__delivery_status__unpack(NULL, len, buf);
	assert_non_null(s);
	assert_int_equal(s->error_code, 131026);
	assert_string_equal(s->job_id, "notice:1b4e28ba-2fa1-11d2-883f-0016d3cca427:7:42");
	banditore__v1__delivery_status__free_unpacked(s, NULL);
	free(buf);
	wa_webhook_free(&wh);
}

/* Two entries, two numbers, an ignored change, several messages and a status. */
static const char MANY[] =
    "{\"object\":\"whatsapp_business_account\",\"entry\":["
    "{\"id\":\"1\",\"changes\":["
    " {\"field\":\"account_update\",\"value\":{\"event\":\"VERIFIED_ACCOUNT\"}},"
    " {\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"100000000000001\"},"
    "  \"messages\":["
    "   {\"from\":\"393331111111\",\"id\":\"wamid.1\",\"timestamp\":\"1700000001\",\"type\":\"text\",\"text\":{\"body\":\"ATTIVA\"}},"
    "   {\"from\":\"393332222222\",\"id\":\"wamid.2\",\"timestamp\":\"1700000002\",\"type\":\"text\",\"text\":{\"body\":\"DISATTIVA\"}}]}},"
    " {\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"100000000000001\"},"
    "  \"statuses\":[{\"id\":\"wamid.out1\",\"status\":\"read\",\"timestamp\":\"1700000003\"}]}}]},"
    "{\"id\":\"2\",\"changes\":["
    " {\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"100000000000002\"},"
    "  \"messages\":[{\"from\":\"393333333333\",\"id\":\"wamid.3\",\"timestamp\":\"1700000004\",\"type\":\"text\",\"text\":{\"body\":\"Iscrizione\"}}]}}]}"
    "]}";

static void test_several_entries(void **state)
{
	struct wa_webhook wh;
	(void)state;

	assert_int_equal(parse(MANY, &wh), WA_OK);
	assert_int_equal(wh.ignored_changes, 1);
	/* One lookup per distinct number, not per change. */
	assert_int_equal(lookups, 2);
	assert_int_equal(wh.nchannels, 2);
	assert_string_equal(wh.channels[1].comune_id, "greve");
	assert_int_equal(wh.nevents, 4);
	assert_string_equal(wh.events[0]->key, key_of(7, "+393331111111"));
	assert_string_equal(wh.events[0]->msg.text, "ATTIVA");
	assert_string_equal(wh.events[1]->key, key_of(7, "+393332222222"));
	assert_string_equal(wh.events[1]->msg.text, "DISATTIVA");
	assert_int_equal(wh.events[2]->type, WA_EVENT_STATUS);
	assert_string_equal(wh.events[2]->status.status, "read");
	assert_string_equal(wh.events[3]->key, key_of(8, "+393333333333"));
	assert_int_equal(wh.events[3]->msg.channel_id, 8);
	assert_string_equal(wh.events[3]->msg.sender_account, "100000000000002");
	assert_string_equal(wh.events[3]->meta.comune_id, "greve");
	/* Every event has its own id. */
	assert_string_not_equal(wh.events[0]->meta.id, wh.events[1]->meta.id);
	wa_webhook_free(&wh);
}

static const char TYPES[] =
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\","
    "\"value\":{\"metadata\":{\"phone_number_id\":\"100000000000001\"},\"messages\":["
    "{\"from\":\"393331234567\",\"id\":\"wamid.img\",\"timestamp\":\"1\",\"type\":\"image\","
    " \"image\":{\"caption\":\"foto\",\"mime_type\":\"image/jpeg\",\"sha256\":\"x\",\"id\":\"m1\"}},"
    "{\"from\":\"393331234567\",\"id\":\"wamid.rea\",\"timestamp\":\"2\",\"type\":\"reaction\","
    " \"reaction\":{\"message_id\":\"wamid.out\",\"emoji\":\"\\ud83d\\udc4d\"}},"
    "{\"from\":\"393331234567\",\"id\":\"wamid.loc\",\"timestamp\":\"3\",\"type\":\"location\","
    " \"location\":{\"latitude\":43.58,\"longitude\":11.31,\"name\":\"Greve\"}},"
    "{\"from\":\"393331234567\",\"id\":\"wamid.btn\",\"timestamp\":\"4\",\"type\":\"button\","
    " \"context\":{\"from\":\"15550783881\",\"id\":\"wamid.tpl\"},\"button\":{\"text\":\"Disattiva\",\"payload\":\"STOP\"}},"
    "{\"from\":\"393331234567\",\"id\":\"wamid.ia\",\"timestamp\":\"5\",\"type\":\"interactive\","
    " \"interactive\":{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"b1\",\"title\":\"Attiva\"}}},"
    "{\"from\":\"393331234567\",\"id\":\"wamid.lr\",\"timestamp\":\"6\",\"type\":\"interactive\","
    " \"interactive\":{\"type\":\"list_reply\",\"list_reply\":{\"id\":\"l1\",\"title\":\"Rifiuti\"}}},"
    "{\"from\":\"393331234567\",\"id\":\"wamid.uns\",\"timestamp\":\"7\",\"type\":\"unsupported\","
    " \"errors\":[{\"code\":131051,\"title\":\"Message type unknown\"}]}"
    "]}}]}]}";

static void test_message_types(void **state)
{
	static const struct { const char *type, *text; } want[] = {
		{ "image", "" }, { "reaction", "" }, { "location", "" },
		{ "button", "Disattiva" }, { "interactive", "Attiva" },
		{ "interactive", "Rifiuti" }, { "unsupported", "" },
	};
	struct wa_webhook wh;
	(void)state;

	assert_int_equal(parse(TYPES, &wh), WA_OK);
	assert_int_equal(wh.nevents, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(wh.events[i]->msg.message_type, want[i].type);
		assert_string_equal(wh.events[i]->msg.text, want[i].text);
		assert_int_equal(wh.events[i]->msg.provider_ts, (long long)i + 1);
		assert_string_equal(wh.events[i]->msg.address, "+393331234567");
	}
	assert_string_equal(wh.events[0]->msg.provider_message_id, "wamid.img");
	wa_webhook_free(&wh);
}

static void test_missing_metadata(void **state)
{
	struct wa_webhook wh;
	char err[256];
	static const char body[] =
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{"
	    "\"field\":\"messages\",\"value\":{\"messages\":[{\"from\":\"393331234567\","
	    "\"id\":\"wamid.1\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}]}}]}]}";
	(void)state;

	assert_int_equal(wa_webhook_parse(body, strlen(body), fake_lookup, NULL, &wh, err,
	                                  sizeof(err)), WA_ERR_SHAPE);
	assert_string_equal(err, "entry[0].changes[0]: value.metadata.phone_number_id is missing");
	assert_int_equal(wh.nevents, 0);
	assert_null(wh.events);
	assert_null(wh.channels);
}

static void test_not_a_webhook(void **state)
{
	struct wa_webhook wh;
	char err[256];
	static const struct { const char *body; enum wa_err rc; const char *err; } cases[] = {
		{ "[1,2,3]", WA_ERR_SHAPE, "body is not a JSON object" },
		{ "\"whatsapp_business_account\"", WA_ERR_SHAPE, "body is not a JSON object" },
		{ "{\"object\":\"page\",\"entry\":[]}", WA_ERR_SHAPE,
		  "object is not \"whatsapp_business_account\"" },
		{ "{\"object\":\"whatsapp_business_account\"}", WA_ERR_SHAPE, "entry[] is missing" },
		{ "{\"object\":\"whatsapp_business_account\",\"entry\":{}}", WA_ERR_SHAPE,
		  "entry[] is missing" },
		{ "{\"object\":\"whatsapp_business_account\",\"entry\":[7]}", WA_ERR_SHAPE,
		  "entry[0] is not an object" },
		{ "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":{}}]}",
		  WA_ERR_SHAPE, "entry[0].changes is not an array" },
		{ "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":"
		  "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"100000000000001\"},"
		  "\"messages\":{}}}]}]}", WA_ERR_SHAPE,
		  "entry[0].changes[0]: messages/statuses is not an array" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(wa_webhook_parse(cases[i].body, strlen(cases[i].body), fake_lookup,
		                                  NULL, &wh, err, sizeof(err)), cases[i].rc);
		assert_string_equal(err, cases[i].err);
		assert_int_equal(wh.nevents, 0);
	}
	assert_int_equal(wa_webhook_parse("{\"object\":", 11, fake_lookup, NULL, &wh, err,
	                                  sizeof(err)), WA_ERR_JSON);
	assert_non_null(strstr(err, "invalid JSON"));
	assert_int_equal(wa_webhook_parse("", 0, fake_lookup, NULL, &wh, err, sizeof(err)),
	                 WA_ERR_JSON);
	/* The body need not be NUL-terminated: only len bytes are read. */
	assert_int_equal(wa_webhook_parse("{}garbage", 2, fake_lookup, NULL, &wh, err,
	                                  sizeof(err)), WA_ERR_SHAPE);
}

static void test_empty_batch(void **state)
{
	struct wa_webhook wh;
	(void)state;

	assert_int_equal(parse("{\"object\":\"whatsapp_business_account\",\"entry\":[]}", &wh),
	                 WA_OK);
	assert_int_equal(wh.nevents, 0);
	wa_webhook_free(&wh);
	/* Only non-message changes: nothing to produce, nothing looked up. */
	assert_int_equal(parse("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":"
	                       "[{\"field\":\"message_template_status_update\",\"value\":{}}]}]}",
	                       &wh), WA_OK);
	assert_int_equal(wh.nevents, 0);
	assert_int_equal(wh.ignored_changes, 1);
	assert_int_equal(lookups, 0);
	wa_webhook_free(&wh);
}

static void test_unknown_channel(void **state)
{
	struct wa_webhook wh;
	char err[256];
	static const char body[] =
	    "{\"object\":\"whatsapp_business_account\",\"entry\":["
	    "{\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":"
	    "\"100000000000001\"},\"messages\":[{\"from\":\"393331234567\",\"id\":\"wamid.1\","
	    "\"type\":\"text\",\"text\":{\"body\":\"x\"}}]}}]},"
	    "{\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":"
	    "\"999\"},\"statuses\":[]}}]}]}";
	(void)state;

	/* Known first, unknown second: the known channel's message is kept, the
	 * unknown change is counted with its id (answered 200: no retries). */
	assert_int_equal(wa_webhook_parse(body, strlen(body), fake_lookup, NULL, &wh, err,
	                                  sizeof(err)), WA_OK);
	assert_int_equal(wh.nevents, 1);
	assert_int_equal(wh.nchannels, 1);
	assert_int_equal(wh.unknown_changes, 1);
	assert_int_equal(wh.nunknown_ids, 1);
	assert_string_equal(wh.unknown_ids[0], "999");
	wa_webhook_free(&wh);
}

static void test_only_unknown_channels(void **state)
{
	struct wa_webhook wh;
	char body[2048];
	size_t n = 0;
	(void)state;

	/* Six changes of five distinct unknown ids: all counted, four ids kept. */
	n += (size_t)snprintf(body + n, sizeof(body) - n,
	                      "{\"object\":\"whatsapp_business_account\",\"entry\":[");
	for (int i = 0; i < 6; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
		                      "%s{\"changes\":[{\"field\":\"messages\",\"value\":{\"metadata\":"
		                      "{\"phone_number_id\":\"99%d\"},\"statuses\":[]}}]}", i ? "," : "",
		                      i == 5 ? 0 : i);
	snprintf(body + n, sizeof(body) - n, "]}");
	assert_int_equal(parse(body, &wh), WA_OK);
	assert_int_equal(wh.nchannels, 0);
	assert_int_equal(wh.nevents, 0);
	assert_int_equal(wh.unknown_changes, 6);
	assert_int_equal(wh.nunknown_ids, WA_UNKNOWN_IDS_MAX);
	assert_string_equal(wh.unknown_ids[0], "990");
	assert_string_equal(wh.unknown_ids[3], "993");
	wa_webhook_free(&wh);
}

/* A NUL byte anywhere, even last, is no JSON: never a shorter body. */
static void test_nul_bytes(void **state)
{
	struct wa_webhook wh;
	char err[256], body[sizeof(INBOUND_TEXT) + 1];
	size_t len = strlen(INBOUND_TEXT);
	(void)state;

	memcpy(body, INBOUND_TEXT, len);
	body[len] = '\0';   /* a trailing NUL that is part of the body */
	assert_int_equal(wa_webhook_parse(body, len + 1, fake_lookup, NULL, &wh, err,
	                                  sizeof(err)), WA_ERR_JSON);
	assert_non_null(strstr(err, "NUL byte"));
	/* An embedded NUL, with invalid UTF-8 after it (the repair path). */
	memcpy(body, INBOUND_TEXT, len + 1);
	body[len - 3] = '\0';
	body[len - 2] = (char)0xff;
	assert_int_equal(wa_webhook_parse(body, len, fake_lookup, NULL, &wh, err, sizeof(err)),
	                 WA_ERR_JSON);
	assert_int_equal(wh.nevents, 0);
}

static void test_number_normalization(void **state)
{
	struct wa_webhook wh;
	static const char body[] =
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":\"messages\","
	    "\"value\":{\"metadata\":{\"phone_number_id\":\"100000000000001\"},\"messages\":["
	    "{\"from\":\"393331234567\",\"id\":\"w1\",\"type\":\"text\",\"text\":{\"body\":\"a\"}},"
	    "{\"from\":\"3531234567\",\"id\":\"w2\",\"type\":\"text\",\"text\":{\"body\":\"b\"}},"
	    "{\"from\":\"+14155552671\",\"id\":\"w3\",\"type\":\"text\",\"text\":{\"body\":\"c\"}},"
	    "{\"from\":\"4915123456789\",\"id\":\"w4\",\"type\":\"text\",\"text\":{\"body\":\"d\"}},"
	    "{\"from\":\"not-a-number\",\"id\":\"w5\",\"type\":\"text\",\"text\":{\"body\":\"e\"}},"
	    "{\"from\":\"1234567890123456789\",\"id\":\"w6\",\"type\":\"text\",\"text\":{\"body\":\"f\"}},"
	    "{\"from\":\"393331234567\",\"type\":\"text\",\"text\":{\"body\":\"no id\"}},"
	    "{\"id\":\"w8\",\"type\":\"text\",\"text\":{\"body\":\"no from\"}},"
	    "\"not an object\""
	    "]}}]}]}";
	(void)state;

	assert_int_equal(parse(body, &wh), WA_OK);
	assert_int_equal(wh.nevents, 4);
	assert_string_equal(wh.events[0]->msg.address, "+393331234567");
	/* International digits as WhatsApp sends them: an Irish 353 number
	 * must not get the Italian +39 a national number would. */
	assert_string_equal(wh.events[1]->msg.address, "+3531234567");
	assert_string_equal(wh.events[1]->key, key_of(7, "+3531234567"));
	assert_string_equal(wh.events[2]->msg.address, "+14155552671");
	assert_string_equal(wh.events[3]->msg.address, "+4915123456789");
	assert_int_equal(wh.skipped_sender, 2);
	assert_int_equal(wh.skipped_invalid, 3);
	/* No timestamp: 0, and a missing type would read "unknown". */
	assert_int_equal(wh.events[0]->msg.provider_ts, 0);
	wa_webhook_free(&wh);
}

/* Meta's text with invalid UTF-8 is repaired, not refused (a 400 would
 * make Meta retry the batch for days). */
static void test_invalid_utf8_repaired(void **state)
{
	static const char body[] =
	    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"value\":"
	    "{\"metadata\":{\"phone_number_id\":\"100000000000001\"},"
	    "\"contacts\":[{\"profile\":{\"name\":\"Nicol\xF2\"},\"wa_id\":\"393331234567\"}],"
	    "\"messages\":[{\"from\":\"393331234567\",\"id\":\"wamid.X1\",\"timestamp\":\"1\","
	    "\"type\":\"text\",\"text\":{\"body\":\"Attiva \xE8\"}}]},\"field\":\"messages\"}]}]}";
	struct wa_webhook wh;
	(void)state;

	assert_int_equal(parse(body, &wh), WA_OK);
	assert_int_equal(wh.nevents, 1);
	assert_string_equal(wh.events[0]->msg.text, "Attiva \xEF\xBF\xBD");
	wa_webhook_free(&wh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_inbound_text, reset),
		cmocka_unit_test_setup(test_statuses, reset),
		cmocka_unit_test_setup(test_several_entries, reset),
		cmocka_unit_test_setup(test_message_types, reset),
		cmocka_unit_test_setup(test_missing_metadata, reset),
		cmocka_unit_test_setup(test_not_a_webhook, reset),
		cmocka_unit_test_setup(test_empty_batch, reset),
		cmocka_unit_test_setup(test_unknown_channel, reset),
		cmocka_unit_test_setup(test_only_unknown_channels, reset),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test_setup(test_number_normalization, reset),
		cmocka_unit_test_setup(test_invalid_utf8_repaired, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
