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
#include "tg_errors.h"
#include "wa_errors.h"
#include "xmalloc.h"

/* A growing array literal. */
struct pgarr {
	char  *buf;
	size_t len;
	size_t cap;
	size_t count;
};

/* Appends n bytes. */
static void pgarr_put(struct pgarr *a, const char *s, size_t n)
{
	if (a->len + n + 2 > a->cap) {
		a->cap = (a->len + n + 2) * 2;
		a->buf = xrealloc(a->buf, a->cap);
	}
	memcpy(a->buf + a->len, s, n);
	a->len += n;
	a->buf[a->len] = '\0';
}

/* Appends one element: NULL, or v quoted with '"' and '\' escaped. */
static void pgarr_add(struct pgarr *a, const char *v)
{
	pgarr_put(a, a->count++ ? "," : "{", 1);
	if (v == NULL) {
		pgarr_put(a, "NULL", 4);
		return;
	}
	pgarr_put(a, "\"", 1);
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			pgarr_put(a, "\\", 1);
		pgarr_put(a, v, 1);
	}
	pgarr_put(a, "\"", 1);
}

/* Appends an integer element, or NULL if null is set. */
static void pgarr_add_int(struct pgarr *a, long long v, int null)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", v);
	pgarr_add(a, null ? NULL : num);
}

/* Closes the literal; the caller frees the returned string. */
static char *pgarr_end(struct pgarr *a)
{
	if (a->count == 0)
		pgarr_put(a, "{", 1);
	pgarr_put(a, "}", 1);
	return a->buf;
}

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

int ledger_find_done(struct db *db, struct job_slot *slots, size_t n)
{
	static const char sql[] =
	    "SELECT job_id, status, coalesce(provider_message_id, ''), coalesce(error_code, 0),"
	    "       coalesce(error_detail, ''), attempts"
	    "  FROM deliveries WHERE job_id = ANY($1::text[])"
	    "   AND status IN ('sent', 'delivered', 'read', 'failed', 'skipped', 'dead')";
	struct pgarr ids = { 0 };
	const char *params[1];
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		if (ledger_pending(&slots[i]))
			pgarr_add(&ids, slots[i].job->job_id);
	if (ids.count == 0) {
		free(ids.buf);
		return 0;
	}
	params[0] = pgarr_end(&ids);
	res = db_exec(db, sql, 1, params);
	free(ids.buf);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *job_id = PQgetvalue(res, r, 0);
		for (size_t i = 0; i < n; i++) {
			struct job_slot *slot = &slots[i];
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

int ledger_check_consent(struct db *db, struct job_slot *slots, size_t n)
{
	static const char sql[] =
	    "SELECT id FROM subscribers WHERE id = ANY($1::bigint[]) AND status = 'active'";
	struct pgarr ids = { 0 };
	const char *params[1];
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		if (ledger_pending(&slots[i]) && slots[i].job->requires_consent)
			pgarr_add_int(&ids, (long long)slots[i].job->subscriber_id, 0);
	if (ids.count == 0) {
		free(ids.buf);
		return 0;
	}
	params[0] = pgarr_end(&ids);
	res = db_exec(db, sql, 1, params);
	free(ids.buf);
	if (res == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct job_slot *slot = &slots[i];
		int active = 0;
		if (!ledger_pending(slot) || !slot->job->requires_consent)
			continue;
		for (int r = 0; r < PQntuples(res) && !active; r++)
			active = strtoll(PQgetvalue(res, r, 0), NULL, 10) == slot->job->subscriber_id;
		if (!active)
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED, 0, NULL,
			            "consent_revoked", NULL);
	}
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

/* true if slot's outcome is to be written. */
static int ledger_recordable(const struct job_slot *slot)
{
	return slot->state == SLOT_DONE && !slot->dup && !slot->replay && slot->job != NULL;
}

int ledger_record(struct db *db, const struct job_slot *slots, size_t n)
{
	/* A row already sent (or further) is never downgraded by a racing duplicate. */
	static const char sql[] =
	    "INSERT INTO deliveries (job_id, notice_id, subscriber_id, channel_id, purpose,"
	    "                        status, provider_message_id, error_code, error_detail,"
	    "                        attempts)"
	    " SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::bigint[],"
	    "                      $5::text[], $6::text[], $7::text[], $8::integer[],"
	    "                      $9::text[], $10::integer[])"
	    " ON CONFLICT (job_id) DO UPDATE SET status = EXCLUDED.status,"
	    "     provider_message_id = EXCLUDED.provider_message_id,"
	    "     error_code = EXCLUDED.error_code, error_detail = EXCLUDED.error_detail,"
	    "     attempts = EXCLUDED.attempts, updated_at = now()"
	    " WHERE deliveries.status NOT IN ('sent', 'delivered', 'read')";
	struct pgarr col[10];
	const char *params[10];
	size_t rows = 0;
	int rc;

	memset(col, 0, sizeof(col));
	for (size_t i = 0; i < n; i++) {
		const struct job_slot *slot = &slots[i];
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
		pgarr_add(&col[5], outcome_status_name(slot->outcome));
		pgarr_add(&col[6], slot->wamid);
		pgarr_add_int(&col[7], slot->err_code, slot->err_code == 0);
		pgarr_add(&col[8], slot->detail);
		pgarr_add_int(&col[9], (long long)slot->attempts, 0);
		rows++;
	}
	if (rows == 0) {
		for (int c = 0; c < 10; c++)
			free(col[c].buf);
		return 0;
	}
	for (int c = 0; c < 10; c++)
		params[c] = pgarr_end(&col[c]);
	rc = db_cmd(db, sql, 10, params);
	for (int c = 0; c < 10; c++)
		free(col[c].buf);
	if (rc == 0)
		log_debug("dispatch.recorded", "%zu outcome(s) recorded", rows);
	return rc;
}
