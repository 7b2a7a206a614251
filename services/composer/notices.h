/*
 * notice.events -> the notices table. Each event is applied once (its
 * id is recorded in notice_events in the same transaction as its effect,
 * so a replay is a no-op), after the workflow's checks (workflow.h): an
 * event the rules refuse changes nothing but is still recorded, with why,
 * so the history shows every attempt. Approving computes the release
 * time (schedule, quiet hours) and wakes the scheduler.
 */
#ifndef BND_NOTICES_H
#define BND_NOTICES_H

#include "composer.h"
#include "worker.h"

/* work_handler for notice.events; arg is the struct composer. */
enum work_result notices_handle(const rd_kafka_message_t *msg, void *arg,
                                struct work_fault *fault);

#endif
