/*
 * The editorial workflow's rules as ingest checks them before producing
 * an event (the composer re-checks authoritatively). Pure functions over
 * a notice's current state and the caller's key, unit-tested on their own.
 *
 * Four eyes: nobody who created, edited or submitted a version may
 * approve (or schedule) it: 403 "four_eyes". Only an urgent notice in a
 * comune with allow_single_urgent may be approved by one person.
 *
 * Notice states (notices.status, migration 0003):
 *   draft      written, being edited by its author
 *   submitted  handed to the approvers
 *   rejected   sent back with a reason; the author may edit and resubmit
 *   approved   approved, fan-out about to start (or held by quiet hours)
 *   scheduled  approved for a future time
 *   sending    fan-out in progress
 *   sent       every job handed to Kafka
 *   cancelled  withdrawn; nothing more is sent
 */
#ifndef BND_EDITOR_FLOW_H
#define BND_EDITOR_FLOW_H

#include <stdbool.h>

#include "crypto.h"

struct dir_api_key;

enum editor_action {
	EA_EDIT,
	EA_SUBMIT,
	EA_APPROVE,
	EA_REJECT,
	EA_SCHEDULE,
	EA_CANCEL,
};

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

/* Why an action is refused: HTTP code, error name, message. */
struct editor_denial {
	int  code;
	char error[32];
	char message[200];
};

/* The action's name as events and logs spell it ("approve"). */
const char *editor_action_name(enum editor_action a);
/* 403 if the key's role may never do a; 0 otherwise. No state needed. */
int editor_role_check(enum editor_action a, const char *role, struct editor_denial *d)
    __attribute__((warn_unused_result));
/*
 * 0 if key may do a on the notice now; otherwise the code (404 not
 * visible, 409 wrong state naming it, 403 not allowed, e.g. four eyes)
 * with *d filled. version: the version the caller acts on, 0 = any.
 */
int editor_flow_check(enum editor_action a, const struct notice_state *ns,
                      const struct dir_api_key *key, int version, struct editor_denial *d)
    __attribute__((warn_unused_result));
/* True for a known status name. */
bool editor_status_valid(const char *status);

#endif
