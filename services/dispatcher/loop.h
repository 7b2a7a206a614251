/*
 * The dispatcher's pipeline, on the main thread, one turn at a time:
 *   intake:  take what Kafka has (delivery.jobs.urgent first, from its
 *            own consumer; then delivery.jobs and .retry) while fewer
 *            than BND_MAX_JOBS jobs are in memory and the queues run low
 *   check:   on a PostgreSQL thread (dbw.h): decode (undecodable ->
 *            delivery.dead), drop duplicates, claim in the ledger (already
 *            done -> recorded outcome re-emitted; held by a live
 *            dispatcher -> looked at again in a second), consent and
 *            cancelled notices, validation, messaging limit (reach.h): one
 *            query per step for everything taken in the turn; then
 *            credentials
 *   queue:   each job on its sender's queue (sender.h); send.h starts
 *            what each sender's limits allow, so senders never wait for
 *            one another
 *   flush:   finished jobs, every BND_FLUSH_MS: outcomes recorded in
 *            PostgreSQL (on a second dbw thread) and produced, retries re-produced to
 *            delivery.jobs.retry, dead letters to delivery.dead
 *   commit:  per partition, up to the first job not yet flushed (ctrack.h)
 *   flow:    partitions paused while a job of theirs waits for its time,
 *            while one of their senders has a full queue, or (normal
 *            topics) while urgent jobs are pending; resumed after.
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
