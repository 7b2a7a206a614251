/*
 * What drafting reads from PostgreSQL besides the alert: where a feed's
 * comuni are (comuni.cap_geocodes, comuni.centroid) and, for a Cancel
 * without an <info> or an expiry, the event and severity of the warning
 * being closed.
 */
#ifndef BND_FEEDS_PLACE_H
#define BND_FEEDS_PLACE_H

#include <stddef.h>

#include "cap.h"
#include "db.h"
#include "match.h"

struct places {
	struct place *p;
	size_t n;
};

/* The comuni of a text[] literal that exist. 0 or -1. */
int places_load(struct db *db, const char *comuni, struct places *out)
    __attribute__((warn_unused_result));
void places_free(struct places *ps);

/* An info holding only the event and severity recorded for alert id
 * (every other field ""). 0 or -1; free with place_info_free. */
int place_thread_info(struct db *db, const char *alert_id, struct cap_info *out)
    __attribute__((warn_unused_result));
void place_info_free(struct cap_info *in);

#endif
