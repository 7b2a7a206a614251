/*
 * Checks and queues (loop_impl.h): jobs go to the ledger worker to be
 * claimed and checked; checked ones go to their sender's queue (urgent
 * ones first, a normal one deferred to make room) or to the flush list.
 * The backlog's jobs of the senders whose partitions are ours are read
 * back, in order, as their queues drain, and counted every few seconds.
 */
#include "loop_impl.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "creds.h"
#include "log.h"
#include "stopwatch.h"
#include "worker.h"
#include "xmalloc.h"

size_t loop_budget(const struct loop *lp, const struct sender *snd)
{
	return sender_budget(snd, lp->cfg->rate_limit != 0, lp->cfg->sender_horizon_ms,
	                     (size_t)lp->cfg->sender_queue);
}

bool loop_stopped(struct loop *lp, struct job_slot *slot, int64_t wall)
{
	switch (sw_state(lp->sw, slot_notice_uuid(slot))) {
	case SW_CANCELLED:
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_CANCELLED, 0, NULL,
		            "notice_cancelled", NULL);
		send_finished(&lp->sc, slot);
		return true;
	case SW_PAUSED:
		slot_defer(slot, wall);   /* read back once resumed */
		send_finished(&lp->sc, slot);
		return true;
	default:
		return false;
	}
}

void loop_submit_check(struct loop *lp, struct batch *b)
{
	struct pgw_req *req = xcalloc(1, sizeof(*req));

	req->kind = PGW_CHECK;
	req->slots = *b;
	memset(b, 0, sizeof(*b));
	pgw_submit(lp->pgw_check, req);
	lp->checking++;
	lp->checking_jobs += req->slots.n;
}

/* Loads channel tokens and rates if a job needs a channel we don't know
 * (retried until PostgreSQL answers: the job cannot go out without).
 * Settings merely old are re-read by the upkeep, without waiting. */
static int loop_creds(struct loop *lp, const struct batch *b)
{
	bool need = false;

	for (size_t i = 0; i < b->n && !need; i++) {
		const struct job_slot *slot = b->v[i];
		need = slot->state == SLOT_PENDING && !slot->dup && slot->job != NULL &&
		       !creds_known(lp->creds, slot->job->channel_id);
	}
	for (unsigned n = 0; need && creds_load(lp->creds, lp->svc->db) != 0; n++) {
		if (drain_expired(&lp->drain))
			return -1;
		log_warn("dispatch.step_retry", "credentials failed (PostgreSQL), retry %u", n + 1);
		drain_pause(&lp->drain, worker_backoff_ms(n));
	}
	return 0;
}

/* A job someone else holds: looked at again in a second (a read-back is left to them). */
static void loop_busy(struct loop *lp, struct job_slot *slot, int64_t now)
{
	loop_unclaim(lp, slot);
	slot->claim = CLAIM_NONE;
	log_debug("dispatch.claim_busy", "job %s is held by a live dispatcher%s",
	          slot->job->job_id, slot->from_backlog ? ": left to it" : ": looked at again");
	if (slot->from_backlog) {
		loop_dispose(lp, slot, false);
		return;
	}
	loop_later_push(lp, slot, now + LOOP_BUSY_RECHECK_MS);
}

/*
 * What the claim says: true if the slot holds it now (and may be sent).
 * A claim of ours under another number is another slot's if one of ours
 * holds it in memory (busy: a copy of the job), else it was left by a
 * slot gone (a revoked partition's, given back unsuccessfully) and this
 * slot adopts it.
 */
static bool loop_claim_held(struct loop *lp, struct job_slot *slot, int64_t now)
{
	struct job_slot *other;

	if (slot->claim == CLAIM_MINE_OTHER) {
		other = hmap_get(&lp->claims, slot->job->job_id);
		if (other == NULL || other == slot) {
			slot->claim_gen = slot->db_gen;
			slot->claim = CLAIM_MINE;
		}
	}
	if (slot->claim != CLAIM_MINE) {
		loop_busy(lp, slot, now);
		return false;
	}
	hmap_put(&lp->claims, slot->job->job_id, slot);
	return true;
}

/* Queues a claimed job; an urgent one over its sender's budget defers normal ones. */
static void loop_enqueue(struct loop *lp, struct job_slot *slot, int64_t now)
{
	struct sender *snd = send_enqueue(&lp->sc, slot, now);
	size_t budget = loop_budget(lp, snd);
	struct job_slot *last;

	while (slot->urgent && snd->queued > budget && (last = sender_last_normal(snd)) != NULL) {
		sender_remove(snd, last);
		lp->sc.waiting--;
		slot_defer(last, clock_wall_ms());
		send_finished(&lp->sc, last);
	}
}

/* A checked job: DONE ones to the flush list, the others to their sender's queue. */
static void loop_place(struct loop *lp, struct job_slot *slot, int64_t now, int64_t wall)
{
	const Banditore__V1__DeliveryJob *job = slot->job;

	if (slot->in_check) {
		slot->snd->checking--;
		slot->in_check = false;
	}
	if (!loop_owned(slot)) {
		/* Its partition was revoked while it was checked: given back, untouched. */
		slot_abandon(slot);
		send_finished(&lp->sc, slot);
		return;
	}
	if (slot->state == SLOT_LATER) {
		/* Due within a second (not checked): checked then. */
		int64_t wait = job->not_before_ms - wall;
		loop_later_push(lp, slot, now + (wait > 0 ? wait : 0));
		return;
	}
	if (slot->state != SLOT_PENDING)
		loop_unclaim(lp, slot);   /* finished at the check (a replay, skipped, ...) */
	if (slot->state == SLOT_PENDING && !slot->dup && !creds_known(lp->creds, job->channel_id))
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, 0, NULL,
		            "no_credentials: unknown channel", "no_credentials");
	if (slot->state != SLOT_PENDING || slot->dup) {
		slot->state = SLOT_DONE;
		send_finished(&lp->sc, slot);
		return;
	}
	if (loop_stopped(lp, slot, wall) || !loop_claim_held(lp, slot, now))
		return;   /* stopped while it was checked, or held elsewhere */
	if (slot->prov == NULL) {
		/* A claim of ours adopted just now (CLAIM_MINE_OTHER at the check,
		 * which skipped it): its consent and request were not checked under
		 * it, so it is checked again, now as the claim's holder. */
		log_info("dispatch.claim_adopted", "job %s: a claim of ours left by an earlier copy; "
		         "checked again before it is sent", job->job_id);
		loop_later_push(lp, slot, now);
		return;
	}
	slot->attempts = job->attempt;
	slot->first_ms = job->first_attempt_ms;
	slot->next_at_ms = now;
	loop_enqueue(lp, slot, now);
}

/* A job read back from the backlog enters memory: its sender's partition is its owner. */
static void loop_adopt(struct loop *lp, struct job_slot *slot)
{
	slot->cp = ctrack_part(&lp->ct, lp->t_jobs, slot->src_partition);
	slot->cp_gen = slot->cp->gen;
	slot->cp->live++;
	lp->urgent_live += slot->urgent;
	lp->live++;
	hmap_put(&lp->from_backlog, slot->job->job_id, slot);
}

/* A read-back came back: the sender's count follows what was found. */
static void loop_refilled(struct loop *lp, struct pgw_req *req)
{
	struct sender *snd = sender_find(&lp->sc.senders, req->channel_id);

	for (size_t i = 0; i < req->slots.n; i++)
		loop_adopt(lp, req->slots.v[i]);
	if (snd == NULL)
		return;
	snd->refilling = false;
	snd->backlog_due = (long)req->slots.n < req->k ? 0 : snd->backlog_due - (long)req->slots.n;
	if (snd->backlog_due < 0)
		snd->backlog_due = 0;
}

int loop_checked(struct loop *lp, struct pgw_req *req, bool draining)
{
	int64_t now = clock_mono_ms(), wall = clock_wall_ms();

	if (req->kind == PGW_REFILL)
		loop_refilled(lp, req);
	if (req->rc != 0 || loop_creds(lp, &req->slots) != 0)
		return -1;
	for (size_t i = 0; i < req->slots.n; i++) {
		struct job_slot *slot = req->slots.v[i];
		if (draining && slot->state == SLOT_PENDING && !slot->dup) {
			if (slot->in_check)
				slot->snd->checking--;
			loop_dispose(lp, slot, false);   /* not started: left for the next owner */
			continue;
		}
		loop_place(lp, slot, now, wall);
	}
	return 0;
}

/* The ids of the sender's jobs read back and still in memory (NULL-terminated, owned). */
static char **loop_backlog_ids(const struct loop *lp, long long channel_id)
{
	size_t n = 0, pos = 0;
	char **v = xcalloc(hmap_size(&lp->from_backlog) + 1, sizeof(*v));
	const struct hmap_ent *e;

	while ((e = hmap_next(&lp->from_backlog, &pos)) != NULL) {
		const struct job_slot *slot = e->val;
		if (slot->job->channel_id == channel_id)
			v[n++] = xstrdup(e->key);
	}
	return v;
}

/* true if the sender's jobs are read back here now. */
static bool loop_refill_wanted(const struct loop *lp, const struct sender *snd, int64_t wall)
{
	if (!snd->owned || snd->halted || snd->refilling)
		return false;
	if (snd->backlog_due <= 0 && !(snd->backlog_next_ms != 0 && wall >= snd->backlog_next_ms))
		return false;
	return sender_load(snd) < loop_budget(lp, snd) / 2 + 1;
}

void loop_refill(struct loop *lp, int64_t now)
{
	int64_t wall = clock_wall_ms();

	lp->last_refill = now;
	for (struct sender *snd = lp->sc.senders.list; snd != NULL; snd = snd->link) {
		struct pgw_req *req;
		if (lp->checking >= LOOP_CHECKS_MAX)
			return;
		if (!loop_refill_wanted(lp, snd, wall))
			continue;
		req = xcalloc(1, sizeof(*req));
		req->kind = PGW_REFILL;
		req->channel_id = snd->channel_id;
		req->k = (long)(loop_budget(lp, snd) - sender_load(snd));
		req->except = loop_backlog_ids(lp, snd->channel_id);
		if (snd->backlog_next_ms != 0 && wall >= snd->backlog_next_ms)
			snd->backlog_next_ms = 0;   /* counted again by the next census */
		snd->refilling = true;
		pgw_submit(lp->pgw_check, req);
		lp->checking++;
	}
}

void loop_census(struct loop *lp)
{
	struct pgw_req *req;
	size_t cap = 8;

	lp->last_census = clock_mono_ms();
	if (lp->census_out)
		return;
	req = xcalloc(1, sizeof(*req));
	req->kind = PGW_CENSUS;
	req->parts = xcalloc(cap, sizeof(*req->parts));
	for (struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link) {
		if (!cp->assigned || cp->revoking || strcmp(cp->topic, lp->t_jobs) != 0)
			continue;
		if (req->nparts == cap)
			req->parts = xrealloc(req->parts, (cap *= 2) * sizeof(*req->parts));
		req->parts[req->nparts++] = cp->partition;
	}
	lp->census_out = true;
	pgw_submit(lp->pgw_check, req);
}

/* true if partition p of delivery.jobs is ours now. */
static bool loop_owns_partition(struct loop *lp, int32_t p)
{
	for (struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link)
		if (cp->partition == p && strcmp(cp->topic, lp->t_jobs) == 0)
			return cp->assigned && !cp->revoking;
	return false;
}

void loop_census_done(struct loop *lp, struct pgw_req *req)
{
	int64_t now = clock_mono_ms();

	if (req->rc != 0)
		return;
	for (struct sender *snd = lp->sc.senders.list; snd != NULL; snd = snd->link) {
		snd->backlog_due = snd->backlog_total = 0;
		snd->backlog_next_ms = 0;
		snd->owned = snd->src_partition >= 0 && loop_owns_partition(lp, snd->src_partition);
	}
	for (size_t i = 0; i < req->ncounts; i++) {
		const struct backlog_count *c = &req->counts[i];
		struct sender *snd;
		if (c->prov == NULL)
			continue;   /* no provider sends its channel's kind: never taken for another */
		snd = sender_get(&lp->sc.senders, c->channel_id, c->account, c->prov,
		                 send_rate(&lp->sc, c->prov, creds_rate(lp->creds, c->channel_id)),
		                 now);
		if (snd->src_partition < 0)
			snd->src_partition = c->src_partition;
		snd->owned = loop_owns_partition(lp, c->src_partition);
		snd->backlog_due = c->due;
		snd->backlog_total = c->total;
		snd->backlog_next_ms = c->next_due_ms;
	}
}
