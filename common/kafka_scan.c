/* Whole-topic reads and metadata from outside the consumer groups; see kafka_scan.h. */
#include "kafka_scan.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "kafka_props.h"
#include "log.h"
#include "xmalloc.h"

/* A client with the environment's properties, then the pairs of kv
 * (NULL-terminated) and librdkafka's logs off; NULL with err set. */
static rd_kafka_t *scan_client(const char *brokers, rd_kafka_type_t type, const char *const *kv,
                               char *err, size_t errlen)
{
	char why[512];
	rd_kafka_conf_t *conf = kq_conf_base(brokers, why, sizeof(why));
	rd_kafka_t *rk;

	if (conf == NULL)
		goto failed;
	for (; kv[0] != NULL; kv += 2)
		if (rd_kafka_conf_set(conf, kv[0], kv[1], why, sizeof(why)) != RD_KAFKA_CONF_OK) {
			rd_kafka_conf_destroy(conf);
			goto failed;
		}
	if ((rk = rd_kafka_new(type, conf, why, sizeof(why))) != NULL)
		return rk;
	rd_kafka_conf_destroy(conf);
failed:
	snprintf(err, errlen, "kafka: %s", why);
	return NULL;
}

/* Assigns every partition of topic from its beginning; the partition count, or -1 (err set). */
static int scan_assign(rd_kafka_t *rk, const char *brokers, const char *topic, int timeout_ms,
                       char *err, size_t errlen)
{
	const rd_kafka_metadata_t *md = NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	rd_kafka_topic_partition_list_t *parts;
	rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
	int n = -1;

	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "no answer from Kafka (%s) within %d ms: %s", brokers,
		         timeout_ms, rd_kafka_err2str(e));
		goto done;
	}
	if (md->topic_cnt != 1 || md->topics[0].err) {
		snprintf(err, errlen, "topic %s: %s", topic,
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
		snprintf(err, errlen, "assign %s: %s", topic, rd_kafka_err2str(e));
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
 * counted once, however often it reports an end). 0, or -1 (err set) if
 * Kafka said nothing for timeout_ms.
 */
static int scan_drain(rd_kafka_t *rk, const char *brokers, const char *topic, int nparts,
                      int timeout_ms, kq_scan_cb cb, void *arg, char *err, size_t errlen)
{
	bool *ended = xcalloc((size_t)nparts + 1, sizeof(*ended));
	int64_t idle_since = clock_mono_ms();
	int left = nparts, rc = 0;

	while (left > 0) {
		rd_kafka_message_t *msg = rd_kafka_consumer_poll(rk, 200);
		if (msg == NULL) {
			if (clock_mono_ms() - idle_since <= timeout_ms)
				continue;
			snprintf(err, errlen, "no answer from Kafka (%s) within %d ms", brokers, timeout_ms);
			rc = -1;
			break;
		}
		idle_since = clock_mono_ms();
		if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
			if (msg->partition >= 0 && msg->partition < nparts && !ended[msg->partition]) {
				ended[msg->partition] = true;
				left--;
			}
		} else if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			log_warn("kafka.scan_error", "%s: %s", topic, rd_kafka_message_errstr(msg));
		} else {
			cb(arg, msg);
		}
		rd_kafka_message_destroy(msg);
	}
	free(ended);
	return rc;
}

int kq_scan(const char *brokers, const char *who, const char *topic, int timeout_ms,
            kq_scan_cb cb, void *arg, char *err, size_t errlen)
{
	char group[96];
	const char *const kv[] = {
		"group.id", group,
		"enable.auto.commit", "false",
		"enable.partition.eof", "true",
		"log_level", "0",
		NULL,
	};
	rd_kafka_t *rk;
	int nparts, rc = -1;

	snprintf(group, sizeof(group), "%s-read-%ld", who, (long)getpid());
	if ((rk = scan_client(brokers, RD_KAFKA_CONSUMER, kv, err, errlen)) == NULL)
		return -1;
	nparts = scan_assign(rk, brokers, topic, timeout_ms, err, errlen);
	if (nparts >= 0)
		rc = scan_drain(rk, brokers, topic, nparts, timeout_ms, cb, arg, err, errlen);
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return rc;
}

const rd_kafka_metadata_t *kq_metadata(const char *brokers, int timeout_ms,
                                       char *err, size_t errlen)
{
	static const char *const kv[] = { "log_level", "0", NULL };
	const rd_kafka_metadata_t *md = NULL;
	rd_kafka_t *rk = scan_client(brokers, RD_KAFKA_PRODUCER, kv, err, errlen);
	rd_kafka_resp_err_t e;

	if (rk == NULL)
		return NULL;
	e = rd_kafka_metadata(rk, 1, NULL, &md, timeout_ms);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "kafka metadata from %s: %s", brokers, rd_kafka_err2str(e));
		md = NULL;
	} else if (md->broker_cnt < 1) {
		rd_kafka_metadata_destroy(md);
		snprintf(err, errlen, "kafka metadata from %s: no broker", brokers);
		md = NULL;
	}
	rd_kafka_destroy(rk);
	return md;
}
