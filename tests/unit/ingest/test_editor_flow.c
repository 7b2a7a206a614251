/* The editorial workflow's rules (editor_flow.c): roles, states, four eyes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "api/editor_flow.h"
#include "core/directory.h"

static struct dir_api_key key_of(long long id, const char *role)
{
	struct dir_api_key k = { .id = id };

	snprintf(k.comune_id, sizeof(k.comune_id), "demo");
	snprintf(k.role, sizeof(k.role), "%s", role);
	return k;
}

static struct notice_state notice(const char *status, long long author)
{
	struct notice_state ns = { .author_key_id = author, .version = 3, .in_scope = true };

	snprintf(ns.id, sizeof(ns.id), "3f2b8c1e-6a4d-4f0e-9b1a-0c2d3e4f5a6b");
	snprintf(ns.comune_id, sizeof(ns.comune_id), "demo");
	snprintf(ns.status, sizeof(ns.status), "%s", status);
	return ns;
}

/* Expects code for action a, and a message containing what (if any). */
static void expect(enum wf_action a, const struct notice_state *ns,
                   const struct dir_api_key *k, int version, int code, const char *what)
{
	struct wf_denial d = { 0 };
	int rc = editor_flow_check(a, ns, k, version, &d);

	if (rc != code)
		fail_msg("%s on %s by %s: got %d (%s), expected %d", wf_action_name(a),
		         ns->status, k->role, rc, d.message, code);
	if (what != NULL && strstr(d.message, what) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", d.message, what);
}

static void test_four_eyes(void **state)
{
	struct dir_api_key writer = key_of(7, "approver"), other = key_of(8, "approver");
	struct notice_state ns = notice("submitted", 7);
	(void)state;

	expect(WF_APPROVE, &ns, &writer, 0, 403, "another approver");
	expect(WF_SCHEDULE, &ns, &writer, 0, 403, "another approver");
	expect(WF_APPROVE, &ns, &other, 0, 0, NULL);
	/* Urgent alone is not enough; the comune must allow it too. */
	ns.urgent = true;
	expect(WF_APPROVE, &ns, &writer, 0, 403, "another approver");
	ns.allow_single_urgent = true;
	expect(WF_APPROVE, &ns, &writer, 0, 0, NULL);
	ns.urgent = false;
	expect(WF_APPROVE, &ns, &writer, 0, 403, "only urgent");
	/* Rejecting one's own notice is not approving it. */
	expect(WF_REJECT, &ns, &writer, 0, 0, NULL);
}

/* Whoever edited or submitted the version may not approve it, author or not. */
static void test_four_eyes_contributors(void **state)
{
	struct dir_api_key editing = key_of(8, "approver"), third = key_of(9, "approver");
	struct dir_api_key consortium = key_of(10, "consortium");
	struct notice_state ns = notice("submitted", 7);
	(void)state;

	ns.contributor = true;   /* as ns_state_load says for keys 8 and 10 */
	expect(WF_APPROVE, &ns, &editing, 0, 403, "created, edited or submitted");
	expect(WF_SCHEDULE, &ns, &editing, 0, 403, "another approver");
	expect(WF_APPROVE, &ns, &consortium, 0, 403, "another approver");
	expect(WF_REJECT, &ns, &editing, 0, 0, NULL);
	ns.contributor = false;  /* as for key 9 */
	expect(WF_APPROVE, &ns, &third, 0, 0, NULL);
}

static void test_roles(void **state)
{
	struct dir_api_key ed = key_of(5, "editor"), ed2 = key_of(6, "editor");
	struct dir_api_key cons = key_of(9, "consortium"), odd = key_of(10, "auditor");
	struct notice_state sub = notice("submitted", 5), draft = notice("draft", 5);
	(void)state;

	expect(WF_APPROVE, &sub, &ed, 0, 403, "editor key may not approve");
	expect(WF_REJECT, &sub, &ed, 0, 403, "may not reject");
	expect(WF_SCHEDULE, &sub, &ed, 0, 403, NULL);
	expect(WF_SUBMIT, &draft, &ed, 0, 0, NULL);
	expect(WF_EDIT, &draft, &ed, 0, 0, NULL);
	expect(WF_EDIT, &draft, &ed2, 0, 403, "notices they wrote");
	expect(WF_CANCEL, &draft, &ed2, 0, 403, NULL);
	expect(WF_CANCEL, &draft, &ed, 0, 0, NULL);
	expect(WF_APPROVE, &sub, &cons, 0, 0, NULL);
	expect(WF_EDIT, &draft, &odd, 0, 403, "auditor");
}

static void test_states(void **state)
{
	struct dir_api_key ed = key_of(5, "editor"), ap = key_of(8, "approver");
	static const char *const all[] = { "draft", "submitted", "rejected", "approved",
	                                   "scheduled", "sending", "paused", "sent", "cancelled" };
	/* Which states each action is allowed from, for an approver. */
	static const struct {
		enum wf_action a;
		const char *ok;
	} table[] = {
		{ WF_EDIT, "draft rejected" },
		{ WF_SUBMIT, "draft rejected" },
		{ WF_APPROVE, "submitted" },
		{ WF_REJECT, "submitted" },
		{ WF_SCHEDULE, "submitted" },
		{ WF_CANCEL, "draft submitted rejected approved scheduled sending paused" },
		{ WF_PAUSE, "sending" },
		{ WF_RESUME, "paused" },
	};
	(void)state;

	for (size_t t = 0; t < sizeof(table) / sizeof(table[0]); t++) {
		for (size_t s = 0; s < sizeof(all) / sizeof(all[0]); s++) {
			struct notice_state ns = notice(all[s], 5);
			bool ok = strstr(table[t].ok, all[s]) != NULL;
			char msg[64];
			snprintf(msg, sizeof(msg), "that is %s", all[s]);
			expect(table[t].a, &ns, &ap, 0, ok ? 0 : 409, ok ? NULL : msg);
		}
	}
	/* An editor may withdraw their draft, submitted or rejected notice, no more;
	 * stopping delivery (cancel once approved, pause, resume) is an approver's. */
	struct notice_state approved = notice("approved", 5), sub = notice("submitted", 5);
	struct notice_state sending = notice("sending", 5);
	expect(WF_CANCEL, &approved, &ed, 0, 403, "only an approver");
	expect(WF_CANCEL, &sub, &ed, 0, 0, NULL);
	expect(WF_PAUSE, &sending, &ed, 0, 403, "ask an approver");
	expect(WF_CANCEL, &sending, &ap, 7, 0, NULL);   /* the kill switch ignores versions */
}

static void test_scope_and_version(void **state)
{
	struct dir_api_key ap = key_of(8, "approver");
	struct notice_state ns = notice("submitted", 5);
	(void)state;

	expect(WF_APPROVE, &ns, &ap, 3, 0, NULL);
	expect(WF_APPROVE, &ns, &ap, 2, 409, "version 3, not 2");
	ns.in_scope = false;
	expect(WF_APPROVE, &ns, &ap, 0, 404, "no notice");
}

static void test_status_names(void **state)
{
	(void)state;
	assert_true(wf_status_valid("scheduled"));
	assert_true(wf_status_valid("cancelled"));
	assert_false(wf_status_valid("canceled"));
	assert_false(wf_status_valid(""));
	assert_false(wf_status_valid("draft "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_eyes),
		cmocka_unit_test(test_four_eyes_contributors),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_scope_and_version),
		cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
