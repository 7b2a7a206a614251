/*
 * Web origins (RFC 6454) as the sign-up form compares them: scheme, host
 * and port, lowercase, the scheme's default port left out, as browsers
 * send them in the Origin header. Pure: no I/O.
 */
#ifndef BND_ORIGIN_H
#define BND_ORIGIN_H

#include <stdbool.h>

#define ORIGIN_MAX 256

/*
 * The origin of an http(s) URL ("https://Comune.Example.it:443/avvisi"
 * gives "https://comune.example.it"); 0, or -1 (out empty) if url is not
 * http(s)://host[:port][/...] (user information, an empty host or a bad
 * port included).
 */
int origin_of(const char *url, char out[ORIGIN_MAX]) __attribute__((warn_unused_result));
/* true if origin (as origin_of gives it) names host, a Host header
 * ("comune.example.it", "127.0.0.1:8080"; default ports either way). */
bool origin_has_host(const char *origin, const char *host);

#endif
