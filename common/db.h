/*
 * A PostgreSQL connection that reconnects. Calls are synchronous and are
 * made from worker threads, never from an event-loop thread.
 * A failed call returns NULL (logged); if the connection was lost, the
 * next call reconnects. Callers treat NULL as "retry this unit of work".
 *
 * Nothing waits for PostgreSQL forever: a server that does not answer
 * (a paused process, a network that drops packets without refusing)
 * accepts TCP connections and requests in its kernel and never replies,
 * so no server-side setting can help. Each connection attempt and each
 * statement has a deadline of the connection's timeout (default
 * BND_PG_TIMEOUT_MS, db_set_default_timeout): past it the connection is
 * dropped and the call fails like any other PostgreSQL failure. The same
 * timeout is the session's statement_timeout (the server stops what it
 * was doing too), TCP keepalives detect a vanished peer, and a timed-out
 * connection is retried at most every half second.
 */
#ifndef BND_DB_H
#define BND_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

struct db;

/* The timeout of connections made from now on (ms; at least 500). */
void db_set_default_timeout(long ms);
struct db *db_new(const char *dsn);
void db_free(struct db *db);
/* This connection's timeout (ms), e.g. longer for an admin tool, shorter for a heartbeat. */
void db_set_timeout(struct db *db, long ms);
/* A statement (e.g. SET ...) run after each (re)connect, before any other. */
void db_on_connect(struct db *db, const char *sql);
/* Connects if needed. true if the connection is usable. */
bool db_ensure(struct db *db);
/*
 * Runs a parameterized statement (text parameters, NULL = SQL NULL).
 * Returns a result with status COMMAND_OK or TUPLES_OK (caller PQclears),
 * or NULL on any error.
 */
PGresult *db_exec(struct db *db, const char *sql, int nparams,
                  const char *const *params) __attribute__((warn_unused_result));
/*
 * The next db_exec (or db_read, db_cmd) may fail with SQLSTATE sqlstate
 * (a static string) as its caller expects and handles: that failure is
 * not logged. It is reported as any other (NULL, db_fault, db_error).
 */
void db_expect_failure(struct db *db, const char *sqlstate);
/*
 * As db_exec, for a statement that may safely run twice (a read): if the
 * connection turns out to be broken (the server restarted since it was
 * last used), it is run once more on a new connection at once instead
 * of failing.
 */
PGresult *db_read(struct db *db, const char *sql, int nparams,
                  const char *const *params) __attribute__((warn_unused_result));
/* Runs a statement returning nothing. 0 or -1. */
int db_cmd(struct db *db, const char *sql, int nparams,
           const char *const *params) __attribute__((warn_unused_result));
/* BEGIN / COMMIT / ROLLBACK; a BEGIN on a connection found broken is
 * tried once more on a new one, as db_read does. */
int db_begin(struct db *db) __attribute__((warn_unused_result));
int db_commit(struct db *db) __attribute__((warn_unused_result));
void db_rollback(struct db *db);
/*
 * Whose fault the last failed db_exec/db_cmd/db_read was (a later
 * ROLLBACK does not change it; a success clears it):
 *  DB_FAULT_NONE   the last call succeeded
 *  DB_FAULT_DOWN   PostgreSQL did not answer, refused the connection or
 *                  broke it, or is short of resources (SQLSTATE 08, 53,
 *                  57, 58, XX)
 *  DB_FAULT_STATE  a transient condition of the database, not of the
 *                  data: conflict, deadlock, lock not available, schema
 *                  not migrated, permissions (40, 55, 42, 3D, 3F, 28, 0A)
 *  DB_FAULT_DATA   the data was refused: invalid text or value, a
 *                  constraint (SQLSTATE 22, 23)
 *  DB_FAULT_OTHER  anything else (e.g. an exception our SQL raised)
 */
enum db_fault { DB_FAULT_NONE, DB_FAULT_DOWN, DB_FAULT_STATE, DB_FAULT_DATA, DB_FAULT_OTHER };
enum db_fault db_fault(const struct db *db);
/* The last failure's SQLSTATE and message ("" if none or no answer). */
const char *db_error(const struct db *db);
/* The fault a SQLSTATE denotes (NULL or "": DB_FAULT_DOWN). */
enum db_fault db_fault_of(const char *sqlstate);

/* Quick probe used by readiness checks (its own short-lived connection,
 * at most timeout_ms). */
bool db_ping(const char *dsn, long timeout_ms);

#endif
