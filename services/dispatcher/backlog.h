/*
 * The deferred lane (delivery_backlog, migration 0010): jobs a sender
 * cannot send soon, and jobs not due yet, wait in PostgreSQL instead of
 * in memory or in front of other senders' jobs in Kafka. Each sender's
 * are read back in order (urgent first, then as first taken from Kafka)
 * by the dispatcher that owns its partition, as its queue drains; a job
 * read back is claimed and checked like any other, and its row goes when
 * the job is done (its outcome recorded, or re-produced as a retry).
 * Every function returns 0, or -1 if PostgreSQL failed (the step is run
 * again; nothing half-done).
 */
#ifndef DSP_BACKLOG_H
#define DSP_BACKLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"

struct db;
struct provider;

/* A sender's rows as the census saw them. */
struct backlog_count {
	long long channel_id;
	char account[72];         /* its sender account */
	const struct provider *prov;   /* its channel's kind's, NULL if none sends it */
	int32_t src_partition;
	long due;                 /* due now */
	long total;
	int64_t next_due_ms;      /* wall ms the earliest not due yet is due, or 0 */
};

/* Writes the slots marked defer (not those read from the backlog: their row is there). */
int backlog_defer(struct db *db, struct job_slot *const *slots, size_t n)
    __attribute__((warn_unused_result));
/* Removes the rows of the backlog's slots that are done (not deferred again, not given back). */
int backlog_finish(struct db *db, struct job_slot *const *slots, size_t n)
    __attribute__((warn_unused_result));
/*
 * Reads up to k due jobs of the channel, in order, skipping those of
 * paused notices and the ids in memory (except: NULL-terminated, may be
 * NULL), as new slots (from_backlog, decoded) appended to out.
 */
int backlog_read(struct db *db, long long channel_id, long k, const char *const *except,
                 struct batch *out) __attribute__((warn_unused_result));
/* The channels with rows in the given partitions, and their counts (caller frees *out). */
int backlog_census(struct db *db, const int32_t *parts, size_t nparts,
                   struct backlog_count **out, size_t *n) __attribute__((warn_unused_result));

#endif
