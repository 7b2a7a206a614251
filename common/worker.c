/* The consume -> handle -> commit loop of worker services. */
#include "worker.h"

#include <stdio.h>

#include "clock.h"
#include "health.h"
#include "log.h"
#include "metrics.h"
#include "shutdown.h"
#include "utf8.h"

static struct metric m_done = METRIC_COUNTER("worker_messages_done_total", "messages handled and committed");
static struct metric m_retry = METRIC_COUNTER("worker_retries_total", "transient failures retried");
static struct metric m_reject = METRIC_COUNTER("worker_rejected_total", "messages set aside: they could never be handled");

long worker_backoff_ms(unsigned n)
{
	long ms = 100;
	while (n-- > 0 && ms < 5000)
		ms *= 2;
	return ms < 5000 ? ms : 5000;
}

static enum work_result work_fill(struct work_fault *fault, enum work_result r, const char *fmt,
                                  va_list ap)
{
	char buf[sizeof(fault->why)];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	utf8_format(fault->why, sizeof(fault->why), "%s", buf);
	return r;
}

enum work_result work_reject(struct work_fault *fault, const char *fmt, ...)
{
	va_list ap;
	enum work_result r;

	va_start(ap, fmt);
	r = work_fill(fault, WORK_REJECT, fmt, ap);
	va_end(ap);
	return r;
}

enum work_result work_retry(struct work_fault *fault, const char *fmt, ...)
{
	va_list ap;
	enum work_result r;

	va_start(ap, fmt);
	r = work_fill(fault, WORK_RETRY, fmt, ap);
	va_end(ap);
	return r;
}

enum work_result work_db(struct work_fault *fault, const struct db *db)
{
	switch (db_fault(db)) {
	case DB_FAULT_DATA:
		return work_reject(fault, "PostgreSQL refused its data: %s", db_error(db));
	case DB_FAULT_OTHER:
		return work_retry(fault, "PostgreSQL: %s", db_error(db));
	case DB_FAULT_NONE:
		return work_retry(fault, "failed, PostgreSQL reporting no error");
	default:
		fault->why[0] = '\0';
		return WORK_RETRY;
	}
}

/* Handles one message until done, rejected (fault says why) or shutdown. */
static enum work_result worker_one(const rd_kafka_message_t *msg, struct quarantine *q,
                                   work_handler handle, void *arg, struct work_fault *fault,
                                   int beat)
{
	struct qn_repeat rep;
	enum work_result r;
	unsigned tries = 0;

	qn_repeat_reset(&rep);
	for (;;) {
		fault->why[0] = '\0';
		if ((r = handle(msg, arg, fault)) != WORK_RETRY)
			return r;
		if (qn_repeat_poison(q, &rep, fault->why))
			return work_reject(fault, "failed %u times alike: %.360s", rep.n, rep.why);
		metric_add(&m_retry, 1);
		if (shutdown_requested())
			return WORK_RETRY;
		long wait = worker_backoff_ms(tries++);
		log_warn("worker.retry", "%s [%d] offset %lld: retrying in %ld ms%s%s",
		         rd_kafka_topic_name(msg->rkt), (int)msg->partition,
		         (long long)msg->offset, wait, fault->why[0] ? ": " : "", fault->why);
		shutdown_sleep_ms(wait);
		health_beat(beat);   /* retrying is progress: a dependency is down, not us */
	}
}

/* Sets a rejected message aside; false if shutdown came first (leave it uncommitted). */
static bool worker_set_aside(const rd_kafka_message_t *msg, struct quarantine *q,
                             const char *why)
{
	unsigned tries = 0;

	metric_add(&m_reject, 1);
	while (qn_put(q, msg, why) != 0) {
		if (shutdown_requested())
			return false;
		shutdown_sleep_ms(worker_backoff_ms(tries++));
	}
	return true;
}

/* Commits in the background when enough was handled or time passed. */
static void worker_maybe_commit(struct kq_consumer *kc, long *stored, int64_t *last_ms)
{
	int64_t now = clock_mono_ms();

	if (*stored == 0 || (*stored < WORKER_COMMIT_EVERY && now - *last_ms < WORKER_COMMIT_MS))
		return;
	kq_commit_async(kc);
	*stored = 0;
	*last_ms = now;
}

int worker_run(struct kq_consumer *kc, struct quarantine *q, work_handler handle, void *arg)
{
	struct work_fault fault;
	static bool registered;
	int beat = health_beat_slot("worker");
	int64_t last_commit = clock_mono_ms();
	long stored = 0;

	if (!registered) {
		metrics_register(&m_done);
		metrics_register(&m_retry);
		metrics_register(&m_reject);
		registered = true;
	}
	while (!shutdown_requested()) {
		rd_kafka_message_t *msg = kq_consume(kc, 100);
		enum work_result r;

		health_beat(beat);
		if (msg == NULL) {
			worker_maybe_commit(kc, &stored, &last_commit);
			continue;
		}
		r = worker_one(msg, q, handle, arg, &fault, beat);
		if (r == WORK_RETRY || (r == WORK_REJECT && !worker_set_aside(msg, q, fault.why))) {
			/* Shutting down mid-retry: leave it uncommitted for the next owner. */
			rd_kafka_message_destroy(msg);
			break;
		}
		if (r == WORK_DONE)
			metric_add(&m_done, 1);
		kq_store(kc, msg);
		rd_kafka_message_destroy(msg);
		stored++;
		worker_maybe_commit(kc, &stored, &last_commit);
	}
	/* The final synchronous commit happens in kq_consumer_free(). */
	return 0;
}
