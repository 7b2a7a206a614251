/*
 * Who may call the editors' API: a Bearer API key, looked up by its
 * SHA-256 in the directory (keys are never stored in clear). The router
 * checks it for every route marked ROUTE_API_KEY (route.h), before the
 * handler runs.
 */
#ifndef BND_INGEST_AUTH_H
#define BND_INGEST_AUTH_H

#include <stdbool.h>

struct ingest;
struct evhttp_request;
struct dir_api_key;

/* Finds the caller's API key into *key, or answers 401 (no or unknown
 * key) or 503 (keys not loaded yet) and returns false. */
bool auth_api_key(struct ingest *ing, struct evhttp_request *req, struct dir_api_key *key)
    __attribute__((warn_unused_result));

#endif
