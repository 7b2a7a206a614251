/*
 * Throttle for automatic replies ("this number does not answer
 * messages"): at most one per citizen per interval, so a chatty citizen
 * is not spammed. Kept in memory under a 64-bit hash of channel and
 * address, so no number of someone who never subscribed is stored; a
 * restart may let one extra reply through, and so may a full table
 * (more than AUTOREPLY_MAX citizens answered within their interval: it
 * is emptied). Messages of one citizen are keyed to one partition, hence
 * one instance: no coordination needed. Not thread-safe.
 */
#ifndef BND_AUTOREPLY_H
#define BND_AUTOREPLY_H

#include <stdbool.h>
#include <stdint.h>

#define AUTOREPLY_MAX 65536

struct autoreply;

struct autoreply *autoreply_new(void);
void autoreply_free(struct autoreply *ar);
/* True (and the time recorded) if a reply may go out now. */
bool autoreply_allow(struct autoreply *ar, long long channel_id, const char *address,
                     int64_t now_ms, long every_s);

#endif
