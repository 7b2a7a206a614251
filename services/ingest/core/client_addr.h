/*
 * A client's address as the abuse controls count it: an IPv4 address on
 * its own, an IPv6 address by its /64 (one subscriber line or host gets a
 * whole /64: counting single IPv6 addresses would let one client rotate
 * through 2^64 of them). An IPv4-mapped IPv6 address counts as the IPv4
 * address. Pure: no I/O.
 */
#ifndef BND_CLIENT_ADDR_H
#define BND_CLIENT_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

#define CA_KEY_MAX 48   /* "ffff:ffff:ffff:ffff::/64" or "255.255.255.255", and a NUL */

/* The key of a textual address ("198.51.100.7", "2001:db8::1"); 0, or
 * -1 (out empty) if text is not an IP address. */
int ca_key_text(const char *text, char out[CA_KEY_MAX]) __attribute__((warn_unused_result));
/* The key of a socket address (AF_INET, AF_INET6); 0 or -1 (out empty). */
int ca_key_sockaddr(const struct sockaddr *sa, socklen_t len, char out[CA_KEY_MAX])
    __attribute__((warn_unused_result));

#endif
