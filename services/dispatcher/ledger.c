/*
 * Ledger queries. Values travel as PostgreSQL array literals in one text
 * parameter each ("{...}" with every element quoted), so a batch of any
 * size is one round trip and nothing is ever spliced into SQL.
 */
#include "ledger.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "pgarr.h"
#include "tg_errors.h"
#include "wa_errors.h"
#include "xmalloc.h"

#define LEDGER_UNDELIVERABLE 131026   /* WhatsApp: not on WhatsApp, old app, maybe blocked */

/* Outcome recorded as status text in the ledger. */
static Banditore__V1__OutcomeStatus ledger_outcome(const char *status)
{
	if (strcmp(status, "failed") == 0)
		return BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED;
	if (strcmp(status, "skipped") == 0)
		return BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED;
	if (strcmp(status, "dead") == 0)
		return BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD;
	return BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SENT;   /* sent, delivered, read */
}

/* The dead-letter reason stored at the head of a dead job's detail ("reason: ..."). */
static const char *ledger_dead_reason(const char *detail)
{
	static const char *const reasons[] = { "transient_exhausted", "no_credentials",
	                                       "unsupported_kind" };
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strncmp(detail, reasons[i], strlen(reasons[i])) == 0)
			return reasons[i];
	return "replayed";
}

/*
 * Whether a recorded failure asked for the consent to be revoked: the
 * ledger keeps the error code and the provider's words, which say it
 * again, so a replayed outcome carries the request too.
 */
static bool ledger_revokes(const Banditore__V1__DeliveryJob *job,
                           Banditore__V1__OutcomeStatus st, int code, const char *detail)
{
	if (st != BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED || job->subscriber_id <= 0)
		return false;
	if (job->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM)
		return tg_revokes(code, detail);
	return wa_revokes(code);
}

/* true if slot takes part in the pre-send checks. */
static int ledger_pending(const struct job_slot *slot)
{
	return slot->state == SLOT_PENDING && !slot->dup && slot->job != NULL;
}

int ledger_find_done(struct db *db, struct job_slot *const *slots, size_t n)
{
	static const char sql[] =
	    "SELECT job_id, status, coalesce(provider_message_id, ''), coalesce(error_code, 0),"
	    "       coalesce(error_detail, ''), attempts"
	    "  FROM deliveries WHERE job_id = ANY($1::text[])"
	    "   AND status IN ('sent', 'delivered', 'read', 'failed', 'skipped', 'dead')";
	struct pgarr ids = { 0 };
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		if (ledger_pending(slots[i]))
			pgarr_add(&ids, slots[i]->job->job_id);
	if (ids.count == 0) {
		pgarr_free(&ids, 1);
		return 0;
	}
	res = pgarr_exec(db, sql, &ids, 1);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *job_id = PQgetvalue(res, r, 0);
		for (size_t i = 0; i < n; i++) {
			struct job_slot *slot = slots[i];
			Banditore__V1__OutcomeStatus st;
			if (!ledger_pending(slot) || strcmp(slot->job->job_id, job_id) != 0)
				continue;
			st = ledger_outcome(PQgetvalue(res, r, 1));
			slot_finish(slot, st, atoi(PQgetvalue(res, r, 3)), PQgetvalue(res, r, 2),
			            PQgetvalue(res, r, 4),
			            st == BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD
			                ? ledger_dead_reason(PQgetvalue(res, r, 4)) : NULL);
			slot->attempts = (unsigned)atoi(PQgetvalue(res, r, 5));
			slot->revoke = ledger_revokes(slot->job, st, slot->err_code, PQgetvalue(res, r, 4));
			slot->replay = true;
			log_debug("dispatch.already_done", "job %s already %s: not sent again", job_id,
			         PQgetvalue(res, r, 1));
			break;
		}
	}
	PQclear(res);
	return 0;
}

/* true if slot is a notice job whose notice can be looked up. */
static int ledger_is_notice(const struct job_slot *slot);

/* Applies one row of the consent/cancel query: ('s', active subscriber) or ('n', cancelled notice). */
static void ledger_mark(struct job_slot *const *slots, size_t n, const char *kind,
                        const char *id, char *active)
{
	long long sid = kind[0] == 's' ? strtoll(id, NULL, 10) : 0;

	for (size_t i = 0; i < n; i++) {
		struct job_slot *slot = slots[i];
		if (!ledger_pending(slot))
			continue;
		if (kind[0] == 's' && slot->job->requires_consent && slot->job->subscriber_id == sid)
			active[i] = 1;
		else if (kind[0] == 'n' && ledger_is_notice(slot) &&
		         strcmp(slot->job->notice_id, id) == 0)
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED, 0, NULL,
			            "notice_cancelled", NULL);
	}
}

int ledger_check_consent(struct db *db, struct job_slot *const *slots, size_t n)
{
	/* One round trip: whose consent holds, and which notices were cancelled. */
	static const char sql[] =
	    "SELECT 's', id::text FROM subscribers WHERE id = ANY($1::bigint[]) AND status = 'active'"
	    " UNION ALL "
	    "SELECT 'n', id::text FROM notices WHERE id = ANY($2::uuid[]) AND status = 'cancelled'";
	struct pgarr col[2] = { { 0 } };   /* subscriber ids, notice ids */
	char *active;
	PGresult *res;

	for (size_t i = 0; i < n; i++) {
		if (!ledger_pending(slots[i]))
			continue;
		if (slots[i]->job->requires_consent)
			pgarr_add_int(&col[0], (long long)slots[i]->job->subscriber_id, 0);
		if (ledger_is_notice(slots[i]))
			pgarr_add(&col[1], slots[i]->job->notice_id);
	}
	if (col[0].count == 0 && col[1].count == 0) {
		pgarr_free(col, 2);
		return 0;
	}
	res = pgarr_exec(db, sql, col, 2);
	if (res == NULL)
		return -1;
	active = xcalloc(n ? n : 1, 1);
	for (int r = 0; r < PQntuples(res); r++)
		ledger_mark(slots, n, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), active);
	for (size_t i = 0; i < n; i++) {
		struct job_slot *slot = slots[i];
		if (ledger_pending(slot) && slot->job->requires_consent && !active[i])
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED, 0, NULL,
			            "consent_revoked", NULL);
	}
	free(active);
	PQclear(res);
	return 0;
}

/* true if s looks like a UUID (the ledger's notice_id column would reject anything else). */
static int ledger_is_uuid(const char *s)
{
	if (strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

static int ledger_is_notice(const struct job_slot *slot)
{
	return slot->job->purpose == BANDITORE__V1__JOB_PURPOSE__PURPOSE_NOTICE &&
	       ledger_is_uuid(slot->job->notice_id);
}

/* true if slot's outcome is to be written (a retry has none yet, unless held). */
static int ledger_recordable(const struct job_slot *slot)
{
	return slot->state == SLOT_DONE && !slot->dup && !slot->replay &&
	       (!slot->retry || slot->held) && slot->job != NULL;
}

/* true if slot failed with WhatsApp's 131026 (undeliverable) for a subscriber. */
static bool ledger_undeliverable(const struct job_slot *slot)
{
	return ledger_recordable(slot) && slot->job->subscriber_id > 0 &&
	       slot->job->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP &&
	       slot->outcome == BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED &&
	       slot->err_code == LEDGER_UNDELIVERABLE;
}

int ledger_mark_unreachable(struct db *db, struct job_slot *const *slots, size_t n)
{
	static const char sql[] =
	    "SELECT DISTINCT subscriber_id::text FROM deliveries"
	    " WHERE subscriber_id = ANY($1::bigint[]) AND error_code = 131026"
	    "   AND job_id <> ALL($2::text[])";
	struct pgarr col[2] = { { 0 } };   /* subscriber ids, job ids */
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		if (ledger_undeliverable(slots[i])) {
			pgarr_add_int(&col[0], (long long)slots[i]->job->subscriber_id, 0);
			pgarr_add(&col[1], slots[i]->job->job_id);
		}
	if (col[0].count == 0) {
		pgarr_free(col, 2);
		return 0;
	}
	res = pgarr_exec(db, sql, col, 2);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		long long sid = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		for (size_t i = 0; i < n; i++) {
			struct job_slot *slot = slots[i];
			if (!ledger_undeliverable(slot) || slot->job->subscriber_id != sid || slot->revoke)
				continue;
			slot->revoke = true;
			log_warn("dispatch.unreachable", "job %s: 131026 again for subscriber %lld: "
			         "consent to be revoked", slot->job->job_id, sid);
		}
	}
	PQclear(res);
	return 0;
}

int ledger_record(struct db *db, struct job_slot *const *slots, size_t n)
{
	/* A row already sent (or further) is never downgraded by a racing duplicate. */
	static const char sql[] =
	    "INSERT INTO deliveries (job_id, notice_id, subscriber_id, channel_id, purpose,"
	    "                        status, provider_message_id, error_code, error_detail,"
	    "                        attempts, held_until)"
	    " SELECT u.j, u.n, u.s, u.c, u.p, u.st, u.m, u.e, u.d, u.a,"
	    "        CASE WHEN u.h IS NULL THEN NULL ELSE to_timestamp(u.h / 1000.0) END"
	    "   FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::bigint[],"
	    "               $5::text[], $6::text[], $7::text[], $8::integer[],"
	    "               $9::text[], $10::integer[], $11::bigint[])"
	    "        AS u(j, n, s, c, p, st, m, e, d, a, h)"
	    " ON CONFLICT (job_id) DO UPDATE SET status = EXCLUDED.status,"
	    "     provider_message_id = EXCLUDED.provider_message_id,"
	    "     error_code = EXCLUDED.error_code, error_detail = EXCLUDED.error_detail,"
	    "     attempts = EXCLUDED.attempts, held_until = EXCLUDED.held_until,"
	    "     updated_at = now()"
	    " WHERE deliveries.status NOT IN ('sent', 'delivered', 'read')";
	struct pgarr col[11];
	size_t rows = 0;
	PGresult *res;

	memset(col, 0, sizeof(col));
	for (size_t i = 0; i < n; i++) {
		const struct job_slot *slot = slots[i];
		const Banditore__V1__DeliveryJob *job = slot->job;
		if (!ledger_recordable(slot))
			continue;
		if (job->notice_id[0] != '\0' && !ledger_is_uuid(job->notice_id))
			log_warn("dispatch.bad_notice_id", "job %s: notice id is not a UUID, recorded as NULL",
			         job->job_id);
		pgarr_add(&col[0], job->job_id);
		pgarr_add(&col[1], ledger_is_uuid(job->notice_id) ? job->notice_id : NULL);
		pgarr_add_int(&col[2], (long long)job->subscriber_id, job->subscriber_id <= 0);
		pgarr_add_int(&col[3], (long long)job->channel_id, 0);
		pgarr_add(&col[4], purpose_name(job->purpose));
		pgarr_add(&col[5], slot->held ? "held" : outcome_status_name(slot->outcome));
		pgarr_add(&col[6], slot->held ? NULL : slot->wamid);
		pgarr_add_int(&col[7], slot->err_code, slot->held || slot->err_code == 0);
		pgarr_add(&col[8], slot->detail);
		pgarr_add_int(&col[9], (long long)slot->attempts, 0);
		pgarr_add_int(&col[10], (long long)slot->retry_at_ms, !slot->held);
		rows++;
	}
	if (rows == 0) {
		pgarr_free(col, 11);
		return 0;
	}
	res = pgarr_exec(db, sql, col, 11);
	if (res == NULL)
		return -1;
	PQclear(res);
	log_debug("dispatch.recorded", "%zu outcome(s) recorded", rows);
	return 0;
}
