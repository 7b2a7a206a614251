/* The table of providers and what their files share (provider.h). */
#include "provider.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "utf8.h"
#include "xmalloc.h"

/* Every provider the dispatcher sends with. */
static const struct provider *const prov_table[] = {
	&prov_whatsapp,
	&prov_telegram,
};

#define PROV_N (sizeof(prov_table) / sizeof(prov_table[0]))

size_t prov_count(void)
{
	return PROV_N;
}

const struct provider *prov_nth(size_t i)
{
	return i < PROV_N ? prov_table[i] : NULL;
}

size_t prov_slot(const struct provider *prov)
{
	for (size_t i = 0; i < PROV_N; i++)
		if (prov_table[i] == prov)
			return i;
	abort();   /* a provider outside the table: a broken invariant */
}

const struct provider *prov_of_kind(Banditore__V1__ChannelKind kind)
{
	for (size_t i = 0; i < PROV_N; i++)
		if (prov_table[i]->kind == kind)
			return prov_table[i];
	return NULL;
}

const struct provider *prov_by_name(const char *name)
{
	for (size_t i = 0; name != NULL && i < PROV_N; i++)
		if (strcmp(prov_table[i]->name, name) == 0)
			return prov_table[i];
	return NULL;
}

char *prov_json_end(struct jsonw *w, char *err, size_t errlen)
{
	char *out = jw_finish(w);

	if (out == NULL)
		snprintf(err, errlen, "invalid_content: invalid UTF-8");
	return out;
}

void prov_sent_without_id(struct verdict *v, long http_status)
{
	v->cls = VERDICT_SENT;
	utf8_format(v->detail, sizeof(v->detail), "http %ld: accepted without a message id",
	            http_status);
}

/* A provider's JSON answer, invalid UTF-8 repaired to U+FFFD first; NULL if
 * not JSON. Caller decrefs. */
static json_t *prov_body_load(const char *body, size_t len)
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

void prov_classify(const struct provider *prov, int transport, const char *transport_msg,
                   long http_status, const char *body, size_t len, const char *address,
                   struct verdict *v)
{
	json_t *root;

	memset(v, 0, sizeof(*v));
	if (transport != CURLE_OK) {
		v->cls = VERDICT_TRANSIENT;
		utf8_format(v->detail, sizeof(v->detail), "transport: %s",
		            transport_msg && *transport_msg ? transport_msg
		                                            : curl_easy_strerror((CURLcode)transport));
		return;
	}
	if (prov->answer_fast != NULL && body != NULL && prov->answer_fast(body, len, http_status, v))
		return;
	root = body != NULL && len > 0 ? prov_body_load(body, len) : NULL;
	prov->answer(root, http_status, address, v);
	json_decref(root);
}

char *prov_url(const char *api_base, const char *pre, const char *part, const char *post)
{
	size_t n = strlen(api_base);

	while (n > 0 && api_base[n - 1] == '/')
		n--;
	return xasprintf("%.*s%s%s%s", (int)n, api_base, pre, part, post);
}
