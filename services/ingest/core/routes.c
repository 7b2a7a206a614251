/*
 * The ingest's public listener: one generic callback dispatches by path
 * and method, /healthz and /readyz (load balancers) included. /metrics
 * is not here: it is served on the health port only (main.c).
 */
#include "core/routes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health.h"
#include "http.h"
#include "log.h"
#include "api/editor_api.h"
#include "archive/archive.h"
#include "core/conn_guard.h"
#include "core/ingest.h"
#include "core/ingest_metrics.h"
#include "form/form_handler.h"
#include "webhooks/tg_handler.h"
#include "webhooks/wa_handler.h"


/* Counts a reply by its class. */
static void count_outcome(int code)
{
	if (code == 503)
		metric_add(&im_unavailable, 1);
	else if (code >= 400 && code < 500)
		metric_add(&im_rejected, 1);
}

void routes_reply_json(struct evhttp_request *req, int code, json_t *body)
{
	count_outcome(code);
	http_reply_json(req, code, body);
}

void routes_reply_error(struct evhttp_request *req, int code, const char *error,
                        const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	routes_reply_json(req, code, json_pack("{s:s, s:s}", "error", error, "message", msg));
}

void routes_reply_text(struct evhttp_request *req, int code, const char *text)
{
	count_outcome(code);
	http_reply_text(req, code, "text/plain; charset=utf-8", text);
}

/* 405 with the methods the path does accept. */
static void reply_method(struct evhttp_request *req, const char *allow)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", allow);
	routes_reply_error(req, 405, "method_not_allowed", "use %s", allow);
}

/* Every request that is not a health route. */
static void routes_dispatch(struct evhttp_request *req, void *arg)
{
	struct ingest *ing = arg;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	char *path = http_path(req);

	cg_request_started(ing->guard, req);
	if (health_route(req, path, &ing->health, false)) {
		free(path);
		return;
	}
	metric_add(&im_requests, 1);
	if (ing->draining) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
		routes_reply_error(req, 503, "draining", "the service is shutting down");
	} else if (strcmp(path, "/webhooks/whatsapp") == 0) {
		if (cmd == EVHTTP_REQ_GET)
			wa_handle_verify(ing, req);
		else if (cmd == EVHTTP_REQ_POST)
			wa_handle_post(ing, req);
		else
			reply_method(req, "GET, POST");
	} else if (strncmp(path, TG_WEBHOOK_PREFIX, strlen(TG_WEBHOOK_PREFIX)) == 0) {
		if (cmd == EVHTTP_REQ_POST)
			tg_handle_post(ing, req, path + strlen(TG_WEBHOOK_PREFIX));
		else
			reply_method(req, "POST");
	} else if (editor_route(ing, req, path) || archive_route(ing, req, path)) {
		/* answered: editors' API, public archive */
	} else if (form_path_match(path)) {
		form_handle(ing, req, path);
	} else {
		routes_reply_error(req, 404, "not_found", "no such endpoint");
	}
	free(path);
}

void routes_install(struct ingest *ing)
{
	/* Let the router answer 405 for these instead of evhttp's 501. */
	evhttp_set_allowed_methods(ing->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	                           EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	                           EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	tg_metrics_register();
	wa_metrics_register();
	cg_metrics_register();
	archive_metrics_register();
	form_metrics_register();
	evhttp_set_gencb(ing->http, routes_dispatch, ing);
}
