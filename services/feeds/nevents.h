/*
 * The notice events the feeds service produces, exactly as ingest does for
 * an editor's API calls (services/ingest/api/editor_api.c): a create and
 * a submit for a draft, a cancel to withdraw one, keyed by notice id on
 * notice.events. The actor is the service's author name with role editor
 * and no API key (the composer then takes the event's own comune as its
 * scope), so the four-eyes rule leaves the approval to any one approver of
 * the comune. Ids derive from a name (nevents_uuid), so producing the same
 * thing twice is harmless: the composer ignores a known notice id and a
 * known event id.
 */
#ifndef BND_FEEDS_NEVENTS_H
#define BND_FEEDS_NEVENTS_H

#include <stdbool.h>
#include "crypto.h"
#include "feeds.h"

#define NEVENTS_TOPIC_SLUG "protezione-civile"

/* A UUID derived from name (SHA-256; version 5's layout). */
void nevents_uuid(const char *name, char out[UUID_STR_LEN + 1]);

struct nevents_draft {
	const char *notice_id;
	const char *comune_id;
	const char *title, *body, *link;
	bool        submit;   /* the comune lets one approver send it alone */
};

/* Create (urgent, topic protezione-civile, category civil_protection) and,
 * if d->submit, submit: a comune that does not allow single-person approval
 * of urgent notices keeps the draft for an editor to review and submit, so
 * that two people see it before it goes out. 0, or -1 if a produce failed
 * at once. */
int nevents_draft(struct feeds *f, struct kq_batch *b, const struct nevents_draft *d)
    __attribute__((warn_unused_result));
/* Cancel the notice with a reason. 0 or -1. */
int nevents_cancel(struct feeds *f, struct kq_batch *b, const char *notice_id,
                   const char *comune_id, const char *reason)
    __attribute__((warn_unused_result));

#endif
