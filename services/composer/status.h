/*
 * delivery.status -> the delivery ledger: the providers' status webhooks
 * (WhatsApp: sent, delivered, read, failed), as ingest publishes them,
 * move deliveries.status forward by provider message id
 * (delivery_status_apply, migration 0005: never backwards, duplicates
 * and reordering harmless, statuses that overtake the ledger row kept
 * until it arrives). A thread of its own with its own consumer group and
 * PostgreSQL connection; messages are applied in batches (one statement
 * per batch) and their offsets committed only after it succeeded. This
 * is what notice_stats' delivered and read count.
 */
#ifndef BND_STATUS_H
#define BND_STATUS_H

#include "composer.h"

/* Starts the consumer thread; NULL on failure (logged). */
struct status_loop *status_start(struct composer *cmp);
/* Stops after the batch in hand, commits, joins, frees. NULL is allowed. */
void status_stop(struct status_loop *st);

#endif
