/*
 * Directory commands: add a comune, API keys and subscriber counts
 * (channels: channel.c; settings and listing: comune_set.c; topics:
 * comune_topic.c).
 * Every "add" is idempotent: adding what exists already (same comune)
 * reports it and succeeds, so scripts can run them on every start.
 * On success each prints the row's id on stdout.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "ctl.h"
#include "xmalloc.h"

#define APIKEY_MIN_LEN 16

int ctl_comune_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "privacy-version", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *privacy = "v1";
	PGresult *res;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'p')
			return CTL_USAGE;
		privacy = optarg;
	}
	if (argc - optind != 2)
		return ctl_usage("comune add needs an ID and a NAME");
	const char *params[3] = { argv[optind], argv[optind + 1], privacy };
	res = ctl_query("INSERT INTO comuni (id, name, privacy_version) VALUES ($1, $2, $3)"
	                   " ON CONFLICT (id) DO NOTHING RETURNING id", 3, params);
	if (res == NULL)
		return ctl_fail("could not add comune \"%s\" (ids: lowercase letters, digits, '-')",
		                params[0]);
	fprintf(stderr, "banditorectl: comune %s %s\n", params[0],
	        PQntuples(res) > 0 ? "added" : "exists already");
	fprintf(ctl_out, "%s\n", params[0]);
	PQclear(res);
	return CTL_OK;
}

/* Reads a key from path, trailing whitespace trimmed; NULL (printed) on error. */
static char *apikey_read(const char *path)
{
	char *key = ctl_read_file(path, NULL);
	size_t n;

	if (key == NULL) {
		ctl_fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	n = strlen(key);
	while (n > 0 && isspace((unsigned char)key[n - 1]))
		key[--n] = '\0';
	if (n < APIKEY_MIN_LEN) {
		ctl_fail("%s: a key needs at least %d characters", path, APIKEY_MIN_LEN);
		free(key);
		return NULL;
	}
	return key;
}

/* Inserts the key's hash (or finds it) and reports; CTL_OK or CTL_FAIL. */
static int apikey_store(const char *comune, const char *name, const char *role,
                        const struct ctl_scope *scope, const char *key, bool show_key)
{
	char hash[SHA256_HEX_LEN + 1];
	PGresult *res;
	int rc = CTL_OK;

	sha256_hex(key, strlen(key), hash);
	const char *params[6] = { comune, name, role, hash, scope->comuni, scope->all ? "t" : "f" };
	/* A key that exists already keeps its scope (apikey scope changes it). */
	res = ctl_query(
	    "WITH ins AS ("
	    " INSERT INTO api_keys (comune_id, name, role, key_sha256, consortium_comuni,"
	    "  consortium_all) VALUES ($1, $2, $3, $4, $5::text[], $6::boolean)"
	    " ON CONFLICT (key_sha256) DO NOTHING RETURNING id, comune_id, revoked_at)"
	    " SELECT id, comune_id, revoked_at IS NOT NULL, true FROM ins"
	    " UNION ALL SELECT id, comune_id, revoked_at IS NOT NULL, false FROM api_keys"
	    "  WHERE key_sha256 = $4 AND NOT EXISTS (SELECT 1 FROM ins)",
	    6, params);
	if (res == NULL)
		return ctl_fail("could not add the key (does comune \"%s\" exist?)", comune);
	if (PQntuples(res) != 1)
		rc = ctl_fail("could not add the key");
	else if (strcmp(PQgetvalue(res, 0, 1), comune) != 0)
		rc = ctl_fail("this key belongs to another comune already");
	else if (PQgetvalue(res, 0, 2)[0] == 't')
		rc = ctl_fail("this key (id %s) was revoked: make a new one", PQgetvalue(res, 0, 0));
	if (rc != CTL_OK) {
		PQclear(res);
		return rc;
	}
	fprintf(stderr, "banditorectl: api key %s (%s, %s, %s) %s\n", PQgetvalue(res, 0, 0),
	        comune, name, role, PQgetvalue(res, 0, 3)[0] == 't' ? "added" : "exists already");
	if (show_key)
		fprintf(stderr, "banditorectl: the key is shown only this once; keep it secret:\n");
	fprintf(ctl_out, "%s\n", show_key ? key : PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

int ctl_apikey_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "comuni", required_argument, NULL, 'C' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *comune = NULL, *name = NULL, *role = "editor", *key_file = NULL;
	const char *comuni = NULL;
	struct ctl_scope scope;
	bool all = false;
	char *key;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': comune = optarg; break;
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'k': key_file = optarg; break;
		case 'C': comuni = optarg; break;
		case 'a': all = true; break;
		default: return CTL_USAGE;
		}
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	if (comune == NULL || name == NULL)
		return ctl_usage("--comune and --name are required");
	if (strcmp(role, "editor") != 0 && strcmp(role, "approver") != 0 &&
	    strcmp(role, "consortium") != 0)
		return ctl_usage("--role must be editor, approver or consortium");
	if ((rc = ctl_scope_parse(role, comuni, all, &scope)) != CTL_OK)
		return rc;
	if ((rc = ctl_scope_check(&scope)) != CTL_OK) {
		ctl_scope_free(&scope);
		return rc;
	}
	if (key_file != NULL) {
		key = apikey_read(key_file);
		if (key == NULL) {
			ctl_scope_free(&scope);
			return CTL_FAIL;
		}
	} else {
		key = xmalloc(2 * 32 + 1);
		random_hex(key, 32);
	}
	rc = apikey_store(comune, name, role, &scope, key, key_file == NULL);
	explicit_bzero(key, strlen(key));
	free(key);
	ctl_scope_free(&scope);
	return rc;
}

int ctl_apikey_revoke(int argc, char **argv)
{
	PGresult *res;
	long id;
	int rc = CTL_OK;

	if (argc != 2)
		return ctl_usage("apikey revoke needs the key's ID");
	if (ctl_parse_long(argv[1], 1, 1L << 62, &id) != 0)
		return ctl_usage("\"%s\" is not a key id", argv[1]);
	const char *params[1] = { argv[1] };
	res = ctl_query(
	    "WITH upd AS (UPDATE api_keys SET revoked_at = now()"
	    " WHERE id = $1::bigint AND revoked_at IS NULL RETURNING id)"
	    " SELECT EXISTS (SELECT 1 FROM upd), EXISTS (SELECT 1 FROM api_keys WHERE id = $1::bigint)",
	    1, params);
	if (res == NULL)
		return ctl_fail("could not revoke key %ld", id);
	if (PQgetvalue(res, 0, 1)[0] != 't')
		rc = ctl_fail("no api key with id %ld", id);
	else
		fprintf(stderr, "banditorectl: api key %ld %s\n", id,
		        PQgetvalue(res, 0, 0)[0] == 't' ? "revoked" : "was revoked already");
	PQclear(res);
	return rc;
}

int ctl_subscribers_count(int argc, char **argv)
{
	static const char *const cols[] = { "comune", "active", "pending", "revoked" };
	const char *comune = NULL;
	PGresult *res;
	int c;

	if ((c = ctl_opt_comune(argc, argv, &comune)) != CTL_OK)
		return c;
	const char *params[1] = { comune };
	res = ctl_query(
	    "SELECT c.id,"
	    " count(s.id) FILTER (WHERE s.status = 'active'),"
	    " count(s.id) FILTER (WHERE s.status = 'pending'),"
	    " count(s.id) FILTER (WHERE s.status = 'revoked')"
	    " FROM comuni c LEFT JOIN channels ch ON ch.comune_id = c.id"
	    " LEFT JOIN subscribers s ON s.channel_id = ch.id"
	    " WHERE $1::text IS NULL OR c.id = $1 GROUP BY c.id ORDER BY c.id",
	    1, params);
	if (res == NULL)
		return ctl_fail("could not count subscribers");
	if (comune != NULL && PQntuples(res) == 0) {
		PQclear(res);
		return ctl_fail("no comune \"%s\"", comune);
	}
	c = ctl_rows_print(res, cols);
	PQclear(res);
	return c;
}

int ctl_apikey_list(int argc, char **argv)
{
	static const char *const cols[] = { "id", "comune", "name", "role", "created", "revoked" };
	PGresult *res;
	int rc;

	/* Only the hashes are stored: no key can be shown. Console staff's
	 * identities are no keys (`staff list` shows them). */
	rc = ctl_list_query(argc, argv,
	    "SELECT id, comune_id, name, role,"
	    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	    " coalesce(to_char(revoked_at AT TIME ZONE 'UTC',"
	    "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"
	    " FROM api_keys WHERE ($1::text IS NULL OR comune_id = $1)"
	    " AND key_sha256 NOT LIKE 'staff:%'"
	    " ORDER BY comune_id, id",
	    "the API keys", &res);
	if (rc != CTL_OK)
		return rc;
	rc = ctl_rows_print(res, cols);
	PQclear(res);
	return rc;
}
