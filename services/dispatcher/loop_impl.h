/*
 * The dispatcher's pipeline, inside: the state shared by loop*.c (one
 * concern each: loop.c the turn and its lifecycle, loop_intake.c what is
 * taken from Kafka and where it goes, loop_place.c checks and queues and
 * the backlog's read-back, loop_flush.c recording and committing,
 * loop_rebalance.c partitions coming and going). Main thread only.
 */
#ifndef DSP_LOOP_IMPL_H
#define DSP_LOOP_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "ctrack.h"
#include "pgw.h"
#include "dispatcher.h"
#include "drain.h"
#include "hmap.h"
#include "kafka.h"
#include "send.h"
#include "service.h"

#define LOOP_IDLE_WAIT_MS    20      /* wait for a job when nothing else is going on */
#define LOOP_CREDS_MAX_AGE   30000   /* channel settings (tokens, rates) re-read this often */
#define LOOP_COMMIT_MS       500     /* stored offsets committed this often */
#define LOOP_TICK_MS         1000    /* rates stepped up, states written */
#define LOOP_FLUSH_MAX       2000    /* finished jobs flushed at once at most */
#define LOOP_CHECKS_MAX      2       /* check requests out at once: one being run, one ready */
#define LOOP_BUSY_RECHECK_MS 1000    /* a job another live dispatcher holds is looked at again */
#define LOOP_CENSUS_MS       2000    /* the backlog is counted this often */
#define LOOP_REFILL_MS       100     /* senders' read-backs considered this often */

struct stopwatch;
struct instance;

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
	struct stopwatch     *sw;          /* stopped notices */
	struct hmap           claims;      /* job id -> the slot holding its claim */
	struct hmap           from_backlog; /* job id -> a slot read back from the backlog */
	struct pclient       *cl;
	struct creds         *creds;
	struct send_ctx       sc;
	struct ctrack         ct;
	struct pgw           *pgw_check;   /* PostgreSQL checks, on their own thread */
	struct pgw           *pgw_rec;     /* PostgreSQL recording, on another */
	int                   checking;    /* check (and read-back) requests out */
	size_t                checking_jobs;   /* jobs in them */
	bool                  census_out;  /* a census request is out */
	int                   recording;   /* record requests out */
	struct batch          fresh;       /* taken this turn, to be checked */
	struct batch          later;       /* due within a second, or held by a live
	                                      dispatcher: looked at again then */
	int64_t               later_next;  /* monotonic ms the first of them is due */
	struct fgroup        *acking;      /* flushed groups awaiting acks, oldest first */
	struct fgroup       **acking_tail;
	struct drain          drain;
	size_t                live;        /* jobs in memory */
	size_t                urgent_live;
	struct kq_consumer   *kc_urgent;   /* delivery.jobs.urgent, its own group */
	char                 *t_jobs;      /* full topic names */
	char                 *t_urgent;
	int64_t               last_flush, last_commit, last_tick, last_state, last_census,
	                      last_refill;
	unsigned long         sent_total, deferred_total;
};

/* loop_intake.c */
size_t loop_intake(struct loop *lp, int wait_ms);
size_t loop_intake_urgent(struct loop *lp);
void loop_due(struct loop *lp, int64_t now);
void loop_rechecks(struct loop *lp);
void loop_route_fresh(struct loop *lp);
void loop_later_push(struct loop *lp, struct job_slot *slot, int64_t at);
void loop_stops(struct loop *lp);

/* loop_place.c */
void loop_submit_check(struct loop *lp, struct batch *b);
int loop_checked(struct loop *lp, struct pgw_req *req, bool draining);
bool loop_stopped(struct loop *lp, struct job_slot *slot, int64_t wall);
void loop_refill(struct loop *lp, int64_t now);
void loop_census(struct loop *lp);
void loop_census_done(struct loop *lp, struct pgw_req *req);
size_t loop_budget(const struct loop *lp, const struct sender *snd);

/* loop_flush.c */
void loop_flush(struct loop *lp);
int loop_db_results(struct loop *lp, bool draining);
void loop_acks(struct loop *lp, int wait_ms);
void loop_commit(struct loop *lp, bool sync);
void loop_dispose(struct loop *lp, struct job_slot *slot, bool finished);
void loop_unclaim(struct loop *lp, struct job_slot *slot);
bool loop_owned(const struct job_slot *slot);

/* loop_rebalance.c */
void loop_on_assigned(void *arg, struct kq_consumer *kc,
                      const rd_kafka_topic_partition_list_t *parts);
void loop_on_revoked(void *arg, struct kq_consumer *kc,
                     const rd_kafka_topic_partition_list_t *parts, bool lost);

#endif
