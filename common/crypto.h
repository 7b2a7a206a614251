/* Hashes, HMACs, constant-time comparison, random ids (OpenSSL). */
#ifndef BND_CRYPTO_H
#define BND_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_HEX_LEN 64
#define UUID_STR_LEN 36

/* out gets 64 lowercase hex characters and a NUL. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);
void hmac_sha256_hex(const void *key, size_t keylen, const void *data,
                     size_t len, char out[SHA256_HEX_LEN + 1]);
/* Compares without leaking where they differ; false if lengths differ. */
bool ct_equal(const void *a, size_t alen, const void *b, size_t blen);
/* Random UUID v4, lowercase, NUL-terminated. */
void uuid_v4(char out[UUID_STR_LEN + 1]);
/* true if s is a UUID in text form (8-4-4-4-12 hex digits, any case); NULL is not. */
bool uuid_valid(const char *s);
/* uuid_valid(s), with out getting it in lowercase. */
bool uuid_parse(const char *s, char out[UUID_STR_LEN + 1]) __attribute__((warn_unused_result));
/* Random bytes as lowercase hex (nbytes*2 chars + NUL). */
void random_hex(char *out, size_t nbytes);

#endif
