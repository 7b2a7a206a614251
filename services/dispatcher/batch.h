/*
 * A batch of consumed delivery jobs and what became of each. The batch
 * is the unit of durability: outcomes of all its jobs are recorded and
 * produced before any of its offsets is committed.
 */
#ifndef DSP_BATCH_H
#define DSP_BATCH_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>

#include "events.h"

/* Where a job is in its cycle. */
enum slot_state {
	SLOT_PENDING,    /* decoded; ledger and consent checks still to come */
	SLOT_WAITING,    /* to be sent at next_at_ms (first try or retry) */
	SLOT_INFLIGHT,   /* an HTTP request is out */
	SLOT_DONE,       /* outcome decided (or nothing to do): may be committed */
	SLOT_ABANDONED,  /* drain deadline passed: not recorded, not committed */
};

/* One consumed message and its job. */
struct job_slot {
	rd_kafka_message_t         *msg;
	Banditore__V1__DeliveryJob *job;         /* NULL: undecodable, goes to delivery.dead raw */
	enum slot_state             state;
	bool                        dup;         /* same job id earlier in the batch: no effect */
	bool                        replay;      /* already in the ledger: re-emit, don't record */
	char                       *body;        /* request JSON */
	unsigned                    attempts;    /* HTTP attempts made */
	int64_t                     next_at_ms;  /* monotonic */
	unsigned                    token_gen;   /* generation of the token used */
	bool                        auth_retried;
	bool                        needs_refresh;
	/* outcome */
	Banditore__V1__OutcomeStatus outcome;
	char                       *wamid;       /* provider message id (wamid, "<chat>:<message>") */
	int                         err_code;
	char                       *detail;
	const char                 *dead_reason; /* non-NULL: produce the job to delivery.dead */
	bool                        revoke;      /* outcome asks for the consent to be revoked */
};

struct batch {
	struct job_slot *slots;
	size_t           n;
	size_t           cap;
};

/* Names for logs and the ledger's status column. */
const char *slot_state_name(enum slot_state st);
const char *outcome_status_name(Banditore__V1__OutcomeStatus st);
const char *purpose_name(Banditore__V1__JobPurpose p);

/* Decides slot's outcome: the slot is DONE. wamid and detail are copied (may be NULL). */
void slot_finish(struct job_slot *slot, Banditore__V1__OutcomeStatus outcome, int err_code,
                 const char *wamid, const char *detail, const char *dead_reason);
/* Appends a consumed message (takes ownership) as a new slot. */
struct job_slot *batch_add(struct batch *b, rd_kafka_message_t *msg);
/* Frees every slot and empties the batch (the array is kept for the next one). */
void batch_clear(struct batch *b);
void batch_free(struct batch *b);

/*
 * The drain deadline: set the first time a shutdown is seen, timeout_ms
 * later. expired() is true once it has passed.
 */
struct drain {
	long    timeout_ms;
	int64_t deadline_ms;   /* 0 until shutdown */
};
bool drain_expired(struct drain *d);
/* Sleeps ms, shorter if a shutdown arrives first (but never a busy loop). */
void drain_pause(struct drain *d, long ms);

#endif
