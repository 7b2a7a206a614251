/*
 * A PostgreSQL connection that reconnects. Calls are synchronous and are
 * made from worker threads, never from an event-loop thread.
 * A failed call returns NULL (logged); if the connection was lost, the
 * next call reconnects. Callers treat NULL as "retry this unit of work".
 */
#ifndef BND_DB_H
#define BND_DB_H

#include <libpq-fe.h>
#include <stdbool.h>

struct db;

struct db *db_new(const char *dsn);
void db_free(struct db *db);
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
/* Runs a statement returning nothing. 0 or -1. */
int db_cmd(struct db *db, const char *sql, int nparams,
           const char *const *params) __attribute__((warn_unused_result));
/* BEGIN / COMMIT / ROLLBACK. */
int db_begin(struct db *db) __attribute__((warn_unused_result));
int db_commit(struct db *db) __attribute__((warn_unused_result));
void db_rollback(struct db *db);
/* Quick probe used by readiness checks (its own short-lived connection). */
bool db_ping(const char *dsn);

#endif
