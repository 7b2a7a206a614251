/*
 * The width of a notice's delivery timeline's intervals (GET
 * /api/v1/notices/{id}/timeline?step=): pure, unit tested
 * (tests/unit/ingest/test_timeline_step.c).
 */
#ifndef BND_TIMELINE_STEP_H
#define BND_TIMELINE_STEP_H

#include "api/editor_error.h"

#define TIMELINE_BUCKETS_MAX 120
#define TIMELINE_STEP_MIN 10L
#define TIMELINE_STEP_MAX (7L * 86400L)

/* step=N (seconds, TIMELINE_STEP_MIN..TIMELINE_STEP_MAX) into *step;
 * NULL or "" = 0 (chosen from the notice's duration). */
int timeline_step_parse(const char *s, long *step, struct editor_error *err)
    __attribute__((warn_unused_result));
/*
 * The step for span_s seconds of deliveries: the one asked if it makes
 * at most TIMELINE_BUCKETS_MAX intervals, else (or when asked is 0) the
 * smallest round width (10 s, 30 s, 1 min, ... 1 day; beyond, whole
 * days) that does.
 */
long timeline_step(long long span_s, long asked);

#endif
