/*
 * Connection limits and request deadlines for an evhttp listener; see
 * conn_guard.h.
 *
 * libevent 2.1 has no connection limit and no hook on accept but the
 * bufferevent callback (evhttp_set_bevcb), which runs before the
 * connection object exists. So each connection is adopted one loop turn
 * later: by then evhttp has set its own callbacks on the bufferevent,
 * whose argument is the evhttp_connection (evhttp_connection_base_
 * bufferevent_new does so in every libevent since 2.0; checked below
 * against evhttp_connection_get_bufferevent). From then on its close
 * callback tells us when it goes, and evhttp_connection_free closes it.
 * Until adopted we hold a reference on the bufferevent, since evhttp may
 * free the connection first (a client that connects and leaves at once).
 *
 * The request's first byte and the end of its headers are seen by a
 * callback on the bufferevent's input buffer: it runs as bytes are read,
 * before evhttp parses them.
 */
#include "core/conn_guard.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "clock.h"
#include "hmap.h"
#include "log.h"
#include "metrics.h"
#include "xmalloc.h"
#include "core/client_addr.h"

#define CG_WARN_EVERY_MS 10000

/* Where a connection is in its current request. */
enum cg_state {
	CG_WAITING,    /* between requests (keep-alive): evhttp's idle timeout only */
	CG_HEADERS,    /* a request began: its headers are due by started + header_ms */
	CG_BODY,       /* headers complete: the whole request is due by started + body_ms */
	CG_HANDLING,   /* with the router, or its answer being written: no deadline */
};

static const char *const cg_state_names[] = { "waiting", "headers", "body", "handling" };

struct cg_conn {
	struct connguard *cg;
	struct bufferevent *bev;
	struct evhttp_connection *evcon;    /* set when adopted */
	struct evbuffer_cb_entry *watch;    /* on bev's input buffer */
	struct event *timer;                /* adoption (at once), then the deadline */
	enum cg_state state;
	int64_t started_ms;                 /* the current request's first byte */
	size_t line_len;                    /* bytes of the header line being read */
	bool line_seen;                     /* a non-empty line of this request ended */
	bool adopted, refused, counted;
	char peer[CA_KEY_MAX];              /* "" until adopted, or if unknown */
	char key[24];                       /* bev's address: key in by_bev */
	struct cg_conn *prev, *next;
};

/* Open connections of one client address. */
struct cg_peer {
	char key[CA_KEY_MAX];
	long n;
};

struct connguard {
	struct event_base *base;
	struct cg_cfg cfg;
	struct hmap by_bev;        /* key -> cg_conn */
	struct hmap peers;         /* client address -> cg_peer */
	struct cg_conn *head;
	struct cg_conn *dead;      /* to free at a safe point (reaper) */
	struct event *reaper;
	long open;                 /* counted connections */
	int64_t refused_warned_ms, cut_warned_ms;
	long refused_since, cut_since;
};

static struct metric m_open = METRIC_GAUGE("bnd_ingest_connections",
    "connections open on the public listener");
static struct metric m_refused = METRIC_COUNTER("bnd_ingest_connections_refused_total",
    "connections answered 503 and closed at once (BND_MAX_CONNECTIONS or "
    "BND_MAX_CONNECTIONS_PER_IP reached)");
static struct metric m_cut = METRIC_COUNTER("bnd_ingest_requests_cut_total",
    "connections closed because a request's headers or body took longer than "
    "BND_HTTP_HEADER_TIMEOUT_MS / BND_HTTP_BODY_TIMEOUT_MS");

void cg_metrics_register(void)
{
	metrics_register(&m_open);
	metrics_register(&m_refused);
	metrics_register(&m_cut);
}

/* Counts one event of a kind; warns about them at most every 10 s. */
static void cg_warn(int64_t *warned_ms, long *since, const char *event, const char *what,
                    const struct connguard *cg)
{
	int64_t now = clock_mono_ms();

	(*since)++;
	if (*warned_ms != 0 && now - *warned_ms < CG_WARN_EVERY_MS)
		return;
	log_warn(event, "%ld connection(s) %s (open %ld, limits %ld, %ld per address; "
	         "deadlines %ld ms headers, %ld ms whole request)", *since, what, cg->open,
	         cg->cfg.max_conns, cg->cfg.max_per_peer, cg->cfg.header_ms, cg->cfg.body_ms);
	*warned_ms = now;
	*since = 0;
}

/* A peer's count, made if absent. */
static struct cg_peer *cg_peer(struct connguard *cg, const char *key)
{
	struct cg_peer *p = hmap_get(&cg->peers, key);

	if (p == NULL) {
		p = xcalloc(1, sizeof(*p));
		snprintf(p->key, sizeof(p->key), "%s", key);
		hmap_put(&cg->peers, p->key, p);
	}
	return p;
}

/* Takes c out of the counts. */
static void cg_uncount(struct cg_conn *c)
{
	struct connguard *cg = c->cg;

	if (!c->counted)
		return;
	cg->open--;
	metric_set(&m_open, cg->open);
	if (c->peer[0] != '\0') {
		struct cg_peer *p = hmap_get(&cg->peers, c->peer);
		if (p != NULL && --p->n <= 0)
			free(hmap_del(&cg->peers, c->peer));
		c->peer[0] = '\0';
	}
	c->counted = false;
}

/* Takes c out of every count and index and queues it to be freed at a
 * safe point: this may run inside c's own callbacks. */
static void cg_release(struct cg_conn *c)
{
	struct connguard *cg = c->cg;

	cg_uncount(c);
	if (c->watch != NULL) {
		evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->watch);
		c->watch = NULL;
	}
	evtimer_del(c->timer);
	hmap_del(&cg->by_bev, c->key);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		cg->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->prev = NULL;
	c->next = cg->dead;
	cg->dead = c;
	event_active(cg->reaper, EV_TIMEOUT, 0);
}

/* The reaper: frees the released connections' records. */
static void cg_on_reap(evutil_socket_t fd, short what, void *arg)
{
	struct connguard *cg = arg;

	while (cg->dead != NULL) {
		struct cg_conn *c = cg->dead;
		cg->dead = c->next;
		event_free(c->timer);
		free(c);
	}
}

/* evhttp is freeing c's connection (whoever asked). */
static void cg_on_close(struct evhttp_connection *evcon, void *arg)
{
	cg_release(arg);
}

/* Closes c's connection now (c is released). Not while the router holds
 * a request of it: that request would be freed under it. */
static void cg_close(struct cg_conn *c)
{
	evhttp_connection_free(c->evcon);   /* calls cg_on_close */
}

/* Arms the deadline of c's state (or none). */
static void cg_arm(struct cg_conn *c)
{
	int64_t due, left;
	struct timeval tv;

	if (!c->adopted)
		return;   /* adoption arms it */
	if (c->state == CG_HEADERS)
		due = c->started_ms + c->cg->cfg.header_ms;
	else if (c->state == CG_BODY)
		due = c->started_ms + c->cg->cfg.body_ms;
	else {
		evtimer_del(c->timer);
		return;
	}
	left = due - clock_mono_ms();
	if (left < 0)
		left = 0;
	tv = clock_timeval(left);
	evtimer_add(c->timer, &tv);
}

/* Reads n header bytes of c's request starting at from: notes the end of
 * its headers (an empty line after a non-empty one). */
static void cg_scan(struct cg_conn *c, struct evbuffer *buf, size_t from, size_t n)
{
	struct evbuffer_iovec vec[8];
	struct evbuffer_ptr pos;

	if (evbuffer_ptr_set(buf, &pos, from, EVBUFFER_PTR_SET) != 0)
		return;
	while (n > 0 && c->state == CG_HEADERS) {
		int nv = evbuffer_peek(buf, (ev_ssize_t)n, &pos, vec, 8);
		size_t done = 0;
		if (nv <= 0)
			return;
		for (int i = 0; i < nv && i < 8 && n > 0; i++) {
			const unsigned char *p = vec[i].iov_base;
			size_t len = vec[i].iov_len < n ? vec[i].iov_len : n;
			for (size_t k = 0; k < len; k++) {
				if (p[k] == '\n') {
					if (c->line_len == 0 && c->line_seen) {
						c->state = CG_BODY;
						return;
					}
					c->line_seen = c->line_seen || c->line_len > 0;
					c->line_len = 0;
				} else if (p[k] != '\r') {
					c->line_len++;
				}
			}
			done += len;
			n -= len;
		}
		if (n > 0 && evbuffer_ptr_set(buf, &pos, done, EVBUFFER_PTR_ADD) != 0)
			return;
	}
}

/* A new request begins on c now. */
static void cg_begin(struct cg_conn *c)
{
	c->state = CG_HEADERS;
	c->started_ms = clock_mono_ms();
	c->line_len = 0;
	c->line_seen = false;
}

/* Bytes came in (or went out to evhttp's parser) on c's input buffer. */
static void cg_on_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct cg_conn *c = arg;
	size_t len = evbuffer_get_length(buf);
	bool began = false;

	if (info->n_added == 0 || c->state == CG_HANDLING || c->state == CG_BODY)
		return;
	if (c->state == CG_WAITING) {
		cg_begin(c);
		began = true;
	}
	cg_scan(c, buf, len - info->n_added, info->n_added);
	if (began || c->state == CG_BODY)
		cg_arm(c);
}

/* Refuses c: a 503 written straight to the socket, then closed. */
static void cg_refuse(struct cg_conn *c)
{
	static const char reply[] = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
	                            "Retry-After: 1\r\nContent-Length: 0\r\n\r\n";
	evutil_socket_t fd = bufferevent_getfd(c->bev);

	metric_add(&m_refused, 1);
	cg_warn(&c->cg->refused_warned_ms, &c->cg->refused_since, "http.conn_refused",
	        "refused", c->cg);
	if (fd >= 0)
		(void)!send(fd, reply, sizeof(reply) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	cg_close(c);
}

/* Counts c under its client address; false (not counted) if that address
 * has no room, unless anyway. */
static bool cg_count_peer(struct cg_conn *c, bool anyway)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	struct cg_peer *p;

	c->peer[0] = '\0';
	if (c->cg->cfg.max_per_peer <= 0 || fd < 0 ||
	    getpeername(fd, (struct sockaddr *)&ss, &len) != 0 ||
	    ca_key_sockaddr((struct sockaddr *)&ss, len, c->peer) != 0) {
		c->peer[0] = '\0';
		return true;
	}
	p = cg_peer(c->cg, c->peer);
	if (p->n >= c->cg->cfg.max_per_peer && !anyway) {
		c->peer[0] = '\0';
		return false;
	}
	p->n++;
	return true;
}

/* One loop turn after the accept: find the evhttp_connection, check the
 * limits, start the deadline. */
static void cg_adopt(struct cg_conn *c)
{
	struct connguard *cg = c->cg;
	struct bufferevent *bev = c->bev;
	bufferevent_data_cb readcb;
	bufferevent_event_cb eventcb;
	void *arg = NULL;

	c->adopted = true;
	bufferevent_getcb(bev, &readcb, NULL, &eventcb, &arg);
	if ((readcb == NULL && eventcb == NULL) || arg == NULL ||
	    evhttp_connection_get_bufferevent(arg) != bev) {
		/* Gone already (bufferevent_free clears the callbacks). */
		cg_release(c);
		bufferevent_decref(bev);
		return;
	}
	c->evcon = arg;
	evhttp_connection_set_closecb(c->evcon, cg_on_close, c);
	bufferevent_decref(bev);   /* evhttp's close callback tells us from now on */
	if (c->state == CG_HANDLING) {
		/* Its whole request came before this turn: serve it, count it. */
		if (!c->counted) {
			c->counted = true;
			cg->open++;
			metric_set(&m_open, cg->open);
		}
		c->refused = false;
		(void)cg_count_peer(c, true);
		return;
	}
	if (c->counted && !cg_count_peer(c, false)) {
		cg_uncount(c);
		c->refused = true;
	}
	if (c->refused)
		cg_refuse(c);
	else
		cg_arm(c);
}

/* c's timer: adoption, then a deadline. */
static void cg_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct cg_conn *c = arg;
	long limit;

	if (!c->adopted) {
		cg_adopt(c);
		return;
	}
	if (c->state != CG_HEADERS && c->state != CG_BODY)
		return;
	limit = c->state == CG_HEADERS ? c->cg->cfg.header_ms : c->cg->cfg.body_ms;
	if (clock_mono_ms() - c->started_ms < limit) {
		cg_arm(c);
		return;
	}
	metric_add(&m_cut, 1);
	log_debug("http.request_cut", "a connection's request was still in its %s after %ld ms",
	          cg_state_names[c->state], limit);
	cg_warn(&c->cg->cut_warned_ms, &c->cg->cut_since, "http.request_cut",
	        "cut at their header or request deadline", c->cg);
	cg_close(c);
}

/* evhttp_set_bevcb: a connection was accepted; its bufferevent. */
static struct bufferevent *cg_on_accept(struct event_base *base, void *arg)
{
	static const struct timeval now = { 0, 0 };
	struct connguard *cg = arg;
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	struct cg_conn *c;

	if (bev == NULL)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->cg = cg;
	c->bev = bev;
	bufferevent_incref(bev);   /* until adopted */
	cg_begin(c);               /* the first request's deadline runs from the accept */
	c->timer = evtimer_new(base, cg_on_timer, c);
	c->watch = evbuffer_add_cb(bufferevent_get_input(bev), cg_on_input, c);
	snprintf(c->key, sizeof(c->key), "%p", (void *)bev);
	hmap_put(&cg->by_bev, c->key, c);
	c->next = cg->head;
	if (cg->head != NULL)
		cg->head->prev = c;
	cg->head = c;
	if (cg->open >= cg->cfg.max_conns) {
		c->refused = true;
	} else {
		c->counted = true;
		cg->open++;
		metric_set(&m_open, cg->open);
	}
	evtimer_add(c->timer, &now);
	return bev;
}

/* The guarded connection of req, or NULL. */
static struct cg_conn *cg_conn_of(struct connguard *cg, struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	char key[24];

	if (evcon == NULL)
		return NULL;
	snprintf(key, sizeof(key), "%p", (void *)evhttp_connection_get_bufferevent(evcon));
	return hmap_get(&cg->by_bev, key);
}

/* The answer to a request has been written: the next request may begin. */
static void cg_on_complete(struct evhttp_request *req, void *arg)
{
	struct cg_conn *c = cg_conn_of(arg, req);
	struct evbuffer *in;

	if (c == NULL)
		return;
	c->state = CG_WAITING;
	in = bufferevent_get_input(c->bev);
	if (evbuffer_get_length(in) > 0) {
		/* Pipelined: the next request's bytes are here already. */
		cg_begin(c);
		cg_scan(c, in, 0, evbuffer_get_length(in));
	}
	cg_arm(c);
}

void cg_request_started(struct connguard *cg, struct evhttp_request *req)
{
	struct cg_conn *c = cg_conn_of(cg, req);

	if (c == NULL)
		return;
	c->state = CG_HANDLING;
	if (c->adopted)
		evtimer_del(c->timer);   /* else it is the adoption, still due */
	evhttp_request_set_on_complete_cb(req, cg_on_complete, cg);
}

struct connguard *cg_new(struct event_base *base, struct evhttp *http,
                         const struct cg_cfg *cfg)
{
	struct connguard *cg = xcalloc(1, sizeof(*cg));

	cg->base = base;
	cg->cfg = *cfg;
	cg->reaper = event_new(base, -1, 0, cg_on_reap, cg);
	evhttp_set_bevcb(http, cg_on_accept, cg);
	return cg;
}

void cg_free(struct connguard *cg)
{
	if (cg == NULL)
		return;
	while (cg->head != NULL) {
		struct cg_conn *c = cg->head;
		struct bufferevent *bev = c->adopted ? NULL : c->bev;
		cg_release(c);
		if (bev != NULL)
			bufferevent_decref(bev);   /* evhttp_free let go of its own */
	}
	cg_on_reap(-1, 0, cg);
	event_free(cg->reaper);
	for (size_t i = 0; i < cg->peers.cap; i++)
		if (cg->peers.v[i].key != NULL)
			free(cg->peers.v[i].val);
	hmap_free(&cg->peers);
	hmap_free(&cg->by_bev);
	free(cg);
}

long cg_open(const struct connguard *cg)
{
	return cg->open;
}
