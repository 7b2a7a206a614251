/* The consent ledger in PostgreSQL, through consent_apply() (see schema). */
#ifndef BND_CONSENT_H
#define BND_CONSENT_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

struct consent_result {
	long long subscriber_id;   /* 0 if the citizen was never subscribed */
	bool changed;              /* status or topics changed */
	bool replayed;             /* this evidence was applied before */
	char prev_status[12];      /* "" if there was no subscriber row */
};

/* The citizen's current status on a channel ("" if unknown). 0 or -1. */
int consent_status(struct db *db, long long channel_id, const char *address,
                   char status[12]) __attribute__((warn_unused_result));
/*
 * Records action (request, subscribe, confirm, topics, unsubscribe,
 * revoke) idempotently by evidence. topics: NULL leaves the choice as it
 * is; ntopics == 0 with set_topics means "every topic".
 * Returns 0, or -1 if PostgreSQL failed (retry).
 */
int consent_record(struct db *db, long long channel_id, const char *address,
                   const char *action, const char *source, const char *evidence,
                   bool set_topics, char **topics, size_t ntopics,
                   struct consent_result *out) __attribute__((warn_unused_result));
/* The address and channel of a subscriber. 0, 1 if absent, -1 on failure. */
int consent_subscriber(struct db *db, long long subscriber_id, long long *channel_id,
                       char *address, size_t addrlen) __attribute__((warn_unused_result));

#endif
