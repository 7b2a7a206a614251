/* The consent ledger in PostgreSQL, through consent_apply() (see schema). */
#ifndef BND_CONSENT_H
#define BND_CONSENT_H

#include <stdbool.h>

#include "db.h"

struct consent_result {
	long long subscriber_id;   /* 0 if the citizen was never subscribed */
	bool changed;              /* the subscriber's status changed */
	bool replayed;             /* this evidence was applied before */
};

/* What a channel says to its citizens. */
struct channel_texts {
	char *comune_id;
	char *sender_account;
	char *welcome;
	char *goodbye;
};

/* Records action ("subscribe"/"unsubscribe") idempotently by evidence.
 * Returns 0, or -1 if PostgreSQL failed (retry). */
int consent_record(struct db *db, long long channel_id, const char *address,
                   const char *action, const char *source, const char *evidence,
                   struct consent_result *out) __attribute__((warn_unused_result));
/* Loads a channel's texts. 0, 1 if no such channel, -1 on failure. */
int consent_channel_texts(struct db *db, long long channel_id, struct channel_texts *out)
    __attribute__((warn_unused_result));
void consent_channel_texts_free(struct channel_texts *t);

#endif
