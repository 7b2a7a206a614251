/*
 * The editorial workflow: who may do what to a notice, from which state,
 * and what state it leads to. One table and one check, used by ingest to
 * answer an editor at once (the HTTP code of a refusal) and by the
 * composer to apply the event authoritatively (it alone sees the state
 * the event really meets, one event at a time per notice), so the two
 * can never disagree. Pure functions, unit-tested on their own.
 *
 * Notice states (notices.status):
 *   draft      written, being edited by its author
 *   submitted  handed to the approvers
 *   rejected   sent back with a reason; the author may edit and resubmit
 *   approved   approved and due: the fan-out starts at once
 *   scheduled  approved, held until release_at (its schedule, quiet hours)
 *   sending    being fanned out and delivered
 *   paused     an approver stopped its delivery for now; resume goes on
 *   sent       every job settled (sent to the provider, failed, skipped)
 *   cancelled  withdrawn: nothing more is produced or sent
 *
 * Rules: an editor writes, submits and cancels (before approval) only
 * notices they wrote; approving, rejecting, scheduling, pausing and
 * resuming are an approver's (or a consortium key's). Four eyes: whoever
 * created, edited or submitted a version may not approve (or schedule) it
 * (notice_contributors, migration 0008); only an urgent notice in a comune
 * with allow_single_urgent may be approved by one person. An action on a
 * version (edit, submit, approve, reject, schedule) is refused if the
 * notice has moved to another version; cancel, pause and resume are not:
 * the kill switch works on whatever is going out.
 */
#ifndef BND_WORKFLOW_H
#define BND_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

/*
 * SQL, true if key KEY is barred by four eyes from approving version VER
 * of notice NOTICE: it created or edited this or an earlier version, or
 * submitted this one (the arguments are SQL expressions). The one
 * statement of the rule: ingest's early check, the composer's
 * authoritative one and its choice of whom to alert all use it.
 */
#define WF_CONTRIBUTED_SQL(notice, key, ver)                                           \
	"EXISTS (SELECT 1 FROM notice_contributors wf_c WHERE wf_c.notice_id = " notice  \
	" AND wf_c.key_id = " key " AND (wf_c.version = " ver " OR (wf_c.version < " ver  \
	" AND wf_c.action <> 'submit')))"

enum wf_action {
	WF_EDIT,
	WF_SUBMIT,
	WF_APPROVE,
	WF_REJECT,
	WF_SCHEDULE,      /* approve for a later time */
	WF_CANCEL,
	WF_PAUSE,
	WF_RESUME,
	WF_ACTIONS,
};

/* The notice as the action finds it. */
struct wf_notice {
	const char *status;
	int version;
	bool urgent;
	long long author_key_id;     /* 0: unknown (older rows) */
	const char *author;          /* key name, for older rows */
	bool allow_single_urgent;    /* the comune's setting */
};

/* Who acts: the API key. */
struct wf_actor {
	long long key_id;            /* 0: unknown */
	const char *name;
	const char *role;            /* editor, approver, consortium */
	bool in_scope;               /* may act for the notice's comune */
	bool revoked;
	bool contributor;            /* created, edited or submitted the current version */
};

/* Why an action is refused: HTTP code, error name, message. */
struct wf_denial {
	int code;                    /* 403, 404, 409 */
	const char *error;           /* forbidden, four_eyes, not_found, conflict */
	char message[200];
};

/* The action's name ("approve"), as events, history and logs spell it. */
const char *wf_action_name(enum wf_action a);
/* The action of a name, or -1. */
int wf_action_parse(const char *name);
/* The state a permitted action leads to (WF_APPROVE: approved; the
 * composer may then hold it as scheduled). */
const char *wf_status_after(enum wf_action a);
/* true for a known status name. */
bool wf_status_valid(const char *status);
/* 0 if the role may ever do a; else 403 with *d filled (no notice needed). */
int wf_role_check(enum wf_action a, const char *role, struct wf_denial *d)
    __attribute__((warn_unused_result));
/*
 * 0 if who may do a to n now, acting on version (0: any); otherwise the
 * HTTP code (404 not in scope, 409 wrong state or stale version, 403 not
 * allowed, four eyes) with *d filled.
 */
int wf_check(enum wf_action a, const struct wf_notice *n, const struct wf_actor *who,
             int version, struct wf_denial *d) __attribute__((warn_unused_result));
/* Fills *d (the message cut between UTF-8 characters to fit); returns code.
 * For a caller that words a refusal its own way. */
int wf_deny(struct wf_denial *d, int code, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
