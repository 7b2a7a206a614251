/*
 * Partitions coming and going (loop_impl.h). Before a partition is given
 * up, its queued jobs leave the queues and give their claims back (the
 * next owner claims them at once), its requests in flight finish and are
 * recorded, its finished prefix is committed; only then is it handed on.
 * The backlog of its senders becomes the next owner's. A lost assignment
 * (this member was thrown out of the group) waits for nothing and commits
 * nothing: its requests in flight are recorded when they finish.
 */
#include "loop_impl.h"

#include <string.h>

#include "clock.h"
#include "log.h"

/* The partitions (of the list) as trackers, marked with what the rebalance does to them. */
static void loop_mark(struct loop *lp, struct kq_consumer *kc,
                      const rd_kafka_topic_partition_list_t *parts, bool revoking)
{
	for (int i = 0; i < parts->cnt; i++) {
		struct cpart *cp = ctrack_part(&lp->ct, parts->elems[i].topic, parts->elems[i].partition);
		cp->kc = kc;
		if (revoking) {
			cp->revoking = true;
		} else {
			ctrack_reset(cp);   /* a new assignment: nothing of an earlier one counts */
			cp->assigned = true;
		}
	}
}

void loop_on_assigned(void *arg, struct kq_consumer *kc,
                      const rd_kafka_topic_partition_list_t *parts)
{
	struct loop *lp = arg;

	loop_mark(lp, kc, parts, false);
	loop_census(lp);   /* their senders' backlog is ours to serve now */
}

/* pick() for send_withdraw: a job of a partition being given up. */
static bool loop_pick_revoking(const struct job_slot *slot, void *arg)
{
	(void)arg;
	return !loop_owned(slot);
}

/* Jobs of revoked partitions in a group not yet checked or not due: dropped (claims given back). */
static void loop_drop_revoking(struct loop *lp, struct batch *b)
{
	size_t kept = 0;

	for (size_t i = 0; i < b->n; i++) {
		struct job_slot *slot = b->v[i];
		if (loop_owned(slot)) {
			b->v[kept++] = slot;
		} else if (slot->claim == CLAIM_MINE) {
			slot_abandon(slot);
			send_finished(&lp->sc, slot);   /* the flush gives its claim back */
		} else {
			loop_dispose(lp, slot, false);
		}
	}
	b->n = kept;
}

/* true if partition p of delivery.jobs is being revoked. */
static bool loop_revoking_jobs(const struct loop *lp, int32_t p)
{
	for (const struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link)
		if (cp->partition == p && strcmp(cp->topic, lp->t_jobs) == 0)
			return cp->revoking;
	return false;
}

/* Jobs of the revoked partitions still in memory. */
static size_t loop_revoking_live(const struct loop *lp)
{
	size_t n = 0;

	for (const struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link)
		if (cp->revoking)
			n += cp->live;
	return n;
}

/*
 * Before partitions are given up: their queued jobs leave the queues
 * (claims given back, so the next owner takes them at once), requests in
 * flight finish and are recorded, the finished prefix is committed.
 * Nothing new starts meanwhile. A lost assignment waits for nothing and
 * commits nothing: its jobs in flight are recorded when they finish.
 */
static void loop_revoke(struct loop *lp, struct kq_consumer *kc, bool lost)
{
	struct slot_list out = TAILQ_HEAD_INITIALIZER(out);
	int64_t deadline = clock_mono_ms() + lp->cfg->http_timeout_ms + 5000;
	struct job_slot *slot;
	bool stored = false;

	loop_drop_revoking(lp, &lp->fresh);
	loop_drop_revoking(lp, &lp->later);
	send_withdraw(&lp->sc, loop_pick_revoking, NULL, &out);
	while ((slot = TAILQ_FIRST(&out)) != NULL) {
		TAILQ_REMOVE(&out, slot, link);
		slot_abandon(slot);
		send_finished(&lp->sc, slot);
	}
	while (!lost && loop_revoking_live(lp) > 0 && clock_mono_ms() < deadline) {
		send_poll(&lp->sc, 10);
		if (loop_db_results(lp, false) != 0)
			break;
		loop_drop_revoking(lp, &lp->fresh);   /* rechecks of theirs */
		if (lp->sc.ndone > 0 && lp->recording < 2)
			loop_flush(lp);
		if (lp->acking != NULL)
			loop_acks(lp, 1);
	}
	for (struct sender *snd = lp->sc.senders.list; snd != NULL; snd = snd->link)
		if (snd->owned && loop_revoking_jobs(lp, snd->src_partition)) {
			snd->owned = false;   /* its backlog is the next owner's */
			snd->backlog_due = snd->backlog_total = 0;
		}
	for (struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link) {
		int64_t off;
		if (!cp->revoking)
			continue;
		if (!lost && (off = ctrack_take_commit(cp)) >= 0) {
			kq_store_offset(kc, cp->topic, cp->partition, off);
			stored = true;
		}
		if (cp->live > 0)
			log_warn("dispatch.revoke_unfinished", "%s [%d]: %zu job(s) still out when "
			         "given up; recorded when they finish, not committed", cp->topic,
			         (int)cp->partition, cp->live);
		ctrack_reset(cp);
		cp->assigned = false;
	}
	if (stored && kq_commit(kc) != 0)
		log_warn("dispatch.commit_deferred", "revoked partitions not committed; the next "
		         "owner skips finished jobs through the ledger");
}

void loop_on_revoked(void *arg, struct kq_consumer *kc,
                     const rd_kafka_topic_partition_list_t *parts, bool lost)
{
	struct loop *lp = arg;
	int64_t t0 = clock_mono_ms();

	loop_mark(lp, kc, parts, true);
	loop_revoke(lp, kc, lost);
	log_info("dispatch.revoked", "%d partition(s) given up in %lld ms%s", parts->cnt,
	         (long long)(clock_mono_ms() - t0), lost ? " (lost: nothing committed)" : "");
}

