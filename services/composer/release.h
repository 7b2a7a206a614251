/*
 * The scheduler: a thread of its own, with its own PostgreSQL connection,
 * that releases approved notices and fans them out (fanout.h). Each pass
 * reads the notices that are approved, scheduled or sending; a scheduled
 * one is due when the clock (quiet.h, injectable) has passed its
 * schedule and, for a normal notice, is outside its comune's quiet hours
 * as they are configured now (so changing the quiet hours takes effect at
 * the next pass); otherwise its release_at is kept up to date. Due
 * notices are fanned out urgent first. The thread sleeps until the next
 * release or a tick (BND_SCHEDULER_TICK_MS, the bound on how late a
 * change of quiet hours is noticed), and is woken at once by
 * release_wake() when a notice is approved: approval -> first job does
 * not wait for any timer. State lives in PostgreSQL only, so after a
 * restart the first pass picks up where the last process stopped
 * (sending notices resume from their checkpoint).
 */
#ifndef BND_RELEASE_H
#define BND_RELEASE_H

#include <stdbool.h>

#include "composer.h"

/* Starts the thread; NULL on failure (logged). */
struct release *release_start(struct composer *cmp);
/* Asks for a pass now; urgent: a normal fan-out in progress yields. */
/* Registers the gauges of held and fanning-out notices (once, at start-up). */
void release_metrics(void);
void release_wake(struct release *rel, bool urgent);
/* Stops the thread after the page in hand, joins it, frees. NULL is allowed. */
void release_stop(struct release *rel);

#endif
