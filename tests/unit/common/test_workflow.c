/*
 * The editorial workflow's one check (common/workflow.c), as the composer
 * applies events: states, roles, four eyes (and the urgent single-person
 * exception), stale versions, pause and resume. (Ingest's use of it, with
 * HTTP codes and its notice state, is tests/unit/ingest/test_editor_flow.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "workflow.h"

#define A(x) WF_##x

static const struct wf_actor editor = { 1, "redazione", "editor", true, false, false };
static const struct wf_actor approver = { 2, "sindaco", "approver", true, false, false };
static const struct wf_actor consortium = { 3, "regione", "consortium", true, false, false };

/* A notice written by the editor (key 1) in the given state. */
static struct wf_notice notice(const char *status, bool urgent, bool single)
{
	return (struct wf_notice){ status, 2, urgent, 1, "redazione", single };
}

/* NULL if allowed, else the refusal's message. */
static const char *check(enum wf_action a, struct wf_notice n, const struct wf_actor *who,
                         int version)
{
	static struct wf_denial d;
	return wf_check(a, &n, who, version, &d) == 0 ? NULL : d.message;
}

static void test_allowed_transitions(void **state)
{
	(void)state;
	assert_null(check(A(EDIT), notice("draft", false, false), &editor, 2));
	assert_null(check(A(EDIT), notice("rejected", false, false), &editor, 0));
	assert_null(check(A(SUBMIT), notice("draft", false, false), &editor, 2));
	assert_null(check(A(APPROVE), notice("submitted", false, false), &approver, 2));
	assert_null(check(A(REJECT), notice("submitted", false, false), &approver, 0));
	assert_null(check(A(CANCEL), notice("scheduled", false, false), &approver, 0));
	assert_null(check(A(CANCEL), notice("sending", false, false), &consortium, 0));
	assert_null(check(A(CANCEL), notice("draft", false, false), &editor, 0));
}

static void test_wrong_state_is_named(void **state)
{
	(void)state;
	assert_string_equal(check(A(APPROVE), notice("draft", false, false), &approver, 0),
	                    "cannot approve a notice that is draft");
	assert_non_null(check(A(EDIT), notice("submitted", false, false), &editor, 0));
	assert_non_null(check(A(CANCEL), notice("sent", false, false), &approver, 0));
	assert_non_null(check(A(CANCEL), notice("cancelled", false, false), &approver, 0));
	assert_non_null(check(A(REJECT), notice("approved", false, false), &approver, 0));
}

static void test_four_eyes(void **state)
{
	const struct wf_actor self_approver = { 1, "redazione", "approver", true, false, false };
	(void)state;
	/* The author holding an approver key still may not approve alone... */
	assert_non_null(strstr(check(A(APPROVE), notice("submitted", false, false),
	                             &self_approver, 0), "four eyes"));
	/* ...nor an urgent one unless the comune allows it... */
	assert_non_null(check(A(APPROVE), notice("submitted", true, false), &self_approver, 0));
	/* ...and then only urgent ones. */
	assert_null(check(A(APPROVE), notice("submitted", true, true), &self_approver, 0));
	assert_non_null(check(A(APPROVE), notice("submitted", false, true), &self_approver, 0));
}

/* An approver who edited or submitted the version (not its author) may
 * not approve it either; a third person may. */
static void test_four_eyes_every_contributor(void **state)
{
	const struct wf_actor editing_approver = { 2, "sindaco", "approver", true, false, true };
	const struct wf_actor third = { 4, "vicesindaco", "approver", true, false, false };
	const struct wf_actor consortium_submitter = { 3, "regione", "consortium", true, false, true };
	const char *why;
	(void)state;

	why = check(A(APPROVE), notice("submitted", false, false), &editing_approver, 2);
	assert_non_null(why);
	assert_non_null(strstr(why, "created, edited or submitted version 2"));
	assert_non_null(check(A(APPROVE), notice("submitted", false, false), &consortium_submitter, 0));
	assert_null(check(A(APPROVE), notice("submitted", false, false), &third, 2));
	/* Rejecting is not approving; the urgent single-person exception holds. */
	assert_null(check(A(REJECT), notice("submitted", false, false), &editing_approver, 0));
	assert_null(check(A(APPROVE), notice("submitted", true, true), &editing_approver, 0));
}

static void test_four_eyes_by_name_without_key_ids(void **state)
{
	struct wf_notice n = { "submitted", 1, false, 0, "sindaco", false };
	const struct wf_actor keyless = { 0, "sindaco", "approver", true, false, false };
	(void)state;
	assert_non_null(check(A(APPROVE), n, &keyless, 0));
}

static void test_roles_and_scope(void **state)
{
	const struct wf_actor other_editor = { 9, "altro", "editor", true, false, false };
	const struct wf_actor outside = { 2, "sindaco", "approver", false, false, false };
	const struct wf_actor revoked = { 2, "sindaco", "approver", true, true, false };
	const struct wf_actor nobody = { 7, "x", "unknown", true, false, false };
	(void)state;
	assert_non_null(check(A(APPROVE), notice("submitted", false, false), &editor, 0));
	assert_non_null(check(A(REJECT), notice("submitted", false, false), &editor, 0));
	assert_non_null(check(A(EDIT), notice("draft", false, false), &other_editor, 0));
	assert_non_null(check(A(APPROVE), notice("submitted", false, false), &outside, 0));
	assert_non_null(check(A(APPROVE), notice("submitted", false, false), &revoked, 0));
	assert_non_null(check(A(APPROVE), notice("submitted", false, false), &nobody, 0));
	/* An editor may withdraw a draft, not a scheduled notice. */
	assert_non_null(check(A(CANCEL), notice("scheduled", false, false), &editor, 0));
}

static void test_stale_version_refused(void **state)
{
	(void)state;
	assert_string_equal(check(A(APPROVE), notice("submitted", false, false), &approver, 1),
	                    "the notice is at version 2, not 1");
	assert_non_null(check(A(EDIT), notice("draft", false, false), &editor, 3));
	assert_non_null(check(A(SUBMIT), notice("draft", false, false), &editor, 1));
	/* Cancelling does not depend on the version. */
	assert_null(check(A(CANCEL), notice("scheduled", false, false), &approver, 1));
}

/* Pause and resume: an approver's, from sending and paused only; cancel works on both. */
static void test_pause_resume(void **state)
{
	(void)state;
	assert_null(check(A(PAUSE), notice("sending", false, false), &approver, 0));
	assert_null(check(A(RESUME), notice("paused", false, false), &consortium, 0));
	assert_null(check(A(CANCEL), notice("paused", false, false), &approver, 0));
	assert_non_null(check(A(PAUSE), notice("paused", false, false), &approver, 0));
	assert_non_null(check(A(RESUME), notice("sending", false, false), &approver, 0));
	assert_non_null(check(A(PAUSE), notice("sent", false, false), &approver, 0));
	assert_non_null(strstr(check(A(PAUSE), notice("sending", false, false), &editor, 0),
	                       "ask an approver"));
	assert_string_equal(wf_status_after(WF_PAUSE), "paused");
	assert_string_equal(wf_status_after(WF_RESUME), "sending");
	assert_int_equal(wf_action_parse("resume"), WF_RESUME);
	assert_int_equal(wf_action_parse("publish"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed_transitions),
		cmocka_unit_test(test_wrong_state_is_named),
		cmocka_unit_test(test_four_eyes),
		cmocka_unit_test(test_four_eyes_every_contributor),
		cmocka_unit_test(test_four_eyes_by_name_without_key_ids),
		cmocka_unit_test(test_roles_and_scope),
		cmocka_unit_test(test_stale_version_refused),
		cmocka_unit_test(test_pause_resume),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
