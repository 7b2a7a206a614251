/* The deferred lane in PostgreSQL; see backlog.h. */
#include "backlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "pgarr.h"
#include "provider.h"
#include "xmalloc.h"

/* true if slot is to be written to the backlog now. */
static bool backlog_writes(const struct job_slot *slot)
{
	return slot->defer && !slot->from_backlog && slot->job != NULL && slot->msg != NULL;
}

int backlog_defer(struct db *db, struct job_slot *const *slots, size_t n)
{
	static const char sql[] =
	    "INSERT INTO delivery_backlog (job_id, channel_id, src_partition, notice_id,"
	    "                              subscriber_id, purpose, urgent, first_seen_ms,"
	    "                              not_before, job)"
	    " SELECT u.j, u.c, u.sp, u.n, u.s, u.p, u.u, u.f,"
	    "        greatest(now(), to_timestamp(u.nb / 1000.0)), u.b"
	    "   FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::uuid[], $5::bigint[],"
	    "               $6::text[], $7::boolean[], $8::bigint[], $9::bigint[], $10::bytea[])"
	    "        AS u(j, c, sp, n, s, p, u, f, nb, b)"
	    " ON CONFLICT (job_id) DO NOTHING";
	struct pgarr col[10];
	PGresult *res;
	size_t rows = 0;

	memset(col, 0, sizeof(col));
	for (size_t i = 0; i < n; i++) {
		const struct job_slot *slot = slots[i];
		const Banditore__V1__DeliveryJob *job = slot->job;
		if (!backlog_writes(slot))
			continue;
		pgarr_add(&col[0], job->job_id);
		pgarr_add_int(&col[1], (long long)job->channel_id, 0);
		pgarr_add_int(&col[2], slot->src_partition, 0);
		pgarr_add(&col[3], slot_notice_uuid(slot));
		pgarr_add_int(&col[4], (long long)job->subscriber_id, job->subscriber_id <= 0);
		pgarr_add(&col[5], slot_purpose_name(slot));
		pgarr_add(&col[6], slot->urgent || job->urgent ? "t" : "f");
		pgarr_add_int(&col[7], (long long)slot->first_seen_ms, 0);
		pgarr_add_int(&col[8], (long long)slot->defer_until_ms, 0);
		pgarr_add_bytes(&col[9], slot->msg->payload, slot->msg->len);
		rows++;
	}
	if (rows == 0) {
		pgarr_free(col, 10);
		return 0;
	}
	res = pgarr_exec(db, sql, col, 10);
	if (res == NULL)
		return -1;
	PQclear(res);
	log_debug("dispatch.deferred", "%zu job(s) deferred", rows);
	return 0;
}

/* true if slot came from the backlog and is done with it. */
static bool backlog_done(const struct job_slot *slot)
{
	return slot->from_backlog && slot->state == SLOT_DONE && !slot->defer && slot->job != NULL;
}

int backlog_finish(struct db *db, struct job_slot *const *slots, size_t n)
{
	struct pgarr ids = { 0 };
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		if (backlog_done(slots[i]))
			pgarr_add(&ids, slots[i]->job->job_id);
	if (ids.count == 0) {
		pgarr_free(&ids, 1);
		return 0;
	}
	res = pgarr_exec(db, "DELETE FROM delivery_backlog WHERE job_id = ANY($1::text[])", &ids, 1);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* A slot for one backlog row (job_id, job, src_partition, first_seen_ms, urgent), or NULL. */
static struct job_slot *backlog_slot(PGresult *res, int r)
{
	size_t len = 0;
	unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, r, 1), &len);
	struct job_slot *slot;

	if (raw == NULL)
		return NULL;
	slot = slot_new(NULL);
	slot->job = banditore__v1__delivery_job__unpack(NULL, len, raw);
	PQfreemem(raw);
	if (slot->job == NULL || strcmp(slot->job->job_id, PQgetvalue(res, r, 0)) != 0) {
		log_error("dispatch.backlog_corrupt", "backlog row %s does not hold its job; left",
		          PQgetvalue(res, r, 0));
		slot_free(slot);
		return NULL;
	}
	slot->from_backlog = true;
	slot->src_partition = (int32_t)atoi(PQgetvalue(res, r, 2));
	slot->first_seen_ms = atoll(PQgetvalue(res, r, 3));
	slot->urgent = PQgetvalue(res, r, 4)[0] == 't';
	return slot;
}

int backlog_read(struct db *db, long long channel_id, long k, const char *const *except,
                 struct batch *out)
{
	static const char sql[] =
	    "SELECT b.job_id, b.job, b.src_partition, b.first_seen_ms, b.urgent"
	    "  FROM delivery_backlog b"
	    " WHERE b.channel_id = $1::bigint AND b.not_before <= now()"
	    "   AND b.job_id <> ALL($2::text[])"
	    "   AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.id = b.notice_id"
	    "                   AND n.status = 'paused')"
	    " ORDER BY b.urgent DESC, b.first_seen_ms, b.seq LIMIT $3::integer";
	struct pgarr ex = { 0 };
	char ch[24], lim[24];
	const char *params[3] = { ch, NULL, lim };
	PGresult *res;

	for (; except != NULL && *except != NULL; except++)
		pgarr_add(&ex, *except);
	snprintf(ch, sizeof(ch), "%lld", channel_id);
	snprintf(lim, sizeof(lim), "%ld", k);
	params[1] = pgarr_end(&ex);
	res = db_exec(db, sql, 3, params);
	pgarr_free(&ex, 1);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		struct job_slot *slot = backlog_slot(res, r);
		if (slot != NULL)
			batch_push(out, slot);
	}
	PQclear(res);
	return 0;
}

int backlog_census(struct db *db, const int32_t *parts, size_t nparts,
                   struct backlog_count **out, size_t *n)
{
	static const char sql[] =
	    "SELECT b.channel_id, c.sender_account, c.kind, min(b.src_partition),"
	    "       count(*) FILTER (WHERE b.not_before <= now()), count(*),"
	    "       coalesce((extract(epoch FROM min(b.not_before) FILTER"
	    "                 (WHERE b.not_before > now())) * 1000)::bigint, 0)"
	    "  FROM delivery_backlog b JOIN channels c ON c.id = b.channel_id"
	    " WHERE b.src_partition = ANY($1::integer[])"
	    " GROUP BY b.channel_id, c.sender_account, c.kind";
	struct pgarr col = { 0 };
	PGresult *res;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < nparts; i++)
		pgarr_add_int(&col, parts[i], 0);
	res = pgarr_exec(db, sql, &col, 1);
	if (res == NULL)
		return -1;
	*n = (size_t)PQntuples(res);
	*out = xcalloc(*n ? *n : 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct backlog_count *c = &(*out)[i];
		int r = (int)i;
		c->channel_id = atoll(PQgetvalue(res, r, 0));
		snprintf(c->account, sizeof(c->account), "%s", PQgetvalue(res, r, 1));
		c->prov = prov_by_name(PQgetvalue(res, r, 2));
		c->src_partition = (int32_t)atoi(PQgetvalue(res, r, 3));
		c->due = atol(PQgetvalue(res, r, 4));
		c->total = atol(PQgetvalue(res, r, 5));
		c->next_due_ms = atoll(PQgetvalue(res, r, 6));
	}
	PQclear(res);
	return 0;
}
