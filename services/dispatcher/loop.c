/* The pipeline: intake, checks, queues, flush, commit, flow control (loop.h). */
#include "loop.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "check.h"
#include "clock.h"
#include "creds.h"
#include "ctrack.h"
#include "dbw.h"
#include "dispatcher.h"
#include "flow.h"
#include "hmap.h"
#include "instance.h"
#include "kafka.h"
#include "ledger.h"
#include "log.h"
#include "outcome.h"
#include "pclient.h"
#include "send.h"
#include "service.h"
#include "shutdown.h"
#include "stats.h"
#include "worker.h"
#include "xmalloc.h"

#define LOOP_IDLE_WAIT_MS    20      /* wait for a job when nothing else is going on */
#define LOOP_CREDS_MAX_AGE   30000   /* channel settings (tokens, rates) re-read this often */
#define LOOP_NOT_BEFORE_MAX  60000   /* a fresh job due later than this goes to the retry topic */
#define LOOP_COMMIT_MS       500     /* stored offsets committed this often */
#define LOOP_TICK_MS         1000    /* rates stepped up, pauses re-asserted */
#define LOOP_URGENT_LINGER   200     /* normal topics stay paused this long after urgent work */
#define LOOP_FLUSH_MAX       2000    /* finished jobs flushed at once at most */
#define LOOP_CHECKS_MAX      2       /* check requests out at once: one being run, one ready */
#define LOOP_BUSY_RECHECK_MS 1000    /* a job another live dispatcher holds is looked at again */

/* Finished jobs recorded in PostgreSQL whose Kafka messages await the broker's acks. */
struct fgroup {
	struct kq_batch kb;
	struct batch    slots;
	struct fgroup  *next;
};

struct loop {
	const struct dsp_cfg *cfg;
	struct service       *svc;
	const struct instance *inst;       /* the holder of our claims */
	struct hmap           claims;      /* job id -> the slot holding its claim */
	struct pclient       *cl;
	struct creds         *creds;
	struct send_ctx       sc;
	struct ctrack         ct;
	struct dbw           *dbw_check;   /* PostgreSQL checks, on their own thread */
	struct dbw           *dbw_rec;     /* PostgreSQL recording, on another */
	int                   checking;    /* check requests out */
	size_t                checking_jobs;   /* jobs in them */
	int                   recording;   /* record requests out */
	struct batch          fresh;       /* taken this turn, to be checked */
	struct batch          later;       /* not due yet: checked when they are */
	int64_t               later_next;  /* monotonic ms the first of them is due */
	struct fgroup        *acking;      /* flushed groups awaiting acks, oldest first */
	struct fgroup       **acking_tail;
	struct drain          drain;
	size_t                live;        /* jobs in memory */
	size_t                urgent_live;
	struct kq_consumer   *kc_urgent;   /* delivery.jobs.urgent, its own group */
	int64_t               urgent_seen_ms;
	struct flow           flow;
	char                 *t_urgent;    /* full topic names */
	char                 *t_parked;
	int64_t               last_flush, last_commit, last_tick, last_state;
	unsigned long         sent_total;
};

/* The consumer of delivery.jobs.urgent (group "<group>.urgent"): read
 * before the normal topics every turn, never behind their prefetch. */
static struct kq_consumer *loop_urgent_consumer(const struct dsp_cfg *cfg)
{
	static const char *const topics[] = { TOPIC_DELIVERY_URGENT, NULL };
	char *group = xasprintf("%s.urgent", cfg->group);
	char err[512];
	struct kq_consumer *kc = kq_consumer_new(cfg->c.kafka_brokers, cfg->c.topic_prefix, group,
	                                         topics, NULL, err, sizeof(err));

	if (kc == NULL)
		log_error("dispatch.start_failed", "urgent consumer: %s", err);
	free(group);
	return kc;
}

static void loop_on_assigned(void *arg, struct kq_consumer *kc,
                             const rd_kafka_topic_partition_list_t *parts);
static void loop_on_revoked(void *arg, struct kq_consumer *kc,
                            const rd_kafka_topic_partition_list_t *parts, bool lost);

struct loop *loop_new(const struct dsp_cfg *cfg, struct service *svc, const struct instance *inst)
{
	struct loop *lp = xcalloc(1, sizeof(*lp));
	const char *prefix = cfg->c.topic_prefix ? cfg->c.topic_prefix : "";
	struct kq_hooks hooks = { loop_on_assigned, loop_on_revoked, lp };

	lp->cfg = cfg;
	lp->svc = svc;
	lp->inst = inst;
	lp->drain.timeout_ms = cfg->c.drain_timeout_ms;
	lp->creds = creds_new();
	lp->cl = pc_new(cfg->max_inflight, cfg->http_timeout_ms, cfg->ca_file);
	if (lp->cl == NULL) {
		creds_free(lp->creds);
		free(lp);
		return NULL;
	}
	lp->dbw_check = dbw_start(cfg->c.pg_dsn, cfg->c.drain_timeout_ms, inst);
	lp->dbw_rec = dbw_start(cfg->c.pg_dsn, cfg->c.drain_timeout_ms, inst);
	lp->kc_urgent = loop_urgent_consumer(cfg);
	if (lp->dbw_check == NULL || lp->dbw_rec == NULL || lp->kc_urgent == NULL) {
		dbw_stop(lp->dbw_check);
		dbw_stop(lp->dbw_rec);
		kq_consumer_free(lp->kc_urgent);
		pc_free(lp->cl);
		creds_free(lp->creds);
		free(lp);
		return NULL;
	}
	send_init(&lp->sc, cfg, lp->cl, lp->creds, svc->db, inst);
	kq_consumer_hooks(svc->kc, &hooks);
	kq_consumer_hooks(lp->kc_urgent, &hooks);
	stats_senders_register(&lp->sc.senders);
	lp->acking_tail = &lp->acking;
	lp->t_urgent = xasprintf("%s%s", prefix, TOPIC_DELIVERY_URGENT);
	lp->t_parked = xasprintf("%s%s", prefix, TOPIC_DELIVERY_PARKED);
	lp->flow.ct = &lp->ct;
	lp->flow.rk = kq_consumer_handle(svc->kc);
	lp->flow.t_urgent = lp->t_urgent;
	/* Intake keeps up to 3 groups queued: a sender's cap below that would
	 * pause its partitions (dropping their prefetch) over and over. */
	lp->flow.sender_queue = (size_t)cfg->sender_queue > 3 * (size_t)cfg->batch_size
	                            ? (size_t)cfg->sender_queue : 3 * (size_t)cfg->batch_size;
	return lp;
}

void loop_free(struct loop *lp)
{
	struct job_slot *slot;

	if (lp == NULL)
		return;
	kq_consumer_hooks(lp->svc->kc, NULL);   /* the consumer outlives the loop */
	kq_consumer_hooks(lp->kc_urgent, NULL);
	dbw_stop(lp->dbw_check);
	dbw_stop(lp->dbw_rec);
	kq_consumer_free(lp->kc_urgent);
	while ((slot = TAILQ_FIRST(&lp->sc.done)) != NULL) {
		TAILQ_REMOVE(&lp->sc.done, slot, link);
		slot_free(slot);
	}
	for (struct fgroup *g = lp->acking, *next; g != NULL; g = next) {
		next = g->next;
		for (size_t i = 0; i < g->slots.n; i++)
			slot_free(g->slots.v[i]);
		batch_free(&g->slots);
		free(g);
	}
	stats_senders_register(NULL);
	pc_free(lp->cl);
	send_fini(&lp->sc);
	batch_free(&lp->fresh);
	for (size_t i = 0; i < lp->later.n; i++)
		slot_free(lp->later.v[i]);
	batch_free(&lp->later);
	ct_free(&lp->ct);
	hmap_free(&lp->claims);
	creds_free(lp->creds);
	free(lp->t_urgent);
	free(lp->t_parked);
	free(lp);
}

/* Takes one message consumed by kc into memory. */
static void loop_take(struct loop *lp, struct kq_consumer *kc, rd_kafka_message_t *msg)
{
	struct job_slot *slot = slot_new(msg);
	const char *topic = rd_kafka_topic_name(msg->rkt);

	slot->cp = ct_part(&lp->ct, topic, msg->partition);
	slot->cp->rk = kq_consumer_handle(kc);
	slot->cp->assigned = true;
	slot->cp->live++;
	slot->cp_gen = slot->cp->gen;
	ct_add(slot->cp, msg->offset);
	slot->urgent = strcmp(topic, lp->t_urgent) == 0;
	if (slot->urgent) {
		lp->urgent_live++;
		lp->urgent_seen_ms = clock_mono_ms();
	}
	lp->live++;
	batch_push(&lp->fresh, slot);
}

/* Forgets slot as the holder of its job's claim (if it is). */
static void loop_unclaim(struct loop *lp, struct job_slot *slot)
{
	if (slot->job != NULL && hmap_get(&lp->claims, slot->job->job_id) == slot)
		hmap_del(&lp->claims, slot->job->job_id);
}

/* true if slot's partition is still ours as it was when the slot was taken. */
static bool loop_owned(const struct job_slot *slot)
{
	return slot->cp->assigned && !slot->cp->revoking && slot->cp_gen == slot->cp->gen;
}

/* Frees a slot and its bookkeeping; commits its offset if finished and its partition is still ours. */
static void loop_dispose(struct loop *lp, struct job_slot *slot, bool finished)
{
	if (slot->urgent)
		lp->urgent_live--;
	if (slot->cp_gen == slot->cp->gen) {
		slot->cp->live--;
		if (finished && slot->cp->assigned)
			ct_done(slot->cp, slot->msg->offset);
	}
	loop_unclaim(lp, slot);
	slot_free(slot);
	lp->live--;
}

/* How many more jobs may be taken now. */
static size_t loop_room(const struct loop *lp)
{
	size_t room = lp->live < (size_t)lp->cfg->max_jobs ? (size_t)lp->cfg->max_jobs - lp->live : 0;

	return room < (size_t)lp->cfg->batch_size ? room : (size_t)lp->cfg->batch_size;
}

/* Takes what the urgent consumer has, without waiting. */
static size_t loop_intake_urgent(struct loop *lp)
{
	size_t max = loop_room(lp);
	rd_kafka_message_t *msg;

	while (lp->fresh.n < max && (msg = kq_consume(lp->kc_urgent, 0)) != NULL)
		loop_take(lp, lp->kc_urgent, msg);
	return lp->fresh.n;
}

/* Consumes while there is room, urgent jobs first; waits up to wait_ms for a
 * first normal one only if nothing urgent came. */
static size_t loop_intake(struct loop *lp, int wait_ms)
{
	size_t max = loop_room(lp);
	rd_kafka_message_t *msg;

	if (loop_intake_urgent(lp) > 0)
		wait_ms = 0;
	while (lp->fresh.n < max) {
		msg = kq_consume(lp->svc->kc, lp->fresh.n == 0 ? wait_ms : 0);
		if (msg == NULL)
			break;
		loop_take(lp, lp->svc->kc, msg);
	}
	return lp->fresh.n;
}

/*
 * Loads channel tokens and rates if a job needs a channel we don't know
 * (retried until PostgreSQL answers: the job cannot go out without).
 * Settings merely old are re-read by the upkeep, without waiting.
 */
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

/*
 * A job not due yet. Not due for long (held by the messaging limit, a
 * halted sender's): parked on delivery.jobs.parked, and a parked partition
 * then rests a while so its jobs are not read again and again (the retry
 * topic has only short waits: a retry never queues behind them). Due
 * soon: kept, its partition paused until then, and checked when it is due.
 */
static void loop_later(struct loop *lp, struct job_slot *slot, int64_t now, int64_t wall)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	int64_t wait = job->not_before_ms - wall;

	slot->attempts = job->attempt;
	slot->first_ms = job->first_attempt_ms;
	if (wait > LOOP_NOT_BEFORE_MAX) {
		slot_park(slot, job->not_before_ms);
		if (strcmp(slot->cp->topic, lp->t_parked) == 0)
			flow_pause_until(slot->cp, now + LOOP_NOT_BEFORE_MAX);
		send_finished(&lp->sc, slot);
		return;
	}
	slot->state = SLOT_PENDING;
	slot->next_at_ms = now + (wait > 0 ? wait : 0);
	flow_pause_until(slot->cp, slot->next_at_ms);
	batch_push(&lp->later, slot);
	if (lp->later.n == 1 || slot->next_at_ms < lp->later_next)
		lp->later_next = slot->next_at_ms;
}

/* Jobs kept until due that are due now go to be checked with the turn's new ones. */
static void loop_due(struct loop *lp, int64_t now)
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

/* A job someone else holds: looked at again in a while (kept, its partition paused till then). */
static void loop_busy(struct loop *lp, struct job_slot *slot, int64_t now)
{
	loop_unclaim(lp, slot);
	slot->claim = CLAIM_NONE;
	slot->state = SLOT_PENDING;
	slot->next_at_ms = now + LOOP_BUSY_RECHECK_MS;
	flow_pause_until(slot->cp, slot->next_at_ms);
	batch_push(&lp->later, slot);
	if (lp->later.n == 1 || slot->next_at_ms < lp->later_next)
		lp->later_next = slot->next_at_ms;
	log_debug("dispatch.claim_busy", "job %s is held by a live dispatcher: looked at again "
	          "in %d ms", slot->job->job_id, LOOP_BUSY_RECHECK_MS);
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

/* A checked job: DONE ones to the flush list, the others to their sender's queue. */
static void loop_place(struct loop *lp, struct job_slot *slot, int64_t now, int64_t wall)
{
	const Banditore__V1__DeliveryJob *job = slot->job;
	struct sender *snd;

	if (!loop_owned(slot)) {
		/* Its partition was revoked while it was checked: given back, untouched. */
		slot_abandon(slot);
		send_finished(&lp->sc, slot);
		return;
	}
	if (slot->state != SLOT_PENDING && slot->state != SLOT_LATER)
		loop_unclaim(lp, slot);   /* finished at the check (a replay, skipped, ...) */
	/* Not due (at the check, or still not by the wall clock now): later. */
	if (slot->state == SLOT_LATER ||
	    (slot->state == SLOT_PENDING && !slot->dup && job->not_before_ms > wall)) {
		loop_later(lp, slot, now, wall);
		return;
	}
	if (slot->state == SLOT_PENDING && !slot->dup && !creds_known(lp->creds, job->channel_id))
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, 0, NULL,
		            "no_credentials: unknown channel", "no_credentials");
	if (slot->state != SLOT_PENDING || slot->dup) {
		slot->state = SLOT_DONE;
		send_finished(&lp->sc, slot);
		return;
	}
	if (!loop_claim_held(lp, slot, now))
		return;
	slot->attempts = job->attempt;
	slot->first_ms = job->first_attempt_ms;
	slot->next_at_ms = now;
	snd = send_enqueue(&lp->sc, slot, now);
	if (snd->queued > lp->flow.sender_queue) {
		flow_block(slot->cp, snd);
	}
}

/* Hands the turn's new jobs to the ledger worker for their checks. */
static void loop_submit_check(struct loop *lp)
{
	struct dbw_req *req = xcalloc(1, sizeof(*req));

	req->kind = DBW_CHECK;
	req->slots = lp->fresh;
	memset(&lp->fresh, 0, sizeof(lp->fresh));
	dbw_submit(lp->dbw_check, req);
	lp->checking++;
	lp->checking_jobs += req->slots.n;
}

/* Checked jobs come back: each to its sender's queue or to the flush list. */
static int loop_checked(struct loop *lp, struct dbw_req *req, bool draining)
{
	int64_t now = clock_mono_ms(), wall = clock_wall_ms();

	if (req->rc != 0 || loop_creds(lp, &req->slots) != 0)
		return -1;
	for (size_t i = 0; i < req->slots.n; i++) {
		struct job_slot *slot = req->slots.v[i];
		if (draining && slot->state == SLOT_PENDING && !slot->dup) {
			loop_dispose(lp, slot, false);   /* not started: left for the next owner */
			continue;
		}
		loop_place(lp, slot, now, wall);
	}
	return 0;
}

/* Produces a group's messages (again, after a failure). */
static void loop_produce(struct loop *lp, struct fgroup *g)
{
	kq_batch_init(&g->kb);
	if (outcome_produce(lp->svc->kp, &g->kb, g->slots.v, g->slots.n) != 0 && g->kb.failed == 0)
		g->kb.failed = 1;
}

/* Hands finished jobs to the ledger worker to be recorded (then produced: loop_recorded). */
static void loop_flush(struct loop *lp)
{
	struct dbw_req *req;
	struct job_slot *slot;

	if (TAILQ_EMPTY(&lp->sc.done))
		return;
	req = xcalloc(1, sizeof(*req));
	req->kind = DBW_RECORD;
	while (req->slots.n < LOOP_FLUSH_MAX && (slot = TAILQ_FIRST(&lp->sc.done)) != NULL) {
		TAILQ_REMOVE(&lp->sc.done, slot, link);
		lp->sc.ndone--;
		batch_push(&req->slots, slot);
	}
	lp->last_flush = clock_mono_ms();
	dbw_submit(lp->dbw_rec, req);
	lp->recording++;
}

/* Recorded jobs: their messages are produced; acks are awaited by loop_acks. */
static int loop_recorded(struct loop *lp, struct dbw_req *req)
{
	struct fgroup *g;

	if (req->rc != 0) {
		for (size_t i = 0; i < req->slots.n; i++)   /* never committed */
			loop_dispose(lp, req->slots.v[i], false);
		batch_free(&req->slots);
		return -1;
	}
	g = xcalloc(1, sizeof(*g));
	g->slots = req->slots;
	memset(&req->slots, 0, sizeof(req->slots));
	loop_produce(lp, g);
	*lp->acking_tail = g;
	lp->acking_tail = &g->next;
	return 0;
}

/* Takes back what a ledger worker finished. 0, or -1 (PostgreSQL down to the deadline). */
static int loop_db_results_of(struct loop *lp, struct dbw *w, bool draining)
{
	struct dbw_req *req = dbw_take(w), *next;
	int rc = 0;

	for (; req != NULL; req = next) {
		next = req->next;
		if (req->kind == DBW_CHECK) {
			lp->checking--;
			lp->checking_jobs -= req->slots.n;
			if (loop_checked(lp, req, draining) != 0)
				rc = -1;
		} else {
			lp->recording--;
			if (loop_recorded(lp, req) != 0)
				rc = -1;
		}
		batch_free(&req->slots);
		free(req);
	}
	return rc;
}

/* Takes back what both ledger workers finished. */
static int loop_db_results(struct loop *lp, bool draining)
{
	int rc = loop_db_results_of(lp, lp->dbw_check, draining);

	return loop_db_results_of(lp, lp->dbw_rec, draining) != 0 ? -1 : rc;
}

/* A group whose messages are all acknowledged: its jobs are finished for good. */
static void loop_retire(struct loop *lp, struct fgroup *g)
{
	stats_outcomes(g->slots.v, g->slots.n);
	for (size_t i = 0; i < g->slots.n; i++) {
		struct job_slot *slot = g->slots.v[i];
		if (slot->outcome == BANDITORE__V1__OUTCOME_STATUS__OUTCOME_SENT && !slot->replay &&
		    !slot->retry && slot->state == SLOT_DONE)
			lp->sent_total++;
		loop_dispose(lp, slot, slot->state == SLOT_DONE);
	}
	batch_free(&g->slots);
	free(g);
}

/* Serves the producer's acks; retires acknowledged groups, produces failed ones again. */
static void loop_acks(struct loop *lp, int wait_ms)
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

/* Stores the finished prefix of each partition kc reads, then commits. */
static void loop_commit_one(struct loop *lp, struct kq_consumer *kc, bool sync)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(8);
	rd_kafka_t *rk = kq_consumer_handle(kc);
	rd_kafka_resp_err_t err;

	for (struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link) {
		int64_t off;
		if (cp->rk != rk || (off = ct_take_commit(cp)) < 0)
			continue;
		rd_kafka_topic_partition_list_add(l, cp->topic, cp->partition)->offset = off;
	}
	if (l->cnt > 0) {
		err = rd_kafka_offsets_store(rk, l);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
			log_warn("dispatch.store_failed", "%s (partition rebalanced away?)",
			         rd_kafka_err2str(err));
	}
	rd_kafka_topic_partition_list_destroy(l);
	if (!sync)
		kq_commit_async(kc);
	else if (kq_commit(kc) != 0)
		log_warn("dispatch.commit_deferred", "final commit failed; the next owner skips "
		         "done jobs through the ledger");
}

/* Commits both consumers' finished prefixes (synchronously if sync). */
static void loop_commit(struct loop *lp, bool sync)
{
	loop_commit_one(lp, lp->svc->kc, sync);
	loop_commit_one(lp, lp->kc_urgent, sync);
	lp->last_commit = clock_mono_ms();
}

/* The partitions (of the list) as trackers, marked with what the rebalance does to them. */
static void loop_mark(struct loop *lp, struct kq_consumer *kc,
                      const rd_kafka_topic_partition_list_t *parts, bool revoking)
{
	for (int i = 0; i < parts->cnt; i++) {
		struct cpart *cp = ct_part(&lp->ct, parts->elems[i].topic, parts->elems[i].partition);
		cp->rk = kq_consumer_handle(kc);
		if (revoking) {
			cp->revoking = true;
		} else {
			ct_reset(cp);   /* a new assignment: nothing of an earlier one counts */
			cp->assigned = true;
		}
	}
}

static void loop_on_assigned(void *arg, struct kq_consumer *kc,
                             const rd_kafka_topic_partition_list_t *parts)
{
	loop_mark(arg, kc, parts, false);
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
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(8);
	struct job_slot *slot;

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
	for (struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link) {
		int64_t off;
		if (!cp->revoking)
			continue;
		if (!lost && (off = ct_take_commit(cp)) >= 0)
			rd_kafka_topic_partition_list_add(l, cp->topic, cp->partition)->offset = off;
		if (cp->live > 0)
			log_warn("dispatch.revoke_unfinished", "%s [%d]: %zu job(s) still out when "
			         "given up; recorded when they finish, not committed", cp->topic,
			         (int)cp->partition, cp->live);
		ct_reset(cp);
		cp->assigned = false;
	}
	if (l->cnt > 0 && kq_commit_offsets(kc, l) != 0)
		log_warn("dispatch.commit_deferred", "revoked partitions not committed; the next "
		         "owner skips finished jobs through the ledger");
	rd_kafka_topic_partition_list_destroy(l);
}

static void loop_on_revoked(void *arg, struct kq_consumer *kc,
                            const rd_kafka_topic_partition_list_t *parts, bool lost)
{
	struct loop *lp = arg;
	int64_t t0 = clock_mono_ms();

	loop_mark(lp, kc, parts, true);
	loop_revoke(lp, kc, lost);
	log_info("dispatch.revoked", "%d partition(s) given up in %lld ms%s", parts->cnt,
	         (long long)(clock_mono_ms() - t0), lost ? " (lost: nothing committed)" : "");
}

/* Where the jobs in memory are, for operators (every 10 s while there are some). */
static void loop_log_state(const struct loop *lp)
{
	int paused = 0;

	for (const struct cpart *cp = lp->ct.parts; cp != NULL; cp = cp->link)
		paused += cp->paused;
	log_info("dispatch.state", "%zu job(s) in memory: %zu queued, %d in flight, %zu to flush, "
	         "%d check(s) and %d record(s) at PostgreSQL, %s acks awaited; %d partition(s) "
	         "paused; %lu sent so far", lp->live, lp->sc.waiting, send_inflight(&lp->sc),
	         lp->sc.ndone, lp->checking, lp->recording, lp->acking ? "some" : "no", paused,
	         lp->sent_total);
}

/* Time-driven upkeep: flush, commit, rates, channel settings. 0 or -1 (drain deadline). */
static int loop_upkeep(struct loop *lp, int64_t now)
{
	bool tick = now - lp->last_tick >= LOOP_TICK_MS;

	if (loop_db_results(lp, false) != 0)
		return -1;
	if (lp->sc.ndone > 0 && lp->recording < 2 &&
	    (lp->sc.ndone >= (size_t)lp->cfg->batch_size || now - lp->last_flush >= lp->cfg->flush_ms))
		loop_flush(lp);
	if (lp->acking != NULL)
		loop_acks(lp, 0);
	if (now - lp->last_commit >= LOOP_COMMIT_MS)
		loop_commit(lp, false);
	if (tick) {
		lp->last_tick = now;
		snd_tick(&lp->sc.senders, now);
		if (lp->live > 0 && now - lp->last_state >= 10000) {
			loop_log_state(lp);
			lp->last_state = now;
		}
		stats_in_memory((long)lp->live);
		if (!creds_fresh(lp->creds, LOOP_CREDS_MAX_AGE) && creds_load(lp->creds, lp->svc->db) != 0)
			log_warn("dispatch.creds_stale", "channel settings not re-read (PostgreSQL)");
	}
	flow_apply(&lp->flow, lp->urgent_live > 0 || (lp->urgent_seen_ms != 0 &&
	                                           now - lp->urgent_seen_ms < LOOP_URGENT_LINGER),
	           now, tick);
	return 0;
}

/* true if nothing is under way but waiting for Kafka. */
static bool loop_idle(const struct loop *lp)
{
	return send_inflight(&lp->sc) == 0 && lp->sc.ndone == 0 && lp->acking == NULL &&
	       lp->checking == 0 && lp->recording == 0;
}

/* Jobs whose claims must be confirmed (a heartbeat gap) go to be checked with the turn's new ones. */
static void loop_rechecks(struct loop *lp)
{
	struct job_slot *slot;

	while ((slot = TAILQ_FIRST(&lp->sc.recheck)) != NULL) {
		TAILQ_REMOVE(&lp->sc.recheck, slot, link);
		lp->sc.nrecheck--;
		slot->state = SLOT_PENDING;
		batch_push(&lp->fresh, slot);
	}
}

/* One turn while running. 0, or -1 if PostgreSQL/Kafka stayed down to the drain deadline. */
static int loop_turn(struct loop *lp)
{
	long wait = send_pump(&lp->sc, clock_mono_ms());

	if (loop_idle(lp)) {
		/* Nothing out: wait on Kafka instead of curl. */
		(void)loop_intake(lp, (int)(wait < LOOP_IDLE_WAIT_MS ? wait : LOOP_IDLE_WAIT_MS));
		if (lp->fresh.n == 0)
			(void)loop_intake_urgent(lp);
	} else {
		send_poll(&lp->sc, wait > 2 ? 2 : (int)wait);
		/* Take more when the queues run low (one query per many jobs), so
		 * that the next jobs are checked before the queued ones are sent;
		 * urgent jobs at once. */
		bool can_check = lp->checking < LOOP_CHECKS_MAX;
		if (can_check && lp->sc.waiting + lp->checking_jobs < 2 * (size_t)lp->cfg->batch_size)
			(void)loop_intake(lp, 0);
		else if (can_check)
			(void)loop_intake_urgent(lp);
	}
	loop_due(lp, clock_mono_ms());
	loop_rechecks(lp);
	if (lp->fresh.n > 0)
		loop_submit_check(lp);
	return loop_upkeep(lp, clock_mono_ms());
}

/* Shutdown: queued jobs are left to the next owner, the rest finished and made durable. */
static int loop_drain(struct loop *lp)
{
	struct slot_list abandoned = TAILQ_HEAD_INITIALIZER(abandoned);
	struct job_slot *slot;
	size_t n = 0;
	int rc = 0;

	send_abandon(&lp->sc, &abandoned);
	while ((slot = TAILQ_FIRST(&abandoned)) != NULL) {
		TAILQ_REMOVE(&abandoned, slot, link);
		loop_dispose(lp, slot, false);
		n++;
	}
	for (size_t i = 0; i < lp->later.n; i++, n++)   /* not due: not started either */
		loop_dispose(lp, lp->later.v[i], false);
	lp->later.n = 0;
	for (size_t i = 0; i < lp->fresh.n; i++, n++)   /* taken, not checked */
		loop_dispose(lp, lp->fresh.v[i], false);
	lp->fresh.n = 0;
	while (rc == 0 && (send_inflight(&lp->sc) > 0 || lp->checking > 0 || lp->recording > 0 ||
	                   lp->sc.ndone > 0 || lp->acking != NULL)) {
		if (drain_expired(&lp->drain))
			break;
		send_poll(&lp->sc, 10);
		send_abandon(&lp->sc, &abandoned);   /* jobs put back (401) are not retried now */
		while ((slot = TAILQ_FIRST(&abandoned)) != NULL) {
			TAILQ_REMOVE(&abandoned, slot, link);
			loop_dispose(lp, slot, false);
			n++;
		}
		rc = loop_db_results(lp, true);
		if (lp->sc.ndone > 0 && lp->recording == 0)
			loop_flush(lp);
		if (lp->acking != NULL)
			loop_acks(lp, 10);
	}
	if (lp->acking != NULL || lp->recording > 0 || lp->sc.ndone > 0) {
		log_error("dispatch.step_abandoned", "PostgreSQL or Kafka still failing at the drain "
		          "deadline; the last jobs are left uncommitted");
		rc = -1;
	}
	loop_commit(lp, true);
	log_info("dispatch.drained", "%zu queued job(s) left for the next owner, %d request(s) "
	         "still out at the deadline", n, send_inflight(&lp->sc));
	return rc;
}

int loop_run(struct loop *lp)
{
	int rc = 0;

	log_info("dispatch.ready", "up to %ld jobs in memory, %ld in flight (%ld per sender), "
	         "%ld attempts, rate limits %s, to %s and %s", lp->cfg->max_jobs,
	         lp->cfg->max_inflight, lp->cfg->sender_inflight, lp->cfg->max_attempts,
	         lp->cfg->rate_limit ? "on" : "OFF", lp->cfg->wa_api_base, lp->cfg->tg_api_base);
	lp->last_flush = lp->last_commit = lp->last_tick = clock_mono_ms();
	while (!shutdown_requested() && rc == 0)
		rc = loop_turn(lp);
	if (rc == 0)
		rc = loop_drain(lp);
	log_info("dispatch.summary", "%lu job(s) sent by this process", lp->sent_total);
	return rc;
}
