/* setWebhook, deleteWebhook, getWebhookInfo; see webhook.h. */
#include "webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fake.h"
#include "log.h"
#include "reply.h"
#include "xmalloc.h"

/* true if every character of s is one Telegram allows in a secret token. */
static bool webhook_secret_chars(const char *s)
{
	for (; *s != '\0'; s++) {
		char c = *s;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

int webhook_check(const json_t *params, const char **url, const char **secret, char *desc,
                  size_t dlen)
{
	const json_t *u = json_object_get(params, "url");
	const json_t *s = json_object_get(params, "secret_token");

	*url = json_string_value(u);
	*secret = s != NULL ? json_string_value(s) : "";
	if (*url == NULL) {
		snprintf(desc, dlen, "Bad Request: parameter \"url\" is required");
		return 400;
	}
	if (**url != '\0' && strncasecmp(*url, "http://", 7) != 0 &&
	    strncasecmp(*url, "https://", 8) != 0) {
		snprintf(desc, dlen, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
		return 400;
	}
	/* An empty secret_token, as libraries send it, means none. */
	if (*secret == NULL || strlen(*secret) > WEBHOOK_SECRET_MAX ||
	    !webhook_secret_chars(*secret)) {
		snprintf(desc, dlen, "Bad Request: secret token contains unallowed characters");
		return 400;
	}
	return 0;
}

/* Replaces the webhook's URL and secret token. */
static void webhook_set(struct fake *fk, const char *url, const char *secret)
{
	free(fk->cfg.webhook_url);
	free(fk->cfg.secret);
	fk->cfg.webhook_url = xstrdup(url);
	fk->cfg.secret = xstrdup(secret);
	log_info("fake.webhook_set", "updates go to %s, %s secret token", *url ? url : "nobody",
	         *secret ? "with a" : "without");
}

/* setWebhook: {"ok":true,"result":true,"description":"Webhook was set"}. */
static void webhook_on_set(struct fake *fk, struct evhttp_request *req, json_t *params)
{
	const char *url, *secret;
	char desc[160];
	int code = webhook_check(params, &url, &secret, desc, sizeof(desc));

	if (code != 0) {
		reply_error(fk, req, code, desc, 0, 0);
		return;
	}
	bool was_set = fk->cfg.webhook_url[0] != '\0';
	webhook_set(fk, url, secret);
	reply_ok_described(fk, req, json_true(),
	                   *url ? "Webhook was set" : was_set ? "Webhook was deleted"
	                                                      : "Webhook is already deleted");
}

bool webhook_handle(struct fake *fk, struct evhttp_request *req, const char *method,
                    json_t *params)
{
	if (strcasecmp(method, "setWebhook") == 0) {
		webhook_on_set(fk, req, params);
	} else if (strcasecmp(method, "deleteWebhook") == 0) {
		bool was_set = fk->cfg.webhook_url[0] != '\0';
		webhook_set(fk, "", "");
		reply_ok_described(fk, req, json_true(),
		                   was_set ? "Webhook was deleted" : "Webhook is already deleted");
	} else if (strcasecmp(method, "getWebhookInfo") == 0) {
		reply_ok(fk, req, json_pack("{s:s, s:b, s:i}", "url", fk->cfg.webhook_url,
		                            "has_custom_certificate", 0, "pending_update_count", 0));
	} else {
		return false;
	}
	return true;
}
