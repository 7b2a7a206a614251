/* Webhook POSTs and the test relay; see fk_post.h. */
#include "fk_post.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "xmalloc.h"

/* A POST in flight. */
struct fk_call {
	struct event_base        *base;
	struct evhttp_connection *evcon;     /* ours: freed once the exchange is over */
	fk_post_done_fn           done;
	void                     *arg;       /* the caller's, handed to done */
};

/* Where a webhook URL points: host, port and the request target (path?query). */
struct fk_dest {
	char *host;
	int   port;
	char *target;
};

/* Frees a finished call and its connection, from the loop, outside libevent's callbacks. */
static void fk_call_free(evutil_socket_t fd, short what, void *arg)
{
	struct fk_call *call = arg;
	(void)fd;
	(void)what;

	if (call->evcon != NULL)
		evhttp_connection_free(call->evcon);
	free(call);
}

/* The receiver answered (or did not): tells the caller, then lets the call go. */
static void fk_on_response(struct evhttp_request *resp, void *arg)
{
	struct fk_call *call = arg;
	struct timeval now = { 0, 0 };
	int status = resp != NULL ? evhttp_request_get_response_code(resp) : 0;

	call->done(status, call->arg);
	/* Not evhttp_connection_free_on_completion(): libevent 2.1 does not free
	 * the connection when connecting fails. We never free it in its own
	 * callback either: the loop does it next. */
	if (event_base_once(call->base, -1, EV_TIMEOUT, fk_call_free, call, &now) != 0)
		log_error("fake.leak", "cannot schedule the release of a webhook connection");
}

/* Splits url into dest (caller frees with fk_dest_free). 0 or -1. */
static int fk_dest_parse(const char *url, struct fk_dest *dest)
{
	struct evhttp_uri *uri = evhttp_uri_parse(url);
	const char *scheme, *host, *path, *query;
	int rc = -1;

	if (uri == NULL || (scheme = evhttp_uri_get_scheme(uri)) == NULL ||
	    strcmp(scheme, "http") != 0 || (host = evhttp_uri_get_host(uri)) == NULL)
		goto done;
	path = evhttp_uri_get_path(uri);
	query = evhttp_uri_get_query(uri);
	dest->host = xstrdup(host);
	dest->port = evhttp_uri_get_port(uri) > 0 ? evhttp_uri_get_port(uri) : 80;
	dest->target = xasprintf("%s%s%s", path && *path ? path : "/", query ? "?" : "",
	                         query ? query : "");
	rc = 0;
done:
	if (uri != NULL)
		evhttp_uri_free(uri);
	return rc;
}

/* Frees what fk_dest_parse allocated. */
static void fk_dest_free(struct fk_dest *dest)
{
	free(dest->host);
	free(dest->target);
}

/* A POST request of body to dest with the headers h, answered to call. */
static struct evhttp_request *fk_request(const struct fk_dest *dest, const struct fk_header *h,
                                         size_t n, const char *body, size_t len,
                                         struct fk_call *call)
{
	struct evhttp_request *wreq = evhttp_request_new(fk_on_response, call);
	struct evkeyvalq *hdrs = evhttp_request_get_output_headers(wreq);
	char hostport[300], clen[24];

	snprintf(hostport, sizeof(hostport), "%s:%d", dest->host, dest->port);
	snprintf(clen, sizeof(clen), "%zu", len);
	evhttp_add_header(hdrs, "Host", hostport);
	evhttp_add_header(hdrs, "Content-Type", "application/json");
	evhttp_add_header(hdrs, "Content-Length", clen);
	for (size_t i = 0; i < n; i++)
		evhttp_add_header(hdrs, h[i].name, h[i].value);
	evbuffer_add(evhttp_request_get_output_buffer(wreq), body, len);
	return wreq;
}

int fk_post(struct event_base *base, const char *url, const struct fk_header *h, size_t n,
            const char *body, size_t len, fk_post_done_fn done, void *arg, char *err,
            size_t errlen)
{
	struct fk_dest dest = { NULL, 0, NULL };
	struct fk_call *call = NULL;
	struct evhttp_connection *evcon;
	int rc = -1;

	if (fk_dest_parse(url, &dest) != 0) {
		snprintf(err, errlen, "the webhook URL must be an http:// URL");
		goto done;
	}
	evcon = evhttp_connection_base_new(base, NULL, dest.host, (unsigned short)dest.port);
	if (evcon == NULL) {
		snprintf(err, errlen, "cannot create a connection to %s:%d", dest.host, dest.port);
		goto done;
	}
	evhttp_connection_set_timeout(evcon, FK_POST_TIMEOUT_S);
	call = xcalloc(1, sizeof(*call));
	*call = (struct fk_call){ .base = base, .evcon = evcon, .done = done, .arg = arg };
	if (evhttp_make_request(evcon, fk_request(&dest, h, n, body, len, call), EVHTTP_REQ_POST,
	                        dest.target) != 0) {
		/* No socket: the callback was not called and will not be. */
		snprintf(err, errlen, "cannot send the webhook request");
		evhttp_connection_free(evcon);
		free(call);
		goto done;
	}
	rc = 0;
done:
	fk_dest_free(&dest);
	return rc;
}

/* A test request waiting for the answer of its webhook POST. */
struct fk_relay {
	struct evhttp_request *test_req;
	const char            *id_name;
	json_t                *id;
};

/* Answers the test: status (0 = none, with err) and the id. Frees r. */
static void fk_relay_answer(struct fk_relay *r, int status, const char *err)
{
	json_t *out = json_pack("{s:i, s:O}", "status", status, r->id_name, r->id);
	/* The id as logged: a string as it is, a number in decimal. */
	char *id = json_is_string(r->id) ? xstrdup(json_string_value(r->id))
	                                 : json_dumps(r->id, JSON_ENCODE_ANY);

	if (err != NULL) {
		log_warn("fake.webhook_failed", "%s %s: %s", r->id_name, id, err);
		json_object_set_new(out, "error", json_string(err));
	} else if (status != 0) {
		log_info("fake.webhook_sent", "%s %s answered %d", r->id_name, id, status);
	}
	http_reply_json(r->test_req, err != NULL ? 502 : 200, out);
	free(id);
	json_decref(r->id);
	free(r);
}

/* fk_post_done_fn of a relay. */
static void fk_relay_done(int status, void *arg)
{
	fk_relay_answer(arg, status, status == 0 ? "webhook POST failed" : NULL);
}

void fk_post_relay(struct event_base *base, const char *url, const struct fk_header *h, size_t n,
                   const char *body, size_t len, struct evhttp_request *test_req,
                   const char *id_name, json_t *id)
{
	struct fk_relay *r = xmalloc(sizeof(*r));
	char err[256];

	*r = (struct fk_relay){ test_req, id_name, id };
	if (url[0] == '\0')
		fk_relay_answer(r, 0, NULL);
	else if (fk_post(base, url, h, n, body, len, fk_relay_done, r, err, sizeof(err)) != 0)
		fk_relay_answer(r, 0, err);
}
