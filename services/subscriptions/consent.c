/* Consent ledger access. */
#include "consent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

int consent_status(struct db *db, long long channel_id, const char *address, char status[12])
{
	char chan[24];
	const char *params[2] = { chan, address };
	PGresult *res;

	snprintf(chan, sizeof(chan), "%lld", channel_id);
	res = db_exec(db, "SELECT status FROM subscribers WHERE channel_id = $1::bigint "
	                  "AND address = $2", 2, params);
	if (res == NULL)
		return -1;
	snprintf(status, 12, "%s", PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return 0;
}

/* PostgreSQL array literal of simple slugs: {a,b}. Caller frees. */
static char *slug_array(char **topics, size_t n)
{
	size_t cap = 3;
	for (size_t i = 0; i < n; i++)
		cap += strlen(topics[i]) + 1;
	char *out = xmalloc(cap), *w = out;
	*w++ = '{';
	for (size_t i = 0; i < n; i++)
		w += sprintf(w, "%s%s", i ? "," : "", topics[i]);
	*w++ = '}';
	*w = '\0';
	return out;
}

int consent_record(struct db *db, long long channel_id, const char *address,
                   const char *action, const char *source, const char *evidence,
                   bool set_topics, char **topics, size_t ntopics,
                   struct consent_result *out)
{
	char chan[24], *arr = set_topics ? slug_array(topics, ntopics) : NULL;
	const char *params[6] = { chan, address, action, source, evidence, arr };
	PGresult *res;

	snprintf(chan, sizeof(chan), "%lld", channel_id);
	res = db_exec(db, "SELECT subscriber_id, changed, replayed, coalesce(prev_status, '') "
	                  "FROM consent_apply($1::bigint, $2, $3, $4, $5, $6::text[])", 6, params);
	free(arr);
	if (res == NULL)
		return -1;
	out->subscriber_id = PQgetisnull(res, 0, 0) ? 0 : atoll(PQgetvalue(res, 0, 0));
	out->changed = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	out->replayed = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	snprintf(out->prev_status, sizeof(out->prev_status), "%s", PQgetvalue(res, 0, 3));
	PQclear(res);
	return 0;
}

int consent_subscriber(struct db *db, long long subscriber_id, long long *channel_id,
                       char *address, size_t addrlen)
{
	char id[24];
	const char *params[1] = { id };
	PGresult *res;

	snprintf(id, sizeof(id), "%lld", subscriber_id);
	res = db_exec(db, "SELECT channel_id, address FROM subscribers WHERE id = $1::bigint",
	              1, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 1;
	}
	*channel_id = atoll(PQgetvalue(res, 0, 0));
	snprintf(address, addrlen, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}
