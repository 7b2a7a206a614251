/* Consent ledger access. */
#include "consent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

int consent_record(struct db *db, long long channel_id, const char *address,
                   const char *action, const char *source, const char *evidence,
                   struct consent_result *out)
{
	char chan[24];
	const char *params[5] = { chan, address, action, source, evidence };
	PGresult *res;

	snprintf(chan, sizeof(chan), "%lld", channel_id);
	res = db_exec(db, "SELECT subscriber_id, changed, replayed "
	                  "FROM consent_apply($1::bigint, $2, $3, $4, $5)", 5, params);
	if (res == NULL)
		return -1;
	out->subscriber_id = PQgetisnull(res, 0, 0) ? 0 : atoll(PQgetvalue(res, 0, 0));
	out->changed = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	out->replayed = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	PQclear(res);
	return 0;
}

int consent_channel_texts(struct db *db, long long channel_id, struct channel_texts *out)
{
	char chan[24];
	const char *params[1] = { chan };
	PGresult *res;

	snprintf(chan, sizeof(chan), "%lld", channel_id);
	res = db_exec(db, "SELECT comune_id, sender_account, welcome_text, goodbye_text "
	                  "FROM channels WHERE id = $1::bigint", 1, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return 1;
	}
	out->comune_id = xstrdup(PQgetvalue(res, 0, 0));
	out->sender_account = xstrdup(PQgetvalue(res, 0, 1));
	out->welcome = xstrdup(PQgetvalue(res, 0, 2));
	out->goodbye = xstrdup(PQgetvalue(res, 0, 3));
	PQclear(res);
	return 0;
}

void consent_channel_texts_free(struct channel_texts *t)
{
	free(t->comune_id);
	free(t->sender_account);
	free(t->welcome);
	free(t->goodbye);
	memset(t, 0, sizeof(*t));
}
