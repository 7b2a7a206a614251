/*
 * Commit-prefix tracking. Jobs of one partition finish out of order (a
 * throttled sender's job waits while later ones go out), but Kafka keeps
 * one offset per partition: it may move only past jobs that are all
 * finished. Each partition keeps the offsets of its jobs still in memory
 * in arrival order; the committable offset is the one after the longest
 * finished prefix. A crash therefore re-reads unfinished jobs, never
 * loses one.
 */
#ifndef DSP_CTRACK_H
#define DSP_CTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kq_consumer;

/* One partition's jobs in memory. */
struct cpart {
	char    *topic;       /* full (prefixed) topic name */
	int32_t  partition;
	int64_t *off;         /* offsets in arrival order, from head */
	bool    *done;
	size_t   head, n, cap;
	int64_t  next;        /* offset to commit (one past the finished prefix), -1 none */
	int64_t  committed;   /* last `next` handed to Kafka */
	struct kq_consumer *kc;   /* the consumer that reads it */
	/* ownership (loop.c): assigned to this process, being revoked, and the
	 * assignment's number (slots taken under an earlier one are not committed) */
	bool     assigned;
	bool     revoking;
	unsigned gen;
	size_t   live;        /* slots of this assignment in memory */
	struct cpart *link;
};

struct ctrack {
	struct cpart *parts;
};

/* The partition's tracker, created on first use. */
struct cpart *ctrack_part(struct ctrack *ct, const char *topic, int32_t partition);
/* A job at offset is now in memory. */
void ctrack_add(struct cpart *cp, int64_t offset);
/* The job at offset is finished (its effects are durable). */
void ctrack_done(struct cpart *cp, int64_t offset);
/* Jobs of the partition still in memory. */
size_t ctrack_pending(const struct cpart *cp);
/* The offset to commit if it moved since the last call (then remembered), else -1. */
int64_t ctrack_take_commit(struct cpart *cp);
/* A new assignment of the partition (or the end of one): forgets its jobs and
 * pauses, raises gen. */
void ctrack_reset(struct cpart *cp);
void ctrack_free(struct ctrack *ct);

#endif
