/*
 * A consortium key's scope: the comuni it may act for besides its own,
 * as an explicit list (--comuni a,b) or explicitly every comune (--all);
 * one of the two is required for the consortium role and refused for the
 * others (migration 0008). `apikey add` takes them; `apikey scope ID`
 * changes them for a key that exists.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "xmalloc.h"

#define SCOPE_ID_MAX 63

/* True if word (len bytes) is a comune id: lowercase letters, digits, '-'. */
static bool scope_id_ok(const char *word, size_t len)
{
	if (len == 0 || len > SCOPE_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-", word[i]) == NULL)
			return false;
	return true;
}

/* True if the array literal arr ("{a,b") already holds word. */
static bool scope_has(const char *arr, const char *word, size_t len)
{
	for (const char *p = arr + 1; *p != '\0';) {
		size_t n = strcspn(p, ",");
		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/* "a,b" -> "{a,b}" (duplicates dropped); NULL (printed) if an id is bad. */
static char *scope_array(const char *csv)
{
	size_t cap = strlen(csv) + 3, n = 1;
	char *arr = xmalloc(cap);

	arr[0] = '{';
	arr[1] = '\0';
	for (const char *p = csv;; p++) {
		size_t len = strcspn(p, ",");
		if (!scope_id_ok(p, len)) {
			ctl_usage("--comuni: \"%.*s\" is not a comune id", (int)len, p);
			free(arr);
			return NULL;
		}
		if (!scope_has(arr, p, len)) {
			if (n > 1)
				arr[n++] = ',';
			memcpy(arr + n, p, len);
			n += len;
			arr[n] = '\0';
		}
		p += len;
		if (*p == '\0')
			break;
	}
	arr[n++] = '}';
	arr[n] = '\0';
	return arr;
}

int ctl_scope_parse(const char *role, const char *csv, bool all, struct ctl_scope *out)
{
	bool consortium = strcmp(role, "consortium") == 0;

	memset(out, 0, sizeof(*out));
	if (!consortium && (csv != NULL || all))
		return ctl_usage("--comuni and --all are for the consortium role only");
	if (consortium && (csv != NULL) == all)
		return ctl_usage("a consortium key needs exactly one of --comuni A,B or --all");
	out->all = all;
	out->comuni = csv != NULL ? scope_array(csv) : xstrdup("{}");
	return out->comuni != NULL ? CTL_OK : CTL_USAGE;
}

void ctl_scope_free(struct ctl_scope *s)
{
	free(s->comuni);
	s->comuni = NULL;
}

int ctl_scope_check(const struct ctl_scope *s)
{
	const char *params[1] = { s->comuni };
	PGresult *res = ctl_query("SELECT coalesce(string_agg(w, ', ' ORDER BY w), '') FROM "
	                          "unnest($1::text[]) w WHERE NOT EXISTS "
	                          "(SELECT 1 FROM comuni c WHERE c.id = w)", 1, params);
	int rc = CTL_OK;

	if (res == NULL)
		return ctl_fail("could not check the comuni");
	if (PQgetvalue(res, 0, 0)[0] != '\0')
		rc = ctl_fail("no comune %s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}

/* Parses `apikey scope ID (--comuni A,B | --all)`; CTL_OK or CTL_USAGE. */
static int scope_args(int argc, char **argv, const char **id, struct ctl_scope *s)
{
	static const struct option opts[] = {
		{ "comuni", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *csv = NULL;
	bool all = false;
	long n;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': csv = optarg; break;
		case 'a': all = true; break;
		default: return CTL_USAGE;
		}
	}
	if (argc - optind != 1 || ctl_parse_long(argv[optind], 1, 1L << 62, &n) != 0)
		return ctl_usage("apikey scope needs the key's ID");
	*id = argv[optind];
	return ctl_scope_parse("consortium", csv, all, s);
}

int ctl_apikey_scope(int argc, char **argv)
{
	struct ctl_scope s = { 0 };
	const char *id = NULL;
	PGresult *res;
	int rc = scope_args(argc, argv, &id, &s);

	if (rc == CTL_OK)
		rc = ctl_scope_check(&s);
	if (rc != CTL_OK) {
		ctl_scope_free(&s);
		return rc;
	}
	const char *params[3] = { id, s.comuni, s.all ? "t" : "f" };
	res = ctl_query("UPDATE api_keys SET consortium_comuni = $2::text[], "
	                "consortium_all = $3::boolean WHERE id = $1::bigint "
	                "AND role = 'consortium' AND revoked_at IS NULL RETURNING id", 3, params);
	if (res == NULL)
		rc = ctl_fail("could not change the scope of key %s", id);
	else if (PQntuples(res) == 0)
		rc = ctl_fail("no active consortium key with id %s", id);
	else
		fprintf(stderr, "banditorectl: api key %s acts for %s\n", id,
		        s.all ? "every comune" : s.comuni);
	PQclear(res);
	ctl_scope_free(&s);
	return rc;
}
