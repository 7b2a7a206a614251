/* Routes requests to the Bot API or the test-control endpoints. */
#include "router.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fake.h"
#include "http.h"
#include "reply.h"
#include "store.h"
#include "throttle.h"
#include "update.h"
#include "xmalloc.h"

/* The value of ?chat_id=, or NULL. Caller frees. */
static char *router_query_chat(struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq params;
	const char *chat;
	char *out = NULL;

	if (query == NULL || evhttp_parse_query_str(query, &params) != 0)
		return NULL;
	chat = evhttp_find_header(&params, "chat_id");
	if (chat != NULL && *chat != '\0')
		out = xstrdup(chat);
	evhttp_clear_headers(&params);
	return out;
}

/* GET or DELETE /_fake/messages. */
static void router_messages(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *chat;

	if (cmd == EVHTTP_REQ_DELETE) {
		store_clear(fk->store);
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	if (cmd != EVHTTP_REQ_GET) {
		http_reply_error(req, 405, "method_not_allowed", "use GET or DELETE");
		return;
	}
	chat = router_query_chat(req);
	http_reply_json(req, 200, json_pack("{s:o}", "messages", store_messages(fk->store, chat)));
	free(chat);
}

/* The body of a control request as a JSON object, or NULL. */
static json_t *router_json(struct evhttp_request *req)
{
	size_t len;
	const char *body = http_body(req, &len);
	json_t *in = json_loadb(body, len, 0, NULL);

	if (!json_is_object(in)) {
		json_decref(in);
		return NULL;
	}
	return in;
}

/* POST /_fake/faults (see router.h); DELETE clears. */
static void router_faults(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	struct store_fault f = { 0 };
	json_int_t code = 0, count = 1, retry = 0, migrate = 0;
	const char *chat = NULL, *desc = NULL;
	char key[API_CHAT_MAX];
	json_t *in;

	if (cmd == EVHTTP_REQ_DELETE) {
		store_faults_clear(fk->store);
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	if (cmd != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "use POST or DELETE");
		return;
	}
	in = router_json(req);
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
	http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
	json_decref(in);
}

/* POST /_fake/block {"chat_id":N, "state":"blocked", "count":K}: chats N..N+K-1
 * (count 1 by default) take that state; no update is sent. */
static void router_block(struct fake *fk, struct evhttp_request *req)
{
	static const struct { const char *name; enum chat_state state; } states[] = {
		{ "blocked", CHAT_BLOCKED }, { "deactivated", CHAT_DEACTIVATED },
		{ "started", CHAT_STARTED }, { "unknown", CHAT_UNKNOWN },
	};
	json_t *in = router_json(req);
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
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		json_decref(in);
		return;
	}
bad:
	http_reply_error(req, 400, "bad_request", "POST {\"chat_id\":N, \"state\":\"blocked|"
	                 "deactivated|started|unknown\", \"count\":K}");
	json_decref(in);
}

/* GET /_fake/config, or POST some knobs: {"rate":30, "chat_rate":1, "chat_burst":3}. */
static void router_config(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char err[256];
	json_t *in;

	if (cmd == EVHTTP_REQ_POST) {
		in = router_json(req);
		if (in == NULL || throttle_apply(fk->throttle, in, err, sizeof(err)) != 0) {
			http_reply_error(req, 400, "bad_request", "%s",
			                 in == NULL ? "malformed JSON" : err);
			json_decref(in);
			return;
		}
		json_decref(in);
	} else if (cmd != EVHTTP_REQ_GET) {
		http_reply_error(req, 405, "method_not_allowed", "use GET or POST");
		return;
	}
	http_reply_json(req, 200, throttle_json(fk->throttle));
}

/* The /_fake/ control endpoints. */
static void router_control(struct fake *fk, struct evhttp_request *req, const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);

	if (strcmp(path, "/_fake/messages") == 0) {
		router_messages(fk, req);
	} else if (strcmp(path, "/_fake/stats") == 0 && cmd == EVHTTP_REQ_GET) {
		http_reply_json(req, 200, json_pack("{s:I, s:I, s:I, s:I}",
		                                    "accepted", (json_int_t)store_accepted(fk->store),
		                                    "rejected", (json_int_t)store_rejected(fk->store),
		                                    "throttled", (json_int_t)throttle_count(fk->throttle),
		                                    "updates", (json_int_t)store_updates(fk->store)));
	} else if (strcmp(path, "/_fake/config") == 0) {
		router_config(fk, req);
	} else if (strcmp(path, "/_fake/update") == 0) {
		update_handle(fk, req);
	} else if (strcmp(path, "/_fake/block") == 0) {
		router_block(fk, req);
	} else if (strcmp(path, "/_fake/faults") == 0) {
		router_faults(fk, req);
	} else {
		http_reply_error(req, 404, "not_found", "no such control endpoint");
	}
}

void router_handle(struct evhttp_request *req, void *arg)
{
	struct fake *fk = arg;
	char *path = http_path(req);
	char token[API_TOKEN_MAX], method[API_METHOD_MAX];

	if (strncmp(path, "/_fake/", 7) == 0)
		router_control(fk, req, path);
	else if (strcmp(path, "/healthz") == 0)
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
	else if (api_match_path(path, token, method))
		api_handle(fk, req, token, method);
	else
		reply_error(fk, req, 404, "Not Found", 0, 0);
	free(path);
}
