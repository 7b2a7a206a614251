/*
 * Fuzz target: the console's Cookie header parsing (cookie_find). What it
 * finds must be a token it would make: TOKEN_LEN base64url characters,
 * equal to itself under token_equal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "console/cookie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[TOKEN_LEN + 1], *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	if (cookie_find(s, COOKIE_NAME, out)) {
		if (strlen(out) != TOKEN_LEN || !token_equal(out, out) ||
		    strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		        TOKEN_LEN)
			__builtin_trap();
	}
	free(s);
	return 0;
}
