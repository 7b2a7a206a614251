/*
 * The deliveries ledger in PostgreSQL: which jobs are already done (the
 * idempotency check that makes redelivered jobs harmless), whose consent
 * still holds, and the recording of a batch's outcomes. One statement per
 * step for the whole batch. Every function returns 0, or -1 if PostgreSQL
 * failed: the caller retries the step, nothing was half-applied.
 */
#ifndef DSP_LEDGER_H
#define DSP_LEDGER_H

#include <stddef.h>

#include "batch.h"

struct db;
struct instance;

/*
 * Claims the PENDING slots' jobs for this instance (migration 0007), in
 * the statement that looks them up: each slot's claim says what it got
 * (CLAIM_MINE, CLAIM_MINE_OTHER, CLAIM_BUSY), and a job the ledger has
 * finished becomes a DONE replay of the recorded outcome.
 */
int ledger_claim(struct db *db, const struct instance *inst, struct job_slot *const *slots,
                 size_t n) __attribute__((warn_unused_result));
/* Gives back the claims of the slots marked release (their claim becomes CLAIM_NONE). */
int ledger_release(struct db *db, const struct instance *inst, struct job_slot *const *slots,
                   size_t n) __attribute__((warn_unused_result));
/* PENDING slots needing consent whose subscriber is not active become SKIPPED
 * ("consent_revoked"), and notice jobs whose notice was cancelled too
 * ("notice_cancelled"): one query for both. */
int ledger_check_consent(struct db *db, struct job_slot *const *slots, size_t n)
    __attribute__((warn_unused_result));
/* A provider's "unreachable" failure (WhatsApp's undeliverable) repeated for
 * the same subscriber: such failed slots get revoke set (an earlier one is
 * in the ledger). */
int ledger_mark_unreachable(struct db *db, struct job_slot *const *slots, size_t n)
    __attribute__((warn_unused_result));
/* Writes the outcome of every DONE slot that is not a replay, a duplicate or a
 * retry; held jobs (messaging limit) are written as 'held' with held_until. */
int ledger_record(struct db *db, struct job_slot *const *slots, size_t n)
    __attribute__((warn_unused_result));

#endif
