/* Reads a whole Kafka topic with a throwaway consumer; see ktopic.h. */
#include "ktopic.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "ctl.h"
#include "xmalloc.h"

/* A consumer in a group of its own that commits nothing, or NULL (message printed). */
static rd_kafka_t *ktopic_consumer(void)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[512], group[64];
	rd_kafka_t *rk;

	snprintf(group, sizeof(group), "banditorectl-read-%ld", (long)getpid());
	if (rd_kafka_conf_set(conf, "bootstrap.servers", ctl_cfg.kafka_brokers, err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "group.id", group, err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "enable.partition.eof", "true", err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err))) {
		rd_kafka_conf_destroy(conf);
		ctl_fail("kafka: %s", err);
		return NULL;
	}
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
	if (rk == NULL) {
		rd_kafka_conf_destroy(conf);
		ctl_fail("kafka: %s", err);
	}
	return rk;
}

/* Assigns every partition of topic from its beginning; the partition count, or -1. */
static int ktopic_assign(rd_kafka_t *rk, const char *topic)
{
	const rd_kafka_metadata_t *md = NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, rkt, &md, KTOPIC_TIMEOUT_MS);
	int n = -1;

	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		ctl_fail("no answer from Kafka (%s) within %d ms: %s", ctl_cfg.kafka_brokers,
		         KTOPIC_TIMEOUT_MS, rd_kafka_err2str(e));
		goto done;
	}
	if (md->topic_cnt != 1 || md->topics[0].err) {
		ctl_fail("topic %s: %s", topic,
		         md->topic_cnt ? rd_kafka_err2str(md->topics[0].err) : "not found");
		goto done;
	}
	n = md->topics[0].partition_cnt;
	parts = rd_kafka_topic_partition_list_new(n);
	for (int p = 0; p < n; p++)
		rd_kafka_topic_partition_list_add(parts, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
	e = rd_kafka_assign(rk, parts);
	rd_kafka_topic_partition_list_destroy(parts);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		ctl_fail("assign %s: %s", topic, rd_kafka_err2str(e));
		n = -1;
	}
done:
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	return n;
}

/*
 * Polls until every one of nparts partitions reached its end (each
 * counted once, however often it reports an end). CTL_OK, or CTL_FAIL
 * if Kafka said nothing for KTOPIC_TIMEOUT_MS.
 */
static int ktopic_drain(rd_kafka_t *rk, const char *topic, int nparts, ktopic_cb cb, void *arg)
{
	bool *ended = xcalloc((size_t)nparts + 1, sizeof(*ended));
	int64_t idle_since = clock_mono_ms();
	int left = nparts, rc = CTL_OK;

	while (left > 0) {
		rd_kafka_message_t *msg = rd_kafka_consumer_poll(rk, 200);
		if (msg == NULL) {
			if (clock_mono_ms() - idle_since <= KTOPIC_TIMEOUT_MS)
				continue;
			rc = ctl_fail("no answer from Kafka (%s) within %d ms", ctl_cfg.kafka_brokers,
			              KTOPIC_TIMEOUT_MS);
			break;
		}
		idle_since = clock_mono_ms();
		if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			if (msg->partition >= 0 && msg->partition < nparts && !ended[msg->partition]) {
				ended[msg->partition] = true;
				left--;
			}
		} else if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			fprintf(stderr, "banditorectl: %s: %s\n", topic, rd_kafka_message_errstr(msg));
		} else {
			cb(arg, msg);
		}
		rd_kafka_message_destroy(msg);
	}
	free(ended);
	return rc;
}

int ktopic_read(const char *topic, ktopic_cb cb, void *arg)
{
	rd_kafka_t *rk = ktopic_consumer();
	int nparts, rc = CTL_FAIL;

	if (rk == NULL)
		return CTL_FAIL;
	nparts = ktopic_assign(rk, topic);
	if (nparts >= 0)
		rc = ktopic_drain(rk, topic, nparts, cb, arg);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return rc;
}
