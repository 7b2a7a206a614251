/*
 * Request ids: each request of the public listener gets one, returned in
 * the X-Request-Id header and written in its access log line. A client's
 * (or a proxy's) own X-Request-Id is kept if it is a sane token: 1 to
 * RID_MAX characters of A-Z a-z 0-9 '-' '_' '.' ':'; anything else is
 * replaced by a new random one. Pure but rid_new (random).
 */
#ifndef BND_INGEST_REQUEST_ID_H
#define BND_INGEST_REQUEST_ID_H

#include <stdbool.h>

#define RID_MAX 64

/* true if s (NULL allowed: false) may be used as a request id. */
bool rid_valid(const char *s);
/* out: the incoming id if valid, else a new one (32 hex digits). */
void rid_choose(const char *incoming, char out[RID_MAX + 1]);

#endif
