/* Reply jobs and consent changes of one handled message. */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

void outbox_init(struct outbox *ob, struct subscriptions *sub, const struct settings *st,
                 const char *address, const char *evidence)
{
	ob->sub = sub;
	ob->st = st;
	ob->address = address;
	ob->evidence = evidence;
	ob->failed = 0;
	kq_batch_init(&ob->batch);
}

/* The purpose enum for a purpose name. */
static Banditore__V1__JobPurpose purpose_of(const char *name)
{
	if (strcmp(name, "welcome") == 0)
		return BANDITORE__V1__JOB_PURPOSE__PURPOSE_WELCOME;
	if (strcmp(name, "goodbye") == 0)
		return BANDITORE__V1__JOB_PURPOSE__PURPOSE_GOODBYE;
	if (strcmp(name, "confirm") == 0)
		return BANDITORE__V1__JOB_PURPOSE__PURPOSE_CONFIRM;
	return BANDITORE__V1__JOB_PURPOSE__PURPOSE_REPLY;
}

/* Fills the fields every job of this outbox shares, and produces it. */
static void outbox_job(struct outbox *ob, Banditore__V1__DeliveryJob *job,
                       const char *purpose, long long subscriber_id)
{
	Banditore__V1__EventMeta meta;
	char id[UUID_STR_LEN + 1];
	size_t len;

	event_meta_fill(&meta, id, ob->st->comune_id);
	job->meta = &meta;
	job->job_id = job_id_make(purpose, ob->evidence, ob->st->channel_id, subscriber_id);
	job->kind = ob->st->kind;
	job->channel_id = ob->st->channel_id;
	job->sender_account = ob->st->sender;
	job->address = (char *)ob->address;
	job->subscriber_id = subscriber_id;
	job->purpose = purpose_of(purpose);
	void *buf = event_pack(&job->base, &len);
	if (kq_batch_produce(ob->sub->svc.kp, &ob->batch, TOPIC_DELIVERY_JOBS, ob->st->sender,
	                     strlen(ob->st->sender), buf, len) != 0)
		ob->failed++;
	free(buf);
	free(job->job_id);
}

void outbox_text(struct outbox *ob, const char *purpose, long long subscriber_id,
                 char *body, bool requires_consent)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	Banditore__V1__TextContent text = BANDITORE__V1__TEXT_CONTENT__INIT;

	text.body = body;
	job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT;
	job.text = &text;
	job.requires_consent = requires_consent;
	outbox_job(ob, &job, purpose, subscriber_id);
	free(body);
}

void outbox_confirm(struct outbox *ob, long long subscriber_id)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	Banditore__V1__TemplateContent tpl = BANDITORE__V1__TEMPLATE_CONTENT__INIT;
	char *params[1] = { ob->st->comune_name };

	tpl.name = ob->st->confirm_tpl;
	tpl.language = ob->st->tpl_lang;
	tpl.n_body_params = 1;
	tpl.body_params = params;
	job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
	job.template_ = &tpl;
	/* Sent to a pending subscriber: the consent check would skip it. */
	job.requires_consent = false;
	outbox_job(ob, &job, "confirm", subscriber_id);
}

void outbox_change(struct outbox *ob, long long subscriber_id, bool active, const char *action)
{
	Banditore__V1__ConsentChange cc = BANDITORE__V1__CONSENT_CHANGE__INIT;
	Banditore__V1__EventMeta meta;
	char id[UUID_STR_LEN + 1], key[24];
	size_t len;

	event_meta_fill(&meta, id, ob->st->comune_id);
	cc.meta = &meta;
	cc.kind = ob->st->kind;
	cc.channel_id = ob->st->channel_id;
	cc.address = (char *)ob->address;
	cc.subscriber_id = subscriber_id;
	cc.active = active;
	cc.action = (char *)action;
	/* Keyed by the subscriber, never by the number: one citizen's changes
	 * stay in order, and gdpr erase's tombstone uses the same key. */
	snprintf(key, sizeof(key), "%lld", subscriber_id);
	void *buf = event_pack(&cc.base, &len);
	if (kq_batch_produce(ob->sub->svc.kp, &ob->batch, TOPIC_CONSENT_CHANGES, key, strlen(key),
	                     buf, len) != 0)
		ob->failed++;
	free(buf);
}

int outbox_flush(struct outbox *ob)
{
	int rc = kq_batch_wait(ob->sub->svc.kp, &ob->batch);
	return rc == 0 && ob->failed == 0 ? 0 : -1;
}

enum work_result outbox_end(struct outbox *ob, int rc, struct work_fault *fault)
{
	bool flushed = outbox_flush(ob) == 0;

	if (rc != 0)
		return work_db(fault, ob->sub->svc.db);
	if (!flushed)
		return work_retry(fault, "Kafka did not take what it produced: %s",
		                  rd_kafka_err2str(ob->batch.first_err));
	return WORK_DONE;
}
