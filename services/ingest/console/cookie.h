/*
 * The console's session cookie and CSRF token as text. Pure: no I/O.
 *   Cookie: a=1; bnd_session=<token>; b=2      -> cookie_find
 *   Set-Cookie: bnd_session=<token>; Path=/; HttpOnly; Secure;
 *               SameSite=Strict; Max-Age=<s>   -> cookie_set_value
 */
#ifndef BND_CONSOLE_COOKIE_H
#define BND_CONSOLE_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

#define COOKIE_NAME "bnd_session"
#define TOKEN_BYTES 32
#define TOKEN_LEN 43 /* 32 bytes in base64url, no padding */
#define COOKIE_SET_MAX 160

/*
 * The value of the cookie called name in a Cookie header (NULL: none)
 * into out; true if it is there, fits and is a token of TOKEN_LEN
 * base64url characters (anything else is as good as no cookie).
 */
bool cookie_find(const char *header, const char *name, char out[TOKEN_LEN + 1]);
/* The Set-Cookie value of the session cookie; token "" and max_age 0
 * clear it. */
void cookie_set_value(const char *token, long max_age, char out[COOKIE_SET_MAX]);
/* n random bytes in base64url without padding into out (4n/3 rounded up,
 * and a NUL). */
void token_random(char *out, size_t nbytes);
/* true if given (may be NULL) equals want, in time independent of where
 * they differ. */
bool token_equal(const char *given, const char *want);

#endif
