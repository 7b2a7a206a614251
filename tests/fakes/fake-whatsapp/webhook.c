/*
 * Signed webhook POSTs. The payload is serialized once and those exact
 * bytes are signed and sent, the way Meta does: receivers must verify the
 * HMAC over the raw body, so we escape non-ASCII characters and slashes as
 * Meta's serializer does; a receiver that re-serializes will not match.
 */
#include "webhook.h"

#include <ctype.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

/* "sha1=" + 40 hex + NUL */
#define WEBHOOK_SIG1_LEN (5 + 40 + 1)

/* A webhook POST in flight. */
struct webhook_call {
	struct event_base        *base;
	struct evhttp_connection *evcon;     /* ours: freed once the exchange is over */
	webhook_done_fn           done;
	void                     *arg;       /* the caller's, handed to done */
};

/* Where a webhook URL points: host, port and the request target (path?query). */
struct webhook_dest {
	char *host;
	int   port;
	char *target;
};

char *webhook_serialize(const json_t *payload, size_t *len)
{
	char *s = json_dumps(payload, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH);
	char *p;

	if (s == NULL)
		return NULL;
	/* Meta writes \u00e8, jansson \u00E8: lowercase the hex of each \u escape
	 * (an escaped backslash is skipped whole, so text is never altered). */
	for (p = s; *p != '\0'; p++) {
		if (*p != '\\')
			continue;
		if (p[1] == 'u') {
			for (int i = 2; i < 6 && p[i] != '\0'; i++)
				p[i] = (char)tolower((unsigned char)p[i]);
			p += 5;
		} else {
			p++;
		}
	}
	*len = strlen(s);
	return s;
}

void webhook_signature(const char *secret, const char *body, size_t len,
                       char out[WEBHOOK_SIG_LEN])
{
	memcpy(out, "sha256=", 7);
	hmac_sha256_hex(secret, strlen(secret), body, len, out + 7);
}

/* The legacy X-Hub-Signature value Meta still sends: "sha1=<hex HMAC-SHA1>". */
static void webhook_signature_sha1(const char *secret, const char *body, size_t len,
                                   char out[WEBHOOK_SIG1_LEN])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	HMAC(EVP_sha1(), secret, (int)strlen(secret), (const unsigned char *)body, len, mac, &n);
	memcpy(out, "sha1=", 5);
	for (unsigned int i = 0; i < n && i < 20; i++)
		snprintf(out + 5 + 2 * i, 3, "%02x", mac[i]);
}

/* Frees a finished call and its connection, from the loop, outside libevent's callbacks. */
static void webhook_call_free(evutil_socket_t fd, short what, void *arg)
{
	struct webhook_call *call = arg;
	(void)fd;
	(void)what;

	if (call->evcon != NULL)
		evhttp_connection_free(call->evcon);
	free(call);
}

/* The receiver answered (or did not): tells the caller, then lets the call go. */
static void webhook_on_response(struct evhttp_request *resp, void *arg)
{
	struct webhook_call *call = arg;
	struct timeval now = { 0, 0 };
	int status = resp != NULL ? evhttp_request_get_response_code(resp) : 0;

	call->done(status, call->arg);
	/* Not evhttp_connection_free_on_completion(): libevent 2.1 does not free
	 * the connection when connecting fails. We never free it in its own
	 * callback either: the loop does it next. */
	if (event_base_once(call->base, -1, EV_TIMEOUT, webhook_call_free, call, &now) != 0)
		log_error("fake.leak", "cannot schedule the release of a webhook connection");
}

/* Splits url into dest (caller frees with webhook_dest_free). 0 or -1. */
static int webhook_dest_parse(const char *url, struct webhook_dest *dest)
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

/* Frees what webhook_dest_parse allocated. */
static void webhook_dest_free(struct webhook_dest *dest)
{
	free(dest->host);
	free(dest->target);
}

/* A POST request of body to dest, with Meta's headers, answered to call. */
static struct evhttp_request *webhook_request(const struct webhook_dest *dest, const char *secret,
                                              const char *body, size_t len,
                                              struct webhook_call *call)
{
	struct evhttp_request *wreq = evhttp_request_new(webhook_on_response, call);
	struct evkeyvalq *hdrs = evhttp_request_get_output_headers(wreq);
	char sig[WEBHOOK_SIG_LEN], sig1[WEBHOOK_SIG1_LEN], hostport[300], clen[24];

	webhook_signature(secret, body, len, sig);
	webhook_signature_sha1(secret, body, len, sig1);
	snprintf(hostport, sizeof(hostport), "%s:%d", dest->host, dest->port);
	snprintf(clen, sizeof(clen), "%zu", len);
	evhttp_add_header(hdrs, "Host", hostport);
	evhttp_add_header(hdrs, "User-Agent", "facebookexternalua");
	evhttp_add_header(hdrs, "Content-Type", "application/json");
	evhttp_add_header(hdrs, "Content-Length", clen);
	evhttp_add_header(hdrs, "X-Hub-Signature", sig1);
	evhttp_add_header(hdrs, "X-Hub-Signature-256", sig);
	evbuffer_add(evhttp_request_get_output_buffer(wreq), body, len);
	return wreq;
}

int webhook_post(struct event_base *base, const char *url, const char *secret,
                 const char *body, size_t len, webhook_done_fn done, void *arg,
                 char *err, size_t errlen)
{
	struct webhook_dest dest = { NULL, 0, NULL };
	struct webhook_call *call = NULL;
	struct evhttp_connection *evcon;
	int rc = -1;

	if (webhook_dest_parse(url, &dest) != 0) {
		snprintf(err, errlen, "FAKE_WA_WEBHOOK_URL must be an http:// URL");
		goto done;
	}
	evcon = evhttp_connection_base_new(base, NULL, dest.host, (unsigned short)dest.port);
	if (evcon == NULL) {
		snprintf(err, errlen, "cannot create a connection to %s:%d", dest.host, dest.port);
		goto done;
	}
	evhttp_connection_set_timeout(evcon, WEBHOOK_TIMEOUT_S);
	call = xcalloc(1, sizeof(*call));
	*call = (struct webhook_call){ .base = base, .evcon = evcon, .done = done, .arg = arg };
	if (evhttp_make_request(evcon, webhook_request(&dest, secret, body, len, call),
	                        EVHTTP_REQ_POST, dest.target) != 0) {
		/* No socket: the callback was not called and will not be. */
		snprintf(err, errlen, "cannot send the webhook request");
		evhttp_connection_free(evcon);
		free(call);
		goto done;
	}
	rc = 0;
done:
	webhook_dest_free(&dest);
	return rc;
}
