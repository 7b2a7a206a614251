/*
 * `banditorectl migrate`: applies the .sql files of db/migrations in name order, each
 * in its own transaction, and records it in schema_migrations. A file is
 * a script of several statements, so it runs through PQexec (the simple
 * query protocol) on a connection of our own: db_exec() sends one
 * parameterized statement only. An advisory lock keeps two concurrent
 * runs from applying the same file twice.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "xmalloc.h"

#define MIGRATE_LOCK_KEY "7240001"

/* Server notices ("already exists, skipping") are not news here. */
static void migrate_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Runs sql; true if it succeeded (error printed otherwise). */
static bool migrate_exec(PGconn *conn, const char *sql, const char *what)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok)
		ctl_fail("%s: %s", what, PQerrorMessage(conn));
	PQclear(res);
	return ok;
}

/* Is version recorded already? 1 yes, 0 no, -1 error. */
static int migrate_applied(PGconn *conn, const char *version)
{
	const char *params[1] = { version };
	PGresult *res = PQexecParams(conn, "SELECT 1 FROM schema_migrations WHERE version = $1",
	                             1, NULL, params, NULL, NULL, 0);
	int rc = -1;

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		rc = PQntuples(res) > 0;
	else
		ctl_fail("schema_migrations: %s", PQerrorMessage(conn));
	PQclear(res);
	return rc;
}

/* Records version inside the current transaction. */
static bool migrate_record(PGconn *conn, const char *version)
{
	const char *params[1] = { version };
	PGresult *res = PQexecParams(conn, "INSERT INTO schema_migrations (version) VALUES ($1)",
	                             1, NULL, params, NULL, NULL, 0);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		ctl_fail("schema_migrations: %s", PQerrorMessage(conn));
	PQclear(res);
	return ok;
}

/* Applies one file unless recorded. 1 applied, 0 skipped, -1 failed. */
static int migrate_one(PGconn *conn, const char *dir, const char *file)
{
	char *version = xstrndup(file, strlen(file) - 4);  /* without ".sql" */
	char *path = xasprintf("%s/%s", dir, file);
	char *sql = NULL;
	int rc = -1, applied;

	sql = ctl_read_file(path, NULL);
	if (sql == NULL) {
		ctl_fail("%s: %s", path, strerror(errno));
		goto out;
	}
	if (!migrate_exec(conn, "BEGIN", "BEGIN") ||
	    !migrate_exec(conn, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")", "lock") ||
	    !migrate_exec(conn, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                        " version text PRIMARY KEY,"
	                        " applied_at timestamptz NOT NULL DEFAULT now())",
	                  "schema_migrations"))
		goto rollback;
	applied = migrate_applied(conn, version);
	if (applied < 0)
		goto rollback;
	if (applied) {
		rc = migrate_exec(conn, "COMMIT", "COMMIT") ? 0 : -1;
		goto out;
	}
	if (!migrate_exec(conn, sql, path) || !migrate_record(conn, version) ||
	    !migrate_exec(conn, "COMMIT", "COMMIT"))
		goto rollback;
	fprintf(stderr, "banditorectl: applied %s\n", version);
	rc = 1;
	goto out;
rollback:
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
out:
	free(sql);
	free(path);
	free(version);
	return rc;
}

/* scandir filter: *.sql files. */
static int migrate_is_sql(const struct dirent *de)
{
	size_t n = strlen(de->d_name);
	return de->d_name[0] != '.' && n > 4 && strcmp(de->d_name + n - 4, ".sql") == 0;
}

int ctl_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ctl_cfg.migrations_dir;
	struct dirent **files = NULL;
	PGconn *conn = NULL;
	int n, c, applied = 0, rc = CTL_FAIL;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'd')
			return CTL_USAGE;
		dir = optarg;
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);

	n = scandir(dir, &files, migrate_is_sql, alphasort);
	if (n < 0)
		return ctl_fail("%s: %s", dir, strerror(errno));
	conn = PQconnectdb(ctl_cfg.pg_dsn);
	if (PQstatus(conn) != CONNECTION_OK) {
		ctl_fail("cannot connect to PostgreSQL (BND_PG_DSN): %s", PQerrorMessage(conn));
		goto out;
	}
	PQsetNoticeProcessor(conn, migrate_notice, NULL);
	for (int i = 0; i < n; i++) {
		int r = migrate_one(conn, dir, files[i]->d_name);
		if (r < 0)
			goto out;
		applied += r;
	}
	fprintf(stderr, "banditorectl: schema up to date (%d migration(s) applied now, %d in %s)\n",
	        applied, n, dir);
	rc = CTL_OK;
out:
	PQfinish(conn);
	for (int i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return rc;
}
