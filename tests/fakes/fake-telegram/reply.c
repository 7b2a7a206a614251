/* Bot API answers, maybe delayed by the configured latency. */
#include "reply.h"

#include <event2/http.h>
#include <stdio.h>

#include "fake.h"
#include "fk_reply.h"

/* Answers now, or after the configured latency. Steals body. */
static void reply_send(struct fake *fk, struct evhttp_request *req, int status, json_t *body)
{
	fk_reply_json(fk->srv.base, req, status, body, fk->cfg.latency_ms);
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
