/*
 * The PostgreSQL worker thread and its queue. The mutex guards the queue
 * and the stop flag only; it is never held across a query. Finished jobs
 * go back to the loop with event_base_once (libevent is thread-aware:
 * main calls evthread_use_pthreads before creating the base).
 */
#include "core/dbwork.h"

#include <event2/event.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "clock.h"
#include "db.h"
#include "log.h"
#include "xmalloc.h"

#define DBW_STOP_WAIT_MS 2000

struct dbw {
	struct event_base *base;
	char *dsn;
	int max_queue;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct dbw_job *head, *tail;   /* under lock */
	int queued;                    /* under lock */
	bool stop;                     /* under lock */
	struct dbw_job *finished;      /* under lock: done after stop, not posted */
	atomic_bool exited;
};

struct dbw *dbw_new(struct event_base *base, const char *dsn, int max_queue)
{
	struct dbw *dbw = xcalloc(1, sizeof(*dbw));

	dbw->base = base;
	dbw->dsn = xstrdup(dsn);
	dbw->max_queue = max_queue > 0 ? max_queue : 1;
	pthread_mutex_init(&dbw->lock, NULL);
	pthread_cond_init(&dbw->cond, NULL);
	return dbw;
}

/* Loop thread: a job came back from the worker. */
static void dbw_on_done(evutil_socket_t fd, short what, void *arg)
{
	struct dbw_job *job = arg;

	job->done(job);
}

/* Takes the next job, or NULL once stopping. */
static struct dbw_job *dbw_pop(struct dbw *dbw)
{
	struct dbw_job *job = NULL;

	pthread_mutex_lock(&dbw->lock);
	while (!dbw->stop && dbw->head == NULL)
		pthread_cond_wait(&dbw->cond, &dbw->lock);
	if (!dbw->stop) {
		job = dbw->head;
		dbw->head = job->next;
		if (dbw->head == NULL)
			dbw->tail = NULL;
		dbw->queued--;
	}
	pthread_mutex_unlock(&dbw->lock);
	return job;
}

/* Hands a worked job back to the loop (or keeps it for dbw_free). */
static void dbw_post(struct dbw *dbw, struct dbw_job *job)
{
	const struct timeval now = { 0, 0 };

	pthread_mutex_lock(&dbw->lock);
	if (dbw->stop || event_base_once(dbw->base, -1, EV_TIMEOUT, dbw_on_done, job, &now) != 0) {
		job->next = dbw->finished;
		dbw->finished = job;
	}
	pthread_mutex_unlock(&dbw->lock);
}

static void *dbw_run(void *arg)
{
	struct dbw *dbw = arg;
	struct db *db = db_new(dbw->dsn);
	struct dbw_job *job;

	while ((job = dbw_pop(dbw)) != NULL) {
		job->work(db, job);
		dbw_post(dbw, job);
	}
	db_free(db);
	atomic_store(&dbw->exited, true);
	return NULL;
}

int dbw_start(struct dbw *dbw)
{
	if (pthread_create(&dbw->thread, NULL, dbw_run, dbw) != 0)
		return -1;
	dbw->started = true;
	return 0;
}

int dbw_submit(struct dbw *dbw, struct dbw_job *job)
{
	int rc = -1;

	job->next = NULL;
	job->aborted = false;
	job->dbw = dbw;
	pthread_mutex_lock(&dbw->lock);
	if (!dbw->stop && dbw->queued < dbw->max_queue) {
		if (dbw->tail != NULL)
			dbw->tail->next = job;
		else
			dbw->head = job;
		dbw->tail = job;
		dbw->queued++;
		pthread_cond_signal(&dbw->cond);
		rc = 0;
	}
	pthread_mutex_unlock(&dbw->lock);
	return rc;
}

/* Completes a list of jobs with aborted set. */
static void dbw_abort_list(struct dbw_job *job, bool aborted)
{
	while (job != NULL) {
		struct dbw_job *next = job->next;
		job->aborted = aborted;
		job->done(job);
		job = next;
	}
}

void dbw_free(struct dbw *dbw)
{
	struct dbw_job *queued, *finished;

	if (dbw == NULL)
		return;
	pthread_mutex_lock(&dbw->lock);
	dbw->stop = true;
	queued = dbw->head;
	dbw->head = dbw->tail = NULL;
	pthread_cond_signal(&dbw->cond);
	pthread_mutex_unlock(&dbw->lock);
	dbw_abort_list(queued, true);
	if (dbw->started) {
		/* A query can hang on a dead server: don't let it hold the exit. */
		for (int i = 0; i < DBW_STOP_WAIT_MS / 10 && !atomic_load(&dbw->exited); i++)
			clock_sleep_ms(10);
		if (!atomic_load(&dbw->exited)) {
			log_warn("dbwork.stop_timeout", "PostgreSQL worker still busy; leaving it");
			return;
		}
		pthread_join(dbw->thread, NULL);
	}
	/* Jobs posted before the loop ended still sit in the base. */
	event_base_loop(dbw->base, EVLOOP_NONBLOCK);
	pthread_mutex_lock(&dbw->lock);
	finished = dbw->finished;
	dbw->finished = NULL;
	pthread_mutex_unlock(&dbw->lock);
	dbw_abort_list(finished, false);
	pthread_cond_destroy(&dbw->cond);
	pthread_mutex_destroy(&dbw->lock);
	free(dbw->dsn);
	free(dbw);
}
