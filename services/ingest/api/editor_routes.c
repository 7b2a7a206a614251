/*
 * Paths and methods of the editors' API:
 *   /api/v1/notices                 GET list, POST create
 *   /api/v1/notices/<id>            GET read, PUT/PATCH edit
 *   /api/v1/notices/<id>/<verb>     POST submit|approve|reject|schedule|cancel|pause|resume,
 *                                   GET preview|stats
 *   /api/v1/alerts                  POST consortium alert
 */
#include <event2/http.h>
#include <string.h>

#include "api/editor_actions.h"
#include "api/editor_alert.h"
#include "api/editor_api.h"
#include "api/editor_read.h"
#include "api/editor_validate.h"
#include "core/routes.h"

#define NOTICES "/api/v1/notices"
#define ALERTS "/api/v1/alerts"

static const struct {
	const char *verb;
	enum wf_action action;
} POSTS[] = {
	{ "submit", WF_SUBMIT }, { "approve", WF_APPROVE }, { "reject", WF_REJECT },
	{ "schedule", WF_SCHEDULE }, { "cancel", WF_CANCEL }, { "pause", WF_PAUSE },
	{ "resume", WF_RESUME },
};

/* 405 with the methods the path does accept. */
static void method_not_allowed(struct evhttp_request *req, const char *allow)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", allow);
	routes_reply_error(req, 405, "method_not_allowed", "use %s", allow);
}

/* 400 naming the id as the wrong field. */
static void bad_id(struct evhttp_request *req)
{
	routes_reply_json(req, 400, json_pack("{s:s, s:s, s:s}", "error", "invalid", "field", "id",
	                                      "message", "the notice id must be a UUID"));
}

/* /api/v1/notices/<id>[/<verb>]: rest points after "/api/v1/notices/". */
static void route_notice(struct ingest *ing, struct evhttp_request *req, const char *rest)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *slash = strchr(rest, '/'), *verb = slash != NULL ? slash + 1 : NULL;
	char raw[UUID_STR_LEN + 2] = "", id[UUID_STR_LEN + 1];
	size_t n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);

	if (n < sizeof(raw))
		memcpy(raw, rest, n), raw[n] = '\0';
	if (!editor_uuid_parse(raw, id)) {
		bad_id(req);
		return;
	}
	if (verb == NULL) {
		if (cmd == EVHTTP_REQ_GET)
			editor_handle_read(ing, req, id, ER_READ);
		else if (cmd == EVHTTP_REQ_PUT || cmd == EVHTTP_REQ_PATCH)
			editor_handle_action(ing, req, id, WF_EDIT, cmd == EVHTTP_REQ_PATCH);
		else
			method_not_allowed(req, "GET, PUT, PATCH");
		return;
	}
	if (strcmp(verb, "preview") == 0 || strcmp(verb, "stats") == 0) {
		if (cmd == EVHTTP_REQ_GET)
			editor_handle_read(ing, req, id, verb[0] == 'p' ? ER_PREVIEW : ER_STATS);
		else
			method_not_allowed(req, "GET");
		return;
	}
	for (size_t i = 0; i < sizeof(POSTS) / sizeof(POSTS[0]); i++) {
		if (strcmp(verb, POSTS[i].verb) != 0)
			continue;
		if (cmd == EVHTTP_REQ_POST)
			editor_handle_action(ing, req, id, POSTS[i].action, false);
		else
			method_not_allowed(req, "POST");
		return;
	}
	routes_reply_error(req, 404, "not_found", "no such endpoint");
}

bool editor_route(struct ingest *ing, struct evhttp_request *req, const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);

	if (strcmp(path, NOTICES) == 0) {
		if (cmd == EVHTTP_REQ_POST)
			editor_handle_create(ing, req);
		else if (cmd == EVHTTP_REQ_GET)
			editor_handle_read(ing, req, NULL, ER_LIST);
		else
			method_not_allowed(req, "GET, POST");
	} else if (strncmp(path, NOTICES "/", strlen(NOTICES) + 1) == 0) {
		route_notice(ing, req, path + strlen(NOTICES) + 1);
	} else if (strcmp(path, ALERTS) == 0) {
		if (cmd == EVHTTP_REQ_POST)
			editor_handle_alert(ing, req);
		else
			method_not_allowed(req, "POST");
	} else {
		return false;
	}
	return true;
}
