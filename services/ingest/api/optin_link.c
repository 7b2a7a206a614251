/* Opt-in links (optin_link.h). */
#include "api/optin_link.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

char *optin_url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(strlen(s) * 3 + 1), *o = out;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

char *optin_wa_link(const char *number, const char *keyword)
{
	char *text = optin_url_encode(keyword), *link;

	link = xasprintf("https://wa.me/%s?text=%s", number, text);
	free(text);
	return link;
}

char *optin_tg_link(const char *bot, const char *payload)
{
	char *start = optin_url_encode(payload), *link;

	link = xasprintf("https://t.me/%s?start=%s", bot, start);
	free(start);
	return link;
}

char *optin_form_url(const char *base, const char *comune)
{
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	return xasprintf("%.*s/c/%s/iscrizione", (int)n, base, comune);
}
