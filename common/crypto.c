/* Hashes, HMACs and random ids on OpenSSL. */
#include "crypto.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes n bytes as lowercase hex plus NUL. */
static void to_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	to_hex(md, 32, out);
}

void hmac_sha256_hex(const void *key, size_t keylen, const void *data,
                     size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	HMAC(EVP_sha256(), key, (int)keylen, data, len, md, &mdlen);
	to_hex(md, 32, out);
}

bool ct_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	const unsigned char *x = a, *y = b;
	unsigned char diff = 0;

	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

/* Random bytes or abort: ids must never repeat. */
static void random_bytes(unsigned char *buf, size_t n)
{
	if (RAND_bytes(buf, (int)n) != 1) {
		fprintf(stderr, "RAND_bytes failed\n");
		abort();
	}
}

/*
 * 16 random bytes for an id, served from a per-thread pool refilled from
 * the CSPRNG: one RAND_bytes call per 32 ids instead of one per id (event
 * ids are made for every message; they must be unique, not secret).
 */
static void uuid_random(unsigned char b[16])
{
	static _Thread_local unsigned char pool[512];
	static _Thread_local size_t used = sizeof(pool);

	if (used == sizeof(pool)) {
		random_bytes(pool, sizeof(pool));
		used = 0;
	}
	memcpy(b, pool + used, 16);
	explicit_bzero(pool + used, 16);
	used += 16;
}

void uuid_v4(char out[UUID_STR_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char b[16];
	size_t o = 0;

	uuid_random(b);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = digits[b[i] >> 4];
		out[o++] = digits[b[i] & 0xf];
	}
	out[o] = '\0';
}

bool uuid_valid(const char *s)
{
	if (s == NULL || strlen(s) != UUID_STR_LEN)
		return false;
	for (size_t i = 0; i < UUID_STR_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

bool uuid_parse(const char *s, char out[UUID_STR_LEN + 1])
{
	if (!uuid_valid(s))
		return false;
	for (size_t i = 0; i < UUID_STR_LEN; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[UUID_STR_LEN] = '\0';
	return true;
}

void random_hex(char *out, size_t nbytes)
{
	unsigned char b[64];
	size_t done = 0;

	while (done < nbytes) {
		size_t n = nbytes - done < sizeof(b) ? nbytes - done : sizeof(b);
		random_bytes(b, n);
		to_hex(b, n, out + 2 * done);
		done += n;
	}
	out[2 * nbytes] = '\0';
}
