/* Routes requests to the send endpoint or the test-control endpoints. */
#include "router.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "errors.h"
#include "fake.h"
#include "http.h"
#include "inbound.h"
#include "store.h"
#include "xmalloc.h"

/* The value of ?to= without spaces or '+' ('+' decodes as a space), or NULL. Caller frees. */
static char *router_query_to(struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq params;
	const char *to;
	char *out = NULL;

	if (query == NULL || evhttp_parse_query_str(query, &params) != 0)
		return NULL;
	to = evhttp_find_header(&params, "to");
	if (to != NULL) {
		while (*to == ' ' || *to == '+')
			to++;
		out = xstrdup(to);
	}
	evhttp_clear_headers(&params);
	return out;
}

/* GET or DELETE /_fake/messages. */
static void router_messages(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *to;

	if (cmd == EVHTTP_REQ_DELETE) {
		store_clear(fk->store);
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	if (cmd != EVHTTP_REQ_GET) {
		http_reply_error(req, 405, "method_not_allowed", "use GET or DELETE");
		return;
	}
	to = router_query_to(req);
	http_reply_json(req, 200, json_pack("{s:o}", "messages", store_messages(fk->store, to)));
	free(to);
}

/* POST /_fake/faults {"code":N,"count":1,"http":0,"to":"digits"}; DELETE clears. */
static void router_faults(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	json_int_t code = 0, count = 1, status = 0;
	const char *to = NULL;
	json_error_t jerr;
	size_t len;
	const char *body;
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
	body = http_body(req, &len);
	in = json_loadb(body, len, 0, &jerr);
	if (in == NULL || json_unpack(in, "{s:I, s?:I, s?:I, s?:s}", "code", &code, "count", &count,
	                              "http", &status, "to", &to) != 0 ||
	    code <= 0 || count <= 0 || (status != 0 && (status < 100 || status > 599))) {
		http_reply_error(req, 400, "bad_request",
		                 "want {\"code\":N, \"count\":1, \"http\":0, \"to\":\"digits\"}");
		json_decref(in);
		return;
	}
	store_fault_add(fk->store, (int)code, (int)status, (long)count, to);
	http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
	json_decref(in);
}

/* The /_fake/ control endpoints. */
static void router_control(struct fake *fk, struct evhttp_request *req, const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);

	if (strcmp(path, "/_fake/messages") == 0) {
		router_messages(fk, req);
	} else if (strcmp(path, "/_fake/stats") == 0 && cmd == EVHTTP_REQ_GET) {
		http_reply_json(req, 200, json_pack("{s:I, s:I}",
		                                    "accepted", (json_int_t)store_accepted(fk->store),
		                                    "rejected", (json_int_t)store_rejected(fk->store)));
	} else if (strcmp(path, "/_fake/inbound") == 0) {
		inbound_handle(fk, req);
	} else if (strcmp(path, "/_fake/faults") == 0) {
		router_faults(fk, req);
	} else if (strcmp(path, "/_fake/windows") == 0 && cmd == EVHTTP_REQ_DELETE) {
		store_windows_clear(fk->store);
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
	} else {
		http_reply_error(req, 404, "not_found", "no such control endpoint");
	}
}

void router_handle(struct evhttp_request *req, void *arg)
{
	struct fake *fk = arg;
	char *path = http_path(req);
	char pnid[API_PNID_MAX];

	if (strncmp(path, "/_fake/", 7) == 0)
		router_control(fk, req, path);
	else if (strcmp(path, "/healthz") == 0)
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
	else if (api_match_path(path, pnid))
		api_handle_send(fk, req, pnid);
	else
		errors_reply(req, WAERR_UNKNOWN_PATH, NULL);
	free(path);
}
