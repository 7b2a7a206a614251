/*
 * One WhatsApp webhook item (a value.messages[] or value.statuses[]
 * object) turned into one event. Used by wa_webhook.c, which walks the
 * document; the events it returns are defined here.
 */
#ifndef BND_WA_EVENT_H
#define BND_WA_EVENT_H

#include <jansson.h>
#include <stddef.h>

#include "events.h"

#define WA_COMUNE_MAX 64
#define WA_SECRET_MAX 256

/* A WhatsApp channel as the lookup reports it. */
struct wa_channel {
	long long id;                            /* channels.id */
	char      sender_account[WA_COMUNE_MAX]; /* phone_number_id (set by the parser) */
	char      comune_id[WA_COMUNE_MAX];
	char      app_secret[WA_SECRET_MAX];     /* webhook HMAC key, NOT logged */
	size_t    app_secret_len;                /* 0: none usable */
};

enum wa_event_type { WA_EVENT_MESSAGE, WA_EVENT_STATUS };

/* One event to produce. Every string is owned by the event. */
struct wa_event {
	enum wa_event_type type;
	const char *topic;                    /* TOPIC_CITIZEN_MESSAGES / _DELIVERY_STATUS */
	char *key;                            /* Kafka key: a message's "<channel_id>/<keyed
	                                       * hash of the number>" (citizen_key.h), a
	                                       * status's provider message id */
	char meta_id[UUID_STR_LEN + 1];
	char comune_id[WA_COMUNE_MAX];
	Banditore__V1__EventMeta meta;
	Banditore__V1__CitizenMessage msg;    /* WA_EVENT_MESSAGE */
	Banditore__V1__DeliveryStatus status; /* WA_EVENT_STATUS */
};

/* Why an item gave no event. */
enum wa_skip {
	WA_SKIP_NONE = 0,
	WA_SKIP_SENDER,    /* "from" is not a phone number */
	WA_SKIP_INVALID,   /* no id, no status, not an object... */
};

/* A value.messages[] item -> CitizenMessage; NULL and *why if unusable. */
struct wa_event *wa_event_message(const struct wa_channel *ch, const json_t *m,
                                  enum wa_skip *why);
/* A value.statuses[] item -> DeliveryStatus; NULL and *why if unusable. */
struct wa_event *wa_event_status(const struct wa_channel *ch, const json_t *s,
                                 enum wa_skip *why);
/* Frees an event and the strings it owns. */
void wa_event_free(struct wa_event *ev);
/* Packs an event's protobuf message; caller frees. */
void *wa_event_pack(const struct wa_event *ev, size_t *len);

/* obj[key] as a C string, or NULL if absent or not a string. */
static inline const char *wa_jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* obj[k1][k2] as a C string, or NULL. */
static inline const char *wa_jstr2(const json_t *obj, const char *k1, const char *k2)
{
	return wa_jstr(json_object_get(obj, k1), k2);
}

#endif
