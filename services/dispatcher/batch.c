/* Batch and slot bookkeeping. */
#include "batch.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "crypto.h"
#include "xmalloc.h"

void slot_finish(struct job_slot *slot, Banditore__V1__OutcomeStatus outcome, int err_code,
                 const char *msg_id, const char *detail, const char *dead_reason)
{
	free(slot->msg_id);
	free(slot->detail);
	slot->outcome = outcome;
	slot->err_code = err_code;
	slot->msg_id = msg_id && *msg_id ? xstrdup(msg_id) : NULL;
	slot->detail = detail && *detail ? xstrdup(detail) : NULL;
	slot->dead_reason = dead_reason;
	slot->revoke = false;
	slot->retry = false;
	slot->held = false;
	slot->park = false;
	slot->defer = false;
	slot->state = SLOT_DONE;
}

void slot_poison(struct job_slot *slot, const char *why)
{
	free(slot->poison);
	slot->poison = xstrdup(why);
	slot->retry = false;
	slot->defer = false;
	slot->release = false;
	slot->dead_reason = NULL;
	slot->state = SLOT_DONE;
}

void slot_retry(struct job_slot *slot, const struct retry_decision *d)
{
	slot->retry = true;
	slot->park = d->act == RETRY_PARK;
	slot->retry_at_ms = d->at_ms;
	slot->state = SLOT_DONE;
	/* The copy on the retry topic is claimed again when it is read. */
	slot->release = slot->claim == CLAIM_MINE;
}

struct job_slot *slot_new(rd_kafka_message_t *msg)
{
	static atomic_llong gen;
	struct job_slot *slot = xcalloc(1, sizeof(*slot));

	slot->msg = msg;
	slot->claim_gen = atomic_fetch_add(&gen, 1) + 1;
	return slot;
}

const char *slot_notice_uuid(const struct job_slot *slot)
{
	const char *s = slot->job != NULL ? slot->job->notice_id : NULL;

	return uuid_valid(s) ? s : NULL;
}

const char *slot_purpose_name(const struct job_slot *slot)
{
	switch (slot->job->purpose) {
	case BANDITORE__V1__JOB_PURPOSE__PURPOSE_NOTICE:
		return "notice";
	case BANDITORE__V1__JOB_PURPOSE__PURPOSE_WELCOME:
		return "welcome";
	case BANDITORE__V1__JOB_PURPOSE__PURPOSE_GOODBYE:
		return "goodbye";
	case BANDITORE__V1__JOB_PURPOSE__PURPOSE_REPLY:
		return "reply";
	case BANDITORE__V1__JOB_PURPOSE__PURPOSE_CONFIRM:
		return "confirm";
	case BANDITORE__V1__JOB_PURPOSE__PURPOSE_CHANNEL_POST:
		return "channel_post";
	default:
		return "unspecified";
	}
}

void slot_defer(struct job_slot *slot, int64_t until_ms)
{
	slot->defer = true;
	slot->defer_until_ms = until_ms;
	slot->release = slot->claim == CLAIM_MINE;
	slot->state = SLOT_DONE;
}

void slot_abandon(struct job_slot *slot)
{
	slot->release = slot->claim == CLAIM_MINE;
	slot->state = SLOT_ABANDONED;
}

void slot_free(struct job_slot *slot)
{
	if (slot == NULL)
		return;
	if (slot->job != NULL)
		banditore__v1__delivery_job__free_unpacked(slot->job, NULL);
	if (slot->msg != NULL)
		rd_kafka_message_destroy(slot->msg);
	free(slot->body);
	free(slot->msg_id);
	free(slot->detail);
	free(slot->poison);
	free(slot);
}

void batch_push(struct batch *b, struct job_slot *slot)
{
	b->v = xgrow(b->v, b->n, &b->cap, sizeof(*b->v));
	b->v[b->n++] = slot;
}

void batch_free(struct batch *b)
{
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}
