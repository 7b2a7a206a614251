/*
 * The poll loop of banditore-feeds, on its main thread: every tick it
 * claims the feeds that are due (feeds.next_poll_at) and not held by
 * another live instance (feeds.claimed_by, instance.h: two replicas never
 * poll the same feed), fetches them all at once on one libcurl multi
 * handle with conditional requests (If-None-Match / If-Modified-Since
 * from the last answer's ETag / Last-Modified), and hands each answer to
 * drafting (draft.h) as soon as it arrives: a feed that hangs (until
 * BND_FEED_TIMEOUT_MS) or answers garbage holds up nobody else. An Atom
 * feed's entries are fetched in turn, conditionally too (their validators
 * kept in memory). While the instance is not fresh it claims nothing and
 * drafts nothing.
 */
#ifndef BND_FEEDS_POLL_H
#define BND_FEEDS_POLL_H

#include "feeds.h"

void poll_metrics(void);
/* Until shutdown. 0, or -1 if libcurl could not start. */
int poll_run(struct feeds *f);

#endif
