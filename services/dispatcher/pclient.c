/*
 * Provider requests over libcurl multi, driven by a libevent loop
 * (curl_multi_socket_action: curl tells us which sockets and which
 * timeout to watch, libevent tells curl when they are ready). One multi
 * handle owns the connection cache, so connections are kept alive across
 * transfers; finished easy handles are kept on a free list and reused,
 * their fixed options set once.
 * Credentials only ever live in the transfer's header list or URL, and
 * are wiped when the transfer is done.
 */
#include "pclient.h"

#include <curl/curl.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "xmalloc.h"

#define PC_RESP_MAX (64 * 1024)
#define PC_CONNECT_TIMEOUT_MS 5000

/* One transfer: its easy handle, headers and the answer being read. */
struct pc_xfer {
	CURL              *easy;
	struct curl_slist *hdrs;
	char              *url;
	void              *owner;
	char              *resp;
	size_t             resp_len;
	size_t             resp_cap;
	char               errbuf[CURL_ERROR_SIZE];
	struct pc_xfer    *next_free;
};

/* A socket curl asked us to watch, and for what (EV_READ/EV_WRITE). */
struct pc_sock {
	struct event   *ev;
	short           kind;
	struct pc_sock *prev, *next;
};

struct pclient {
	CURLM             *multi;
	struct event_base *base;
	struct event      *curl_timer;   /* curl's own timeout */
	struct event      *wait_timer;   /* pc_poll's longest wait */
	struct pc_sock    *socks;
	int                running;
	long               timeout_ms;
	char              *ca_file;      /* NULL: the system's CA certificates */
	int                max_inflight;
	int                inflight;
	struct pc_xfer    *free_list;
};

/* libevent: a watched socket is ready; tell curl. */
static void pc_on_socket(evutil_socket_t fd, short what, void *arg)
{
	struct pclient *cl = arg;
	int action = ((what & EV_READ) ? CURL_CSELECT_IN : 0) |
	             ((what & EV_WRITE) ? CURL_CSELECT_OUT : 0);

	curl_multi_socket_action(cl->multi, fd, action, &cl->running);
}

/* libevent: curl's timeout expired. */
static void pc_on_curl_timer(evutil_socket_t fd, short what, void *arg)
{
	struct pclient *cl = arg;

	(void)fd;
	(void)what;
	curl_multi_socket_action(cl->multi, CURL_SOCKET_TIMEOUT, 0, &cl->running);
}

/* libevent: pc_poll waited long enough. */
static void pc_on_wait_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

/* curl: watch s for what (or stop watching it). */
static int pc_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct pclient *cl = userp;
	struct pc_sock *ps = socketp;
	short kind;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (ps != NULL) {
			event_free(ps->ev);
			if (ps->prev != NULL)
				ps->prev->next = ps->next;
			else
				cl->socks = ps->next;
			if (ps->next != NULL)
				ps->next->prev = ps->prev;
			free(ps);
			curl_multi_assign(cl->multi, s, NULL);
		}
		return 0;
	}
	kind = (short)(((what & CURL_POLL_IN) ? EV_READ : 0) | ((what & CURL_POLL_OUT) ? EV_WRITE : 0) |
	               EV_PERSIST);
	if (ps == NULL) {
		ps = xcalloc(1, sizeof(*ps));
		ps->next = cl->socks;
		if (cl->socks != NULL)
			cl->socks->prev = ps;
		cl->socks = ps;
		curl_multi_assign(cl->multi, s, ps);
		ps->ev = event_new(cl->base, s, kind, pc_on_socket, cl);
	} else if (ps->kind == kind) {
		return 0;   /* already watched for that */
	} else {
		event_del(ps->ev);
		event_assign(ps->ev, cl->base, s, kind, pc_on_socket, cl);
	}
	ps->kind = kind;
	event_add(ps->ev, NULL);
	return 0;
}

/* curl: call us back after timeout_ms (-1: never mind). */
static int pc_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct pclient *cl = userp;
	struct timeval tv;

	(void)multi;
	if (timeout_ms < 0) {
		evtimer_del(cl->curl_timer);
	} else {
		tv = clock_timeval(timeout_ms);
		evtimer_add(cl->curl_timer, &tv);
	}
	return 0;
}

struct pclient *pc_new(long max_inflight, long timeout_ms, const char *ca_file)
{
	struct pclient *cl = xcalloc(1, sizeof(*cl));

	cl->timeout_ms = timeout_ms;
	cl->ca_file = ca_file != NULL && ca_file[0] != '\0' ? xstrdup(ca_file) : NULL;
	cl->max_inflight = (int)max_inflight;
	cl->multi = curl_multi_init();
	cl->base = event_base_new();
	if (cl->multi == NULL || cl->base == NULL) {
		if (cl->multi != NULL)
			curl_multi_cleanup(cl->multi);
		if (cl->base != NULL)
			event_base_free(cl->base);
		free(cl->ca_file);
		free(cl);
		return NULL;
	}
	cl->curl_timer = evtimer_new(cl->base, pc_on_curl_timer, cl);
	cl->wait_timer = evtimer_new(cl->base, pc_on_wait_timer, cl);
	curl_multi_setopt(cl->multi, CURLMOPT_SOCKETFUNCTION, pc_socket_cb);
	curl_multi_setopt(cl->multi, CURLMOPT_SOCKETDATA, cl);
	curl_multi_setopt(cl->multi, CURLMOPT_TIMERFUNCTION, pc_timer_cb);
	curl_multi_setopt(cl->multi, CURLMOPT_TIMERDATA, cl);
	/* One connection per transfer in flight over HTTP/1.1; HTTP/2 multiplexes. */
	curl_multi_setopt(cl->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_inflight);
	curl_multi_setopt(cl->multi, CURLMOPT_MAXCONNECTS, max_inflight);
	curl_multi_setopt(cl->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	return cl;
}

void pc_free(struct pclient *cl)
{
	struct pc_xfer *x, *next;

	if (cl == NULL)
		return;
	for (x = cl->free_list; x != NULL; x = next) {
		next = x->next_free;
		curl_easy_cleanup(x->easy);
		free(x->resp);
		free(x);
	}
	curl_multi_cleanup(cl->multi);
	while (cl->socks != NULL) {   /* sockets curl did not hand back */
		struct pc_sock *ps = cl->socks;
		cl->socks = ps->next;
		event_free(ps->ev);
		free(ps);
	}
	event_free(cl->curl_timer);
	event_free(cl->wait_timer);
	event_base_free(cl->base);
	free(cl->ca_file);
	free(cl);
}

bool pc_full(const struct pclient *cl)
{
	return cl->inflight >= cl->max_inflight;
}

int pc_inflight(const struct pclient *cl)
{
	return cl->inflight;
}

/* curl write callback: keeps up to PC_RESP_MAX bytes of the answer. */
static size_t pc_on_data(char *data, size_t size, size_t nmemb, void *arg)
{
	struct pc_xfer *x = arg;
	size_t n = size * nmemb, room;

	room = PC_RESP_MAX - x->resp_len;
	if (n < room)
		room = n;
	if (x->resp_len + room + 1 > x->resp_cap) {
		x->resp_cap = x->resp_len + room + 1 < 1024 ? 1024 : x->resp_len + room + 1;
		x->resp = xrealloc(x->resp, x->resp_cap);
	}
	memcpy(x->resp + x->resp_len, data, room);
	x->resp_len += room;
	x->resp[x->resp_len] = '\0';
	return n;
}

/* Options that are the same for every transfer a handle makes. */
static void pc_xfer_setup(const struct pclient *cl, struct pc_xfer *x)
{
	CURL *e = x->easy;

	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "banditore-dispatcher/1");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, pc_on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, cl->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	                 cl->timeout_ms < PC_CONNECT_TIMEOUT_MS ? cl->timeout_ms
	                                                        : (long)PC_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	/* HTTP/2 where TLS offers it (ALPN), and a new transfer waits for a
	 * connection that may multiplex it rather than opening one more. */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	if (cl->ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, cl->ca_file);
}

/* A transfer from the free list, or a new one. */
static struct pc_xfer *pc_xfer_get(struct pclient *cl)
{
	struct pc_xfer *x = cl->free_list;

	if (x != NULL) {
		cl->free_list = x->next_free;
		return x;
	}
	x = xcalloc(1, sizeof(*x));
	x->easy = curl_easy_init();
	if (x->easy == NULL) {
		free(x);
		return NULL;
	}
	pc_xfer_setup(cl, x);
	return x;
}

/* Frees a header list, wiping each header first (one may hold a token). */
static void pc_headers_free(struct curl_slist *hdrs)
{
	for (struct curl_slist *h = hdrs; h != NULL; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(hdrs);
}

/* Returns a finished transfer to the free list. */
static void pc_xfer_put(struct pclient *cl, struct pc_xfer *x)
{
	pc_headers_free(x->hdrs);
	x->hdrs = NULL;
	if (x->url != NULL)
		explicit_bzero(x->url, strlen(x->url));
	free(x->url);
	x->url = NULL;
	x->owner = NULL;
	x->resp_len = 0;
	x->errbuf[0] = '\0';
	x->next_free = cl->free_list;
	cl->free_list = x;
}

int pc_post(struct pclient *cl, const char *url, const char *bearer, const char *body,
            void *owner)
{
	struct pc_xfer *x = pc_xfer_get(cl);
	char *auth;
	CURL *e;

	if (x == NULL)
		return -1;
	e = x->easy;
	x->owner = owner;
	x->url = xstrdup(url);
	if (bearer != NULL) {
		auth = xasprintf("Authorization: Bearer %s", bearer);
		x->hdrs = curl_slist_append(x->hdrs, auth);
		explicit_bzero(auth, strlen(auth));
		free(auth);
	}
	x->hdrs = curl_slist_append(x->hdrs, "Content-Type: application/json");
	x->hdrs = curl_slist_append(x->hdrs, "Expect:");   /* no 100-continue round trip */
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	if (curl_multi_add_handle(cl->multi, e) != CURLM_OK) {
		pc_xfer_put(cl, x);
		return -1;
	}
	cl->inflight++;
	return 0;
}

void pc_poll(struct pclient *cl, int timeout_ms, pc_done_cb cb, void *arg)
{
	struct timeval tv = clock_timeval(timeout_ms);
	struct pc_response resp;
	struct pc_xfer *x;
	CURLMsg *m;
	char *priv;
	int left;

	/* Wait for the first ready socket or timer, handle all that are ready. */
	if (timeout_ms > 0) {
		evtimer_add(cl->wait_timer, &tv);
		event_base_loop(cl->base, EVLOOP_ONCE);
		evtimer_del(cl->wait_timer);
	} else {
		event_base_loop(cl->base, EVLOOP_NONBLOCK);
	}
	while ((m = curl_multi_info_read(cl->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		x = (struct pc_xfer *)priv;
		memset(&resp, 0, sizeof(resp));
		resp.owner = x->owner;
		resp.transport = (int)m->data.result;
		resp.transport_msg = x->errbuf;
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &resp.http_status);
		curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME, &resp.seconds);
		resp.body = x->resp_len > 0 ? x->resp : NULL;
		resp.len = x->resp_len;
		curl_multi_remove_handle(cl->multi, x->easy);
		cl->inflight--;
		cb(&resp, arg);
		pc_xfer_put(cl, x);
	}
}
