/*
 * WhatsApp's messaging limit (docs/providers.md, "Messaging limit"): per
 * business portfolio, the unique citizens reached outside an open
 * 24-hour window in the moving 24 hours may not exceed the portfolio's
 * tier. Template jobs (the ones sent outside a window) of channels whose
 * portfolio has a tier reserve their recipient in wa_reached before they
 * are sent; a recipient already reached in the window costs nothing;
 * what is over the tier is held: the job becomes a retry due when the
 * window frees a place (the k-th held job when the k-th oldest
 * reservation turns 24 hours old) and is recorded as 'held' until then.
 */
#ifndef DSP_REACH_H
#define DSP_REACH_H

#include <stddef.h>

#include "batch.h"

struct db;

/* Applies the limit to the PENDING jobs of a group. 0, or -1 if PostgreSQL failed
 * (nothing half-done: each portfolio is one transaction; retry the step). */
int reach_check(struct db *db, struct job_slot *const *slots, size_t n)
    __attribute__((warn_unused_result));

#endif
