/* Classification of Cloud API answers (PROVIDERS.md, "Errors"). */
#include "wa_errors.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* One Meta error code: what to do, and how long at least before a retry. */
static const struct wa_code_row {
	int           code;
	enum wa_class cls;
	long          min_delay_ms;
	const char   *what;
} wa_codes[] = {
	/* transient: retry with backoff */
	{ 130429, WA_TRANSIENT, 0, "throughput exceeded" },
	{ 131056, WA_TRANSIENT, 6000, "pair rate limit" },        /* ~1 msg / 6 s per user */
	{ 131057, WA_TRANSIENT, 10000, "account in maintenance" }, /* ~1 min: as long as the cap */
	{ 131000, WA_TRANSIENT, 0, "something went wrong" },
	{ 4, WA_TRANSIENT, 0, "API call limit" },
	{ 80007, WA_TRANSIENT, 0, "rate limit" },
	/* permanent: this job fails, others go on */
	{ 131047, WA_PERMANENT, 0, "outside the 24-hour window" },
	{ 131026, WA_PERMANENT, 0, "undeliverable" },
	{ 131049, WA_PERMANENT, 0, "held back for ecosystem engagement" },
	{ 131050, WA_PERMANENT, 0, "user stopped marketing messages" },   /* + revoke */
	{ 131048, WA_PERMANENT, 0, "spam rate limit" },
	{ 131008, WA_PERMANENT, 0, "required parameter missing" },
	{ 131009, WA_PERMANENT, 0, "parameter value not valid" },
	{ 131051, WA_PERMANENT, 0, "unsupported message type" },
	{ 132000, WA_PERMANENT, 0, "template parameter count mismatch" },
	{ 132001, WA_PERMANENT, 0, "template does not exist" },
	{ 100, WA_PERMANENT, 0, "invalid parameter" },
	/* the sender is unusable: a person must act */
	{ 190, WA_HALT, 0, "access token invalid" },
	{ 368, WA_HALT, 0, "account restricted" },
	{ 131031, WA_HALT, 0, "account locked" },
	{ 131042, WA_HALT, 0, "payment problem" },
};

const char *wa_class_name(enum wa_class cls)
{
	static const char *const names[] = { "sent", "transient", "permanent", "halt" };
	return (unsigned)cls < sizeof(names) / sizeof(names[0]) ? names[cls] : "?";
}

bool wa_revokes(int code)
{
	return code == 131050;
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
static enum wa_class wa_by_status(long status)
{
	if (status == 401 || status == 403)
		return WA_HALT;
	if (status == 429 || status == 408 || status >= 500 || status < 200)
		return WA_TRANSIENT;
	if (status >= 200 && status < 300)
		return WA_SENT;
	return WA_PERMANENT;
}

/* Fills v from a 2xx answer: the wamid, if the body has one. */
static void wa_success(json_t *root, long status, struct wa_verdict *v)
{
	const char *id = json_string_value(
	    json_object_get(json_array_get(json_object_get(root, "messages"), 0), "id"));

	v->cls = WA_SENT;
	if (id != NULL && strlen(id) < sizeof(v->wamid)) {
		snprintf(v->wamid, sizeof(v->wamid), "%s", id);
		return;
	}
	/* Accepted but unreadable: sending again could duplicate, so it stays sent. */
	utf8_format(v->detail, sizeof(v->detail), "http %ld: accepted without a message id", status);
}

json_t *wa_body_load(const char *body, size_t len)
{
	json_t *root;
	char *fixed;

	if (utf8_valid(body, len))
		return json_loadb(body, len, 0, NULL);
	/* jansson refuses invalid UTF-8 anywhere: the error code and message
	 * would be lost. A provider's words are repaired, never refused. */
	fixed = utf8_repair(body, len);
	root = json_loads(fixed, 0, NULL);
	free(fixed);
	return root;
}

void wa_classify(int transport, const char *transport_msg, long http_status,
                 const char *body, size_t len, struct wa_verdict *v)
{
	const struct wa_code_row *row;
	json_t *root = NULL, *err;
	const char *msg = NULL, *details = NULL;

	memset(v, 0, sizeof(*v));
	if (transport != CURLE_OK) {
		v->cls = WA_TRANSIENT;
		utf8_format(v->detail, sizeof(v->detail), "transport: %s",
		         transport_msg && *transport_msg ? transport_msg
		                                         : curl_easy_strerror((CURLcode)transport));
		return;
	}
	if (body != NULL && len > 0)
		root = wa_body_load(body, len);
	err = json_object_get(root, "error");
	if (http_status >= 200 && http_status < 300 && err == NULL) {
		wa_success(root, http_status, v);
		goto done;
	}
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
	} else {
		v->cls = wa_by_status(http_status);
		if (v->cls == WA_SENT)      /* a 2xx carrying an unknown error */
			v->cls = WA_PERMANENT;
	}
	v->auth = v->code == 190 || (http_status == 401 && row == NULL);
	v->revoke = wa_revokes(v->code);
	utf8_format(v->detail, sizeof(v->detail), "http %ld: %d %s%s%s", http_status, v->code,
	         row ? row->what : (msg ? msg : "no error code"), details ? ": " : "",
	         details ? details : "");
done:
	json_decref(root);
}
