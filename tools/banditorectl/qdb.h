/*
 * The replays of quarantined records in PostgreSQL (quarantine_replays,
 * db/migrations/0011): which records of the quarantine topic were put
 * back, when, how often and by which command. qtopic is the quarantine
 * topic's full name (rows are per topic: stacks with different prefixes
 * may share a database).
 */
#ifndef BND_CTL_QDB_H
#define BND_CTL_QDB_H

#include <stdbool.h>

#include "db.h"
#include "qrec.h"

/* Fills the replayed_* fields of the records of s (in id order) that have
 * a row. 0, or -1 (message printed). */
int qdb_mark(struct db *db, struct qrec_set *s, const char *qtopic)
    __attribute__((warn_unused_result));

/*
 * Records one replay of r by the command `by`, inside the caller's
 * transaction: the row stays locked until it ends, so two replays of the
 * same record at once take turns. again: a record replayed before is
 * counted once more (--id); else it is left alone (--all). 1 recorded,
 * 0 replayed before (not again), -1 failed (message printed).
 */
int qdb_record(struct db *db, const char *qtopic, const struct qrec *r, const char *by, bool again)
    __attribute__((warn_unused_result));

#endif
