/* Replays of quarantined records in PostgreSQL; see qdb.h. */
#include "qdb.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* Prints why a statement on quarantine_replays failed; -1. */
static int qdb_fail(struct db *db, const char *what)
{
	const char *e = db_error(db);

	ctl_fail("quarantine_replays: cannot %s: %s%s", what, e[0] ? e : "PostgreSQL did not answer",
	         strstr(e, "42P01") != NULL ? " (run banditorectl migrate)" : "");
	return -1;
}

int qdb_mark(struct db *db, struct qrec_set *s, const char *qtopic)
{
	const char *params[1] = { qtopic };
	PGresult *res = db_read(db,
	    "SELECT q_partition, q_offset, (extract(epoch FROM replayed_at) * 1000)::bigint,"
	    " replays, replayed_by FROM quarantine_replays WHERE topic = $1", 1, params);

	if (res == NULL)
		return qdb_fail(db, "read the replays");
	for (int i = 0; i < PQntuples(res); i++) {
		struct qrec *r = qrec_find(s, (int32_t)atol(PQgetvalue(res, i, 0)),
		                           (int64_t)strtoll(PQgetvalue(res, i, 1), NULL, 10));
		if (r == NULL)
			continue;   /* no longer in the topic (its retention ended) */
		r->replayed_ms = strtoll(PQgetvalue(res, i, 2), NULL, 10);
		r->replays = atoi(PQgetvalue(res, i, 3));
		snprintf(r->replayed_by, sizeof(r->replayed_by), "%s", PQgetvalue(res, i, 4));
	}
	PQclear(res);
	return 0;
}

int qdb_record(struct db *db, const char *qtopic, const struct qrec *r, const char *by, bool again)
{
	char part[16], off[24];
	const char *params[5] = { qtopic, part, off, r->src_topic, by };
	PGresult *res;
	int n;

	snprintf(part, sizeof(part), "%" PRId32, r->partition);
	snprintf(off, sizeof(off), "%" PRId64, r->offset);
	res = db_exec(db, again
	    ? "INSERT INTO quarantine_replays (topic, q_partition, q_offset, source_topic, replayed_by)"
	      " VALUES ($1, $2::integer, $3::bigint, $4, $5)"
	      " ON CONFLICT (topic, q_partition, q_offset) DO UPDATE SET replayed_at = now(),"
	      "  replays = quarantine_replays.replays + 1, source_topic = EXCLUDED.source_topic,"
	      "  replayed_by = EXCLUDED.replayed_by RETURNING 1"
	    : "INSERT INTO quarantine_replays (topic, q_partition, q_offset, source_topic, replayed_by)"
	      " VALUES ($1, $2::integer, $3::bigint, $4, $5) ON CONFLICT DO NOTHING RETURNING 1",
	    5, params);
	if (res == NULL)
		return qdb_fail(db, "record a replay");
	n = PQntuples(res);
	PQclear(res);
	return n > 0;
}
