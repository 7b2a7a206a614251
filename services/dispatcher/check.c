/* Checks of a turn's new jobs that need neither PostgreSQL nor the network. */
#include "check.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "provider.h"
#include "utf8.h"
#include "xmalloc.h"

/* true if s is valid UTF-8 text of at most max bytes (NULL counts as ""). */
static bool check_text(const char *s, size_t max)
{
	return s == NULL || (strlen(s) <= max && utf8_valid_str(s));
}

/* Why a decoded job cannot be taken (its own fault), or NULL. */
static const char *check_sane(const Banditore__V1__DeliveryJob *job)
{
	if (job->job_id[0] == '\0' || !check_text(job->job_id, CHECK_JOB_ID_MAX))
		return "its job id is empty, too long or not UTF-8";
	if (!check_text(job->sender_account, 64) || !check_text(job->address, 128) ||
	    !check_text(job->notice_id, 64) ||
	    (job->meta != NULL && !check_text(job->meta->comune_id, 64)))
		return "its sender, address, notice id or comune is too long or not UTF-8";
	if (job->channel_id <= 0 || job->subscriber_id < 0)
		return "its channel or subscriber id is not a positive number";
	return NULL;
}

void check_decode(struct job_slot *slot)
{
	const rd_kafka_message_t *msg = slot->msg;
	const char *why = "not a DeliveryJob (undecodable)";

	if (slot->job != NULL || msg == NULL)
		return;   /* decoded before (read back from the backlog) */
	slot->job = banditore__v1__delivery_job__unpack(NULL, msg->len, msg->payload);
	if (slot->job != NULL && (why = check_sane(slot->job)) == NULL)
		return;
	if (slot->job != NULL)
		banditore__v1__delivery_job__free_unpacked(slot->job, NULL);
	slot->job = NULL;
	slot_poison(slot, why);
}

/* qsort order: by job id, then by position in the batch. */
static int check_cmp_job(const void *a, const void *b)
{
	const struct job_slot *x = *(struct job_slot *const *)a, *y = *(struct job_slot *const *)b;
	int c = strcmp(x->job->job_id, y->job->job_id);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

/* Marks a job id's second and later occurrences in the batch: the first does the work. */
void check_dedupe(struct batch *b)
{
	struct job_slot **v = xcalloc(b->n, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++)
		if (b->v[i]->job != NULL)
			v[n++] = b->v[i];
	qsort(v, n, sizeof(*v), check_cmp_job);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i]->job->job_id, v[i - 1]->job->job_id) != 0)
			continue;
		v[i]->dup = true;
		v[i]->state = SLOT_DONE;
		log_info("dispatch.duplicate", "job %s twice in one batch: sent once", v[i]->job->job_id);
	}
	free(v);
}

/*
 * Jobs not due yet (a retry, a held or parked job) skip the checks: the
 * loop keeps or parks them and has them checked when they are due, so
 * consent, cancellation and the messaging limit are judged then.
 */
void check_not_due(struct batch *b, int64_t wall_ms)
{
	for (size_t i = 0; i < b->n; i++) {
		struct job_slot *slot = b->v[i];
		if (slot->state == SLOT_PENDING && !slot->dup &&
		    retry_due(slot->job->not_before_ms, wall_ms).act != RETRY_NONE)
			slot->state = SLOT_LATER;
	}
}

/* true if a sender id is safe in a URL path (digits for WhatsApp and Telegram). */
static bool check_sender_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* Checks what can be checked without the network; builds request bodies. */
void check_validate(struct batch *b)
{
	char err[160], detail[200];

	for (size_t i = 0; i < b->n; i++) {
		struct job_slot *slot = b->v[i];
		const Banditore__V1__DeliveryJob *job = slot->job;
		if (!slot_checkable(slot))
			continue;
		if ((slot->prov = prov_of_kind(job->kind)) == NULL) {
			/* Kept on delivery.dead to be replayed when the channel is supported. */
			snprintf(detail, sizeof(detail), "unsupported_kind: %s",
			         channel_kind_name(job->kind));
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, 0, NULL, detail,
			            "unsupported_kind");
			continue;
		}
		if (!check_sender_ok(job->sender_account)) {
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED, 0, NULL,
			            "invalid_sender: sender_account is not a phone-number or bot id", NULL);
			continue;
		}
		free(slot->body);   /* checked again (e.g. after a heartbeat gap): built anew */
		slot->body = slot->prov->request(job, err, sizeof(err));
		if (slot->body == NULL) {
			log_warn("dispatch.invalid_job", "job %s: %s", job->job_id, err);
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED, 0, NULL, err, NULL);
		}
	}
}

