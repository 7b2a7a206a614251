/*
 * What is taken from Kafka and where it goes (loop_impl.h). A job is
 * decoded as it is taken, then routed: a job of a cancelled notice is
 * recorded as stopped; one of a paused notice, one not due within a
 * second, or one its sender cannot send soon (its queue and checks at
 * its budget: what it sends in BND_SENDER_HORIZON_MS) is deferred to the
 * backlog (backlog.h), its offset committed once the row is written; the
 * rest is checked. So no sender's backlog sits in memory or in front of
 * another sender's jobs in Kafka: partitions are never paused.
 */
#include "loop_impl.h"

#include <string.h>

#include "check.h"
#include "clock.h"
#include "creds.h"
#include "log.h"
#include "stopwatch.h"

/* Takes one message consumed by kc into memory, decoded. */
static void loop_take(struct loop *lp, struct kq_consumer *kc, rd_kafka_message_t *msg)
{
	struct job_slot *slot = slot_new(msg);
	const char *topic = rd_kafka_topic_name(msg->rkt);

	slot->cp = ctrack_part(&lp->ct, topic, msg->partition);
	slot->cp->kc = kc;
	slot->cp->assigned = true;
	slot->cp->live++;
	slot->cp_gen = slot->cp->gen;
	ctrack_add(slot->cp, msg->offset);
	slot->src_partition = msg->partition;
	slot->first_seen_ms = clock_wall_ms();
	slot->urgent = strcmp(topic, lp->t_urgent) == 0;
	lp->urgent_live += slot->urgent;
	lp->live++;
	check_decode(slot);
	batch_push(&lp->fresh, slot);
}

/* How many more jobs may be taken now; a tenth of memory is kept for urgent ones. */
static size_t loop_room(const struct loop *lp, bool urgent)
{
	size_t max = urgent ? (size_t)lp->cfg->max_jobs : (size_t)lp->cfg->max_jobs * 9 / 10;
	size_t room = lp->live < max ? max - lp->live : 0;

	return room < (size_t)lp->cfg->batch_size ? room : (size_t)lp->cfg->batch_size;
}

size_t loop_intake_urgent(struct loop *lp)
{
	size_t max = loop_room(lp, true);
	rd_kafka_message_t *msg;

	while (lp->fresh.n < max && (msg = kq_consume(lp->kc_urgent, 0)) != NULL)
		loop_take(lp, lp->kc_urgent, msg);
	return lp->fresh.n;
}

size_t loop_intake(struct loop *lp, int wait_ms)
{
	size_t max;
	rd_kafka_message_t *msg;

	if (loop_intake_urgent(lp) > 0)
		wait_ms = 0;
	max = loop_room(lp, false);
	while (lp->fresh.n < max) {
		msg = kq_consume(lp->svc->kc, lp->fresh.n == 0 ? wait_ms : 0);
		if (msg == NULL)
			break;
		loop_take(lp, lp->svc->kc, msg);
	}
	return lp->fresh.n;
}

void loop_later_push(struct loop *lp, struct job_slot *slot, int64_t at)
{
	slot->state = SLOT_PENDING;
	slot->next_at_ms = at;
	batch_push(&lp->later, slot);
	if (lp->later.n == 1 || at < lp->later_next)
		lp->later_next = at;
}

void loop_due(struct loop *lp, int64_t now)
{
	size_t kept = 0;

	if (lp->later.n == 0 || now < lp->later_next)
		return;
	lp->later_next = INT64_MAX;
	for (size_t i = 0; i < lp->later.n; i++) {
		struct job_slot *slot = lp->later.v[i];
		if (slot->next_at_ms <= now) {
			batch_push(&lp->fresh, slot);
			continue;
		}
		lp->later.v[kept++] = slot;
		if (slot->next_at_ms < lp->later_next)
			lp->later_next = slot->next_at_ms;
	}
	lp->later.n = kept;
}

void loop_rechecks(struct loop *lp)
{
	struct job_slot *slot;

	while ((slot = TAILQ_FIRST(&lp->sc.recheck)) != NULL) {
		TAILQ_REMOVE(&lp->sc.recheck, slot, link);
		lp->sc.nrecheck--;
		slot->state = SLOT_PENDING;
		batch_push(&lp->fresh, slot);
	}
}

/* The sender of a decoded job (prov: its kind's provider), created on first
 * sight. Until its channel's settings are read (at the job's check) its
 * rate is taken as the lowest, so a new sender's first batch is not held
 * in memory beyond its budget. */
static struct sender *loop_sender(struct loop *lp, const struct job_slot *slot,
                                  const struct provider *prov)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	double rate = 1;
	struct sender *snd;

	if (creds_known(lp->creds, job->channel_id))
		rate = send_rate(&lp->sc, prov, creds_rate(lp->creds, job->channel_id));
	snd = sender_get(&lp->sc.senders, job->channel_id, job->sender_account, prov, rate,
	                 clock_mono_ms());
	if (!slot->from_backlog && strcmp(slot->cp->topic, lp->t_jobs) == 0) {
		/* Its delivery.jobs partition is ours: so is its backlog. */
		snd->src_partition = slot->src_partition;
		snd->owned = loop_owned(slot);
	}
	return snd;
}

/* Defers slot until until_ms (wall): to the backlog at the next flush. */
static void loop_defer(struct loop *lp, struct job_slot *slot, int64_t until_ms)
{
	slot_defer(slot, until_ms);
	send_finished(&lp->sc, slot);
}

/*
 * Where a fresh (or returning) job goes: true if to be checked now (it is
 * then counted in its sender's checking), false if it was finished,
 * stopped or deferred.
 */
static bool loop_route(struct loop *lp, struct job_slot *slot, int64_t wall)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	const struct provider *prov;
	struct sender *snd;
	size_t budget;

	if (job == NULL || slot->state != SLOT_PENDING) {
		slot->state = SLOT_DONE;   /* poison: to the quarantine topic */
		send_finished(&lp->sc, slot);
		return false;
	}
	if (loop_stopped(lp, slot, wall))
		return false;
	if (retry_due(job->not_before_ms, wall).act == RETRY_DEFER) {
		loop_defer(lp, slot, job->not_before_ms);
		return false;
	}
	if ((prov = prov_of_kind(job->kind)) == NULL)
		return true;   /* no sender: its check dead-letters it (unsupported_kind) */
	snd = loop_sender(lp, slot, prov);
	budget = loop_budget(lp, snd);
	/* Urgent jobs have a budget of their own: they go before the normal ones. */
	if (slot->urgent ? snd->urgent_queued + snd->checking >= budget : sender_load(snd) >= budget) {
		loop_defer(lp, slot, wall);
		return false;
	}
	slot->snd = snd;
	slot->in_check = true;
	snd->checking++;
	return true;
}

void loop_route_fresh(struct loop *lp)
{
	int64_t wall = clock_wall_ms();
	size_t kept = 0;

	for (size_t i = 0; i < lp->fresh.n; i++)
		if (loop_route(lp, lp->fresh.v[i], wall))
			lp->fresh.v[kept++] = lp->fresh.v[i];
	lp->fresh.n = kept;
}

/* pick() for send_withdraw: a queued job of a notice now stopped. */
static bool loop_pick_stopped(const struct job_slot *slot, void *arg)
{
	struct loop *lp = arg;

	return sw_state(lp->sw, slot_notice_uuid(slot)) != SW_RUNNING;
}

void loop_stops(struct loop *lp)
{
	struct slot_list out = TAILQ_HEAD_INITIALIZER(out);
	struct job_slot *slot;
	int64_t wall = clock_wall_ms();
	size_t kept = 0, n = 0;

	if (!sw_changed(lp->sw))
		return;
	send_withdraw(&lp->sc, loop_pick_stopped, lp, &out);
	while ((slot = TAILQ_FIRST(&out)) != NULL) {
		TAILQ_REMOVE(&out, slot, link);
		slot->state = SLOT_PENDING;
		n += loop_stopped(lp, slot, wall);
	}
	for (size_t i = 0; i < lp->later.n; i++) {
		slot = lp->later.v[i];
		if (loop_pick_stopped(slot, lp) && loop_stopped(lp, slot, wall))
			n++;
		else
			lp->later.v[kept++] = slot;
	}
	lp->later.n = kept;
	if (n > 0)
		log_info("dispatch.stopped", "%zu queued job(s) of paused or cancelled notices "
		         "withdrawn", n);
}
