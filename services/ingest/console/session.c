/* Console sessions: lookup and the routes they authenticate (session.h). */
#include "console/session.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "http.h"
#include "log.h"
#include "xmalloc.h"
#include "core/dbwork.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/reply.h"

struct console_cfg console_cfg;

struct session_job {
	struct dbw_job job; /* first */
	struct ingest *ing;
	struct evhttp_request *req;
	const struct route *route;
	struct route_args args;
	char *rest; /* args.rest, copied: the path is gone by then */
	char token[TOKEN_LEN + 1];
	int rc;
	struct console_staff staff;
};

bool session_cookie(struct evhttp_request *req, char token[TOKEN_LEN + 1])
{
	return cookie_find(http_header(req, "Cookie"), COOKIE_NAME, token);
}

/* The session, if live, renewed; the person with their identity row. */
static const char SQL_LOAD[] =
    "UPDATE console_sessions s SET last_seen = now() FROM staff st "
    "WHERE s.token_sha256 = $1 AND st.id = s.staff_id AND NOT st.disabled "
    "AND s.expires_at > now() AND s.last_seen > now() - make_interval(secs => $2::int) "
    "RETURNING st.id, st.api_key_id, st.comune_id, st.login, st.name, st.role, s.csrf, "
    "greatest(0, floor(extract(epoch FROM s.expires_at - now())))::bigint, "
    "coalesce(st.alert_kind, '')";

int session_load(struct db *db, const char *token, struct console_staff *out)
{
	char idle[24];
	const char *params[2] = { out->token_sha256, idle };
	struct dir_api_key *key = &out->key;
	PGresult *res;

	sha256_hex(token, strlen(token), out->token_sha256);
	snprintf(idle, sizeof(idle), "%ld", console_cfg.idle_s);
	res = db_read(db, SQL_LOAD, 2, params);   /* a read: safe to run again */
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 0;
	}
	out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	key->id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	snprintf(key->comune_id, sizeof(key->comune_id), "%s", PQgetvalue(res, 0, 2));
	snprintf(out->login, sizeof(out->login), "%s", PQgetvalue(res, 0, 3));
	snprintf(key->name, sizeof(key->name), "%s", PQgetvalue(res, 0, 4));
	snprintf(key->role, sizeof(key->role), "%s", PQgetvalue(res, 0, 5));
	snprintf(out->csrf, sizeof(out->csrf), "%s", PQgetvalue(res, 0, 6));
	out->expires_in = strtol(PQgetvalue(res, 0, 7), NULL, 10);
	snprintf(out->alert_kind, sizeof(out->alert_kind), "%s", PQgetvalue(res, 0, 8));
	key->key_sha256[0] = '\0';
	key->staff = true;
	PQclear(res);
	return 1;
}

void session_reply_unauthorized(struct evhttp_request *req)
{
	metric_add(&im_unauthorized, 1);
	reply_json(req, 401,
	           json_pack("{s:s, s:s}", "error", "unauthorized", "message",
	                     "log in first (the session is missing or has ended)"));
}

/* Worker: the session. */
static void session_work(struct db *db, struct dbw_job *job)
{
	struct session_job *sj = (struct session_job *)job;

	sj->rc = session_load(db, sj->token, &sj->staff);
}

/* true if the request may change things: a GET or HEAD, or the right
 * X-CSRF-Token. */
static bool session_csrf_ok(struct evhttp_request *req, const struct console_staff *staff)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);

	if (m == EVHTTP_REQ_GET || m == EVHTTP_REQ_HEAD)
		return true;
	return token_equal(http_header(req, "X-CSRF-Token"), staff->csrf);
}

/* Loop: the route runs, or the request is refused. */
static void session_done(struct dbw_job *job)
{
	struct session_job *sj = (struct session_job *)job;

	if (job->aborted || sj->rc < 0) {
		reply_error(sj->req, 503, "database_unavailable",
		            "the session cannot be checked right now; retry later");
	} else if (sj->rc == 0) {
		session_reply_unauthorized(sj->req);
	} else if (!session_csrf_ok(sj->req, &sj->staff)) {
		log_warn("console.csrf", "staff %lld of %s: change without the CSRF token",
		         sj->staff.id, sj->staff.key.comune_id);
		reply_json(
		    sj->req, 403,
		    json_pack("{s:s, s:s}", "error", "csrf", "message",
		              "a change needs the header X-CSRF-Token with the session's token"));
	} else {
		sj->args.key = &sj->staff.key;
		sj->args.staff = &sj->staff;
		sj->route->handler(sj->ing, sj->req, &sj->args);
	}
	explicit_bzero(sj->token, sizeof(sj->token));
	free(sj->rest);
	free(sj);
}

void session_route(struct ingest *ing, struct evhttp_request *req, const struct route *route,
                   const struct route_args *args, const char *token)
{
	struct session_job *sj = xcalloc(1, sizeof(*sj));

	sj->ing = ing;
	sj->req = req;
	sj->route = route;
	sj->args = *args;
	if (args->rest != NULL) {
		sj->rest = xstrdup(args->rest);
		sj->args.rest = sj->rest;
	}
	snprintf(sj->token, sizeof(sj->token), "%s", token);
	sj->job.work = session_work;
	sj->job.done = session_done;
	if (dbw_submit(ing->dbw, &sj->job) != 0) {
		reply_error(req, 503, "busy",
		            "too many requests waiting for the database; "
		            "retry later");
		free(sj->rest);
		free(sj);
	}
}
