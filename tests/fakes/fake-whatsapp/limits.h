/*
 * The fake's throughput limits, as the Cloud API enforces them:
 *  - per phone-number id (sender): messages/second, above it 130429;
 *  - per recipient ("pair rate"): about one message every few seconds to
 *    the same citizen, short bursts tolerated, above it 131056.
 * Both are token buckets (fk_bucket.h).
 * The sender table also keeps per-sender counters and the "invalid
 * token" switch (answers 190 while set).
 */
#ifndef FAKE_WA_LIMITS_H
#define FAKE_WA_LIMITS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "fk_bucket.h"

struct limits;

struct limits *limits_new(void);
void limits_free(struct limits *lm);

/* Per-sender state, created on first use; valid while lm lives. */
struct lim_sender {
	struct lim_sender *next;
	char              *pnid;
	struct fk_bucket   bucket;
	long               accepted;
	long               throttled;
	bool               invalid_token;
};
struct lim_sender *limits_sender(struct limits *lm, const char *pnid);

/* 0 if the sender may send now (token taken), else 130429. */
int limits_sender_take(struct limits *lm, struct lim_sender *snd, double rate, double burst,
                       int64_t now_ms);
/* 0 if `to` may receive now (token taken), else 131056. period_ms <= 0: off. */
int limits_pair_take(struct limits *lm, const char *to, long period_ms, double burst,
                     int64_t now_ms);

/* Replaces the set of senders whose token is refused (NULL-terminated). */
void limits_set_invalid(struct limits *lm, const char *const *pnids);
/* JSON array of the senders whose token is refused. New reference. */
json_t *limits_invalid_json(const struct limits *lm);
/* {"<pnid>": accepted, ...}. New reference. */
json_t *limits_accepted_json(const struct limits *lm);
/* Forgets counters and buckets (the invalid-token switches stay). */
void limits_reset(struct limits *lm);

#endif
