/* Bot API sendMessage bodies and URLs. */
#include "tg_client.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/*
 * The chat of an address: a numeric id (a private chat, or "-100..." for
 * a channel) as a JSON integer, "@channelusername" as a string; NULL if
 * the address is neither.
 */
static json_t *tg_chat_json(const char *addr)
{
	const char *p = addr;
	long long id;
	char *end;

	if (addr[0] == '@') {
		size_t n = strlen(addr + 1);
		if (n < 5 || n > 32)
			return NULL;
		for (p = addr + 1; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				return NULL;
		return json_string(addr);
	}
	if (*p == '-')
		p++;
	if (*p == '\0' || strlen(p) > 19)
		return NULL;
	for (; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return NULL;
	errno = 0;
	id = strtoll(addr, &end, 10);
	if (errno != 0 || *end != '\0' || id == 0)
		return NULL;
	return json_integer(id);
}

char *tg_request_build(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen)
{
	json_t *chat = job->address ? tg_chat_json(job->address) : NULL, *req, *text;
	char *out;

	if (chat == NULL) {
		snprintf(err, errlen, "invalid_address: not a Telegram chat id or @channel");
		return NULL;
	}
	if (job->content_case != BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT || job->text == NULL ||
	    job->text->body == NULL || job->text->body[0] == '\0') {
		json_decref(chat);
		snprintf(err, errlen, "invalid_content: Telegram takes text only, and not empty");
		return NULL;
	}
	text = json_string(job->text->body);
	if (text == NULL) {
		json_decref(chat);
		snprintf(err, errlen, "invalid_content: invalid UTF-8");
		return NULL;
	}
	req = json_object();
	json_object_set_new(req, "chat_id", chat);
	json_object_set_new(req, "text", text);
	if (job->text->html)
		json_object_set_new(req, "parse_mode", json_string("HTML"));
	json_object_set_new(req, "link_preview_options", json_pack("{s:b}", "is_disabled", 1));
	out = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (out == NULL)
		snprintf(err, errlen, "invalid_content: cannot serialize");
	return out;
}

char *tg_url(const char *api_base, const char *token)
{
	size_t n = strlen(api_base);

	while (n > 0 && api_base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/bot%s/sendMessage", (int)n, api_base, token);
}
