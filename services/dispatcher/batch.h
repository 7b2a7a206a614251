/*
 * The jobs the dispatcher holds in memory and what becomes of each. A
 * job (slot) is allocated when consumed, checked in a group with the
 * others consumed at the same time (struct batch: an array of pointers),
 * queued on its sender, sent, and once DONE flushed in a group (outcome
 * recorded and produced, or the job re-produced to the retry topic);
 * only then is it freed and its offset may be committed (ctrack.h).
 */
#ifndef DSP_BATCH_H
#define DSP_BATCH_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "events.h"
#include "retry.h"

/* Where a job is in its cycle. */
enum slot_state {
	SLOT_PENDING,    /* decoded; ledger and consent checks still to come */
	SLOT_LATER,      /* decoded, not due yet: checked when it is (loop.c) */
	SLOT_WAITING,    /* on its sender's queue, to be sent at next_at_ms or later */
	SLOT_INFLIGHT,   /* an HTTP request is out */
	SLOT_DONE,       /* outcome decided (or re-queued on the retry topic): to be flushed */
	SLOT_ABANDONED,  /* drain deadline passed: not recorded, not committed */
};

/*
 * The job's claim in the deliveries ledger (migration 0007): a job is
 * sent only by the slot that holds its claim.
 */
enum slot_claim {
	CLAIM_NONE,        /* not claimed (yet), or given back */
	CLAIM_MINE,        /* this slot holds the claim (claim_gen in the ledger) */
	CLAIM_MINE_OTHER,  /* this process holds it under another number (db_gen): held by
	                      another slot of ours (then busy), or left by one (then adopted) */
	CLAIM_BUSY,        /* a live instance (another dispatcher) holds it: check again later */
};

struct sender;
struct cpart;
struct provider;

/* One consumed message and its job. */
struct job_slot {
	TAILQ_ENTRY(job_slot)       link;        /* sender queue or flush list */
	rd_kafka_message_t         *msg;
	struct cpart               *cp;          /* its partition's commit tracker */
	struct sender              *snd;         /* set once queued */
	bool                        urgent;      /* from delivery.jobs.urgent */
	Banditore__V1__DeliveryJob *job;         /* NULL: poison (see poison), quarantined as read */
	const struct provider      *prov;        /* its kind's provider, set by the check */
	enum slot_state             state;
	bool                        dup;         /* same job id earlier in the batch: no effect */
	bool                        replay;      /* already in the ledger: re-emit, don't record */
	char                       *body;        /* request JSON */
	unsigned                    attempts;    /* HTTP attempts made, earlier lives included */
	int64_t                     next_at_ms;  /* monotonic */
	unsigned                    token_gen;   /* generation of the token used */
	/* outcome */
	Banditore__V1__OutcomeStatus outcome;
	char                       *msg_id;      /* the provider's message id (a wamid, "<chat>:<message>") */
	int                         err_code;
	char                       *detail;
	const char                 *dead_reason; /* non-NULL: produce the job to delivery.dead */
	bool                        revoke;      /* outcome asks for the consent to be revoked */
	/* DONE with retry set: produced again to delivery.jobs.retry, no outcome */
	bool                        retry;
	int64_t                     retry_at_ms; /* wall clock: the copy's not_before_ms */
	int64_t                     first_ms;    /* wall clock of the first attempt */
	bool                        held;        /* retry because of the messaging limit:
	                                            recorded as 'held' until retry_at_ms */
	bool                        park;        /* retry on delivery.jobs.parked: a long
	                                            wait, not a failed attempt */
	/* the claim (see enum slot_claim) */
	enum slot_claim             claim;
	int64_t                     claim_gen;   /* this slot's claim number, unique in the process */
	int64_t                     db_gen;      /* CLAIM_MINE_OTHER: the number the ledger has */
	unsigned                    claim_epoch; /* the instance's epoch when claimed or confirmed */
	bool                        takeover;    /* claimed from a dead dispatcher: it may have sent it */
	bool                        release;     /* give the claim back at the flush (no outcome) */
	unsigned                    cp_gen;      /* its partition's assignment when taken */
	/* the deferred lane (backlog.h) */
	bool                        defer;       /* DONE as deferred: written to the backlog */
	int64_t                     defer_until_ms; /* wall ms: not read back before */
	bool                        from_backlog; /* read back from it (no Kafka message) */
	int32_t                     src_partition; /* its sender's partition number */
	int64_t                     first_seen_ms; /* wall ms first taken from Kafka (its order) */
	bool                        in_check;    /* counted in its sender's checking */
	/* a poison message: DONE, set aside on the quarantine topic at the
	   flush and committed past, nothing else done with it */
	char                       *poison;      /* why, or NULL */
};

TAILQ_HEAD(slot_list, job_slot);

/* A group of slots handled together (not owned: slots live on their own). */
struct batch {
	struct job_slot **v;
	size_t            n;
	size_t            cap;
};

/* Decides slot's outcome: the slot is DONE. msg_id and detail are copied (may be NULL). */
void slot_finish(struct job_slot *slot, Banditore__V1__OutcomeStatus outcome, int err_code,
                 const char *msg_id, const char *detail, const char *dead_reason);
/* Makes the slot DONE as poison (why): quarantined at the flush, nothing recorded. */
void slot_poison(struct job_slot *slot, const char *why);
/* Makes the slot DONE as a retry (d->act RETRY_AT: to delivery.jobs.retry) or a
 * long wait (RETRY_PARK: to delivery.jobs.parked), re-produced with
 * not_before_ms = d->at_ms (wall clock). */
void slot_retry(struct job_slot *slot, const struct retry_decision *d);
/* A new slot for a consumed message (takes ownership of msg; NULL for a job
 * read back from the backlog), with a fresh claim number. */
struct job_slot *slot_new(rd_kafka_message_t *msg);
/* true if the slot still goes through the checks: pending, not a duplicate,
 * decoded, and not claimed by someone else. */
static inline bool slot_checkable(const struct job_slot *slot)
{
	return slot->state == SLOT_PENDING && !slot->dup && slot->job != NULL &&
	       (slot->claim == CLAIM_NONE || slot->claim == CLAIM_MINE);
}
/* The job's notice id if it is a UUID (what the ledger's column takes), else NULL. */
const char *slot_notice_uuid(const struct job_slot *slot);
/* The job's purpose as the ledger and the backlog write it ("notice", ...). */
const char *slot_purpose_name(const struct job_slot *slot);
/* Makes the slot DONE as deferred until until_ms (wall): written to the backlog at
 * the flush (its claim given back if it held one), read back then. */
void slot_defer(struct job_slot *slot, int64_t until_ms);
/* Makes a slot a job to give back untouched: its claim released, no outcome, not committed. */
void slot_abandon(struct job_slot *slot);
void slot_free(struct job_slot *slot);
/* Appends a slot to the group. */
void batch_push(struct batch *b, struct job_slot *slot);
void batch_free(struct batch *b);

#endif
