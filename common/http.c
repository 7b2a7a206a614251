/* HTTP server helpers on evhttp. */
#include "http.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/keyvalq_struct.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

struct evhttp *http_listen(struct event_base *base, const char *addr,
                           int port, size_t max_body, char *err, size_t errlen)
{
	struct evhttp *http = evhttp_new(base);

	if (http == NULL) {
		snprintf(err, errlen, "evhttp_new failed");
		return NULL;
	}
	evhttp_set_max_body_size(http, (ev_ssize_t)max_body);
	evhttp_set_max_headers_size(http, 16384);
	evhttp_set_timeout(http, 30);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	                           EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD);
	if (evhttp_bind_socket(http, addr, (ev_uint16_t)port) != 0) {
		snprintf(err, errlen, "cannot listen on %s:%d", addr, port);
		evhttp_free(http);
		return NULL;
	}
	return http;
}

static http_reply_hook reply_hook;

void http_set_reply_hook(http_reply_hook fn)
{
	reply_hook = fn;
}

void http_reply_text(struct evhttp_request *req, int code,
                     const char *content_type, const char *text)
{
	struct evbuffer *buf = evbuffer_new();

	if (reply_hook != NULL)
		reply_hook(req, code);

	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", content_type);
	/* HEAD: the same headers, the length the body would have, no body
	 * (libevent would send one). */
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		char len[24];
		snprintf(len, sizeof(len), "%zu", strlen(text));
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Length", len);
	} else {
		evbuffer_add(buf, text, strlen(text));
	}
	evhttp_send_reply(req, code, NULL, buf);
	evbuffer_free(buf);
}

void http_reply_json(struct evhttp_request *req, int code, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);

	http_reply_text(req, code, "application/json", text ? text : "{}");
	free(text);
	json_decref(body);
}

void http_reply_error(struct evhttp_request *req, int code,
                      const char *error, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	http_reply_json(req, code, json_pack("{s:s, s:s}", "error", error, "message", msg));
}

const char *http_body(struct evhttp_request *req, size_t *len)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);

	/*
	 * Parsers get a C string, signatures and JSON see exactly the bytes
	 * received, a NUL among them included: the terminating NUL is added
	 * past the body and the buffer's end is then frozen. A second call
	 * knows the NUL is ours because adding fails; a body that itself
	 * ends in NUL keeps that byte (it must fail its signature or its
	 * parse, never pass as a shorter body).
	 */
	if (evbuffer_add(in, "", 1) == 0)
		evbuffer_freeze(in, 0);
	else
		n--;
	if (len != NULL)
		*len = n;
	return (const char *)evbuffer_pullup(in, -1);
}

char *http_path(struct evhttp_request *req)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	return xstrdup(path && *path ? path : "/");
}

const char *http_header(struct evhttp_request *req, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(req), name);
}
