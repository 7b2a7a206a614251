/*
 * Ledger queries. Values travel as PostgreSQL array literals in one text
 * parameter each ("{...}" with every element quoted), so a batch of any
 * size is one round trip and nothing is ever spliced into SQL.
 */
#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "hmap.h"
#include "instance.h"
#include "log.h"
#include "outcome.h"
#include "pgarr.h"
#include "provider.h"
#include "xmalloc.h"

/* Outcome recorded as status text in the ledger. */
static Banditore__V1__OutcomeStatus ledger_outcome(const char *status)
{
	if (strcmp(status, "failed") == 0)
		return BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED;
	if (strcmp(status, "skipped") == 0)
		return BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED;
	if (strcmp(status, "cancelled") == 0)
		return BANDITORE__V1__OUTCOME_STATUS__OUTCOME_CANCELLED;
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
	const struct provider *prov = prov_of_kind(job->kind);

	if (st != BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED || job->subscriber_id <= 0)
		return false;
	return prov != NULL && prov->revokes(code, detail);
}

/* true if slot takes part in the pre-send checks. */
static int ledger_pending(const struct job_slot *slot)
{
	return slot_checkable(slot);
}

/*
 * Claiming, in the common case one statement: the batch's jobs, never
 * seen before, inserted as 'claimed' by this instance under each slot's
 * number (SQL_CLAIM_NEW). Jobs that already had a row (a copy, a retry, a
 * held job, a dead dispatcher's) go through SQL_CLAIM_SEEN: a held job, a
 * released claim, or one whose instance is dead, is claimed over (a dead
 * holder's is a takeover); rows 'c' are the claims made, rows 'd' the
 * jobs' rows as they stood before (finished, or claimed by a live
 * instance: ours under another number, or another's). A job in neither
 * was inserted by a concurrent claim: busy. Rows are matched to slots by
 * key, in C, not by a join.
 */
#define SQL_CLAIM_INSERT                                                                   \
    "INSERT INTO deliveries (job_id, notice_id, subscriber_id, channel_id, purpose, status," \
    "                        claimed_by, claim_gen, claimed_at)"                              \
    " SELECT u.j, u.n, u.s, u.c, u.p, 'claimed', $7::uuid, u.g, now()"                      \
    "   FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::bigint[], $5::text[],"        \
    "               $6::bigint[]) AS u(j, n, s, c, p, g)"
static const char SQL_CLAIM_NEW[] =
    SQL_CLAIM_INSERT " ON CONFLICT (job_id) DO NOTHING RETURNING job_id";
/*
 * The same for a batch whose jobs are all seen for the first time (the
 * common case: a fan-out's jobs as they arrive): a plain INSERT, which
 * spares each row the index probe that ON CONFLICT makes before inserting
 * (measured: about a third of the claim's cost in PostgreSQL). A job that
 * has a row after all (a copy redelivered after a restart, another
 * dispatcher's claim made meanwhile) makes the whole statement fail with
 * unique_violation, nothing written: the batch is then claimed with
 * SQL_CLAIM_NEW, as if this had not been tried.
 */
static const char SQL_CLAIM_FIRST[] = SQL_CLAIM_INSERT " RETURNING job_id";
#define SQL_UNIQUE_VIOLATION "23505"

/* true if none of the slots in pending has been through a claim or the ledger before. */
static bool ledger_all_first(const struct hmap *pending, struct job_slot *const *slots, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct job_slot *slot = slots[k];
		if (slot->job == NULL || hmap_get(pending, slot->job->job_id) != slot)
			continue;
		if (slot->from_backlog || slot->attempts > 0 || slot->claim != CLAIM_NONE ||
		    slot->job->attempt > 0)
			return false;
	}
	return true;
}

/* Runs the claim of new jobs: the plain INSERT first when every job is new. NULL on failure. */
static PGresult *ledger_claim_exec(struct db *db, struct pgarr *col, const char *const *tail,
                                   bool first)
{
	struct pgarr copy[6];
	PGresult *res;

	if (!first)
		return pgarr_exec_with(db, SQL_CLAIM_NEW, col, 6, tail, 1);
	for (int c = 0; c < 6; c++) {   /* kept for the second statement, if needed */
		copy[c] = col[c];
		if (col[c].buf != NULL) {
			copy[c].buf = xmalloc(col[c].cap);
			memcpy(copy[c].buf, col[c].buf, col[c].len);
		}
	}
	db_expect_failure(db, SQL_UNIQUE_VIOLATION);
	res = pgarr_exec_with(db, SQL_CLAIM_FIRST, col, 6, tail, 1);
	if (res != NULL || db_fault(db) != DB_FAULT_DATA ||
	    strncmp(db_error(db), SQL_UNIQUE_VIOLATION, 5) != 0) {
		pgarr_free(copy, 6);
		return res;
	}
	log_debug("dispatch.claim_seen", "a job of the batch has a ledger row: claimed with "
	          "ON CONFLICT");
	return pgarr_exec_with(db, SQL_CLAIM_NEW, copy, 6, tail, 1);
}

static const char SQL_CLAIM_SEEN[] =
    "WITH c AS ("
    "  UPDATE deliveries d SET status = 'claimed', claimed_by = $3::uuid, claim_gen = u.g,"
    "         claimed_at = now(), updated_at = now(),"
    "         claim_takeover = (d.status = 'claimed' AND d.claimed_by IS NOT NULL)"
    "    FROM unnest($1::text[], $2::bigint[]) AS u(j, g)"
    "   WHERE d.job_id = u.j AND (d.status = 'held' OR (d.status = 'claimed' AND"
    "         (d.claimed_by IS NULL OR (d.claimed_by <> $3::uuid AND"
    "          NOT instance_live(d.claimed_by)))))"
    "  RETURNING d.job_id, d.claim_takeover)"
    " SELECT 'c', job_id, claim_takeover::text, '', '', 0, '', 0, 'f', 0 FROM c"
    " UNION ALL"
    " SELECT 'd', job_id, '', status, coalesce(provider_message_id, ''),"
    "        coalesce(error_code, 0), coalesce(error_detail, ''), attempts,"
    "        coalesce(claimed_by = $3::uuid, false)::text, coalesce(claim_gen, 0)"
    "   FROM deliveries WHERE job_id = ANY($1::text[])";

/* A job found finished in the ledger: its recorded outcome is replayed, nothing sent. */
static void ledger_replay(struct job_slot *slot, PGresult *res, int r)
{
	Banditore__V1__OutcomeStatus st = ledger_outcome(PQgetvalue(res, r, 3));

	slot_finish(slot, st, atoi(PQgetvalue(res, r, 5)), PQgetvalue(res, r, 4),
	            PQgetvalue(res, r, 6),
	            st == BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD
	                ? ledger_dead_reason(PQgetvalue(res, r, 6)) : NULL);
	slot->attempts = (unsigned)atoi(PQgetvalue(res, r, 7));
	slot->revoke = ledger_revokes(slot->job, st, slot->err_code, PQgetvalue(res, r, 6));
	slot->replay = true;
	log_debug("dispatch.already_done", "job %s already %s: not sent again", slot->job->job_id,
	          PQgetvalue(res, r, 3));
}

/* A 'd' row (the job's ledger row before the claim) for a slot that did not get the claim. */
static void ledger_not_claimed(struct job_slot *slot, PGresult *res, int r)
{
	const char *status = PQgetvalue(res, r, 3);

	if (strcmp(status, "claimed") == 0 && PQgetvalue(res, r, 8)[0] == 't') {
		/* Ours already: this slot's (confirmed), or another slot's of this process. */
		slot->db_gen = atoll(PQgetvalue(res, r, 9));
		slot->claim = slot->db_gen == slot->claim_gen ? CLAIM_MINE : CLAIM_MINE_OTHER;
	} else if (strcmp(status, "claimed") != 0 && strcmp(status, "held") != 0) {
		slot->claim = CLAIM_NONE;
		ledger_replay(slot, res, r);
	}
}

/* Applies the claim's rows: 'c' first (claimed now), then 'd' for the others. */
static void ledger_claim_apply(struct hmap *pending, PGresult *res, unsigned epoch)
{
	for (int pass = 0; pass < 2; pass++)
		for (int r = 0; r < PQntuples(res); r++) {
			struct job_slot *slot = hmap_get(pending, PQgetvalue(res, r, 1));
			bool claimed = PQgetvalue(res, r, 0)[0] == 'c';
			if (slot == NULL || claimed != (pass == 0))
				continue;
			if (claimed) {
				slot->claim = CLAIM_MINE;
				slot->takeover = PQgetvalue(res, r, 2)[0] == 't';
				hmap_del(pending, slot->job->job_id);   /* its 'd' row is the old one */
			} else {
				ledger_not_claimed(slot, res, r);
			}
			slot->claim_epoch = epoch;
		}
}

/* Claims the new jobs of the batch (pending maps job id -> slot); claimed
 * slots leave pending. 0 or -1. */
static int ledger_claim_new(struct db *db, const char *inst_id, struct hmap *pending,
                            struct job_slot *const *slots, size_t n)
{
	struct pgarr col[6] = { { 0 } };
	const char *tail[1] = { inst_id };
	bool first = ledger_all_first(pending, slots, n);
	PGresult *res;

	for (size_t k = 0; k < n; k++) {
		struct job_slot *slot = slots[k];
		const Banditore__V1__DeliveryJob *job = slot->job;
		if (hmap_get(pending, job != NULL ? job->job_id : "") != slot)
			continue;
		pgarr_add(&col[0], job->job_id);
		pgarr_add(&col[1], slot_notice_uuid(slot));
		pgarr_add_int(&col[2], (long long)job->subscriber_id, job->subscriber_id <= 0);
		pgarr_add_int(&col[3], (long long)job->channel_id, 0);
		pgarr_add(&col[4], slot_purpose_name(slot));
		pgarr_add_int(&col[5], (long long)slot->claim_gen, 0);
	}
	res = ledger_claim_exec(db, col, tail, first);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		struct job_slot *slot = hmap_del(pending, PQgetvalue(res, r, 0));
		if (slot != NULL)
			slot->claim = CLAIM_MINE;
	}
	PQclear(res);
	return 0;
}

/* The jobs left in pending had a row already: claimed over where allowed, else as found. */
static int ledger_claim_seen(struct db *db, const char *inst_id, struct hmap *pending,
                             struct job_slot *const *slots, size_t n, unsigned epoch)
{
	struct pgarr col[2] = { { 0 } };
	const char *tail[1] = { inst_id };
	PGresult *res;

	for (size_t k = 0; k < n; k++)
		if (slots[k]->job != NULL && hmap_get(pending, slots[k]->job->job_id) == slots[k]) {
			pgarr_add(&col[0], slots[k]->job->job_id);
			pgarr_add_int(&col[1], (long long)slots[k]->claim_gen, 0);
			slots[k]->claim = CLAIM_BUSY;   /* unless a row says otherwise */
		}
	res = pgarr_exec_with(db, SQL_CLAIM_SEEN, col, 2, tail, 1);
	if (res == NULL)
		return -1;
	ledger_claim_apply(pending, res, epoch);
	PQclear(res);
	return 0;
}

int ledger_claim(struct db *db, const struct instance *inst, struct job_slot *const *slots,
                 size_t n)
{
	/* Read before the statement: a claim is only as good as the freshness it was made in. */
	unsigned epoch = instance_epoch(inst);
	struct hmap pending = { 0 };
	int rc = 0;

	for (size_t k = 0; k < n; k++)
		if (ledger_pending(slots[k])) {
			hmap_put(&pending, slots[k]->job->job_id, slots[k]);
			slots[k]->takeover = false;
			slots[k]->claim_epoch = epoch;
		}
	if (hmap_size(&pending) > 0)
		rc = ledger_claim_new(db, instance_id(inst), &pending, slots, n);
	if (rc == 0 && hmap_size(&pending) > 0)
		rc = ledger_claim_seen(db, instance_id(inst), &pending, slots, n, epoch);
	for (size_t k = 0; rc == 0 && k < n; k++)
		if (slots[k]->takeover && slots[k]->claim == CLAIM_MINE)
			log_warn("dispatch.claim_takeover", "job %s: its dispatcher died holding it; "
			         "taken over (it may have gone out just before)", slots[k]->job->job_id);
	hmap_free(&pending);
	return rc;
}

int ledger_release(struct db *db, const struct instance *inst, struct job_slot *const *slots,
                   size_t n)
{
	static const char sql[] =
	    "UPDATE deliveries d SET claimed_by = NULL, updated_at = now()"
	    "  FROM unnest($1::text[], $2::bigint[]) AS u(job_id, gen)"
	    " WHERE d.job_id = u.job_id AND d.status = 'claimed'"
	    "   AND d.claimed_by = $3::uuid AND d.claim_gen = u.gen";
	struct pgarr col[2] = { { 0 } };
	const char *tail[1] = { instance_id(inst) };
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		if (slots[i]->release && slots[i]->job != NULL) {
			pgarr_add(&col[0], slots[i]->job->job_id);
			pgarr_add_int(&col[1], (long long)slots[i]->claim_gen, 0);
		}
	if (col[0].count == 0) {
		pgarr_free(col, 2);
		return 0;
	}
	res = pgarr_exec_with(db, sql, col, 2, tail, 1);
	if (res == NULL)
		return -1;
	log_debug("dispatch.released", "%s claim(s) given back", PQcmdTuples(res));
	PQclear(res);
	for (size_t i = 0; i < n; i++)
		if (slots[i]->release) {
			slots[i]->release = false;
			slots[i]->claim = CLAIM_NONE;
		}
	return 0;
}

/* true if slot is a notice job whose notice can be looked up. */
static int ledger_is_notice(const struct job_slot *slot);

/* Applies one row of the consent/cancel query: ('s', active subscriber),
 * ('e', erased subscriber) or ('n', cancelled notice). */
static void ledger_mark(struct job_slot *const *slots, size_t n, const char *kind,
                        const char *id, char *active)
{
	long long sid = kind[0] != 'n' ? strtoll(id, NULL, 10) : 0;

	for (size_t i = 0; i < n; i++) {
		struct job_slot *slot = slots[i];
		if (!ledger_pending(slot))
			continue;
		if (kind[0] == 's' && slot->job->requires_consent && slot->job->subscriber_id == sid)
			active[i] = 1;
		else if (kind[0] == 'e' && slot->job->subscriber_id == sid)
			/* Erased (GDPR): nothing more is sent, a goodbye or a reply neither. */
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SKIPPED, 0, NULL,
			            "subscriber_erased", NULL);
		else if (kind[0] == 'n' && ledger_is_notice(slot) &&
		         strcmp(slot->job->notice_id, id) == 0)
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_CANCELLED, 0, NULL,
			            "notice_cancelled", NULL);
	}
}

int ledger_check_consent(struct db *db, struct job_slot *const *slots, size_t n)
{
	/* One round trip: whose consent holds, who was erased (jobs that need no
	 * consent, a goodbye, a reply, are not sent to them either), and which
	 * notices were cancelled. */
	static const char sql[] =
	    "SELECT 's', id::text FROM subscribers WHERE id = ANY($1::bigint[]) AND status = 'active'"
	    " UNION ALL "
	    "SELECT 'e', id::text FROM subscribers WHERE id = ANY($3::bigint[]) AND status = 'erased'"
	    " UNION ALL "
	    "SELECT 'n', id::text FROM notices WHERE id = ANY($2::uuid[]) AND status = 'cancelled'";
	struct pgarr col[3] = { { 0 } };   /* subscriber ids, notice ids, subscribers' w/o consent */
	char *active;
	PGresult *res;

	for (size_t i = 0; i < n; i++) {
		const Banditore__V1__DeliveryJob *job = slots[i]->job;
		if (!ledger_pending(slots[i]))
			continue;
		if (job->requires_consent)
			pgarr_add_int(&col[0], (long long)job->subscriber_id, 0);
		else if (job->subscriber_id > 0)
			pgarr_add_int(&col[2], (long long)job->subscriber_id, 0);
		if (ledger_is_notice(slots[i]))
			pgarr_add(&col[1], job->notice_id);
	}
	if (col[0].count == 0 && col[1].count == 0 && col[2].count == 0) {
		pgarr_free(col, 3);
		return 0;
	}
	res = pgarr_exec(db, sql, col, 3);
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

static int ledger_is_notice(const struct job_slot *slot)
{
	return slot->job->purpose == BANDITORE__V1__JOB_PURPOSE__PURPOSE_NOTICE &&
	       slot_notice_uuid(slot) != NULL;
}

/* true if slot's outcome is to be written (a retry has none yet, unless held). */
static int ledger_recordable(const struct job_slot *slot)
{
	return slot->state == SLOT_DONE && !slot->dup && !slot->replay && !slot->defer &&
	       (!slot->retry || slot->held) && slot->job != NULL;
}

/* true if slot failed for a subscriber with its provider's "unreachable" code. */
static bool ledger_undeliverable(const struct job_slot *slot)
{
	return ledger_recordable(slot) && slot->job->subscriber_id > 0 && slot->prov != NULL &&
	       slot->prov->unreachable_code != 0 &&
	       slot->outcome == BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED &&
	       slot->err_code == slot->prov->unreachable_code;
}

int ledger_mark_unreachable(struct db *db, struct job_slot *const *slots, size_t n)
{
	/* A subscriber has one channel, so one provider: its codes are that provider's. */
	static const char sql[] =
	    "SELECT DISTINCT subscriber_id::text FROM deliveries"
	    " WHERE subscriber_id = ANY($1::bigint[]) AND error_code = ANY($3::integer[])"
	    "   AND job_id <> ALL($2::text[])";
	struct pgarr col[3] = { { 0 } };   /* subscriber ids, job ids, codes */
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		if (ledger_undeliverable(slots[i])) {
			pgarr_add_int(&col[0], (long long)slots[i]->job->subscriber_id, 0);
			pgarr_add(&col[1], slots[i]->job->job_id);
			pgarr_add_int(&col[2], slots[i]->err_code, 0);
		}
	if (col[0].count == 0) {
		pgarr_free(col, 3);
		return 0;
	}
	res = pgarr_exec(db, sql, col, 3);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		long long sid = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		for (size_t i = 0; i < n; i++) {
			struct job_slot *slot = slots[i];
			if (!ledger_undeliverable(slot) || slot->job->subscriber_id != sid || slot->revoke)
				continue;
			slot->revoke = true;
			log_warn("dispatch.unreachable", "job %s: %d again for subscriber %lld: "
			         "consent to be revoked", slot->job->job_id, slot->err_code, sid);
		}
	}
	PQclear(res);
	return 0;
}

/*
 * The rows of claimed jobs are there (claimed at their check): an
 * UPDATE, and a HOT one (no indexed column changes, migration 0007). A
 * row already sent (or further) is never downgraded by a racing
 * duplicate; a row gone meanwhile (an erasure renamed it, a dead letter
 * replayed) is not brought back. The message id goes to delivery_wamids,
 * where status webhooks look it up.
 */
static const char SQL_RECORD_CLAIMED[] =
    "WITH u AS ("
    "  SELECT u.*, CASE WHEN u.h IS NULL THEN NULL ELSE to_timestamp(u.h / 1000.0) END AS hu"
    "    FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::bigint[],"
    "                $5::text[], $6::text[], $7::text[], $8::integer[],"
    "                $9::text[], $10::integer[], $11::bigint[])"
    "         AS u(j, n, s, c, p, st, m, e, d, a, h)),"
    " upd AS ("
    "  UPDATE deliveries x SET status = u.st, provider_message_id = u.m, error_code = u.e,"
    "         error_detail = u.d, attempts = u.a, held_until = u.hu, updated_at = now()"
    "    FROM u WHERE x.job_id = u.j AND x.status NOT IN ('sent', 'delivered', 'read'))"
    " INSERT INTO delivery_wamids (provider_message_id, job_id)"
    " SELECT u.m, u.j FROM u WHERE u.m IS NOT NULL ON CONFLICT DO NOTHING";

/* Jobs finished without a claim (stopped as they were taken: their notice
 * was cancelled) have no row yet: inserted, or a claimable one updated. */
static const char SQL_RECORD_UNCLAIMED[] =
    "INSERT INTO deliveries (job_id, notice_id, subscriber_id, channel_id, purpose, status,"
    "                        provider_message_id, error_code, error_detail, attempts, held_until)"
    " SELECT u.j, u.n, u.s, u.c, u.p, u.st, u.m, u.e, u.d, u.a,"
    "        CASE WHEN u.h IS NULL THEN NULL ELSE to_timestamp(u.h / 1000.0) END"
    "   FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::bigint[],"
    "               $5::text[], $6::text[], $7::text[], $8::integer[],"
    "               $9::text[], $10::integer[], $11::bigint[])"
    "        AS u(j, n, s, c, p, st, m, e, d, a, h)"
    " ON CONFLICT (job_id) DO UPDATE SET status = EXCLUDED.status,"
    "     error_code = EXCLUDED.error_code, error_detail = EXCLUDED.error_detail,"
    "     updated_at = now()"
    " WHERE deliveries.status = 'held'"
    "    OR (deliveries.status = 'claimed' AND deliveries.claimed_by IS NULL)";

/* Writes the recordable slots with (claimed) or without a claim: one statement. 0 or -1. */
static int ledger_record_some(struct db *db, struct job_slot *const *slots, size_t n,
                              bool claimed)
{
	struct pgarr col[11];
	size_t rows = 0;
	PGresult *res;

	memset(col, 0, sizeof(col));
	for (size_t i = 0; i < n; i++) {
		const struct job_slot *slot = slots[i];
		const Banditore__V1__DeliveryJob *job = slot->job;
		if (!ledger_recordable(slot) || (slot->claim == CLAIM_MINE) != claimed)
			continue;
		if (job->notice_id[0] != '\0' && slot_notice_uuid(slot) == NULL)
			log_warn("dispatch.bad_notice_id", "job %s: notice id is not a UUID, recorded as NULL",
			         job->job_id);
		pgarr_add(&col[0], job->job_id);
		pgarr_add(&col[1], slot_notice_uuid(slot));
		pgarr_add_int(&col[2], (long long)job->subscriber_id, job->subscriber_id <= 0);
		pgarr_add_int(&col[3], (long long)job->channel_id, 0);
		pgarr_add(&col[4], slot_purpose_name(slot));
		pgarr_add(&col[5], slot->held ? "held" : outcome_status_name(slot->outcome));
		pgarr_add(&col[6], slot->held ? NULL : slot->msg_id);
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
	res = pgarr_exec(db, claimed ? SQL_RECORD_CLAIMED : SQL_RECORD_UNCLAIMED, col, 11);
	if (res == NULL)
		return -1;
	PQclear(res);
	log_debug("dispatch.recorded", "%zu outcome(s) recorded", rows);
	return 0;
}

int ledger_record(struct db *db, struct job_slot *const *slots, size_t n)
{
	if (ledger_record_some(db, slots, n, true) != 0)
		return -1;
	return ledger_record_some(db, slots, n, false);
}
