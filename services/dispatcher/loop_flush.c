/* Finished jobs: recorded, produced, acknowledged, committed, freed (loop_impl.h). */
#include "loop_impl.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "outcome.h"
#include "stats.h"
#include "xmalloc.h"

void loop_unclaim(struct loop *lp, struct job_slot *slot)
{
	if (slot->job != NULL && hmap_get(&lp->claims, slot->job->job_id) == slot)
		hmap_del(&lp->claims, slot->job->job_id);
}

bool loop_owned(const struct job_slot *slot)
{
	return slot->cp->assigned && !slot->cp->revoking && slot->cp_gen == slot->cp->gen;
}

void loop_dispose(struct loop *lp, struct job_slot *slot, bool finished)
{
	if (slot->urgent)
		lp->urgent_live--;
	if (slot->cp_gen == slot->cp->gen) {
		slot->cp->live--;
		/* A job read back from the backlog has no offset: its row was the record. */
		if (finished && slot->cp->assigned && slot->msg != NULL)
			ctrack_done(slot->cp, slot->msg->offset);
	}
	loop_unclaim(lp, slot);
	if (slot->from_backlog && slot->job != NULL &&
	    hmap_get(&lp->from_backlog, slot->job->job_id) == slot)
		hmap_del(&lp->from_backlog, slot->job->job_id);
	slot_free(slot);
	lp->live--;
}

void loop_flush(struct loop *lp)
{
	struct pgw_req *req;
	struct job_slot *slot;

	if (TAILQ_EMPTY(&lp->sc.done))
		return;
	req = xcalloc(1, sizeof(*req));
	req->kind = PGW_RECORD;
	while (req->slots.n < LOOP_FLUSH_MAX && (slot = TAILQ_FIRST(&lp->sc.done)) != NULL) {
		TAILQ_REMOVE(&lp->sc.done, slot, link);
		lp->sc.ndone--;
		lp->deferred_total += slot->defer && !slot->from_backlog;
		batch_push(&req->slots, slot);
	}
	lp->last_flush = clock_mono_ms();
	pgw_submit(lp->pgw_rec, req);
	lp->recording++;
}

/* Produces a group's messages (again, after a failure). */
static void loop_produce(struct loop *lp, struct fgroup *g)
{
	kq_batch_init(&g->kb);
	if (outcome_produce(lp->svc->kp, &g->kb, g->slots.v, g->slots.n) != 0 && g->kb.failed == 0)
		g->kb.failed = 1;
}

/* Recorded jobs: their messages are produced; acks are awaited by loop_acks. */
static int loop_recorded(struct loop *lp, struct pgw_req *req)
{
	struct fgroup *g;

	if (req->rc != 0) {
		for (size_t i = 0; i < req->slots.n; i++)   /* never committed */
			loop_dispose(lp, req->slots.v[i], false);
		return -1;
	}
	/* Deferred jobs are in the backlog now: their sender's read-back can start. */
	for (size_t i = 0; i < req->slots.n; i++) {
		const struct job_slot *slot = req->slots.v[i];
		struct sender *snd;
		if (slot->defer && !slot->from_backlog && slot->job != NULL &&
		    (snd = sender_find(&lp->sc.senders, slot->job->channel_id)) != NULL) {
			snd->backlog_due++;
			snd->backlog_total++;
		}
	}
	g = xcalloc(1, sizeof(*g));
	g->slots = req->slots;
	memset(&req->slots, 0, sizeof(req->slots));
	loop_produce(lp, g);
	*lp->acking_tail = g;
	lp->acking_tail = &g->next;
	return 0;
}

/* One finished request of a ledger worker. 0, or -1 (PostgreSQL down to the deadline). */
static int loop_db_result(struct loop *lp, struct pgw_req *req, bool draining)
{
	switch (req->kind) {
	case PGW_CHECK:
	case PGW_REFILL:
		lp->checking--;
		lp->checking_jobs -= req->kind == PGW_CHECK ? req->slots.n : 0;
		return loop_checked(lp, req, draining);
	case PGW_CENSUS:
		lp->census_out = false;
		loop_census_done(lp, req);
		return req->rc;
	default:
		lp->recording--;
		return loop_recorded(lp, req);
	}
}

/* Takes back what a ledger worker finished. */
static int loop_db_results_of(struct loop *lp, struct pgw *w, bool draining)
{
	struct pgw_req *req = pgw_take(w), *next;
	int rc = 0;

	for (; req != NULL; req = next) {
		next = req->next;
		if (loop_db_result(lp, req, draining) != 0)
			rc = -1;
		pgw_req_free(req);
	}
	return rc;
}

int loop_db_results(struct loop *lp, bool draining)
{
	int rc = loop_db_results_of(lp, lp->pgw_check, draining);

	return loop_db_results_of(lp, lp->pgw_rec, draining) != 0 ? -1 : rc;
}

/* A group whose messages are all acknowledged: its jobs are finished for good. */
static void loop_retire(struct loop *lp, struct fgroup *g)
{
	stats_outcomes(g->slots.v, g->slots.n);
	for (size_t i = 0; i < g->slots.n; i++) {
		struct job_slot *slot = g->slots.v[i];
		if (slot->outcome == BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SENT && !slot->replay &&
		    !slot->retry && !slot->defer && slot->state == SLOT_DONE)
			lp->sent_total++;
		loop_dispose(lp, slot, slot->state == SLOT_DONE);
	}
	batch_free(&g->slots);
	free(g);
}

void loop_acks(struct loop *lp, int wait_ms)
{
	struct fgroup **pp = &lp->acking, *g;

	kq_poll(lp->svc->kp, wait_ms);
	while ((g = *pp) != NULL) {
		if (g->kb.pending > 0) {
			pp = &g->next;
			continue;
		}
		if (g->kb.failed > 0) {
			log_warn("dispatch.produce_retry", "%zu job(s): outcomes not all acknowledged (%s), "
			         "produced again", g->slots.n, rd_kafka_err2str(g->kb.first_err));
			loop_produce(lp, g);
			pp = &g->next;
			continue;
		}
		*pp = g->next;
		loop_retire(lp, g);
	}
	lp->acking_tail = pp;
}

/* Commits the finished prefix of each partition kc reads. */
static void loop_commit_one(struct loop *lp, struct kq_consumer *kc, bool sync)
{
	bool stored = false;

	for (struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link) {
		int64_t off;
		if (cp->kc != kc || (off = ctrack_take_commit(cp)) < 0)
			continue;
		kq_store_offset(kc, cp->topic, cp->partition, off);
		stored = true;
	}
	if (stored && (sync ? kq_commit(kc) : kq_commit_async(kc)) != 0)
		log_warn("dispatch.commit_deferred", "commit failed; the next owner skips done jobs "
		         "through the ledger");
}

void loop_commit(struct loop *lp, bool sync)
{
	loop_commit_one(lp, lp->svc->kc, sync);
	loop_commit_one(lp, lp->kc_urgent, sync);
	lp->last_commit = clock_mono_ms();
}
