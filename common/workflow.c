/* The editorial workflow's one table and check; see workflow.h. */
#include "workflow.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* One action: its name, the states it starts from and leads to, who may. */
struct wf_rule {
	const char *name;
	const char *from;            /* space-separated, with a space at each end */
	const char *to;
	bool judge;                  /* an approver's (and a consortium key's) only */
	bool versioned;              /* acts on one version: a stale one is refused */
	const char *editor_from;     /* where an editor (the author) may do it, if not from */
};

static const struct wf_rule RULES[WF_ACTIONS] = {
	[WF_EDIT] = { "edit", " draft rejected ", "draft", false, true, NULL },
	[WF_SUBMIT] = { "submit", " draft rejected ", "submitted", false, true, NULL },
	[WF_APPROVE] = { "approve", " submitted ", "approved", true, true, NULL },
	[WF_REJECT] = { "reject", " submitted ", "rejected", true, true, NULL },
	[WF_SCHEDULE] = { "schedule", " submitted ", "scheduled", true, true, NULL },
	[WF_CANCEL] = { "cancel", " draft submitted rejected approved scheduled sending paused ",
		        "cancelled", false, false, " draft submitted rejected " },
	[WF_PAUSE] = { "pause", " sending ", "paused", true, false, NULL },
	[WF_RESUME] = { "resume", " paused ", "sending", true, false, NULL },
};

static const char *const STATUSES[] = {
	"draft", "submitted", "rejected", "approved", "scheduled", "sending", "paused", "sent",
	"cancelled",
};

const char *wf_action_name(enum wf_action a)
{
	return (unsigned)a < WF_ACTIONS ? RULES[a].name : "unknown";
}

int wf_action_parse(const char *name)
{
	for (int a = 0; a < WF_ACTIONS; a++)
		if (strcmp(RULES[a].name, name) == 0)
			return a;
	return -1;
}

const char *wf_status_after(enum wf_action a)
{
	return (unsigned)a < WF_ACTIONS ? RULES[a].to : "";
}

bool wf_status_valid(const char *status)
{
	for (size_t i = 0; i < sizeof(STATUSES) / sizeof(STATUSES[0]); i++)
		if (strcmp(status, STATUSES[i]) == 0)
			return true;
	return false;
}

int wf_deny(struct wf_denial *d, int code, const char *error, const char *fmt, ...)
{
	va_list ap;

	d->code = code;
	d->error = error;
	va_start(ap, fmt);
	utf8_vformat(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	return code;
}

/* true if status is one of the space-separated list's. */
static bool wf_in(const char *list, const char *status)
{
	char probe[24];

	snprintf(probe, sizeof(probe), " %s ", status);
	return strstr(list, probe) != NULL;
}

/* true if the actor wrote the notice (by key id, or by name for older rows). */
static bool wf_own(const struct wf_notice *n, const struct wf_actor *who)
{
	if (n->author_key_id != 0 && who->key_id != 0)
		return n->author_key_id == who->key_id;
	return n->author != NULL && who->name != NULL && strcmp(n->author, who->name) == 0;
}

int wf_role_check(enum wf_action a, const char *role, struct wf_denial *d)
{
	bool editor = strcmp(role, "editor") == 0;

	if ((unsigned)a >= WF_ACTIONS)
		return wf_deny(d, 403, "forbidden", "unknown action");
	if (!editor && strcmp(role, "approver") != 0 && strcmp(role, "consortium") != 0)
		return wf_deny(d, 403, "forbidden", "role \"%s\" may not act on notices", role);
	if (editor && RULES[a].judge)
		return wf_deny(d, 403, "forbidden", "an editor key may not %s notices; ask an "
		               "approver", RULES[a].name);
	return 0;
}

/* Four eyes: 0, or 403 if who may not approve (or schedule) this version. */
static int wf_four_eyes(enum wf_action a, const struct wf_notice *n, const struct wf_actor *who,
                        struct wf_denial *d)
{
	if (a != WF_APPROVE && a != WF_SCHEDULE)
		return 0;
	if (!wf_own(n, who) && !who->contributor)
		return 0;
	if (n->urgent && n->allow_single_urgent)
		return 0;
	return wf_deny(d, 403, "four_eyes", "four eyes: key %lld created, edited or submitted "
	               "version %d of this notice: another approver must %s it%s", who->key_id,
	               n->version,
	               RULES[a].name, n->urgent ? "" : " (only urgent notices may be approved by "
	               "one person, where the comune allows it)");
}

int wf_check(enum wf_action a, const struct wf_notice *n, const struct wf_actor *who,
             int version, struct wf_denial *d)
{
	const struct wf_rule *r;
	bool editor;

	if (wf_role_check(a, who->role, d) != 0)
		return d->code;
	r = &RULES[a];
	editor = strcmp(who->role, "editor") == 0;
	if (who->revoked)
		return wf_deny(d, 403, "forbidden", "the API key is revoked");
	if (!who->in_scope)
		return wf_deny(d, 404, "not_found", "the key may not act for this notice's comune");
	if (editor && !wf_own(n, who))
		return wf_deny(d, 403, "forbidden", "an editor may only %s notices they wrote",
		               r->name);
	if (!wf_in(r->from, n->status))
		return wf_deny(d, 409, "conflict", "cannot %s a notice that is %s", r->name,
		               n->status);
	if (editor && r->editor_from != NULL && !wf_in(r->editor_from, n->status))
		return wf_deny(d, 403, "forbidden", "only an approver may %s a notice that is %s",
		               r->name, n->status);
	if (wf_four_eyes(a, n, who, d) != 0)
		return d->code;
	if (r->versioned && version != 0 && version != n->version)
		return wf_deny(d, 409, "conflict", "the notice is at version %d, not %d", n->version,
		               version);
	return 0;
}
