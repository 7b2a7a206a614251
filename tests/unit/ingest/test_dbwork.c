/* The PostgreSQL worker's queue (dbwork.c): work on the worker thread,
 * done on the loop thread, in order, bounded, completed at shutdown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <pthread.h>
#include <stdbool.h>

#include "core/dbwork.h"

#define NJOBS 5

struct tjob {
	struct dbw_job job;
	int n;
	pthread_t worked_on;
	bool worked, done;
};

static pthread_t loop_thread;
static int done_order[NJOBS], ndone;
static struct event_base *base;

static void work(struct db *db, struct dbw_job *job)
{
	struct tjob *t = (struct tjob *)job;

	(void)db;   /* no query: the queue is what is tested */
	t->worked_on = pthread_self();
	t->worked = true;
}

static void done(struct dbw_job *job)
{
	struct tjob *t = (struct tjob *)job;

	assert_true(pthread_equal(pthread_self(), loop_thread));
	t->done = true;
	done_order[ndone++] = t->n;
	if (ndone == NJOBS)
		event_base_loopexit(base, NULL);
}

static void test_jobs_run_in_order(void **state)
{
	struct tjob jobs[NJOBS + 1] = { 0 };
	struct timeval limit = { 5, 0 };
	struct dbw *dbw;
	(void)state;

	evthread_use_pthreads();
	base = event_base_new();
	loop_thread = pthread_self();
	dbw = dbw_new(base, "postgresql://nobody@127.0.0.1:1/none", NJOBS);
	/* Queued before the thread starts: the bound is exact. */
	for (int i = 0; i <= NJOBS; i++) {
		jobs[i].n = i;
		jobs[i].job.work = work;
		jobs[i].job.done = done;
		assert_int_equal(dbw_submit(dbw, &jobs[i].job), i < NJOBS ? 0 : -1);
	}
	assert_int_equal(dbw_start(dbw), 0);
	event_base_loopexit(base, &limit);
	event_base_dispatch(base);
	assert_int_equal(ndone, NJOBS);
	for (int i = 0; i < NJOBS; i++) {
		assert_int_equal(done_order[i], i);
		assert_true(jobs[i].worked);
		assert_false(pthread_equal(jobs[i].worked_on, loop_thread));
		assert_false(jobs[i].job.aborted);
	}
	assert_false(jobs[NJOBS].worked);   /* refused: never run */
	dbw_free(dbw);
	event_base_free(base);
}

static void test_free_completes_what_is_queued(void **state)
{
	struct tjob jobs[3] = { 0 };
	struct dbw *dbw;
	(void)state;

	base = event_base_new();
	loop_thread = pthread_self();
	ndone = 0;
	dbw = dbw_new(base, "postgresql://nobody@127.0.0.1:1/none", 10);
	for (int i = 0; i < 3; i++) {
		jobs[i].n = i;
		jobs[i].job.work = work;
		jobs[i].job.done = done;
		assert_int_equal(dbw_submit(dbw, &jobs[i].job), 0);
	}
	dbw_free(dbw);   /* never started: every job is answered, aborted */
	for (int i = 0; i < 3; i++) {
		assert_true(jobs[i].done);
		assert_true(jobs[i].job.aborted);
		assert_false(jobs[i].worked);
	}
	event_base_free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobs_run_in_order),
		cmocka_unit_test(test_free_completes_what_is_queued),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
