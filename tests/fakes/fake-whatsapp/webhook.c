/*
 * Signed webhook POSTs. The payload is serialized once and those exact
 * bytes are signed and sent, the way Meta does: receivers must verify the
 * HMAC over the raw body, so we escape non-ASCII characters and slashes as
 * Meta's serializer does; a receiver that re-serializes will not match.
 */
#include "webhook.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "sha1=" + 40 hex + NUL */
#define WEBHOOK_SIG1_LEN (5 + 40 + 1)

char *webhook_serialize(const json_t *payload, size_t *len)
{
	char *s = json_dumps(payload, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH);
	char *p;

	if (s == NULL)
		return NULL;
	/* Meta writes \u00e8, jansson \u00E8: lowercase the hex of each \u escape
	 * (an escaped backslash is skipped whole, so text is never altered). */
	for (p = s; *p != '\0'; p++) {
		if (*p != '\\')
			continue;
		if (p[1] == 'u') {
			for (int i = 2; i < 6 && p[i] != '\0'; i++)
				p[i] = (char)tolower((unsigned char)p[i]);
			p += 5;
		} else {
			p++;
		}
	}
	*len = strlen(s);
	return s;
}

void webhook_signature(const char *secret, const char *body, size_t len,
                       char out[WEBHOOK_SIG_LEN])
{
	memcpy(out, "sha256=", 7);
	hmac_sha256_hex(secret, strlen(secret), body, len, out + 7);
}

/* The legacy X-Hub-Signature value Meta still sends: "sha1=<hex HMAC-SHA1>". */
static void webhook_signature_sha1(const char *secret, const char *body, size_t len,
                                   char out[WEBHOOK_SIG1_LEN])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	HMAC(EVP_sha1(), secret, (int)strlen(secret), (const unsigned char *)body, len, mac, &n);
	memcpy(out, "sha1=", 5);
	for (unsigned int i = 0; i < n && i < 20; i++)
		snprintf(out + 5 + 2 * i, 3, "%02x", mac[i]);
}

/* Meta's headers for body: its user agent and both signatures (in sig, sig1). */
static void webhook_headers(const char *secret, const char *body, size_t len,
                            struct fk_header h[3], char sig[WEBHOOK_SIG_LEN],
                            char sig1[WEBHOOK_SIG1_LEN])
{
	webhook_signature(secret, body, len, sig);
	webhook_signature_sha1(secret, body, len, sig1);
	h[0] = (struct fk_header){ "User-Agent", "facebookexternalua" };
	h[1] = (struct fk_header){ "X-Hub-Signature", sig1 };
	h[2] = (struct fk_header){ "X-Hub-Signature-256", sig };
}

int webhook_post(struct event_base *base, const char *url, const char *secret,
                 const char *body, size_t len, fk_post_done_fn done, void *arg,
                 char *err, size_t errlen)
{
	char sig[WEBHOOK_SIG_LEN], sig1[WEBHOOK_SIG1_LEN];
	struct fk_header h[3];

	webhook_headers(secret, body, len, h, sig, sig1);
	return fk_post(base, url, h, 3, body, len, done, arg, err, errlen);
}

void webhook_relay(struct event_base *base, const char *url, const char *secret,
                   const char *body, size_t len, struct evhttp_request *test_req,
                   const char *wamid)
{
	char sig[WEBHOOK_SIG_LEN], sig1[WEBHOOK_SIG1_LEN];
	struct fk_header h[3];

	webhook_headers(secret, body, len, h, sig, sig1);
	fk_post_relay(base, url, h, 3, body, len, test_req, "wamid", json_string(wamid));
}
