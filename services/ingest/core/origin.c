/* Web origins; see origin.h. */
#include "core/origin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The scheme's default port, or NULL. */
static const char *default_port(const char *scheme)
{
	return strcmp(scheme, "https") == 0 ? "443" : strcmp(scheme, "http") == 0 ? "80" : NULL;
}

/* Copies host[:port] (n bytes of hp) into out, lowercase, without the
 * default port of scheme; 0 or -1 if it is not a host with a valid port. */
static int host_port(const char *scheme, const char *hp, size_t n, char *out, size_t cap)
{
	const char *colon = NULL, *end = hp + n;
	size_t hlen;

	if (n == 0 || n >= cap)
		return -1;
	if (hp[0] == '[') {                       /* an IPv6 literal */
		const char *close = memchr(hp, ']', n);
		if (close == NULL)
			return -1;
		colon = close + 1 < end ? close + 1 : NULL;
		if (colon != NULL && *colon != ':')
			return -1;
	} else {
		colon = memchr(hp, ':', n);
	}
	hlen = colon != NULL ? (size_t)(colon - hp) : n;
	if (hlen == 0)
		return -1;
	for (size_t i = 0; i < hlen; i++) {
		unsigned char c = (unsigned char)hp[i];
		if (!isalnum(c) && strchr(".-[]:", c) == NULL)
			return -1;
		out[i] = (char)tolower(c);
	}
	out[hlen] = '\0';
	if (colon != NULL) {
		size_t plen = (size_t)(end - colon - 1);
		char port[8];
		if (plen == 0 || plen > 5 || strspn(colon + 1, "0123456789") < plen)
			return -1;
		memcpy(port, colon + 1, plen);
		port[plen] = '\0';
		if (atoi(port) < 1 || atoi(port) > 65535)
			return -1;
		if (strcmp(port, default_port(scheme)) != 0)
			snprintf(out + hlen, cap - hlen, ":%s", port);
	}
	return 0;
}

int origin_of(const char *url, char out[ORIGIN_MAX])
{
	const char *scheme = strncasecmp(url, "https://", 8) == 0 ? "https"
	                   : strncasecmp(url, "http://", 7) == 0 ? "http" : NULL;
	const char *hp;
	char host[ORIGIN_MAX];
	size_t n;

	out[0] = '\0';
	if (scheme == NULL)
		return -1;
	hp = url + strlen(scheme) + 3;
	n = strcspn(hp, "/?#");
	if (memchr(hp, '@', n) != NULL || host_port(scheme, hp, n, host, sizeof(host)) != 0)
		return -1;
	if ((size_t)snprintf(out, ORIGIN_MAX, "%s://%s", scheme, host) >= ORIGIN_MAX) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

bool origin_has_host(const char *origin, const char *host)
{
	const char *sep = strstr(origin, "://");
	char scheme[8], want[ORIGIN_MAX];
	size_t slen;

	if (sep == NULL || host == NULL || (slen = (size_t)(sep - origin)) >= sizeof(scheme))
		return false;
	memcpy(scheme, origin, slen);
	scheme[slen] = '\0';
	if (default_port(scheme) == NULL ||
	    host_port(scheme, host, strlen(host), want, sizeof(want)) != 0)
		return false;
	return strcmp(sep + 3, want) == 0;
}
