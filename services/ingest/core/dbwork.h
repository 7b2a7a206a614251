/*
 * The ingest's PostgreSQL worker: one thread with its own connection runs
 * queued jobs (reads of notices, the archive) so that the event loop never
 * waits for PostgreSQL. A job's work() runs on the worker thread; its
 * done() runs afterwards on the event-loop thread.
 *
 *   struct my_job { struct dbw_job job; ... };   (job first)
 *   j->job.work = my_work; j->job.done = my_done;
 *   if (dbw_submit(ing->dbw, &j->job) != 0) ...  (queue full: answer 503)
 */
#ifndef BND_DBWORK_H
#define BND_DBWORK_H

#include <stdbool.h>

struct db;
struct dbw;
struct event_base;

struct dbw_job {
	/* Worker thread: may use db (NULL-safe calls return NULL when down). */
	void (*work)(struct db *db, struct dbw_job *job);
	/* Loop thread, exactly once, after work() or instead of it when the
	 * worker stops first (then aborted is true). Owns and frees the job. */
	void (*done)(struct dbw_job *job);
	bool aborted;
	struct dbw_job *next;   /* queue link, private */
	struct dbw *dbw;        /* private */
};

/* max_queue: jobs waiting beyond it are refused. */
struct dbw *dbw_new(struct event_base *base, const char *dsn, int max_queue);
int dbw_start(struct dbw *dbw) __attribute__((warn_unused_result));
/* Queues a job; -1 (job untouched, done never called) if the queue is
 * full or the worker stops. Loop thread only. */
int dbw_submit(struct dbw *dbw, struct dbw_job *job) __attribute__((warn_unused_result));
/* After the loop: stops the thread (waits up to 2 s), completes every job
 * left (aborted) and frees. NULL allowed. */
void dbw_free(struct dbw *dbw);

#endif
