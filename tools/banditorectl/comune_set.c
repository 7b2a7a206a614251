/*
 * `comune set`: change a comune's name, texts, privacy notice, keyword
 * lists, automatic-reply interval, quiet hours and time zone, archive
 * address, web site (the sign-up form's other accepted origin) and
 * single-person urgent sending, where it is for CAP alerts (area codes,
 * centroid), the WhatsApp price per message (only the options given change);
 * `comune list`: every comune with its channels and active subscribers.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "comune_rules.h"
#include "ctl.h"
#include "ctl_csv.h"
#include "xmalloc.h"

/* One settable column: option name, column, how it is typed. */
struct comune_field {
	const char *option;
	const char *column;
	const char *cast;       /* appended to the parameter: "", "::text[]", "::integer" */
	int kind;               /* FIELD_TEXT, FIELD_KEYWORDS, FIELD_SECONDS, ... */
};

enum { FIELD_TEXT, FIELD_KEYWORDS, FIELD_SECONDS, FIELD_TIME, FIELD_BOOL, FIELD_URL, FIELD_TZ,
       FIELD_CODES, FIELD_POINT, FIELD_PRICE };

static const struct comune_field comune_fields[] = {
	{ "name", "name", "", FIELD_TEXT },
	{ "contact-text", "contact_text", "", FIELD_TEXT },
	{ "privacy-url", "privacy_url", "", FIELD_TEXT },
	{ "privacy-version", "privacy_version", "", FIELD_TEXT },
	{ "join-keywords", "join_keywords", "::text[]", FIELD_KEYWORDS },
	{ "leave-keywords", "leave_keywords", "::text[]", FIELD_KEYWORDS },
	{ "topics-keywords", "topics_keywords", "::text[]", FIELD_KEYWORDS },
	{ "help-keywords", "help_keywords", "::text[]", FIELD_KEYWORDS },
	{ "auto-reply-every", "auto_reply_every_s", "::integer", FIELD_SECONDS },
	/* Quiet hours in the comune's time zone; the same start and end: none. */
	{ "quiet-start", "quiet_start", "::time", FIELD_TIME },
	{ "quiet-end", "quiet_end", "::time", FIELD_TIME },
	{ "time-zone", "time_zone", "", FIELD_TZ },
	{ "archive-base-url", "archive_base_url", "", FIELD_URL },
	/* The comune's web site: browsers may POST the sign-up form from it. */
	{ "site-origin", "site_origin", "", FIELD_URL },
	{ "allow-single-urgent", "allow_single_urgent", "::boolean", FIELD_BOOL },
	/* Where the comune is, for CAP alerts (banditore-feeds): the area codes
	 * that cover it and its centroid, tested against polygons and circles. */
	{ "cap-geocodes", "cap_geocodes", "::text[]", FIELD_CODES },
	{ "centroid", "centroid", "::point", FIELD_POINT },
	/* EUR per delivered WhatsApp utility-template message: the console's
	 * cost estimate (migration 0013). */
	{ "wa-price", "wa_price_eur", "::numeric", FIELD_PRICE },
};
#define COMUNE_NFIELDS (sizeof(comune_fields) / sizeof(comune_fields[0]))

/* true if PostgreSQL knows the time zone (the quiet hours are computed in it). */
static bool comune_tz_ok(const char *arg)
{
	const char *params[1] = { arg };
	PGresult *res = ctl_query("SELECT 1 FROM pg_timezone_names WHERE name = $1", 1, params);
	bool ok = res != NULL && PQntuples(res) == 1;

	if (res != NULL)
		PQclear(res);
	return ok;
}

/* Checks and converts one option's value; a new string (caller frees)
 * or NULL (message printed). */
static char *comune_value(const struct comune_field *f, const char *arg)
{
	long secs;

	switch (f->kind) {
	case FIELD_TIME:
		if (!crule_time_ok(arg)) {
			ctl_usage("--%s takes a time of day, HH:MM (24 hours)", f->option);
			return NULL;
		}
		return xstrdup(arg);
	case FIELD_TZ:
		if (!comune_tz_ok(arg)) {
			ctl_usage("--%s: \"%s\" is not a time zone PostgreSQL knows (e.g. Europe/Rome)",
			          f->option, arg);
			return NULL;
		}
		return xstrdup(arg);
	case FIELD_BOOL:
		if (strcmp(arg, "yes") != 0 && strcmp(arg, "no") != 0) {
			ctl_usage("--%s takes yes or no", f->option);
			return NULL;
		}
		return xstrdup(arg[0] == 'y' ? "true" : "false");
	case FIELD_URL:
		if (!crule_url_ok(arg, true)) {
			ctl_usage("--%s must be an http(s):// address (or empty)", f->option);
			return NULL;
		}
		return xstrdup(arg);
	case FIELD_PRICE:
		if (!crule_price_ok(arg)) {
			ctl_usage("--%s takes euros per message, from 0 to 9.9999 (e.g. 0.0300)",
			          f->option);
			return NULL;
		}
		return xstrdup(arg);
	case FIELD_KEYWORDS:
		return ctl_keywords_array(arg);
	case FIELD_CODES:
		return ctl_csv_array(arg, "--cap-geocodes", false);
	case FIELD_POINT:
		return ctl_latlon_point(arg);
	case FIELD_SECONDS:
		if (ctl_parse_long(arg, 0, 365L * 86400, &secs) != 0) {
			ctl_usage("--%s takes seconds, from 0 to one year", f->option);
			return NULL;
		}
		return xstrdup(arg);
	default:
		if (strcmp(f->column, "name") == 0 && arg[0] == '\0') {
			ctl_usage("--name cannot be empty");
			return NULL;
		}
		if (strcmp(f->column, "privacy_url") == 0 && !crule_url_ok(arg, true)) {
			ctl_usage("--privacy-url must be an http(s):// address");
			return NULL;
		}
		return xstrdup(arg);
	}
}

/* Parses the options into values[] (NULL = not given); CTL_OK or an error. */
static int comune_set_parse(int argc, char **argv, char *values[COMUNE_NFIELDS])
{
	struct option opts[COMUNE_NFIELDS + 1];
	int c, idx;

	for (size_t i = 0; i < COMUNE_NFIELDS; i++)
		opts[i] = (struct option){ comune_fields[i].option, required_argument, NULL, 0 };
	opts[COMUNE_NFIELDS] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, &idx)) != -1) {
		if (c != 0)
			return CTL_USAGE;
		free(values[idx]);
		values[idx] = comune_value(&comune_fields[idx], optarg);
		if (values[idx] == NULL)
			return CTL_USAGE;
	}
	if (argc - optind != 1)
		return ctl_usage("comune set needs one comune ID");
	return CTL_OK;
}

/* Builds "UPDATE comuni SET a = $2, b = $3::text[] ... WHERE id = $1". */
static char *comune_set_sql(char *const values[COMUNE_NFIELDS], const char **params, int *n)
{
	size_t cap = 256, len;
	char *sql = xmalloc(cap);

	len = (size_t)snprintf(sql, cap, "UPDATE comuni SET ");
	*n = 1;
	for (size_t i = 0; i < COMUNE_NFIELDS; i++) {
		if (values[i] == NULL)
			continue;
		params[(*n)++] = values[i];
		cap = len + 80;
		sql = xrealloc(sql, cap);
		len += (size_t)snprintf(sql + len, cap - len, "%s%s = $%d%s", *n > 2 ? ", " : "",
		                        comune_fields[i].column, *n, comune_fields[i].cast);
	}
	sql = xrealloc(sql, len + 40);
	snprintf(sql + len, 40, " WHERE id = $1 RETURNING id");
	return sql;
}

int ctl_comune_set(int argc, char **argv)
{
	char *values[COMUNE_NFIELDS] = { NULL };
	const char *params[COMUNE_NFIELDS + 1];
	char *sql = NULL;
	PGresult *res;
	int n, rc = comune_set_parse(argc, argv, values);

	if (rc == CTL_OK) {
		params[0] = argv[optind];
		sql = comune_set_sql(values, params, &n);
		if (n == 1)
			rc = ctl_usage("nothing to change: give at least one option");
	}
	if (rc == CTL_OK) {
		res = ctl_query(sql, n, params);
		if (res == NULL)
			rc = ctl_fail("could not change comune \"%s\"", params[0]);
		else if (PQntuples(res) == 0)
			rc = ctl_fail("no comune \"%s\" (see banditorectl comune list)", params[0]);
		else
			fprintf(stderr, "banditorectl: comune %s: %d setting%s changed\n", params[0],
			        n - 1, n == 2 ? "" : "s");
		if (res != NULL)
			PQclear(res);
	}
	if (rc == CTL_OK)
		fprintf(ctl_out, "%s\n", params[0]);
	free(sql);
	for (size_t i = 0; i < COMUNE_NFIELDS; i++)
		free(values[i]);
	return rc;
}

int ctl_comune_list(int argc, char **argv)
{
	static const char *const cols[] = { "id", "name", "channels", "active" };
	PGresult *res;
	int rc;

	if (argc != 1)
		return ctl_usage("unexpected argument \"%s\"", argv[1]);
	res = ctl_query(
	    "SELECT c.id, c.name,"
	    " coalesce((SELECT string_agg(ch.kind || ':' || ch.sender_account, ' ' ORDER BY ch.id)"
	    "  FROM channels ch WHERE ch.comune_id = c.id), ''),"
	    " (SELECT count(*) FROM subscribers s JOIN channels ch ON ch.id = s.channel_id"
	    "  WHERE ch.comune_id = c.id AND s.status = 'active')"
	    " FROM comuni c ORDER BY c.id",
	    0, NULL);
	if (res == NULL)
		return ctl_fail("could not list the comuni");
	rc = ctl_rows_print(res, cols);
	PQclear(res);
	return rc;
}
