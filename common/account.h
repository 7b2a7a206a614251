/*
 * Staff accounts of the editors' console (migration 0012), as both
 * banditore-ingest (the staff API) and banditorectl (`staff add`) write
 * them: one SQL for each change, so that the two never disagree.
 *
 * A person acts through an api_keys row of their own whose key_sha256 is
 * "staff:<uuid>" (never a hex SHA-256, so no Bearer key matches it): the
 * composer's role and scope checks, four eyes and the history see the
 * person exactly as they see a key. Disabling the person revokes it.
 * The database calls are synchronous: worker threads and tools only.
 */
#ifndef BND_ACCOUNT_H
#define BND_ACCOUNT_H

#include <stdbool.h>

#include "db.h"

#define ACCOUNT_LOGIN_MAX 64
#define ACCOUNT_NAME_MAX 121
#define ACCOUNT_ALERT_MAX 40

/*
 * SQL for a staff address as lists show it: a WhatsApp number keeps its
 * country prefix and last two digits, a Telegram chat id its last two
 * (kind and addr are column names); with its kind, "<kind>:<masked>".
 */
#define ACCOUNT_ADDRESS_MASKED(kind, addr)                                            \
	"CASE WHEN " kind " = 'whatsapp' THEN left(" addr ", 3) ELSE '' END || "          \
	"repeat('*', greatest(length(" addr ") - CASE WHEN " kind " = 'whatsapp' THEN 5 " \
	"ELSE 2 END, 0)) || right(" addr ", 2)"
#define ACCOUNT_ALERT_MASKED(kind, addr)                                              \
	"CASE WHEN " kind " IS NOT NULL THEN " kind " || ':' || "                         \
	ACCOUNT_ADDRESS_MASKED(kind, addr) " END"

/* A new account; alert_kind and alert_address both NULL or both set. */
struct account_new {
	const char *comune;
	const char *login;
	const char *name;
	const char *role;            /* editor, approver, consortium */
	const char *alert_kind;      /* whatsapp, telegram */
	const char *alert_address;   /* E.164 or chat id */
};

/* true if login is 1-63 of a-z 0-9 . _ - (first a letter or digit). */
bool account_login_valid(const char *login);
/* true for editor, approver, consortium. */
bool account_role_valid(const char *role);
/* true if name is 1-120 bytes of valid UTF-8 without control characters. */
bool account_name_valid(const char *name);
/*
 * Parses "whatsapp:+39 333 ..." or "telegram:CHATID" into kind (static
 * text) and address (E.164 normalized); 0, or -1 if it is neither.
 */
int account_alert_parse(const char *text, const char **kind, char address[ACCOUNT_ALERT_MAX])
    __attribute__((warn_unused_result));
/* Inserts the account with its password hash; its id into *id (may be
 * NULL). 0, 1 if the comune has that login already, -1 on failure. */
int account_add(struct db *db, const struct account_new *an, const char *hash, long long *id)
    __attribute__((warn_unused_result));
/* Disables the account, revokes its identity and ends its sessions:
 * 0, 1 if there is no such account, -1 on failure. */
int account_disable(struct db *db, const char *comune, const char *login)
    __attribute__((warn_unused_result));
/* Enables a disabled account again and un-revokes its identity: 0, 1 if
 * there is no such account, -1 on failure. */
int account_enable(struct db *db, const char *comune, const char *login)
    __attribute__((warn_unused_result));
/* Sets a new password hash, clears the lockout and ends every session:
 * 0, 1 if there is no such account, -1 on failure. */
int account_passwd(struct db *db, const char *comune, const char *login, const char *hash)
    __attribute__((warn_unused_result));

#endif
