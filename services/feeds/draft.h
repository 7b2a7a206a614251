/*
 * From a fetched CAP document to draft notices, on the feeds service's
 * PostgreSQL connection, one alert per transaction:
 *
 *  1. validated (cap.h); an invalid document is logged and counted;
 *  2. recorded once in cap_alerts by (identifier, sender, sent): a
 *     document already recorded (polled again, by another replica, after
 *     a restart) does nothing more;
 *  3. only status Actual is drafted (Test, Exercise, ... are logged and
 *     counted); for each comune of the feed that an area concerns
 *     (match.h), at or above the feed's severity and of an event it wants:
 *     Alert: a draft urgent notice, submitted for approval;
 *     Update: the pending draft is withdrawn and a revised one submitted,
 *       or, if the warning went out already, a follow-up is; an Update
 *       that no longer concerns a comune withdraws its pending draft;
 *     Cancel: pending drafts are withdrawn, sent warnings get an
 *       "allerta cessata" draft;
 *  4. the notice events (create, submit, cancel: what an editor's API call
 *     produces, under the service's own author name) are produced to
 *     notice.events and acknowledged before the transaction commits.
 *     Notice and event ids derive from the alert's identity, so a replay
 *     after a failure between the two creates nothing twice.
 *
 * draft_expired() does step 3's Cancel for warnings whose <expires> has
 * passed.
 */
#ifndef BND_FEEDS_DRAFT_H
#define BND_FEEDS_DRAFT_H

#include <stddef.h>

#include "feeds.h"

enum draft_result {
	DRAFT_DONE,       /* handled (drafted, or nothing to draft): status says which */
	DRAFT_INVALID,    /* not a valid CAP alert: status says why */
	DRAFT_RETRY,      /* PostgreSQL or Kafka failed: poll it again */
};

void draft_metrics(void);
/* One document of feed fd; status gets a short outcome for the feeds row. */
enum draft_result draft_document(struct feeds *f, const struct feed *fd, const char *xml,
                                 size_t len, char *status, size_t statuslen);
/* Closes warnings past their expiry. 0, or -1 (retry later). */
int draft_expired(struct feeds *f);

#endif
