/*
 * What stands for a citizen's address (a phone number, a Telegram chat
 * id) where the address itself must not appear: the Kafka key of the
 * citizen's messages on citizen.messages, the sign-up form's per-number
 * limit. HMAC-SHA256 of the address under BND_KEY_HASH_SECRET, its first
 * 128 bits in hex: the same citizen always gets the same key (so one
 * citizen's messages stay in order on one partition), and without the
 * secret nobody can find a number by hashing every possible one.
 */
#ifndef BND_CITIZEN_KEY_H
#define BND_CITIZEN_KEY_H

#include <stddef.h>

#define CK_HASH_HEX 32

/* The secret (copied) for every key from now on. Call once at start-up. */
void ck_set_secret(const void *secret, size_t len);
/* The keyed hash of address, lowercase hex. */
void ck_hash(const char *address, char out[CK_HASH_HEX + 1]);
/* The Kafka key of a citizen's messages on a channel:
 * "<channel_id>/<ck_hash(address)>". Caller frees. */
char *ck_message_key(long long channel_id, const char *address);

#endif
