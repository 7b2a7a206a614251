/* The audience, cost and quiet hours of a targeting (audience_read.h). */
#include "api/audience_read.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audience.h"
#include "clock.h"
#include "db.h"
#include "pgarr.h"
#include "quiet.h"
#include "tzone.h"
#include "xmalloc.h"
#include "api/console_params.h"
#include "api/console_read.h"
#include "api/editor_api.h"
#include "api/quiet_view.h"
#include "core/reply.h"

struct audience_args {
	struct pgarr arr[2]; /* $1 topics ("{}" = none), $2 channel targets ("{}" = all) */
	long long at_ms;
};

/* Frees the arguments (console_read's arg_free). */
static void audience_args_free(void *arg)
{
	struct audience_args *a = arg;

	pgarr_free(a->arr, 2);
	free(a);
}

/* Active subscribers reached per kind: the fan-out's channels and rule. */
/* clang-format off */
static const char SQL_COUNTS[] =
    "SELECT ch.kind, sum((SELECT count(*) FROM subscribers WHERE channel_id = ch.id "
    "AND " AUDIENCE_SUBSCRIBER("$1") ")) "
    "FROM channels ch WHERE ch.comune_id = $3 AND " AUDIENCE_CHANNEL " "
    "AND ($2::text[] = '{}' OR ch.kind = ANY ($2::text[])) GROUP BY ch.kind";
/* clang-format on */

static const char SQL_COMUNE[] =
    "SELECT wa_price_eur::float8, quiet_start::text, quiet_end::text, time_zone "
    "FROM comuni WHERE id = $1";

json_t *audience_cost(long long wa_count, double price_eur)
{
	return json_pack("{s:s, s:f, s:f}", "currency", "EUR", "per_message", price_eur, "estimate",
	                 round((double)wa_count * price_eur * 10000) / 10000);
}

/* Adds the counts per kind of res to out (0 for kinds not there) and the total. */
static long long audience_counts(PGresult *res, json_t *out)
{
	long long total = 0, wa = 0;

	json_object_set_new(out, "whatsapp", json_integer(0));
	json_object_set_new(out, "telegram", json_integer(0));
	for (int i = 0; i < PQntuples(res); i++) {
		long long n = atoll(PQgetvalue(res, i, 1));
		json_object_set_new(out, PQgetvalue(res, i, 0), json_integer(n));
		total += n;
		if (strcmp(PQgetvalue(res, i, 0), "whatsapp") == 0)
			wa = n;
	}
	json_object_set_new(out, "total", json_integer(total));
	return wa;
}

/* Worker: the counts, then the comune's price and quiet hours. */
static int audience_work(struct db *db, struct console_read *cr)
{
	struct audience_args *a = cr->arg;
	const char *tail[1] = { cr->comune }, *params[1] = { cr->comune };
	PGresult *res = pgarr_exec_with(db, SQL_COUNTS, a->arr, 2, tail, 1);
	struct tzone *z;
	long long wa;

	if (res == NULL)
		return -1;
	cr->out = json_object();
	wa = audience_counts(res, cr->out);
	PQclear(res);
	res = db_read(db, SQL_COMUNE, 1, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return CONSOLE_ABSENT;
	}
	json_object_set_new(cr->out, "cost", audience_cost(wa, atof(PQgetvalue(res, 0, 0))));
	z = quiet_zone(PQgetvalue(res, 0, 3));
	json_object_set_new(cr->out, "quiet_hours",
	                    quiet_view(PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
	                               PQgetvalue(res, 0, 3), z, a->at_ms));
	tzone_free(z);
	PQclear(res);
	return 0;
}

void audience_handle(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct audience_args *a = xcalloc(1, sizeof(*a));
	struct console_read *cr = NULL;
	struct editor_error err;
	struct evkeyvalq q;

	if (evhttp_parse_query_str(query != NULL ? query : "", &q) != 0) {
		reply_error(req, 400, "invalid_query", "malformed query string");
		free(a);
		return;
	}
	if (console_topics_parse(evhttp_find_header(&q, "topics"), &a->arr[0], &err) != 0 ||
	    console_channels_parse(evhttp_find_header(&q, "channels"), &a->arr[1], &err) != 0 ||
	    console_at_parse(evhttp_find_header(&q, "at"), clock_wall_ms(), &a->at_ms, &err) != 0) {
		editor_reply_invalid(req, &err);
		audience_args_free(a);
	} else {
		cr = console_read_new(ing, req, ra, &q, audience_work, a, audience_args_free);
	}
	evhttp_clear_headers(&q);
	if (cr != NULL)
		console_read_queue(ing, cr);
}
