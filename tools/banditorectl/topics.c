/*
 * `banditorectl topics` creates every Banditore topic (with the stack's
 * prefix; consent.changes compacted, see kq_create_topics) or lists them;
 * `banditorectl ping` asks the broker for metadata: the readiness probe
 * of scripts/stack.sh.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "kafka.h"

const char *const ctl_kafka_topics[] = {
	TOPIC_CITIZEN_MESSAGES, TOPIC_DELIVERY_STATUS, TOPIC_NOTICE_EVENTS,
	TOPIC_CONSENT_CHANGES, TOPIC_DELIVERY_JOBS, TOPIC_DELIVERY_URGENT,
	TOPIC_DELIVERY_RETRY, TOPIC_DELIVERY_PARKED, TOPIC_DELIVERY_DEAD, TOPIC_DELIVERY_OUTCOMES,
	TOPIC_QUARANTINE, NULL,
};

/* A client for metadata requests; NULL (message printed) on failure. */
static rd_kafka_t *topics_client(void)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[512];
	rd_kafka_t *rk;

	if (rd_kafka_conf_set(conf, "bootstrap.servers", ctl_cfg.kafka_brokers,
	                      err, sizeof(err)) != RD_KAFKA_CONF_OK ||
	    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof(err)) != RD_KAFKA_CONF_OK) {
		rd_kafka_conf_destroy(conf);
		ctl_fail("kafka: %s", err);
		return NULL;
	}
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
	if (rk == NULL) {
		rd_kafka_conf_destroy(conf);
		ctl_fail("kafka: %s", err);
	}
	return rk;
}

/* Fetches the cluster's metadata; NULL (message printed) on failure. */
static const rd_kafka_metadata_t *topics_metadata(rd_kafka_t *rk, int timeout_ms)
{
	const rd_kafka_metadata_t *md = NULL;
	rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 1, NULL, &md, timeout_ms);

	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		ctl_fail("kafka metadata from %s: %s", ctl_cfg.kafka_brokers, rd_kafka_err2str(e));
		return NULL;
	}
	if (md->broker_cnt < 1) {
		rd_kafka_metadata_destroy(md);
		ctl_fail("kafka metadata from %s: no broker", ctl_cfg.kafka_brokers);
		return NULL;
	}
	return md;
}

/* Prints "name<TAB>partitions" for every topic under our prefix. */
static int topics_list(void)
{
	size_t plen = strlen(ctl_cfg.topic_prefix);
	const rd_kafka_metadata_t *md;
	rd_kafka_t *rk = topics_client();

	if (rk == NULL)
		return CTL_FAIL;
	md = topics_metadata(rk, 10000);
	if (md == NULL) {
		rd_kafka_destroy(rk);
		return CTL_FAIL;
	}
	for (int i = 0; i < md->topic_cnt; i++) {
		const rd_kafka_metadata_topic_t *t = &md->topics[i];
		if (t->topic[0] == '_' || strncmp(t->topic, ctl_cfg.topic_prefix, plen) != 0)
			continue;
		fprintf(ctl_out, "%s\t%d\n", t->topic, t->partition_cnt);
	}
	rd_kafka_metadata_destroy(md);
	rd_kafka_destroy(rk);
	return CTL_OK;
}

int ctl_topics(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "partitions", required_argument, NULL, 'p' },
		{ "list", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	long partitions = 4;
	bool list = false;
	char err[512];
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'l')
			list = true;
		else if (c != 'p')
			return CTL_USAGE;
		else if (ctl_parse_long(optarg, 1, 1000, &partitions) != 0)
			return ctl_usage("--partitions must be from 1 to 1000");
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	if (list)
		return topics_list();
	if (kq_create_topics(ctl_cfg.kafka_brokers, ctl_cfg.topic_prefix, ctl_kafka_topics,
	                     (int)partitions, err, sizeof(err)) != 0)
		return ctl_fail("creating topics: %s", err);
	fprintf(stderr, "banditorectl: %zu topics ready (prefix \"%s\", %ld partitions for new ones)\n",
	        sizeof(ctl_kafka_topics) / sizeof(ctl_kafka_topics[0]) - 1, ctl_cfg.topic_prefix, partitions);
	return CTL_OK;
}

int ctl_ping(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout-ms", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const rd_kafka_metadata_t *md;
	long timeout_ms = 2000;
	rd_kafka_t *rk;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 't')
			return CTL_USAGE;
		if (ctl_parse_long(optarg, 1, 600000, &timeout_ms) != 0)
			return ctl_usage("--timeout-ms must be from 1 to 600000");
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	rk = topics_client();
	if (rk == NULL)
		return CTL_FAIL;
	md = topics_metadata(rk, (int)timeout_ms);
	if (md == NULL) {
		rd_kafka_destroy(rk);
		return CTL_FAIL;
	}
	fprintf(ctl_out, "ok: %d broker(s), answered by broker %d\n", md->broker_cnt, md->orig_broker_id);
	rd_kafka_metadata_destroy(md);
	rd_kafka_destroy(rk);
	return CTL_OK;
}
