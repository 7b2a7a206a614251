/* Hashes, HMACs and random ids on OpenSSL. */
#include "crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>

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

void uuid_v4(char out[UUID_STR_LEN + 1])
{
	unsigned char b[16];
	char hex[33];

	random_bytes(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	to_hex(b, 16, hex);
	snprintf(out, UUID_STR_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s",
	         hex, hex + 8, hex + 12, hex + 16, hex + 20);
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
