/* Cloud API request bodies and URLs. */
#include "wa_client.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "log.h"
#include "phone.h"
#include "xmalloc.h"

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

char *wa_request_build(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen)
{
	const char *to = job->address ? phone_digits(job->address) : "";
	struct jsonw w = { 0 };
	char *out;

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
	out = jw_finish(&w);
	if (out == NULL)
		snprintf(err, errlen, "invalid_content: invalid UTF-8");
	return out;
}

char *wa_url(const char *api_base, const char *sender_account)
{
	size_t n = strlen(api_base);

	while (n > 0 && api_base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/%s/messages", (int)n, api_base, sender_account);
}
