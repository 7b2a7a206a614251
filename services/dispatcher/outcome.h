/*
 * What a batch tells the rest of the system through Kafka: one
 * DeliveryOutcome per job on delivery.outcomes (key: job id), the jobs
 * to try again later on delivery.jobs.retry (key: sender account; value:
 * the DeliveryJob with attempt = tries made, not_before_ms and
 * first_attempt_ms set), the jobs given up on, on delivery.dead, and
 * poison (slot->poison: a message that is no job, or one PostgreSQL
 * refuses) on the quarantine topic as it was read (quarantine.h). A dead
 * letter's key names the reason:
 *   "<reason>:<sender_account>"  value: the DeliveryJob (attempt = tries made)
 * reasons: transient_exhausted, no_credentials, unsupported_kind,
 * replayed (re-emitted from the ledger, original reason in the outcome).
 */
#ifndef DSP_OUTCOME_H
#define DSP_OUTCOME_H

#include <stddef.h>

#include "batch.h"

struct kq_producer;

struct kq_batch;

/* Produces every outcome, retry and dead letter of the slots into b
 * without waiting: the caller polls until b->pending is 0, then checks
 * b->failed (if any failed, produce them all again: consumers
 * deduplicate on the job id). 0, or -1 if a produce could not even start. */
int outcome_produce(struct kq_producer *kp, struct kq_batch *b, struct job_slot *const *slots,
                    size_t n) __attribute__((warn_unused_result));
/* The status as the ledger's status column writes it ("sent", ...). */
const char *outcome_status_name(Banditore__V1__OutcomeStatus st);

#endif
