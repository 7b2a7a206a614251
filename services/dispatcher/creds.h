/*
 * Tokens of the channels of every provider (WhatsApp access tokens,
 * Telegram bot tokens), read from channels.token_ref through secret_resolve() and cached per
 * channel id. A token the provider rejects (401) is re-read once; a
 * changed token gets a new generation number so a job knows whether
 * retrying can help.
 */
#ifndef DSP_CREDS_H
#define DSP_CREDS_H

#include <stdbool.h>
#include <stdint.h>

struct db;
struct creds;

struct creds *creds_new(void);
void creds_free(struct creds *cr);
/* (Re)loads every channel: 0, or -1 if PostgreSQL failed (the cache is kept). */
int creds_load(struct creds *cr, struct db *db) __attribute__((warn_unused_result));
/* true if the cache was loaded within max_age_ms. */
bool creds_fresh(const struct creds *cr, int64_t max_age_ms);
/* true if channel_id was in the last load (with or without a usable token). */
bool creds_known(const struct creds *cr, long long channel_id);
/* The token of channel_id (valid until the next load/refresh) and its
 * generation, or NULL if unknown or unresolvable. gen may be NULL. */
const char *creds_token(const struct creds *cr, long long channel_id, unsigned *gen);
/* The channel's configured rate (messages/s), 0 if unknown. */
double creds_rate(const struct creds *cr, long long channel_id);
/*
 * After a 401: re-reads channel_id's token, at most once every few
 * seconds per channel. 0, or -1 if PostgreSQL failed.
 */
int creds_refresh(struct creds *cr, struct db *db, long long channel_id)
    __attribute__((warn_unused_result));

#endif
