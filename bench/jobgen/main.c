/*
 * jobgen: produces N delivery jobs for one WhatsApp sender exactly as the
 * composer does (utility template, three parameters, keyed by the sender,
 * our producer settings), timed from the first produce to the last
 * acknowledgement.
 *   jobgen [--create] BROKERS TOPIC CHANNEL_ID SENDER COUNT RUN_ID [SUBSCRIBER_ID]
 * TOPIC is the full topic name: the stack's delivery.jobs to feed a
 * dispatcher, or (with --create, 4 partitions) a topic nobody reads, to
 * measure the broker's raw ceiling for the same messages.
 * Recipients are +39340RRNNNNNN (RR from the run id, N the index); job
 * ids "bench:<run>:<i>". Jobs don't ask for a consent check (there are
 * no subscriber rows behind them), unless SUBSCRIBER_ID is given: then
 * they are that subscriber's and ask for one (tests of consent and
 * erasure). Prints one JSON line:
 * {"messages":N,"avg_bytes":B,"seconds":T,"per_second":R}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "events.h"
#include "kafka.h"
#include "log.h"
#include "version.h"

/* Produces job i into the batch. */
static long total_bytes;
static long long subscriber_id;   /* 0: none, no consent check */

static int put_job(struct kq_producer *kp, struct kq_batch *b, const char *topic,
                   long long channel, char *sender, const char *run, long i)
{
	Banditore__V1__DeliveryJob job = BANDITORE__V1__DELIVERY_JOB__INIT;
	Banditore__V1__TemplateContent tpl = BANDITORE__V1__TEMPLATE_CONTENT__INIT;
	Banditore__V1__EventMeta meta;
	char id[UUID_STR_LEN + 1], job_id[64], address[24];
	char *params[3] = { "Acqua sospesa",
	                    "Domani dalle 8 alle 14 in via Roma e piazza Garibaldi manca l'acqua per lavori "
	                    "alla rete idrica. Scusate il disagio.",
	                    "https://www.comune.demo.it/c/demo/avvisi/0" };
	size_t len;
	int rc;

	event_meta_fill(&meta, id, "demo");
	snprintf(job_id, sizeof(job_id), "bench:%s:%ld", run, i);
	snprintf(address, sizeof(address), "+39340%02d%06ld", atoi(run) % 100, i % 1000000);
	job.meta = &meta;
	job.job_id = job_id;
	job.kind = BANDITORE__V1__CHANNEL_KIND__CHANNEL_WHATSAPP;
	job.channel_id = channel;
	job.sender_account = sender;
	job.address = address;
	job.purpose = BANDITORE__V1__JOB_PURPOSE__PURPOSE_NOTICE;
	job.subscriber_id = subscriber_id;
	job.requires_consent = subscriber_id > 0;
	tpl.name = "avviso_comune";
	tpl.language = "it";
	tpl.n_body_params = 3;
	tpl.body_params = params;
	job.content_case = BANDITORE__V1__DELIVERY_JOB__CONTENT_TEMPLATE;
	job.template_ = &tpl;
	/* Jobs put on the urgent topic are an urgent notice's. */
	job.urgent = strlen(topic) >= strlen(TOPIC_DELIVERY_URGENT) &&
	             strcmp(topic + strlen(topic) - strlen(TOPIC_DELIVERY_URGENT),
	                    TOPIC_DELIVERY_URGENT) == 0;
	void *buf = event_pack(&job.base, &len);
	total_bytes += (long)len;
	rc = kq_batch_produce(kp, b, topic, sender, strlen(sender), buf, len);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	char err[512];
	struct kq_producer *kp;
	struct kq_batch b;
	int64_t t0, t1;
	long count;
	int create = argc > 1 && strcmp(argv[1], "--create") == 0;

	version_main(argc, argv, "jobgen");
	argv += create;
	argc -= create;
	if (argc != 7 && argc != 8) {
		fprintf(stderr, "usage: jobgen [--create] BROKERS TOPIC CHANNEL_ID SENDER COUNT RUN_ID "
		        "[SUBSCRIBER_ID]\n");
		return 2;
	}
	subscriber_id = argc == 8 ? atoll(argv[7]) : 0;
	log_init("jobgen", "error");
	count = atol(argv[5]);
	const char *topics[] = { argv[2], NULL };
	if (create && kq_create_topics(argv[1], "", topics, 4, err, sizeof(err)) != 0) {
		fprintf(stderr, "create topic: %s\n", err);
		return 1;
	}
	kp = kq_producer_new(argv[1], "", NULL, err, sizeof(err));
	if (kp == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	kq_batch_init(&b);
	t0 = clock_mono_ms();
	for (long i = 0; i < count; i++) {
		if (put_job(kp, &b, argv[2], atoll(argv[3]), argv[4], argv[6], i) != 0)
			return 1;
		if (i % 1000 == 0)
			kq_poll(kp, 0);
	}
	if (kq_batch_wait(kp, &b) != 0)
		return 1;
	t1 = clock_mono_ms();
	printf("{\"messages\":%ld,\"avg_bytes\":%ld,\"seconds\":%.3f,\"per_second\":%.0f}\n", count,
	       count > 0 ? total_bytes / count : 0, (double)(t1 - t0) / 1000.0,
	       (double)count * 1000.0 / (double)(t1 > t0 ? t1 - t0 : 1));
	kq_producer_free(kp, 10000);
	return 0;
}
