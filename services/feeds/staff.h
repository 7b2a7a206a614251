/*
 * Alerting a comune's staff (staff_contacts, `banditorectl staff add`)
 * when a draft from a CAP alert waits for approval: one delivery job per
 * contact on delivery.jobs.urgent, from the comune's own channel of the
 * contact's kind (the first not disabled). WhatsApp: the channel's notice
 * template, title "Da approvare: ..." (staff are outside the 24-hour
 * window, like citizens); Telegram: a text message. The link is
 * BND_FEEDS_REVIEW_URL with the notice id, else the alert's. Job ids
 * "staff-alert:<notice>:<contact>": the dispatcher's ledger sends each
 * once. A contact without a channel of its kind is skipped (logged).
 */
#ifndef BND_FEEDS_STAFF_H
#define BND_FEEDS_STAFF_H

#include "feeds.h"

struct staff_draft {
	const char *notice_id, *comune_id, *title, *body, *link;
};

/* Produces the jobs into b. The number of contacts alerted, or -1. */
int staff_alert(struct feeds *f, struct kq_batch *b, const struct staff_draft *d)
    __attribute__((warn_unused_result));

#endif
