/* The batch cycle: collect, check, send, record, produce, commit. */
#include "loop.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "clock.h"
#include "creds.h"
#include "dispatcher.h"
#include "kafka.h"
#include "ledger.h"
#include "log.h"
#include "outcome.h"
#include "send.h"
#include "service.h"
#include "shutdown.h"
#include "pclient.h"
#include "stats.h"
#include "tg_client.h"
#include "wa_client.h"
#include "worker.h"
#include "xmalloc.h"

#define LOOP_FIRST_WAIT_MS   200     /* wait for a batch's first job (then check shutdown) */
#define LOOP_NEXT_WAIT_MS    20      /* a batch is complete after this long without a job */
#define LOOP_CREDS_MAX_AGE   (5 * 60 * 1000)
#define LOOP_NOT_BEFORE_MAX  60000   /* longest wait for a job's not_before (ms) */
#define LOOP_COMMIT_TRIES    3

struct loop {
	const struct dsp_cfg *cfg;
	struct service       *svc;
	struct pclient       *cl;
	struct creds         *creds;
	struct batch          batch;
	struct drain          drain;
};

struct loop *loop_new(const struct dsp_cfg *cfg, struct service *svc)
{
	struct loop *lp = xcalloc(1, sizeof(*lp));

	lp->cfg = cfg;
	lp->svc = svc;
	lp->drain.timeout_ms = cfg->c.drain_timeout_ms;
	lp->creds = creds_new();
	lp->cl = pc_new(cfg->max_inflight, cfg->http_timeout_ms);
	if (lp->cl == NULL) {
		creds_free(lp->creds);
		free(lp);
		return NULL;
	}
	return lp;
}

void loop_free(struct loop *lp)
{
	if (lp == NULL)
		return;
	batch_free(&lp->batch);
	pc_free(lp->cl);
	creds_free(lp->creds);
	free(lp);
}

/* Fills the batch: waits briefly for a first job, then takes what keeps coming. */
static size_t loop_collect(struct loop *lp)
{
	struct kq_consumer *kc = lp->svc->kc;
	rd_kafka_message_t *msg = kq_consume(kc, LOOP_FIRST_WAIT_MS);

	if (msg == NULL)
		return 0;
	batch_add(&lp->batch, msg);
	while (lp->batch.n < (size_t)lp->cfg->batch_size && !shutdown_requested()) {
		msg = kq_consume(kc, LOOP_NEXT_WAIT_MS);
		if (msg == NULL)
			break;
		batch_add(&lp->batch, msg);
	}
	return lp->batch.n;
}

/* Unpacks every job; what cannot be read (or has no id) goes to delivery.dead as is. */
static void loop_decode(struct loop *lp)
{
	for (size_t i = 0; i < lp->batch.n; i++) {
		struct job_slot *slot = &lp->batch.slots[i];
		const rd_kafka_message_t *msg = slot->msg;
		slot->job = banditore__v1__delivery_job__unpack(NULL, msg->len, msg->payload);
		if (slot->job != NULL && slot->job->job_id[0] != '\0')
			continue;
		if (slot->job != NULL)
			banditore__v1__delivery_job__free_unpacked(slot->job, NULL);
		slot->job = NULL;
		log_warn("dispatch.undecodable", "%s [%d] offset %lld: not a DeliveryJob, dead-lettered",
		         rd_kafka_topic_name(msg->rkt), (int)msg->partition, (long long)msg->offset);
		slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, 0, NULL, "undecodable",
		            "undecodable");
	}
}

/* qsort order: by job id, then by position in the batch. */
static int loop_cmp_job(const void *a, const void *b)
{
	const struct job_slot *x = *(struct job_slot *const *)a, *y = *(struct job_slot *const *)b;
	int c = strcmp(x->job->job_id, y->job->job_id);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

/* Marks a job id's second and later occurrences in the batch: the first does the work. */
static void loop_dedupe(struct loop *lp)
{
	struct job_slot **v = xcalloc(lp->batch.n, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < lp->batch.n; i++)
		if (lp->batch.slots[i].job != NULL)
			v[n++] = &lp->batch.slots[i];
	qsort(v, n, sizeof(*v), loop_cmp_job);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i]->job->job_id, v[i - 1]->job->job_id) != 0)
			continue;
		v[i]->dup = true;
		v[i]->state = SLOT_DONE;
		log_info("dispatch.duplicate", "job %s twice in one batch: sent once", v[i]->job->job_id);
	}
	free(v);
}

/* true if a sender id is safe in a URL path (digits for WhatsApp and Telegram). */
static bool loop_sender_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* Checks what can be checked without the network; builds request bodies. */
static void loop_validate(struct loop *lp)
{
	char err[160], detail[200];

	for (size_t i = 0; i < lp->batch.n; i++) {
		struct job_slot *slot = &lp->batch.slots[i];
		const Banditore__V1__DeliveryJob *job = slot->job;
		if (slot->state != SLOT_PENDING || slot->dup)
			continue;
		if (job->kind != BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP &&
		    job->kind != BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM) {
			/* Kept on delivery.dead to be replayed when the channel is supported. */
			snprintf(detail, sizeof(detail), "unsupported_kind: %s",
			         channel_kind_name(job->kind));
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, 0, NULL, detail,
			            "unsupported_kind");
			continue;
		}
		if (!loop_sender_ok(job->sender_account)) {
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED, 0, NULL,
			            "invalid_sender: sender_account is not a phone-number or bot id", NULL);
			continue;
		}
		if (job->kind == BANDITORE__V1__CHANNEL_KIND__CHANNEL_TELEGRAM)
			slot->body = tg_request_build(job, err, sizeof(err));
		else
			slot->body = wa_request_build(job, err, sizeof(err));
		if (slot->body == NULL) {
			log_warn("dispatch.invalid_job", "job %s: %s", job->job_id, err);
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_FAILED, 0, NULL, err, NULL);
		}
	}
}

/* PostgreSQL step: jobs already in the ledger (0 or -1, like every step_*). */
static int step_find_done(struct loop *lp)
{
	return ledger_find_done(lp->svc->db, lp->batch.slots, lp->batch.n);
}

/* PostgreSQL step: consent still active. */
static int step_consent(struct loop *lp)
{
	return ledger_check_consent(lp->svc->db, lp->batch.slots, lp->batch.n);
}

/* PostgreSQL step: the batch's outcomes. */
static int step_record(struct loop *lp)
{
	return ledger_record(lp->svc->db, lp->batch.slots, lp->batch.n);
}

/* Loads channel tokens if a job needs one we don't know (or they are old). */
static int step_creds(struct loop *lp)
{
	bool need = !creds_fresh(lp->creds, LOOP_CREDS_MAX_AGE);

	for (size_t i = 0; i < lp->batch.n && !need; i++) {
		const struct job_slot *slot = &lp->batch.slots[i];
		need = slot->state == SLOT_PENDING && !slot->dup &&
		       !creds_known(lp->creds, slot->job->channel_id);
	}
	return need ? creds_load(lp->creds, lp->svc->db) : 0;
}

/* Runs a PostgreSQL step until it succeeds; -1 if the drain deadline passes first. */
static int loop_db_step(struct loop *lp, const char *what, int (*step)(struct loop *))
{
	for (unsigned n = 0; step(lp) != 0; n++) {
		if (drain_expired(&lp->drain)) {
			log_error("dispatch.step_abandoned", "%s: PostgreSQL still failing at the "
			          "drain deadline; batch left uncommitted", what);
			return -1;
		}
		log_warn("dispatch.step_retry", "%s failed (PostgreSQL), retry %u", what, n + 1);
		drain_pause(&lp->drain, worker_backoff_ms(n));
	}
	return 0;
}

/* Jobs that passed every check get their first send time. */
static void loop_schedule(struct loop *lp)
{
	int64_t now = clock_mono_ms(), wall = clock_wall_ms();

	for (size_t i = 0; i < lp->batch.n; i++) {
		struct job_slot *slot = &lp->batch.slots[i];
		int64_t wait;
		if (slot->state != SLOT_PENDING || slot->dup)
			continue;
		if (!creds_known(lp->creds, slot->job->channel_id)) {
			slot_finish(slot, BANDITORE__V1__OUTCOME_STATUS__OUTCOME_DEAD, 0, NULL,
			            "no_credentials: unknown channel", "no_credentials");
			continue;
		}
		wait = slot->job->not_before_ms > wall ? slot->job->not_before_ms - wall : 0;
		slot->state = SLOT_WAITING;
		slot->next_at_ms = now + (wait < LOOP_NOT_BEFORE_MAX ? wait : LOOP_NOT_BEFORE_MAX);
	}
}

/* Produces outcomes until the broker acknowledged them all; -1 at the drain deadline. */
static int loop_produce(struct loop *lp)
{
	for (unsigned n = 0; outcome_produce(lp->svc->kp, lp->batch.slots, lp->batch.n) != 0; n++) {
		if (drain_expired(&lp->drain)) {
			log_error("dispatch.step_abandoned", "outcomes: Kafka still failing at the "
			          "drain deadline; batch left uncommitted");
			return -1;
		}
		drain_pause(&lp->drain, worker_backoff_ms(n));
	}
	return 0;
}

/* true if slot's partition already appears in parts[0..n). */
static bool loop_part_in(const rd_kafka_message_t *msg, const rd_kafka_message_t **parts,
                         size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (parts[i]->partition == msg->partition &&
		    strcmp(rd_kafka_topic_name(parts[i]->rkt), rd_kafka_topic_name(msg->rkt)) == 0)
			return true;
	return false;
}

/*
 * Stores the offsets of every finished message, except past an abandoned
 * one in the same partition (its successors wait for the next owner too),
 * then commits.
 */
static void loop_commit(struct loop *lp)
{
	const rd_kafka_message_t **blocked = xcalloc(lp->batch.n, sizeof(*blocked));
	size_t nblocked = 0;

	for (size_t i = 0; i < lp->batch.n; i++) {
		const struct job_slot *slot = &lp->batch.slots[i];
		if (loop_part_in(slot->msg, blocked, nblocked))
			continue;
		if (slot->state == SLOT_DONE)
			kq_store(lp->svc->kc, slot->msg);
		else
			blocked[nblocked++] = slot->msg;
	}
	free(blocked);
	for (int t = 0; t < LOOP_COMMIT_TRIES; t++) {
		if (kq_commit(lp->svc->kc) == 0)
			return;
		drain_pause(&lp->drain, worker_backoff_ms((unsigned)t));
	}
	/* Stored offsets go with the next commit; a new owner would skip done jobs anyway. */
	log_warn("dispatch.commit_deferred", "commit failed %d times", LOOP_COMMIT_TRIES);
}

/* One line per batch for operators. */
static void loop_summary(const struct loop *lp, int64_t started)
{
	size_t c[5] = { 0 }, dup = 0, replay = 0, abandoned = 0;

	for (size_t i = 0; i < lp->batch.n; i++) {
		const struct job_slot *slot = &lp->batch.slots[i];
		if (slot->dup)
			dup++;
		else if (slot->replay)
			replay++;
		else if (slot->state == SLOT_ABANDONED)
			abandoned++;
		else if ((unsigned)slot->outcome < 5)
			c[slot->outcome]++;
	}
	log_info("dispatch.batch", "%zu job(s) in %lld ms: sent %zu, failed %zu, skipped %zu, "
	         "dead %zu, already done %zu, duplicate %zu, abandoned %zu", lp->batch.n,
	         (long long)(clock_mono_ms() - started), c[1], c[2], c[3], c[4], replay, dup,
	         abandoned);
}

/* One whole batch. 0, or -1 if it could not be made durable before the drain deadline. */
static int loop_batch(struct loop *lp)
{
	struct send_ctx sc = { lp->cl, lp->creds, lp->svc->db, &lp->drain,
	                       (unsigned)lp->cfg->max_attempts, lp->cfg->wa_api_base,
	                       lp->cfg->tg_api_base };
	int64_t started = clock_mono_ms();

	loop_decode(lp);
	loop_dedupe(lp);
	if (loop_db_step(lp, "ledger check", step_find_done) != 0 ||
	    loop_db_step(lp, "consent check", step_consent) != 0)
		return -1;
	loop_validate(lp);
	if (loop_db_step(lp, "credentials", step_creds) != 0)
		return -1;
	loop_schedule(lp);
	send_run(&sc, lp->batch.slots, lp->batch.n);
	if (loop_db_step(lp, "recording", step_record) != 0 || loop_produce(lp) != 0)
		return -1;
	stats_outcomes(lp->batch.slots, lp->batch.n);
	loop_commit(lp);
	loop_summary(lp, started);
	return 0;
}

int loop_run(struct loop *lp)
{
	int rc = 0;

	log_info("dispatch.ready", "batches of up to %ld, %ld in flight, %ld attempts, to %s "
	         "and %s", lp->cfg->batch_size, lp->cfg->max_inflight, lp->cfg->max_attempts,
	         lp->cfg->wa_api_base, lp->cfg->tg_api_base);
	while (!shutdown_requested() && rc == 0) {
		if (loop_collect(lp) == 0)
			continue;
		rc = loop_batch(lp);
		batch_clear(&lp->batch);
	}
	return rc;
}
