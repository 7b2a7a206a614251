/* The comuni a key or person acts for (comuni_read.h). */
#include "api/comuni_read.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>

#include "db.h"
#include "api/console_read.h"
#include "core/reply.h"

/* The same rule as the notices' scope (notice_store.c) and the alerts'. */
static const char SQL_COMUNI[] =
    "SELECT coalesce(json_agg(json_build_object('id', c.id, 'name', c.name, "
    "'own', c.id = k.comune_id) ORDER BY c.id <> k.comune_id, c.name, c.id), '[]') "
    "FROM api_keys k JOIN comuni c ON c.id = k.comune_id OR (k.role = 'consortium' "
    "AND (k.consortium_all OR c.id = ANY (k.consortium_comuni))) "
    "WHERE k.id = $1::bigint";

/* Worker: the list. */
static int comuni_work(struct db *db, struct console_read *cr)
{
	char keyid[24];
	const char *params[1] = { keyid };
	PGresult *res;

	snprintf(keyid, sizeof(keyid), "%lld", cr->key.id);
	res = db_read(db, SQL_COMUNI, 1, params);
	if (res == NULL)
		return -1;
	cr->out = json_pack("{s:o}", "comuni", json_loads(PQgetvalue(res, 0, 0), 0, NULL));
	PQclear(res);
	return cr->out != NULL ? 0 : -1;
}

void comuni_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	struct console_read *cr;
	struct evkeyvalq q;

	/* No parameters: the key's own comune is the one checked. */
	if (evhttp_parse_query_str("", &q) != 0) {
		reply_error(req, 400, "invalid_query", "malformed query string");
		return;
	}
	cr = console_read_new(ing, req, ra, &q, comuni_work, NULL, NULL);
	evhttp_clear_headers(&q);
	if (cr != NULL)
		console_read_queue(ing, cr);
}
