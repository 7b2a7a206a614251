/*
 * Login lockout arithmetic, per account. Pure: times are Unix seconds
 * given by the caller (PostgreSQL's clock, the same for every replica).
 * LOCKOUT_FAILURES failed logins within LOCKOUT_WINDOW_S of the first
 * lock the account for LOCKOUT_LOCK_S: every login is then refused (429),
 * with the right password too. A success clears the count.
 */
#ifndef BND_CONSOLE_LOCKOUT_H
#define BND_CONSOLE_LOCKOUT_H

#include <stdint.h>

#define LOCKOUT_FAILURES 5
#define LOCKOUT_WINDOW_S (15 * 60)
#define LOCKOUT_LOCK_S (15 * 60)

/* An account's failed logins (the staff row). 0 times: none. */
struct lockout {
	int failures;           /* in the window that began at since_s */
	int64_t since_s;        /* first failure of the window; 0: none */
	int64_t locked_until_s; /* 0: not locked */
};

/* Seconds the account stays locked at now_s; 0 if it is not. */
int64_t lockout_remaining(const struct lockout *lo, int64_t now_s);
/* Counts a failed login at now_s (a window over starts again); locks
 * the account at the LOCKOUT_FAILURES-th. */
void lockout_fail(struct lockout *lo, int64_t now_s);
/* A successful login: nothing counted any more. */
void lockout_clear(struct lockout *lo);

#endif
