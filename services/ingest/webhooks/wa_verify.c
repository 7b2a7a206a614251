/* X-Hub-Signature-256 parsing and constant-time checking. */
#include "webhooks/wa_verify.h"

#include <string.h>

#define SIG_PREFIX "sha256="

/* The value of a hex digit, lowercased into *lower; -1 if not hex. */
static int hex_lower(char c, char *lower)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
		*lower = c;
		return 0;
	}
	if (c >= 'A' && c <= 'F') {
		*lower = (char)(c - 'A' + 'a');
		return 0;
	}
	return -1;
}

enum wa_sig wa_signature_parse(const char *header, char hex[SHA256_HEX_LEN + 1])
{
	const size_t plen = sizeof(SIG_PREFIX) - 1;

	hex[0] = '\0';
	if (header == NULL)
		return WA_SIG_MISSING;
	if (strncmp(header, SIG_PREFIX, plen) != 0)
		return WA_SIG_MALFORMED;
	header += plen;
	if (strlen(header) != SHA256_HEX_LEN)
		return WA_SIG_MALFORMED;
	for (size_t i = 0; i < SHA256_HEX_LEN; i++) {
		if (hex_lower(header[i], &hex[i]) != 0) {
			hex[0] = '\0';
			return WA_SIG_MALFORMED;
		}
	}
	hex[SHA256_HEX_LEN] = '\0';
	return WA_SIG_OK;
}

bool wa_signature_matches(const char hex[SHA256_HEX_LEN + 1],
                          const void *secret, size_t secretlen,
                          const void *body, size_t len)
{
	char want[SHA256_HEX_LEN + 1];
	bool ok;

	if (secret == NULL || secretlen == 0)
		return false;
	hmac_sha256_hex(secret, secretlen, body, len, want);
	ok = ct_equal(want, SHA256_HEX_LEN, hex, strnlen(hex, SHA256_HEX_LEN + 1));
	explicit_bzero(want, sizeof(want));
	return ok;
}

enum wa_sig wa_signature_check(const char *header, const void *secret,
                               size_t secretlen, const void *body, size_t len)
{
	char hex[SHA256_HEX_LEN + 1];
	enum wa_sig sig = wa_signature_parse(header, hex);

	if (sig != WA_SIG_OK)
		return sig;
	return wa_signature_matches(hex, secret, secretlen, body, len) ? WA_SIG_OK
	                                                               : WA_SIG_MISMATCH;
}

const char *wa_sig_name(enum wa_sig sig)
{
	static const char *const names[] = { "ok", "missing", "malformed", "mismatch" };
	return (unsigned)sig < sizeof(names) / sizeof(names[0]) ? names[sig] : "unknown";
}
