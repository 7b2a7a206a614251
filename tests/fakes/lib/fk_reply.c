/* Answers now, later, or with a dropped connection; see fk_reply.h. */
#include "fk_reply.h"

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "clock.h"
#include "http.h"
#include "xmalloc.h"

/* An answer waiting for its timer. */
struct fk_reply_later {
	struct evhttp_request *req;
	int                    status;   /* 0: reset the connection instead */
	json_t                *body;
};

/* Drops the connection of req with RST (SO_LINGER 0); frees req. */
static void fk_reply_do_reset(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	struct linger lg = { 1, 0 };

	if (bev == NULL) {           /* the client left already: just let go of req */
		evhttp_send_reply(req, 500, "Gone", NULL);
		return;
	}
	(void)setsockopt(bufferevent_getfd(bev), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	evhttp_connection_free(evcon);   /* frees req with it */
}

/* Timer callback: the delayed answer. */
static void fk_reply_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct fk_reply_later *rl = arg;
	(void)fd;
	(void)what;

	if (rl->status == 0)
		fk_reply_do_reset(rl->req);
	else
		http_reply_json(rl->req, rl->status, rl->body);
	free(rl);
}

/* Schedules rl after delay_ms; runs it now if no timer can be set. */
static void fk_reply_schedule(struct event_base *base, struct fk_reply_later *rl, long delay_ms)
{
	struct timeval tv = clock_timeval(delay_ms < 0 ? 0 : delay_ms);

	if (event_base_once(base, -1, EV_TIMEOUT, fk_reply_on_timer, rl, &tv) != 0)
		fk_reply_on_timer(-1, EV_TIMEOUT, rl);
}

void fk_reply_json(struct event_base *base, struct evhttp_request *req, int status, json_t *body,
                   long delay_ms)
{
	struct fk_reply_later *rl;

	if (delay_ms <= 0) {
		http_reply_json(req, status, body);
		return;
	}
	rl = xmalloc(sizeof(*rl));
	rl->req = req;
	rl->status = status;
	rl->body = body;
	fk_reply_schedule(base, rl, delay_ms);
}

void fk_reply_reset(struct event_base *base, struct evhttp_request *req, long delay_ms)
{
	struct fk_reply_later *rl = xcalloc(1, sizeof(*rl));

	/* Never from inside the request callback: libevent still uses the connection. */
	rl->req = req;
	fk_reply_schedule(base, rl, delay_ms);
}
