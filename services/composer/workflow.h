/*
 * The editorial workflow as the composer enforces it, authoritatively:
 * ingest checks the same rules before producing an event, but only the
 * composer, applying events one at a time per notice, sees the state an
 * event really meets. Pure functions, unit-tested on their own.
 *
 * Four eyes: whoever created, edited or submitted the version at hand
 * (by API key, notice_contributors, migration 0008) may not approve it;
 * only an urgent notice in a comune with allow_single_urgent may be
 * approved by one person. The same holds for consortium alerts.
 *
 * Notice states (notices.status):
 *   draft      written, being edited by its author
 *   submitted  handed to the approvers
 *   rejected   sent back with a reason; the author may edit and resubmit
 *   approved   approved and due: the fan-out starts at once
 *   scheduled  approved, held until release_at (schedule or quiet hours)
 *   sending    fan-out in progress (checkpoint in fanout_* columns)
 *   sent       every job acknowledged by Kafka
 *   cancelled  withdrawn; nothing more is produced
 */
#ifndef BND_WORKFLOW_H
#define BND_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "banditore.pb-c.h"

/* The notice as an event finds it. */
struct wf_notice {
	const char *status;
	int version;
	bool urgent;
	long long author_key_id;     /* 0: unknown (older events) */
	const char *author;          /* key name */
	bool allow_single_urgent;    /* the comune's setting */
};

/* Who acts: the API key as the database knows it. */
struct wf_actor {
	long long key_id;            /* 0: unknown */
	const char *name;
	const char *role;            /* editor, approver, consortium */
	bool in_scope;               /* the key may act on the notice's comune */
	bool revoked;
	bool contributor;            /* created, edited or submitted the notice's
	                                current version (notice_contributors) */
};

/* The action's name as notice_events records it ("approve"). */
const char *wf_action_name(Banditore__V1__NoticeAction action);
/*
 * NULL if who may apply action (acting on version, 0 = any) to n now,
 * else why not, in words for the history ("four eyes: ..."), written into
 * why (size len) and returned.
 */
const char *wf_check(Banditore__V1__NoticeAction action, const struct wf_notice *n,
                     const struct wf_actor *who, int version, char *why, size_t len);

#endif
