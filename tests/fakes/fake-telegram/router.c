/* Routes requests to the Bot API or the test-control endpoints. */
#include "router.h"

#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fake.h"
#include "fk_control.h"
#include "http.h"
#include "reply.h"
#include "store.h"
#include "throttle.h"
#include "update.h"

/* The value of ?chat_id=, or NULL if absent or empty. Caller frees. */
static char *router_query_chat(struct evhttp_request *req)
{
	char *chat = fk_control_query(req, "chat_id");

	if (chat != NULL && *chat == '\0') {
		free(chat);
		chat = NULL;
	}
	return chat;
}

/* GET or DELETE /_fake/messages. */
static void router_messages(void *arg, struct evhttp_request *req)
{
	struct fake *fk = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *chat;

	if (cmd == EVHTTP_REQ_DELETE) {
		store_clear(fk->store);
		fk_control_ok(req);
		return;
	}
	if (cmd != EVHTTP_REQ_GET) {
		fk_control_method(req, "GET or DELETE");
		return;
	}
	chat = router_query_chat(req);
	http_reply_json(req, 200, json_pack("{s:o}", "messages", store_messages(fk->store, chat)));
	free(chat);
}

/* POST /_fake/faults (see router.h); DELETE clears. */
static void router_faults(void *arg, struct evhttp_request *req)
{
	struct fake *fk = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	struct store_fault f = { 0 };
	json_int_t code = 0, count = 1, retry = 0, migrate = 0;
	const char *chat = NULL, *desc = NULL;
	char key[API_CHAT_MAX], err[256];
	json_t *in;

	if (cmd == EVHTTP_REQ_DELETE) {
		store_faults_clear(fk->store);
		fk_control_ok(req);
		return;
	}
	if (cmd != EVHTTP_REQ_POST) {
		fk_control_method(req, "POST or DELETE");
		return;
	}
	in = fk_control_body(req, err, sizeof(err));
	if (in == NULL || json_unpack(in, "{s:I, s?:I, s?:I, s?:I, s?:s}", "code", &code,
	                              "count", &count, "retry_after", &retry,
	                              "migrate_to_chat_id", &migrate, "description", &desc) != 0 ||
	    code < 100 || code > 599 || count <= 0 || retry < 0) {
		http_reply_error(req, 400, "bad_request",
		                 "want {\"code\":429, \"retry_after\":1, \"count\":1, \"chat_id\":\"C\", "
		                 "\"description\":\"...\", \"migrate_to_chat_id\":N}");
		json_decref(in);
		return;
	}
	if (api_chat_key(in, key))
		chat = key;
	f.code = (int)code;
	f.description = (char *)desc;
	f.retry_after = (long)retry;
	f.migrate_to = (long long)migrate;
	store_fault_add(fk->store, &f, (long)count, chat);
	fk_control_ok(req);
	json_decref(in);
}

/* POST /_fake/block {"chat_id":N, "state":"blocked", "count":K}: chats N..N+K-1
 * (count 1 by default) take that state; no update is sent. */
static void router_block(void *arg, struct evhttp_request *req)
{
	struct fake *fk = arg;
	static const struct { const char *name; enum chat_state state; } states[] = {
		{ "blocked", CHAT_BLOCKED }, { "deactivated", CHAT_DEACTIVATED },
		{ "started", CHAT_STARTED }, { "unknown", CHAT_UNKNOWN },
	};
	char err[256];
	json_t *in = fk_control_body(req, err, sizeof(err));
	json_int_t chat = 0, count = 1;
	const char *name = "blocked";

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST || in == NULL ||
	    json_unpack(in, "{s:I, s?:s, s?:I}", "chat_id", &chat, "state", &name,
	                "count", &count) != 0 || chat <= 0 || count < 1 || count > 1000000)
		goto bad;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (strcmp(states[i].name, name) != 0)
			continue;
		for (json_int_t k = 0; k < count; k++)
			store_chat_set(fk->store, (long long)(chat + k), states[i].state);
		fk_control_ok(req);
		json_decref(in);
		return;
	}
bad:
	http_reply_error(req, 400, "bad_request", "POST {\"chat_id\":N, \"state\":\"blocked|"
	                 "deactivated|started|unknown\", \"count\":K}");
	json_decref(in);
}

/* Sets some of the throttle's knobs (fk_knobs.apply). */
static int router_knobs_set(void *arg, const json_t *in, char *err, size_t errlen)
{
	struct fake *fk = arg;

	return throttle_apply(fk->throttle, in, err, errlen);
}

/* Every knob of the throttle (fk_knobs.show). */
static json_t *router_knobs_json(void *arg)
{
	struct fake *fk = arg;

	return throttle_json(fk->throttle);
}

/* GET /_fake/config, or POST some knobs: {"rate":30, "chat_rate":1, "chat_burst":3}. */
static void router_config(void *arg, struct evhttp_request *req)
{
	static const struct fk_knobs knobs = { router_knobs_set, router_knobs_json };

	fk_control_config(&knobs, arg, req);
}

/* GET /_fake/stats. */
static void router_stats(void *arg, struct evhttp_request *req)
{
	struct fake *fk = arg;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		http_reply_error(req, 404, "not_found", "no such control endpoint");
		return;
	}
	http_reply_json(req, 200, json_pack("{s:I, s:I, s:I, s:I}",
	                                    "accepted", (json_int_t)store_accepted(fk->store),
	                                    "rejected", (json_int_t)store_rejected(fk->store),
	                                    "throttled", (json_int_t)throttle_count(fk->throttle),
	                                    "updates", (json_int_t)store_updates(fk->store)));
}

/* POST /_fake/update (update.h). */
static void router_update(void *arg, struct evhttp_request *req)
{
	update_handle(arg, req);
}

static const struct fk_route routes[] = {
	{ "/_fake/messages", router_messages }, { "/_fake/stats", router_stats },
	{ "/_fake/config", router_config },     { "/_fake/update", router_update },
	{ "/_fake/block", router_block },       { "/_fake/faults", router_faults },
};

void router_handle(struct evhttp_request *req, void *arg)
{
	struct fake *fk = arg;
	char *path = http_path(req);
	char token[API_TOKEN_MAX], method[API_METHOD_MAX];

	if (fk_control_route(routes, sizeof(routes) / sizeof(routes[0]), fk, req, path)) {
		/* answered: /healthz or a control endpoint */
	} else if (api_match_path(path, token, method))
		api_handle(fk, req, token, method);
	else
		reply_error(fk, req, 404, "Not Found", 0, 0);
	free(path);
}
