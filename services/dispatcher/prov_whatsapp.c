/*
 * The WhatsApp Cloud API. A job is sent as
 *   POST <api base>/<phone-number id>/messages
 * with the channel's access token as a bearer token, the body a text or
 * template message to the recipient's number in E.164 without the '+',
 * and the job id as biz_opaque_callback_data (statuses carry it back).
 *
 * Answers are classified by Meta's error code (never by its message
 * text), then by HTTP status, then by transport error. The codes that
 * matter, and what they mean here:
 *   throttling (the number, the app or the account goes too fast): the
 *     sender's rate halves and the job is retried;
 *   the pair rate (too many messages to one user in a short time): only
 *     that recipient waits, about six seconds;
 *   a recipient who stopped marketing messages: failed, consent revoked;
 *   undeliverable (not on WhatsApp, an old app, maybe a block): failed;
 *     twice for one subscriber, consent revoked (ledger.h);
 *   token, account restriction, lock, payment: the sender halts.
 * The facts behind this file: docs/providers.md, "WhatsApp: sending",
 * "WhatsApp: errors", "WhatsApp: rates and pacing".
 */
#include "jscan.h"
#include "provider.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatcher.h"
#include "jsonw.h"
#include "phone.h"
#include "utf8.h"

#define WA_DEFAULT_RATE  80       /* messages/s of a number whose channel sets none */

/* Meta error codes the dispatcher acts on by name. */
#define WA_THROUGHPUT    130429   /* the number's throughput exceeded */
#define WA_API_CALLS     4        /* the app's API call limit */
#define WA_RATE_LIMIT    80007    /* the business account's rate limit */
#define WA_PAIR_RATE     131056   /* too many messages to one user */
#define WA_MAINTENANCE   131057   /* the account is in maintenance */
#define WA_UNDELIVERABLE 131026
#define WA_OPTED_OUT     131050   /* the user stopped marketing messages */
#define WA_TOKEN_INVALID 190

/* One Meta error code: its class, how long at least before a retry, who waits. */
static const struct wa_code_row {
	int                code;
	enum verdict_class cls;
	long               min_delay_ms;
	bool               throttled;
	enum verdict_wait  wait;
	const char        *what;
} wa_codes[] = {
	/* transient: retried */
	{ WA_THROUGHPUT, VERDICT_TRANSIENT, 0, true, WAIT_JOB, "throughput exceeded" },
	{ WA_API_CALLS, VERDICT_TRANSIENT, 0, true, WAIT_JOB, "API call limit" },
	{ WA_RATE_LIMIT, VERDICT_TRANSIENT, 0, true, WAIT_JOB, "rate limit" },
	{ WA_PAIR_RATE, VERDICT_TRANSIENT, 6000, false, WAIT_RECIPIENT, "pair rate limit" },
	/* about a minute: as long as the retry cap */
	{ WA_MAINTENANCE, VERDICT_TRANSIENT, 10000, false, WAIT_JOB, "account in maintenance" },
	{ 131000, VERDICT_TRANSIENT, 0, false, WAIT_JOB, "something went wrong" },
	/* permanent: this job fails, the others go on */
	{ 131047, VERDICT_PERMANENT, 0, false, WAIT_JOB, "outside the 24-hour window" },
	{ WA_UNDELIVERABLE, VERDICT_PERMANENT, 0, false, WAIT_JOB, "undeliverable" },
	{ 131049, VERDICT_PERMANENT, 0, false, WAIT_JOB, "held back for ecosystem engagement" },
	{ WA_OPTED_OUT, VERDICT_PERMANENT, 0, false, WAIT_JOB, "user stopped marketing messages" },
	{ 131048, VERDICT_PERMANENT, 0, false, WAIT_JOB, "spam rate limit" },
	{ 131008, VERDICT_PERMANENT, 0, false, WAIT_JOB, "required parameter missing" },
	{ 131009, VERDICT_PERMANENT, 0, false, WAIT_JOB, "parameter value not valid" },
	{ 131051, VERDICT_PERMANENT, 0, false, WAIT_JOB, "unsupported message type" },
	{ 132000, VERDICT_PERMANENT, 0, false, WAIT_JOB, "template parameter count mismatch" },
	{ 132001, VERDICT_PERMANENT, 0, false, WAIT_JOB, "template does not exist" },
	{ 100, VERDICT_PERMANENT, 0, false, WAIT_JOB, "invalid parameter" },
	/* the sender is unusable: a person must act */
	{ WA_TOKEN_INVALID, VERDICT_HALT, 0, false, WAIT_JOB, "access token invalid" },
	{ 368, VERDICT_HALT, 0, false, WAIT_JOB, "account restricted" },
	{ 131031, VERDICT_HALT, 0, false, WAIT_JOB, "account locked" },
	{ 131042, VERDICT_HALT, 0, false, WAIT_JOB, "payment problem" },
};

static void wa_params(const struct dsp_cfg *cfg, struct prov_params *out)
{
	out->api_base = cfg->wa_api_base;
	out->rate = WA_DEFAULT_RATE;
	out->pair_interval_ms = cfg->wa_pair_interval_ms;
	out->pair_burst = (double)cfg->wa_pair_burst;
	out->breaker_failures = (unsigned)cfg->breaker_failures;
	out->breaker_cooldown_ms = cfg->breaker_cooldown_ms;
}

/* The template part of a request: name, language, body parameters. */
static void wa_template_json(struct jsonw *w, const Banditore__V1__TemplateContent *t)
{
	jw_kv(w, false, "name", t->name);
	jw_raw(w, ",\"language\":{");
	jw_kv(w, false, "code", t->language);
	jw_raw(w, "}");
	if (t->n_body_params == 0)
		return;
	jw_raw(w, ",\"components\":[{\"type\":\"body\",\"parameters\":[");
	for (size_t i = 0; i < t->n_body_params; i++) {
		jw_raw(w, i == 0 ? "{\"type\":\"text\"" : ",{\"type\":\"text\"");
		jw_kv(w, true, "text", t->body_params[i]);
		jw_raw(w, "}");
	}
	jw_raw(w, "]}]");
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

/* The content part of a request ("type" and its object), or false if the job has none. */
static bool wa_content_json(struct jsonw *w, const Banditore__V1__DeliveryJob *job)
{
	switch (job->content_case) {
	case BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT:
		if (job->text == NULL || job->text->body == NULL || job->text->body[0] == '\0')
			return false;
		jw_raw(w, ",\"type\":\"text\",\"text\":{\"preview_url\":false");
		jw_kv(w, true, "body", job->text->body);
		jw_raw(w, "}");
		return true;
	case BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE:
		if (job->template_ == NULL || job->template_->name[0] == '\0' ||
		    job->template_->language[0] == '\0')
			return false;
		jw_raw(w, ",\"type\":\"template\",\"template\":{");
		wa_template_json(w, job->template_);
		jw_raw(w, "}");
		return true;
	default:
		return false;
	}
}

static char *wa_request(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen)
{
	const char *to = job->address ? phone_digits(job->address) : "";
	struct jsonw w = { 0 };

	if (!wa_digits_ok(to) || job->address[0] != '+') {
		snprintf(err, errlen, "invalid_address: not an E.164 number");
		return NULL;
	}
	jw_raw(&w, "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\"");
	jw_kv(&w, true, "to", to);
	if (!wa_content_json(&w, job)) {
		free(jw_finish(&w));
		snprintf(err, errlen, "invalid_content: no text or template");
		return NULL;
	}
	jw_kv(&w, true, "biz_opaque_callback_data", job->job_id);
	jw_raw(&w, "}");
	return prov_json_end(&w, err, errlen);
}

/* The token goes as a bearer token, not in the URL. */
static char *wa_url(const char *api_base, const char *account, const char *token)
{
	(void)token;
	return prov_url(api_base, "/", account, "/messages");
}

static bool wa_revokes(int code, const char *detail)
{
	(void)detail;
	return code == WA_OPTED_OUT;
}

/* The table row of code, or NULL. */
static const struct wa_code_row *wa_code_find(int code)
{
	for (size_t i = 0; i < sizeof(wa_codes) / sizeof(wa_codes[0]); i++)
		if (wa_codes[i].code == code)
			return &wa_codes[i];
	return NULL;
}

/* Class of an answer whose error code is unknown or absent: by HTTP status. */
static enum verdict_class wa_by_status(long status)
{
	if (status == 401 || status == 403)
		return VERDICT_HALT;
	if (status == 429 || status == 408 || status >= 500 || status < 200)
		return VERDICT_TRANSIENT;
	if (status >= 200 && status < 300)
		return VERDICT_SENT;
	return VERDICT_PERMANENT;
}

/* Fills v from a 2xx answer: the wamid, if the body has one. */
static void wa_success(const json_t *root, long status, struct verdict *v)
{
	const char *id = json_string_value(
	    json_object_get(json_array_get(json_object_get(root, "messages"), 0), "id"));

	v->cls = VERDICT_SENT;
	if (id != NULL && strlen(id) < sizeof(v->msg_id))
		snprintf(v->msg_id, sizeof(v->msg_id), "%s", id);
	else
		prov_sent_without_id(v, status);
}

/* Fills v from an error answer (err: its "error" object, may be NULL). */
static void wa_error(const json_t *err, long http_status, struct verdict *v)
{
	const struct wa_code_row *row;
	const char *msg = NULL, *details = NULL;

	if (json_is_object(err)) {
		v->code = (int)json_integer_value(json_object_get(err, "code"));
		msg = json_string_value(json_object_get(err, "message"));
		details = json_string_value(json_object_get(json_object_get(err, "error_data"),
		                                            "details"));
	}
	row = v->code != 0 ? wa_code_find(v->code) : NULL;
	if (row != NULL) {
		v->cls = row->cls;
		v->min_delay_ms = row->min_delay_ms;
		v->wait = row->wait;
	} else {
		v->cls = wa_by_status(http_status);
		if (v->cls == VERDICT_SENT)   /* a 2xx carrying an unknown error */
			v->cls = VERDICT_PERMANENT;
	}
	/* A 429 throttles the number, unless it is one recipient's pair rate. */
	v->throttled = (row != NULL && row->throttled) ||
	               (http_status == 429 && v->code != WA_PAIR_RATE);
	v->auth = v->code == WA_TOKEN_INVALID || (http_status == 401 && row == NULL);
	v->revoke = wa_revokes(v->code, NULL);
	utf8_format(v->detail, sizeof(v->detail), "http %ld: %d %s%s%s", http_status, v->code,
	            row ? row->what : (msg ? msg : "no error code"), details ? ": " : "",
	            details ? details : "");
}

/* An "accepted" answer, read by jscan: {"messages":[{"id":"wamid..."}], ...}, no "error". */
static bool wa_answer_fast(const char *body, size_t len, long http_status, struct verdict *v)
{
	char id[VERDICT_ID_MAX];

	if (http_status < 200 || http_status >= 300 ||
	    !jscan_first_str(body, len, "error", "messages", "id", id, sizeof(id)))
		return false;
	v->cls = VERDICT_SENT;
	memcpy(v->msg_id, id, strlen(id) + 1);
	return true;
}

static void wa_answer(const json_t *root, long http_status, const char *address,
                      struct verdict *v)
{
	const json_t *err = json_object_get(root, "error");

	(void)address;
	if (http_status >= 200 && http_status < 300 && err == NULL)
		wa_success(root, http_status, v);
	else
		wa_error(err, http_status, v);
}

const struct provider prov_whatsapp = {
	.name = "whatsapp",
	.kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP,
	.token_in_url = false,
	.messaging_limit = true,
	.unreachable_code = WA_UNDELIVERABLE,
	.params = wa_params,
	.request = wa_request,
	.url = wa_url,
	.answer = wa_answer,
	.revokes = wa_revokes,
	.answer_fast = wa_answer_fast,
};
