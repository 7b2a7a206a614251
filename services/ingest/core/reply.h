/*
 * Answers of the public listener. Every reply of a routed request goes
 * through these, so that the outcome metrics (im_rejected for 4xx,
 * im_unavailable for 503) count each answer once.
 */
#ifndef BND_INGEST_REPLY_H
#define BND_INGEST_REPLY_H

#include <event2/http.h>
#include <jansson.h>

#include "http.h"

/* Counts an answer of status code by its class (4xx, 503). */
void reply_count(int code);
/* Replies JSON (steals body). */
void reply_json(struct evhttp_request *req, int code, json_t *body);
/* Replies {"error": error, "message": fmt, ...}: common's http_reply_error(),
 * counted. A statement; code is evaluated once. */
#define reply_error(req, code, ...)                                   \
	do {                                                          \
		int reply_code_ = (code);                             \
		reply_count(reply_code_);                             \
		http_reply_error((req), reply_code_, __VA_ARGS__);    \
	} while (0)
/* Replies text/plain. */
void reply_text(struct evhttp_request *req, int code, const char *text);
/* Replies text/html (takes ownership of html). */
void reply_html(struct evhttp_request *req, int code, char *html);
/* Replies image/svg+xml (takes ownership of svg). */
void reply_svg(struct evhttp_request *req, int code, char *svg);
/* 405 with Allow: allow, as {"error": "method_not_allowed"}. */
void reply_method(struct evhttp_request *req, const char *allow);

#endif
