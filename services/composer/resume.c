/* The tail scan of a resumed fan-out; see resume.h. */
#include "resume.h"

#include <librdkafka/rdkafka.h>
#include <stdlib.h>
#include <string.h>

#include "banditore.pb-c.h"
#include "clock.h"
#include "log.h"

#define RESUME_TIMEOUT_MS 10000

/* A consumer without a group, for assign() only. */
static rd_kafka_t *resume_consumer(const char *brokers)
{
	char err[256];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	rd_kafka_t *rk;

	if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof(err)) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "group.id", "composer-resume-scan", err, sizeof(err)) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof(err)) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "enable.partition.eof", "true", err, sizeof(err)) != RD_KAFKA_CONF_OK) {
		log_error("resume.conf", "%s", err);
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
	if (rk == NULL) {
		log_error("resume.consumer", "%s", err);
		rd_kafka_conf_destroy(conf);
	}
	return rk;
}

/* The partitions' tails to read, from max(low, high - depth); their
 * count in *left (partitions with something to read); NULL on failure. */
static rd_kafka_topic_partition_list_t *resume_tails(rd_kafka_t *rk, const char *topic,
                                                     long depth, int *left)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	rd_kafka_topic_partition_list_t *parts = NULL;

	*left = 0;
	if (rkt == NULL || rd_kafka_metadata(rk, 0, rkt, &md, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    md->topic_cnt != 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR)
		goto done;
	parts = rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
	for (int i = 0; i < md->topics[0].partition_cnt; i++) {
		int32_t p = md->topics[0].partitions[i].id;
		int64_t lo, hi;
		if (rd_kafka_query_watermark_offsets(rk, topic, p, &lo, &hi, 5000) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR) {
			rd_kafka_topic_partition_list_destroy(parts);
			parts = NULL;
			goto done;
		}
		if (hi <= lo)
			continue;
		rd_kafka_topic_partition_list_add(parts, topic, p)->offset =
		    hi - depth > lo ? hi - depth : lo;
		(*left)++;
	}
done:
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	if (rkt != NULL)
		rd_kafka_topic_destroy(rkt);
	return parts;
}

/* The subscriber id if msg is a job of the notice on the channel, else 0. */
static long long resume_match(const rd_kafka_message_t *msg, const char *notice_id,
                              long long ch_id)
{
	Banditore__V1__DeliveryJob *job =
	    banditore__v1__delivery_job__unpack(NULL, msg->len, msg->payload);
	long long sub = 0;

	if (job == NULL)
		return 0;
	if (job->channel_id == ch_id && job->notice_id != NULL &&
	    strcmp(job->notice_id, notice_id) == 0)
		sub = job->subscriber_id;
	banditore__v1__delivery_job__free_unpacked(job, NULL);
	return sub;
}

long long resume_scan(const char *brokers, const char *topic, const char *notice_id,
                      long long ch_id, long depth)
{
	rd_kafka_t *rk = resume_consumer(brokers);
	rd_kafka_topic_partition_list_t *parts;
	int64_t deadline = clock_mono_ms() + RESUME_TIMEOUT_MS;
	long long best = 0;
	int left;

	if (rk == NULL)
		return -1;
	parts = resume_tails(rk, topic, depth, &left);
	if (parts == NULL || (left > 0 && rd_kafka_assign(rk, parts) != RD_KAFKA_RESP_ERR_NO_ERROR)) {
		best = -1;
		left = 0;
	}
	/* Each partition ends with one EOF event once its tail is read. */
	while (left > 0) {
		rd_kafka_message_t *msg;
		if (clock_mono_ms() > deadline) {
			log_error("resume.timeout", "the tail of %s could not be read in time", topic);
			best = -1;
			break;
		}
		msg = rd_kafka_consumer_poll(rk, 200);
		if (msg == NULL)
			continue;
		if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			left--;
		} else if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			long long sub = resume_match(msg, notice_id, ch_id);
			if (sub > best)
				best = sub;
		}
		rd_kafka_message_destroy(msg);
	}
	if (parts != NULL)
		rd_kafka_topic_partition_list_destroy(parts);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return best;
}
