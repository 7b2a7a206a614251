/*
 * Staff passwords: argon2id through libsodium (crypto_pwhash_str), in
 * libsodium's self-describing string form ("$argon2id$v=19$m=...").
 * Hashing and verifying are slow on purpose (about 64 MiB and a tenth of
 * a second each): never call them on an event loop's thread.
 * Thread-safe once pw_init() has returned 0.
 */
#ifndef BND_PASSWORD_H
#define BND_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PW_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define PW_MIN_LEN 10   /* bytes */
#define PW_MAX_LEN 256

/* Initializes libsodium and the dummy hash; 0 or -1. Call once at start. */
int pw_init(void) __attribute__((warn_unused_result));
/* Hashes pw (len bytes) into out; 0, or -1 (out of memory). */
int pw_hash(const char *pw, size_t len, char out[PW_HASH_MAX]) __attribute__((warn_unused_result));
/* true if pw matches hash. A NULL hash is checked against a dummy one, so
 * that an unknown account costs as much time as a known one (and fails). */
bool pw_verify(const char *hash, const char *pw, size_t len);
/* NULL if pw is acceptable as a new password, else why not. */
const char *pw_weak(const char *pw, size_t len);

#endif
