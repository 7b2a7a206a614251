/* Who may do what to a notice, and from which state. */
#include "editor_flow.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "directory.h"
#include "utf8.h"

static const char *const STATUSES[] = {
	"draft", "submitted", "rejected", "approved", "scheduled", "sending", "sent", "cancelled",
};

/* The states each action may start from, space-separated. */
static const char *const FROM[] = {
	[EA_EDIT] = " draft rejected ",
	[EA_SUBMIT] = " draft rejected ",
	[EA_APPROVE] = " submitted ",
	[EA_REJECT] = " submitted ",
	[EA_SCHEDULE] = " submitted ",
	[EA_CANCEL] = " draft submitted approved scheduled sending ",
};

static const char *const NAMES[] = {
	[EA_EDIT] = "edit", [EA_SUBMIT] = "submit", [EA_APPROVE] = "approve",
	[EA_REJECT] = "reject", [EA_SCHEDULE] = "schedule", [EA_CANCEL] = "cancel",
};

const char *editor_action_name(enum editor_action a)
{
	return NAMES[a];
}

bool editor_status_valid(const char *status)
{
	for (size_t i = 0; i < sizeof(STATUSES) / sizeof(STATUSES[0]); i++)
		if (strcmp(status, STATUSES[i]) == 0)
			return true;
	return false;
}

/* Fills d and returns code. */
static int deny(struct editor_denial *d, int code, const char *error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int deny(struct editor_denial *d, int code, const char *error, const char *fmt, ...)
{
	va_list ap;

	d->code = code;
	snprintf(d->error, sizeof(d->error), "%s", error);
	va_start(ap, fmt);
	utf8_vformat(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	return code;
}

/* Approving, rejecting and scheduling are the approvers' (and consortium's). */
static bool approves(enum editor_action a)
{
	return a == EA_APPROVE || a == EA_REJECT || a == EA_SCHEDULE;
}

int editor_role_check(enum editor_action a, const char *role, struct editor_denial *d)
{
	bool editor = strcmp(role, "editor") == 0;

	if (!editor && strcmp(role, "approver") != 0 && strcmp(role, "consortium") != 0)
		return deny(d, 403, "forbidden", "role \"%s\" may not act on notices", role);
	if (editor && approves(a))
		return deny(d, 403, "forbidden", "an editor key may not %s notices; "
		            "ask an approver", NAMES[a]);
	return 0;
}

/* True if status is among the action's starting states. */
static bool from_ok(enum editor_action a, const char *status)
{
	char probe[24];

	snprintf(probe, sizeof(probe), " %s ", status);
	return strstr(FROM[a], probe) != NULL;
}

int editor_flow_check(enum editor_action a, const struct notice_state *ns,
                      const struct dir_api_key *key, int version, struct editor_denial *d)
{
	bool editor = strcmp(key->role, "editor") == 0;
	bool own = ns->author_key_id == key->id;

	if (editor_role_check(a, key->role, d) != 0)
		return d->code;
	if (!ns->in_scope)
		return deny(d, 404, "not_found", "no notice %s", ns->id);
	if (editor && !own)
		return deny(d, 403, "forbidden", "an editor may only %s notices they wrote",
		            NAMES[a]);
	if (!from_ok(a, ns->status))
		return deny(d, 409, "conflict", "cannot %s a notice that is %s", NAMES[a],
		            ns->status);
	if (editor && a == EA_CANCEL && strcmp(ns->status, "draft") != 0 &&
	    strcmp(ns->status, "submitted") != 0)
		return deny(d, 403, "forbidden", "only an approver may cancel a notice that is %s",
		            ns->status);
	if ((a == EA_APPROVE || a == EA_SCHEDULE) && (own || ns->contributor) &&
	    !(ns->urgent && ns->allow_single_urgent))
		return deny(d, 403, "four_eyes", "you created, edited or submitted version %d of "
		            "this notice: another approver must %s it%s", ns->version, NAMES[a],
		            ns->urgent ? "" : " (only urgent notices may be approved by one person, "
		            "where the comune allows it)");
	if (version != 0 && version != ns->version)
		return deny(d, 409, "conflict", "the notice is at version %d, not %d",
		            ns->version, version);
	return 0;
}
