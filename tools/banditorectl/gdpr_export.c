/*
 * `gdpr export NUMBER [--comune ID]`: everything held about a phone
 * number (GDPR Art. 15), as JSON on stdout: each subscription (comune,
 * channel, status, topics), its full consent history and the messages
 * it was sent (notices with id, title, time and status; replies). The
 * number is written to stdout only, never to stderr or a log.
 * Also the argument parsing shared with `gdpr erase`.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

/* Every live (not erased) subscription of $1, in comune $2 (NULL: all),
 * as one JSON array built by PostgreSQL. */
static const char SQL_EXPORT[] =
    "SELECT coalesce(json_agg(sub ORDER BY sid), '[]') FROM ("
    " SELECT s.id AS sid, json_build_object("
    "  'subscriber_id', s.id, 'comune', c.id, 'comune_name', c.name,"
    "  'channel_id', ch.id, 'channel', ch.kind, 'sender', ch.sender_account,"
    "  'status', s.status, 'topics', s.topics,"
    "  'created_at', s.created_at, 'updated_at', s.updated_at,"
    "  'consent_history', (SELECT coalesce(json_agg(json_build_object("
    "    'at', ce.at, 'action', ce.action, 'source', ce.source,"
    "    'evidence', ce.evidence, 'privacy_version', ce.privacy_version,"
    "    'changed', ce.changed, 'topics', ce.topics, 'status_before', ce.prev_status)"
    "    ORDER BY ce.id), '[]') FROM consent_events ce WHERE ce.subscriber_id = s.id),"
    "  'messages_received', (SELECT coalesce(json_agg(json_build_object("
    "    'notice_id', d.notice_id, 'title', n.title, 'purpose', d.purpose,"
    "    'status', d.status, 'at', d.updated_at, 'job_id', d.job_id)"
    "    ORDER BY d.updated_at, d.job_id), '[]')"
    "    FROM deliveries d LEFT JOIN notices n ON n.id = d.notice_id"
    "    WHERE d.subscriber_id = s.id)) AS sub"
    " FROM subscribers s JOIN channels ch ON ch.id = s.channel_id"
    " JOIN comuni c ON c.id = ch.comune_id"
    " WHERE s.address = $1 AND s.status <> 'erased' AND ($2::text IS NULL OR c.id = $2)) x";

int ctl_gdpr_args(int argc, char **argv, struct ctl_gdpr_args *ga)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ "requested-by", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*ga = (struct ctl_gdpr_args){ .requested_by = "admin" };
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			ga->comune = optarg;
		else if (c == 'r')
			ga->requested_by = optarg;
		else
			return CTL_USAGE;
	}
	if (argc - optind != 1)
		return ctl_usage("give one phone NUMBER");
	/* Never echo the number: it may be someone's, typed by an operator. */
	if (phone_normalize(argv[optind], ga->number) != 0)
		return ctl_usage("that is not a phone number (e.g. +39 333 123 4567, 333 1234567)");
	return CTL_OK;
}

/* The current time as ISO 8601 UTC. */
static void now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Prints {"number", "exported_at", "comune", "subscriptions"}; CTL_OK or CTL_FAIL. */
static int gdpr_print(const struct ctl_gdpr_args *ga, const char *subs_json)
{
	json_t *subs = json_loads(subs_json, 0, NULL), *doc;
	char at[32];
	int rc = CTL_OK;

	if (!json_is_array(subs)) {
		json_decref(subs);
		return ctl_fail("PostgreSQL returned something that is not a JSON array");
	}
	now_iso(at);
	fprintf(stderr, "banditorectl: %zu subscription(s) found\n", json_array_size(subs));
	doc = json_pack("{s:s, s:s, s:s?, s:o}", "number", ga->number, "exported_at", at,
	                "comune", ga->comune, "subscriptions", subs);
	if (doc == NULL || json_dumpf(doc, ctl_out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		rc = ctl_fail("could not write the export");
	fputc('\n', ctl_out);
	json_decref(doc);
	return rc;
}

int ctl_gdpr_export(int argc, char **argv)
{
	struct ctl_gdpr_args ga;
	struct db *db;
	PGresult *res;
	int rc = ctl_gdpr_args(argc, argv, &ga);

	if (rc != CTL_OK)
		return rc;
	db = ctl_db();
	if (db == NULL)
		return CTL_FAIL;
	if (ga.comune != NULL && ctl_comune_exists(db, ga.comune) != 1) {
		db_free(db);
		return CTL_FAIL;
	}
	const char *params[2] = { ga.number, ga.comune };
	res = db_exec(db, SQL_EXPORT, 2, params);
	db_free(db);
	if (res == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		return ctl_fail("could not read the data to export");
	}
	rc = gdpr_print(&ga, PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc;
}
