/* Staff accounts of the editors' console (account.h). */
#include "account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "phone.h"
#include "utf8.h"

#define LOGIN_CHARS "abcdefghijklmnopqrstuvwxyz0123456789._-"

bool account_login_valid(const char *login)
{
	size_t n = strlen(login);

	return n > 0 && n < ACCOUNT_LOGIN_MAX && strspn(login, LOGIN_CHARS) == n &&
	       strchr("._-", login[0]) == NULL;
}

bool account_role_valid(const char *role)
{
	return strcmp(role, "editor") == 0 || strcmp(role, "approver") == 0 ||
	       strcmp(role, "consortium") == 0;
}

bool account_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= ACCOUNT_NAME_MAX || !utf8_valid_str(name))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return true;
}

int account_alert_parse(const char *text, const char **kind, char address[ACCOUNT_ALERT_MAX])
{
	char e164[PHONE_MAX];
	const char *v;

	if (strncmp(text, "whatsapp:", 9) == 0) {
		if (phone_normalize(text + 9, e164) != 0)
			return -1;
		*kind = "whatsapp";
		snprintf(address, ACCOUNT_ALERT_MAX, "%s", e164);
		return 0;
	}
	if (strncmp(text, "telegram:", 9) != 0)
		return -1;
	v = text + 9;
	if (*v == '\0' || strlen(v) > 20 || strspn(v, "-0123456789") != strlen(v))
		return -1;
	*kind = "telegram";
	snprintf(address, ACCOUNT_ALERT_MAX, "%s", v);
	return 0;
}

/* The identity row and the account, in one statement. */
static const char SQL_ADD[] =
    "WITH k AS (INSERT INTO api_keys (comune_id, name, role, key_sha256) "
    "  VALUES ($1, $3, $4, 'staff:' || $8) RETURNING id) "
    "INSERT INTO staff (comune_id, login, name, role, password_hash, alert_kind, "
    "  alert_address, api_key_id) SELECT $1, $2, $3, $4, $5, $6, $7, k.id FROM k "
    "RETURNING id";

int account_add(struct db *db, const struct account_new *an, const char *hash, long long *id)
{
	char uuid[UUID_STR_LEN + 1];
	const char *params[8] = { an->comune, an->login, an->name, an->role, hash,
		                  an->alert_kind, an->alert_address, uuid };
	PGresult *res;

	uuid_v4(uuid);
	res = db_exec(db, SQL_ADD, 8, params);
	if (res == NULL)
		return db_fault(db) == DB_FAULT_DATA ? 1 : -1;
	if (id != NULL)
		*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

/* Runs a statement that returns one row per account changed: 0, 1 if
 * none, -1. */
static int account_change(struct db *db, const char *sql, int n, const char *const *params)
{
	PGresult *res = db_exec(db, sql, n, params);
	int rc;

	if (res == NULL)
		return -1;
	rc = PQntuples(res) > 0 ? 0 : 1;
	PQclear(res);
	return rc;
}

int account_disable(struct db *db, const char *comune, const char *login)
{
	const char *params[2] = { comune, login };

	return account_change(db,
	    "WITH s AS (UPDATE staff SET disabled = true, updated_at = now() "
	    "  WHERE comune_id = $1 AND login = $2 RETURNING id, api_key_id), "
	    "k AS (UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) "
	    "  WHERE id IN (SELECT api_key_id FROM s) RETURNING id), "
	    "d AS (DELETE FROM console_sessions WHERE staff_id IN (SELECT id FROM s)) "
	    "SELECT id FROM s", 2, params);
}

int account_enable(struct db *db, const char *comune, const char *login)
{
	const char *params[2] = { comune, login };

	return account_change(db,
	    "WITH s AS (UPDATE staff SET disabled = false, updated_at = now() "
	    "  WHERE comune_id = $1 AND login = $2 RETURNING id, api_key_id), "
	    "k AS (UPDATE api_keys SET revoked_at = NULL "
	    "  WHERE id IN (SELECT api_key_id FROM s) RETURNING id) "
	    "SELECT id FROM s", 2, params);
}

int account_passwd(struct db *db, const char *comune, const char *login, const char *hash)
{
	const char *params[3] = { comune, login, hash };

	return account_change(db,
	    "WITH s AS (UPDATE staff SET password_hash = $3, failed_logins = 0, "
	    "  failed_since = NULL, locked_until = NULL, updated_at = now() "
	    "  WHERE comune_id = $1 AND login = $2 RETURNING id), "
	    "d AS (DELETE FROM console_sessions WHERE staff_id IN (SELECT id FROM s)) "
	    "SELECT id FROM s", 3, params);
}
