/*
 * Fan-out of a released notice over its comune's channels in id order:
 * one job per targeted active subscriber and channel (WhatsApp template,
 * Telegram HTML text in bot mode), and one post per Telegram public
 * channel. Targeting: the notice's channel kinds (empty = all of the
 * comune's) and topics (a subscriber who chose no topic gets everything;
 * one who chose some gets the notice if they overlap its topics; a notice
 * without topics goes to everyone).
 *
 * The audience is streamed page by page with keyset pagination on
 * subscribers (channel_id, id) over the partial index of active ones,
 * rather than one server-side cursor: each page is a short index range
 * scan in its own statement, so no transaction stays open (no snapshot
 * pinning vacuum) for the seconds a million-subscriber fan-out takes, and
 * the page boundary is exactly the durable checkpoint
 * (fanout_channel_id, fanout_subscriber_id) a restarted composer resumes
 * from. Memory is bounded by the pages in flight: up to fanout_inflight
 * pages are produced ahead of the checkpoint, which advances over a page
 * only when Kafka has acknowledged it and every page before it. Jobs in
 * flight at a crash are not produced again: a resumed fan-out first reads
 * the tail of the channel's partition (resume.h) and moves its checkpoint
 * past what Kafka already holds, so none is skipped and none doubled.
 *
 * Between pages the fan-out checks that the notice is still being sent
 * (a cancellation stops it) and, for a normal notice, whether an urgent
 * one is waiting (it then yields: the urgent one goes first, this one
 * resumes from its checkpoint afterwards).
 *
 * Any number of composers may run: a notice is fanned out by one at a
 * time. The fan-out first claims the notice (fanout_owner = this
 * instance, fanout_epoch + 1; migration 0007), which succeeds only if no
 * live instance holds it; every page is read, and every checkpoint
 * written, only under that owner and epoch, and a page is produced only
 * while the instance is fresh (instance.h). A composer that lost its
 * claim (paused, cut off, killed) therefore can neither move the
 * checkpoint nor count recipients again, and another one takes the
 * notice over from the checkpoint once the dead one's lease has run out.
 * Jobs a composer produced just before losing its claim may be produced
 * again by the next one: they have the same job ids, and the
 * dispatcher's ledger sends each once.
 */
#ifndef BND_FANOUT_H
#define BND_FANOUT_H

#include <stdatomic.h>

#include "db.h"
#include "kafka.h"

struct instance;

struct fanout_ctx {
	const struct instance *inst; /* the holder of fan-out claims */
	struct kq_producer *kp;
	const char *brokers;         /* for the tail scan of a resumed fan-out */
	struct db *db;
	long page;                   /* subscribers per page */
	long inflight;               /* pages produced ahead of the checkpoint */
	atomic_bool *urgent_waiting; /* set when an urgent notice is approved */
	long delay_ms;               /* pause after each page (tests) */
	int beat;                    /* the calling loop's heartbeat (health.h), -1 none */
};

enum fanout_result {
	FANOUT_FAILED = -1,          /* PostgreSQL or Kafka failed: retry later */
	FANOUT_DONE = 0,             /* status sent (or nothing to do) */
	FANOUT_YIELDED = 1,          /* stopped for an urgent notice; resumable */
	FANOUT_CANCELLED = 2,        /* the notice was cancelled meanwhile */
	FANOUT_NOT_OURS = 3,         /* another live composer holds it, or we lost our claim */
};

/* Claims the notice and fans it out from its checkpoint if it is approved or sending. */
enum fanout_result fanout_run(struct fanout_ctx *fx, const char *notice_id)
    __attribute__((warn_unused_result));
/* Registers the fan-out's metrics (once, before threads start). */
void fanout_metrics(void);

#endif
