/* The ledger's PostgreSQL worker thread (pgw.h). */
#include "pgw.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "clock.h"
#include "db.h"
#include "drain.h"
#include "ledger.h"
#include "log.h"
#include "quarantine.h"
#include "reach.h"
#include "backlog.h"
#include "worker.h"
#include "xmalloc.h"

struct pgw {
	const struct instance *inst;
	const struct quarantine *qn;   /* its health view and repeat limit */
	pthread_t       thread;
	pthread_mutex_t lock;
	pthread_cond_t  cond;
	struct db      *db;
	struct drain    drain;
	bool            stop;
	struct pgw_req *todo, **todo_tail;
	struct pgw_req *done, **done_tail;
	int             outstanding;
};

/* The steps, in one shape: 0, or -1 if PostgreSQL failed (the step is run again). */
static int pgw_claim(struct pgw *w, struct batch *b)
{
	return ledger_claim(w->db, w->inst, b->v, b->n);
}

static int pgw_consent(struct pgw *w, struct batch *b)
{
	return ledger_check_consent(w->db, b->v, b->n);
}

static int pgw_reach(struct pgw *w, struct batch *b)
{
	return reach_check(w->db, b->v, b->n);
}

static int pgw_unreachable(struct pgw *w, struct batch *b)
{
	return ledger_mark_unreachable(w->db, b->v, b->n);
}

static int pgw_record(struct pgw *w, struct batch *b)
{
	return ledger_record(w->db, b->v, b->n);
}

static int pgw_release(struct pgw *w, struct batch *b)
{
	return ledger_release(w->db, w->inst, b->v, b->n);
}

static int pgw_defer(struct pgw *w, struct batch *b)
{
	return backlog_defer(w->db, b->v, b->n);
}

static int pgw_unbacklog(struct pgw *w, struct batch *b)
{
	return backlog_finish(w->db, b->v, b->n);
}

typedef int (*pgw_step_fn)(struct pgw *, struct batch *);

/* The slots of b a step works on: not poison (the backlog's rows of poison too, with_poison). */
static void pgw_view(const struct batch *b, struct batch *view, bool with_poison)
{
	view->n = 0;
	for (size_t i = 0; i < b->n; i++)
		if (with_poison || b->v[i]->poison == NULL)
			batch_push(view, b->v[i]);
}

/* true if the failure just met is the data's: refused, or the same error again and again. */
static bool pgw_data_fault(struct pgw *w, struct qn_repeat *rep)
{
	enum db_fault f = db_fault(w->db);

	return f == DB_FAULT_DATA ||
	       qn_repeat_poison(w->qn, rep, f == DB_FAULT_OTHER ? db_error(w->db) : NULL);
}

/* Waits before retrying a step; -1 if the drain deadline passed. */
static int pgw_backoff(struct pgw *w, const char *what, unsigned n)
{
	if (drain_expired(&w->drain)) {
		log_error("dispatch.step_abandoned", "%s: PostgreSQL still failing at the "
		          "drain deadline; jobs left uncommitted", what);
		return -1;
	}
	log_warn("dispatch.step_retry", "%s failed (PostgreSQL), retry %u", what, n + 1);
	drain_pause(&w->drain, worker_backoff_ms(n));
	return 0;
}

/*
 * A step failed for a reason of its data: each slot is stepped on its
 * own, and one PostgreSQL refuses is poison (quarantined at the flush).
 * 0, or -1 if the drain deadline passes.
 */
static int pgw_one_by_one(struct pgw *w, const char *what, pgw_step_fn step,
                          struct batch *view)
{
	char why[QN_WHY_MAX];

	for (size_t i = 0; i < view->n; i++) {
		struct batch one = { &view->v[i], 1, 1 };
		struct qn_repeat rep;

		qn_repeat_reset(&rep);
		for (unsigned n = 0; step(w, &one) != 0; n++) {
			if (pgw_data_fault(w, &rep)) {
				snprintf(why, sizeof(why), "%s: PostgreSQL refused it: %s", what,
				         db_error(w->db));
				slot_poison(view->v[i], why);
				break;
			}
			if (pgw_backoff(w, what, n) != 0)
				return -1;
		}
	}
	return 0;
}

/* Runs a step until it succeeds; -1 if the drain deadline passes first. */
static int pgw_step(struct pgw *w, const char *what, pgw_step_fn step, struct batch *b)
{
	struct batch view = { 0 };
	struct qn_repeat rep;
	int rc = 0;

	qn_repeat_reset(&rep);
	pgw_view(b, &view, step == pgw_unbacklog);
	for (unsigned n = 0; view.n > 0 && step(w, &view) != 0; n++) {
		if (pgw_data_fault(w, &rep)) {
			log_warn("dispatch.step_split", "%s of %zu job(s) refused (%s): one by one",
			         what, view.n, db_error(w->db));
			rc = pgw_one_by_one(w, what, step, &view);
			break;
		}
		if ((rc = pgw_backoff(w, what, n)) != 0)
			break;
	}
	free(view.v);
	return rc;
}

/* Runs a request's PostgreSQL work that is not a step over its slots; -1 at the deadline. */
static int pgw_query(struct pgw *w, struct pgw_req *req)
{
	for (unsigned n = 0;; n++) {
		int rc = req->kind == PGW_CENSUS
		             ? backlog_census(w->db, req->parts, req->nparts, &req->counts,
		                              &req->ncounts)
		             : backlog_read(w->db, req->channel_id, req->k,
		                            (const char *const *)req->except, &req->slots);
		if (rc == 0)
			return 0;
		if (drain_expired(&w->drain))
			return -1;
		log_warn("dispatch.step_retry", "backlog %s failed (PostgreSQL), retry %u",
		         req->kind == PGW_CENSUS ? "census" : "read-back", n + 1);
		drain_pause(&w->drain, worker_backoff_ms(n));
	}
}

/* Does what req asks. */
static void pgw_run(struct pgw *w, struct pgw_req *req)
{
	struct batch *b = &req->slots;

	if (req->kind == PGW_RECORD) {
		req->rc = pgw_step(w, "unreachable check", pgw_unreachable, b);
		if (req->rc == 0)
			req->rc = pgw_step(w, "recording", pgw_record, b);
		if (req->rc == 0)
			req->rc = pgw_step(w, "claims given back", pgw_release, b);
		if (req->rc == 0)
			req->rc = pgw_step(w, "deferring", pgw_defer, b);
		if (req->rc == 0)
			req->rc = pgw_step(w, "backlog rows done", pgw_unbacklog, b);
		return;
	}
	if (req->kind == PGW_CENSUS || req->kind == PGW_REFILL) {
		req->rc = pgw_query(w, req);
		if (req->rc != 0 || req->kind == PGW_CENSUS)
			return;
	}
	check_dedupe(b);
	check_not_due(b, clock_wall_ms());
	req->rc = pgw_step(w, "ledger claim", pgw_claim, b);
	if (req->rc == 0)
		req->rc = pgw_step(w, "consent check", pgw_consent, b);
	if (req->rc == 0)
		check_validate(b);
	if (req->rc == 0)
		req->rc = pgw_step(w, "messaging limit", pgw_reach, b);
}

static void *pgw_main(void *arg)
{
	struct pgw *w = arg;
	struct pgw_req *req;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->todo == NULL && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->todo == NULL)
			break;
		req = w->todo;
		w->todo = req->next;
		if (w->todo == NULL)
			w->todo_tail = &w->todo;
		pthread_mutex_unlock(&w->lock);
		req->next = NULL;
		pgw_run(w, req);
		pthread_mutex_lock(&w->lock);
		*w->done_tail = req;
		w->done_tail = &req->next;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct pgw *pgw_start(const char *dsn, long drain_timeout_ms, const struct instance *inst,
                      const struct quarantine *qn)
{
	struct pgw *w = xcalloc(1, sizeof(*w));

	w->inst = inst;
	w->qn = qn;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->db = db_new(dsn);
	/*
	 * Every statement of the ledger workers looks a batch of rows up by
	 * key. The ledger starts empty and grows by a row per message: while
	 * it holds less than about 100,000 rows the planner's costs favour
	 * reading all of it once per batch over 500 index probes, which makes
	 * a new installation's first big notice quadratic. Index paths always.
	 */
	db_on_connect(w->db, "SET enable_seqscan = off");
	w->drain.timeout_ms = drain_timeout_ms;
	w->todo_tail = &w->todo;
	w->done_tail = &w->done;
	if (pthread_create(&w->thread, NULL, pgw_main, w) != 0) {
		db_free(w->db);
		free(w);
		return NULL;
	}
	return w;
}

/* Frees a list of requests and their slots. */
static void pgw_free_list(struct pgw_req *req)
{
	for (struct pgw_req *next; req != NULL; req = next) {
		next = req->next;
		for (size_t i = 0; i < req->slots.n; i++)
			slot_free(req->slots.v[i]);
		pgw_req_free(req);
	}
}

void pgw_stop(struct pgw *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pgw_free_list(w->todo);
	pgw_free_list(w->done);
	db_free(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}

void pgw_submit(struct pgw *w, struct pgw_req *req)
{
	req->next = NULL;
	pthread_mutex_lock(&w->lock);
	*w->todo_tail = req;
	w->todo_tail = &req->next;
	w->outstanding++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

struct pgw_req *pgw_take(struct pgw *w)
{
	struct pgw_req *list;

	pthread_mutex_lock(&w->lock);
	list = w->done;
	w->done = NULL;
	w->done_tail = &w->done;
	for (struct pgw_req *r = list; r != NULL; r = r->next)
		w->outstanding--;
	pthread_mutex_unlock(&w->lock);
	return list;
}

void pgw_req_free(struct pgw_req *req)
{
	if (req == NULL)
		return;
	for (char **e = req->except; e != NULL && *e != NULL; e++)
		free(*e);
	free(req->except);
	free(req->parts);
	free(req->counts);
	batch_free(&req->slots);
	free(req);
}
