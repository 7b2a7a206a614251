/*
 * Senders: one per channel (a WhatsApp phone-number id, a Telegram bot:
 * whatever its provider calls the account), each with its own queue of jobs waiting to be sent, its token
 * bucket (rate from the channel, adapted down on throttling and probed
 * back up: arate.h), its count of requests in flight, and its halt state
 * (token rejected: nothing is sent until a re-read token works). Jobs of
 * one sender never wait behind another sender's.
 */
#ifndef DSP_SENDER_H
#define DSP_SENDER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arate.h"
#include "batch.h"
#include "tbucket.h"

struct provider;

struct sender {
	long long        channel_id;
	char             account[72];
	const struct provider *prov;  /* its channel's provider (provider.h) */
	double           rate;        /* configured messages/s */
	struct tbucket   tb;
	struct arate     ar;
	struct slot_list queue;       /* WAITING jobs, urgent ones first */
	size_t           queued;
	size_t           urgent_queued;  /* of which urgent */
	size_t           checking;    /* jobs of it being checked (queued once back) */
	int              inflight;
	/* the deferred lane (backlog.h), served where its partition is owned */
	int32_t          src_partition;  /* its jobs' partition number, -1 unknown */
	bool             owned;          /* that partition of delivery.jobs is ours */
	long             backlog_due;    /* its rows due now, as last counted */
	long             backlog_total;  /* all its rows, as last counted */
	int64_t          backlog_next_ms;/* wall ms its earliest row not due yet is (0: none) */
	bool             refilling;      /* a read-back is out */
	/* halt: the provider rejected the token (or the account) */
	bool             halted;
	bool             probe_out;   /* halted: one job is out to test the token */
	int64_t          check_at;    /* halted: monotonic ms of the next token check */
	int64_t          halted_at;   /* halted: monotonic ms it happened */
	char             halt_why[128];
	struct sender   *link;
};

struct senders {
	struct sender  *list;
	size_t          n;
	pthread_mutex_t lock;   /* guards the list against the metrics thread (sender_metrics) */
};

#define SENDER_MIN_BUDGET 20

/* An empty list. */
void sender_init(struct senders *ss);
/* The sender of a channel, created with its provider and rate (messages/s) on first use. */
struct sender *sender_get(struct senders *ss, long long channel_id, const char *account,
                          const struct provider *prov, double rate, int64_t now_ms);
/* Sets a sender's configured rate (channel settings re-read). */
void sender_set_rate(struct sender *snd, double rate, int64_t now_ms);
/*
 * How many of its jobs the sender keeps in memory (queued and being
 * checked): what it can send in horizon_ms at its current rate, at least
 * SENDER_MIN_BUDGET, at most cap; cap without rate limits; one (its probe)
 * while halted. The rest waits in the backlog.
 */
size_t sender_budget(const struct sender *snd, bool rate_limit, long horizon_ms, size_t cap);
/* Jobs of it in memory before they go out: queued and being checked. */
size_t sender_load(const struct sender *snd);
/* The last normal job of the queue (to make room for an urgent one), or NULL. */
struct job_slot *sender_last_normal(struct sender *snd);
/* Queues a WAITING job (urgent ones go before normal ones). */
void sender_enqueue(struct sender *snd, struct job_slot *slot);
/* Puts a job back at the head of its queue (e.g. its token was rejected). */
void sender_requeue_head(struct sender *snd, struct job_slot *slot);
void sender_remove(struct sender *snd, struct job_slot *slot);
/* A throttling answer: the rate halves (once per hold-off). */
void sender_throttled(struct sender *snd, int64_t now_ms);
/* Periodic: rates probe back up after quiet periods. */
void sender_tick(struct senders *ss, int64_t now_ms);
/* Halts a sender until its token works again (checked every check_ms). */
void sender_halt(struct sender *snd, const char *why, int64_t now_ms, long check_ms);
void sender_resume(struct sender *snd);
/* The sender of a channel, or NULL. */
struct sender *sender_find(struct senders *ss, long long channel_id);
/* Prometheus lines: bnd_dispatcher_sender_halted{channel="..."} 0|1, current rates. */
void sender_metrics(struct senders *ss, FILE *out);
/* Frees the senders and the list's lock (sender_init to use it again). */
void sender_free(struct senders *ss);

#endif
