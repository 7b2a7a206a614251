/*
 * Editors' API: replies shared by the handlers, event production,
 * creation, and paths that name no endpoint. The composer applies the
 * events; ingest reads notices back from PostgreSQL (notice_store.c).
 */
#include "api/editor_api.h"

#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "events.h"
#include "http.h"
#include "kafka.h"
#include "log.h"
#include "api/editor_flow.h"
#include "core/json_body.h"
#include "api/editor_recent.h"
#include "api/editor_validate.h"
#include "core/directory.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "core/pending.h"
#include "core/reply.h"

void editor_reply_invalid(struct evhttp_request *req, const struct editor_error *err)
{
	if (err->field[0] == '\0')
		reply_error(req, 400, "invalid_json", "%s", err->message);
	else
		reply_json(req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid", "field",
		                               err->field, "message", err->message));
}

json_t *editor_body_json(struct evhttp_request *req, struct editor_error *err)
{
	size_t len;
	const char *body = http_body(req, &len);
	json_t *root = NULL;

	memset(err, 0, sizeof(*err));
	if (jbody_load(body, len, 0, &root, err->field, sizeof(err->field), NULL) == JBODY_OK)
		return root;
	editor_invalid(err, err->field, "the body must be a JSON object of valid UTF-8");
	return NULL;
}

void editor_reply_denial(struct evhttp_request *req, const struct wf_denial *d)
{
	reply_error(req, d->code, d->error, "%s", d->message);
}

void editor_reply_db_down(struct evhttp_request *req)
{
	reply_error(req, 503, "database_unavailable",
	            "notices cannot be read right now; retry later");
}

void editor_reply_not_applied(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "1");
	reply_error(req, 503, "not_applied_yet", "the previous change to this notice "
	            "is not applied yet; retry in a moment");
}

void editor_event_fill(Banditore__V1__NoticeEvent *ev, const struct notice_input *in)
{
	ev->title = in->title;
	ev->body = in->body;
	ev->urgent = in->urgent;
	ev->topics = in->topics;
	ev->n_topics = in->ntopics;
	ev->category = in->category;
	ev->link = in->link;
	ev->channels = in->channels;
	ev->n_channels = in->nchannels;
	ev->scheduled_at_ms = in->scheduled_at_ms;
}

void editor_produce(struct ingest *ing, struct evhttp_request *req,
                    const struct dir_api_key *key, const char *comune,
                    Banditore__V1__NoticeEvent *ev, const char *what, json_t *reply)
{
	Banditore__V1__EventMeta meta;
	char meta_id[UUID_STR_LEN + 1];
	struct pending *p;
	size_t len;
	void *buf;

	event_meta_fill(&meta, meta_id, comune);
	ev->meta = &meta;
	ev->actor = (char *)key->name;
	ev->actor_key_id = key->id;
	ev->actor_role = (char *)key->role;
	ev->actor_kind = key->staff ? "staff" : "";
	buf = event_pack(&ev->base, &len);
	log_info(what, "notice %s of %s by %s %lld (%s) of %s", ev->notice_id, comune,
	         key->staff ? "staff identity" : "api key", key->id, key->role, key->comune_id);
	p = pending_new(ing, req, what, &im_notices);
	pending_produce(p, TOPIC_NOTICE_EVENTS, ev->notice_id, buf, len);
	free(buf);
	pending_finish(p, 202, reply);
}

void editor_handle_create(struct ingest *ing, struct evhttp_request *req,
                          const struct route_args *ra)
{
	Banditore__V1__NoticeEvent ev = BANDITORE__V1__NOTICE_EVENT__INIT;
	struct notice_input in;
	struct editor_error err;
	struct wf_denial d;
	char id[UUID_STR_LEN + 1];
	size_t len;
	const char *body;

	if (wf_role_check(WF_EDIT, ra->key->role, &d) != 0) {
		editor_reply_denial(req, &d);
		return;
	}
	body = http_body(req, &len);
	if (editor_notice_parse(body, len, &in, &err) != 0) {
		editor_reply_invalid(req, &err);
		return;
	}
	if (editor_schedule_check(&in, clock_wall_ms(), &err) != 0) {
		editor_notice_free(&in);
		editor_reply_invalid(req, &err);
		return;
	}
	uuid_v4(id);
	ev.action = BANDITORE__V1__NOTICE_ACTION__NOTICE_CREATE;
	ev.notice_id = id;
	editor_event_fill(&ev, &in);
	ev.version = 1;
	editor_recent_note(id, 0);
	editor_produce(ing, req, ra->key, ra->key->comune_id, &ev, "notice.create",
	               json_pack("{s:s, s:s, s:i}", "id", id, "status", "draft", "version", 1));
	editor_notice_free(&in);
}

void editor_handle_unknown(struct ingest *ing, struct evhttp_request *req,
                           const struct route_args *ra)
{
	char raw[UUID_STR_LEN + 2] = "", id[UUID_STR_LEN + 1];
	size_t n = strcspn(ra->rest, "/");

	if (n < sizeof(raw))
		memcpy(raw, ra->rest, n), raw[n] = '\0';
	if (!uuid_parse(raw, id))
		reply_json(req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid", "field", "id",
		                               "message", "the notice id must be a UUID"));
	else
		reply_error(req, 404, "not_found", "no such endpoint");
}
