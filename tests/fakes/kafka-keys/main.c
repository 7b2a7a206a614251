/*
 * kafka-keys: prints the key of every message on a topic, one a line
 * ("-" for none; a tombstone's followed by a tab and "tombstone"), from
 * the beginning to the end of each partition as they are when it starts;
 * for the end-to-end tests to check what Kafka keys hold (never a phone
 * number). A read with kq_scan(): a group of its own that commits nothing.
 *   kafka-keys BROKERS TOPIC
 */
#include <stdio.h>

#include "kafka.h"
#include "log.h"

#include "version.h"

#define KK_TIMEOUT_MS 10000

/* Prints one message's key (kq_scan_cb). */
static void kk_print(void *arg, const rd_kafka_message_t *msg)
{
	(void)arg;
	printf("%.*s%s\n", msg->key_len > 0 ? (int)msg->key_len : 1,
	       msg->key_len > 0 ? (const char *)msg->key : "-",
	       msg->payload == NULL ? "\ttombstone" : "");
}

int main(int argc, char **argv)
{
	char err[512];

	version_main(argc, argv, "kafka-keys");

	if (argc != 3) {
		fprintf(stderr, "usage: kafka-keys BROKERS TOPIC\n");
		return 2;
	}
	log_init("kafka-keys", "error");   /* our logs go to stdout, which holds the keys */
	if (kq_scan(argv[1], "kafka-keys", argv[2], KK_TIMEOUT_MS, kk_print, NULL, err,
	            sizeof(err)) != 0) {
		fprintf(stderr, "kafka-keys: %s\n", err);
		return 1;
	}
	return 0;
}
