/*
 * What handling one message produces — reply jobs and consent changes —
 * gathered in one Kafka batch and waited for together. Job ids derive
 * from the evidence that caused them, so a replay produces the same ids
 * and the dispatcher's ledger drops the second copy.
 */
#ifndef BND_OUTBOX_H
#define BND_OUTBOX_H

#include <stdbool.h>

#include "subscriptions.h"
#include "worker.h"

struct outbox {
	struct subscriptions *sub;
	const struct settings *st;
	const char *address;
	const char *evidence;
	struct kq_batch batch;
	int failed;
};

void outbox_init(struct outbox *ob, struct subscriptions *sub, const struct settings *st,
                 const char *address, const char *evidence);
/* A text reply. Takes ownership of body. */
void outbox_text(struct outbox *ob, const char *purpose, long long subscriber_id,
                 char *body, bool requires_consent);
/* The web form's confirmation request (the channel's confirm template). */
void outbox_confirm(struct outbox *ob, long long subscriber_id);
/* A consent change for dispatchers' last-moment checks, keyed by the
 * subscriber id on consent.changes (compacted). */
void outbox_change(struct outbox *ob, long long subscriber_id, bool active, const char *action);
/* Waits for every acknowledgement. 0, or -1 if anything failed. */
int outbox_flush(struct outbox *ob) __attribute__((warn_unused_result));
/* Ends the handling of a message whose database work returned rc (0 or
 * -1): flushes, then WORK_DONE, or why it must be retried or set aside. */
enum work_result outbox_end(struct outbox *ob, int rc, struct work_fault *fault);

#endif
