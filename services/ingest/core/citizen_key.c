/* Keyed hashes of citizens' addresses; see citizen_key.h. */
#include "core/citizen_key.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "xmalloc.h"

static unsigned char *ck_secret;
static size_t ck_secret_len;

void ck_set_secret(const void *secret, size_t len)
{
	if (ck_secret != NULL)
		explicit_bzero(ck_secret, ck_secret_len);
	free(ck_secret);
	ck_secret = xmalloc(len + 1);
	memcpy(ck_secret, secret, len);
	ck_secret_len = len;
}

void ck_hash(const char *address, char out[CK_HASH_HEX + 1])
{
	static const unsigned char none[1];
	char full[SHA256_HEX_LEN + 1];

	hmac_sha256_hex(ck_secret != NULL ? ck_secret : none, ck_secret_len, address,
	                strlen(address), full);
	memcpy(out, full, CK_HASH_HEX);
	out[CK_HASH_HEX] = '\0';
}

char *ck_message_key(long long channel_id, const char *address)
{
	char hash[CK_HASH_HEX + 1];

	ck_hash(address, hash);
	return xasprintf("%lld/%s", channel_id, hash);
}
