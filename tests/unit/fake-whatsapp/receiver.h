/*
 * A webhook receiver on 127.0.0.1 for the fake's unit tests (header only:
 * the Makefile builds test_*.c alone). It records what it gets and answers
 * with the statuses it is told to, in order (200 once they are used up).
 * run_until() turns the loop until a condition holds or a deadline passes;
 * run_for() for a while.
 */
#ifndef TEST_FAKE_WA_RECEIVER_H
#define TEST_FAKE_WA_RECEIVER_H

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "xmalloc.h"

#define RCV_MAX 32

/* One request the receiver got. */
struct rcv_hit {
	char  *uri;
	char  *body;
	size_t len;
	char  *sig256;
	char  *sig1;
	char  *ctype;
	char  *agent;
};

struct receiver {
	struct evhttp  *http;
	int             port;
	const int      *answers;    /* status of the i-th answer; 200 beyond nanswers */
	size_t          nanswers;
	struct rcv_hit  hits[RCV_MAX];
	size_t          n;
};

/* xstrdup of a header value, or NULL if absent. */
static char *rcv_header(struct evhttp_request *req, const char *name)
{
	const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), name);
	return v != NULL ? xstrdup(v) : NULL;
}

/* Records one request and answers it. */
static void rcv_on_request(struct evhttp_request *req, void *arg)
{
	struct receiver *r = arg;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	int status = r->n < r->nanswers ? r->answers[r->n] : 200;

	if (r->n < RCV_MAX) {
		struct rcv_hit *h = &r->hits[r->n];
		h->uri = xstrdup(evhttp_request_get_uri(req));
		h->len = evbuffer_get_length(in);
		h->body = xcalloc(1, h->len + 1);
		evbuffer_remove(in, h->body, h->len);
		h->sig256 = rcv_header(req, "X-Hub-Signature-256");
		h->sig1 = rcv_header(req, "X-Hub-Signature");
		h->ctype = rcv_header(req, "Content-Type");
		h->agent = rcv_header(req, "User-Agent");
	}
	r->n++;
	evhttp_send_reply(req, status, "Test", NULL);
}

/* Listens on 127.0.0.1, a free port (r->port). */
static void rcv_start(struct receiver *r, struct event_base *base)
{
	struct evhttp_bound_socket *sock;
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);

	memset(r, 0, sizeof(*r));
	r->http = evhttp_new(base);
	sock = evhttp_bind_socket_with_handle(r->http, "127.0.0.1", 0);
	if (sock == NULL || getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&sa,
	                                &salen) != 0)
		abort();
	r->port = ntohs(sa.sin_port);
	evhttp_set_gencb(r->http, rcv_on_request, r);
}

/* Stops listening and forgets what was recorded. */
static void rcv_stop(struct receiver *r)
{
	for (size_t i = 0; i < r->n && i < RCV_MAX; i++) {
		struct rcv_hit *h = &r->hits[i];
		free(h->uri);
		free(h->body);
		free(h->sig256);
		free(h->sig1);
		free(h->ctype);
		free(h->agent);
	}
	evhttp_free(r->http);
	r->http = NULL;
}

/* A TCP port on 127.0.0.1 that nobody listens on (bound, then closed). */
static int rcv_closed_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t salen = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &salen) != 0)
		abort();
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

/* Keeps the loop waking while run_until waits. */
static void rcv_on_wake(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

/* Turns base's loop until done(arg) or timeout_ms; returns done(arg). */
static bool run_until(struct event_base *base, bool (*done)(void *), void *arg, long timeout_ms)
{
	struct event *wake = event_new(base, -1, EV_PERSIST, rcv_on_wake, NULL);
	struct timeval tv = { 0, 10 * 1000 };
	int64_t end = clock_mono_ms() + timeout_ms;

	event_add(wake, &tv);
	while (!done(arg) && clock_mono_ms() < end)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(wake);
	return done(arg);
}

/* run_until condition that never holds. */
static bool rcv_never(void *arg)
{
	(void)arg;
	return false;
}

/* Turns base's loop for ms (lets deferred releases run before the base is freed). */
static void run_for(struct event_base *base, long ms)
{
	run_until(base, rcv_never, NULL, ms);
}

#endif
