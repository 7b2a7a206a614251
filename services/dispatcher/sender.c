/* Per-sender queues, rates and halt state (sender.h). */
#include "sender.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "utf8.h"
#include "xmalloc.h"

/* A bucket holding ~20 ms of sends: smooth, yet no stall at high rates. */
static double sender_burst(double rate)
{
	return rate / 50 > 1 ? rate / 50 : 1;
}

void sender_init(struct senders *ss)
{
	ss->list = NULL;
	ss->n = 0;
	pthread_mutex_init(&ss->lock, NULL);
}

struct sender *sender_find(struct senders *ss, long long channel_id)
{
	for (struct sender *snd = ss->list; snd != NULL; snd = snd->link)
		if (snd->channel_id == channel_id)
			return snd;
	return NULL;
}

size_t sender_budget(const struct sender *snd, bool rate_limit, long horizon_ms, size_t cap)
{
	double b;

	if (snd->halted)
		return 1;
	if (!rate_limit)
		return cap;
	b = snd->ar.cur * (double)horizon_ms / 1000.0;
	if (b < SENDER_MIN_BUDGET)
		b = SENDER_MIN_BUDGET;
	return b > (double)cap ? cap : (size_t)b;
}

size_t sender_load(const struct sender *snd)
{
	return snd->queued + snd->checking;
}

struct job_slot *sender_last_normal(struct sender *snd)
{
	struct job_slot *last = TAILQ_LAST(&snd->queue, slot_list);

	return last != NULL && !last->urgent ? last : NULL;
}

struct sender *sender_get(struct senders *ss, long long channel_id, const char *account,
                          const struct provider *prov, double rate, int64_t now_ms)
{
	struct sender *snd;

	for (snd = ss->list; snd != NULL; snd = snd->link)
		if (snd->channel_id == channel_id)
			return snd;
	snd = xcalloc(1, sizeof(*snd));
	snd->channel_id = channel_id;
	snprintf(snd->account, sizeof(snd->account), "%s", account);
	snd->prov = prov;
	snd->rate = rate;
	snd->src_partition = -1;
	ar_init(&snd->ar, rate, now_ms);
	tb_init(&snd->tb, rate, sender_burst(rate), now_ms);
	TAILQ_INIT(&snd->queue);
	pthread_mutex_lock(&ss->lock);
	snd->link = ss->list;
	ss->list = snd;
	ss->n++;
	pthread_mutex_unlock(&ss->lock);
	return snd;
}

void sender_set_rate(struct sender *snd, double rate, int64_t now_ms)
{
	if (rate == snd->rate)
		return;
	snd->rate = rate;
	ar_init(&snd->ar, rate, now_ms);
	tb_set(&snd->tb, rate, sender_burst(rate), now_ms);
}

void sender_enqueue(struct sender *snd, struct job_slot *slot)
{
	struct job_slot *s;

	slot->snd = snd;
	slot->state = SLOT_WAITING;
	snd->queued++;
	snd->urgent_queued += slot->urgent;
	if (!slot->urgent) {
		TAILQ_INSERT_TAIL(&snd->queue, slot, link);
		return;
	}
	/* After the urgent ones already there, before every normal one. */
	TAILQ_FOREACH(s, &snd->queue, link)
		if (!s->urgent)
			break;
	if (s != NULL)
		TAILQ_INSERT_BEFORE(s, slot, link);
	else
		TAILQ_INSERT_TAIL(&snd->queue, slot, link);
}

void sender_requeue_head(struct sender *snd, struct job_slot *slot)
{
	slot->snd = snd;
	slot->state = SLOT_WAITING;
	snd->queued++;
	snd->urgent_queued += slot->urgent;
	TAILQ_INSERT_HEAD(&snd->queue, slot, link);
}

void sender_remove(struct sender *snd, struct job_slot *slot)
{
	TAILQ_REMOVE(&snd->queue, slot, link);
	snd->queued--;
	snd->urgent_queued -= slot->urgent;
}

void sender_throttled(struct sender *snd, int64_t now_ms)
{
	if (!ar_throttled(&snd->ar, now_ms))
		return;
	tb_set(&snd->tb, snd->ar.cur, sender_burst(snd->ar.cur), now_ms);
	log_warn("dispatch.throttled", "sender %s (channel %lld): provider throttling, rate now "
	         "%.1f/s (configured %.0f/s)", snd->account, snd->channel_id, snd->ar.cur, snd->rate);
}

void sender_tick(struct senders *ss, int64_t now_ms)
{
	for (struct sender *snd = ss->list; snd != NULL; snd = snd->link) {
		if (!ar_tick(&snd->ar, now_ms))
			continue;
		tb_set(&snd->tb, snd->ar.cur, sender_burst(snd->ar.cur), now_ms);
		log_info("dispatch.rate_up", "sender %s (channel %lld): rate now %.1f/s",
		         snd->account, snd->channel_id, snd->ar.cur);
	}
}

void sender_halt(struct sender *snd, const char *why, int64_t now_ms, long check_ms)
{
	if (!snd->halted) {
		log_error("dispatch.sender_halted", "ALARM sender %s (channel %lld) halted: %s; its "
		          "jobs wait on the retry topic (not sent, not lost), token re-checked "
		          "every %ld s", snd->account, snd->channel_id, why, check_ms / 1000);
		snd->halted_at = now_ms;
	}
	snd->halted = true;
	snd->probe_out = false;
	snd->check_at = now_ms + check_ms;
	(void)utf8_truncate(snd->halt_why, sizeof(snd->halt_why), why, true);
}

void sender_resume(struct sender *snd)
{
	if (snd->halted)
		log_info("dispatch.sender_resumed", "sender %s (channel %lld): token works again, "
		         "sending resumes", snd->account, snd->channel_id);
	snd->halted = false;
	snd->probe_out = false;
}

void sender_metrics(struct senders *ss, FILE *out)
{
	pthread_mutex_lock(&ss->lock);
	fputs("# HELP bnd_dispatcher_sender_halted 1 while the channel's sender is halted "
	      "(token or account rejected)\n# TYPE bnd_dispatcher_sender_halted gauge\n", out);
	for (struct sender *snd = ss->list; snd != NULL; snd = snd->link)
		fprintf(out, "bnd_dispatcher_sender_halted{channel=\"%lld\"} %d\n", snd->channel_id,
		        snd->halted ? 1 : 0);
	fputs("# HELP bnd_dispatcher_sender_rate current send rate limit (messages/s)\n"
	      "# TYPE bnd_dispatcher_sender_rate gauge\n", out);
	for (struct sender *snd = ss->list; snd != NULL; snd = snd->link)
		fprintf(out, "bnd_dispatcher_sender_rate{channel=\"%lld\"} %.1f\n", snd->channel_id,
		        snd->ar.cur);
	fputs("# HELP bnd_dispatcher_sender_jobs jobs of the channel's sender in this dispatcher's "
	      "memory (queued, being checked, in flight)\n"
	      "# TYPE bnd_dispatcher_sender_jobs gauge\n", out);
	for (struct sender *snd = ss->list; snd != NULL; snd = snd->link)
		fprintf(out, "bnd_dispatcher_sender_jobs{channel=\"%lld\"} %zu\n", snd->channel_id,
		        snd->queued + snd->checking + (size_t)snd->inflight);
	pthread_mutex_unlock(&ss->lock);
}

void sender_free(struct senders *ss)
{
	struct sender *snd, *next;

	pthread_mutex_lock(&ss->lock);
	for (snd = ss->list; snd != NULL; snd = next) {
		next = snd->link;
		free(snd);
	}
	ss->list = NULL;
	ss->n = 0;
	pthread_mutex_unlock(&ss->lock);
	pthread_mutex_destroy(&ss->lock);
}
