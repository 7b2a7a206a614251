/* The tail scan of a resumed fan-out; see resume.h. */
#include "resume.h"

#include <string.h>

#include "banditore.pb-c.h"
#include "kafka.h"
#include "log.h"

#define RESUME_TIMEOUT_MS 5000   /* metadata, each partition's offsets, each message */

/* What the scan looks for and the largest subscriber id found. */
struct resume_find {
	const char *notice_id;
	long long   ch_id;
	long long   best;
};

/* Keeps the subscriber id of msg if it is a job of the notice on the
 * channel (a kq_scan_cb; arg: the resume_find). */
static void resume_match(void *arg, const rd_kafka_message_t *msg)
{
	struct resume_find *f = arg;
	Banditore__V1__DeliveryJob *job =
	    banditore__v1__delivery_job__unpack(NULL, msg->len, msg->payload);

	if (job == NULL)
		return;
	if (job->channel_id == f->ch_id && job->notice_id != NULL &&
	    strcmp(job->notice_id, f->notice_id) == 0 && job->subscriber_id > f->best)
		f->best = job->subscriber_id;
	banditore__v1__delivery_job__free_unpacked(job, NULL);
}

long long resume_scan(const char *brokers, const char *topic, const char *notice_id,
                      long long ch_id, long depth)
{
	struct resume_find f = { notice_id, ch_id, 0 };
	char err[512];

	if (kq_scan_tail(brokers, "composer-resume", topic, depth, RESUME_TIMEOUT_MS, resume_match,
	                 &f, err, sizeof(err)) != 0) {
		log_error("resume.scan", "the tail of %s could not be read: %s", topic, err);
		return -1;
	}
	return f.best;
}
