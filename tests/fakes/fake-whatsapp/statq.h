/*
 * The bookkeeping of delivery statuses waiting to be sent, kept apart from
 * the timer and the HTTP that drive it (statuses.c) so it can be tested:
 * no I/O, no clock, times are passed in (monotonic ms, never decreasing
 * from one call to the next).
 *
 * A status is pushed when its send is accepted, taken into a batch once it
 * is old enough (a batch: statuses of one phone-number id, at most
 * STATQ_BATCH_MAX), and then, when the batch's POST has ended, either
 * freed (the receiver took it) or kept to be taken again after a backoff
 * that doubles with each failure. The queue holds at most `max` statuses,
 * in flight or not: beyond that the oldest one not in flight is dropped.
 */
#ifndef FAKE_WA_STATQ_H
#define FAKE_WA_STATQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATQ_BATCH_MAX      500     /* statuses in one POST */
#define STATQ_ID_MAX         64      /* phone-number id, wamid (with NUL) */
#define STATQ_TO_MAX         16      /* recipient digits (with NUL) */
#define STATQ_BACKOFF_MIN_MS 500     /* after the first failed POST */
#define STATQ_BACKOFF_MAX_MS 30000

/* What a status says, as statq_push is given it (copied). */
struct statq_status {
	const char *pnid;
	const char *to;
	const char *wamid;
	const char *opaque;        /* biz_opaque_callback_data; NULL if the send had none */
	int64_t     ts_s;          /* Unix seconds: the status's timestamp */
};

/* One queued status. Owned by the queue; batches only point at it. */
struct statq_item {
	struct statq_item *prev, *next;
	int64_t            accepted_ms;  /* when pushed */
	int64_t            retry_ms;     /* not taken before this (0: never failed) */
	int64_t            ts_s;
	unsigned           attempts;     /* failed POSTs so far */
	bool               in_flight;    /* in a batch whose POST has not ended */
	char              *opaque;       /* owned, or NULL */
	char               pnid[STATQ_ID_MAX];
	char               wamid[STATQ_ID_MAX];
	char               to[STATQ_TO_MAX];
};

/* The statuses of one POST, all of one phone-number id (v[0]->pnid). */
struct statq_batch {
	size_t             n;
	struct statq_item *v[STATQ_BATCH_MAX];
};

/* The queue, oldest first. Embed it; statq_init before use. */
struct statq {
	struct statq_item *head, *tail;
	size_t             n;            /* queued + in flight */
	size_t             in_flight;
	size_t             max;
};

/* An empty queue that holds at most max statuses (at least 1). */
void statq_init(struct statq *q, size_t max);
/* Frees every status, in flight or not: no batch taken earlier may be used after. */
void statq_clear(struct statq *q);
/*
 * Queues a copy of st, pushed at now_ms. Returns how many statuses were
 * dropped to stay within max: 0 or 1 (the oldest not in flight, or st
 * itself if every status is in flight).
 */
size_t statq_push(struct statq *q, const struct statq_status *st, int64_t now_ms);
/*
 * Fills b with the next batch: the oldest status that is due (pushed at
 * least delay_ms before now_ms, not in flight, past its retry time) and
 * the due statuses of the same phone-number id after it, up to
 * STATQ_BATCH_MAX, oldest first; they are now in flight. Returns b->n
 * (0: nothing is due).
 */
size_t statq_take(struct statq *q, int64_t now_ms, long delay_ms, struct statq_batch *b);
/*
 * The POST of b has ended. ok: its statuses are freed. Else they stay
 * queued, not taken again before now_ms + statq_backoff_ms(attempts).
 * Either way b is emptied.
 */
void statq_done(struct statq *q, struct statq_batch *b, bool ok, int64_t now_ms);
/* The wait after the attempts-th failed POST: 500 ms doubling, at most 30 s. */
long statq_backoff_ms(unsigned attempts);
/* Statuses held: queued + in flight. */
size_t statq_pending(const struct statq *q);

#endif
