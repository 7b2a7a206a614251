/* The session cookie and CSRF token as text (cookie.h). */
#include "console/cookie.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* true if s (n bytes) is a token: TOKEN_LEN base64url characters. */
static bool token_shaped(const char *s, size_t n)
{
	if (n != TOKEN_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(B64URL, s[i]) == NULL)
			return false;
	return true;
}

bool cookie_find(const char *header, const char *name, char out[TOKEN_LEN + 1])
{
	size_t nl = strlen(name);
	const char *p = header;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		size_t n;
		p += strspn(p, " \t;");
		n = strcspn(p, ";");
		if (n > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t vn = n - nl - 1;
			while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
				vn--;
			if (!token_shaped(v, vn))
				return false;
			memcpy(out, v, vn);
			out[vn] = '\0';
			return true;
		}
		p += n;
	}
	return false;
}

void cookie_set_value(const char *token, long max_age, char out[COOKIE_SET_MAX])
{
	snprintf(out, COOKIE_SET_MAX,
	         "%s=%s; Path=/; HttpOnly; Secure; SameSite=Strict; "
	         "Max-Age=%ld",
	         COOKIE_NAME, token, max_age);
}

void token_random(char *out, size_t nbytes)
{
	unsigned char *raw = calloc(nbytes + 2, 1);
	size_t w = 0, bits = 0;
	unsigned acc = 0;

	if (raw == NULL || RAND_bytes(raw, (int)nbytes) != 1)
		abort(); /* no randomness: no safe token can be made */
	for (size_t i = 0; i < nbytes; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[w++] = B64URL[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out[w++] = B64URL[(acc << (6 - bits)) & 63];
	out[w] = '\0';
	OPENSSL_cleanse(raw, nbytes);
	free(raw);
}

bool token_equal(const char *given, const char *want)
{
	if (given == NULL)
		return false;
	return ct_equal(given, strlen(given), want, strlen(want));
}
