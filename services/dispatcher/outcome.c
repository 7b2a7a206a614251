/* Outcomes, retries and dead letters of a group of jobs, produced as one acknowledged group. */
#include "outcome.h"

#include <stdlib.h>
#include <string.h>

#include "kafka.h"
#include "log.h"
#include "quarantine.h"
#include "xmalloc.h"

/* The DeliveryOutcome of a finished slot, packed (caller frees). */
static void *outcome_pack(const struct job_slot *slot, size_t *len)
{
	Banditore__V1__DeliveryOutcome out = BANDITORE__V1__DELIVERY_OUTCOME__INIT;
	Banditore__V1__EventMeta meta;
	const Banditore__V1__DeliveryJob *job = slot->job;
	char id[UUID_STR_LEN + 1];

	event_meta_fill(&meta, id, job->meta ? job->meta->comune_id : "");
	out.meta = &meta;
	out.job_id = job->job_id;
	out.notice_id = job->notice_id;
	out.subscriber_id = job->subscriber_id;
	out.channel_id = job->channel_id;
	out.status = slot->outcome;
	out.provider_message_id = slot->msg_id ? slot->msg_id : "";
	out.error_code = slot->err_code;
	out.error_detail = slot->detail ? slot->detail : "";
	out.attempts = slot->attempts;
	out.revoke_consent = slot->revoke;
	return event_pack(&out.base, len);
}

/* The job as it goes to delivery.dead: attempt says how many tries were made. */
static void *outcome_dead_pack(const struct job_slot *slot, size_t *len)
{
	Banditore__V1__DeliveryJob copy = *slot->job;

	copy.attempt = slot->attempts;
	return event_pack(&copy.base, len);
}

/* Sets a poison job aside on the quarantine topic, as it was read (from the
 * backlog: as delivery.jobs would hold it, offset -1). */
static int outcome_quarantine(struct kq_producer *kp, struct kq_batch *b,
                              const struct job_slot *slot)
{
	const rd_kafka_message_t *msg = slot->msg;
	const char *topic = msg ? rd_kafka_topic_name(msg->rkt) : kq_topic_name(kp, TOPIC_DELIVERY_JOBS);
	int32_t part = msg ? msg->partition : slot->src_partition;
	int64_t offset = msg ? msg->offset : -1;
	size_t len = 0;
	void *packed = msg ? NULL : event_pack(&slot->job->base, &len);
	const char *key = msg ? msg->key : slot->job->sender_account;
	size_t klen = msg ? msg->key_len : strlen(slot->job->sender_account);
	int rc = qn_produce(kp, b, topic, part, offset, key, klen, msg ? msg->payload : packed,
	                    msg ? msg->len : len, slot->poison);

	if (rc == 0)
		qn_note(topic, part, offset, slot->poison);
	free(packed);
	return rc;
}

/* Produces a retried job again, keyed by sender, with its next attempt and time. */
static int outcome_retry(struct kq_producer *kp, struct kq_batch *b, const struct job_slot *slot)
{
	Banditore__V1__DeliveryJob copy = *slot->job;
	size_t len;
	void *val;
	int rc;

	copy.attempt = slot->attempts;
	copy.not_before_ms = slot->retry_at_ms;
	copy.first_attempt_ms = slot->first_ms;
	val = event_pack(&copy.base, &len);
	rc = kq_batch_produce(kp, b, slot->park ? TOPIC_DELIVERY_PARKED : TOPIC_DELIVERY_RETRY,
	                      copy.sender_account,
	                      strlen(copy.sender_account), val, len);
	free(val);
	return rc;
}

/* Produces what one slot has to say. 0 or -1. */
static int outcome_slot(struct kq_producer *kp, struct kq_batch *b, const struct job_slot *slot)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	size_t len;
	void *val;
	char *key;
	int rc;

	if (slot->state != SLOT_DONE || slot->dup || slot->defer)
		return 0;   /* deferred: it is in the backlog, nothing to say yet */
	if (slot->poison != NULL)
		return outcome_quarantine(kp, b, slot);
	if (slot->retry)
		return outcome_retry(kp, b, slot);
	val = outcome_pack(slot, &len);
	rc = kq_batch_produce(kp, b, TOPIC_DELIVERY_OUTCOMES, job->job_id, strlen(job->job_id),
	                      val, len);
	free(val);
	if (rc != 0 || slot->dead_reason == NULL)
		return rc;
	val = outcome_dead_pack(slot, &len);
	key = xasprintf("%s:%s", slot->dead_reason, job->sender_account);
	rc = kq_batch_produce(kp, b, TOPIC_DELIVERY_DEAD, key, strlen(key), val, len);
	free(key);
	free(val);
	return rc;
}

int outcome_produce(struct kq_producer *kp, struct kq_batch *b, struct job_slot *const *slots,
                    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (outcome_slot(kp, b, slots[i]) != 0) {
			log_warn("dispatch.produce_failed", "outcomes not all produced");
			return -1;
		}
	return 0;
}

const char *outcome_status_name(Banditore__V1__OutcomeStatus st)
{
	switch (st) {
	case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SENT:
		return "sent";
	case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED:
		return "failed";
	case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED:
		return "skipped";
	case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD:
		return "dead";
	case BANDITORE__V1__OUTCOME_STATUS__OUTCOME_CANCELLED:
		return "cancelled";
	default:
		return "unspecified";
	}
}
