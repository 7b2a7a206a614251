/* The consume -> handle -> commit loop of worker services. */
#include "worker.h"

#include "clock.h"
#include "log.h"
#include "metrics.h"
#include "shutdown.h"

static struct metric m_done = METRIC_COUNTER("bnd_worker_messages_done_total", "messages handled and committed");
static struct metric m_retry = METRIC_COUNTER("bnd_worker_retries_total", "transient failures retried");
static struct metric m_reject = METRIC_COUNTER("bnd_worker_rejected_total", "messages that could never be handled");

long worker_backoff_ms(unsigned n)
{
	long ms = 100;
	while (n-- > 0 && ms < 5000)
		ms *= 2;
	return ms < 5000 ? ms : 5000;
}

/* Handles one message until done, rejected or shutdown. */
static enum work_result worker_one(const rd_kafka_message_t *msg, work_handler handle, void *arg)
{
	enum work_result r;
	unsigned tries = 0;

	while ((r = handle(msg, arg)) == WORK_RETRY) {
		metric_add(&m_retry, 1);
		if (shutdown_requested())
			break;
		long wait = worker_backoff_ms(tries++);
		log_warn("worker.retry", "%s [%d] offset %lld: retrying in %ld ms",
		         rd_kafka_topic_name(msg->rkt), (int)msg->partition,
		         (long long)msg->offset, wait);
		shutdown_sleep_ms(wait);
	}
	return r;
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

int worker_run(struct kq_consumer *kc, work_handler handle, void *arg)
{
	static bool registered;
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

		if (msg == NULL) {
			worker_maybe_commit(kc, &stored, &last_commit);
			continue;
		}
		r = worker_one(msg, handle, arg);
		if (r == WORK_RETRY) {
			/* Shutting down mid-retry: leave it uncommitted for the next owner. */
			rd_kafka_message_destroy(msg);
			break;
		}
		if (r == WORK_REJECT) {
			metric_add(&m_reject, 1);
			log_error("worker.rejected", "%s [%d] offset %lld could not be handled; skipped",
			          rd_kafka_topic_name(msg->rkt), (int)msg->partition,
			          (long long)msg->offset);
		} else {
			metric_add(&m_done, 1);
		}
		kq_store(kc, msg);
		rd_kafka_message_destroy(msg);
		stored++;
		worker_maybe_commit(kc, &stored, &last_commit);
	}
	/* The final synchronous commit happens in kq_consumer_free(). */
	return 0;
}
