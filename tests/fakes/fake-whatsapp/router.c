/* Routes requests to the send endpoint or the test-control endpoints. */
#include "router.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "clock.h"
#include "errors.h"
#include "fake.h"
#include "faults.h"
#include "http.h"
#include "inbound.h"
#include "limits.h"
#include "log.h"
#include "statuses.h"
#include "store.h"
#include "xmalloc.h"

/* The value of query parameter `name` without leading spaces or '+' ('+' decodes as
 * a space), or NULL. Caller frees. */
static char *router_query(struct evhttp_request *req, const char *name)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct evkeyvalq params;
	const char *v;
	char *out = NULL;

	if (query == NULL || evhttp_parse_query_str(query, &params) != 0)
		return NULL;
	v = evhttp_find_header(&params, name);
	if (v != NULL) {
		while (*v == ' ' || *v == '+')
			v++;
		out = xstrdup(v);
	}
	evhttp_clear_headers(&params);
	return out;
}

/* GET /_fake/messages[?to=][&phone_number_id=], or DELETE. */
static void router_messages(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *to, *pnid;

	if (cmd == EVHTTP_REQ_DELETE) {
		store_clear(fk->store);
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	if (cmd != EVHTTP_REQ_GET) {
		http_reply_error(req, 405, "method_not_allowed", "use GET or DELETE");
		return;
	}
	to = router_query(req, "to");
	pnid = router_query(req, "phone_number_id");
	http_reply_json(req, 200, json_pack("{s:o}", "messages", store_messages(fk->store, to, pnid)));
	free(to);
	free(pnid);
}

/* The JSON body of req, or NULL (answered 400). Caller decrefs. */
static json_t *router_body(struct evhttp_request *req)
{
	json_error_t jerr;
	size_t len;
	const char *body = http_body(req, &len);
	json_t *in = json_loadb(body, len, 0, &jerr);

	if (in == NULL)
		http_reply_error(req, 400, "bad_request", "malformed JSON: %s", jerr.text);
	return in;
}

/* GET, POST or DELETE /_fake/faults (see faults.h). */
static void router_faults(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	struct fault_spec spec;
	char err[256];
	json_t *in;

	if (cmd == EVHTTP_REQ_GET) {
		http_reply_json(req, 200, json_pack("{s:o}", "faults",
		                                    faults_json(fk->faults, clock_wall_ms())));
		return;
	}
	if (cmd == EVHTTP_REQ_DELETE) {
		faults_clear(fk->faults);
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	if (cmd != EVHTTP_REQ_POST) {
		http_reply_error(req, 405, "method_not_allowed", "use GET, POST or DELETE");
		return;
	}
	if ((in = router_body(req)) == NULL)
		return;
	if (faults_parse(in, &spec, err, sizeof(err)) != 0) {
		http_reply_error(req, 400, "bad_request", "%s", err);
	} else {
		faults_add(fk->faults, &spec, clock_wall_ms());
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
	}
	json_decref(in);
}

/* GET or POST /_fake/config (see knobs.h). */
static void router_config(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char err[256];
	json_t *in;

	if (cmd == EVHTTP_REQ_POST) {
		if ((in = router_body(req)) == NULL)
			return;
		if (knobs_apply(&fk->knobs, fk->limits, in, err, sizeof(err)) != 0) {
			http_reply_error(req, 400, "bad_request", "%s", err);
			json_decref(in);
			return;
		}
		log_info("fake.config", "rate %.0f/s burst %.0f, pair period %ld ms, "
		         "latency %ld+%ld ms, status webhooks %s after %ld ms", fk->knobs.rate,
		         knobs_burst(&fk->knobs), fk->knobs.pair_period_ms, fk->knobs.latency_ms,
		         fk->knobs.jitter_ms, fk->knobs.status_webhooks ? "on" : "off",
		         fk->knobs.status_delay_ms);
		json_decref(in);
	} else if (cmd != EVHTTP_REQ_GET) {
		http_reply_error(req, 405, "method_not_allowed", "use GET or POST");
		return;
	}
	http_reply_json(req, 200, knobs_json(&fk->knobs, fk->limits));
}

/* GET /_fake/stats; DELETE zeroes the counters. */
static void router_stats(struct fake *fk, struct evhttp_request *req)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const struct store_stats *s = store_stats(fk->store);

	if (cmd == EVHTTP_REQ_DELETE) {
		store_stats_reset(fk->store);
		limits_reset(fk->limits);
		statuses_reset_sent(fk->statuses);
		http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
		return;
	}
	if (cmd != EVHTTP_REQ_GET) {
		http_reply_error(req, 405, "method_not_allowed", "use GET or DELETE");
		return;
	}
	http_reply_json(req, 200, json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I}",
		"accepted", (json_int_t)s->accepted, "rejected", (json_int_t)s->rejected,
		"throttled", (json_int_t)(s->throttled_130429 + s->throttled_131056),
		"throttled_130429", (json_int_t)s->throttled_130429,
		"throttled_131056", (json_int_t)s->throttled_131056,
		"errors_injected", (json_int_t)s->injected, "duplicates", (json_int_t)s->duplicates,
		"first_accepted_ms", (json_int_t)s->first_accepted_ms,
		"last_accepted_ms", (json_int_t)s->last_accepted_ms,
		"recorded", (json_int_t)store_count(fk->store),
		"accepted_by_sender", limits_accepted_json(fk->limits),
		"statuses_sent", (json_int_t)statuses_sent(fk->statuses),
		"statuses_pending", (json_int_t)statuses_pending(fk->statuses)));
}

/* The /_fake/ control endpoints. */
static void router_control(struct fake *fk, struct evhttp_request *req, const char *path)
{
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);

	if (strcmp(path, "/_fake/messages") == 0) {
		router_messages(fk, req);
	} else if (strcmp(path, "/_fake/stats") == 0) {
		router_stats(fk, req);
	} else if (strcmp(path, "/_fake/config") == 0) {
		router_config(fk, req);
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
