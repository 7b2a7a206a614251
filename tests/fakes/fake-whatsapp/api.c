/*
 * The Cloud API send endpoint. Validation follows Meta's documented rules,
 * in the order Meta applies them: the caller's token, the payload's shape,
 * then per type: free text needs an open 24-hour window, templates must be
 * approved (name + language) and get exactly their body parameters.
 */
#include "api.h"

#include <ctype.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "crypto.h"
#include "errors.h"
#include "fake.h"
#include "faults.h"
#include "fk_reply.h"
#include "http.h"
#include "limits.h"
#include "log.h"
#include "phone.h"
#include "reply.h"
#include "statuses.h"
#include "store.h"
#include "xmalloc.h"

#define API_CALLBACK_DATA_MAX 512

/* Frees what api_templates_parse built. */
void api_templates_free(struct api_templates *tp)
{
	if (tp == NULL)
		return;
	for (size_t i = 0; i < tp->n; i++) {
		free(tp->v[i].name);
		free(tp->v[i].lang);
	}
	free(tp->v);
	free(tp);
}

/* Parses one "name:lang:count" entry into t. */
static int api_template_parse(const char *entry, struct api_template *t)
{
	const char *c1 = strchr(entry, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char *end;
	long n;

	if (c1 == NULL || c2 == NULL || c1 == entry || c2 == c1 + 1)
		return -1;
	n = strtol(c2 + 1, &end, 10);
	if (end == c2 + 1 || *end != '\0' || n < 0 || n > 100)
		return -1;
	t->name = xstrndup(entry, (size_t)(c1 - entry));
	t->lang = xstrndup(c1 + 1, (size_t)(c2 - c1 - 1));
	t->nparams = (int)n;
	return 0;
}

struct api_templates *api_templates_parse(const char *spec, char *err, size_t errlen)
{
	struct api_templates *tp = xcalloc(1, sizeof(*tp));
	char *copy = xstrdup(spec ? spec : ""), *save = NULL, *tok;

	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		if (*tok == '\0')
			continue;
		tp->v = xrealloc(tp->v, (tp->n + 1) * sizeof(*tp->v));
		if (api_template_parse(tok, &tp->v[tp->n]) != 0) {
			snprintf(err, errlen, "bad template \"%s\": want name:lang:paramcount", tok);
			goto failed;
		}
		tp->n++;
	}
	free(copy);
	return tp;
failed:
	free(copy);
	api_templates_free(tp);
	return NULL;
}

/* The approved template name in lang, or NULL. */
static const struct api_template *api_template_find(const struct api_templates *tp,
                                                    const char *name, const char *lang)
{
	for (size_t i = 0; i < tp->n; i++)
		if (strcmp(tp->v[i].name, name) == 0 && strcmp(tp->v[i].lang, lang) == 0)
			return &tp->v[i];
	return NULL;
}

/* Number of Unicode code points of a UTF-8 string (what Meta's limits count). */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* true if s is 1..maxlen ASCII digits. */
static bool all_digits(const char *s, size_t minlen, size_t maxlen)
{
	size_t n = strlen(s);

	if (n < minlen || n > maxlen)
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Validates a "text" message: body 1..4096 characters, open window. */
static int api_validate_text(const struct store *st, const char *pnid, const char *to,
                             const json_t *msg, int64_t now_ms, char *details, size_t dlen)
{
	const json_t *text = json_object_get(msg, "text");
	const json_t *body = json_object_get(text, "body");
	const json_t *preview = json_object_get(text, "preview_url");
	size_t n;

	if (!json_is_object(text) || !json_is_string(body)) {
		snprintf(details, dlen, "The parameter text['body'] is required.");
		return WAERR_PARAM_MISSING;
	}
	if (preview != NULL && !json_is_boolean(preview)) {
		snprintf(details, dlen, "Param text['preview_url'] must be a boolean.");
		return WAERR_INVALID_PARAM;
	}
	n = utf8_chars(json_string_value(body));
	if (n == 0) {
		snprintf(details, dlen, "Param text['body'] must be at least 1 character long.");
		return WAERR_INVALID_PARAM;
	}
	if (n > API_TEXT_MAX) {
		snprintf(details, dlen, "Param text['body'] must be at most %d characters long.",
		         API_TEXT_MAX);
		return WAERR_INVALID_PARAM;
	}
	if (!store_window_is_open(st, pnid, to, now_ms)) {
		snprintf(details, dlen, "Message failed to send because more than 24 hours have "
		         "passed since the customer last replied to this number.");
		return WAERR_REENGAGEMENT;
	}
	return 0;
}

/* Checks one component's parameters; adds body parameters to *nbody. */
static int api_validate_component(const json_t *comp, int *nbody, int *nother,
                                  char *details, size_t dlen)
{
	const char *ctype = json_string_value(json_object_get(comp, "type"));
	const json_t *params = json_object_get(comp, "parameters"), *p;
	size_t i;

	if (ctype == NULL) {
		snprintf(details, dlen, "The parameter template['components'][]['type'] is required.");
		return WAERR_PARAM_MISSING;
	}
	if (params == NULL)
		return 0;
	if (!json_is_array(params)) {
		snprintf(details, dlen, "Param template['components'][]['parameters'] must be an array.");
		return WAERR_INVALID_PARAM;
	}
	json_array_foreach(params, i, p) {
		const char *ptype = json_string_value(json_object_get(p, "type"));
		const char *ptext = json_string_value(json_object_get(p, "text"));
		if (ptype == NULL) {
			snprintf(details, dlen, "%s: parameter %zu has no type", ctype, i + 1);
			return WAERR_PARAM_MISSING;
		}
		if (strcmp(ptype, "text") == 0 && (ptext == NULL || *ptext == '\0')) {
			snprintf(details, dlen, "%s: text parameter %zu is missing or empty", ctype, i + 1);
			return WAERR_PARAM_MISSING;
		}
	}
	if (strcmp(ctype, "body") == 0)
		*nbody += (int)json_array_size(params);
	else
		*nother += (int)json_array_size(params);
	return 0;
}

/* Validates a "template" message against the approved templates. */
static int api_validate_template(const struct api_templates *tp, const json_t *msg,
                                 char *details, size_t dlen)
{
	const json_t *tmpl = json_object_get(msg, "template");
	const char *name = json_string_value(json_object_get(tmpl, "name"));
	const char *lang = json_string_value(json_object_get(json_object_get(tmpl, "language"),
	                                                     "code"));
	const json_t *comps = json_object_get(tmpl, "components"), *comp;
	const struct api_template *t;
	int nbody = 0, nother = 0, code;
	size_t i;

	if (!json_is_object(tmpl) || name == NULL || *name == '\0') {
		snprintf(details, dlen, "The parameter template['name'] is required.");
		return WAERR_PARAM_MISSING;
	}
	if (lang == NULL || *lang == '\0') {
		snprintf(details, dlen, "The parameter template['language']['code'] is required.");
		return WAERR_PARAM_MISSING;
	}
	t = api_template_find(tp, name, lang);
	if (t == NULL) {
		snprintf(details, dlen, "template name (%s) does not exist in %s", name, lang);
		return WAERR_TEMPLATE_MISSING;
	}
	if (comps != NULL && !json_is_array(comps)) {
		snprintf(details, dlen, "Param template['components'] must be an array.");
		return WAERR_INVALID_PARAM;
	}
	json_array_foreach(comps, i, comp) {
		if ((code = api_validate_component(comp, &nbody, &nother, details, dlen)) != 0)
			return code;
	}
	if (nother > 0) {
		snprintf(details, dlen, "header: number of localizable_params (%d) does not match "
		         "the expected number of params (0)", nother);
		return WAERR_TEMPLATE_PARAMS;
	}
	if (nbody != t->nparams) {
		snprintf(details, dlen, "body: number of localizable_params (%d) does not match "
		         "the expected number of params (%d)", nbody, t->nparams);
		return WAERR_TEMPLATE_PARAMS;
	}
	return 0;
}

int api_validate(const struct api_templates *tp, const struct store *st,
                 const char *phone_number_id, const json_t *msg, int64_t now_ms,
                 char *details, size_t dlen)
{
	const json_t *product = json_object_get(msg, "messaging_product");
	const json_t *rtype = json_object_get(msg, "recipient_type");
	const json_t *opaque = json_object_get(msg, "biz_opaque_callback_data");
	const char *to = json_string_value(json_object_get(msg, "to"));
	const char *type = "text";

	details[0] = '\0';
	if (!json_is_object(msg)) {
		snprintf(details, dlen, "The request body must be a JSON object.");
		return WAERR_INVALID_PARAM;
	}
	if (product == NULL) {
		snprintf(details, dlen, "The parameter messaging_product is required.");
		return WAERR_INVALID_PARAM;
	}
	if (!json_is_string(product) || strcmp(json_string_value(product), "whatsapp") != 0) {
		snprintf(details, dlen, "Param messaging_product must be one of {WHATSAPP}.");
		return WAERR_INVALID_PARAM;
	}
	if (rtype != NULL && (!json_is_string(rtype) ||
	                      strcmp(json_string_value(rtype), "individual") != 0)) {
		snprintf(details, dlen, "Param recipient_type must be one of {INDIVIDUAL}.");
		return WAERR_INVALID_PARAM;
	}
	if (to == NULL) {
		snprintf(details, dlen, "The parameter to is required.");
		return WAERR_INVALID_PARAM;
	}
	if (!all_digits(to, 6, 15)) {
		snprintf(details, dlen, "Param to must be a phone number in E.164 digits "
		         "without '+' (6 to 15 digits).");
		return WAERR_INVALID_PARAM;
	}
	if (opaque != NULL && (!json_is_string(opaque) ||
	                       utf8_chars(json_string_value(opaque)) > API_CALLBACK_DATA_MAX)) {
		snprintf(details, dlen, "Param biz_opaque_callback_data must be a string of at "
		         "most %d characters.", API_CALLBACK_DATA_MAX);
		return WAERR_INVALID_PARAM;
	}
	if (json_object_get(msg, "type") != NULL) {
		type = json_string_value(json_object_get(msg, "type"));
		if (type == NULL) {
			snprintf(details, dlen, "Param type must be a string.");
			return WAERR_INVALID_PARAM;
		}
	}
	if (strcmp(type, "text") == 0)
		return api_validate_text(st, phone_number_id, to, msg, now_ms, details, dlen);
	if (strcmp(type, "template") == 0)
		return api_validate_template(tp, msg, details, dlen);
	snprintf(details, dlen, "Param type (%s) is not supported by this fake "
	         "(text and template only).", type);
	return WAERR_INVALID_PARAM;
}

bool api_match_path(const char *path, char pnid[API_PNID_MAX])
{
	const char *p = path, *id, *slash;

	/* "/v<major>.<minor>/" */
	if (p[0] != '/' || p[1] != 'v' || !isdigit((unsigned char)p[2]))
		return false;
	for (p += 2; isdigit((unsigned char)*p); p++)
		;
	if (*p++ != '.' || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p++ != '/')
		return false;
	id = p;
	slash = strchr(id, '/');
	if (slash == NULL || slash == id || (size_t)(slash - id) >= API_PNID_MAX ||
	    strcmp(slash, "/messages") != 0)
		return false;
	for (p = id; p < slash; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	memcpy(pnid, id, (size_t)(slash - id));
	pnid[slash - id] = '\0';
	return true;
}

/* Answers a send request, after the configured latency. */
static void api_reply(struct fake *fk, struct evhttp_request *req, int status, json_t *body)
{
	fk_reply_json(fk->srv.base, req, status, body, knobs_delay_ms(&fk->knobs));
}

/* Refuses a send request with a Meta error (http 0: the status Meta uses for code). */
static void api_refuse_as(struct fake *fk, struct evhttp_request *req, int code, int http,
                          const char *details)
{
	store_reject(fk->store, code, false);
	errors_add_headers(req, code);
	api_reply(fk, req, http > 0 ? http : errors_http_status(code), errors_body(code, details));
}

/* Refuses a send request with a Meta error. */
static void api_refuse(struct fake *fk, struct evhttp_request *req, int code,
                       const char *details)
{
	api_refuse_as(fk, req, code, 0, details);
}

/* true if the request carries "Authorization: Bearer <our token>". */
static bool api_authorized(struct fake *fk, struct evhttp_request *req)
{
	const char *auth = http_header(req, "Authorization");
	const char *tok = fk->cfg.access_token;

	if (auth == NULL || strncmp(auth, "Bearer ", 7) != 0)
		return false;
	return ct_equal(auth + 7, strlen(auth + 7), tok, strlen(tok));
}

/* Applies an injected fault to the request; true if one did (the request is answered). */
static bool api_fault(struct fake *fk, struct evhttp_request *req, const char *pnid,
                      const char *to, int64_t now)
{
	struct fault_spec f;

	if (!faults_take(fk->faults, pnid, to, now, &f))
		return false;
	store_reject(fk->store, f.action == FAULT_ERROR ? f.code : 0, true);
	switch (f.action) {
	case FAULT_TIMEOUT:
		log_debug("fake.fault", "holding a request without answer");
		reply_never(fk->srv.base, req);
		break;
	case FAULT_RESET:
		log_debug("fake.fault", "resetting a connection");
		fk_reply_reset(fk->srv.base, req, knobs_delay_ms(&fk->knobs));
		break;
	case FAULT_ERROR:
		log_debug("fake.fault", "injected %d (http %d)", f.code, f.http);
		errors_add_headers(req, f.code);
		api_reply(fk, req, f.http > 0 ? f.http : errors_http_status(f.code),
		          errors_body(f.code, "injected by the test (POST /_fake/faults)"));
		break;
	}
	return true;
}

/* Throughput limits: 0, or the Meta error code of the limit hit (counted). */
static int api_throttle(struct fake *fk, struct lim_sender *snd, const char *to, int64_t now)
{
	const struct knobs *kn = &fk->knobs;
	int code = limits_sender_take(fk->limits, snd, kn->rate, knobs_burst(kn), now);

	if (code == 0)
		code = limits_pair_take(fk->limits, to, kn->pair_period_ms, kn->pair_burst, now);
	return code;
}

/* Checks and records one parsed send request; answers it. */
static void api_send_parsed(struct fake *fk, struct evhttp_request *req, const char *pnid,
                            struct lim_sender *snd, const json_t *msg, int64_t now)
{
	const char *to = json_string_value(json_object_get(msg, "to"));
	char details[512], wamid[STORE_WAMID_LEN], red[PHONE_MAX + 4];
	int code;

	if (api_fault(fk, req, pnid, to, now))
		return;
	code = api_validate(fk->tmpl, fk->store, pnid, msg, now, details, sizeof(details));
	if (code != 0) {
		log_info("fake.send_refused", "phone_number_id %s to %s: %d %s", pnid,
		         to ? phone_redact(to, red) : "-", code, details);
		api_refuse(fk, req, code, details);
		return;
	}
	code = api_throttle(fk, snd, to, now);
	if (code != 0) {
		api_refuse(fk, req, code, code == WAERR_THROUGHPUT
		           ? "Message failed to send because there were too many messages sent "
		             "from this phone number in a short period of time."
		           : "Message failed to send because there were too many messages sent "
		             "from this phone number to the same phone number in a short period "
		             "of time.");
		return;
	}
	if (store_accept(fk->store, pnid, msg, now, wamid))
		log_warn("fake.duplicate", "phone_number_id %s to %s: same content accepted again",
		         pnid, phone_redact(to, red));
	snd->accepted++;
	log_debug("fake.send_accepted", "phone_number_id %s to %s: %s", pnid,
	          phone_redact(to, red), wamid);
	statuses_accepted(fk->statuses, pnid, to, wamid,
	                  json_string_value(json_object_get(msg, "biz_opaque_callback_data")), now);
	api_reply(fk, req, 200,
	          json_pack("{s:s, s:[{s:s, s:s}], s:[{s:s}]}", "messaging_product", "whatsapp",
	                    "contacts", "input", to, "wa_id", to, "messages", "id", wamid));
}

void api_handle_send(struct fake *fk, struct evhttp_request *req, const char *phone_number_id)
{
	const char *ctype = http_header(req, "Content-Type");
	struct lim_sender *snd;
	char details[512];
	json_error_t jerr;
	json_t *msg;
	const char *body;
	size_t len;

	if (!api_authorized(fk, req)) {
		api_refuse(fk, req, WAERR_AUTH, NULL);
		return;
	}
	snd = limits_sender(fk->limits, phone_number_id);
	if (snd->invalid_token) {
		api_refuse(fk, req, WAERR_AUTH, "Error validating access token: Session has expired.");
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		api_refuse(fk, req, WAERR_INVALID_PARAM, "Unsupported request method: use POST.");
		return;
	}
	if (ctype == NULL || strncasecmp(ctype, "application/json", 16) != 0) {
		api_refuse(fk, req, WAERR_INVALID_PARAM, "Content-Type must be application/json.");
		return;
	}
	body = http_body(req, &len);
	msg = json_loadb(body, len, 0, &jerr);
	if (msg == NULL) {
		snprintf(details, sizeof(details), "Malformed JSON: %s", jerr.text);
		api_refuse(fk, req, WAERR_INVALID_PARAM, details);
		return;
	}
	api_send_parsed(fk, req, phone_number_id, snd, msg, clock_wall_ms());
	json_decref(msg);
}
