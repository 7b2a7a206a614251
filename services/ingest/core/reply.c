/* Replies that count their outcome (reply.h). */
#include "core/reply.h"

#include <stdlib.h>

#include "http.h"
#include "core/ingest_metrics.h"

void reply_count(int code)
{
	if (code == 503)
		metric_add(&im_unavailable, 1);
	else if (code >= 400 && code < 500)
		metric_add(&im_rejected, 1);
}

void reply_json(struct evhttp_request *req, int code, json_t *body)
{
	reply_count(code);
	http_reply_json(req, code, body);
}

void reply_text(struct evhttp_request *req, int code, const char *text)
{
	reply_count(code);
	http_reply_text(req, code, "text/plain; charset=utf-8", text);
}

void reply_html(struct evhttp_request *req, int code, char *html)
{
	reply_count(code);
	http_reply_text(req, code, "text/html; charset=utf-8", html);
	free(html);
}

void reply_svg(struct evhttp_request *req, int code, char *svg)
{
	reply_count(code);
	http_reply_text(req, code, "image/svg+xml", svg);
	free(svg);
}

void reply_method(struct evhttp_request *req, const char *allow)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", allow);
	reply_error(req, 405, "method_not_allowed", "use %s", allow);
}
