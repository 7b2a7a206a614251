/* The comune's settings and topics: the jobs they share (comune_job.h). */
#include "api/comune_job.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "utf8.h"
#include "xmalloc.h"
#include "api/notice_store.h"
#include "core/ingest.h"
#include "core/reply.h"

/* Worker: the scope check, then the request's own work. */
static void cj_work(struct db *db, struct dbw_job *job)
{
	struct comune_job *cj = (struct comune_job *)job;
	bool in_scope = false;

	cj->rc = ns_comune_in_scope(db, cj->comune, &cj->key, &in_scope);
	if (cj->rc == 0 && !in_scope) {
		char msg[128];
		snprintf(msg, sizeof(msg), "no comune %s", cj->comune);
		cj->rc = comune_job_fail(cj, 404, "not_found", "comune", msg);
	}
	if (cj->rc == 0 && cj->status == 0)
		cj->rc = cj->work(db, cj);
}

/* Frees cj and what it holds. */
static void cj_free(struct comune_job *cj)
{
	json_decref(cj->out);
	if (cj->arg_free != NULL)
		cj->arg_free(cj->arg);
	else
		free(cj->arg);
	free(cj);
}

/* Loop: the answer. */
static void cj_done(struct dbw_job *job)
{
	struct comune_job *cj = (struct comune_job *)job;

	if (job->aborted || cj->rc < 0) {
		reply_error(cj->req, 503, "database_unavailable",
		            "the database cannot answer right now; retry later");
	} else if (cj->out == NULL) {
		evhttp_send_reply(cj->req, cj->status, "No Content", NULL);
	} else {
		reply_json(cj->req, cj->status, cj->out);
		cj->out = NULL;
	}
	/* The values stay in comune_changes: the log says how many, and by whom. */
	if (!job->aborted && cj->rc == 0 && cj->status < 300 && cj->changes > 0)
		log_info("comune.change", "comune %s: %d change(s) by %s %lld", cj->comune,
		         cj->changes, cj->actor_kind, cj->key.id);
	cj_free(cj);
}

/* The comune ?comune= names, else the key's own, into out; false if bad. */
static bool cj_comune(struct evhttp_request *req, const struct route_args *ra, char out[DIR_ID_MAX])
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	const char *comune = NULL;
	struct evkeyvalq q;
	bool ok;

	if (evhttp_parse_query_str(query != NULL ? query : "", &q) != 0)
		return false;
	comune = evhttp_find_header(&q, "comune");
	if (comune == NULL)
		comune = ra->key->comune_id;
	ok = strlen(comune) < DIR_ID_MAX && utf8_valid_str(comune) && comune[0] != '\0';
	if (ok)
		snprintf(out, DIR_ID_MAX, "%s", comune);
	evhttp_clear_headers(&q);
	return ok;
}

bool comune_job_allowed(struct evhttp_request *req, const struct route_args *ra, bool change)
{
	if (!change || strcmp(ra->key->role, "approver") == 0 ||
	    strcmp(ra->key->role, "consortium") == 0)
		return true;
	reply_error(req, 403, "forbidden",
	            "only an approver changes the comune's settings and topics");
	return false;
}

struct comune_job *comune_job_new(struct evhttp_request *req, const struct route_args *ra,
                                  bool change, comune_work_fn work, void *arg,
                                  void (*arg_free)(void *arg))
{
	struct comune_job *cj;
	char comune[DIR_ID_MAX];
	bool ok = comune_job_allowed(req, ra, change);

	if (ok && !cj_comune(req, ra, comune)) {
		reply_json(req, 400,
		           json_pack("{s:s, s:s, s:s}", "error", "invalid", "field", "comune",
		                     "message", "comune must be a comune id (at most 63 bytes)"));
		ok = false;
	}
	if (!ok) {
		if (arg_free != NULL)
			arg_free(arg);
		else
			free(arg);
		return NULL;
	}
	cj = xcalloc(1, sizeof(*cj));
	cj->req = req;
	cj->key = *ra->key;
	snprintf(cj->comune, sizeof(cj->comune), "%s", comune);
	snprintf(cj->actor_kind, sizeof(cj->actor_kind), "%s",
	         ra->key->staff ? "staff" : "api_key");
	cj->work = work;
	cj->arg = arg;
	cj->arg_free = arg_free;
	return cj;
}

void comune_job_queue(struct ingest *ing, struct comune_job *cj)
{
	cj->job.work = cj_work;
	cj->job.done = cj_done;
	if (dbw_submit(ing->dbw, &cj->job) != 0) {
		reply_error(cj->req, 503, "busy",
		            "too many requests waiting for the database; retry later");
		cj_free(cj);
	}
}

int comune_job_fail(struct comune_job *cj, int status, const char *error, const char *field,
                    const char *msg)
{
	json_decref(cj->out);
	cj->status = status;
	cj->out = json_pack("{s:s, s:s, s:s}", "error", error, "field", field, "message", msg);
	return 0;
}

int comune_audit(struct db *db, struct comune_job *cj, const char *field, const char *old_value,
                 const char *new_value)
{
	const char *params[6] = { cj->comune, cj->key.name, cj->actor_kind,
		                  field,      old_value,    new_value };

	if (db_cmd(db,
	           "INSERT INTO comune_changes (comune_id, actor, actor_kind, field, old_value, "
	           "new_value) VALUES ($1, $2, $3, $4, $5, $6)",
	           6, params) != 0)
		return -1;
	cj->changes++;
	return 0;
}
