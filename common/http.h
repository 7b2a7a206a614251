/*
 * HTTP server helpers on libevent's evhttp: listener set-up, JSON
 * replies and errors, request body access.
 */
#ifndef BND_HTTP_H
#define BND_HTTP_H

#include <event2/http.h>
#include <jansson.h>
#include <stddef.h>

struct event_base;

/* Binds addr:port. max_body: larger bodies are answered 413 by evhttp. */
struct evhttp *http_listen(struct event_base *base, const char *addr,
                           int port, size_t max_body, char *err, size_t errlen);
/* Replies with a JSON body; steals the reference to body. */
void http_reply_json(struct evhttp_request *req, int code, json_t *body);
/* Replies {"error": code_name, "message": msg}. */
void http_reply_error(struct evhttp_request *req, int code,
                      const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void http_reply_text(struct evhttp_request *req, int code,
                     const char *content_type, const char *text);
/* Called with each reply's status just before it is sent (every
 * http_reply_* goes through it): access logs, metrics. NULL: none. Set
 * it once at start-up, from the thread that answers. */
typedef void (*http_reply_hook)(struct evhttp_request *req, int code);
void http_set_reply_hook(http_reply_hook fn);
/*
 * The request body as one contiguous buffer of *len bytes followed by a
 * NUL that is not part of it (owned by the request; valid until it is
 * answered; the same on a second call). The body may itself hold NUL
 * bytes: whatever must see all of it takes len, never strlen. len may
 * be NULL.
 */
const char *http_body(struct evhttp_request *req, size_t *len);
/* Path of the request without the query string (caller frees). */
char *http_path(struct evhttp_request *req);
/* Value of a header or NULL. */
const char *http_header(struct evhttp_request *req, const char *name);

#endif
