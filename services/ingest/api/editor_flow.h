/*
 * The editorial workflow as ingest applies it before producing an event:
 * what ingest reads of a notice, and the check of common/workflow.h (the
 * one table both ingest and the composer use) on it with the caller's key.
 */
#ifndef BND_EDITOR_FLOW_H
#define BND_EDITOR_FLOW_H

#include <stdbool.h>

#include "crypto.h"
#include "workflow.h"

struct dir_api_key;

/* What ingest reads of a notice before acting on it. */
struct notice_state {
	char      id[UUID_STR_LEN + 1];
	char      comune_id[64];
	char      status[16];
	long long author_key_id;
	bool      urgent;
	int       version;
	int       events;                /* notice_events rows (read-your-writes) */
	bool      allow_single_urgent;   /* the comune's setting */
	bool      in_scope;              /* the caller's comune, or its consortium */
	bool      contributor;           /* the caller created, edited or submitted
	                                    this version (notice_contributors) */
};

/*
 * 0 if key may do a on the notice now (wf_check); otherwise the HTTP
 * code with *d filled. A notice out of the key's scope is a 404 naming
 * the notice. version: the version the caller acts on, 0 = any.
 */
int editor_flow_check(enum wf_action a, const struct notice_state *ns,
                      const struct dir_api_key *key, int version, struct wf_denial *d)
    __attribute__((warn_unused_result));

#endif
