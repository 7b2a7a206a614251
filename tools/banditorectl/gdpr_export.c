/*
 * `gdpr export NUMBER | --telegram CHAT_ID [--comune ID]`: everything held
 * about a phone number or a Telegram chat (GDPR Art. 15), as JSON on
 * stdout: each subscription (comune, channel, status, topics), its full
 * consent history and the messages it was sent (notices with id, title,
 * time and status; replies), and for a number the WhatsApp messaging-limit
 * records that count it (wa_reached: which business portfolio reached it
 * when), and where a comune's staff use it to be alerted (a console
 * account's alert address, a staff contact of the civil-protection feed).
 * The address is written to stdout only, never to stderr or a log.
 * Also the argument parsing shared with `gdpr erase`.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

/* Every live (not erased) subscription of address $1 on channels of kind
 * $3, in comune $2 (NULL: all), as one JSON array built by PostgreSQL. */
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
    " WHERE s.address = $1 AND ch.kind = $3 AND s.status <> 'erased'"
    "   AND ($2::text IS NULL OR c.id = $2)) x";
/* The messaging-limit records of number $1 (with or without its '+'), in
 * the portfolios of comune $2's channels (NULL: all). */
static const char SQL_REACHED[] =
    "SELECT coalesce(json_agg(json_build_object('portfolio', r.portfolio_id,"
    "  'reached_at', r.reached_at) ORDER BY r.reached_at), '[]')"
    " FROM wa_reached r WHERE r.address IN ($1, ltrim($1, '+'))"
    "   AND ($2::text IS NULL OR r.portfolio_id IN (SELECT portfolio_id FROM channels"
    "        WHERE comune_id = $2 AND portfolio_id IS NOT NULL))";

/* Where the comuni's staff are alerted at address $1 of kind $3, in comune
 * $2 (NULL: all): console accounts (`staff`) and the feed's contacts
 * (`staff_contacts`). */
static const char SQL_STAFF[] =
    "SELECT coalesce(json_agg(x ORDER BY x.comune, x.kind_of, x.name), '[]') FROM ("
    " SELECT comune_id AS comune, 'console_account' AS kind_of, name, login, role,"
    "  created_at FROM staff WHERE alert_address = $1 AND alert_kind = $3"
    "  AND ($2::text IS NULL OR comune_id = $2)"
    " UNION ALL SELECT comune_id, 'feed_contact', name, NULL, NULL, created_at"
    "  FROM staff_contacts WHERE address = $1 AND kind = $3"
    "  AND ($2::text IS NULL OR comune_id = $2)) x";

/* true if s is a Telegram chat id: an optional '-' and 1 to 20 digits. */
static bool gdpr_chat_id_ok(const char *s)
{
	size_t n;

	if (*s == '-')
		s++;
	n = strlen(s);
	return n >= 1 && n <= 20 && strspn(s, "0123456789") == n;
}

int ctl_gdpr_args(int argc, char **argv, struct ctl_gdpr_args *ga)
{
	static const struct option opts[] = {
		{ "comune", required_argument, NULL, 'c' },
		{ "requested-by", required_argument, NULL, 'r' },
		{ "telegram", required_argument, NULL, 't' },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	const char *chat = NULL;
	int c;

	*ga = (struct ctl_gdpr_args){ .kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP, .requested_by = "admin" };
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			ga->comune = optarg;
		else if (c == 'r')
			ga->requested_by = optarg;
		else if (c == 't')
			chat = optarg;
		else if (c == 'y')
			ga->yes = true;
		else
			return CTL_USAGE;
	}
	/* Never echo the address: it may be someone's, typed by an operator. */
	if (chat != NULL) {
		if (argc - optind != 0)
			return ctl_usage("give a phone NUMBER or --telegram CHAT_ID, not both");
		if (!gdpr_chat_id_ok(chat))
			return ctl_usage("--telegram takes a chat id (digits, e.g. 555000111)");
		snprintf(ga->address, sizeof(ga->address), "%s", chat);
		ga->kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
		return CTL_OK;
	}
	if (argc - optind != 1)
		return ctl_usage("give one phone NUMBER (or --telegram CHAT_ID)");
	_Static_assert(sizeof(ga->address) >= PHONE_MAX, "a number fits");
	if (phone_normalize(argv[optind], ga->address) != 0)
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

/* Prints {"number" or "telegram_chat", "exported_at", "comune",
 * "subscriptions", "staff_alerts"[, "messaging_limit"]}; CTL_OK or CTL_FAIL. Takes the
 * JSON texts. */
static int gdpr_print(const struct ctl_gdpr_args *ga, const char *subs_json,
                      const char *reached_json, const char *staff_json)
{
	json_t *subs = json_loads(subs_json, 0, NULL), *doc;
	json_t *staff = json_loads(staff_json, 0, NULL);
	json_t *reached = reached_json != NULL ? json_loads(reached_json, 0, NULL) : NULL;
	bool telegram = ga->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
	char at[32];
	int rc = CTL_OK;

	if (!json_is_array(subs) || !json_is_array(staff) ||
	    (reached_json != NULL && !json_is_array(reached))) {
		json_decref(subs);
		json_decref(reached);
		json_decref(staff);
		return ctl_fail("PostgreSQL returned something that is not a JSON array");
	}
	now_iso(at);
	fprintf(stderr, "banditorectl: %zu subscription(s) found\n", json_array_size(subs));
	doc = json_pack("{s:s, s:s, s:s?, s:o, s:o}", telegram ? "telegram_chat" : "number",
	                ga->address, "exported_at", at, "comune", ga->comune, "subscriptions", subs,
	                "staff_alerts", staff);
	/* The WhatsApp messaging limit counts the number itself, per portfolio. */
	if (doc != NULL && reached != NULL)
		json_object_set_new(doc, "messaging_limit", reached);
	else
		json_decref(reached);
	if (doc == NULL || json_dumpf(doc, ctl_out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		rc = ctl_fail("could not write the export");
	fputc('\n', ctl_out);
	json_decref(doc);
	return rc;
}

/* One JSON text from PostgreSQL; NULL (message printed) on failure. */
static PGresult *gdpr_query(struct db *db, const char *sql, int n, const char *const *params)
{
	PGresult *res = db_exec(db, sql, n, params);

	if (res != NULL && PQntuples(res) == 1)
		return res;
	if (res != NULL)
		PQclear(res);
	ctl_fail("could not read the data to export");
	return NULL;
}

/* The three JSON texts of an export into res[0..2] (subscriptions, staff
 * alerts, messaging limit: NULL for a Telegram chat); 0, or -1 with
 * nothing left to clear. */
static int gdpr_read(struct db *db, const struct ctl_gdpr_args *ga, PGresult *res[3])
{
	const char *params[3] = { ga->address, ga->comune, channel_kind_name(ga->kind) };
	bool whatsapp = ga->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP;

	res[0] = gdpr_query(db, SQL_EXPORT, 3, params);
	res[1] = res[0] != NULL ? gdpr_query(db, SQL_STAFF, 3, params) : NULL;
	res[2] = res[1] != NULL && whatsapp ? gdpr_query(db, SQL_REACHED, 2, params) : NULL;
	if (res[1] != NULL && (res[2] != NULL || !whatsapp))
		return 0;
	for (int i = 0; i < 3; i++)
		if (res[i] != NULL)
			PQclear(res[i]);
	return -1;
}

int ctl_gdpr_export(int argc, char **argv)
{
	struct ctl_gdpr_args ga;
	PGresult *res[3];
	struct db *db;
	int rc = ctl_gdpr_args(argc, argv, &ga);

	if (rc != CTL_OK)
		return rc;
	if (ga.yes)
		return ctl_usage("--yes is for gdpr erase: an export changes nothing");
	db = ctl_db_comune(ga.comune);
	if (db == NULL)
		return CTL_FAIL;
	rc = gdpr_read(db, &ga, res);
	db_free(db);
	if (rc != 0)
		return CTL_FAIL;
	rc = gdpr_print(&ga, PQgetvalue(res[0], 0, 0),
	                res[2] != NULL ? PQgetvalue(res[2], 0, 0) : NULL, PQgetvalue(res[1], 0, 0));
	for (int i = 0; i < 3; i++)
		if (res[i] != NULL)
			PQclear(res[i]);
	return rc;
}
