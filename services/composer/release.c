/* The scheduler thread; see release.h. */
#include "release.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "fanout.h"
#include "health.h"
#include "log.h"
#include "metrics.h"
#include "quiet.h"
#include "settle.h"
#include "shutdown.h"
#include "sleeper.h"
#include "tzone.h"
#include "xmalloc.h"

/* Notices looked at per pass (more wait for the next pass). */
#define RELEASE_BATCH 100
/* Retry delay after PostgreSQL or Kafka failed. */
#define RELEASE_RETRY_MS 1000

struct release {
	struct composer *cmp;
	struct db *db;
	pthread_t thread;
	struct sleeper sl;        /* woken by release_wake */
	atomic_bool urgent;       /* an urgent notice was approved since the pass began */
	struct settle *settle;    /* fanned-out notices waiting for their jobs to settle */
	int beat;                 /* the thread's heartbeat (health.h) */
};

/* One notice of a pass. */
struct due {
	char id[40];
	char status[16];
	bool urgent;
	int64_t sched_ms, release_ms;
	struct quiet_hours q;
	struct tzone *zone;       /* the comune's, for q */
};

static const char SQL_ACTIVE[] =
    "SELECT n.id, n.status, n.urgent, "
    "coalesce((extract(epoch FROM n.scheduled_at) * 1000)::bigint, 0), "
    "coalesce((extract(epoch FROM n.release_at) * 1000)::bigint, 0), "
    "c.quiet_start::text, c.quiet_end::text, c.time_zone "
    "FROM notices n JOIN comuni c ON c.id = n.comune_id "
    "WHERE n.status IN ('approved', 'scheduled') "
    "OR (n.status = 'sending' AND n.fanout_done_at IS NULL) "
    "ORDER BY n.urgent DESC, n.release_at NULLS FIRST, n.id LIMIT 100";

/* Reads the active notices into d (at most RELEASE_BATCH); count or -1. */
static int due_load(struct db *db, struct due *d)
{
	PGresult *res = db_exec(db, SQL_ACTIVE, 0, NULL);
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		struct due *x = &d[i];
		snprintf(x->id, sizeof(x->id), "%s", PQgetvalue(res, i, 0));
		snprintf(x->status, sizeof(x->status), "%s", PQgetvalue(res, i, 1));
		x->urgent = PQgetvalue(res, i, 2)[0] == 't';
		x->sched_ms = atoll(PQgetvalue(res, i, 3));
		x->release_ms = atoll(PQgetvalue(res, i, 4));
		x->zone = quiet_zone(PQgetvalue(res, i, 7));
		quiet_hours_set(&x->q, PQgetvalue(res, i, 5), PQgetvalue(res, i, 6), x->zone);
	}
	PQclear(res);
	return n;
}

static struct metric m_held = METRIC_GAUGE("bnd_composer_notices_held",
    "notices approved but held until their schedule or the end of quiet hours "
    "(every composer reports the same, from PostgreSQL; at most one pass's 100)");
static struct metric m_fanning = METRIC_GAUGE("bnd_composer_notices_fanning_out",
    "notices released whose fan-out is not complete (every composer reports the same)");

void release_metrics(void)
{
	metrics_register(&m_held);
	metrics_register(&m_fanning);
}

/* Counts the held and fanning-out notices among the n of d, as of now. */
static void due_gauges(const struct due *d, int n, int64_t now)
{
	long held = 0, fanning = 0;

	for (int i = 0; i < n; i++) {
		if (strcmp(d[i].status, "scheduled") != 0)
			fanning++;
		else if (quiet_release_notice(&d[i].q, d[i].urgent, now, d[i].sched_ms) > now)
			held++;
		else
			fanning++;   /* due now: released in this pass */
	}
	metric_set(&m_held, held);
	metric_set(&m_fanning, fanning);
}

/* f with x's notice_id, for a log line. */
static const struct log_fields *due_fields(struct log_fields *f, const struct due *x)
{
	lf_str(f, "notice_id", x->id);
	return f;
}

/* Sets status (from scheduled) and release_at of a notice. 0 or -1. */
static int due_update(struct db *db, const struct due *x, const char *status, int64_t rel)
{
	char ms[24];
	const char *params[3] = { x->id, status, ms };

	snprintf(ms, sizeof(ms), "%lld", (long long)rel);
	return db_cmd(db, "UPDATE notices SET status = $2, release_at = "
	                  "to_timestamp($3::bigint / 1000.0), updated_at = now() "
	                  "WHERE id = $1::uuid AND status = 'scheduled'", 3, params);
}

/*
 * One pass over the active notices. Returns how long to sleep (ms): 0 to
 * pass again at once (a fan-out yielded to an urgent notice).
 */
static long release_pass(struct release *rel)
{
	struct composer *cmp = rel->cmp;
	struct fanout_ctx fx = { cmp->inst, cmp->svc.kp, cmp->svc.cfg->kafka_brokers, rel->db,
		                 cmp->fanout_page, cmp->fanout_inflight, &rel->urgent,
		                 cmp->fanout_delay_ms, rel->beat };
	struct due *d = xcalloc(RELEASE_BATCH, sizeof(*d));
	long wait = cmp->tick_ms;
	int n;

	atomic_store(&rel->urgent, false);
	n = due_load(rel->db, d);
	if (n < 0)
		wait = RELEASE_RETRY_MS;
	else
		due_gauges(d, n, quiet_now_ms(cmp->clock_offset_s));
	for (int i = 0; i < n && !shutdown_requested(); i++) {
		struct due *x = &d[i];
		int64_t now = quiet_now_ms(cmp->clock_offset_s);
		int64_t at = quiet_release_notice(&x->q, x->urgent, now, x->sched_ms);
		struct log_fields f = LOG_FIELDS_INIT;
		enum fanout_result r;

		if (strcmp(x->status, "scheduled") == 0) {
			if (at > now) {
				/* Still held: keep release_at true to the current settings. */
				if ((at - x->release_ms > 999 || x->release_ms - at > 999) &&
				    due_update(rel->db, x, "scheduled", at) != 0)
					wait = RELEASE_RETRY_MS;
				if (at - now < wait)
					wait = (long)(at - now);
				continue;
			}
			if (due_update(rel->db, x, "approved", now) != 0) {
				wait = RELEASE_RETRY_MS;
				continue;
			}
			log_info_f("notice.released", due_fields(&f, x), "notice %s released (was held until %lld)", x->id,
			         (long long)x->release_ms);
		}
		r = fanout_run(&fx, x->id);
		if (r == FANOUT_YIELDED) {
			wait = 0;
			break;
		}
		if (r == FANOUT_FAILED)
			wait = RELEASE_RETRY_MS;
	}
	for (int i = 0; i < n; i++)
		tzone_free(d[i].zone);
	free(d);
	/* Fanned-out notices become 'sent' once their jobs are settled: looked
	 * at every second at least. */
	if (settle_pass(rel->settle, rel->db) != 0)
		wait = RELEASE_RETRY_MS;
	/* Notices waiting for approval: their approvers alerted when due. */
	if (approval_pass(cmp, rel->db) != 0)
		wait = RELEASE_RETRY_MS;
	if (wait > 1000)
		wait = 1000;
	return wait < 0 ? 0 : wait;
}

/* The thread: passes until stopped. */
static void *release_main(void *arg)
{
	struct release *rel = arg;

	log_info("release.started", "scheduler running, tick %ld ms", rel->cmp->tick_ms);
	for (;;) {
		long wait;

		if (sleeper_round(&rel->sl) || shutdown_requested())
			break;
		health_beat(rel->beat);
		wait = release_pass(rel);
		if (wait > 0)
			(void)sleeper_sleep(&rel->sl, wait);
	}
	return NULL;
}

struct release *release_start(struct composer *cmp)
{
	struct release *rel = xcalloc(1, sizeof(*rel));

	rel->cmp = cmp;
	rel->db = db_new(cmp->svc.cfg->pg_dsn);
	rel->settle = settle_new();
	rel->beat = health_beat_slot("release");
	sleeper_init(&rel->sl);
	atomic_init(&rel->urgent, false);
	if (pthread_create(&rel->thread, NULL, release_main, rel) != 0) {
		log_error("release.start_failed", "cannot start the scheduler thread");
		settle_free(rel->settle);
		db_free(rel->db);
		free(rel);
		return NULL;
	}
	return rel;
}

void release_wake(struct release *rel, bool urgent)
{
	if (rel == NULL)
		return;
	if (urgent)
		atomic_store(&rel->urgent, true);
	sleeper_wake(&rel->sl);
}

void release_stop(struct release *rel)
{
	if (rel == NULL)
		return;
	sleeper_stop(&rel->sl);
	pthread_join(rel->thread, NULL);
	sleeper_destroy(&rel->sl);
	settle_free(rel->settle);
	db_free(rel->db);
	free(rel);
}
