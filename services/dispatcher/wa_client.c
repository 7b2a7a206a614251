/* Cloud API request bodies and URLs. */
#include "wa_client.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "phone.h"
#include "xmalloc.h"

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

char *wa_url(const char *api_base, const char *sender_account)
{
	size_t n = strlen(api_base);

	while (n > 0 && api_base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/%s/messages", (int)n, api_base, sender_account);
}
