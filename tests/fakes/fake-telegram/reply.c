/* Bot API answers, maybe delayed by the configured latency. */
#include "reply.h"

#include <event2/event.h>
#include <event2/http.h>
#include <stdlib.h>

#include "fake.h"
#include "http.h"
#include "xmalloc.h"

/* An answer held back by FAKE_TG_LATENCY_MS. */
struct delayed {
	struct evhttp_request *req;
	int                    status;
	json_t                *body;
};

/* Timer callback: sends a delayed answer. */
static void reply_on_delay(evutil_socket_t fd, short what, void *arg)
{
	struct delayed *d = arg;
	(void)fd;
	(void)what;

	http_reply_json(d->req, d->status, d->body);
	free(d);
}

/* Answers now, or after the configured latency. Steals body. */
static void reply_send(struct fake *fk, struct evhttp_request *req, int status, json_t *body)
{
	struct delayed *d;
	struct timeval tv;

	if (fk->cfg.latency_ms <= 0) {
		http_reply_json(req, status, body);
		return;
	}
	d = xmalloc(sizeof(*d));
	d->req = req;
	d->status = status;
	d->body = body;
	tv.tv_sec = fk->cfg.latency_ms / 1000;
	tv.tv_usec = (fk->cfg.latency_ms % 1000) * 1000;
	if (event_base_once(fk->base, -1, EV_TIMEOUT, reply_on_delay, d, &tv) != 0) {
		free(d);
		http_reply_json(req, status, body);
	}
}

void reply_ok(struct fake *fk, struct evhttp_request *req, json_t *result)
{
	reply_send(fk, req, 200, json_pack("{s:b, s:o}", "ok", 1, "result", result));
}

void reply_ok_described(struct fake *fk, struct evhttp_request *req, json_t *result,
                        const char *description)
{
	reply_send(fk, req, 200, json_pack("{s:b, s:o, s:s}", "ok", 1, "result", result,
	                                   "description", description));
}

void reply_error(struct fake *fk, struct evhttp_request *req, int code,
                 const char *description, long retry_after, long long migrate_to)
{
	json_t *body = json_pack("{s:b, s:i, s:s}", "ok", 0, "error_code", code,
	                         "description", description);
	json_t *params = NULL;

	if (retry_after > 0 || migrate_to != 0)
		params = json_object();
	if (retry_after > 0)
		json_object_set_new(params, "retry_after", json_integer(retry_after));
	if (migrate_to != 0)
		json_object_set_new(params, "migrate_to_chat_id", json_integer(migrate_to));
	if (params != NULL)
		json_object_set_new(body, "parameters", params);
	if (retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof(ra), "%ld", retry_after);
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", ra);
	}
	reply_send(fk, req, code >= 100 && code <= 599 ? code : 400, body);
}
