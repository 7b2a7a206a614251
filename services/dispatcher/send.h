/*
 * The send stage: each sender's queue is served as its limits allow
 * (sender token bucket, per-recipient bucket, requests in flight per
 * sender and in all, the provider endpoint's circuit breaker, halt), so
 * a sender that must wait never holds up another. Every answer is
 * classified by its provider (provider.h) and its job decided: sent,
 * failed, dead, or, when transient, DONE as a retry (re-produced to
 * delivery.jobs.retry with backoff and jitter by the flush). A rejected
 * token halts the sender; its jobs go back on its queue.
 */
#ifndef DSP_SEND_H
#define DSP_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "breaker.h"
#include "pairlim.h"
#include "provider.h"
#include "retry.h"
#include "sender.h"

struct creds;
struct db;
struct dsp_cfg;
struct instance;
struct pclient;

/* A provider's endpoint: its settings, circuit breaker and per-recipient buckets. */
struct send_ep {
	struct prov_params par;
	struct breaker     br;
	struct pairlim     pairs;
};

struct send_ctx {
	const struct dsp_cfg *cfg;
	struct pclient       *cl;
	struct creds         *creds;
	struct db            *db;
	struct senders        senders;
	struct retry_policy   rp;
	struct send_ep       *ep;         /* one per provider, in the table's order (prov_slot) */
	struct slot_list      done;       /* finished jobs, to be flushed */
	size_t                ndone;
	size_t                waiting;    /* jobs on sender queues */
	/* claims: nothing starts while the instance is not fresh; claims of an
	 * earlier epoch go back to be confirmed before they are used */
	const struct instance *inst;
	unsigned              epoch;      /* the instance epoch the queues were checked in */
	struct slot_list      recheck;    /* taken off the queues to be claimed again */
	size_t                nrecheck;
};

void send_init(struct send_ctx *sc, const struct dsp_cfg *cfg, struct pclient *cl,
               struct creds *creds, struct db *db, const struct instance *inst);
void send_fini(struct send_ctx *sc);
/* A sender's configured rate: its channel's (channel_rate, at most 1,000) if
 * set (> 0), else its provider's default. */
double send_rate(const struct send_ctx *sc, const struct provider *prov, double channel_rate);
/* Moves a finished (DONE) job to the flush list. */
void send_finished(struct send_ctx *sc, struct job_slot *slot);
/* Queues a checked job on its channel's sender. Returns the sender. */
struct sender *send_enqueue(struct send_ctx *sc, struct job_slot *slot, int64_t now_ms);
/* Starts every request that may start now; returns ms until one may (capped at 100).
 * While the instance is not fresh nothing starts; when its epoch moved,
 * every queued job goes to sc->recheck (the loop has them claimed again). */
long send_pump(struct send_ctx *sc, int64_t now_ms);
/* Drives the transfers, waiting up to timeout_ms; answers are applied. */
void send_poll(struct send_ctx *sc, int timeout_ms);
/* Requests in flight. */
int send_inflight(const struct send_ctx *sc);
/* Takes every queued job (and every job waiting to be claimed again) that
 * pick() chooses off its queue onto out, in queue order. */
void send_withdraw(struct send_ctx *sc, bool (*pick)(const struct job_slot *, void *), void *arg,
                   struct slot_list *out);
/* Shutdown: every queued job becomes ABANDONED (left for the next owner); returns them
 * on list (caller frees). */
void send_abandon(struct send_ctx *sc, struct slot_list *list);

#endif
