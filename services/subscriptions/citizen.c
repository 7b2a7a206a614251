/*
 * citizen.messages -> consent ledger -> welcome/goodbye job and
 * consent.changes. Replays are safe: consent_apply() returns the first
 * result for the same evidence, and the reply job's id is derived from
 * that evidence, so the dispatcher's ledger drops a second copy.
 */
#include "citizen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consent.h"
#include "events.h"
#include "keywords.h"
#include "log.h"
#include "metrics.h"
#include "phone.h"

static struct metric m_joined = METRIC_COUNTER("bnd_subscriptions_joined_total", "citizens who subscribed");
static struct metric m_left = METRIC_COUNTER("bnd_subscriptions_left_total", "citizens who unsubscribed");
static struct metric m_other = METRIC_COUNTER("bnd_subscriptions_other_messages_total", "messages that were no command");

/* Registers this module's metrics once. */
static void citizen_metrics(void)
{
	static bool done;
	if (!done) {
		metrics_register(&m_joined);
		metrics_register(&m_left);
		metrics_register(&m_other);
		done = true;
	}
}

/* Queues the welcome or goodbye text for the citizen. */
static int queue_reply(struct service *svc, struct kq_batch *b,
                       const Banditore__V1__CitizenMessage *cm,
                       const struct channel_texts *t, long long subscriber_id,
                       enum kw_action action)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	Banditore__V1__EventMeta meta;
	Banditore__V1__TextContent text = BANDITORE__V1__TEXT_CONTENT__INIT;
	char id[UUID_STR_LEN + 1];
	const char *purpose = action == KW_JOIN ? "welcome" : "goodbye";
	size_t len;
	int rc;

	event_meta_fill(&meta, id, t->comune_id);
	job.meta = &meta;
	job.job_id = job_id_make(purpose, cm->provider_message_id, cm->channel_id, subscriber_id);
	job.kind = cm->kind;
	job.channel_id = cm->channel_id;
	job.sender_account = t->sender_account;
	job.address = cm->address;
	job.subscriber_id = subscriber_id;
	job.purpose = action == KW_JOIN ? BANDITORE__V1__JOB_PURPOSE__PURPOSE_WELCOME
	                                : BANDITORE__V1__JOB_PURPOSE__PURPOSE_GOODBYE;
	/* A goodbye goes to someone who just revoked: no consent check. */
	job.requires_consent = action == KW_JOIN;
	text.body = action == KW_JOIN ? t->welcome : t->goodbye;
	job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT;
	job.text = &text;

	void *buf = event_pack(&job.base, &len);
	rc = kq_batch_produce(svc->kp, b, TOPIC_DELIVERY_JOBS, t->sender_account,
	                      strlen(t->sender_account), buf, len);
	free(buf);
	free(job.job_id);
	return rc;
}

/* Queues the consent change for dispatchers' last-moment checks. */
static int queue_change(struct service *svc, struct kq_batch *b,
                        const Banditore__V1__CitizenMessage *cm,
                        const char *comune_id, long long subscriber_id, bool active)
{
	Banditore__V1__ConsentChange cc = BANDITORE__V1__CONSENT_CHANGE__INIT;
	Banditore__V1__EventMeta meta;
	char id[UUID_STR_LEN + 1], key[64 + PHONE_MAX];
	size_t len;
	int rc;

	event_meta_fill(&meta, id, comune_id);
	cc.meta = &meta;
	cc.kind = cm->kind;
	cc.channel_id = cm->channel_id;
	cc.address = cm->address;
	cc.subscriber_id = subscriber_id;
	cc.active = active;
	cc.action = active ? "subscribe" : "unsubscribe";
	snprintf(key, sizeof(key), "%lld/%s", (long long)cm->channel_id, cm->address);
	void *buf = event_pack(&cc.base, &len);
	rc = kq_batch_produce(svc->kp, b, TOPIC_CONSENT_CHANGES, key, strlen(key), buf, len);
	free(buf);
	return rc;
}

/* Applies a join/leave and emits what follows from it. */
static enum work_result citizen_apply(struct service *svc,
                                      const Banditore__V1__CitizenMessage *cm,
                                      enum kw_action action)
{
	struct channel_texts t = { 0 };
	struct consent_result cr;
	struct kq_batch b;
	char red[PHONE_MAX + 4];
	int rc = consent_channel_texts(svc->db, cm->channel_id, &t);

	if (rc != 0)
		return rc < 0 ? WORK_RETRY : WORK_REJECT;
	if (consent_record(svc->db, cm->channel_id, cm->address,
	                   action == KW_JOIN ? "subscribe" : "unsubscribe",
	                   "keyword", cm->provider_message_id, &cr) != 0) {
		consent_channel_texts_free(&t);
		return WORK_RETRY;
	}
	log_info("consent.applied", "channel %lld %s %s: subscriber %lld changed=%d replayed=%d",
	         (long long)cm->channel_id, phone_redact(cm->address, red),
	         kw_action_name(action), cr.subscriber_id, cr.changed, cr.replayed);
	kq_batch_init(&b);
	if (cr.changed) {
		metric_add(action == KW_JOIN ? &m_joined : &m_left, 1);
		if (queue_reply(svc, &b, cm, &t, cr.subscriber_id, action) != 0 ||
		    queue_change(svc, &b, cm, t.comune_id, cr.subscriber_id, action == KW_JOIN) != 0)
			rc = -1;
	}
	consent_channel_texts_free(&t);
	if (kq_batch_wait(svc->kp, &b) != 0 || rc != 0)
		return WORK_RETRY;
	return WORK_DONE;
}

enum work_result citizen_handle(const rd_kafka_message_t *msg, void *arg)
{
	struct service *svc = arg;
	Banditore__V1__CitizenMessage *cm;
	enum work_result r = WORK_DONE;
	enum kw_action action;

	citizen_metrics();
	cm = banditore__v1__citizen_message__unpack(NULL, msg->len, msg->payload);
	if (cm == NULL || cm->address == NULL || *cm->address == '\0' ||
	    cm->provider_message_id == NULL || *cm->provider_message_id == '\0') {
		log_error("citizen.undecodable", "offset %lld is not a valid CitizenMessage",
		          (long long)msg->offset);
		if (cm != NULL)
			banditore__v1__citizen_message__free_unpacked(cm, NULL);
		return WORK_REJECT;
	}
	action = kw_match(cm->text);
	if (action == KW_NONE)
		metric_add(&m_other, 1);
	else
		r = citizen_apply(svc, cm, action);
	banditore__v1__citizen_message__free_unpacked(cm, NULL);
	return r;
}
