/*
 * SQL behind the editors' reads. PostgreSQL builds the JSON documents
 * (json_build_object) so that C only passes them on; times are ISO 8601
 * in UTC.
 */
#include "api/notice_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "workflow.h"
#include "api/cursor.h"
#include "api/timeline_step.h"
#include "core/directory.h"

/* A timestamptz column as "2026-11-23T10:00:00.000Z" (NULL stays NULL). */
#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* The caller's scope over notice n: its comune, or its consortium's
 * ($2 key comune, $3 key role, $4 key id). */
#define SCOPE                                                                          \
	"(n.comune_id = $2 OR ($3 = 'consortium' AND EXISTS (SELECT 1 FROM api_keys k "  \
	"WHERE k.id = $4::bigint AND (k.consortium_all "                                 \
	"OR n.comune_id = ANY (k.consortium_comuni)))))"

/* Four eyes: key k may not approve notice n's version (common/workflow.h). */
#define CONTRIBUTED(k) WF_CONTRIBUTED_SQL("n.id", k "::bigint", "n.version")

/* One notice as the API shows it (alias n) to the key of id k. */
#define NOTICE_JSON(k)                                                                 \
	"json_build_object('id', n.id, 'comune_id', n.comune_id, 'status', n.status, "   \
	"'title', n.title, 'body', n.body, 'urgent', n.urgent, 'topics', n.topics, "      \
	"'category', n.category, 'link', n.link, 'channels', n.channels, "                \
	"'group_id', n.group_id, 'version', n.version, 'author', n.author, "              \
	"'author_key_id', n.author_key_id, 'approver', n.approver, "                      \
	"'approver_key_id', n.approver_key_id, 'reject_reason', n.reject_reason, "        \
	"'recipients', n.recipients, 'created_at', " TS("n.created_at") ", "              \
	"'updated_at', " TS("n.updated_at") ", 'submitted_at', " TS("n.submitted_at") ", " \
	"'approved_at', " TS("n.approved_at") ", 'scheduled_at', " TS("n.scheduled_at") ", " \
	"'release_at', " TS("n.release_at") ", 'sent_at', " TS("n.sent_at") ", "          \
	"'cancelled_at', " TS("n.cancelled_at") ", 'you_contributed', " CONTRIBUTED(k) ")"

static const char SQL_STATE[] =
    "SELECT n.id, n.comune_id, n.status, coalesce(n.author_key_id, 0), n.urgent, "
    "n.version, c.allow_single_urgent, " SCOPE ", "
    "(SELECT count(*) FROM notice_events e WHERE e.notice_id = n.id AND e.action <> 'test_send'), "
    CONTRIBUTED("$4") " FROM notices n JOIN comuni c ON c.id = n.comune_id WHERE n.id = $1::uuid";

static const char SQL_READ[] =
    "SELECT " NOTICE_JSON("$4") "::jsonb || jsonb_build_object('history', "
    "coalesce((SELECT jsonb_agg(jsonb_build_object('action', e.action, 'actor', e.actor, "
    "'actor_key_id', e.actor_key_id, 'actor_kind', CASE WHEN e.actor_key_id IS NULL "
    "THEN 'system' WHEN EXISTS (SELECT 1 FROM staff st WHERE st.api_key_id = e.actor_key_id) "
    "THEN 'staff' ELSE 'api_key' END, 'at', " TS("e.at") ", 'detail', e.detail) "
    "ORDER BY e.at, e.id) FROM notice_events e WHERE e.notice_id = n.id), '[]'::jsonb)) "
    "FROM notices n WHERE n.id = $1::uuid AND " SCOPE;

/* $1 comune, $2 status or '', $3/$4 cursor (micros, id) or NULL, $5 limit,
 * $7 the caller's key id, $6 search words as ILIKE patterns (editor_search_parse): each must be in
 * the title or the body. No index serves them: the scan is bounded by the
 * comune (notices_list), whose notices number in the thousands at most. */
static const char SQL_LIST[] =
    "SELECT " NOTICE_JSON("$7") ", (extract(epoch FROM n.created_at) * 1000000)::bigint, n.id "
    "FROM notices n WHERE n.comune_id = $1 AND ($2 = '' OR n.status = $2) "
    "AND (n.title || ' ' || n.body) ILIKE ALL ($6::text[]) "
    "AND ($3::bigint IS NULL OR ((extract(epoch FROM n.created_at) * 1000000)::bigint, n.id) "
    "< ($3::bigint, $4::uuid)) "
    "ORDER BY n.created_at DESC, n.id DESC LIMIT $5::int";

/* Every recorded version of the notice's text, oldest first (migration
 * 0016), and the count of its events for read-your-writes. */
static const char SQL_VERSIONS[] =
    "SELECT json_build_object('versions', coalesce((SELECT json_agg(json_build_object("
    "'version', v.version, 'title', v.title, 'body', v.body, 'link', v.link, "
    "'topics', v.topics, 'channels', v.channels, 'category', v.category, "
    "'urgent', v.urgent, 'edited_by', v.edited_by, 'actor_key_id', v.actor_key_id, "
    "'at', " TS("v.created_at") ") ORDER BY v.version) "
    "FROM notice_versions v WHERE v.notice_id = n.id), '[]'::json)), "
    "(SELECT count(*) FROM notice_events e WHERE e.notice_id = n.id "
    "AND e.action <> 'test_send') "   /* the composer's only, as history_events */
    "FROM notices n WHERE n.id = $1::uuid AND " SCOPE;

/* Outcomes of the notice's jobs, in total and per channel, with the
 * estimated time to finish: notice_stats_json() (migration 0010). */
static const char SQL_STATS[] =
    "SELECT notice_stats_json(n.id) FROM notices n WHERE n.id = $1::uuid AND " SCOPE;

/* The ledger's span for the timeline: first and last change (Unix s) of
 * the notice's settled jobs, NULLs if none, and the comune's time zone. */
#define SETTLED "('sent', 'delivered', 'read', 'failed', 'dead')"
static const char SQL_SPAN[] =
    "SELECT floor(extract(epoch FROM min(d.updated_at)))::bigint, "
    "floor(extract(epoch FROM max(d.updated_at)))::bigint, c.time_zone "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id LEFT JOIN deliveries d "
    "ON d.notice_id = n.id AND d.purpose = 'notice' AND d.status IN " SETTLED " "
    "WHERE n.id = $1::uuid AND " SCOPE " GROUP BY n.id, c.time_zone";

/* Per interval of $2 seconds from $3 to $4 (Unix s): the jobs whose last
 * change fell in it, counted as notice_stats counts them (migration 0010). */
static const char SQL_BUCKETS[] =
    "SELECT coalesce(json_agg(json_build_object('at', " TS("g") ", "
    "'sent', coalesce(b.sent, 0), 'delivered', coalesce(b.delivered, 0), "
    "'read', coalesce(b.read, 0), 'failed', coalesce(b.failed, 0)) ORDER BY g), '[]') "
    "FROM generate_series(to_timestamp($3::bigint - $3::bigint % $2::int), "
    "to_timestamp($4::bigint), make_interval(secs => $2::int)) g "
    "LEFT JOIN (SELECT date_bin(make_interval(secs => $2::int), d.updated_at, "
    "'epoch'::timestamptz) AS t, "
    "count(*) FILTER (WHERE d.status IN ('sent', 'delivered', 'read')) AS sent, "
    "count(*) FILTER (WHERE d.status IN ('delivered', 'read')) AS delivered, "
    "count(*) FILTER (WHERE d.status = 'read') AS read, "
    "count(*) FILTER (WHERE d.status IN ('failed', 'dead')) AS failed "
    "FROM deliveries d WHERE d.notice_id = $1::uuid AND d.purpose = 'notice' "
    "AND d.status IN " SETTLED " GROUP BY 1) b ON b.t = g";

static const char SQL_COMUNE_SCOPE[] =
    "SELECT " SCOPE " FROM (SELECT $1::text AS comune_id) n "
    "WHERE EXISTS (SELECT 1 FROM comuni c WHERE c.id = $1)";

/* Runs a query with the notice id and the caller's scope parameters. */
static PGresult *scoped(struct db *db, const char *sql, const char *id,
                        const struct dir_api_key *key, char keyid[24])
{
	const char *params[4] = { id, key->comune_id, key->role, keyid };

	snprintf(keyid, 24, "%lld", key->id);
	return db_read(db, sql, 4, params);
}

int ns_state_load(struct db *db, const char *id, const struct dir_api_key *key,
                  struct notice_state *ns)
{
	char keyid[24];
	PGresult *res = scoped(db, SQL_STATE, id, key, keyid);

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return NOTICE_ABSENT;
	}
	memset(ns, 0, sizeof(*ns));
	snprintf(ns->id, sizeof(ns->id), "%s", PQgetvalue(res, 0, 0));
	snprintf(ns->comune_id, sizeof(ns->comune_id), "%s", PQgetvalue(res, 0, 1));
	snprintf(ns->status, sizeof(ns->status), "%s", PQgetvalue(res, 0, 2));
	ns->author_key_id = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	ns->urgent = PQgetvalue(res, 0, 4)[0] == 't';
	ns->version = atoi(PQgetvalue(res, 0, 5));
	ns->allow_single_urgent = PQgetvalue(res, 0, 6)[0] == 't';
	ns->in_scope = PQgetvalue(res, 0, 7)[0] == 't';
	ns->events = atoi(PQgetvalue(res, 0, 8));
	ns->contributor = PQgetvalue(res, 0, 9)[0] == 't';
	PQclear(res);
	return 0;
}

/* The single JSON column of a one-row result, or NOTICE_ABSENT. */
static int one_json(PGresult *res, json_t **out)
{
	json_error_t jerr;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return NOTICE_ABSENT;
	}
	*out = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
	PQclear(res);
	if (*out == NULL) {
		log_error("notice_store.json", "PostgreSQL's JSON did not parse: %s", jerr.text);
		return -1;
	}
	return 0;
}

int ns_read(struct db *db, const char *id, const struct dir_api_key *key, json_t **out)
{
	char keyid[24];

	return one_json(scoped(db, SQL_READ, id, key, keyid), out);
}

int ns_versions(struct db *db, const char *id, const struct dir_api_key *key, json_t **out,
                int *events)
{
	char keyid[24];
	PGresult *res = scoped(db, SQL_VERSIONS, id, key, keyid);

	*events = res != NULL && PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 1)) : 0;
	return one_json(res, out);
}

int ns_stats(struct db *db, const char *id, const struct dir_api_key *key, json_t **out)
{
	char keyid[24];

	return one_json(scoped(db, SQL_STATS, id, key, keyid), out);
}

/* The buckets between lo and hi (Unix s) of step seconds into out. */
static int timeline_buckets(struct db *db, const char *id, long long lo, long long hi,
                            long step, json_t *out)
{
	char s_step[24], s_lo[24], s_hi[24];
	const char *params[4] = { id, s_step, s_lo, s_hi };
	json_t *buckets = NULL;
	int rc;

	snprintf(s_step, sizeof(s_step), "%ld", step);
	snprintf(s_lo, sizeof(s_lo), "%lld", lo);
	snprintf(s_hi, sizeof(s_hi), "%lld", hi);
	rc = one_json(db_read(db, SQL_BUCKETS, 4, params), &buckets);
	if (rc == 0)
		json_object_set_new(out, "buckets", buckets);
	return rc == 0 ? 0 : -1;
}

int ns_timeline(struct db *db, const char *id, const struct dir_api_key *key, long asked,
                json_t **out)
{
	char keyid[24];
	PGresult *res = scoped(db, SQL_SPAN, id, key, keyid);
	long long lo, hi;
	long step;
	bool empty;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return NOTICE_ABSENT;
	}
	empty = PQgetisnull(res, 0, 0);
	lo = empty ? 0 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	hi = empty ? 0 : strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	step = timeline_step(hi - lo, asked);
	*out = json_pack("{s:s, s:I, s:s, s:[]}", "id", id, "step_s", (json_int_t)step,
	                 "time_zone", PQgetvalue(res, 0, 2), "buckets");
	PQclear(res);
	return empty ? 0 : timeline_buckets(db, id, lo, hi, step, *out);
}

int ns_list(struct db *db, const struct ns_page *pg, long long key_id, json_t **out)
{
	struct cursor cur = { 0 };
	char micros[24], lim[16], next[CURSOR_MAX], keyid[24];
	const char *params[7] = { pg->comune, pg->status, NULL, NULL, lim, pg->words, keyid };
	const char *cursor = pg->cursor;
	int limit = pg->limit;
	json_t *list;
	PGresult *res;
	int n;

	if (*cursor != '\0' && cursor_parse(cursor, &cur)) {
		snprintf(micros, sizeof(micros), "%lld", cur.micros);
		params[2] = micros;
		params[3] = cur.id;
	}
	snprintf(lim, sizeof(lim), "%d", limit + 1);   /* one more: is there a next page? */
	snprintf(keyid, sizeof(keyid), "%lld", key_id);
	res = db_read(db, SQL_LIST, 7, params);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	list = json_array();
	for (int r = 0; r < n && r < limit; r++) {
		json_t *item = json_loads(PQgetvalue(res, r, 0), 0, NULL);
		if (item != NULL)
			json_array_append_new(list, item);
		cur.micros = strtoll(PQgetvalue(res, r, 1), NULL, 10);
		snprintf(cur.id, sizeof(cur.id), "%s", PQgetvalue(res, r, 2));
	}
	cursor_format(&cur, next);
	*out = json_pack("{s:o, s:o}", "notices", list, "next_cursor",
	                 n > limit ? json_string(next) : json_null());
	PQclear(res);
	return 0;
}

int ns_comune_in_scope(struct db *db, const char *comune, const struct dir_api_key *key,
                       bool *in_scope)
{
	char keyid[24];
	const char *params[4] = { comune, key->comune_id, key->role, keyid };
	PGresult *res;

	snprintf(keyid, sizeof(keyid), "%lld", key->id);
	res = db_read(db, SQL_COMUNE_SCOPE, 4, params);
	if (res == NULL)
		return -1;
	*in_scope = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}
