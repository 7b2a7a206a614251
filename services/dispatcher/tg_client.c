/* Bot API sendMessage bodies and URLs. */
#include "tg_client.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "xmalloc.h"

/*
 * Writes the chat of an address: a numeric id (a private chat, or
 * "-100..." for a channel) as a JSON integer, "@channelusername" as a
 * string; false if the address is neither.
 */
static bool tg_chat_json(struct jsonw *w, const char *addr)
{
	const char *p = addr;
	char num[24];
	long long id;
	char *end;

	if (addr[0] == '@') {
		size_t n = strlen(addr + 1);
		if (n < 5 || n > 32)
			return false;
		for (p = addr + 1; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				return false;
		jw_str(w, addr);
		return true;
	}
	if (*p == '-')
		p++;
	if (*p == '\0' || strlen(p) > 19)
		return false;
	for (; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	errno = 0;
	id = strtoll(addr, &end, 10);
	if (errno != 0 || *end != '\0' || id == 0)
		return false;
	snprintf(num, sizeof(num), "%lld", id);
	jw_raw(w, num);
	return true;
}

char *tg_request_build(const Banditore__V1__DeliveryJob *job, char *err, size_t errlen)
{
	struct jsonw w = { 0 };
	char *out;

	jw_raw(&w, "{\"chat_id\":");
	if (job->address == NULL || !tg_chat_json(&w, job->address)) {
		free(jw_finish(&w));
		snprintf(err, errlen, "invalid_address: not a Telegram chat id or @channel");
		return NULL;
	}
	if (job->content_case != BANDITORE__V1__DELIVERY_JOB__CONTENT_TEXT || job->text == NULL ||
	    job->text->body == NULL || job->text->body[0] == '\0') {
		free(jw_finish(&w));
		snprintf(err, errlen, "invalid_content: Telegram takes text only, and not empty");
		return NULL;
	}
	jw_kv(&w, true, "text", job->text->body);
	if (job->text->html)
		jw_raw(&w, ",\"parse_mode\":\"HTML\"");
	jw_raw(&w, ",\"link_preview_options\":{\"is_disabled\":true}}");
	out = jw_finish(&w);
	if (out == NULL)
		snprintf(err, errlen, "invalid_content: invalid UTF-8");
	return out;
}

char *tg_url(const char *api_base, const char *token)
{
	size_t n = strlen(api_base);

	while (n > 0 && api_base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/bot%s/sendMessage", (int)n, api_base, token);
}
