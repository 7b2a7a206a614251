/*
 * WhatsApp webhook signatures: X-Hub-Signature-256 is "sha256=" followed
 * by the hex HMAC-SHA256 of the raw body, keyed with the app secret.
 */
#ifndef BND_WA_VERIFY_H
#define BND_WA_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto.h"

#define WA_SIGNATURE_HEADER "X-Hub-Signature-256"

enum wa_sig {
	WA_SIG_OK = 0,
	WA_SIG_MISSING,     /* no header */
	WA_SIG_MALFORMED,   /* not "sha256=<64 hex digits>" */
	WA_SIG_MISMATCH,    /* well formed, wrong HMAC (or no usable secret) */
};

/*
 * Parses a header value into 64 lowercase hex digits (hex digits are
 * accepted in either case). Returns WA_SIG_OK, WA_SIG_MISSING (header
 * NULL) or WA_SIG_MALFORMED.
 */
enum wa_sig wa_signature_parse(const char *header, char hex[SHA256_HEX_LEN + 1])
    __attribute__((warn_unused_result));
/*
 * True if hex (from wa_signature_parse) is the HMAC of body under secret,
 * compared in constant time. An empty secret never matches: anyone could
 * compute that HMAC.
 */
bool wa_signature_matches(const char hex[SHA256_HEX_LEN + 1],
                          const void *secret, size_t secretlen,
                          const void *body, size_t len)
    __attribute__((warn_unused_result));
/* Parse and match in one call. */
enum wa_sig wa_signature_check(const char *header, const void *secret,
                               size_t secretlen, const void *body, size_t len)
    __attribute__((warn_unused_result));
/* "ok", "missing", "malformed", "mismatch". */
const char *wa_sig_name(enum wa_sig sig);

#endif
