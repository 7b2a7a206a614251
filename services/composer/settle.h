/*
 * Settling: a notice whose fan-out is over (every job in Kafka,
 * fanout_done_at) stays 'sending' until each of its recipients' jobs is
 * settled in the delivery ledger -- sent to the provider (or further),
 * failed, dead, skipped or stopped -- and becomes 'sent' only then (held
 * jobs keep it sending until they go). Checked by the scheduler thread at
 * each pass; a notice with many recipients less often (its count reads
 * its ledger rows): every second up to 50,000 recipients, then a second
 * more per 50,000, at most every 30 s.
 */
#ifndef BND_SETTLE_H
#define BND_SETTLE_H

struct db;
struct settle;

struct settle *settle_new(void);
void settle_free(struct settle *st);
/* Marks 'sent' the notices whose jobs are all settled. 0, or -1 (PostgreSQL). */
int settle_pass(struct settle *st, struct db *db) __attribute__((warn_unused_result));

#endif
