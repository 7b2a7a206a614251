/* Handles citizen.messages and delivery.outcomes for consent. */
#ifndef BND_CITIZEN_H
#define BND_CITIZEN_H

#include "outbox.h"
#include "worker.h"

void citizen_metrics_register(void);
/* work_handler for citizen.messages; arg is the struct subscriptions. */
enum work_result citizen_handle(const rd_kafka_message_t *msg, void *arg,
                                struct work_fault *fault);
/* Records a provider revocation of ob's citizen. 0 or -1 (retry). */
int citizen_revoke(struct outbox *ob) __attribute__((warn_unused_result));
/* work_handler for delivery.outcomes (acts on revoke_consent only); arg as above. */
enum work_result outcome_handle(const rd_kafka_message_t *msg, void *arg,
                                struct work_fault *fault);

#endif
