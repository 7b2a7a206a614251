/*
 * kafka-keys: prints the key of every message on a topic, one a line
 * ("-" for none; a tombstone's followed by a tab and "tombstone"), from
 * the beginning to the end of each partition as they are when it starts;
 * for the end-to-end tests to check what Kafka keys hold (never a phone
 * number). A consumer in a group of its own that commits nothing.
 *   kafka-keys BROKERS TOPIC
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define KK_TIMEOUT_MS 10000

/* Assigns every partition of topic from its beginning; their count, or -1. */
static int kk_assign(rd_kafka_t *rk, const char *topic)
{
	const rd_kafka_metadata_t *md = NULL;
	rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
	rd_kafka_topic_partition_list_t *parts;
	int n = -1;

	if (rd_kafka_metadata(rk, 0, rkt, &md, KK_TIMEOUT_MS) != RD_KAFKA_RESP_ERR_NO_ERROR ||
	    md->topic_cnt != 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR)
		goto done;
	n = md->topics[0].partition_cnt;
	parts = rd_kafka_topic_partition_list_new(n);
	for (int p = 0; p < n; p++)
		rd_kafka_topic_partition_list_add(parts, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
	if (rd_kafka_assign(rk, parts) != RD_KAFKA_RESP_ERR_NO_ERROR)
		n = -1;
	rd_kafka_topic_partition_list_destroy(parts);
done:
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	return n;
}

int main(int argc, char **argv)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[512], group[64];
	rd_kafka_t *rk;
	int nparts, eofs = 0, idle = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: kafka-keys BROKERS TOPIC\n");
		return 2;
	}
	snprintf(group, sizeof(group), "kafka-keys-%ld", (long)getpid());
	if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "group.id", group, err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "enable.partition.eof", "true", err, sizeof(err)) ||
	    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err))) {
		fprintf(stderr, "kafka-keys: %s\n", err);
		return 1;
	}
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
	if (rk == NULL) {
		fprintf(stderr, "kafka-keys: %s\n", err);
		return 1;
	}
	if ((nparts = kk_assign(rk, argv[2])) < 0) {
		fprintf(stderr, "kafka-keys: no topic %s\n", argv[2]);
		rd_kafka_destroy(rk);
		return 1;
	}
	while (eofs < nparts && idle < KK_TIMEOUT_MS / 200) {
		rd_kafka_message_t *msg = rd_kafka_consumer_poll(rk, 200);
		if (msg == NULL) {
			idle++;
			continue;
		}
		idle = 0;
		if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
			eofs++;
		else if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR)
			printf("%.*s%s\n", msg->key_len > 0 ? (int)msg->key_len : 1,
			       msg->key_len > 0 ? (const char *)msg->key : "-",
			       msg->payload == NULL ? "\ttombstone" : "");
		rd_kafka_message_destroy(msg);
	}
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return eofs == nparts ? 0 : 1;
}
