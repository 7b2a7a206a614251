/*
 * kafka-put: produces one message (key and value given, the value in
 * hexadecimal so that it may hold any bytes) to one partition of a
 * topic, or to every partition ("all"), and prints "partition offset"
 * for each once the broker acknowledged it; for the end-to-end tests
 * that put poison on a topic. Exit status 1 if any was not acknowledged.
 *   kafka-put BROKERS TOPIC PARTITION|all KEY HEXVALUE
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static int kp_partitions(rd_kafka_t *rk, const char *topic)
{
	const rd_kafka_metadata_t *md = NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	int n = -1;

	if (rd_kafka_metadata(rk, 0, rkt, &md, KP_TIMEOUT_MS) == RD_KAFKA_RESP_ERR_NO_ERROR &&
	    md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
		n = md->topics[0].partition_cnt;
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
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

int main(int argc, char **argv)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	unsigned char *val;
	size_t len = 0;
	char err[512];
	rd_kafka_t *rk;
	int first, last, rc = 0;

	if (argc != 6) {
		fprintf(stderr, "usage: kafka-put BROKERS TOPIC PARTITION|all KEY HEXVALUE\n");
		return 2;
	}
	if ((val = kp_unhex(argv[5], &len)) == NULL) {
		fprintf(stderr, "kafka-put: the value is not hexadecimal\n");
		return 2;
	}
	rd_kafka_conf_set_dr_msg_cb(conf, kp_dr);
	if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err)) ||
	    (rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "kafka-put: %s\n", err);
		free(val);
		return 1;
	}
	first = last = atoi(argv[3]);
	if (strcmp(argv[3], "all") == 0) {
		first = 0;
		last = kp_partitions(rk, argv[2]) - 1;
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
