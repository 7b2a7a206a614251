/* Access log and request metrics of the public listener; see access.h. */
#include "core/access.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "histo.h"
#include "hmap.h"
#include "http.h"
#include "log.h"
#include "xmalloc.h"
#include "core/client_addr.h"
#include "core/request_id.h"

/* One open request. */
struct access_rec {
	char        key[24];               /* the request's address: the map's key */
	int64_t     start_ms;              /* monotonic */
	const char *route;
	const char *method;
	char        rid[RID_MAX + 1];
	char        client[CA_KEY_MAX + 4];
};

static struct hmap open_reqs;
static struct histo h_requests;

/* The method's name for logs and labels. */
static const char *access_method(struct evhttp_request *req)
{
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_PATCH: return "PATCH";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	default: return "OTHER";
	}
}

/* The peer's address cut short: IPv4 to its /24, IPv6 to its /64 (the
 * abuse controls' key, client_addr.h); "" if unknown. */
static void access_client(struct evhttp_request *req, char *out, size_t size)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	char *peer = NULL, key[CA_KEY_MAX], *dot;
	ev_uint16_t port = 0;

	out[0] = '\0';
	if (conn != NULL)
		evhttp_connection_get_peer(conn, &peer, &port);
	if (peer == NULL || ca_key_text(peer, key) != 0)
		return;
	if (strchr(key, ':') == NULL && (dot = strrchr(key, '.')) != NULL)
		snprintf(out, size, "%.*s.0/24", (int)(dot - key), key);
	else
		snprintf(out, size, "%s", key);
}

/* The map's key of req. */
static void access_key(struct evhttp_request *req, char key[24])
{
	snprintf(key, 24, "%p", (void *)req);
}

void access_begin(struct evhttp_request *req, const char *route)
{
	struct access_rec *rec = xcalloc(1, sizeof(*rec)), *old;
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);

	access_key(req, rec->key);
	rec->start_ms = clock_mono_ms();
	rec->route = route;
	rec->method = access_method(req);
	rid_choose(evhttp_find_header(in, "X-Request-Id"), rec->rid);
	access_client(req, rec->client, sizeof(rec->client));
	evhttp_add_header(evhttp_request_get_output_headers(req), "X-Request-Id", rec->rid);
	old = hmap_put(&open_reqs, rec->key, rec);
	free(old);   /* an address reused: that request was freed unanswered */
}

/* The reply hook: logs and counts req's answer. */
static void access_done(struct evhttp_request *req, int code)
{
	char key[24], labels[HISTO_LABELS_MAX];
	struct access_rec *rec;
	struct log_fields f = LOG_FIELDS_INIT;
	int64_t ms;

	access_key(req, key);
	if ((rec = hmap_del(&open_reqs, key)) == NULL)
		return;   /* not routed: health probes */
	ms = clock_mono_ms() - rec->start_ms;
	snprintf(labels, sizeof(labels), "route=\"%s\",method=\"%s\",status=\"%d\"", rec->route,
	         rec->method, code);
	histo_observe(&h_requests, labels, (double)ms / 1000.0);
	lf_str(&f, "method", rec->method);
	lf_str(&f, "route", rec->route);
	lf_int(&f, "status", code);
	lf_int(&f, "duration_ms", ms);
	lf_str(&f, "request_id", rec->rid);
	lf_str(&f, "client", rec->client);
	log_info_f("http.access", &f, "%s %s %d", rec->method, rec->route, code);
	free(rec);
}

void access_init(void)
{
	histo_init(&h_requests, "bnd_ingest_request_seconds",
	           "requests of the public listener answered, by route (the route table's "
	           "pattern), method and status", HISTO_LATENCY);
	http_set_reply_hook(access_done);
}

void access_free(void)
{
	const struct hmap_ent *e;
	size_t pos = 0;

	http_set_reply_hook(NULL);
	while ((e = hmap_next(&open_reqs, &pos)) != NULL)
		free(e->val);
	hmap_free(&open_reqs);
}
