/* Subscriber counts and growth for the console (subscriber_stats.h). */
#include "api/subscriber_stats.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "xmalloc.h"
#include "api/console_params.h"
#include "api/console_read.h"
#include "api/editor_api.h"
#include "core/reply.h"

static const char SQL_KINDS[] =
    "SELECT ch.kind, count(s.id) FROM channels ch LEFT JOIN subscribers s "
    "ON s.channel_id = ch.id AND s.status = 'active' WHERE ch.comune_id = $1 "
    "GROUP BY ch.kind ORDER BY ch.kind";

/* Per topic: who chose it, and who gets it (chose it, or chose none). */
static const char SQL_TOPICS[] =
    "SELECT t.slug, t.name, count(s.id) FILTER (WHERE t.slug = ANY (s.topics)), count(s.id) "
    "FROM topics t LEFT JOIN (subscribers s JOIN channels ch ON ch.id = s.channel_id "
    "AND ch.comune_id = $1) ON s.status = 'active' "
    "AND (cardinality(s.topics) = 0 OR t.slug = ANY (s.topics)) "
    "WHERE t.comune_id = $1 GROUP BY t.slug, t.name ORDER BY t.slug";

static const char SQL_NO_CHOICE[] =
    "SELECT count(*) FROM subscribers s JOIN channels ch ON ch.id = s.channel_id "
    "WHERE ch.comune_id = $1 AND s.status = 'active' AND cardinality(s.topics) = 0";

/* A join: a subscriber became active; a leave: an active one stopped being. */
static const char SQL_DAYS[] =
    "WITH c AS (SELECT time_zone AS tz FROM comuni WHERE id = $1), "
    "d AS (SELECT g::date AS day, c.tz FROM c, generate_series("
    "(now() AT TIME ZONE c.tz)::date - ($2::int - 1), (now() AT TIME ZONE c.tz)::date, "
    "interval '1 day') g), "
    "e AS (SELECT (ce.at AT TIME ZONE c.tz)::date AS day, "
    "count(*) FILTER (WHERE ce.action IN ('subscribe', 'confirm') "
    "AND ce.prev_status IS DISTINCT FROM 'active') AS joins, "
    "count(*) FILTER (WHERE ce.action IN ('unsubscribe', 'revoke', 'erase') "
    "AND ce.prev_status = 'active') AS leaves "
    "FROM c, consent_events ce JOIN channels ch ON ch.id = ce.channel_id "
    "WHERE ch.comune_id = $1 AND ce.changed "
    "AND ce.at >= ((SELECT min(day) FROM d)::timestamp AT TIME ZONE c.tz) GROUP BY 1) "
    "SELECT d.day::text, coalesce(e.joins, 0), coalesce(e.leaves, 0), d.tz "
    "FROM d LEFT JOIN e USING (day) ORDER BY d.day";

/* {"whatsapp": N, "telegram": M, "total"}: active subscribers per kind. */
static int stats_kinds(struct db *db, const char *comune, json_t *out)
{
	const char *params[1] = { comune };
	PGresult *res = db_read(db, SQL_KINDS, 1, params);
	json_t *kinds = json_pack("{s:i, s:i}", "whatsapp", 0, "telegram", 0);
	long long total = 0;

	json_object_set_new(out, "active", kinds);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object_set_new(kinds, PQgetvalue(res, i, 0),
		                    json_integer(atoll(PQgetvalue(res, i, 1))));
		total += atoll(PQgetvalue(res, i, 1));
	}
	json_object_set_new(kinds, "total", json_integer(total));
	PQclear(res);
	return 0;
}

/* "topics": [{"slug","name","chosen","reached"}], "no_topic_choice": N. */
static int stats_topics(struct db *db, const char *comune, json_t *out)
{
	const char *params[1] = { comune };
	PGresult *res = db_read(db, SQL_TOPICS, 1, params);
	json_t *topics = json_array();

	json_object_set_new(out, "topics", topics);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(
		    topics, json_pack("{s:s, s:s, s:I, s:I}", "slug", PQgetvalue(res, i, 0), "name",
		                      PQgetvalue(res, i, 1), "chosen",
		                      (json_int_t)atoll(PQgetvalue(res, i, 2)), "reached",
		                      (json_int_t)atoll(PQgetvalue(res, i, 3))));
	PQclear(res);
	res = db_read(db, SQL_NO_CHOICE, 1, params);
	if (res == NULL)
		return -1;
	json_object_set_new(out, "no_topic_choice", json_integer(atoll(PQgetvalue(res, 0, 0))));
	PQclear(res);
	return 0;
}

/* "days": [{"date","joins","leaves"}] oldest first, their sums, the zone. */
static int stats_days(struct db *db, const char *comune, int days, json_t *out)
{
	char n[16];
	const char *params[2] = { comune, n };
	json_t *list = json_array();
	long long joins = 0, leaves = 0;
	PGresult *res;

	snprintf(n, sizeof(n), "%d", days);
	json_object_set_new(out, "days", list);
	res = db_read(db, SQL_DAYS, 2, params);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		long long j = atoll(PQgetvalue(res, i, 1)), l = atoll(PQgetvalue(res, i, 2));
		json_array_append_new(list,
		                      json_pack("{s:s, s:I, s:I}", "date", PQgetvalue(res, i, 0),
		                                "joins", (json_int_t)j, "leaves", (json_int_t)l));
		joins += j;
		leaves += l;
	}
	if (PQntuples(res) > 0)
		json_object_set_new(out, "time_zone", json_string(PQgetvalue(res, 0, 3)));
	json_object_set_new(out, "joins", json_integer(joins));
	json_object_set_new(out, "leaves", json_integer(leaves));
	PQclear(res);
	return 0;
}

/* Worker: the three parts. */
static int substats_work(struct db *db, struct console_read *cr)
{
	int days = *(int *)cr->arg;

	cr->out = json_pack("{s:s, s:i}", "comune", cr->comune, "period_days", days);
	if (stats_kinds(db, cr->comune, cr->out) != 0 ||
	    stats_topics(db, cr->comune, cr->out) != 0 ||
	    stats_days(db, cr->comune, days, cr->out) != 0)
		return -1;
	return 0;
}

void substats_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	int *days = xmalloc(sizeof(*days));
	struct console_read *cr = NULL;
	struct editor_error err;
	struct evkeyvalq q;

	if (evhttp_parse_query_str(query != NULL ? query : "", &q) != 0) {
		reply_error(req, 400, "invalid_query", "malformed query string");
		free(days);
		return;
	}
	if (console_days_parse(evhttp_find_header(&q, "days"), days, &err) != 0) {
		editor_reply_invalid(req, &err);
		free(days);
	} else {
		cr = console_read_new(ing, req, ra, &q, substats_work, days, NULL);
	}
	evhttp_clear_headers(&q);
	if (cr != NULL)
		console_read_queue(ing, cr);
}
