/* The pipeline's turn and lifecycle (loop.h, loop_impl.h). */
#include "loop.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "creds.h"
#include "health.h"
#include "instance.h"
#include "log.h"
#include "loop_impl.h"
#include "pclient.h"
#include "shutdown.h"
#include "stats.h"
#include "stopwatch.h"
#include "xmalloc.h"

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

/* Frees what loop_new made; NULL members are allowed. */
static void loop_release(struct loop *lp)
{
	sw_stop(lp->sw);
	pgw_stop(lp->pgw_check);
	pgw_stop(lp->pgw_rec);
	kq_consumer_free(lp->kc_urgent);
	pc_free(lp->cl);
	creds_free(lp->creds);
	free(lp->t_jobs);
	free(lp->t_urgent);
	free(lp);
}

struct loop *loop_new(const struct dsp_cfg *cfg, struct service *svc, const struct instance *inst)
{
	struct loop *lp = xcalloc(1, sizeof(*lp));
	const char *prefix = cfg->c.topic_prefix ? cfg->c.topic_prefix : "";
	struct kq_hooks hooks = { loop_on_assigned, loop_on_revoked, lp };

	lp->cfg = cfg;
	lp->svc = svc;
	lp->inst = inst;
	lp->drain.timeout_ms = cfg->c.drain_timeout_ms;
	lp->t_jobs = xasprintf("%s%s", prefix, TOPIC_DELIVERY_JOBS);
	lp->t_urgent = xasprintf("%s%s", prefix, TOPIC_DELIVERY_URGENT);
	lp->creds = creds_new();
	lp->cl = pc_new(cfg->max_inflight, cfg->http_timeout_ms, cfg->ca_file);
	lp->pgw_check = pgw_start(cfg->c.pg_dsn, cfg->c.drain_timeout_ms, inst, svc->qn);
	lp->pgw_rec = pgw_start(cfg->c.pg_dsn, cfg->c.drain_timeout_ms, inst, svc->qn);
	lp->sw = sw_start(cfg->c.pg_dsn, cfg->stop_poll_ms, inst);
	lp->kc_urgent = loop_urgent_consumer(cfg);
	if (lp->cl == NULL || lp->pgw_check == NULL || lp->pgw_rec == NULL || lp->sw == NULL ||
	    lp->kc_urgent == NULL) {
		loop_release(lp);
		return NULL;
	}
	send_init(&lp->sc, cfg, lp->cl, lp->creds, svc->db, inst);
	stats_senders_register(&lp->sc.senders);
	lp->acking_tail = &lp->acking;
	kq_consumer_hooks(svc->kc, &hooks);
	kq_consumer_hooks(lp->kc_urgent, &hooks);
	return lp;
}

void loop_free(struct loop *lp)
{
	struct job_slot *slot;

	if (lp == NULL)
		return;
	kq_consumer_hooks(lp->svc->kc, NULL);   /* the consumer outlives the loop */
	kq_consumer_hooks(lp->kc_urgent, NULL);
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
	send_fini(&lp->sc);
	batch_free(&lp->fresh);
	for (size_t i = 0; i < lp->later.n; i++)
		slot_free(lp->later.v[i]);
	batch_free(&lp->later);
	ctrack_free(&lp->ct);
	hmap_free(&lp->claims);
	hmap_free(&lp->from_backlog);
	loop_release(lp);
}

/* Where the jobs in memory are, for operators (every 10 s while there are some). */
static void loop_log_state(const struct loop *lp)
{
	long backlog = 0;

	for (const struct sender *snd = lp->sc.senders.list; snd != NULL; snd = snd->link)
		backlog += snd->owned ? snd->backlog_total : 0;
	log_info("dispatch.state", "%zu job(s) in memory: %zu queued, %d in flight, %zu to flush, "
	         "%d check(s) and %d record(s) at PostgreSQL, %s acks awaited; %ld deferred in "
	         "our senders' backlog; %lu sent, %lu deferred so far", lp->live, lp->sc.waiting,
	         send_inflight(&lp->sc), lp->sc.ndone, lp->checking, lp->recording,
	         lp->acking ? "some" : "no", backlog, lp->sent_total, lp->deferred_total);
}

/* The senders' state for sender_state (the owned ones, and any with work here). */
static void loop_sender_states(struct loop *lp)
{
	struct sw_sender *v = xcalloc(lp->sc.senders.n + 1, sizeof(*v));
	size_t n = 0;

	for (const struct sender *snd = lp->sc.senders.list; snd != NULL; snd = snd->link) {
		if (!snd->owned && snd->queued == 0)
			continue;
		v[n++] = (struct sw_sender){ snd->channel_id, snd->ar.cur, (long)sender_load(snd),
			                     snd->backlog_total, snd->halted };
	}
	sw_senders(lp->sw, v, n);
	free(v);
}

/* Once a second: rates, the state log, channel settings, the senders' state. */
static void loop_tick(struct loop *lp, int64_t now)
{
	lp->last_tick = now;
	sender_tick(&lp->sc.senders, now);
	if (lp->live > 0 && now - lp->last_state >= 10000) {
		loop_log_state(lp);
		lp->last_state = now;
	}
	stats_in_memory((long)lp->live);
	if (!creds_fresh(lp->creds, LOOP_CREDS_MAX_AGE) && creds_load(lp->creds, lp->svc->db) != 0)
		log_warn("dispatch.creds_stale", "channel settings not re-read (PostgreSQL)");
	loop_sender_states(lp);
}

/* Time-driven upkeep: flush, commit, the backlog. 0 or -1 (drain deadline). */
static int loop_upkeep(struct loop *lp, int64_t now)
{
	if (loop_db_results(lp, false) != 0)
		return -1;
	if (lp->sc.ndone > 0 && lp->recording < 2 &&
	    (lp->sc.ndone >= (size_t)lp->cfg->batch_size || now - lp->last_flush >= lp->cfg->flush_ms))
		loop_flush(lp);
	if (lp->acking != NULL)
		loop_acks(lp, 0);
	if (now - lp->last_commit >= LOOP_COMMIT_MS)
		loop_commit(lp, false);
	if (now - lp->last_tick >= LOOP_TICK_MS)
		loop_tick(lp, now);
	if (now - lp->last_census >= LOOP_CENSUS_MS)
		loop_census(lp);
	if (now - lp->last_refill >= LOOP_REFILL_MS)
		loop_refill(lp, now);
	return 0;
}

/* true if nothing is under way but waiting for Kafka. */
static bool loop_idle(const struct loop *lp)
{
	return send_inflight(&lp->sc) == 0 && lp->sc.ndone == 0 && lp->acking == NULL &&
	       lp->checking == 0 && lp->recording == 0;
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
		 * that the next jobs are checked before the queued ones are sent,
		 * and while what is finished (or deferred) gets written; urgent
		 * jobs at once. */
		size_t batch = (size_t)lp->cfg->batch_size;
		bool can_check = lp->checking < LOOP_CHECKS_MAX;
		if (can_check && lp->sc.waiting + lp->checking_jobs < 2 * batch &&
		    lp->sc.ndone < 2 * batch)
			(void)loop_intake(lp, 0);
		else if (can_check)
			(void)loop_intake_urgent(lp);
	}
	loop_due(lp, clock_mono_ms());
	loop_rechecks(lp);
	loop_route_fresh(lp);
	if (lp->fresh.n > 0)
		loop_submit_check(lp, &lp->fresh);
	loop_stops(lp);
	return loop_upkeep(lp, clock_mono_ms());
}

/* Frees a list of slots not started (left for the next owner); how many. */
static size_t loop_leave(struct loop *lp, struct slot_list *list)
{
	struct job_slot *slot;
	size_t n = 0;

	while ((slot = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, slot, link);
		loop_dispose(lp, slot, false);
		n++;
	}
	return n;
}

/* Shutdown: queued jobs are left to the next owner, the rest finished and made durable. */
static int loop_drain(struct loop *lp)
{
	struct slot_list abandoned = TAILQ_HEAD_INITIALIZER(abandoned);
	size_t n;
	int rc = 0;

	send_abandon(&lp->sc, &abandoned);
	n = loop_leave(lp, &abandoned);
	for (size_t i = 0; i < lp->later.n; i++, n++)   /* not due: not started either */
		loop_dispose(lp, lp->later.v[i], false);
	lp->later.n = 0;
	for (size_t i = 0; i < lp->fresh.n; i++, n++)   /* taken, not checked */
		loop_dispose(lp, lp->fresh.v[i], false);
	lp->fresh.n = 0;
	while (rc == 0 && (send_inflight(&lp->sc) > 0 || lp->checking > 0 || lp->recording > 0 ||
	                   lp->census_out || lp->sc.ndone > 0 || lp->acking != NULL)) {
		if (drain_expired(&lp->drain))
			break;
		send_poll(&lp->sc, 10);
		send_abandon(&lp->sc, &abandoned);   /* jobs put back (401) are not retried now */
		n += loop_leave(lp, &abandoned);
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
	int rc = 0, beat;

	log_info("dispatch.ready", "up to %ld jobs in memory, %ld in flight (%ld per sender), "
	         "%ld attempts, rate limits %s", lp->cfg->max_jobs, lp->cfg->max_inflight,
	         lp->cfg->sender_inflight, lp->cfg->max_attempts, lp->cfg->rate_limit ? "on" : "OFF");
	for (size_t i = 0; i < prov_count(); i++)
		log_info("dispatch.provider", "%s: %s, %.0f msg/s per sender unless its channel sets "
		         "a rate", prov_nth(i)->name, lp->sc.ep[i].par.api_base, lp->sc.ep[i].par.rate);
	lp->last_flush = lp->last_commit = lp->last_tick = clock_mono_ms();
	beat = health_beat_slot("dispatch");
	while (!shutdown_requested() && rc == 0) {
		health_beat(beat);
		rc = loop_turn(lp);
	}
	if (rc == 0)
		rc = loop_drain(lp);
	log_info("dispatch.summary", "%lu job(s) sent by this process", lp->sent_total);
	return rc;
}
