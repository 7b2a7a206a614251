/* The console's pure parts: the session cookie, tokens and their
 * comparison, the lockout arithmetic (console/cookie.c, console/lockout.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "console/cookie.h"
#include "console/lockout.h"

#define TOK "abcdefghijklmnopqrstuvwxyzABCDEFGHIJK0123-_"   /* 43 base64url */

static const struct {
	const char *header;
	const char *want;   /* NULL: no usable cookie */
} cookies[] = {
	{ "bnd_session=" TOK, TOK },
	{ "theme=dark; bnd_session=" TOK "; lang=it", TOK },
	{ "  bnd_session=" TOK "  ", TOK },
	{ "xbnd_session=" TOK, NULL },                    /* another name */
	{ "bnd_session_old=" TOK, NULL },
	{ "bnd_session=" TOK "x", NULL },                 /* too long */
	{ "bnd_session=abc", NULL },                      /* too short */
	{ "bnd_session=" "abcdefghijklmnopqrstuvwxyzABCDEFGHIJK0123+/", NULL },  /* not base64url */
	{ "bnd_session=", NULL },
	{ "", NULL },
	{ NULL, NULL },
};

static void test_cookie_find(void **state)
{
	char out[TOKEN_LEN + 1];
	(void)state;

	for (size_t i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
		bool found = cookie_find(cookies[i].header, COOKIE_NAME, out);
		if (cookies[i].want == NULL) {
			if (found)
				fail_msg("case %zu: found %s", i, out);
		} else {
			if (!found)
				fail_msg("case %zu: not found", i);
			assert_string_equal(out, cookies[i].want);
		}
	}
}

static void test_cookie_set(void **state)
{
	char out[COOKIE_SET_MAX];
	(void)state;

	cookie_set_value(TOK, 28800, out);
	assert_string_equal(out, "bnd_session=" TOK "; Path=/; HttpOnly; Secure; SameSite=Strict; "
	                         "Max-Age=28800");
	cookie_set_value("", 0, out);
	assert_string_equal(out, "bnd_session=; Path=/; HttpOnly; Secure; SameSite=Strict; "
	                         "Max-Age=0");
}

static void test_token_random(void **state)
{
	char a[TOKEN_LEN + 1], b[TOKEN_LEN + 1], found[TOKEN_LEN + 1], header[80];
	(void)state;

	token_random(a, TOKEN_BYTES);
	token_random(b, TOKEN_BYTES);
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_string_not_equal(a, b);
	/* What is made is what the cookie parser takes. */
	snprintf(header, sizeof(header), "bnd_session=%s", a);
	assert_true(cookie_find(header, COOKIE_NAME, found));
	assert_string_equal(found, a);
}

static void test_token_equal(void **state)
{
	(void)state;

	assert_true(token_equal(TOK, TOK));
	assert_false(token_equal(NULL, TOK));
	assert_false(token_equal("", TOK));
	assert_false(token_equal(TOK "x", TOK));
	assert_false(token_equal("bbcdefghijklmnopqrstuvwxyzABCDEFGHIJK0123-_", TOK));
	assert_false(token_equal("abcdefghijklmnopqrstuvwxyzABCDEFGHIJK0123-a", TOK));
}

static void test_lockout_five_in_window(void **state)
{
	struct lockout lo = { 0 };
	int64_t t = 1000000;
	(void)state;

	for (int i = 0; i < LOCKOUT_FAILURES - 1; i++) {
		lockout_fail(&lo, t + i * 60);
		assert_int_equal(lockout_remaining(&lo, t + i * 60), 0);
	}
	lockout_fail(&lo, t + 600);   /* the fifth, 10 minutes after the first */
	assert_int_equal(lockout_remaining(&lo, t + 600), LOCKOUT_LOCK_S);
	assert_int_equal(lockout_remaining(&lo, t + 600 + LOCKOUT_LOCK_S - 1), 1);
	assert_int_equal(lockout_remaining(&lo, t + 600 + LOCKOUT_LOCK_S), 0);
}

static void test_lockout_window_restarts(void **state)
{
	struct lockout lo = { 0 };
	int64_t t = 1000000;
	(void)state;

	for (int i = 0; i < LOCKOUT_FAILURES - 1; i++)
		lockout_fail(&lo, t);
	/* The window is over: this failure is the first of a new one. */
	lockout_fail(&lo, t + LOCKOUT_WINDOW_S);
	assert_int_equal(lo.failures, 1);
	assert_int_equal(lo.since_s, t + LOCKOUT_WINDOW_S);
	assert_int_equal(lockout_remaining(&lo, t + LOCKOUT_WINDOW_S), 0);
}

static void test_lockout_clear(void **state)
{
	struct lockout lo = { 0 };
	(void)state;

	for (int i = 0; i < LOCKOUT_FAILURES - 1; i++)
		lockout_fail(&lo, 5000);
	lockout_clear(&lo);
	lockout_fail(&lo, 5001);
	assert_int_equal(lo.failures, 1);
	assert_int_equal(lockout_remaining(&lo, 5001), 0);
	/* A clock that went back does not extend a window. */
	lockout_fail(&lo, 4000);
	assert_int_equal(lo.failures, 1);
	assert_int_equal(lo.since_s, 4000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cookie_find),
		cmocka_unit_test(test_cookie_set),
		cmocka_unit_test(test_token_random),
		cmocka_unit_test(test_token_equal),
		cmocka_unit_test(test_lockout_five_in_window),
		cmocka_unit_test(test_lockout_window_restarts),
		cmocka_unit_test(test_lockout_clear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
