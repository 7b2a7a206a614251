/*
 * A console login as PostgreSQL sees it (worker thread only: the
 * password check takes a tenth of a second on purpose). Unknown comune
 * or login, wrong password and disabled account are one answer, and an
 * unknown login is checked against a dummy hash so that it takes as long
 * (password.h). Failures count towards the account's lockout (lockout.h).
 */
#ifndef BND_CONSOLE_LOGIN_DB_H
#define BND_CONSOLE_LOGIN_DB_H

#include <stddef.h>

#include "console/session.h"

struct db;

struct login_try {
	char comune[DIR_ID_MAX];
	char login[ACCOUNT_LOGIN_MAX];
	char *password; /* owned by the caller, wiped by it */
	size_t pwlen;
};

enum login_result {
	LOGIN_OK,     /* staff and token set: a new session */
	LOGIN_BAD,    /* bad credentials (or a disabled account) */
	LOGIN_LOCKED, /* retry_after seconds */
	LOGIN_FAILED, /* PostgreSQL could not answer */
};

struct login_outcome {
	enum login_result result;
	long retry_after;
	char token[TOKEN_LEN + 1]; /* the new session's, for the cookie */
	struct console_staff staff;
};

/* Tries the login; the outcome in *out. */
void login_attempt(struct db *db, const struct login_try *lt, struct login_outcome *out);

#endif
