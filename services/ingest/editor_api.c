/*
 * Editors' API: authenticate the key, validate, produce a NoticeEvent
 * keyed by the notice id, answer 202 once Kafka has it. The composer
 * applies the event; ingest keeps no notice state.
 */
#include "editor_api.h"

#include <event2/http.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "directory.h"
#include "editor_validate.h"
#include "events.h"
#include "http.h"
#include "ingest.h"
#include "ingest_metrics.h"
#include "kafka.h"
#include "log.h"
#include "pending.h"
#include "routes.h"

#define BEARER "Bearer "
#define API_KEY_MAX 512

/* Finds the caller's API key, or answers 401/503 and returns false. */
static bool editor_auth(struct ingest *ing, struct evhttp_request *req,
                        struct dir_api_key *key)
{
	const char *h = http_header(req, "Authorization");
	char hash[SHA256_HEX_LEN + 1];
	size_t n;

	if (!dir_ready(ing->dir)) {
		routes_reply_error(req, 503, "directory_unavailable", "API keys not loaded yet");
		return false;
	}
	if (h == NULL || strncasecmp(h, BEARER, strlen(BEARER)) != 0)
		goto unauthorized;
	for (h += strlen(BEARER); *h == ' '; h++)
		;
	n = strlen(h);
	if (n == 0 || n > API_KEY_MAX)
		goto unauthorized;
	sha256_hex(h, n, hash);
	if (!dir_api_key_find(ing->dir, hash, key))
		goto unauthorized;
	return true;
unauthorized:
	metric_add(&im_unauthorized, 1);
	log_warn("editor.unauthorized", "missing or unknown API key");
	evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate", "Bearer");
	routes_reply_json(req, 401, json_pack("{s:s}", "error", "unauthorized"));
	return false;
}

/* Stamps ev with the actor, produces it and answers 202 after the ack. */
static void editor_produce(struct ingest *ing, struct evhttp_request *req,
                           struct dir_api_key *key, Banditore__V1__NoticeEvent *ev,
                           const char *what, const char *status)
{
	Banditore__V1__EventMeta meta;
	char meta_id[UUID_STR_LEN + 1];
	struct pending *p;
	size_t len;
	void *buf;

	event_meta_fill(&meta, meta_id, key->comune_id);
	ev->meta = &meta;
	ev->actor = key->name;
	ev->actor_key_id = key->id;
	buf = event_pack(&ev->base, &len);
	log_info(what, "notice %s by api key %lld of %s", ev->notice_id, key->id,
	         key->comune_id);
	p = pending_new(ing, req, what, &im_notices);
	pending_produce(p, TOPIC_NOTICE_EVENTS, ev->notice_id, buf, len);
	free(buf);
	pending_finish(p, 202, json_pack("{s:s, s:s}", "id", ev->notice_id, "status", status));
}

void editor_handle_create(struct ingest *ing, struct evhttp_request *req)
{
	Banditore__V1__NoticeEvent ev = BANDITORE__V1__NOTICE_EVENT__INIT;
	struct notice_input in;
	struct editor_error err;
	struct dir_api_key key;
	char id[UUID_STR_LEN + 1];
	size_t len;
	const char *body;

	if (!editor_auth(ing, req, &key))
		return;
	body = http_body(req, &len);
	if (editor_notice_parse(body, len, &in, &err) != 0) {
		if (err.field[0] == '\0')
			routes_reply_error(req, 400, "invalid_json", "%s", err.message);
		else
			routes_reply_json(req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid",
			                                      "field", err.field, "message",
			                                      err.message));
		return;
	}
	uuid_v4(id);
	ev.action = BANDITORE__V1__NOTICE_ACTION__NOTICE_CREATE;
	ev.notice_id = id;
	ev.title = in.title;
	ev.body = in.body;
	ev.urgent = in.urgent;
	ev.topics = in.topics;
	ev.n_topics = in.ntopics;
	editor_produce(ing, req, &key, &ev, "notice.create", "draft");
	editor_notice_free(&in);
}

void editor_handle_approve(struct ingest *ing, struct evhttp_request *req,
                           const char *id)
{
	Banditore__V1__NoticeEvent ev = BANDITORE__V1__NOTICE_EVENT__INIT;
	struct dir_api_key key;
	char nid[UUID_STR_LEN + 1];

	if (!editor_auth(ing, req, &key))
		return;
	if (!editor_uuid_parse(id, nid)) {
		routes_reply_json(req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid",
		                                      "field", "id", "message",
		                                      "the notice id must be a UUID"));
		return;
	}
	ev.action = BANDITORE__V1__NOTICE_ACTION__NOTICE_APPROVE;
	ev.notice_id = nid;
	editor_produce(ing, req, &key, &ev, "notice.approve", "approved");
}
