/* GET /console/api/me and POST /console/api/logout (console.h). */
#include "console/console.h"

#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "xmalloc.h"
#include "core/dbwork.h"
#include "core/ingest.h"
#include "core/reply.h"
#include "console/session.h"

struct logout_job {
	struct dbw_job job; /* first */
	struct evhttp_request *req;
	char token_sha256[SHA256_HEX_LEN + 1];
	long long staff_id;
	int rc;
};

/* alert_kind: where "Invia una prova a me" and approval alerts go (null: nowhere). */
json_t *console_me_json(const struct console_staff *st)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "name", st->key.name, "login", st->login,
	                 "role", st->key.role, "comune", st->key.comune_id, "csrf", st->csrf,
	                 "alert_kind", *st->alert_kind ? json_string(st->alert_kind) : json_null());
}

/* The person of the session, as the login answered it. */
void console_handle_me(struct ingest *ing, struct evhttp_request *req, const struct route_args *ra)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
	reply_json(req, 200, console_me_json(ra->staff));
}

/* Worker: the session row goes. */
static void logout_work(struct db *db, struct dbw_job *job)
{
	struct logout_job *lj = (struct logout_job *)job;
	const char *params[1] = { lj->token_sha256 };

	lj->rc = db_cmd(db, "DELETE FROM console_sessions WHERE token_sha256 = $1", 1, params);
}

/* Loop: 204 with the cookie cleared. */
static void logout_done(struct dbw_job *job)
{
	struct logout_job *lj = (struct logout_job *)job;
	char cookie[COOKIE_SET_MAX];

	if (job->aborted || lj->rc != 0) {
		reply_error(lj->req, 503, "database_unavailable",
		            "cannot log out right now; retry");
	} else {
		log_info("console.logout", "staff %lld logged out", lj->staff_id);
		cookie_set_value("", 0, cookie);
		evhttp_add_header(evhttp_request_get_output_headers(lj->req), "Set-Cookie", cookie);
		evhttp_send_reply(lj->req, 204, "No Content", NULL);
	}
	free(lj);
}

void console_handle_logout(struct ingest *ing, struct evhttp_request *req,
                           const struct route_args *ra)
{
	struct logout_job *lj = xcalloc(1, sizeof(*lj));

	lj->req = req;
	lj->staff_id = ra->staff->id;
	memcpy(lj->token_sha256, ra->staff->token_sha256, sizeof(lj->token_sha256));
	lj->job.work = logout_work;
	lj->job.done = logout_done;
	if (dbw_submit(ing->dbw, &lj->job) != 0) {
		reply_error(req, 503, "busy", "too many requests waiting for the database; retry");
		free(lj);
	}
}
