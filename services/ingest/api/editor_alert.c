/* Consortium alerts: validate, resolve the comuni on the worker, fan out events. */
#include "api/editor_alert.h"

#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "events.h"
#include "http.h"
#include "kafka.h"
#include "log.h"
#include "xmalloc.h"
#include "api/editor_api.h"
#include "api/editor_flow.h"
#include "api/editor_recent.h"
#include "api/editor_validate.h"
#include "core/dbwork.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/pending.h"
#include "core/reply.h"

#define ALERT_COMUNI_MAX 500

struct alert_job {
	struct dbw_job job;   /* first */
	struct ingest *ing;
	struct evhttp_request *req;
	struct dir_api_key key;
	struct notice_input in;
	json_t *wanted;       /* array of comune ids, or NULL for "all" */
	json_t *allowed;      /* from the worker: the key's comuni */
	int rc;
};

static const char SQL_ALLOWED[] =
    "SELECT coalesce(json_agg(c.id ORDER BY c.id), '[]') FROM comuni c, api_keys k "
    "WHERE k.id = $1::bigint AND k.revoked_at IS NULL "
    "AND (c.id = k.comune_id OR k.consortium_all OR c.id = ANY (k.consortium_comuni))";

static void alert_work(struct db *db, struct dbw_job *job)
{
	struct alert_job *a = (struct alert_job *)job;
	char keyid[24];
	const char *params[1] = { keyid };
	PGresult *res;

	snprintf(keyid, sizeof(keyid), "%lld", a->key.id);
	res = db_read(db, SQL_ALLOWED, 1, params);
	a->rc = -1;
	if (res == NULL)
		return;
	a->allowed = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	a->rc = a->allowed != NULL ? 0 : -1;
	PQclear(res);
}

static void alert_free(struct alert_job *a)
{
	editor_notice_free(&a->in);
	json_decref(a->wanted);
	json_decref(a->allowed);
	free(a);
}

/* True if allowed (an array of strings) holds id. */
static bool has(const json_t *allowed, const char *id)
{
	size_t i;
	const json_t *v;

	json_array_foreach(allowed, i, v)
		if (strcmp(json_string_value(v), id) == 0)
			return true;
	return false;
}

/* Produces CREATE then SUBMIT for one comune's notice. */
static void alert_produce(struct alert_job *a, struct pending *p, const char *comune,
                          const char *group, char id[UUID_STR_LEN + 1])
{
	Banditore__V1__NoticeEvent ev = BANDITORE__V1__NOTICE_EVENT__INIT;
	Banditore__V1__EventMeta meta;
	char meta_id[UUID_STR_LEN + 1];
	size_t len;
	void *buf;

	uuid_v4(id);
	ev.meta = &meta;
	ev.notice_id = id;
	ev.actor = a->key.name;
	ev.actor_key_id = a->key.id;
	ev.actor_role = a->key.role;
	ev.actor_kind = a->key.staff ? "staff" : "";
	ev.group_id = (char *)group;
	ev.version = 1;
	for (int step = 0; step < 2; step++) {
		event_meta_fill(&meta, meta_id, comune);
		if (step == 0) {
			ev.action = BANDITORE__V1__NOTICE_ACTION__NOTICE_CREATE;
			editor_event_fill(&ev, &a->in);
		} else {
			ev = (Banditore__V1__NoticeEvent)BANDITORE__V1__NOTICE_EVENT__INIT;
			ev.meta = &meta;
			ev.notice_id = id;
			ev.actor = a->key.name;
			ev.actor_key_id = a->key.id;
			ev.actor_role = a->key.role;
			ev.actor_kind = a->key.staff ? "staff" : "";
			ev.version = 1;
			ev.action = BANDITORE__V1__NOTICE_ACTION__NOTICE_SUBMIT;
		}
		buf = event_pack(&ev.base, &len);
		pending_produce(p, TOPIC_NOTICE_EVENTS, id, buf, len);
		free(buf);
	}
	editor_recent_note(id, 1);   /* create and submit */
}

/* Loop: check the comuni asked for, then one notice each. */
static void alert_done(struct dbw_job *job)
{
	struct alert_job *a = (struct alert_job *)job;
	const json_t *targets, *v;
	char group[UUID_STR_LEN + 1], id[UUID_STR_LEN + 1];
	struct pending *p;
	json_t *notices;
	size_t i;

	if (job->aborted || a->rc != 0) {
		editor_reply_db_down(a->req);
		goto done;
	}
	targets = a->wanted != NULL ? a->wanted : a->allowed;
	json_array_foreach(targets, i, v) {
		if (!has(a->allowed, json_string_value(v))) {
			reply_json(a->req, 403, json_pack("{s:s, s:s, s:s+}", "error", "forbidden",
			           "field", "comuni", "message", "your key may not send to comune ",
			           json_string_value(v)));
			goto done;
		}
	}
	if (json_array_size(targets) == 0) {
		reply_json(a->req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid",
		           "field", "comuni", "message", "no comune to send to"));
		goto done;
	}
	uuid_v4(group);
	notices = json_array();
	p = pending_new(a->ing, a->req, "alert.create", &im_notices);
	json_array_foreach(targets, i, v) {
		alert_produce(a, p, json_string_value(v), group, id);
		json_array_append_new(notices, json_pack("{s:s, s:s, s:s}", "id", id, "comune_id",
		                                         json_string_value(v), "status", "submitted"));
	}
	log_info("alert.create", "group %s: %zu notice(s) by api key %lld", group,
	         json_array_size(targets), a->key.id);
	pending_finish(p, 202, json_pack("{s:s, s:o}", "group_id", group, "notices", notices));
done:
	alert_free(a);
}

/* The "comuni" field: "all" (NULL) or distinct ids; 0 or -1 (*err). */
static int parse_comuni(const char *body, size_t len, json_t **wanted,
                        struct editor_error *err)
{
	json_t *root = json_loadb(body, len, 0, NULL), *c, *v;
	char field[32] = "comuni";
	size_t i;
	int rc = -1;

	*wanted = NULL;
	c = json_object_get(root, "comuni");
	if (json_is_string(c) && strcmp(json_string_value(c), "all") == 0) {
		rc = 0;
	} else if (json_is_array(c) && json_array_size(c) > 0 &&
	           json_array_size(c) <= ALERT_COMUNI_MAX) {
		*wanted = json_array();
		rc = 0;
		json_array_foreach(c, i, v) {
			if (!json_is_string(v) || json_string_length(v) == 0 ||
			    json_string_length(v) >= 64 || has(*wanted, json_string_value(v))) {
				snprintf(field, sizeof(field), "comuni[%zu]", i);
				rc = -1;
				break;
			}
			json_array_append(*wanted, v);
		}
	}
	if (rc != 0) {
		(void)editor_invalid(err, field, "comuni must be \"all\" or a list of distinct "
		                     "comune ids");
		json_decref(*wanted);
		*wanted = NULL;
	}
	json_decref(root);
	return rc;
}

void editor_handle_alert(struct ingest *ing, struct evhttp_request *req,
                         const struct route_args *ra)
{
	struct editor_error err;
	struct alert_job *a;
	const char *body;
	size_t len;

	if (strcmp(ra->key->role, "consortium") != 0) {
		reply_error(req, 403, "forbidden", "only a consortium key may send alerts "
		            "to several comuni");
		return;
	}
	a = xcalloc(1, sizeof(*a));
	a->ing = ing;
	a->req = req;
	a->key = *ra->key;
	body = http_body(req, &len);
	if (editor_notice_parse(body, len, &a->in, &err) != 0 ||
	    parse_comuni(body, len, &a->wanted, &err) != 0) {
		editor_reply_invalid(req, &err);
		alert_free(a);
		return;
	}
	a->job.work = alert_work;
	a->job.done = alert_done;
	if (dbw_submit(ing->dbw, &a->job) != 0) {
		reply_error(req, 503, "busy", "too many requests waiting for the database");
		alert_free(a);
	}
}
