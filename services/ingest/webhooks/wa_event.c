/* WhatsApp webhook items -> CitizenMessage / DeliveryStatus events. */
#include "webhooks/wa_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kafka.h"
#include "phone.h"
#include "xmalloc.h"
#include "core/citizen_key.h"

/* A Unix-seconds timestamp, sent as a string ("1700000000") or a number. */
static long long jts(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		return atoll(json_string_value(v));
	if (json_is_integer(v))
		return (long long)json_integer_value(v);
	return 0;
}

/* WhatsApp sends international digits without '+': never apply the
 * national (Italian) defaults to them. */
static int wa_address(const char *from, char out[PHONE_MAX])
{
	char buf[40];

	if (from[0] == '+')
		return phone_normalize(from, out);
	if (strlen(from) + 2 > sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "+%s", from);
	return phone_normalize(buf, out);
}

/* The text a citizen typed or tapped: text, quick-reply button, interactive reply. */
static const char *message_text(const json_t *m, const char *type)
{
	const char *t = NULL;

	if (strcmp(type, "text") == 0) {
		t = wa_jstr2(m, "text", "body");
	} else if (strcmp(type, "button") == 0) {
		t = wa_jstr2(m, "button", "text");
	} else if (strcmp(type, "interactive") == 0) {
		const json_t *ia = json_object_get(m, "interactive");
		t = wa_jstr2(ia, "button_reply", "title");
		if (t == NULL)
			t = wa_jstr2(ia, "list_reply", "title");
	}
	return t != NULL ? t : "";
}

/* A new event for ch with a fresh header. */
static struct wa_event *event_new(enum wa_event_type type, const struct wa_channel *ch)
{
	struct wa_event *ev = xcalloc(1, sizeof(*ev));

	ev->type = type;
	snprintf(ev->comune_id, sizeof(ev->comune_id), "%s", ch->comune_id);
	event_meta_fill(&ev->meta, ev->meta_id, ev->comune_id);
	return ev;
}

struct wa_event *wa_event_message(const struct wa_channel *ch, const json_t *m,
                                  enum wa_skip *why)
{
	const char *from = wa_jstr(m, "from"), *id = wa_jstr(m, "id");
	const char *type = wa_jstr(m, "type");
	char addr[PHONE_MAX];
	struct wa_event *ev;

	*why = WA_SKIP_INVALID;
	if (from == NULL || id == NULL || *id == '\0')
		return NULL;
	*why = WA_SKIP_SENDER;
	if (wa_address(from, addr) != 0)
		return NULL;
	*why = WA_SKIP_NONE;
	if (type == NULL || *type == '\0')
		type = "unknown";
	ev = event_new(WA_EVENT_MESSAGE, ch);
	ev->topic = TOPIC_CITIZEN_MESSAGES;
	banditore__v1__citizen_message__init(&ev->msg);
	ev->msg.meta = &ev->meta;
	ev->msg.kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP;
	ev->msg.channel_id = ch->id;
	ev->msg.sender_account = xstrdup(ch->sender_account);
	ev->msg.address = xstrdup(addr);
	ev->msg.provider_message_id = xstrdup(id);
	ev->msg.message_type = xstrdup(type);
	ev->msg.text = xstrdup(message_text(m, type));
	ev->msg.provider_ts = jts(m, "timestamp");
	ev->key = ck_message_key(ch->id, addr);   /* never the number itself */
	return ev;
}

struct wa_event *wa_event_status(const struct wa_channel *ch, const json_t *s,
                                 enum wa_skip *why)
{
	const char *id = wa_jstr(s, "id"), *status = wa_jstr(s, "status");
	const char *job = wa_jstr(s, "biz_opaque_callback_data"), *title;
	const json_t *e0 = json_array_get(json_object_get(s, "errors"), 0);
	json_int_t code = json_integer_value(json_object_get(e0, "code"));
	struct wa_event *ev;

	*why = WA_SKIP_INVALID;
	if (id == NULL || *id == '\0' || status == NULL || *status == '\0')
		return NULL;
	*why = WA_SKIP_NONE;
	title = wa_jstr(e0, "title");
	if (title == NULL)
		title = wa_jstr(e0, "message");
	ev = event_new(WA_EVENT_STATUS, ch);
	ev->topic = TOPIC_DELIVERY_STATUS;
	banditore__v1__delivery_status__init(&ev->status);
	ev->status.meta = &ev->meta;
	ev->status.kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP;
	ev->status.channel_id = ch->id;
	ev->status.provider_message_id = xstrdup(id);
	ev->status.status = xstrdup(status);
	ev->status.job_id = xstrdup(job ? job : "");
	ev->status.error_code = (code >= INT32_MIN && code <= INT32_MAX) ? (int32_t)code : 0;
	ev->status.error_title = xstrdup(title ? title : "");
	ev->status.provider_ts = jts(s, "timestamp");
	ev->key = xstrdup(id);
	return ev;
}

void wa_event_free(struct wa_event *ev)
{
	if (ev == NULL)
		return;
	if (ev->type == WA_EVENT_MESSAGE) {
		free(ev->msg.sender_account);
		free(ev->msg.address);
		free(ev->msg.provider_message_id);
		free(ev->msg.message_type);
		free(ev->msg.text);
	} else {
		free(ev->status.provider_message_id);
		free(ev->status.status);
		free(ev->status.job_id);
		free(ev->status.error_title);
	}
	free(ev->key);
	free(ev);
}

void *wa_event_pack(const struct wa_event *ev, size_t *len)
{
	if (ev->type == WA_EVENT_MESSAGE)
		return event_pack(&ev->msg.base, len);
	return event_pack(&ev->status.base, len);
}
