/* The delivery.status consumer; see status.h. */
#include "status.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banditore.pb-c.h"
#include "clock.h"
#include "health.h"
#include "log.h"
#include "metrics.h"
#include "pgarr.h"
#include "quarantine.h"
#include "shutdown.h"
#include "worker.h"
#include "xmalloc.h"

/* Longest wait for more statuses before applying a partial batch. */
#define STATUS_LINGER_MS 50
#define STATUS_MAX_BATCH 5000

static struct metric m_status = METRIC_COUNTER("bnd_composer_statuses_total",
                                               "provider status webhooks consumed");
static struct metric m_applied = METRIC_COUNTER("bnd_composer_statuses_applied_total",
                                                "ledger rows moved forward by a status");

struct status_loop {
	struct composer *cmp;
	struct kq_consumer *kc;
	struct db *db;
	pthread_t thread;
	atomic_bool stopping;
	rd_kafka_message_t **msgs;
	bool *aside;            /* msgs[i] set aside already (quarantined) */
	long n, cap;
};

/* A status the ledger can take, or NULL (caller frees a non-NULL one). */
static Banditore__V1__DeliveryStatus *status_decode(const rd_kafka_message_t *msg)
{
	Banditore__V1__DeliveryStatus *ds =
	    banditore__v1__delivery_status__unpack(NULL, msg->len, msg->payload);

	if (ds != NULL && (ds->provider_message_id == NULL || *ds->provider_message_id == '\0' ||
	                   ds->status == NULL)) {
		banditore__v1__delivery_status__free_unpacked(ds, NULL);
		ds = NULL;
	}
	return ds;
}

/* Statuses msgs[lo, hi) as parallel arrays, applied in one statement. 0 or -1. */
static int status_apply(struct status_loop *st, long lo, long hi)
{
	struct pgarr col[5] = { { 0 } };   /* ids, statuses, codes, details, jobs */
	long used = 0;
	PGresult *res;

	for (long i = lo; i < hi; i++) {
		Banditore__V1__DeliveryStatus *ds = st->aside[i] ? NULL : status_decode(st->msgs[i]);
		if (ds == NULL)
			continue;
		pgarr_add(&col[0], ds->provider_message_id);
		pgarr_add(&col[1], ds->status);
		pgarr_add_int(&col[2], ds->error_code, ds->error_code == 0);
		pgarr_add(&col[3], ds->error_title != NULL && *ds->error_title != '\0' ?
		                       ds->error_title : NULL);
		pgarr_add(&col[4], ds->job_id != NULL && *ds->job_id != '\0' ? ds->job_id : NULL);
		used++;
		banditore__v1__delivery_status__free_unpacked(ds, NULL);
	}
	if (used == 0) {
		pgarr_free(col, 5);
		return 0;
	}
	res = pgarr_exec(st->db, "SELECT delivery_status_apply_jobs($1::text[], $2::text[], "
	                         "$3::integer[], $4::text[], $5::text[])", col, 5);
	if (res == NULL)
		return -1;
	metric_add(&m_status, used);
	metric_add(&m_applied, atol(PQgetvalue(res, 0, 0)));
	log_debug("status.applied", "%ld statuses, %s ledger rows moved", used,
	          PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Stores the batch's offsets, commits in the background, empties it. */
static void status_done(struct status_loop *st)
{
	for (long i = 0; i < st->n; i++) {
		kq_store(st->kc, st->msgs[i]);
		rd_kafka_message_destroy(st->msgs[i]);
		st->aside[i] = false;
	}
	st->n = 0;
	kq_commit_async(st->kc);
}

/* Quarantines msgs[i] (once); 0, or -1 if Kafka did not take it. */
static int status_set_aside(struct status_loop *st, long i, const char *why)
{
	if (st->aside[i])
		return 0;
	if (qn_put(st->cmp->svc.qn, st->msgs[i], why) != 0)
		return -1;
	st->aside[i] = true;
	return 0;
}

/* Sets aside the batch's statuses that cannot be decoded. 0 or -1. */
static int status_sift(struct status_loop *st)
{
	for (long i = 0; i < st->n; i++) {
		Banditore__V1__DeliveryStatus *ds = st->aside[i] ? NULL : status_decode(st->msgs[i]);
		if (ds != NULL)
			banditore__v1__delivery_status__free_unpacked(ds, NULL);
		else if (status_set_aside(st, i, "not a valid DeliveryStatus (undecodable, or "
		                                 "without a message id or status)") != 0)
			return -1;
	}
	return 0;
}

/*
 * The batch failed for a reason of its data: each status is applied on
 * its own, and one PostgreSQL refuses is set aside. 0, or -1 if
 * PostgreSQL or Kafka failed meanwhile (the batch is tried again later;
 * statuses already applied apply again harmlessly).
 */
static int status_one_by_one(struct status_loop *st)
{
	for (long i = 0; i < st->n; i++) {
		char why[QN_WHY_MAX];
		if (st->aside[i] || status_apply(st, i, i + 1) == 0)
			continue;
		if (db_fault(st->db) != DB_FAULT_DATA && db_fault(st->db) != DB_FAULT_OTHER)
			return -1;
		snprintf(why, sizeof(why), "PostgreSQL refused it: %s", db_error(st->db));
		if (status_set_aside(st, i, why) != 0)
			return -1;
	}
	return 0;
}

/* Applies the batch: 0 once every status is applied or set aside, -1 to retry. */
static int status_handle(struct status_loop *st, struct qn_repeat *rep)
{
	if (status_sift(st) != 0)
		return -1;
	if (status_apply(st, 0, st->n) == 0)
		return 0;
	if (db_fault(st->db) == DB_FAULT_DATA ||
	    qn_repeat_poison(st->cmp->svc.qn, rep,
	                     db_fault(st->db) == DB_FAULT_OTHER ? db_error(st->db) : NULL))
		return status_one_by_one(st);
	return -1;
}

/* Fills the batch: waits for a first message, then lingers briefly. */
static void status_fill(struct status_loop *st)
{
	int64_t until = 0;

	while (st->n < st->cap && !atomic_load(&st->stopping)) {
		int wait = st->n == 0 ? 100 : (int)(until - clock_mono_ms());
		rd_kafka_message_t *msg;

		if (st->n > 0 && wait <= 0)
			break;
		msg = kq_consume(st->kc, wait);
		if (msg == NULL) {
			if (st->n > 0)
				break;
			continue;
		}
		if (st->n == 0)
			until = clock_mono_ms() + STATUS_LINGER_MS;
		st->msgs[st->n++] = msg;
	}
}

/* The thread: fill, apply (retrying with backoff), commit. */
static void *status_main(void *arg)
{
	struct status_loop *st = arg;

	int beat = health_beat_slot("status");

	while (!atomic_load(&st->stopping) && !shutdown_requested()) {
		struct qn_repeat rep;
		unsigned tries = 0;
		int rc;

		health_beat(beat);
		status_fill(st);
		if (st->n == 0)
			continue;
		qn_repeat_reset(&rep);
		while ((rc = status_handle(st, &rep)) != 0 && !atomic_load(&st->stopping)) {
			log_warn("status.retry", "%ld statuses not applied; retrying", st->n);
			shutdown_sleep_ms(worker_backoff_ms(tries++));
			health_beat(beat);
		}
		if (rc != 0)
			break;   /* not applied: left uncommitted for the next owner */
		status_done(st);
	}
	for (long i = 0; i < st->n; i++)
		rd_kafka_message_destroy(st->msgs[i]);
	st->n = 0;
	return NULL;
}

struct status_loop *status_start(struct composer *cmp)
{
	static const char *const topics[] = { TOPIC_DELIVERY_STATUS, NULL };
	const struct common_cfg *cfg = cmp->svc.cfg;
	struct status_loop *st = xcalloc(1, sizeof(*st));
	char err[512];

	metrics_register(&m_status);
	metrics_register(&m_applied);
	st->cmp = cmp;
	st->cap = cmp->status_batch > STATUS_MAX_BATCH ? STATUS_MAX_BATCH : cmp->status_batch;
	st->msgs = xcalloc((size_t)st->cap, sizeof(*st->msgs));
	st->aside = xcalloc((size_t)st->cap, sizeof(*st->aside));
	st->kc = kq_consumer_new(cfg->kafka_brokers, cfg->topic_prefix, cmp->status_group, topics,
	                         NULL, err, sizeof(err));
	if (st->kc == NULL) {
		log_error("status.start_failed", "delivery.status consumer: %s", err);
		goto failed;
	}
	st->db = db_new(cfg->pg_dsn);
	atomic_init(&st->stopping, false);
	if (pthread_create(&st->thread, NULL, status_main, st) != 0) {
		log_error("status.start_failed", "cannot start the status thread");
		goto failed;
	}
	return st;
failed:
	kq_consumer_free(st->kc);
	db_free(st->db);
	free(st->msgs);
	free(st->aside);
	free(st);
	return NULL;
}

void status_stop(struct status_loop *st)
{
	if (st == NULL)
		return;
	atomic_store(&st->stopping, true);
	pthread_join(st->thread, NULL);
	kq_consumer_free(st->kc);
	db_free(st->db);
	free(st->msgs);
	free(st->aside);
	free(st);
}
