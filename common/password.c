/* Staff passwords (password.h). */
#include "password.h"

#include <sodium.h>
#include <string.h>

#define PW_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static char pw_dummy[PW_HASH_MAX];

int pw_init(void)
{
	static const char seed[] = "no such account: this hash only costs time";

	if (sodium_init() < 0)
		return -1;
	if (pw_dummy[0] != '\0')
		return 0;
	return pw_hash(seed, sizeof(seed) - 1, pw_dummy);
}

int pw_hash(const char *pw, size_t len, char out[PW_HASH_MAX])
{
	_Static_assert(PW_HASH_MAX >= crypto_pwhash_STRBYTES, "PW_HASH_MAX too small");
	return crypto_pwhash_str(out, pw, len, PW_OPS, PW_MEM) == 0 ? 0 : -1;
}

bool pw_verify(const char *hash, const char *pw, size_t len)
{
	if (hash == NULL || strncmp(hash, crypto_pwhash_argon2id_STRPREFIX,
	                            strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0) {
		/* The same work as for a real hash; the answer is no anyway. */
		if (crypto_pwhash_str_verify(pw_dummy, pw, len) == 0)
			return false;
		return false;
	}
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

const char *pw_weak(const char *pw, size_t len)
{
	if (len < PW_MIN_LEN)
		return "a password needs at least 10 characters";
	if (len > PW_MAX_LEN)
		return "a password has at most 256 bytes";
	if (memchr(pw, '\0', len) != NULL)
		return "a password may not contain a NUL byte";
	return NULL;
}
