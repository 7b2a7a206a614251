/*
 * Reads of notices for the editors' API, on the PostgreSQL worker thread
 * (dbwork.h). Each returns 0, NOTICE_ABSENT when the notice does not
 * exist or is outside the caller's scope, or -1 when PostgreSQL failed.
 * JSON results are new references the caller owns.
 */
#ifndef BND_NOTICE_STORE_H
#define BND_NOTICE_STORE_H

#include <jansson.h>

#include "api/editor_flow.h"

#define NOTICE_ABSENT 1
#define NOTICE_LIST_MAX 100

struct db;
struct dir_api_key;

/* What the workflow checks need (editor_flow_check). */
int ns_state_load(struct db *db, const char *id, const struct dir_api_key *key,
                  struct notice_state *ns) __attribute__((warn_unused_result));
/* The whole notice with its history of state changes (who, when). */
int ns_read(struct db *db, const char *id, const struct dir_api_key *key, json_t **out)
    __attribute__((warn_unused_result));
/*
 * A page of a comune's notices, newest first: {"notices": [...],
 * "next_cursor": "..." or null}. status "" = any; cursor "" = first page;
 * words: a text[] literal of ILIKE patterns each of which the title or
 * the body must match ("{}" = any notice). Each notice says whether the
 * caller (key_id) contributed to it (you_contributed, four eyes).
 */
struct ns_page {
	const char *comune, *status, *cursor, *words;
	int limit;
};
int ns_list(struct db *db, const struct ns_page *pg, long long key_id, json_t **out)
    __attribute__((warn_unused_result));
/* Every version of the notice's text, oldest first: {"versions": [...]};
 * *events: how many events its history has (editor_recent.h). */
int ns_versions(struct db *db, const char *id, const struct dir_api_key *key, json_t **out,
                int *events) __attribute__((warn_unused_result));
/* Delivery statistics of one notice (recipients, sent, delivered, ...). */
int ns_stats(struct db *db, const char *id, const struct dir_api_key *key, json_t **out)
    __attribute__((warn_unused_result));
/*
 * The notice's settled jobs over time: {"id", "step_s", "time_zone",
 * "buckets": [{"at", "sent", "delivered", "read", "failed"}]}, each job
 * in the interval of its last change; step_s from timeline_step(asked).
 */
int ns_timeline(struct db *db, const char *id, const struct dir_api_key *key, long asked,
                json_t **out) __attribute__((warn_unused_result));
/* True if key may see comune's notices (its own, or its consortium's). */
int ns_comune_in_scope(struct db *db, const char *comune, const struct dir_api_key *key,
                       bool *in_scope) __attribute__((warn_unused_result));

#endif
