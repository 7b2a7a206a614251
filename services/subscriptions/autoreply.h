/*
 * Throttle for automatic replies ("this number does not answer
 * messages"): at most one per citizen per interval, so a chatty citizen
 * is not spammed. Kept in memory as 64-bit hashes of channel/address, so
 * no number of someone who never subscribed is stored; a restart may let
 * one extra reply through. Messages of one citizen are keyed to one
 * partition, hence one instance: no coordination needed.
 */
#ifndef BND_AUTOREPLY_H
#define BND_AUTOREPLY_H

#include <stdbool.h>
#include <stdint.h>

#define AUTOREPLY_SLOTS 65536   /* power of two */

/* True (and the time recorded) if a reply may go out now. */
bool autoreply_allow(long long channel_id, const char *address, int64_t now_ms,
                     long every_s);

#endif
