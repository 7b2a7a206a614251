/* Messaging-limit reservations per portfolio (reach.h). */
#include "reach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "log.h"
#include "pgarr.h"
#include "provider.h"
#include "xmalloc.h"

#define REACH_WINDOW_MS (24LL * 3600 * 1000)

/* A portfolio with a tier, and which channels belong to it. */
struct reach_pf {
	char      *id;
	long       tier;
	long long *channels;
	size_t     nch;
};

/* true if slot is a job the limit applies to (its channel still to be looked up). */
static bool reach_candidate(const struct job_slot *slot)
{
	return slot_checkable(slot) && slot->prov != NULL && slot->prov->messaging_limit &&
	       slot->job->content_case == BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
}

static void reach_pf_free(struct reach_pf *pf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pf[i].id);
		free(pf[i].channels);
	}
	free(pf);
}

/* The portfolios with a tier of the candidates' channels. NULL with *n = 0 if none; -1 on error. */
static int reach_portfolios(struct db *db, struct job_slot *const *slots, size_t n,
                            struct reach_pf **out, size_t *nout)
{
	static const char sql[] =
	    "SELECT p.id, p.tier, c.id FROM channels c JOIN wa_portfolios p ON p.id = c.portfolio_id"
	    " WHERE c.id = ANY($1::bigint[]) AND p.tier IS NOT NULL ORDER BY p.id";
	struct pgarr ids = { 0 };
	struct reach_pf *pf = NULL;
	PGresult *res;
	size_t npf = 0;

	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < n; i++)
		if (reach_candidate(slots[i]))
			pgarr_add_int(&ids, (long long)slots[i]->job->channel_id, 0);
	if (ids.count == 0) {
		pgarr_free(&ids, 1);
		return 0;
	}
	res = pgarr_exec(db, sql, &ids, 1);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		struct reach_pf *p;
		if (npf == 0 || strcmp(pf[npf - 1].id, PQgetvalue(res, r, 0)) != 0) {
			pf = xrealloc(pf, (npf + 1) * sizeof(*pf));
			memset(&pf[npf], 0, sizeof(*pf));
			pf[npf].id = xstrdup(PQgetvalue(res, r, 0));
			pf[npf].tier = strtol(PQgetvalue(res, r, 1), NULL, 10);
			npf++;
		}
		p = &pf[npf - 1];
		p->channels = xrealloc(p->channels, (p->nch + 1) * sizeof(*p->channels));
		p->channels[p->nch++] = strtoll(PQgetvalue(res, r, 2), NULL, 10);
	}
	PQclear(res);
	*out = pf;
	*nout = npf;
	return 0;
}

/* true if slot is a candidate of portfolio pf. */
static bool reach_in(const struct reach_pf *pf, const struct job_slot *slot)
{
	if (!reach_candidate(slot))
		return false;
	for (size_t i = 0; i < pf->nch; i++)
		if (pf->channels[i] == slot->job->channel_id)
			return true;
	return false;
}

/* Runs one statement of the portfolio's transaction; NULL on error. */
static PGresult *reach_q(struct db *db, const char *sql, const char *a, const char *b)
{
	const char *params[2] = { a, b };

	return db_exec(db, sql, b != NULL ? 2 : 1, params);
}

/* Holds slot until wall-clock ms `until`. */
static void reach_hold(struct job_slot *slot, int64_t until, const char *pf)
{
	struct retry_decision d = retry_held(until);
	char detail[160];

	slot_retry(slot, &d);
	slot->held = true;
	snprintf(detail, sizeof(detail), "held: messaging limit of portfolio %s reached", pf);
	free(slot->detail);
	slot->detail = xstrdup(detail);
}

/*
 * Inside the portfolio's transaction (locked): drops reservations older
 * than 24 h, reserves the fresh recipients while the tier allows, and
 * holds the others. 0 or -1.
 */
static int reach_apply(struct db *db, const struct reach_pf *pf, struct job_slot *const *slots,
                       size_t n)
{
	struct pgarr addrs = { 0 }, admit = { 0 };
	PGresult *res;
	char lim[24];
	long used, room;
	size_t k = 0, held = 0, admitted = 0;
	int rc = -1;

	for (size_t i = 0; i < n; i++)
		if (reach_in(pf, slots[i]))
			pgarr_add(&addrs, slots[i]->job->address);
	res = reach_q(db, "SELECT pg_advisory_xact_lock(hashtext('wa_reached:' || $1))", pf->id, NULL);
	if (res == NULL)
		goto out;
	PQclear(res);
	res = reach_q(db, "DELETE FROM wa_reached WHERE portfolio_id = $1 "
	                  "AND reached_at <= now() - interval '24 hours'", pf->id, NULL);
	if (res == NULL)
		goto out;
	PQclear(res);
	/* Already reached in the window: free to send again. */
	res = reach_q(db, "SELECT address FROM wa_reached WHERE portfolio_id = $1 "
	                  "AND address = ANY($2::text[])", pf->id, pgarr_end(&addrs));
	if (res == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct job_slot *slot = slots[i];
		bool known = false;
		if (!reach_in(pf, slot))
			continue;
		for (int r = 0; r < PQntuples(res) && !known; r++)
			known = strcmp(PQgetvalue(res, r, 0), slot->job->address) == 0;
		if (known)
			slot->next_at_ms = 1;   /* marker: costs nothing (reset by the caller) */
	}
	PQclear(res);
	res = reach_q(db, "SELECT count(*) FROM wa_reached WHERE portfolio_id = $1", pf->id, NULL);
	if (res == NULL)
		goto out;
	used = strtol(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	room = pf->tier - used;
	for (size_t i = 0; i < n; i++) {
		struct job_slot *slot = slots[i];
		if (!reach_in(pf, slot) || slot->next_at_ms == 1)
			continue;
		if (room > 0) {
			pgarr_add(&admit, slot->job->address);
			room--;
		} else {
			held++;
		}
	}
	if (admit.count > 0) {
		res = reach_q(db, "INSERT INTO wa_reached (portfolio_id, address) SELECT $1, a "
		                  "FROM unnest($2::text[]) a ON CONFLICT DO NOTHING", pf->id,
		              pgarr_end(&admit));
		if (res == NULL)
			goto out;
		PQclear(res);
	}
	admitted = admit.count;
	if (held > 0) {
		/* The k-th held job goes when the k-th oldest reservation turns 24 hours old. */
		snprintf(lim, sizeof(lim), "%zu", held);
		res = reach_q(db, "SELECT (extract(epoch FROM reached_at) * 1000)::bigint FROM wa_reached"
		                  " WHERE portfolio_id = $1 ORDER BY reached_at LIMIT $2::integer",
		              pf->id, lim);
		if (res == NULL)
			goto out;
		for (size_t i = 0; i < n; i++) {
			struct job_slot *slot = slots[i];
			size_t rows = (size_t)PQntuples(res);
			int64_t oldest;
			if (!reach_in(pf, slot) || slot->next_at_ms == 1)
				continue;
			if (admitted > 0) {   /* the first fresh ones were admitted */
				admitted--;
				continue;
			}
			oldest = rows == 0 ? clock_wall_ms()
			                   : strtoll(PQgetvalue(res, (int)(k < rows ? k : rows - 1), 0), NULL, 10);
			reach_hold(slot, oldest + REACH_WINDOW_MS + 1000, pf->id);
			k++;
		}
		PQclear(res);
		log_warn("dispatch.held", "portfolio %s: messaging limit %ld reached, %zu job(s) held",
		         pf->id, pf->tier, held);
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		if (reach_in(pf, slots[i]) && slots[i]->next_at_ms == 1)
			slots[i]->next_at_ms = 0;
	pgarr_free(&addrs, 1);
	pgarr_free(&admit, 1);
	return rc;
}

int reach_check(struct db *db, struct job_slot *const *slots, size_t n)
{
	struct reach_pf *pf;
	size_t npf;
	int rc = 0;

	if (reach_portfolios(db, slots, n, &pf, &npf) != 0)
		return -1;
	for (size_t p = 0; p < npf && rc == 0; p++) {
		if (db_begin(db) != 0) {
			rc = -1;
			break;
		}
		rc = reach_apply(db, &pf[p], slots, n);
		if (rc == 0)
			rc = db_commit(db);
		else
			db_rollback(db);
	}
	reach_pf_free(pf, npf);
	return rc;
}
