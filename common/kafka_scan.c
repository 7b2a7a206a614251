/* Topic reads (whole or tails) and metadata from outside the consumer groups; see kafka_scan.h. */
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

/* One scan's client, topic and where to report. */
struct scan {
	rd_kafka_t *rk;
	const char *brokers, *topic;
	long        tail;        /* 0: whole partitions; else their last tail messages */
	int         timeout_ms;
	char       *err;
	size_t      errlen;
};

/* Where partition p's read starts: its beginning, or (tail) max(low, high
 * - tail); 1 to read it, 0 if it holds nothing, -1 (err set). */
static int scan_start(struct scan *sc, int32_t p, int64_t *offset)
{
	int64_t lo, hi;
	rd_kafka_resp_err_t e;

	if (sc->tail == 0) {
		*offset = RD_KAFKA_OFFSET_BEGINNING;
		return 1;
	}
	e = rd_kafka_query_watermark_offsets(sc->rk, sc->topic, p, &lo, &hi, sc->timeout_ms);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(sc->err, sc->errlen, "%s [%d]: no offsets within %d ms: %s", sc->topic,
		         (int)p, sc->timeout_ms, rd_kafka_err2str(e));
		return -1;
	}
	*offset = hi - sc->tail > lo ? hi - sc->tail : lo;
	return hi > lo;
}

/* Assigns the partitions of topic to read (scan_start); their number, with
 * the topic's partition count in *nparts, or -1 (err set). */
static int scan_assign(struct scan *sc, int *nparts)
{
	const rd_kafka_metadata_t *md = NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(sc->rk, sc->topic, NULL);
	rd_kafka_topic_partition_list_t *parts = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(sc->rk, 0, rkt, &md, sc->timeout_ms);
	int64_t offset;
	int n = -1, r;

	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(sc->err, sc->errlen, "no answer from Kafka (%s) within %d ms: %s", sc->brokers,
		         sc->timeout_ms, rd_kafka_err2str(e));
		goto done;
	}
	if (md->topic_cnt != 1 || md->topics[0].err) {
		snprintf(sc->err, sc->errlen, "topic %s: %s", sc->topic,
		         md->topic_cnt ? rd_kafka_err2str(md->topics[0].err) : "not found");
		goto done;
	}
	*nparts = md->topics[0].partition_cnt;
	parts = rd_kafka_topic_partition_list_new(*nparts);
	for (int p = 0; p < *nparts; p++) {
		if ((r = scan_start(sc, p, &offset)) < 0)
			goto done;
		if (r > 0)
			rd_kafka_topic_partition_list_add(parts, sc->topic, p)->offset = offset;
	}
	e = parts->cnt > 0 ? rd_kafka_assign(sc->rk, parts) : RD_KAFKA_RESP_ERR_NO_ERROR;
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
		snprintf(sc->err, sc->errlen, "assign %s: %s", sc->topic, rd_kafka_err2str(e));
	else
		n = parts->cnt;
done:
	if (parts != NULL)
		rd_kafka_topic_partition_list_destroy(parts);
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	return n;
}

/*
 * Polls until every one of the left partitions assigned (of nparts)
 * reached its end (each counted once, however often it reports an end).
 * 0, or -1 (err set) if Kafka said nothing for timeout_ms.
 */
static int scan_drain(struct scan *sc, int nparts, int left, kq_scan_cb cb, void *arg)
{
	bool *ended = xcalloc((size_t)nparts + 1, sizeof(*ended));
	int64_t idle_since = clock_mono_ms();
	int rc = 0;

	while (left > 0) {
		rd_kafka_message_t *msg = rd_kafka_consumer_poll(sc->rk, 200);
		if (msg == NULL) {
			if (clock_mono_ms() - idle_since <= sc->timeout_ms)
				continue;
			snprintf(sc->err, sc->errlen, "no answer from Kafka (%s) within %d ms",
			         sc->brokers, sc->timeout_ms);
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
			log_warn("kafka.scan_error", "%s: %s", sc->topic, rd_kafka_message_errstr(msg));
		} else {
			cb(arg, msg);
		}
		rd_kafka_message_destroy(msg);
	}
	free(ended);
	return rc;
}

/* kq_scan() and kq_scan_tail(): tail 0 reads whole partitions. */
static int scan_topic(const char *brokers, const char *who, const char *topic, long tail,
                      int timeout_ms, kq_scan_cb cb, void *arg, char *err, size_t errlen)
{
	char group[96];
	const char *const kv[] = {
		"group.id", group,
		"enable.auto.commit", "false",
		"enable.partition.eof", "true",
		"log_level", "0",
		NULL,
	};
	struct scan sc = { NULL, brokers, topic, tail, timeout_ms, err, errlen };
	int nparts = 0, left, rc = -1;

	snprintf(group, sizeof(group), "%s-read-%ld", who, (long)getpid());
	if ((sc.rk = scan_client(brokers, RD_KAFKA_CONSUMER, kv, err, errlen)) == NULL)
		return -1;
	left = scan_assign(&sc, &nparts);
	if (left >= 0)
		rc = scan_drain(&sc, nparts, left, cb, arg);
	rd_kafka_consumer_close(sc.rk);
	rd_kafka_destroy(sc.rk);
	return rc;
}

int kq_scan(const char *brokers, const char *who, const char *topic, int timeout_ms,
            kq_scan_cb cb, void *arg, char *err, size_t errlen)
{
	return scan_topic(brokers, who, topic, 0, timeout_ms, cb, arg, err, errlen);
}

int kq_scan_tail(const char *brokers, const char *who, const char *topic, long tail,
                 int timeout_ms, kq_scan_cb cb, void *arg, char *err, size_t errlen)
{
	return scan_topic(brokers, who, topic, tail, timeout_ms, cb, arg, err, errlen);
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
