/*
 * kafka-put: produces one message (key and value given, the value in
 * hexadecimal so that it may hold any bytes) to one partition of a
 * topic, or to every partition ("all"), and prints "partition offset"
 * for each once the broker acknowledged it; for the end-to-end tests
 * that put poison on a topic. Exit status 1 if any was not acknowledged.
 *   kafka-put BROKERS TOPIC PARTITION|all KEY HEXVALUE
 * The client's settings (kq_conf_base) and the partition count
 * (kq_metadata) come from common's Kafka wrapper; the produce stays
 * librdkafka's own, because it names the partition and reports each
 * message's offset, which kq_produce() (partition by key, an ack with the
 * error only) does not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kafka.h"
#include "log.h"
#include "version.h"

#define KP_TIMEOUT_MS 10000

static int kp_failed;

/* Prints where an acknowledged message went. */
static void kp_dr(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque)
{
	(void)rk;
	(void)opaque;
	if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "kafka-put: %s\n", rd_kafka_err2str(msg->err));
		kp_failed++;
		return;
	}
	printf("%d %lld\n", (int)msg->partition, (long long)msg->offset);
}

/* Decodes hex into a new buffer (*len bytes); NULL if it is not hex. */
static unsigned char *kp_unhex(const char *hex, size_t *len)
{
	size_t n = strlen(hex);
	unsigned char *out = malloc(n / 2 + 1);

	if (out == NULL || n % 2 != 0) {
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
			free(out);
			return NULL;
		}
		out[i] = (unsigned char)v;
	}
	*len = n / 2;
	return out;
}

/* The topic's partition count, or -1. */
static int kp_partitions(const char *brokers, const char *topic)
{
	char err[512];
	const rd_kafka_metadata_t *md = kq_metadata(brokers, KP_TIMEOUT_MS, err, sizeof(err));
	int n = -1;

	if (md == NULL) {
		fprintf(stderr, "kafka-put: %s\n", err);
		return -1;
	}
	for (int i = 0; i < md->topic_cnt; i++)
		if (strcmp(md->topics[i].topic, topic) == 0 &&
		    md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
			n = md->topics[i].partition_cnt;
	rd_kafka_metadata_destroy(md);
	return n;
}

/* Produces the message to partition p. 0 or -1. */
static int kp_put(rd_kafka_t *rk, const char *topic, int p, const char *key,
                  const unsigned char *val, size_t len)
{
	rd_kafka_resp_err_t e = rd_kafka_producev(
	    rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(p),
	    RD_KAFKA_V_KEY((void *)key, strlen(key)), RD_KAFKA_V_VALUE((void *)val, len),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);

	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		fprintf(stderr, "kafka-put: %s\n", rd_kafka_err2str(e));
		return -1;
	}
	return 0;
}

/* A producer with the environment's properties (kq_conf_base) whose
 * delivery reports kp_dr prints; NULL (said on stderr). */
static rd_kafka_t *kp_client(const char *brokers)
{
	char err[512];
	rd_kafka_conf_t *conf = kq_conf_base(brokers, err, sizeof(err));
	rd_kafka_t *rk = NULL;

	if (conf != NULL) {
		rd_kafka_conf_set_dr_msg_cb(conf, kp_dr);
		if (rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err)) != RD_KAFKA_CONF_OK ||
		    (rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err))) == NULL)
			rd_kafka_conf_destroy(conf);
	}
	if (rk == NULL)
		fprintf(stderr, "kafka-put: %s\n", err);
	return rk;
}

int main(int argc, char **argv)
{
	unsigned char *val;
	size_t len = 0;
	rd_kafka_t *rk;
	int first, last, rc = 0;

	version_main(argc, argv, "kafka-put");

	if (argc != 6) {
		fprintf(stderr, "usage: kafka-put BROKERS TOPIC PARTITION|all KEY HEXVALUE\n");
		return 2;
	}
	if ((val = kp_unhex(argv[5], &len)) == NULL) {
		fprintf(stderr, "kafka-put: the value is not hexadecimal\n");
		return 2;
	}
	log_init("kafka-put", "error");
	if ((rk = kp_client(argv[1])) == NULL) {
		free(val);
		return 1;
	}
	first = last = atoi(argv[3]);
	if (strcmp(argv[3], "all") == 0) {
		first = 0;
		last = kp_partitions(argv[1], argv[2]) - 1;
	}
	if (last < 0) {
		fprintf(stderr, "kafka-put: no topic %s\n", argv[2]);
		rc = 1;
	}
	for (int p = first; rc == 0 && p <= last; p++)
		rc = kp_put(rk, argv[2], p, argv[4], val, len) != 0;
	if (rd_kafka_flush(rk, KP_TIMEOUT_MS) != RD_KAFKA_RESP_ERR_NO_ERROR)
		rc = 1;
	rd_kafka_destroy(rk);
	free(val);
	return rc != 0 || kp_failed != 0;
}
