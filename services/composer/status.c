/* The delivery.status consumer; see status.h. */
#include "status.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banditore.pb-c.h"
#include "clock.h"
#include "log.h"
#include "metrics.h"
#include "pgtext.h"
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
	long n, cap;
};

/* The batch's statuses as parallel arrays; applied in one statement. 0 or -1. */
static int status_apply(struct status_loop *st)
{
	struct pgtext ids, statuses, codes, details, jobs;
	const char *params[5];
	long used = 0;
	PGresult *res;
	int rc = -1;

	pgtext_init(&ids);
	pgtext_init(&statuses);
	pgtext_init(&codes);
	pgtext_init(&details);
	pgtext_init(&jobs);
	for (long i = 0; i < st->n; i++) {
		const rd_kafka_message_t *msg = st->msgs[i];
		Banditore__V1__DeliveryStatus *ds =
		    banditore__v1__delivery_status__unpack(NULL, msg->len, msg->payload);
		if (ds == NULL || ds->provider_message_id == NULL || ds->status == NULL) {
			log_warn("status.undecodable", "offset %lld is not a DeliveryStatus; skipped",
			         (long long)msg->offset);
		} else {
			pgtext_add(&ids, ds->provider_message_id);
			pgtext_add(&statuses, ds->status);
			if (ds->error_code != 0)
				pgtext_add_int(&codes, ds->error_code);
			else
				pgtext_add(&codes, NULL);
			pgtext_add(&details, ds->error_title != NULL && *ds->error_title != '\0' ?
			                         ds->error_title : NULL);
			pgtext_add(&jobs, ds->job_id != NULL && *ds->job_id != '\0' ? ds->job_id : NULL);
			used++;
		}
		if (ds != NULL)
			banditore__v1__delivery_status__free_unpacked(ds, NULL);
	}
	params[0] = pgtext_end(&ids);
	params[1] = pgtext_end(&statuses);
	params[2] = pgtext_end(&codes);
	params[3] = pgtext_end(&details);
	params[4] = pgtext_end(&jobs);
	if (used == 0) {
		rc = 0;
	} else if ((res = db_exec(st->db, "SELECT delivery_status_apply_jobs($1::text[], "
	                                  "$2::text[], $3::integer[], $4::text[], $5::text[])",
	                          5, params)) != NULL) {
		metric_add(&m_status, used);
		metric_add(&m_applied, atol(PQgetvalue(res, 0, 0)));
		log_debug("status.applied", "%ld statuses, %s ledger rows moved", used,
		          PQgetvalue(res, 0, 0));
		PQclear(res);
		rc = 0;
	}
	pgtext_free(&ids);
	pgtext_free(&statuses);
	pgtext_free(&codes);
	pgtext_free(&details);
	pgtext_free(&jobs);
	return rc;
}

/* Stores the batch's offsets, commits in the background, empties it. */
static void status_done(struct status_loop *st)
{
	for (long i = 0; i < st->n; i++) {
		kq_store(st->kc, st->msgs[i]);
		rd_kafka_message_destroy(st->msgs[i]);
	}
	st->n = 0;
	kq_commit_async(st->kc);
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

	while (!atomic_load(&st->stopping) && !shutdown_requested()) {
		unsigned tries = 0;
		int rc;

		status_fill(st);
		if (st->n == 0)
			continue;
		while ((rc = status_apply(st)) != 0 && !atomic_load(&st->stopping)) {
			log_warn("status.retry", "%ld statuses not applied; retrying", st->n);
			shutdown_sleep_ms(worker_backoff_ms(tries++));
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
	free(st);
}
