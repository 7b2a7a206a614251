/* Client addresses grouped for counting; see client_addr.h. */
#include "core/client_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* The key of a binary IPv6 address: IPv4-mapped as IPv4, else its /64. */
static int ca_key_in6(const struct in6_addr *a6, char out[CA_KEY_MAX])
{
	struct in6_addr net;

	if (IN6_IS_ADDR_V4MAPPED(a6)) {
		struct in_addr a4;
		memcpy(&a4, &a6->s6_addr[12], sizeof(a4));
		return inet_ntop(AF_INET, &a4, out, CA_KEY_MAX) != NULL ? 0 : -1;
	}
	net = *a6;
	memset(&net.s6_addr[8], 0, 8);
	if (inet_ntop(AF_INET6, &net, out, CA_KEY_MAX - 4) == NULL)
		return -1;
	strcat(out, "/64");
	return 0;
}

int ca_key_text(const char *text, char out[CA_KEY_MAX])
{
	struct in_addr a4;
	struct in6_addr a6;

	out[0] = '\0';
	if (inet_pton(AF_INET, text, &a4) == 1)
		return inet_ntop(AF_INET, &a4, out, CA_KEY_MAX) != NULL ? 0 : -1;
	if (inet_pton(AF_INET6, text, &a6) == 1 && ca_key_in6(&a6, out) == 0)
		return 0;
	out[0] = '\0';
	return -1;
}

int ca_key_sockaddr(const struct sockaddr *sa, socklen_t len, char out[CA_KEY_MAX])
{
	out[0] = '\0';
	if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		return inet_ntop(AF_INET, &s4->sin_addr, out, CA_KEY_MAX) != NULL ? 0 : -1;
	}
	if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		if (ca_key_in6(&s6->sin6_addr, out) == 0)
			return 0;
	}
	out[0] = '\0';
	return -1;
}
