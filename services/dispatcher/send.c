/*
 * Scheduling of sends across senders, and what an answer does to its
 * job, its sender and its endpoint.
 */
#include "send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chstats.h"
#include "clock.h"
#include "creds.h"
#include "crypto.h"
#include "dispatcher.h"
#include "instance.h"
#include "latency.h"
#include "log.h"
#include "pclient.h"
#include "phone.h"
#include "stats.h"
#include "utf8.h"
#include "xmalloc.h"

#define SEND_MAX_WAIT_MS   100   /* longest sleep between pumps */
#define SEND_SCAN_MAX      64    /* not-yet-due jobs skipped per sender and pump */
#define SEND_RATE_MAX      1000  /* messages/s a channel may set at most */

void send_init(struct send_ctx *sc, const struct dsp_cfg *cfg, struct pclient *cl,
               struct creds *creds, struct db *db, const struct instance *inst)
{
	memset(sc, 0, sizeof(*sc));
	sc->cfg = cfg;
	sc->inst = inst;
	sc->epoch = instance_epoch(inst);
	TAILQ_INIT(&sc->recheck);
	sender_init(&sc->senders);
	sc->cl = cl;
	sc->creds = creds;
	sc->db = db;
	sc->rp = retry_policy(cfg);
	sc->ep = xcalloc(prov_count(), sizeof(*sc->ep));
	for (size_t i = 0; i < prov_count(); i++) {
		const struct provider *prov = prov_nth(i);
		struct send_ep *ep = &sc->ep[i];
		prov->params(cfg, &ep->par);
		br_init(&ep->br, prov->name, ep->par.breaker_failures, ep->par.breaker_cooldown_ms);
		ep->br.pub = stats_breaker(prov->name);
		pl_init(&ep->pairs, ep->par.pair_interval_ms, ep->par.pair_burst);
	}
	TAILQ_INIT(&sc->done);
}

void send_fini(struct send_ctx *sc)
{
	for (size_t i = 0; sc->ep != NULL && i < prov_count(); i++)
		pl_free(&sc->ep[i].pairs);
	free(sc->ep);
	sc->ep = NULL;
	sender_free(&sc->senders);
}

/* The endpoint of a provider. */
static struct send_ep *send_ep(struct send_ctx *sc, const struct provider *prov)
{
	return &sc->ep[prov_slot(prov)];
}

void send_finished(struct send_ctx *sc, struct job_slot *slot)
{
	TAILQ_INSERT_TAIL(&sc->done, slot, link);
	sc->ndone++;
}

int send_inflight(const struct send_ctx *sc)
{
	return pc_inflight(sc->cl);
}

/* 32 random bits for the jitter. */
static uint32_t send_rand(void)
{
	char hex[9];

	random_hex(hex, 4);
	return (uint32_t)strtoul(hex, NULL, 16);
}

double send_rate(const struct send_ctx *sc, const struct provider *prov, double channel_rate)
{
	double r = channel_rate > 0 ? channel_rate : sc->ep[prov_slot(prov)].par.rate;

	return r > SEND_RATE_MAX ? SEND_RATE_MAX : r;
}

/*
 * A halted sender keeps one job in memory (its next probe); the others
 * wait in the backlog (backlog.h), which is not read back for a halted
 * sender. Held here, they would fill memory until a person fixes the
 * token; they come back once the probe went through.
 */
static void send_park_halted(struct send_ctx *sc, struct sender *snd)
{
	struct job_slot *keep = TAILQ_FIRST(&snd->queue), *slot;
	int64_t wall = clock_wall_ms();
	size_t n = 0;

	if (keep == NULL)
		return;
	while ((slot = TAILQ_NEXT(keep, link)) != NULL) {
		sender_remove(snd, slot);
		sc->waiting--;
		slot_defer(slot, wall);
		send_finished(sc, slot);
		n++;
	}
	if (n > 0)
		log_info("dispatch.sender_parked", "sender %s (channel %lld) halted: %zu job(s) wait "
		         "in the backlog until its token works", snd->account, snd->channel_id, n);
}

struct sender *send_enqueue(struct send_ctx *sc, struct job_slot *slot, int64_t now_ms)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	double rate = send_rate(sc, slot->prov, creds_rate(sc->creds, job->channel_id));
	struct sender *snd = sender_get(&sc->senders, job->channel_id, job->sender_account,
	                                slot->prov, rate, now_ms);

	sender_set_rate(snd, rate, now_ms);
	sender_enqueue(snd, slot);
	sc->waiting++;
	if (snd->halted)
		send_park_halted(sc, snd);
	return snd;
}

/* The job's fields for a log line: job_id, notice_id, comune, channel. */
static void send_fields(struct log_fields *f, const Banditore__V1__DeliveryJob *job)
{
	lf_str(f, "job_id", job->job_id);
	if (job->notice_id != NULL && job->notice_id[0] != '\0')
		lf_str(f, "notice_id", job->notice_id);
	if (job->meta != NULL)
		lf_str(f, "comune", job->meta->comune_id);
	lf_int(f, "channel", job->channel_id);
}

/* A job given up on: dead, the reason at the head of its detail. */
static void send_dead(struct job_slot *slot, const struct verdict *v, const char *reason,
                      int64_t wall)
{
	char detail[VERDICT_DETAIL_MAX + 32];
	struct log_fields f = LOG_FIELDS_INIT;

	utf8_format(detail, sizeof(detail), "%s: %s", reason, v->detail);
	send_fields(&f, slot->job);
	log_warn_f("dispatch.dead", &f, "job %s: gave up after %u attempts in %lld s: %s",
	         slot->job->job_id, slot->attempts, (long long)(wall - slot->first_ms) / 1000,
	         v->detail);
	slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, v->code, NULL, detail,
	            reason);
}

/* true if the answer says the provider endpoint itself is failing. */
static bool send_endpoint_failed(const struct pc_response *resp)
{
	return resp->transport != 0 || resp->http_status >= 500;
}

/* A rejected token (or account): the job goes back (the attempt not counted), the
 * sender halts unless the token changed meanwhile. */
static void send_auth_failed(struct send_ctx *sc, struct job_slot *slot,
                             const struct verdict *v, int64_t now)
{
	struct sender *snd = slot->snd;
	unsigned gen = 0;

	slot->attempts--;   /* not the job's fault: it is not counted */
	if (!snd->halted && v->auth && creds_refresh(sc->creds, sc->db, slot->job->channel_id) == 0 &&
	    creds_token(sc->creds, slot->job->channel_id, &gen) != NULL && gen != slot->token_gen) {
		sender_requeue_head(snd, slot);   /* rotated meanwhile: try the new one */
		sc->waiting++;
		return;
	}
	sender_halt(snd, v->detail, now, sc->cfg->halt_check_ms);
	stats_halted(&sc->senders);
	sender_requeue_head(snd, slot);
	sc->waiting++;
	send_park_halted(sc, snd);
}

/* What a transient answer asks of its sender and recipient: slow down, or wait. */
static void send_throttled(struct send_ctx *sc, struct job_slot *slot, const struct verdict *v,
                           int64_t now)
{
	struct sender *snd = slot->snd;

	if (v->throttled)
		chs_count(snd->channel_id, slot->job->kind, CHS_THROTTLED);
	if (v->throttled && sc->cfg->rate_limit)
		sender_throttled(snd, now);
	if (v->wait == WAIT_SENDER && v->min_delay_ms > 0)   /* exactly that long */
		tb_hold(&snd->tb, now, v->min_delay_ms);
	else if (v->wait == WAIT_RECIPIENT)                  /* only that recipient */
		pl_penalize(&send_ep(sc, snd->prov)->pairs, snd->account, slot->job->address, now,
		            v->min_delay_ms);
}

/* An answer that is not final: what the retry policy decides. false if the
 * job went back on its sender's queue (not finished). */
static bool send_again(struct send_ctx *sc, struct job_slot *slot, const struct verdict *v,
                       int64_t now)
{
	struct log_fields f = LOG_FIELDS_INIT;
	int64_t wall = clock_wall_ms();
	struct retry_decision d = retry_decide(&sc->rp, v, slot->attempts, slot->first_ms, wall,
	                                       send_rand);

	switch (d.act) {
	case RETRY_HOLD:
		send_auth_failed(sc, slot, v, now);
		return false;
	case RETRY_DEAD:
		send_dead(slot, v, d.reason, wall);
		return true;
	default:   /* RETRY_AT: the only other decision on a transient answer */
		slot_retry(slot, &d);
		stats_retried();
		chs_count(slot->job->channel_id, slot->job->kind, CHS_RETRIED);
		send_fields(&f, slot->job);
		log_info_f("dispatch.retry", &f, "job %s: attempt %u failed (%s), retry in %lld ms",
		         slot->job->job_id, slot->attempts, v->detail, (long long)(d.at_ms - wall));
		return true;
	}
}

/* Applies the verdict on one answer to its job and sender. */
static void send_apply(struct send_ctx *sc, struct job_slot *slot, const struct verdict *v)
{
	struct sender *snd = slot->snd;
	int64_t now = clock_mono_ms();
	char red[PHONE_MAX + 4];
	struct log_fields f = LOG_FIELDS_INIT;

	if (v->cls != VERDICT_HALT && snd->halted) {
		sender_resume(snd);   /* the probe went through: the token works */
		stats_halted(&sc->senders);
	}
	switch (v->cls) {
	case VERDICT_SENT:
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SENT, 0, v->msg_id, v->detail,
		            NULL);
		send_fields(&f, slot->job);
		log_debug_f("dispatch.sent", &f, "job %s to %s: %s", slot->job->job_id,
		          phone_redact(slot->job->address, red), v->msg_id);
		break;
	case VERDICT_PERMANENT:
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED, v->code, NULL,
		            v->detail, NULL);
		slot->revoke = v->revoke && slot->job->subscriber_id > 0;
		send_fields(&f, slot->job);
		log_warn_f("dispatch.failed", &f, "job %s to %s: %s%s", slot->job->job_id,
		         phone_redact(slot->job->address, red), v->detail,
		         slot->revoke ? " (consent to be revoked)" : "");
		break;
	case VERDICT_TRANSIENT:
		send_throttled(sc, slot, v, now);
		/* fall through */
	case VERDICT_HALT:
		if (!send_again(sc, slot, v, now))
			return;   /* back on its sender's queue */
		break;
	}
	send_finished(sc, slot);
}

/* curl callback: one exchange finished. */
static void send_on_done(const struct pc_response *resp, void *arg)
{
	struct send_ctx *sc = arg;
	struct job_slot *slot = resp->owner;
	struct sender *snd = slot->snd;
	struct breaker *br = &send_ep(sc, snd->prov)->br;
	struct verdict v;
	int64_t now = clock_mono_ms();

	snd->inflight--;
	lat_provider(slot->job->kind, resp->seconds);
	prov_classify(slot->prov, resp->transport, resp->transport_msg, resp->http_status,
	              resp->body, resp->len, slot->job->address, &v);
	if (send_endpoint_failed(resp))
		br_failure(br, now);
	else
		br_success(br, now);
	send_apply(sc, slot, &v);
}

/* Posts slot's request, with the token in the URL or as a bearer token as its provider wants. */
static int send_post(struct send_ctx *sc, struct job_slot *slot, const char *tok)
{
	const struct provider *prov = slot->prov;
	char *url = prov->url(send_ep(sc, prov)->par.api_base, slot->job->sender_account, tok);
	int rc = pc_post(sc->cl, url, prov->token_in_url ? NULL : tok, slot->body, slot);

	explicit_bzero(url, strlen(url));
	free(url);
	return rc;
}

/* Starts slot's request (already off its queue). false if it could not start. */
static bool send_start(struct send_ctx *sc, struct sender *snd, struct job_slot *slot)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	unsigned gen = 0;
	const char *tok = creds_token(sc->creds, job->channel_id, &gen);

	if (tok == NULL) {
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, 0, NULL,
		            "no_credentials: the channel's token cannot be resolved", "no_credentials");
		send_finished(sc, slot);
		return true;
	}
	if (send_post(sc, slot, tok) != 0) {
		log_warn("dispatch.start_failed", "job %s: cannot start the request", job->job_id);
		return false;
	}
	if (slot->first_ms == 0)
		slot->first_ms = clock_wall_ms();
	slot->token_gen = gen;
	slot->attempts++;
	slot->state = SLOT_INFLIGHT;
	snd->inflight++;
	return true;
}

/* A halted sender: every check_ms re-read its token and let one job out as the probe. */
static bool send_halted_gate(struct send_ctx *sc, struct sender *snd, int64_t now, int64_t *wake)
{
	if (snd->probe_out)
		return false;
	if (now < snd->check_at) {
		if (snd->check_at < *wake)
			*wake = snd->check_at;
		return false;
	}
	if (creds_refresh(sc->creds, sc->db, snd->channel_id) != 0) {
		snd->check_at = now + 1000;
		return false;
	}
	log_info("dispatch.sender_probe", "sender %s (channel %lld): token re-read, one job "
	         "sent to test it", snd->account, snd->channel_id);
	snd->check_at = now + sc->cfg->halt_check_ms;
	return true;
}

/* ms a per-recipient bucket wants the job to wait (0: it may go, a token is taken). */
static int64_t send_pair_wait(struct send_ctx *sc, struct sender *snd,
                              const struct job_slot *slot, int64_t now)
{
	if (!sc->cfg->rate_limit)
		return 0;
	return pl_take(&send_ep(sc, snd->prov)->pairs, snd->account, slot->job->address, now);
}

/* A queued job whose claim must be confirmed first: off its queue, to sc->recheck. */
static void send_recheck(struct send_ctx *sc, struct sender *snd, struct job_slot *slot)
{
	sender_remove(snd, slot);
	sc->waiting--;
	slot->state = SLOT_PENDING;
	TAILQ_INSERT_TAIL(&sc->recheck, slot, link);
	sc->nrecheck++;
}

/* The instance's epoch moved (a heartbeat gap): every queued claim is confirmed again. */
static void send_epoch_moved(struct send_ctx *sc, unsigned epoch)
{
	size_t n = sc->waiting;

	for (struct sender *snd = sc->senders.list; snd != NULL; snd = snd->link) {
		struct job_slot *slot;
		while ((slot = TAILQ_FIRST(&snd->queue)) != NULL)
			send_recheck(sc, snd, slot);
	}
	sc->epoch = epoch;
	log_warn("dispatch.claims_recheck", "heartbeat gap: %zu queued job(s) claimed again "
	         "before they are sent", n);
}

/* Serves one sender: starts its due jobs while its limits allow. */
static void send_pump_one(struct send_ctx *sc, struct sender *snd, int64_t now, int64_t *wake)
{
	struct breaker *br = &send_ep(sc, snd->prov)->br;
	struct job_slot *slot, *next;
	bool probe = false;
	int skipped = 0;

	if (snd->halted && !(probe = send_halted_gate(sc, snd, now, wake)))
		return;
	for (slot = TAILQ_FIRST(&snd->queue); slot != NULL; slot = next) {
		int64_t w;
		next = TAILQ_NEXT(slot, link);
		if (snd->inflight >= sc->cfg->sender_inflight || pc_full(sc->cl))
			return;
		if (slot->next_at_ms > now) {
			if (slot->next_at_ms < *wake)
				*wake = slot->next_at_ms;
			if (++skipped >= SEND_SCAN_MAX)
				return;
			continue;
		}
		w = sc->cfg->rate_limit ? tb_wait(&snd->tb, now) : 0;
		if (w == 0)
			w = br_wait(br, now);
		if (w > 0) {
			if (now + w < *wake)
				*wake = now + w;
			return;
		}
		if (slot->claim_epoch != sc->epoch) {
			send_recheck(sc, snd, slot);   /* claimed before a heartbeat gap */
			continue;
		}
		w = send_pair_wait(sc, snd, slot, now);
		if (w > 0) {
			slot->next_at_ms = now + w;   /* this recipient waits, the others go on */
			continue;
		}
		if (!br_allow(br, now))
			return;
		if (sc->cfg->rate_limit)
			(void)tb_take(&snd->tb, now);
		sender_remove(snd, slot);
		sc->waiting--;
		if (!send_start(sc, snd, slot)) {
			sender_requeue_head(snd, slot);
			sc->waiting++;
			slot->next_at_ms = now + 100;
			return;
		}
		if (probe) {
			snd->probe_out = true;
			return;
		}
	}
}

long send_pump(struct send_ctx *sc, int64_t now_ms)
{
	int64_t wake = now_ms + SEND_MAX_WAIT_MS;
	unsigned epoch;

	/* Our claims may be someone else's once our heartbeat is late. */
	if (!instance_fresh(sc->inst))
		return SEND_MAX_WAIT_MS;
	if ((epoch = instance_epoch(sc->inst)) != sc->epoch)
		send_epoch_moved(sc, epoch);

	for (struct sender *snd = sc->senders.list; snd != NULL; snd = snd->link)
		if (snd->queued > 0)
			send_pump_one(sc, snd, now_ms, &wake);
	stats_inflight(pc_inflight(sc->cl));
	return wake > now_ms ? (long)(wake - now_ms) : 0;
}

void send_poll(struct send_ctx *sc, int timeout_ms)
{
	pc_poll(sc->cl, timeout_ms, send_on_done, sc);
}

void send_withdraw(struct send_ctx *sc, bool (*pick)(const struct job_slot *, void *), void *arg,
                   struct slot_list *out)
{
	struct job_slot *slot, *next;

	for (struct sender *snd = sc->senders.list; snd != NULL; snd = snd->link)
		for (slot = TAILQ_FIRST(&snd->queue); slot != NULL; slot = next) {
			next = TAILQ_NEXT(slot, link);
			if (!pick(slot, arg))
				continue;
			sender_remove(snd, slot);
			sc->waiting--;
			TAILQ_INSERT_TAIL(out, slot, link);
		}
	for (slot = TAILQ_FIRST(&sc->recheck); slot != NULL; slot = next) {
		next = TAILQ_NEXT(slot, link);
		if (!pick(slot, arg))
			continue;
		TAILQ_REMOVE(&sc->recheck, slot, link);
		sc->nrecheck--;
		TAILQ_INSERT_TAIL(out, slot, link);
	}
}

void send_abandon(struct send_ctx *sc, struct slot_list *list)
{
	struct job_slot *slot;

	for (struct sender *snd = sc->senders.list; snd != NULL; snd = snd->link) {
		while ((slot = TAILQ_FIRST(&snd->queue)) != NULL) {
			sender_remove(snd, slot);
			sc->waiting--;
			slot->state = SLOT_ABANDONED;
			TAILQ_INSERT_TAIL(list, slot, link);
		}
	}
	while ((slot = TAILQ_FIRST(&sc->recheck)) != NULL) {
		TAILQ_REMOVE(&sc->recheck, slot, link);
		sc->nrecheck--;
		slot->state = SLOT_ABANDONED;
		TAILQ_INSERT_TAIL(list, slot, link);
	}
}
