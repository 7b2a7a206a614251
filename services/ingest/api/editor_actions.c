/*
 * The workflow's writes on an existing notice: edit (PUT/PATCH), submit,
 * approve, reject, schedule, cancel, pause, resume. Each reads the
 * notice's current state on the PostgreSQL worker, checks it on the loop
 * (editor_flow.c, common/workflow.c), then produces the NoticeEvent.
 */
#include "api/editor_actions.h"

#include <event2/event.h>
#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "xmalloc.h"
#include "api/editor_api.h"
#include "api/editor_recent.h"
#include "api/editor_validate.h"
#include "api/notice_store.h"
#include "core/dbwork.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/json_body.h"
#include "core/reply.h"

struct action_job {
	struct dbw_job job;              /* first: dbwork hands this back */
	struct ingest *ing;
	struct evhttp_request *req;
	struct dir_api_key key;
	enum wf_action action;
	bool patch;                      /* WF_EDIT: merge body into the notice */
	char id[UUID_STR_LEN + 1];
	struct action_input in;
	json_t *body;                    /* WF_EDIT: the request body */
	int rc;                          /* from the worker */
	struct notice_state ns;
	json_t *current;                 /* WF_EDIT with patch: the notice now */
};

static void action_done(struct dbw_job *job);

/* Worker: the state (and for a patch the whole notice). */
static void action_work(struct db *db, struct dbw_job *job)
{
	struct action_job *aj = (struct action_job *)job;

	json_decref(aj->current);
	aj->current = NULL;
	aj->rc = ns_state_load(db, aj->id, &aj->key, &aj->ns);
	if (aj->rc == 0 && aj->patch)
		aj->rc = ns_read(db, aj->id, &aj->key, &aj->current);
}

static void action_free(struct action_job *aj)
{
	json_decref(aj->body);
	json_decref(aj->current);
	free(aj);
}

/* Queues (again) the state read; answers 503 if the queue is full. */
static void action_queue(struct action_job *aj)
{
	aj->job.work = action_work;
	aj->job.done = action_done;
	if (dbw_submit(aj->ing->dbw, &aj->job) != 0) {
		reply_error(aj->req, 503, "busy", "too many requests waiting for the "
		            "database; retry later");
		action_free(aj);
	}
}

static void action_retry(evutil_socket_t fd, short what, void *arg)
{
	action_queue(arg);
}

/* The new notice for an edit: the body (PUT), or the body over the
 * current notice (PATCH); validated as a creation is. 0 or -1 (answered). */
static int edit_input(struct action_job *aj, struct notice_input *in)
{
	static const char *const fields[] = { "title", "body", "urgent", "topics", "category",
	                                      "link", "channels", "scheduled_at", "version" };
	struct editor_error err;
	json_t *doc = aj->body;
	char *text;
	int rc;

	if (aj->patch) {
		doc = json_object();
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			json_t *v = json_object_get(aj->body, fields[i]);
			if (v == NULL && strcmp(fields[i], "version") != 0)
				v = json_object_get(aj->current, fields[i]);
			if (v != NULL)
				json_object_set(doc, fields[i], v);
		}
	}
	text = json_dumps(doc, JSON_COMPACT);
	rc = editor_notice_parse(text, strlen(text), in, &err);
	free(text);
	if (aj->patch)
		json_decref(doc);
	/* A proposed time kept by a PATCH that has passed meanwhile is dropped;
	 * one the body gives must be ahead. */
	if (rc == 0 && aj->patch && json_object_get(aj->body, "scheduled_at") == NULL &&
	    in->scheduled_at_ms <= clock_wall_ms())
		in->scheduled_at_ms = 0;
	if (rc == 0 && (rc = editor_schedule_check(in, clock_wall_ms(), &err)) != 0)
		editor_notice_free(in);
	if (rc != 0)
		editor_reply_invalid(aj->req, &err);
	return rc;
}

/* The status the notice will have once the composer applied the action. */
static const char *status_after(const struct action_job *aj)
{
	if (aj->action == WF_APPROVE && aj->in.scheduled_at_ms > 0)
		return "scheduled";
	return wf_status_after(aj->action);
}

static const Banditore__V1__NoticeAction EVENT_ACTION[] = {
	[WF_EDIT] = BANDITORE__V1__NOTICE_ACTION__NOTICE_EDIT,
	[WF_SUBMIT] = BANDITORE__V1__NOTICE_ACTION__NOTICE_SUBMIT,
	[WF_APPROVE] = BANDITORE__V1__NOTICE_ACTION__NOTICE_APPROVE,
	[WF_REJECT] = BANDITORE__V1__NOTICE_ACTION__NOTICE_REJECT,
	[WF_SCHEDULE] = BANDITORE__V1__NOTICE_ACTION__NOTICE_APPROVE,
	[WF_CANCEL] = BANDITORE__V1__NOTICE_ACTION__NOTICE_CANCEL,
	[WF_PAUSE] = BANDITORE__V1__NOTICE_ACTION__NOTICE_PAUSE,
	[WF_RESUME] = BANDITORE__V1__NOTICE_ACTION__NOTICE_RESUME,
};

/* Checks passed: the event. */
static void action_produce(struct action_job *aj)
{
	Banditore__V1__NoticeEvent ev = BANDITORE__V1__NOTICE_EVENT__INIT;
	struct notice_input in = { 0 };
	char what[32];
	int version = aj->ns.version;

	if (aj->action == WF_EDIT) {
		if (edit_input(aj, &in) != 0)
			return;
		editor_event_fill(&ev, &in);
		version++;
	}
	ev.action = EVENT_ACTION[aj->action];
	ev.notice_id = aj->id;
	ev.version = aj->ns.version;
	if (aj->action != WF_EDIT)   /* an edit's is the notice's own */
		ev.scheduled_at_ms = aj->in.scheduled_at_ms;
	ev.reason = aj->in.reason;
	snprintf(what, sizeof(what), "notice.%s", wf_action_name(aj->action));
	editor_recent_note(aj->id, aj->ns.events);
	editor_produce(aj->ing, aj->req, &aj->key, aj->ns.comune_id, &ev, what,
	               json_pack("{s:s, s:s, s:i}", "id", aj->id, "status", status_after(aj),
	                         "version", version));
	editor_notice_free(&in);
}

/* Loop: the state is in; wait for our own last write, check, act. */
static void action_done(struct dbw_job *job)
{
	struct action_job *aj = (struct action_job *)job;
	struct wf_denial d;
	int version = aj->action == WF_EDIT && aj->body != NULL
	                  ? (int)json_integer_value(json_object_get(aj->body, "version"))
	                  : aj->in.version;

	enum editor_recent recent = RECENT_APPLIED;

	if (!job->aborted && aj->rc >= 0)
		recent = editor_recent_check(aj->id, aj->rc == 0, aj->ns.events);
	if (job->aborted || aj->rc < 0) {
		editor_reply_db_down(aj->req);
	} else if (recent == RECENT_WAITING) {
		const struct timeval tv = clock_timeval(EDITOR_RECENT_RETRY_MS);
		if (event_base_once(aj->ing->base, -1, EV_TIMEOUT, action_retry, aj, &tv) == 0)
			return;
		editor_reply_db_down(aj->req);
	} else if (recent == RECENT_LATE) {
		editor_reply_not_applied(aj->req);
	} else if (aj->rc == NOTICE_ABSENT) {
		reply_error(aj->req, 404, "not_found", "no notice %s", aj->id);
	} else if (editor_flow_check(aj->action, &aj->ns, &aj->key, version, &d) != 0) {
		log_info("notice.refused", "%s of %s by api key %lld: %s",
		         wf_action_name(aj->action), aj->id, aj->key.id, d.message);
		editor_reply_denial(aj->req, &d);
	} else {
		action_produce(aj);
	}
	action_free(aj);
}

/* Checks the role and the body of action on the notice, then reads it. */
static void action_start(struct ingest *ing, struct evhttp_request *req,
                         const struct route_args *ra, enum wf_action action, bool patch)
{
	struct action_job *aj;
	struct editor_error err;
	struct wf_denial d;
	json_error_t jerr;
	const char *body;
	size_t len;

	if (wf_role_check(action, ra->key->role, &d) != 0) {
		editor_reply_denial(req, &d);
		return;
	}
	aj = xcalloc(1, sizeof(*aj));
	aj->ing = ing;
	aj->req = req;
	aj->key = *ra->key;
	aj->action = action;
	aj->patch = patch;
	snprintf(aj->id, sizeof(aj->id), "%s", ra->id);
	body = http_body(req, &len);
	if (action == WF_EDIT) {
		if (jbody_load(body, len, 0, &aj->body, err.field, sizeof(err.field), &jerr) ==
		    JBODY_UTF8) {
			(void)editor_invalid(&err, err.field, "%s is not valid UTF-8 text", err.field);
			editor_reply_invalid(req, &err);
			action_free(aj);
			return;
		}
		if (!json_is_object(aj->body)) {
			reply_error(req, 400, "invalid_json", "the body must be a JSON object");
			action_free(aj);
			return;
		}
		if (!patch) {
			struct notice_input in;
			if (editor_notice_parse(body, len, &in, &err) != 0) {
				editor_reply_invalid(req, &err);
				action_free(aj);
				return;
			}
			editor_notice_free(&in);
		}
	} else if (editor_action_parse(body, len, action == WF_REJECT, action == WF_SCHEDULE,
	                               clock_wall_ms(), &aj->in, &err) != 0) {
		editor_reply_invalid(req, &err);
		action_free(aj);
		return;
	}
	action_queue(aj);
}

void editor_handle_action(struct ingest *ing, struct evhttp_request *req,
                          const struct route_args *ra)
{
	action_start(ing, req, ra, (enum wf_action)ra->arg, false);
}

void editor_handle_patch(struct ingest *ing, struct evhttp_request *req,
                         const struct route_args *ra)
{
	action_start(ing, req, ra, WF_EDIT, true);
}
