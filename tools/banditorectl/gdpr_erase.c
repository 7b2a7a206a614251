/*
 * `gdpr erase NUMBER | --telegram CHAT_ID [--comune ID] [--requested-by WHO]
 * [--yes]`: the right to erasure (GDPR Art. 17). It cannot be undone, so
 * the operator types the number or chat id again on the terminal, unless
 * --yes; without a terminal (a script), --yes is required. Then, in one
 * transaction:
 *  - each subscription of the number (on WhatsApp channels) or of the
 *    chat (on Telegram bots): address -> "erased:<id>", topics cleared,
 *    status "erased" (nothing is ever sent to it again: senders require
 *    status "active"); the row stays as the anchor of the ledger;
 *  - its consent events keep action, time and source but lose their
 *    evidence (provider message ids can encode the number); the ledger is
 *    append-only, so its trigger is disabled for this transaction only;
 *  - an "erase" consent event (source "admin") for each;
 *  - its deliveries lose what could identify the person (provider message
 *    id, error detail, the citizen's message id inside a reply's job id,
 *    and an address column if the schema has one);
 *  - a number's WhatsApp messaging-limit records (wa_reached), in the
 *    portfolios of the comune's channels with --comune, else in all;
 *  - where the comuni's staff used it to be alerted: a console account
 *    keeps its login but loses its alert address, a feed's staff contact
 *    row goes (the person's account is staff business, the number theirs);
 *  - one erasures row: how many, when, requested by whom; no hash;
 *  - consent.changes told (gdpr_kafka.c) before the commit.
 * The number or chat can then subscribe again, as a new person.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "ctl.h"

static const char SQL_LOCK[] =
    "SELECT s.id, ch.id, ch.kind, ch.comune_id FROM subscribers s"
    " JOIN channels ch ON ch.id = s.channel_id"
    " WHERE s.address = $1 AND ch.kind = $3 AND s.status <> 'erased'"
    "   AND ($2::text IS NULL OR ch.comune_id = $2)"
    " ORDER BY s.id FOR UPDATE OF s";
/* A number's messaging-limit records ($1 with or without its '+'; $2 the
 * comune or NULL). Not the subscriptions': the limit counts the number. */
static const char SQL_UNREACH[] =
    "DELETE FROM wa_reached WHERE address IN ($1, ltrim($1, '+'))"
    " AND ($2::text IS NULL OR portfolio_id IN (SELECT portfolio_id FROM channels"
    "      WHERE comune_id = $2 AND portfolio_id IS NOT NULL))";
/* The address as a staff alert address ($1 address, $2 comune or NULL, $3
 * kind): each statement's rows are counted. */
static const char *const SQL_STAFF_ERASE[] = {
	"UPDATE staff SET alert_kind = NULL, alert_address = NULL WHERE alert_address = $1"
	" AND alert_kind = $3 AND ($2::text IS NULL OR comune_id = $2)",
	"DELETE FROM staff_contacts WHERE address = $1 AND kind = $3"
	" AND ($2::text IS NULL OR comune_id = $2)",
	NULL,
};
/* $1: the ids as an array literal, $2: the request id. */
static const char *const SQL_ERASE[] = {
	"ALTER TABLE consent_events DISABLE TRIGGER consent_events_no_update",
	"UPDATE consent_events SET evidence = 'erased:' || id"
	" WHERE subscriber_id = ANY ($1::bigint[])",
	"ALTER TABLE consent_events ENABLE TRIGGER consent_events_no_update",
	"INSERT INTO consent_events (subscriber_id, channel_id, action, source, evidence,"
	"  privacy_version, changed, prev_status)"
	" SELECT s.id, s.channel_id, 'erase', 'admin', 'erase:' || $2, c.privacy_version, true,"
	"  s.status FROM subscribers s JOIN channels ch ON ch.id = s.channel_id"
	"  JOIN comuni c ON c.id = ch.comune_id WHERE s.id = ANY ($1::bigint[])",
	"UPDATE subscribers SET address = 'erased:' || id, topics = '{}', status = 'erased',"
	" updated_at = now() WHERE id = ANY ($1::bigint[])",
	/* The provider's message ids point at the person's messages. */
	"DELETE FROM delivery_wamids WHERE job_id IN (SELECT job_id FROM deliveries"
	" WHERE subscriber_id = ANY ($1::bigint[]))",
	"UPDATE deliveries SET provider_message_id = NULL, error_detail = NULL"
	" WHERE subscriber_id = ANY ($1::bigint[])",
	/* A reply's job id holds the citizen's message id. */
	"UPDATE deliveries SET job_id = purpose || ':erased:' || md5(job_id)"
	" WHERE subscriber_id = ANY ($1::bigint[]) AND notice_id IS NULL",
	NULL,
};
/* Deliveries may carry the address itself in later schema versions. */
static const char SQL_HAS_ADDRESS[] =
    "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
    " AND table_name = 'deliveries' AND column_name = 'address'";
static const char SQL_CLEAR_ADDRESS[] =
    "UPDATE deliveries SET address = NULL WHERE subscriber_id = ANY ($1::bigint[])";
static const char SQL_RECORD[] =
    "INSERT INTO erasures (subscribers, requested_by) VALUES ($1::integer, $2) RETURNING id";

/* The subscriptions to erase, locked, as "{1,2}"; *n of them, their rows
 * in *subs (caller clears). NULL on failure. */
static char *erase_lock(struct db *db, const struct ctl_gdpr_args *ga, int *n, PGresult **subs)
{
	const char *params[3] = { ga->address, ga->comune, channel_kind_name(ga->kind) };
	PGresult *res = db_exec(db, SQL_LOCK, 3, params);
	char *ids;
	size_t len = 1;

	if (res == NULL)
		return NULL;
	*subs = res;
	*n = PQntuples(res);
	ids = malloc((size_t)*n * 22 + 3);
	if (ids == NULL)
		abort();
	ids[0] = '{';
	for (int i = 0; i < *n; i++)
		len += (size_t)sprintf(ids + len, "%s%s", i ? "," : "", PQgetvalue(res, i, 0));
	strcpy(ids + len, "}");
	return ids;
}

/* Runs the erasure statements on ids; 0 or -1. */
static int erase_rows(struct db *db, const char *ids, const char *request_id)
{
	const char *params[2] = { ids, request_id };
	PGresult *res;
	int has_address;

	for (size_t i = 0; SQL_ERASE[i] != NULL; i++) {
		int np = strstr(SQL_ERASE[i], "$2") ? 2 : strstr(SQL_ERASE[i], "$1") ? 1 : 0;
		if (db_cmd(db, SQL_ERASE[i], np, params) != 0)
			return -1;
	}
	res = db_exec(db, SQL_HAS_ADDRESS, 0, NULL);
	if (res == NULL)
		return -1;
	has_address = PQntuples(res) > 0;
	PQclear(res);
	if (has_address && db_cmd(db, SQL_CLEAR_ADDRESS, 1, params) != 0)
		return -1;
	return 0;
}

/* A number's messaging-limit records go; 0 or -1. */
static int erase_reached(struct db *db, const struct ctl_gdpr_args *ga)
{
	const char *params[2] = { ga->address, ga->comune };

	if (ga->kind != BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP)
		return 0;
	return db_cmd(db, SQL_UNREACH, 2, params);
}

/* The address no longer alerts any staff; the rows changed, or -1. */
static int erase_staff(struct db *db, const struct ctl_gdpr_args *ga)
{
	const char *params[3] = { ga->address, ga->comune, channel_kind_name(ga->kind) };
	int n = 0;

	for (size_t i = 0; SQL_STAFF_ERASE[i] != NULL; i++) {
		PGresult *res = db_exec(db, SQL_STAFF_ERASE[i], 3, params);
		if (res == NULL)
			return -1;
		n += atoi(PQcmdTuples(res));
		PQclear(res);
	}
	return n;
}

/* Records the erasure (a count, no identity); prints its id. 0 or -1. */
static int erase_record(struct db *db, int n, const char *requested_by)
{
	char count[16];
	const char *params[2] = { count, requested_by };
	PGresult *res;

	snprintf(count, sizeof(count), "%d", n);
	res = db_exec(db, SQL_RECORD, 2, params);
	if (res == NULL)
		return -1;
	fprintf(ctl_out, "%s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* The whole erasure in one transaction; CTL_OK or CTL_FAIL. */
static int erase_tx(struct db *db, const struct ctl_gdpr_args *ga)
{
	char request_id[UUID_STR_LEN + 1], *ids;
	PGresult *subs = NULL;
	int n = 0, staff = 0, rc;

	if (db_begin(db) != 0)
		return ctl_fail("could not start a transaction");
	ids = erase_lock(db, ga, &n, &subs);
	if (ids == NULL) {
		db_rollback(db);
		return ctl_fail("could not read the subscriptions");
	}
	uuid_v4(request_id);
	rc = n > 0 ? erase_rows(db, ids, request_id) : 0;
	free(ids);
	if (rc == 0)
		rc = erase_reached(db, ga);
	if (rc == 0 && (staff = erase_staff(db, ga)) < 0)
		rc = -1;
	/* Nothing held is worth a row too: the request was answered. */
	if (rc == 0)
		rc = erase_record(db, n, ga->requested_by);
	if (rc == 0 && n > 0)
		rc = ctl_gdpr_announce(subs, ga->address);
	PQclear(subs);
	if (rc != 0 || db_commit(db) != 0) {
		db_rollback(db);
		return ctl_fail("erasure failed; nothing was changed");
	}
	fprintf(stderr, "banditorectl: %d subscription(s) erased, %d staff alert address(es) "
	        "removed (request %s)\n", n, staff, request_id);
	return CTL_OK;
}

/* true if the operator typed the address of ga again (a number in any
 * form phone_normalize accepts). */
static bool erase_typed_again(const struct ctl_gdpr_args *ga)
{
	char line[96], again[PHONE_MAX];
	bool same;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	if (ga->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM)
		same = strcmp(line, ga->address) == 0;
	else
		same = phone_normalize(line, again) == 0 && strcmp(again, ga->address) == 0;
	explicit_bzero(line, sizeof(line));
	explicit_bzero(again, sizeof(again));
	return same;
}

/* --yes, or the address typed again on the terminal: CTL_OK; else
 * CTL_USAGE (no terminal) or CTL_FAIL (not confirmed), printed. */
static int erase_confirm(const struct ctl_gdpr_args *ga)
{
	bool telegram = ga->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;

	if (ga->yes)
		return CTL_OK;
	if (!isatty(STDIN_FILENO))
		return ctl_usage("gdpr erase cannot be undone and there is no terminal to confirm it "
		                 "on: add --yes");
	fprintf(stderr, "banditorectl: this erases every subscription of this %s%s; it cannot be "
	        "undone.\nType the %s again to confirm: ", telegram ? "Telegram chat" : "number",
	        ga->comune != NULL ? " in the comune given" : " in every comune",
	        telegram ? "chat id" : "number");
	fflush(stderr);
	if (!erase_typed_again(ga))
		return ctl_fail("not confirmed: nothing was erased");
	return CTL_OK;
}

int ctl_gdpr_erase(int argc, char **argv)
{
	struct ctl_gdpr_args ga;
	struct db *db;
	int rc = ctl_gdpr_args(argc, argv, &ga);

	if (rc != CTL_OK)
		return rc;
	if (strstr(ga.requested_by, ga.kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM
	                                ? ga.address
	                                : phone_digits(ga.address) + 2) != NULL)
		return ctl_usage("--requested-by must not contain the number or chat id");
	if ((rc = erase_confirm(&ga)) != CTL_OK)
		return rc;
	db = ctl_db_comune(ga.comune);
	if (db == NULL)
		return CTL_FAIL;
	rc = erase_tx(db, &ga);
	db_free(db);
	return rc;
}
