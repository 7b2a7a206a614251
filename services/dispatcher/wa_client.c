/*
 * Cloud API requests over libcurl multi. One multi handle owns the
 * connection cache, so connections are kept alive across transfers and
 * batches; finished easy handles are kept on a free list and reused.
 * The access token only ever lives in the request header list.
 */
#include "wa_client.h"

#include <ctype.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "phone.h"
#include "xmalloc.h"

#define WA_RESP_MAX (64 * 1024)
#define WA_CONNECT_TIMEOUT_MS 5000

/* One transfer: its easy handle, headers and the answer being read. */
struct wa_xfer {
	CURL              *easy;
	struct curl_slist *hdrs;
	char              *url;
	void              *owner;
	char              *resp;
	size_t             resp_len;
	size_t             resp_cap;
	char               errbuf[CURL_ERROR_SIZE];
	struct wa_xfer    *next_free;
};

struct wa_client {
	CURLM          *multi;
	char           *base;        /* without a trailing '/' */
	long            timeout_ms;
	int             max_inflight;
	int             inflight;
	struct wa_xfer *free_list;
};

/* The template part of a request: name, language, body parameters. */
static json_t *wa_template_json(const Banditore__V1__TemplateContent *t)
{
	json_t *tmpl, *params;

	tmpl = json_pack("{s:s, s:{s:s}}", "name", t->name, "language", "code", t->language);
	if (tmpl == NULL || t->n_body_params == 0)
		return tmpl;
	params = json_array();
	for (size_t i = 0; i < t->n_body_params; i++) {
		json_t *p = json_pack("{s:s, s:s}", "type", "text", "text", t->body_params[i]);
		if (p == NULL) {
			json_decref(params);
			json_decref(tmpl);
			return NULL;
		}
		json_array_append_new(params, p);
	}
	json_object_set_new(tmpl, "components",
	                    json_pack("[{s:s, s:o}]", "type", "body", "parameters", params));
	return tmpl;
}

/* true if s is 6..15 ASCII digits (the API's "to"). */
static bool wa_digits_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 6 || n > 15)
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

char *wa_request_build(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen)
{
	const char *to = job->address ? phone_digits(job->address) : "";
	json_t *req = NULL, *tmpl;
	char *out = NULL;

	if (!wa_digits_ok(to) || job->address[0] != '+') {
		snprintf(err, errlen, "invalid_address: not an E.164 number");
		return NULL;
	}
	switch (job->content_case) {
	case BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT:
		if (job->text == NULL || job->text->body == NULL || job->text->body[0] == '\0')
			break;
		req = json_pack("{s:s, s:s, s:s, s:s, s:{s:b, s:s}, s:s}",
		                "messaging_product", "whatsapp", "recipient_type", "individual",
		                "to", to, "type", "text",
		                "text", "preview_url", 0, "body", job->text->body,
		                "biz_opaque_callback_data", job->job_id);
		break;
	case BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE:
		if (job->template_ == NULL || job->template_->name[0] == '\0' ||
		    job->template_->language[0] == '\0')
			break;
		tmpl = wa_template_json(job->template_);
		if (tmpl == NULL)
			break;
		req = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}",
		                "messaging_product", "whatsapp", "recipient_type", "individual",
		                "to", to, "type", "template", "template", tmpl,
		                "biz_opaque_callback_data", job->job_id);
		break;
	default:
		break;
	}
	if (req == NULL) {
		snprintf(err, errlen, "invalid_content: no text or template, or invalid UTF-8");
		return NULL;
	}
	out = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (out == NULL)
		snprintf(err, errlen, "invalid_content: cannot serialize");
	return out;
}

struct wa_client *wa_client_new(const char *api_base, long max_inflight, long timeout_ms)
{
	struct wa_client *cl = xcalloc(1, sizeof(*cl));
	size_t n = strlen(api_base);

	while (n > 0 && api_base[n - 1] == '/')
		n--;
	cl->base = xstrndup(api_base, n);
	cl->timeout_ms = timeout_ms;
	cl->max_inflight = (int)max_inflight;
	cl->multi = curl_multi_init();
	if (cl->multi == NULL) {
		free(cl->base);
		free(cl);
		return NULL;
	}
	/* One connection per transfer in flight over HTTP/1.1; HTTP/2 multiplexes. */
	curl_multi_setopt(cl->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_inflight);
	curl_multi_setopt(cl->multi, CURLMOPT_MAXCONNECTS, max_inflight);
	curl_multi_setopt(cl->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	return cl;
}

void wa_client_free(struct wa_client *cl)
{
	struct wa_xfer *x, *next;

	if (cl == NULL)
		return;
	for (x = cl->free_list; x != NULL; x = next) {
		next = x->next_free;
		curl_easy_cleanup(x->easy);
		free(x->resp);
		free(x);
	}
	curl_multi_cleanup(cl->multi);
	free(cl->base);
	free(cl);
}

bool wa_client_full(const struct wa_client *cl)
{
	return cl->inflight >= cl->max_inflight;
}

int wa_client_inflight(const struct wa_client *cl)
{
	return cl->inflight;
}

/* curl write callback: keeps up to WA_RESP_MAX bytes of the answer. */
static size_t wa_on_data(char *data, size_t size, size_t nmemb, void *arg)
{
	struct wa_xfer *x = arg;
	size_t n = size * nmemb, room;

	room = WA_RESP_MAX - x->resp_len;
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

/* A transfer from the free list, or a new one. */
static struct wa_xfer *wa_xfer_get(struct wa_client *cl)
{
	struct wa_xfer *x = cl->free_list;

	if (x != NULL) {
		cl->free_list = x->next_free;
		curl_easy_reset(x->easy);
		return x;
	}
	x = xcalloc(1, sizeof(*x));
	x->easy = curl_easy_init();
	if (x->easy == NULL) {
		free(x);
		return NULL;
	}
	return x;
}

/* Returns a finished transfer to the free list. */
static void wa_xfer_put(struct wa_client *cl, struct wa_xfer *x)
{
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	free(x->url);
	x->url = NULL;
	x->owner = NULL;
	x->resp_len = 0;
	x->errbuf[0] = '\0';
	x->next_free = cl->free_list;
	cl->free_list = x;
}

int wa_client_start(struct wa_client *cl, const char *sender_account, const char *token,
                    const char *body, void *owner)
{
	struct wa_xfer *x = wa_xfer_get(cl);
	char *auth;
	CURL *e;

	if (x == NULL)
		return -1;
	e = x->easy;
	x->owner = owner;
	x->url = xasprintf("%s/%s/messages", cl->base, sender_account);
	auth = xasprintf("Authorization: Bearer %s", token);
	x->hdrs = curl_slist_append(x->hdrs, auth);
	free(auth);
	x->hdrs = curl_slist_append(x->hdrs, "Content-Type: application/json");
	x->hdrs = curl_slist_append(x->hdrs, "Expect:");   /* no 100-continue round trip */
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "banditore-dispatcher/1");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, wa_on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, cl->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	                 cl->timeout_ms < WA_CONNECT_TIMEOUT_MS ? cl->timeout_ms
	                                                        : (long)WA_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	if (curl_multi_add_handle(cl->multi, e) != CURLM_OK) {
		wa_xfer_put(cl, x);
		return -1;
	}
	cl->inflight++;
	return 0;
}

void wa_client_poll(struct wa_client *cl, int timeout_ms, wa_done_cb cb, void *arg)
{
	struct wa_response resp;
	struct wa_xfer *x;
	CURLMsg *m;
	char *priv;
	int running, left;

	curl_multi_perform(cl->multi, &running);
	curl_multi_poll(cl->multi, NULL, 0, timeout_ms, NULL);
	curl_multi_perform(cl->multi, &running);
	while ((m = curl_multi_info_read(cl->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		x = (struct wa_xfer *)priv;
		memset(&resp, 0, sizeof(resp));
		resp.owner = x->owner;
		resp.transport = (int)m->data.result;
		resp.transport_msg = x->errbuf;
		curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &resp.http_status);
		resp.body = x->resp_len > 0 ? x->resp : NULL;
		resp.len = x->resp_len;
		curl_multi_remove_handle(cl->multi, x->easy);
		cl->inflight--;
		cb(&resp, arg);
		wa_xfer_put(cl, x);
	}
}
