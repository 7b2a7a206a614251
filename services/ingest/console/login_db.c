/* A console login against PostgreSQL (login_db.h). */
#include "console/login_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "password.h"
#include "console/lockout.h"

/* The account, locked against concurrent logins, with the clock. */
static const char SQL_ACCOUNT[] =
    "SELECT id, password_hash, disabled, failed_logins, "
    "coalesce(floor(extract(epoch FROM failed_since)), 0)::bigint, "
    "coalesce(floor(extract(epoch FROM locked_until)), 0)::bigint, "
    "floor(extract(epoch FROM now()))::bigint, api_key_id, name, role, "
    "coalesce(alert_kind, '') FROM staff WHERE comune_id = $1 AND login = $2 FOR UPDATE";

static const char SQL_COUNT[] =
    "UPDATE staff SET failed_logins = $2::int, "
    "failed_since = CASE WHEN $3::bigint = 0 THEN NULL ELSE to_timestamp($3::bigint) END, "
    "locked_until = CASE WHEN $4::bigint = 0 THEN NULL ELSE to_timestamp($4::bigint) END "
    "WHERE id = $1::bigint";

static const char SQL_SESSION[] =
    "WITH gone AS (DELETE FROM console_sessions WHERE expires_at < now() "
    "  OR last_seen < now() - make_interval(secs => $5::int)) "
    "INSERT INTO console_sessions (token_sha256, staff_id, csrf, expires_at) "
    "VALUES ($1, $2::bigint, $3, now() + make_interval(secs => $4::int))";

/* The row read by SQL_ACCOUNT. */
struct account_row {
	long long id;
	bool disabled;
	struct lockout lo;
	int64_t now_s;
};

/* Writes the lockout state back; 0 or -1. */
static int login_count(struct db *db, const struct account_row *row)
{
	char id[24], n[16], since[24], until[24];
	const char *params[4] = { id, n, since, until };

	snprintf(id, sizeof(id), "%lld", row->id);
	snprintf(n, sizeof(n), "%d", row->lo.failures);
	snprintf(since, sizeof(since), "%lld", (long long)row->lo.since_s);
	snprintf(until, sizeof(until), "%lld", (long long)row->lo.locked_until_s);
	return db_cmd(db, SQL_COUNT, 4, params);
}

/* A new session for the person; 0 or -1. */
static int login_session(struct db *db, struct login_outcome *out)
{
	char id[24], max[24], idle[24];
	const char *params[5] = { out->staff.token_sha256, id, out->staff.csrf, max, idle };

	token_random(out->token, TOKEN_BYTES);
	token_random(out->staff.csrf, TOKEN_BYTES);
	sha256_hex(out->token, strlen(out->token), out->staff.token_sha256);
	snprintf(id, sizeof(id), "%lld", out->staff.id);
	snprintf(max, sizeof(max), "%ld", console_cfg.max_s);
	snprintf(idle, sizeof(idle), "%ld", console_cfg.idle_s);
	out->staff.expires_in = console_cfg.max_s;
	return db_cmd(db, SQL_SESSION, 5, params);
}

/* Fills row and the person from SQL_ACCOUNT's result; true if the
 * password is right (checked against a dummy hash when there is no row). */
static bool login_check(PGresult *res, const struct login_try *lt, struct account_row *row,
                        struct login_outcome *out)
{
	struct dir_api_key *key = &out->staff.key;

	if (PQntuples(res) != 1) {
		(void)pw_verify(NULL, lt->password, lt->pwlen);
		return false;
	}
	row->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	row->disabled = PQgetvalue(res, 0, 2)[0] == 't';
	row->lo.failures = atoi(PQgetvalue(res, 0, 3));
	row->lo.since_s = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
	row->lo.locked_until_s = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
	row->now_s = strtoll(PQgetvalue(res, 0, 6), NULL, 10);
	out->staff.id = row->id;
	key->staff = true;
	key->id = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
	snprintf(key->comune_id, sizeof(key->comune_id), "%s", lt->comune);
	snprintf(out->staff.login, sizeof(out->staff.login), "%s", lt->login);
	snprintf(key->name, sizeof(key->name), "%s", PQgetvalue(res, 0, 8));
	snprintf(key->role, sizeof(key->role), "%s", PQgetvalue(res, 0, 9));
	snprintf(out->staff.alert_kind, sizeof(out->staff.alert_kind), "%s", PQgetvalue(res, 0, 10));
	out->retry_after = (long)lockout_remaining(&row->lo, row->now_s);
	if (out->retry_after > 0)
		return false; /* locked: the password is not even looked at */
	return pw_verify(PQgetvalue(res, 0, 1), lt->password, lt->pwlen) && !row->disabled;
}

/* The attempt inside its transaction; 0 or -1. */
static int login_tx(struct db *db, const struct login_try *lt, struct login_outcome *out)
{
	const char *params[2] = { lt->comune, lt->login };
	struct account_row row = { 0 };
	PGresult *res = db_exec(db, SQL_ACCOUNT, 2, params);
	bool ok;

	if (res == NULL)
		return -1;
	ok = login_check(res, lt, &row, out);
	PQclear(res);
	if (row.id == 0) {
		out->result = LOGIN_BAD;
		return 0;
	}
	if (out->retry_after > 0) {
		out->result = LOGIN_LOCKED;
		return 0;
	}
	if (ok)
		lockout_clear(&row.lo);
	else
		lockout_fail(&row.lo, row.now_s);
	if (login_count(db, &row) != 0 || (ok && login_session(db, out) != 0))
		return -1;
	out->result = ok ? LOGIN_OK : LOGIN_BAD;
	return 0;
}

void login_attempt(struct db *db, const struct login_try *lt, struct login_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->result = LOGIN_FAILED;
	if (db_begin(db) != 0)
		return;
	if (login_tx(db, lt, out) != 0 || db_commit(db) != 0) {
		db_rollback(db);
		memset(out, 0, sizeof(*out));
		out->result = LOGIN_FAILED;
	}
}
