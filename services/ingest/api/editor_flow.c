/* The workflow check (common/workflow.h) on what ingest reads; see editor_flow.h. */
#include "api/editor_flow.h"

#include "core/directory.h"

int editor_flow_check(enum wf_action a, const struct notice_state *ns,
                      const struct dir_api_key *key, int version, struct wf_denial *d)
{
	struct wf_notice n = { ns->status, ns->version, ns->urgent, ns->author_key_id, NULL,
		               ns->allow_single_urgent };
	struct wf_actor who = { key->id, key->name, key->role, ns->in_scope, false,
		                ns->contributor };
	int code = wf_check(a, &n, &who, version, d);

	if (code == 404)   /* not theirs to see: as if it did not exist */
		return wf_deny(d, 404, "not_found", "no notice %s", ns->id);
	return code;
}
