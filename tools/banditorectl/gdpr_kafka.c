/*
 * Tells consent.changes about an erasure, for each erased subscription:
 * a ConsentChange (active false, action "erase", the anonymized address)
 * so that a fan-out in progress stops for that citizen, then a tombstone
 * under the subscription's key (its subscriber id, as subscriptions keys
 * every change), so that compaction removes everything the topic held
 * about it, the number in earlier changes' values included. Changes
 * written before keys were subscriber ids were keyed "<channel id>/<number>":
 * a tombstone under that old key too removes them (the tombstone itself
 * goes after the topic's delete.retention.ms).
 * `gdpr erase` calls this before it commits: if Kafka cannot take it, or
 * a subscription is on a channel of a kind this tool does not know,
 * nothing is erased and the operator retries (with a newer banditorectl).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel_kind.h"
#include "ctl.h"
#include "events.h"
#include "kafka.h"

/* Produces the records of one subscription into b. 0 or -1. */
static int announce_one(struct kq_producer *kp, struct kq_batch *b, PGresult *subs, int row,
                        const char *address)
{
	Banditore__V1__ConsentChange cc = BANDITORE__V1__CONSENT_CHANGE__INIT;
	Banditore__V1__EventMeta meta;
	char id[UUID_STR_LEN + 1], legacy[96], anon[40];
	const char *sid = PQgetvalue(subs, row, 0), *channel = PQgetvalue(subs, row, 1);
	size_t len;
	int rc;

	if (channel_kind_parse(PQgetvalue(subs, row, 2), &cc.kind) != 0)
		return -1;   /* kinds_known() said so already */
	event_meta_fill(&meta, id, PQgetvalue(subs, row, 3));
	snprintf(anon, sizeof(anon), "erased:%s", sid);
	cc.meta = &meta;
	cc.channel_id = strtoll(channel, NULL, 10);
	cc.address = anon;
	cc.subscriber_id = strtoll(sid, NULL, 10);
	cc.active = false;
	cc.action = "erase";
	void *buf = event_pack(&cc.base, &len);
	rc = kq_batch_produce(kp, b, TOPIC_CONSENT_CHANGES, sid, strlen(sid), buf, len);
	free(buf);
	if (rc == 0)
		rc = kq_batch_produce(kp, b, TOPIC_CONSENT_CHANGES, sid, strlen(sid), NULL, 0);
	snprintf(legacy, sizeof(legacy), "%s/%s", channel, address);
	if (rc == 0)
		rc = kq_batch_produce(kp, b, TOPIC_CONSENT_CHANGES, legacy, strlen(legacy), NULL, 0);
	explicit_bzero(legacy, sizeof(legacy));
	return rc;
}

/* true if every subscription's channel is of a kind we know; else says which is not. */
static bool kinds_known(PGresult *subs)
{
	channel_kind kind;

	for (int i = 0; i < PQntuples(subs); i++) {
		if (channel_kind_parse(PQgetvalue(subs, i, 2), &kind) != 0) {
			ctl_fail("channel %s is of kind \"%s\", which this banditorectl does not know",
			         PQgetvalue(subs, i, 1), PQgetvalue(subs, i, 2));
			return false;
		}
	}
	return true;
}

int ctl_gdpr_announce(PGresult *subs, const char *address)
{
	static const char *const extra[] = { "message.timeout.ms", "15000", NULL };
	struct kq_producer *kp;
	struct kq_batch b;
	char err[256];
	int rc = 0;

	if (!kinds_known(subs))
		return -1;
	kp = kq_producer_new(ctl_cfg.kafka_brokers, ctl_cfg.topic_prefix, extra, err, sizeof(err));
	if (kp == NULL) {
		ctl_fail("Kafka: %s", err);
		return -1;
	}
	kq_batch_init(&b);
	for (int i = 0; i < PQntuples(subs) && rc == 0; i++)
		rc = announce_one(kp, &b, subs, i, address);
	if (kq_batch_wait(kp, &b) != 0)
		rc = -1;
	kq_producer_free(kp, 5000);
	if (rc != 0)
		ctl_fail("Kafka (BND_KAFKA_BROKERS) did not take the erasure on consent.changes");
	return rc;
}
