/*
 * The dispatcher's pipeline, on the main thread, one turn at a time:
 *   intake:  take what Kafka has (delivery.jobs.urgent first, from its
 *            own consumer; then delivery.jobs, .retry and .parked) while
 *            fewer than BND_MAX_JOBS jobs are in memory; decode (what is
 *            no job -> poison, quarantined) and route (loop_intake.c):
 *            a cancelled notice's job is stopped; a paused notice's, one
 *            not due within a second, or one its sender cannot send soon
 *            is deferred to the backlog (backlog.h)
 *   check:   on a PostgreSQL thread (pgw.h): drop duplicates, claim in
 *            the ledger (already done -> recorded outcome re-emitted;
 *            held by a live dispatcher -> looked at again in a second),
 *            consent and cancelled notices, validation, messaging limit
 *            (reach.h): one query per step for everything taken in the
 *            turn; then credentials
 *   queue:   each job on its sender's queue (sender.h) within its budget;
 *            send.h starts what each sender's limits allow, so senders
 *            never wait for one another; the backlog is read back as
 *            queues drain (loop_place.c)
 *   flush:   finished jobs, every BND_FLUSH_MS: outcomes recorded in
 *            PostgreSQL (on a second pgw thread) and produced, retries
 *            re-produced to delivery.jobs.retry, dead letters to
 *            delivery.dead, poison to the quarantine topic, deferred
 *            jobs written to the backlog
 *   commit:  per partition, up to the first job not yet flushed (ctrack.h)
 *   stop:    a watch thread (stopwatch.h) names paused and cancelled
 *            notices; their queued jobs are deferred or stopped
 *   rebalance: partitions being revoked give their queued jobs back
 *            (claims released), finish what is in flight, commit, and
 *            only then go (kafka.h's hooks).
 * A step that needs PostgreSQL or Kafka is retried with backoff until it
 * succeeds: offsets move only past jobs whose effects are durable. Only
 * the slot holding a job's claim sends it, and only while the instance
 * is fresh (instance.h).
 */
#ifndef DSP_LOOP_H
#define DSP_LOOP_H

struct dsp_cfg;
struct instance;
struct service;
struct loop;

/* inst: this process's instance, the holder of its claims (instance.h). */
struct loop *loop_new(const struct dsp_cfg *cfg, struct service *svc, const struct instance *inst);
void loop_free(struct loop *lp);
/* Runs until shutdown. 0 after a clean stop, -1 if finished jobs could
 * not be made durable before the drain deadline (left uncommitted). */
int loop_run(struct loop *lp);

#endif
