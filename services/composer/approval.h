/*
 * Approval alerts: the approvers of a comune are told on their own
 * WhatsApp or Telegram (staff.alert_kind / alert_address) when a notice
 * waits for them. Run by the release thread each pass (at least once a
 * second): a submitted notice is alerted at once when urgent, else once
 * it has waited BND_COMPOSER_APPROVAL_ALERT_S. Alerted: every staff of
 * role approver of its comune and of role consortium whose scope covers
 * it, not disabled, with an alert address, who did not contribute to the
 * version (four eyes: its author is never alerted). One job each
 * (common/staff_alert.h), id "approval-alert:<notice>:v<version>:<staff>";
 * then notices.approval_alerted_version records the version, so each
 * version is alerted once across composers and restarts.
 */
#ifndef BND_COMPOSER_APPROVAL_H
#define BND_COMPOSER_APPROVAL_H

#include <stddef.h>

#include "composer.h"

struct db;

/* One pass over the notices waiting for approval. 0, or -1 on a failure
 * (what was not recorded is tried again next pass). */
int approval_pass(struct composer *cmp, struct db *db) __attribute__((warn_unused_result));

/* The alert's body, in Italian, into out: who wrote it and that it waits. */
void approval_body(char *out, size_t size, const char *author, int urgent, int has_link);
/* The link to the console's "Da approvare" page (caller frees): "" when
 * console_url is empty. */
char *approval_link(const char *console_url);

#endif
