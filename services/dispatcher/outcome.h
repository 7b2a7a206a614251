/*
 * What a batch tells the rest of the system through Kafka: one
 * DeliveryOutcome per job on delivery.outcomes (key: job id), and the
 * jobs given up on, on delivery.dead. Kafka message headers are not in
 * our wrapper, so a dead letter's key names the reason:
 *   "<reason>:<sender_account>"  value: the DeliveryJob (attempt = tries made)
 *   "undecodable:<original key>" value: the original bytes
 * reasons: transient_exhausted, no_credentials, unsupported_kind,
 * replayed (re-emitted from the ledger, original reason in the outcome).
 */
#ifndef DSP_OUTCOME_H
#define DSP_OUTCOME_H

#include <stddef.h>

#include "batch.h"

struct kq_producer;

/* Produces every outcome and dead letter of the batch and waits for the
 * broker's acknowledgements. 0, or -1 if any failed (retry the whole step:
 * consumers deduplicate on the job id). */
int outcome_produce(struct kq_producer *kp, const struct job_slot *slots, size_t n)
    __attribute__((warn_unused_result));

#endif
