/*
 * Console accounts of a comune's staff (migration 0012, common/account.h):
 * `staff add --login ...`, `staff list`, `staff disable`, `staff passwd`.
 * A password is read from --password-file or from stdin (a terminal is
 * asked without echo), never from the command line, and only its
 * argon2id hash is stored.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "account.h"
#include "ctl.h"
#include "password.h"

struct acct_args {
	const char *comune, *login, *name, *role, *password_file, *alert, *comuni;
	bool if_missing, all;   /* staff add: --if-missing, --all */
};

/* Parses the options the account commands take; CTL_OK or CTL_USAGE. */
static int acct_args_parse(int argc, char **argv, struct acct_args *aa)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ "login", required_argument, NULL, 'l' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "alert", required_argument, NULL, 'a' },
		{ "comuni", required_argument, NULL, 'C' },
		{ "all", no_argument, NULL, 'A' },
		{ "if-missing", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'A' || c == 'm') {
			*(c == 'A' ? &aa->all : &aa->if_missing) = true;
			continue;
		}
		const char **slot = c == 'c'   ? &aa->comune
		                    : c == 'l' ? &aa->login
		                    : c == 'n' ? &aa->name
		                    : c == 'r' ? &aa->role
		                    : c == 'p' ? &aa->password_file
		                    : c == 'a' ? &aa->alert
		                    : c == 'C' ? &aa->comuni
		                               : NULL;
		if (slot == NULL)
			return CTL_USAGE;
		*slot = optarg;
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	if (aa->comune == NULL || aa->login == NULL)
		return ctl_usage("needs --comune ID and --login LOGIN");
	return CTL_OK;
}

/* One line from a terminal, without echo; NULL at end of input. */
static char *acct_prompt(void)
{
	struct termios old, quiet;
	char *line = NULL;
	size_t cap = 0;
	bool tty = tcgetattr(STDIN_FILENO, &old) == 0;

	if (tty) {
		fprintf(stderr, "password: ");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (getline(&line, &cap, stdin) < 0) {
		free(line);
		line = NULL;
	}
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	return line;
}

/* The password, its trailing newline cut, checked; NULL (printed) if
 * unreadable or unacceptable. Caller wipes and frees. */
static char *acct_password(const char *path)
{
	char *pw = path != NULL ? ctl_read_file(path, NULL) : acct_prompt();
	const char *weak;
	size_t n;

	if (pw == NULL) {
		ctl_fail("%s: %s", path != NULL ? path : "stdin",
		         path != NULL ? strerror(errno) : "no password given");
		return NULL;
	}
	n = strlen(pw);
	while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
		pw[--n] = '\0';
	if ((weak = pw_weak(pw, n)) != NULL) {
		ctl_fail("%s", weak);
		explicit_bzero(pw, n);
		free(pw);
		return NULL;
	}
	return pw;
}

/* The argon2id hash of the password read; CTL_OK or CTL_FAIL (printed). */
static int acct_hash(const char *path, char hash[PW_HASH_MAX])
{
	char *pw;
	int rc;

	if (pw_init() != 0)
		return ctl_fail("libsodium could not be initialized");
	if ((pw = acct_password(path)) == NULL)
		return CTL_FAIL;
	rc = pw_hash(pw, strlen(pw), hash) == 0 ? CTL_OK : ctl_fail("could not hash the password");
	explicit_bzero(pw, strlen(pw));
	free(pw);
	return rc;
}

/* 1 if the comune has the login already, 0 if not, -1 (printed) on failure. */
static int acct_exists(struct db *db, const char *comune, const char *login)
{
	const char *params[2] = { comune, login };
	PGresult *res = db_exec(db, "SELECT 1 FROM staff WHERE comune_id = $1 AND login = $2",
	                        2, params);
	int rc;

	if (res == NULL)
		return ctl_fail("could not look for the login"), -1;
	rc = PQntuples(res) > 0;
	PQclear(res);
	return rc;
}

/* A consortium person's scope (--comuni or --all) on their identity row;
 * CTL_OK or CTL_FAIL (printed). */
static int acct_scope_set(struct db *db, long long staff_id, const struct ctl_scope *sc)
{
	char id[24];
	const char *params[3] = { id, sc->comuni, sc->all ? "t" : "f" };
	PGresult *res;

	snprintf(id, sizeof(id), "%lld", staff_id);
	res = db_exec(db, "UPDATE api_keys SET consortium_comuni = $2::text[], "
	                  "consortium_all = $3::boolean WHERE id = "
	                  "(SELECT api_key_id FROM staff WHERE id = $1::bigint)", 3, params);
	if (res == NULL)
		return ctl_fail("could not set the account's comuni");
	PQclear(res);
	return CTL_OK;
}

/* The scope asked for (none: the person's own comune only); CTL_OK or not. */
static int acct_scope_parse(const struct acct_args *aa, struct ctl_scope *sc)
{
	int rc;

	memset(sc, 0, sizeof(*sc));
	if (aa->comuni == NULL && !aa->all)
		return CTL_OK;
	rc = ctl_scope_parse(aa->role, aa->comuni, aa->all, sc);
	return rc == CTL_OK ? ctl_scope_check(sc) : rc;
}

/* Adds the account (and its scope); CTL_OK or CTL_FAIL (printed). */
static int acct_insert(struct db *db, const struct account_new *an, const char *hash,
                       const struct ctl_scope *sc, long long *id)
{
	int rc = account_add(db, an, hash, id);

	if (rc == 1)
		return ctl_fail("comune %s has a login %s already", an->comune, an->login);
	if (rc != 0)
		return ctl_fail("could not add the account");
	return sc->comuni != NULL ? acct_scope_set(db, *id, sc) : CTL_OK;
}

int ctl_staff_account_add(int argc, char **argv)
{
	struct acct_args aa = { 0 };
	struct account_new an;
	char hash[PW_HASH_MAX], alert[ACCOUNT_ALERT_MAX];
	const char *kind = NULL;
	struct ctl_scope sc;
	long long id = 0;
	struct db *db;
	int rc = acct_args_parse(argc, argv, &aa);

	if (rc != CTL_OK)
		return rc;
	if (aa.name == NULL || !account_name_valid(aa.name))
		return ctl_usage("--name: 1 to 120 bytes of text");
	if (aa.role == NULL || !account_role_valid(aa.role))
		return ctl_usage("--role: editor, approver or consortium");
	if (!account_login_valid(aa.login))
		return ctl_usage("--login: 1 to 63 of a-z, 0-9, '.', '_', '-'");
	if (aa.alert != NULL && account_alert_parse(aa.alert, &kind, alert) != 0)
		return ctl_usage("--alert: whatsapp:+39... or telegram:CHATID");
	if ((rc = acct_scope_parse(&aa, &sc)) != CTL_OK)
		return rc;
	if ((db = ctl_db_comune(aa.comune)) == NULL) {
		ctl_scope_free(&sc);
		return CTL_FAIL;
	}
	/* --if-missing: an existing login is left as it is (its password too). */
	if (aa.if_missing && (rc = acct_exists(db, aa.comune, aa.login)) != 0) {
		if (rc > 0)
			fprintf(stderr, "banditorectl: %s of %s exists already: unchanged\n", aa.login,
			        aa.comune);
		rc = rc > 0 ? CTL_OK : CTL_FAIL;
		id = -1;
	} else if ((rc = acct_hash(aa.password_file, hash)) == CTL_OK) {
		an = (struct account_new){ aa.comune, aa.login, aa.name,
			                   aa.role,   kind,     kind != NULL ? alert : NULL };
		rc = acct_insert(db, &an, hash, &sc, &id);
	}
	db_free(db);
	ctl_scope_free(&sc);
	if (rc == CTL_OK && id >= 0)
		fprintf(ctl_out, "%lld\n", id);
	return rc;
}

/* disable or passwd: one change to an existing account. */
static int acct_change(int argc, char **argv, bool passwd)
{
	struct acct_args aa = { 0 };
	char hash[PW_HASH_MAX];
	struct db *db;
	int rc = acct_args_parse(argc, argv, &aa);

	if (rc != CTL_OK)
		return rc;
	if (aa.comuni != NULL || aa.all || aa.if_missing)
		return ctl_usage("--comuni, --all and --if-missing are for staff add");
	if (passwd && (rc = acct_hash(aa.password_file, hash)) != CTL_OK)
		return rc;
	if ((db = ctl_db_comune(aa.comune)) == NULL)
		return CTL_FAIL;
	rc = passwd ? account_passwd(db, aa.comune, aa.login, hash)
	            : account_disable(db, aa.comune, aa.login);
	db_free(db);
	if (rc == 1)
		return ctl_fail("no login %s in comune %s", aa.login, aa.comune);
	if (rc != 0)
		return ctl_fail("could not change the account");
	fprintf(stderr, "banditorectl: %s of %s %s (its sessions ended)\n", aa.login, aa.comune,
	        passwd ? "has a new password" : "disabled");
	return CTL_OK;
}

int ctl_staff_disable(int argc, char **argv)
{
	return acct_change(argc, argv, false);
}

int ctl_staff_passwd(int argc, char **argv)
{
	return acct_change(argc, argv, true);
}

int ctl_staff_list(int argc, char **argv)
{
	static const char *const cols[] = { "id",   "comune", "login",    "name",
		                            "role", "alert",  "disabled", "locked" };
	PGresult *res;
	/* Numbers as in logs: the country prefix and the last two digits. */
	int rc = ctl_list_query(
	    argc, argv,
	    "SELECT id, comune_id, login, name, role, "
	    ACCOUNT_ALERT_MASKED("alert_kind", "alert_address") ", disabled, "
	    "coalesce(locked_until > now(), false) "
	    "FROM staff WHERE $1::text IS NULL OR comune_id = $1 ORDER BY comune_id, login",
	    "the staff accounts", &res);

	if (rc != CTL_OK)
		return rc;
	rc = ctl_rows_print(res, cols);
	PQclear(res);
	return rc;
}

/* `staff alert`: where a person's approval alerts and tests go (or none). */
int ctl_staff_alert(int argc, char **argv)
{
	struct acct_args aa = { 0 };
	char alert[ACCOUNT_ALERT_MAX];
	const char *kind = NULL;
	const char *params[4] = { NULL, NULL, NULL, alert };
	PGresult *res;
	struct db *db;
	int rc = acct_args_parse(argc, argv, &aa), n;

	if (rc != CTL_OK)
		return rc;
	if (aa.alert == NULL || (strcmp(aa.alert, "none") != 0 &&
	                         account_alert_parse(aa.alert, &kind, alert) != 0))
		return ctl_usage("--alert: whatsapp:+39..., telegram:CHATID or none");
	if ((db = ctl_db_comune(aa.comune)) == NULL)
		return CTL_FAIL;
	params[0] = aa.comune;
	params[1] = aa.login;
	params[2] = kind;
	res = db_exec(db, "UPDATE staff SET alert_kind = $3::text, alert_address = CASE WHEN $3::text IS NULL "
	                  "THEN NULL ELSE $4 END, updated_at = now() WHERE comune_id = $1 AND "
	                  "login = $2 RETURNING id", 4, params);
	n = res != NULL ? PQntuples(res) : -1;
	PQclear(res);
	db_free(db);
	if (n < 0)
		return ctl_fail("could not change the account");
	if (n == 0)
		return ctl_fail("no login %s in comune %s", aa.login, aa.comune);
	fprintf(stderr, "banditorectl: alerts of %s of %s: %s\n", aa.login, aa.comune,
	        kind != NULL ? kind : "none");
	return CTL_OK;
}
