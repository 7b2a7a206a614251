/*
 * Send loop: start due jobs up to the in-flight limit, drive curl, apply
 * each verdict. Retries stay in this process for now (the batch waits for
 * them); a delivery.retry topic would free the batch sooner.
 */
#include "send.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "clock.h"
#include "creds.h"
#include "crypto.h"
#include "log.h"
#include "phone.h"
#include "pclient.h"
#include "stats.h"
#include "tg_client.h"
#include "tg_errors.h"
#include "wa_client.h"
#include "wa_errors.h"
#include "xmalloc.h"

#define SEND_TICK_MS 100       /* longest wait in one poll */
#define SEND_START_RETRY_MS 100

/* 32 random bits for the jitter. */
static uint32_t send_rand(void)
{
	char hex[9];

	random_hex(hex, 4);
	return (uint32_t)strtoul(hex, NULL, 16);
}

/* Logs a halted sender. Halting it for real (pausing its partition) comes later. */
static void send_halt(struct job_slot *slot, const struct wa_verdict *v)
{
	const Banditore__V1__DeliveryJob *job = slot->job;

	log_error("dispatch.sender_halted",
	          "sender halted: channel %lld (%s) cannot send: %s; job %s failed",
	          (long long)job->channel_id, job->sender_account, v->detail, job->job_id);
	slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED, v->code, NULL, v->detail,
	            NULL);
}

/* A transient failure: retry later, or give up after max_attempts. */
static void send_transient(struct send_ctx *sc, struct job_slot *slot,
                           const struct wa_verdict *v)
{
	char detail[WA_DETAIL_MAX + 32];
	long delay;

	if (slot->attempts >= sc->max_attempts) {
		snprintf(detail, sizeof(detail), "transient_exhausted: %s", v->detail);
		log_warn("dispatch.dead", "job %s: gave up after %u attempts: %s", slot->job->job_id,
		         slot->attempts, v->detail);
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, v->code, NULL, detail,
		            "transient_exhausted");
		return;
	}
	delay = backoff_delay_ms(slot->attempts, BACKOFF_BASE_MS, BACKOFF_CAP_MS, send_rand());
	if (delay < v->min_delay_ms)
		delay = v->min_delay_ms;
	slot->state = SLOT_WAITING;
	slot->next_at_ms = clock_mono_ms() + delay;
	stats_retried();
	log_info("dispatch.retry", "job %s: attempt %u failed (%s), retry in %ld ms",
	         slot->job->job_id, slot->attempts, v->detail, delay);
}

/* Applies the verdict on one answer to its job. */
static void send_apply(struct send_ctx *sc, struct job_slot *slot, const struct wa_verdict *v)
{
	char red[PHONE_MAX + 4];

	switch (v->cls) {
	case WA_SENT:
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SENT, 0, v->wamid, v->detail,
		            NULL);
		log_debug("dispatch.sent", "job %s to %s: %s", slot->job->job_id,
		          phone_redact(slot->job->address, red), v->wamid);
		break;
	case WA_PERMANENT:
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED, v->code, NULL,
		            v->detail, NULL);
		/* Only a subscriber's consent can be revoked (not a channel's). */
		slot->revoke = v->revoke && slot->job->subscriber_id > 0;
		log_warn("dispatch.failed", "job %s to %s: %s%s", slot->job->job_id,
		         phone_redact(slot->job->address, red), v->detail,
		         slot->revoke ? " (consent to be revoked)" : "");
		break;
	case WA_HALT:
		if (v->auth && !slot->auth_retried && slot->attempts < sc->max_attempts) {
			/* Maybe the token was rotated: re-read it once, after this poll. */
			slot->needs_refresh = true;
			slot->state = SLOT_WAITING;
			slot->next_at_ms = INT64_MAX;
		} else {
			send_halt(slot, v);
		}
		break;
	case WA_TRANSIENT:
		send_transient(sc, slot, v);
		break;
	}
}

/* curl callback: one exchange finished. */
static void send_on_done(const struct pc_response *resp, void *arg)
{
	struct job_slot *slot = resp->owner;
	struct wa_verdict v;

	if (slot->job->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM)
		tg_classify(resp->transport, resp->transport_msg, resp->http_status, resp->body,
		            resp->len, slot->job->address, &v);
	else
		wa_classify(resp->transport, resp->transport_msg, resp->http_status, resp->body,
		            resp->len, &v);
	send_apply(arg, slot, &v);
}

/* After a 401: re-read the token; retry at once if it changed, else fail the job. */
static void send_refresh(struct send_ctx *sc, struct job_slot *slot)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	struct wa_verdict v = { .cls = WA_HALT, .code = 190, .auth = true };
	unsigned gen = 0;

	slot->needs_refresh = false;
	if (creds_refresh(sc->creds, sc->db, job->channel_id) != 0) {
		/* PostgreSQL is down: try the send again later, which refreshes again. */
		slot->next_at_ms = clock_mono_ms() + BACKOFF_CAP_MS / 10;
		return;
	}
	slot->auth_retried = true;
	if (creds_token(sc->creds, job->channel_id, &gen) != NULL && gen != slot->token_gen) {
		slot->next_at_ms = clock_mono_ms();
		return;
	}
	if (job->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM) {
		v.code = 401;
		snprintf(v.detail, sizeof(v.detail), "http 401: Unauthorized (bot token re-read, "
		         "unchanged)");
	} else {
		snprintf(v.detail, sizeof(v.detail), "http 401: 190 access token invalid "
		         "(re-read, unchanged)");
	}
	send_halt(slot, &v);
}

/* Posts slot's request: WhatsApp with a bearer token, Telegram with the token in the URL. */
static int send_post(struct send_ctx *sc, struct job_slot *slot, const char *tok)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	bool tg = job->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM;
	char *url = tg ? tg_url(sc->tg_api_base, tok) : wa_url(sc->wa_api_base,
	                                                        job->sender_account);
	int rc = pc_post(sc->cl, url, tg ? NULL : tok, slot->body, slot);

	explicit_bzero(url, strlen(url));
	free(url);
	return rc;
}

/* Starts slot's request if a token is at hand. */
static void send_start(struct send_ctx *sc, struct job_slot *slot, int64_t now)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	unsigned gen = 0;
	const char *tok = creds_token(sc->creds, job->channel_id, &gen);

	if (tok == NULL) {
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, 0, NULL,
		            "no_credentials: the channel's token cannot be resolved", "no_credentials");
		return;
	}
	if (send_post(sc, slot, tok) != 0) {
		log_warn("dispatch.start_failed", "job %s: cannot start the request", job->job_id);
		slot->next_at_ms = now + SEND_START_RETRY_MS;
		return;
	}
	slot->token_gen = gen;
	slot->attempts++;
	slot->state = SLOT_INFLIGHT;
}

void send_run(struct send_ctx *sc, struct job_slot *slots, size_t n)
{
	for (;;) {
		int64_t now = clock_mono_ms(), next = INT64_MAX;
		bool expired = drain_expired(sc->drain);
		size_t waiting = 0;
		long timeout;

		for (size_t i = 0; i < n; i++) {
			struct job_slot *slot = &slots[i];
			if (slot->state == SLOT_WAITING && slot->needs_refresh)
				send_refresh(sc, slot);
			if (slot->state != SLOT_WAITING)
				continue;
			if (expired) {
				slot->state = SLOT_ABANDONED;
				log_warn("dispatch.abandoned", "job %s: drain deadline passed, left for "
				         "the next owner of its partition", slot->job->job_id);
				continue;
			}
			if (slot->next_at_ms <= now && !pc_full(sc->cl))
				send_start(sc, slot, now);
			if (slot->state == SLOT_WAITING) {
				waiting++;
				if (slot->next_at_ms < next)
					next = slot->next_at_ms;
			}
		}
		stats_inflight(pc_inflight(sc->cl));
		if (waiting == 0 && pc_inflight(sc->cl) == 0)
			break;
		timeout = next == INT64_MAX ? SEND_TICK_MS : (long)(next - now);
		if (timeout > SEND_TICK_MS)
			timeout = SEND_TICK_MS;
		if (timeout < 0 || (timeout == 0 && pc_full(sc->cl)))
			timeout = pc_full(sc->cl) ? SEND_TICK_MS : 0;
		pc_poll(sc->cl, (int)timeout, send_on_done, sc);
	}
	stats_inflight(0);
}
