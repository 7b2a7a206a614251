/*
 * GET handlers of the editors' API: the query runs on the PostgreSQL
 * worker, the reply goes out on the loop. A notice this ingest has just
 * written is waited for briefly (editor_recent.h).
 */
#include "api/editor_read.h"

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "pgarr.h"
#include "utf8.h"
#include "xmalloc.h"
#include "api/cursor.h"
#include "api/editor_api.h"
#include "api/editor_flow.h"
#include "api/editor_recent.h"
#include "api/editor_validate.h"
#include "api/notice_store.h"
#include "api/preview.h"
#include "api/timeline_step.h"
#include "core/dbwork.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/reply.h"

#define LIST_DEFAULT 20

struct read_job {
	struct dbw_job job;   /* first */
	struct ingest *ing;
	struct evhttp_request *req;
	struct dir_api_key key;
	enum editor_read what;
	char id[UUID_STR_LEN + 1];
	char comune[64];
	char status[16];
	char cursor[CURSOR_MAX];
	char *words;          /* q= as a text[] literal of ILIKE patterns; owned */
	int limit;
	long step;   /* ER_TIMELINE: asked, 0 = chosen */
	int rc;
	int events;           /* ER_VERSIONS: the history's length */
	bool in_scope;
	json_t *out;
};

static void read_done(struct dbw_job *job);

/* Frees the job (its reply, if any, is the caller's to release). */
static void read_free(struct read_job *rj)
{
	free(rj->words);
	free(rj);
}

/* Worker: the query of the read. */
static void read_work(struct db *db, struct dbw_job *job)
{
	struct read_job *rj = (struct read_job *)job;

	json_decref(rj->out);
	rj->out = NULL;
	switch (rj->what) {
	case ER_LIST:
		rj->rc = ns_comune_in_scope(db, rj->comune, &rj->key, &rj->in_scope);
		if (rj->rc == 0 && !rj->in_scope)
			rj->rc = NOTICE_ABSENT;
		if (rj->rc == 0)
			rj->rc = ns_list(db, &(struct ns_page){ rj->comune, rj->status, rj->cursor,
			                                        rj->words, rj->limit },
			                 rj->key.id, &rj->out);
		break;
	case ER_READ:
		rj->rc = ns_read(db, rj->id, &rj->key, &rj->out);
		break;
	case ER_VERSIONS:
		rj->rc = ns_versions(db, rj->id, &rj->key, &rj->out, &rj->events);
		break;
	case ER_STATS:
		rj->rc = ns_stats(db, rj->id, &rj->key, &rj->out);
		break;
	case ER_PREVIEW:
		rj->rc = preview_load(db, rj->id, &rj->key, &rj->out);
		break;
	case ER_TIMELINE:
		rj->rc = ns_timeline(db, rj->id, &rj->key, rj->step, &rj->out);
		break;
	}
}

static void read_queue(struct read_job *rj);

static void read_retry(evutil_socket_t fd, short what, void *arg)
{
	read_queue(arg);
}

/* The composer's events in a history: test sends are ingest's own rows,
 * left out as ns_state_load leaves them out (editor_recent.h compares). */
static int history_events(const json_t *hist)
{
	size_t i;
	json_t *e;
	int n = 0;

	json_array_foreach(hist, i, e) {
		const char *action = json_string_value(json_object_get(e, "action"));
		n += action == NULL || strcmp(action, "test_send") != 0;
	}
	return n;
}

/* True if the job was re-queued or answered because this ingest's last
 * write on the notice is not visible yet. */
static bool read_waits(struct read_job *rj)
{
	const struct timeval tv = clock_timeval(EDITOR_RECENT_RETRY_MS);
	json_t *hist = json_object_get(rj->out, "history");
	int events = rj->what == ER_VERSIONS ? rj->events
	                                     : hist != NULL ? history_events(hist) : 0;

	if (rj->what != ER_READ && rj->what != ER_VERSIONS && rj->rc == 0)
		return false;   /* only these carry the history's length to compare */
	switch (editor_recent_check(rj->id, rj->rc == 0, events)) {
	case RECENT_APPLIED:
		return false;
	case RECENT_WAITING:
		if (event_base_once(rj->ing->base, -1, EV_TIMEOUT, read_retry, rj, &tv) == 0)
			return true;
		/* fall through */
	case RECENT_LATE:
		editor_reply_not_applied(rj->req);
		json_decref(rj->out);
		read_free(rj);
		return true;
	}
	return false;
}

static void read_done(struct dbw_job *job)
{
	struct read_job *rj = (struct read_job *)job;

	if (job->aborted || rj->rc < 0) {
		editor_reply_db_down(rj->req);
	} else if (rj->what != ER_LIST && read_waits(rj)) {
		return;
	} else if (rj->rc == NOTICE_ABSENT) {
		if (rj->what == ER_LIST)
			reply_error(rj->req, 404, "not_found", "no comune %s", rj->comune);
		else
			reply_error(rj->req, 404, "not_found", "no notice %s", rj->id);
	} else {
		reply_json(rj->req, 200, rj->out);
		rj->out = NULL;
	}
	json_decref(rj->out);
	read_free(rj);
}

static void read_queue(struct read_job *rj)
{
	rj->job.work = read_work;
	rj->job.done = read_done;
	if (dbw_submit(rj->ing->dbw, &rj->job) != 0) {
		reply_error(rj->req, 503, "busy", "too many requests waiting for the "
		            "database; retry later");
		json_decref(rj->out);
		read_free(rj);
	}
}

/* The list's q= into rj->words; 0, or -1 after answering 400. */
static int list_search(struct read_job *rj, const char *q)
{
	struct pgarr words = { 0 };
	struct editor_error err;

	if (editor_search_parse(q, &words, &err) != 0) {
		pgarr_free(&words, 1);
		editor_reply_invalid(rj->req, &err);
		return -1;
	}
	rj->words = xstrdup(pgarr_end(&words));
	pgarr_free(&words, 1);
	return 0;
}

/* The list's query string; 0, or -1 after answering 400. */
static int list_params(struct read_job *rj)
{
	struct evkeyvalq q;
	const char *v;
	struct cursor cur;
	char *end;
	int rc = -1;

	if (evhttp_parse_query_str(evhttp_uri_get_query(evhttp_request_get_evhttp_uri(rj->req))
	                               ? evhttp_uri_get_query(evhttp_request_get_evhttp_uri(rj->req))
	                               : "", &q) != 0) {
		reply_error(rj->req, 400, "invalid_query", "malformed query string");
		return -1;
	}
	snprintf(rj->comune, sizeof(rj->comune), "%s", rj->key.comune_id);
	rj->limit = LIST_DEFAULT;
	if ((v = evhttp_find_header(&q, "status")) != NULL && !wf_status_valid(v)) {
		reply_json(rj->req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid",
		           "field", "status", "message", "status must be one of draft, "
		           "submitted, rejected, approved, scheduled, sending, sent, cancelled"));
		goto done;
	}
	snprintf(rj->status, sizeof(rj->status), "%s", v != NULL ? v : "");
	if ((v = evhttp_find_header(&q, "cursor")) != NULL && !cursor_parse(v, &cur)) {
		reply_json(rj->req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid",
		           "field", "cursor", "message", "cursor must be a next_cursor "
		           "returned by this list"));
		goto done;
	}
	snprintf(rj->cursor, sizeof(rj->cursor), "%s", v != NULL ? v : "");
	if (list_search(rj, evhttp_find_header(&q, "q")) != 0)
		goto done;
	if ((v = evhttp_find_header(&q, "limit")) != NULL) {
		long n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > NOTICE_LIST_MAX) {
			reply_json(rj->req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid",
			           "field", "limit", "message", "limit must be 1 to 100"));
			goto done;
		}
		rj->limit = (int)n;
	}
	if ((v = evhttp_find_header(&q, "comune")) != NULL) {
		/* A comune id is short text: never cut it, never pass PostgreSQL
		 * bytes it would refuse (a 503 instead of a 400). */
		if (strlen(v) >= sizeof(rj->comune) || !utf8_valid_str(v)) {
			reply_json(rj->req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid",
			           "field", "comune", "message", "comune must be a comune id "
			           "(valid UTF-8 text, at most 63 bytes)"));
			goto done;
		}
		snprintf(rj->comune, sizeof(rj->comune), "%s", v);
	}
	rc = 0;
done:
	evhttp_clear_headers(&q);
	return rc;
}

/* The timeline's ?step=; 0, or -1 after answering 400. */
static int timeline_params(struct read_job *rj)
{
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(rj->req));
	struct editor_error err;
	struct evkeyvalq q;
	int rc;

	if (evhttp_parse_query_str(query != NULL ? query : "", &q) != 0) {
		reply_error(rj->req, 400, "invalid_query", "malformed query string");
		return -1;
	}
	rc = timeline_step_parse(evhttp_find_header(&q, "step"), &rj->step, &err);
	if (rc != 0)
		editor_reply_invalid(rj->req, &err);
	evhttp_clear_headers(&q);
	return rc;
}

void editor_handle_read(struct ingest *ing, struct evhttp_request *req,
                        const struct route_args *ra)
{
	struct read_job *rj = xcalloc(1, sizeof(*rj));

	rj->ing = ing;
	rj->req = req;
	rj->key = *ra->key;
	rj->what = (enum editor_read)ra->arg;
	snprintf(rj->id, sizeof(rj->id), "%s", ra->id);
	if ((rj->what == ER_LIST && list_params(rj) != 0) ||
	    (rj->what == ER_TIMELINE && timeline_params(rj) != 0)) {
		read_free(rj);
		return;
	}
	read_queue(rj);
}
