/*
 * The dispatcher's batch cycle, on the main thread:
 *   collect up to BND_BATCH_SIZE jobs (until ~20 ms pass without one)
 *   -> decode (undecodable -> delivery.dead), drop in-batch duplicates
 *   -> ledger check (already done -> re-emit recorded outcome, no send)
 *   -> consent check (revoked -> skipped) -> validation -> credentials
 *   -> send (send.h) -> record outcomes in PostgreSQL
 *   -> produce outcomes and dead letters -> store and commit offsets.
 * A step that needs PostgreSQL or Kafka is retried with backoff until it
 * succeeds: offsets are committed only after the outcomes are durable.
 */
#ifndef DSP_LOOP_H
#define DSP_LOOP_H

struct dsp_cfg;
struct service;
struct loop;

struct loop *loop_new(const struct dsp_cfg *cfg, struct service *svc);
void loop_free(struct loop *lp);
/* Runs batches until shutdown. 0 after a clean stop, -1 if the last batch
 * could not be made durable before the drain deadline (left uncommitted). */
int loop_run(struct loop *lp);

#endif
