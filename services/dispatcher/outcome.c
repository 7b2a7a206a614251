/* Outcomes, retries and dead letters of a group of jobs, produced as one acknowledged group. */
#include "outcome.h"

#include <stdlib.h>
#include <string.h>

#include "kafka.h"
#include "log.h"
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
	out.provider_message_id = slot->wamid ? slot->wamid : "";
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

/* Produces the raw bytes of an undecodable message to delivery.dead. */
static int outcome_raw_dead(struct kq_producer *kp, struct kq_batch *b,
                            const rd_kafka_message_t *msg)
{
	size_t klen = strlen("undecodable:") + msg->key_len;
	char *key = xmalloc(klen + 1);
	int rc;

	memcpy(key, "undecodable:", 12);
	if (msg->key_len > 0)
		memcpy(key + 12, msg->key, msg->key_len);
	rc = kq_batch_produce(kp, b, TOPIC_DELIVERY_DEAD, key, klen, msg->payload, msg->len);
	free(key);
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
	if (job == NULL)
		return outcome_raw_dead(kp, b, slot->msg);
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
