/*
 * delivery.outcomes: when a provider says a recipient blocked us, is
 * deactivated or gone, the consent is revoked (source "provider"). Every
 * other outcome is ignored here.
 */
#include <stdio.h>
#include <string.h>

#include "citizen.h"
#include "consent.h"
#include "log.h"
#include "phone.h"

/* Revokes the subscriber the outcome names. */
static enum work_result revoke_subscriber(struct subscriptions *sub,
                                          const Banditore__V1__DeliveryOutcome *out,
                                          struct work_fault *fault)
{
	const struct settings *st;
	char address[128], evidence[256];
	long long channel_id;
	struct outbox ob;
	int rc = consent_subscriber(sub->svc.db, out->subscriber_id, &channel_id, address,
	                            sizeof(address));

	if (rc != 0)   /* gone (erased): nothing to revoke */
		return rc < 0 ? work_db(fault, sub->svc.db) : WORK_DONE;
	rc = settings_get(&sub->settings, sub->svc.db, channel_id, &st);
	if (rc != 0)   /* a channel gone or of an unknown kind: no consent of ours to revoke */
		return rc < 0 ? work_db(fault, sub->svc.db) : WORK_DONE;
	snprintf(evidence, sizeof(evidence), "outcome:%s", out->job_id);
	outbox_init(&ob, sub, st, address, evidence);
	rc = citizen_revoke(&ob);
	return outbox_end(&ob, rc, fault);
}

enum work_result outcome_handle(const rd_kafka_message_t *msg, void *arg,
                                struct work_fault *fault)
{
	Banditore__V1__DeliveryOutcome *out;
	enum work_result r = WORK_DONE;

	out = banditore__v1__delivery_outcome__unpack(NULL, msg->len, msg->payload);
	if (out == NULL || out->job_id == NULL || *out->job_id == '\0') {
		if (out != NULL)
			banditore__v1__delivery_outcome__free_unpacked(out, NULL);
		return work_reject(fault, "not a valid DeliveryOutcome (undecodable or without a "
		                          "job id)");
	}
	if (out->revoke_consent && out->subscriber_id > 0)
		r = revoke_subscriber(arg, out, fault);
	banditore__v1__delivery_outcome__free_unpacked(out, NULL);
	return r;
}
