/* Routes requests to the send endpoint or the test-control endpoints. */
#include "router.h"

#include <event2/http.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "clock.h"
#include "errors.h"
#include "fake.h"
#include "faults.h"
#include "fk_control.h"
#include "http.h"
#include "inbound.h"
#include "limits.h"
#include "log.h"
#include "statuses.h"
#include "store.h"

/* GET /_fake/messages[?to=][&phone_number_id=], or DELETE. */
static void router_messages(void *arg, struct evhttp_request *req)
{
	struct fake *fk = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *to, *pnid;

	if (cmd == EVHTTP_REQ_DELETE) {
		store_clear(fk->store);
		fk_control_ok(req);
		return;
	}
	if (cmd != EVHTTP_REQ_GET) {
		fk_control_method(req, "GET or DELETE");
		return;
	}
	to = fk_control_query(req, "to");
	pnid = fk_control_query(req, "phone_number_id");
	http_reply_json(req, 200, json_pack("{s:o}", "messages", store_messages(fk->store, to, pnid)));
	free(to);
	free(pnid);
}

/* The JSON object of req, or NULL (answered 400). Caller decrefs. */
static json_t *router_body(struct evhttp_request *req)
{
	char err[256];
	json_t *in = fk_control_body(req, err, sizeof(err));

	if (in == NULL)
		http_reply_error(req, 400, "bad_request", "%s", err);
	return in;
}

/* GET, POST or DELETE /_fake/faults (see faults.h). */
static void router_faults(void *arg, struct evhttp_request *req)
{
	struct fake *fk = arg;
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
		fk_control_ok(req);
		return;
	}
	if (cmd != EVHTTP_REQ_POST) {
		fk_control_method(req, "GET, POST or DELETE");
		return;
	}
	if ((in = router_body(req)) == NULL)
		return;
	if (faults_parse(in, &spec, err, sizeof(err)) != 0) {
		http_reply_error(req, 400, "bad_request", "%s", err);
	} else {
		faults_add(fk->faults, &spec, clock_wall_ms());
		fk_control_ok(req);
	}
	json_decref(in);
}

/* Sets some knobs and logs them all (fk_knobs.apply). */
static int router_knobs_set(void *arg, const json_t *in, char *err, size_t errlen)
{
	struct fake *fk = arg;

	if (knobs_apply(&fk->knobs, fk->limits, in, err, errlen) != 0)
		return -1;
	log_info("fake.config", "rate %.0f/s burst %.0f, pair period %ld ms, "
	         "latency %ld+%ld ms, status webhooks %s after %ld ms", fk->knobs.rate,
	         knobs_burst(&fk->knobs), fk->knobs.pair_period_ms, fk->knobs.latency_ms,
	         fk->knobs.jitter_ms, fk->knobs.status_webhooks ? "on" : "off",
	         fk->knobs.status_delay_ms);
	return 0;
}

/* Every knob (fk_knobs.show). */
static json_t *router_knobs_json(void *arg)
{
	struct fake *fk = arg;

	return knobs_json(&fk->knobs, fk->limits);
}

/* GET or POST /_fake/config (see knobs.h). */
static void router_config(void *arg, struct evhttp_request *req)
{
	static const struct fk_knobs knobs = { router_knobs_set, router_knobs_json };

	fk_control_config(&knobs, arg, req);
}

/* GET /_fake/stats; DELETE zeroes the counters. */
static void router_stats(void *arg, struct evhttp_request *req)
{
	struct fake *fk = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const struct store_stats *s = store_stats(fk->store);

	if (cmd == EVHTTP_REQ_DELETE) {
		store_stats_reset(fk->store);
		limits_reset(fk->limits);
		statuses_reset_sent(fk->statuses);
		fk_control_ok(req);
		return;
	}
	if (cmd != EVHTTP_REQ_GET) {
		fk_control_method(req, "GET or DELETE");
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

/* POST /_fake/inbound (inbound.h). */
static void router_inbound(void *arg, struct evhttp_request *req)
{
	inbound_handle(arg, req);
}

/* DELETE /_fake/windows. */
static void router_windows(void *arg, struct evhttp_request *req)
{
	struct fake *fk = arg;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_DELETE) {
		http_reply_error(req, 404, "not_found", "no such control endpoint");
		return;
	}
	store_windows_clear(fk->store);
	fk_control_ok(req);
}

static const struct fk_route routes[] = {
	{ "/_fake/messages", router_messages }, { "/_fake/stats", router_stats },
	{ "/_fake/config", router_config },     { "/_fake/inbound", router_inbound },
	{ "/_fake/faults", router_faults },     { "/_fake/windows", router_windows },
};

void router_handle(struct evhttp_request *req, void *arg)
{
	struct fake *fk = arg;
	char *path = http_path(req);
	char pnid[API_PNID_MAX];

	if (fk_control_route(routes, sizeof(routes) / sizeof(routes[0]), fk, req, path)) {
		/* answered: /healthz or a control endpoint */
	} else if (api_match_path(path, pnid))
		api_handle_send(fk, req, pnid);
	else
		errors_reply(req, WAERR_UNKNOWN_PATH, NULL);
	free(path);
}
