/* A PostgreSQL connection that reconnects on the next call after a loss; see db.h. */
#include "db.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "utf8.h"
#include "xmalloc.h"

#define DB_TIMEOUT_MIN 500

struct db {
	char *dsn;
	char *on_connect;      /* run after each (re)connect, or NULL */
	PGconn *conn;
	long timeout_ms;       /* connection attempt and statement deadline */
	int64_t next_try_ms;   /* don't hammer a server that is down */
	bool broke;            /* the last call found the connection broken (not a timeout) */
	enum db_fault fault;   /* of the last db_exec */
	const char *quiet;     /* SQLSTATE the next db_exec may fail with unlogged, or NULL */
	char error[240];       /* "SQLSTATE: message" of the last failed db_exec, or "" */
};

static atomic_long db_default_timeout = 10000;

void db_set_default_timeout(long ms)
{
	atomic_store(&db_default_timeout, ms < DB_TIMEOUT_MIN ? DB_TIMEOUT_MIN : ms);
}

void db_set_timeout(struct db *db, long ms)
{
	db->timeout_ms = ms < DB_TIMEOUT_MIN ? DB_TIMEOUT_MIN : ms;
}

/*
 * Waits until the connection's socket is ready for what (POLLIN/POLLOUT)
 * or the deadline passes. 1 ready, 0 timed out, -1 error.
 */
static int db_wait(PGconn *conn, short what, int64_t deadline)
{
	struct pollfd pfd = { .fd = PQsocket(conn), .events = what };

	for (;;) {
		int64_t left = deadline - clock_mono_ms();
		int rc;
		if (pfd.fd < 0)
			return -1;
		if (left <= 0)
			return 0;
		rc = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));
		if (rc > 0)
			return 1;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * Opens a connection within timeout_ms (PQconnectPoll on our own
 * deadline). Our keepalive settings come first so that the DSN may
 * override them. NULL on failure (err filled).
 */
static PGconn *db_open(const char *dsn, long timeout_ms, char *err, size_t errlen)
{
	char tmo[24];
	const char *keys[] = { "keepalives", "keepalives_idle", "keepalives_interval",
		               "keepalives_count", "connect_timeout", "dbname", NULL };
	const char *vals[] = { "1", "5", "2", "3", tmo, dsn, NULL };
	int64_t deadline = clock_mono_ms() + timeout_ms;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	PGconn *conn;

	snprintf(tmo, sizeof(tmo), "%ld", (timeout_ms + 999) / 1000);
	conn = PQconnectStartParams(keys, vals, 1);
	if (conn == NULL || PQstatus(conn) == CONNECTION_BAD)
		goto failed;
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		int rc = db_wait(conn, st == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline);
		if (rc <= 0) {
			snprintf(err, errlen, "%s", rc == 0 ? "no answer in time (connection timeout)"
			                                     : "socket error while connecting");
			PQfinish(conn);
			return NULL;
		}
		st = PQconnectPoll(conn);
	}
	if (st == PGRES_POLLING_OK)
		return conn;
failed:
	snprintf(err, errlen, "%s", conn ? PQerrorMessage(conn) : "out of memory");
	PQfinish(conn);
	return NULL;
}

/* Notices (e.g. "relation already exists, skipping") go to debug. */
static void db_notice(void *arg, const char *msg)
{
	(void)arg;
	log_debug("pg.notice", "%s", msg);
}

struct db *db_new(const char *dsn)
{
	struct db *db = xcalloc(1, sizeof(*db));
	db->dsn = xstrdup(dsn);
	db->timeout_ms = atomic_load(&db_default_timeout);
	return db;
}

void db_free(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->dsn);
	free(db->on_connect);
	free(db);
}

void db_on_connect(struct db *db, const char *sql)
{
	free(db->on_connect);
	db->on_connect = sql != NULL ? xstrdup(sql) : NULL;
}

/* Drops the connection; the next call reconnects (not before half a second). */
static void db_drop(struct db *db)
{
	PQfinish(db->conn);
	db->conn = NULL;
	db->next_try_ms = clock_mono_ms() + 500;
}

/*
 * Sends a statement and waits for its last result within the timeout.
 * The result (caller PQclears), or NULL: failed to send, timed out (the
 * connection is dropped) or the connection broke.
 */
static PGresult *db_run(struct db *db, const char *sql, int nparams, const char *const *params)
{
	int64_t deadline = clock_mono_ms() + db->timeout_ms;
	PGresult *res, *last = NULL;

	int fl;

	if (!PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
		log_warn("pg.query_failed", "%s", PQerrorMessage(db->conn));
		db->broke = PQstatus(db->conn) != CONNECTION_OK;
		if (db->broke)
			db_drop(db);
		return NULL;
	}
	/* Non-blocking: a large statement to a server that reads nothing must not block. */
	while ((fl = PQflush(db->conn)) == 1) {
		if (db_wait(db->conn, POLLOUT, deadline) <= 0) {
			log_warn("pg.timeout", "statement not taken within the timeout: connection dropped");
			db_drop(db);
			return NULL;
		}
	}
	if (fl < 0) {
		log_warn("pg.query_failed", "%s", PQerrorMessage(db->conn));
		db_drop(db);
		return NULL;
	}
	for (;;) {
		while (PQisBusy(db->conn)) {
			int rc = db_wait(db->conn, POLLIN, deadline);
			if (rc <= 0 || !PQconsumeInput(db->conn)) {
				db->broke = rc != 0;
				log_warn(rc == 0 ? "pg.timeout" : "pg.connection_lost", "%s",
				         rc == 0 ? "no answer within the timeout: connection dropped"
				                 : PQerrorMessage(db->conn));
				PQclear(last);
				db_drop(db);
				return NULL;
			}
		}
		if ((res = PQgetResult(db->conn)) == NULL)
			return last;
		PQclear(last);
		last = res;
	}
}

/* Runs the session's setup: its statement timeout, then the on-connect statement. */
static bool db_session_setup(struct db *db)
{
	char sql[64];
	const char *steps[2] = { sql, db->on_connect };

	snprintf(sql, sizeof(sql), "SET statement_timeout = %ld", db->timeout_ms);
	for (int i = 0; i < 2; i++) {
		PGresult *res;
		bool ok;
		if (steps[i] == NULL)
			continue;
		if ((res = db_run(db, steps[i], 0, NULL)) == NULL)
			return false;
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			log_warn("pg.setup_failed", "%s", PQerrorMessage(db->conn));
		PQclear(res);
		if (!ok)
			return false;
	}
	return true;
}

bool db_ensure(struct db *db)
{
	char err[256];

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return true;
	if (clock_mono_ms() < db->next_try_ms)
		return false;
	if (db->conn != NULL) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
	db->conn = db_open(db->dsn, db->timeout_ms, err, sizeof(err));
	if (db->conn == NULL) {
		log_warn("pg.connect_failed", "%s", err);
		db->next_try_ms = clock_mono_ms() + 500;
		return false;
	}
	PQsetNoticeProcessor(db->conn, db_notice, NULL);
	if (PQsetnonblocking(db->conn, 1) != 0 || !db_session_setup(db)) {
		if (db->conn != NULL)
			db_drop(db);
		return false;
	}
	log_info("pg.connected", "connected to PostgreSQL");
	return true;
}

enum db_fault db_fault_of(const char *sqlstate)
{
	static const char *const down = " 08 53 57 58 XX ";
	static const char *const state = " 40 55 42 3D 3F 28 0A ";
	char cls[5];

	if (sqlstate == NULL || strlen(sqlstate) != 5)
		return DB_FAULT_DOWN;
	snprintf(cls, sizeof(cls), " %.2s ", sqlstate);
	if (strstr(down, cls) != NULL)
		return DB_FAULT_DOWN;
	if (strstr(state, cls) != NULL)
		return DB_FAULT_STATE;
	if (strcmp(cls, " 22 ") == 0 || strcmp(cls, " 23 ") == 0)
		return DB_FAULT_DATA;
	return DB_FAULT_OTHER;
}

enum db_fault db_fault(const struct db *db)
{
	return db->fault;
}

const char *db_error(const struct db *db)
{
	return db->error;
}

/* Records why res failed (NULL: no answer). */
static void db_note_failure(struct db *db, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	db->fault = db_fault_of(state);
	if (state != NULL)
		utf8_format(db->error, sizeof(db->error), "%s: %s", state, msg ? msg : "");
	else
		db->error[0] = '\0';
}

PGresult *db_exec(struct db *db, const char *sql, int nparams,
                  const char *const *params)
{
	PGresult *res;
	ExecStatusType st;
	const char *quiet = db->quiet;

	db->quiet = NULL;
	db->broke = false;
	db->fault = DB_FAULT_DOWN;
	db->error[0] = '\0';
	if (!db_ensure(db))
		return NULL;
	if ((res = db_run(db, sql, nparams, params)) == NULL)
		return NULL;
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		db->fault = DB_FAULT_NONE;
		return res;
	}
	db_note_failure(db, res);
	if (quiet == NULL || strncmp(db->error, quiet, strlen(quiet)) != 0)
		log_warn("pg.query_failed", "%s", PQerrorMessage(db->conn));
	PQclear(res);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db->broke = true;
		db_drop(db);
	}
	return NULL;
}

void db_expect_failure(struct db *db, const char *sqlstate)
{
	db->quiet = sqlstate;
}

PGresult *db_read(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = db_exec(db, sql, nparams, params);

	/* A connection found broken (the server restarted since its last use):
	 * one more try on a new one, at once. */
	if (res == NULL && db->broke) {
		db->next_try_ms = 0;
		res = db_exec(db, sql, nparams, params);
	}
	return res;
}

int db_cmd(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = db_exec(db, sql, nparams, params);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* A BEGIN that finds the connection broken did nothing: like a read, it is
 * tried once more on a new connection, so the first transaction after a
 * PostgreSQL restart does not fail for a stale connection. */
int db_begin(struct db *db)
{
	PGresult *res = db_read(db, "BEGIN", 0, NULL);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int db_commit(struct db *db)
{
	return db_cmd(db, "COMMIT", 0, NULL);
}

void db_rollback(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		PQclear(db_run(db, "ROLLBACK", 0, NULL));
}

bool db_ping(const char *dsn, long timeout_ms)
{
	char err[256];
	PGconn *conn = db_open(dsn, timeout_ms, err, sizeof(err));

	PQfinish(conn);
	return conn != NULL;
}
