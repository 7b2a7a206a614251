/* The sign-up form's shared limits; see form_limits.h. */
#include "form/form_limits.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "db.h"
#include "log.h"
#include "metrics.h"
#include "xmalloc.h"
#include "core/citizen_key.h"
#include "core/client_addr.h"
#include "core/dbwork.h"
#include "core/ingest.h"
#include "form/form_ratelimit.h"

#define MINUTE_MS (60 * 1000)
#define DAY_MS (24 * 60 * MINUTE_MS)
#define FL_MEMORY_KEYS 100000
#define FL_SWEEP_EVERY_MS MINUTE_MS

/* The limits: per client address, per number (a day). */
static const struct frl_rule client_rules[] = { { MINUTE_MS, 5 }, { DAY_MS, 30 } };
static const struct frl_rule number_rules[] = { { DAY_MS, 3 } };
/* The same as form_limit_hit's arguments (keys "<rule>:<subject>"). */
static const char CLIENT_WINDOWS[] = "{60000,86400000}";
static const char CLIENT_LIMITS[] = "{5,30}";
static const char NUMBER_WINDOWS[] = "{86400000}";
static const char NUMBER_LIMITS[] = "{3}";

static const char SQL_HIT[] = "SELECT form_limit_hit($1::text[], $2::bigint[], $3::integer[])";
static const char SQL_SWEEP[] = "DELETE FROM form_limits WHERE ends_at < now()";

static struct metric m_memory = METRIC_COUNTER("bnd_ingest_form_limits_local_total",
    "web-form requests counted in this replica's memory because PostgreSQL did not "
    "answer (or too many waited for it)");

/* The fallback: this replica's own counts (loop thread). */
static struct frl *mem_client, *mem_number;

struct fl_job {
	struct dbw_job job;            /* first */
	char client[CA_KEY_MAX];
	char number[CK_HASH_HEX + 1];  /* "": no sign-up to count */
	fl_done_fn done;
	void *arg;
	enum fl_verdict verdict;
	int64_t wait_ms;
	bool failed;                   /* PostgreSQL did not answer */
};

void fl_metrics_register(void)
{
	metrics_register(&m_memory);
}

/* Worker: one group of windows; the wait (0: counted), or -1 on failure. */
static int64_t fl_hit(struct db *db, const char *keys, const char *windows, const char *limits)
{
	const char *params[3] = { keys, windows, limits };
	PGresult *res = db_exec(db, SQL_HIT, 3, params);
	int64_t wait;

	if (res == NULL || PQntuples(res) != 1) {
		if (res != NULL)
			PQclear(res);
		return -1;
	}
	wait = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return wait;
}

/* Worker: ended windows go, at most once a minute (this thread's clock). */
static void fl_sweep(struct db *db)
{
	static int64_t last_ms;   /* the form's worker thread only */
	int64_t now = clock_mono_ms();

	if (last_ms != 0 && now - last_ms < FL_SWEEP_EVERY_MS)
		return;
	last_ms = now;
	if (db_cmd(db, SQL_SWEEP, 0, NULL) != 0)
		log_warn("form.limits_sweep", "could not remove ended windows (tried again later)");
}

/* Worker: the client's windows, then the number's. */
static void fl_work(struct db *db, struct dbw_job *job)
{
	struct fl_job *fj = (struct fl_job *)job;
	char keys[2 * CA_KEY_MAX + 32];
	int64_t wait;

	fj->verdict = FL_OK;
	fl_sweep(db);
	/* Quoted elements: an IPv6 /64 holds ':' and '/', never '"' or '\'. */
	snprintf(keys, sizeof(keys), "{\"cm:%s\",\"cd:%s\"}", fj->client, fj->client);
	wait = fl_hit(db, keys, CLIENT_WINDOWS, CLIENT_LIMITS);
	if (wait == 0 && fj->number[0] != '\0') {
		snprintf(keys, sizeof(keys), "{\"nd:%s\"}", fj->number);
		wait = fl_hit(db, keys, NUMBER_WINDOWS, NUMBER_LIMITS);
		if (wait > 0)
			fj->verdict = FL_NUMBER_LIMITED;
	} else if (wait > 0) {
		fj->verdict = FL_CLIENT_LIMITED;
	}
	fj->failed = wait < 0;
	fj->wait_ms = wait > 0 ? wait : 0;
}

/* Loop: the same decision from this replica's memory. */
static void fl_memory(struct fl_job *fj)
{
	int64_t now = clock_mono_ms(), wait;

	if (mem_client == NULL) {
		mem_client = frl_new(client_rules, 2, FL_MEMORY_KEYS);
		mem_number = frl_new(number_rules, 1, FL_MEMORY_KEYS);
	}
	metric_add(&m_memory, 1);
	fj->verdict = FL_OK;
	fj->wait_ms = 0;
	if ((wait = frl_hit(mem_client, fj->client, now)) > 0) {
		fj->verdict = FL_CLIENT_LIMITED;
		fj->wait_ms = wait;
	} else if (fj->number[0] != '\0' && (wait = frl_hit(mem_number, fj->number, now)) > 0) {
		fj->verdict = FL_NUMBER_LIMITED;
		fj->wait_ms = wait;
	}
}

/* Loop: the verdict to the caller. */
static void fl_done(struct dbw_job *job)
{
	struct fl_job *fj = (struct fl_job *)job;

	static int64_t warned_ms;
	int64_t now = clock_mono_ms();

	if (job->aborted) {
		fj->verdict = FL_UNAVAILABLE;
	} else if (fj->failed) {
		if (warned_ms == 0 || now - warned_ms >= 10000) {
			log_warn("form.limits_local", "PostgreSQL did not count a request (down, or too "
			         "many waiting): this replica's own limits apply (said once per 10 s)");
			warned_ms = now;
		}
		fl_memory(fj);
	}
	fj->done(fj->arg, fj->verdict, fj->wait_ms);
	free(fj);
}

void fl_check(struct ingest *ing, const char *client, const char *number_hash,
              fl_done_fn done, void *arg)
{
	struct fl_job *fj = xcalloc(1, sizeof(*fj));

	snprintf(fj->client, sizeof(fj->client), "%s", client);
	if (number_hash != NULL)
		snprintf(fj->number, sizeof(fj->number), "%s", number_hash);
	fj->done = done;
	fj->arg = arg;
	fj->job.work = fl_work;
	fj->job.done = fl_done;
	if (dbw_submit(ing->dbw_form, &fj->job) != 0) {
		fj->failed = true;   /* too many wait: count here */
		fl_done(&fj->job);
	}
}
