/* Who may do what to a notice, and from which state; see workflow.h. */
#include "workflow.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

#define A(x) BANDITORE__V1__NOTICE_ACTION__NOTICE_##x

/* The states each action may start from, space-separated. */
static const char *wf_from(Banditore__V1__NoticeAction action)
{
	switch (action) {
	case A(EDIT):
	case A(SUBMIT):
		return " draft rejected ";
	case A(APPROVE):
	case A(REJECT):
		return " submitted ";
	case A(CANCEL):
		return " draft submitted approved scheduled sending ";
	default:
		return " ";
	}
}

const char *wf_action_name(Banditore__V1__NoticeAction action)
{
	switch (action) {
	case A(CREATE):
		return "create";
	case A(EDIT):
		return "edit";
	case A(SUBMIT):
		return "submit";
	case A(APPROVE):
		return "approve";
	case A(REJECT):
		return "reject";
	case A(CANCEL):
		return "cancel";
	default:
		return "unknown";
	}
}

/* Writes the reason into why and returns it. */
static const char *refuse(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static const char *refuse(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	utf8_vformat(why, len, fmt, ap);
	va_end(ap);
	return why;
}

/* True if the actor wrote the notice (by key id, or by name for old rows). */
static bool wf_own(const struct wf_notice *n, const struct wf_actor *who)
{
	if (n->author_key_id != 0 && who->key_id != 0)
		return n->author_key_id == who->key_id;
	return n->author != NULL && who->name != NULL && strcmp(n->author, who->name) == 0;
}

const char *wf_check(Banditore__V1__NoticeAction action, const struct wf_notice *n,
                     const struct wf_actor *who, int version, char *why, size_t len)
{
	const char *name = wf_action_name(action);
	bool editor = strcmp(who->role, "editor") == 0;
	bool judge = action == A(APPROVE) || action == A(REJECT);
	char probe[24];

	if (who->revoked)
		return refuse(why, len, "the API key is revoked");
	if (!editor && strcmp(who->role, "approver") != 0 && strcmp(who->role, "consortium") != 0)
		return refuse(why, len, "role \"%s\" may not act on notices", who->role);
	if (!who->in_scope)
		return refuse(why, len, "the key may not act for this comune");
	if (editor && judge)
		return refuse(why, len, "an editor may not %s notices", name);
	if (editor && !wf_own(n, who))
		return refuse(why, len, "an editor may only %s notices they wrote", name);
	snprintf(probe, sizeof(probe), " %s ", n->status);
	if (strstr(wf_from(action), probe) == NULL)
		return refuse(why, len, "cannot %s a notice that is %s", name, n->status);
	if (editor && action == A(CANCEL) && strcmp(n->status, "draft") != 0 &&
	    strcmp(n->status, "submitted") != 0)
		return refuse(why, len, "only an approver may cancel a notice that is %s", n->status);
	if (action == A(APPROVE) && (wf_own(n, who) || who->contributor) &&
	    !(n->urgent && n->allow_single_urgent))
		return refuse(why, len, "four eyes: key %lld created, edited or submitted version %d "
		              "and may not approve it%s", who->key_id, n->version,
		              n->urgent ? " (the comune does not allow it for urgent ones)" : "");
	if (version != 0 && version != n->version &&
	    (action == A(EDIT) || action == A(SUBMIT) || action == A(APPROVE)))
		return refuse(why, len, "stale version %d: the notice is at version %d", version,
		              n->version);
	return NULL;
}
