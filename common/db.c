/* A PostgreSQL connection that reconnects on the next call after a loss. */
#include "db.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "xmalloc.h"

struct db {
	char *dsn;
	char *on_connect;      /* run after each (re)connect, or NULL */
	PGconn *conn;
	int64_t next_try_ms;   /* don't hammer a server that is down */
};

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

/* Runs the session's on-connect statement. true if there is none or it worked. */
static bool db_session_setup(struct db *db)
{
	PGresult *res;
	bool ok;

	if (db->on_connect == NULL)
		return true;
	res = PQexec(db->conn, db->on_connect);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		log_warn("pg.setup_failed", "%s", PQerrorMessage(db->conn));
	PQclear(res);
	return ok;
}

bool db_ensure(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return true;
	if (clock_mono_ms() < db->next_try_ms)
		return false;
	if (db->conn != NULL) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
	db->conn = PQconnectdb(db->dsn);
	if (PQstatus(db->conn) != CONNECTION_OK || !db_session_setup(db)) {
		if (PQstatus(db->conn) != CONNECTION_OK)
			log_warn("pg.connect_failed", "%s", PQerrorMessage(db->conn));
		PQfinish(db->conn);
		db->conn = NULL;
		db->next_try_ms = clock_mono_ms() + 500;
		return false;
	}
	PQsetNoticeProcessor(db->conn, db_notice, NULL);
	log_info("pg.connected", "connected to PostgreSQL");
	return true;
}

PGresult *db_exec(struct db *db, const char *sql, int nparams,
                  const char *const *params)
{
	PGresult *res;
	ExecStatusType st;

	if (!db_ensure(db))
		return NULL;
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	log_warn("pg.query_failed", "%s", PQerrorMessage(db->conn));
	PQclear(res);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
	return NULL;
}

int db_cmd(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res = db_exec(db, sql, nparams, params);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int db_begin(struct db *db)
{
	return db_cmd(db, "BEGIN", 0, NULL);
}

int db_commit(struct db *db)
{
	return db_cmd(db, "COMMIT", 0, NULL);
}

void db_rollback(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(db->conn) != PQTRANS_IDLE)
		PQclear(PQexec(db->conn, "ROLLBACK"));
}

bool db_ping(const char *dsn)
{
	return PQping(dsn) == PQPING_OK;
}
