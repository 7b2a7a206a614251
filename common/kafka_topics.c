/* Topics created where missing, compared where present; see kafka_topics.h. */
#include "kafka_topics.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kafka.h"
#include "log.h"
#include "xmalloc.h"

#define KQ_ADMIN_TIMEOUT_MS 30000

void kq_topic_defaults(const char *topic, int partitions, int replication_factor,
                       struct kq_topic_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	spec->name = topic;
	spec->partitions = partitions;
	spec->replication_factor = replication_factor;
	/* A fresh spec has room: at most one config is set here. */
	if (strcmp(topic, TOPIC_CONSENT_CHANGES) == 0) {
		spec->configs[0] = "cleanup.policy";
		spec->configs[1] = "compact";
	} else if (strcmp(topic, TOPIC_DELIVERY_DEAD) == 0 || strcmp(topic, TOPIC_QUARANTINE) == 0) {
		spec->configs[0] = "retention.ms";
		spec->configs[1] = KQ_RETENTION_LONG_MS;
	}
}

int kq_topic_config(struct kq_topic_spec *spec, const char *name, const char *value)
{
	int i = 0;

	for (; spec->configs[i] != NULL; i += 2)
		if (strcmp(spec->configs[i], name) == 0) {
			spec->configs[i + 1] = value;
			return 0;
		}
	if (i >= 2 * KQ_TOPIC_MAX_CONFIGS)
		return -1;
	spec->configs[i] = name;
	spec->configs[i + 1] = value;
	spec->configs[i + 2] = NULL;
	return 0;
}

/* librdkafka's log lines of the admin client, at warning and above. */
static void admin_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	if (level <= 4)
		log_warn("kafka.log", "%s: %s", fac, buf);
}

/* An admin client; NULL with err set. */
static rd_kafka_t *admin_client(const char *brokers, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = kq_conf_base(brokers, err, errlen);
	rd_kafka_t *rk;

	if (conf == NULL)
		return NULL;
	rd_kafka_conf_set_log_cb(conf, admin_log_cb);
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen);
	if (rk == NULL)
		rd_kafka_conf_destroy(conf);
	return rk;
}

/* The metadata entry of topic, or NULL if the cluster has none. */
static const rd_kafka_metadata_topic_t *md_topic(const rd_kafka_metadata_t *md, const char *topic)
{
	for (int i = 0; i < md->topic_cnt; i++)
		if (strcmp(md->topics[i].topic, topic) == 0 &&
		    md->topics[i].err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
			return &md->topics[i];
	return NULL;
}

/* The smallest replica count over the topic's partitions. */
static int md_replicas(const rd_kafka_metadata_topic_t *t)
{
	int rf = -1;

	for (int p = 0; p < t->partition_cnt; p++)
		if (rf < 0 || t->partitions[p].replica_cnt < rf)
			rf = t->partitions[p].replica_cnt;
	return rf;
}

/* Waits for an admin result on q; NULL with err set after the timeout. */
static rd_kafka_event_t *admin_wait(rd_kafka_queue_t *q, const char *what, char *err, size_t errlen)
{
	rd_kafka_event_t *ev = rd_kafka_queue_poll(q, KQ_ADMIN_TIMEOUT_MS + 5000);

	if (ev == NULL)
		snprintf(err, errlen, "no answer to %s within %d s", what, KQ_ADMIN_TIMEOUT_MS / 1000);
	else if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "%s: %s", what, rd_kafka_event_error_string(ev));
		rd_kafka_event_destroy(ev);
		ev = NULL;
	}
	return ev;
}

/* Admin options with our timeout. */
static rd_kafka_AdminOptions_t *admin_options(rd_kafka_t *rk, rd_kafka_admin_op_t op)
{
	rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, op);
	char ignore[128];

	if (rd_kafka_AdminOptions_set_request_timeout(o, KQ_ADMIN_TIMEOUT_MS, ignore,
	                                              sizeof(ignore)) != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_warn("kafka.admin", "could not set the request timeout: %s", ignore);
	/* CreateTopics waits until the topics exist on the brokers. */
	if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS &&
	    rd_kafka_AdminOptions_set_operation_timeout(o, KQ_ADMIN_TIMEOUT_MS, ignore,
	                                                sizeof(ignore)) != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_warn("kafka.admin", "could not set the operation timeout: %s", ignore);
	return o;
}

/* The CreateTopics request for one spec; NULL with err set. */
static rd_kafka_NewTopic_t *new_topic(const char *prefix, const struct kq_topic_spec *s,
                                      char *err, size_t errlen)
{
	char *name = xasprintf("%s%s", prefix, s->name);
	rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(name, s->partitions, s->replication_factor,
	                                                err, errlen);

	free(name);
	for (int i = 0; nt != NULL && s->configs[i] != NULL; i += 2)
		if (rd_kafka_NewTopic_set_config(nt, s->configs[i], s->configs[i + 1]) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR) {
			snprintf(err, errlen, "%s: bad config %s", s->name, s->configs[i]);
			rd_kafka_NewTopic_destroy(nt);
			nt = NULL;
		}
	return nt;
}

/* Checks each created topic's result: created or already there is fine. */
static int create_result(rd_kafka_event_t *ev, char *err, size_t errlen)
{
	const rd_kafka_CreateTopics_result_t *res = rd_kafka_event_CreateTopics_result(ev);
	const rd_kafka_topic_result_t **tr;
	size_t cnt = 0;

	if (res == NULL) {
		snprintf(err, errlen, "CreateTopics: unexpected answer");
		return -1;
	}
	tr = rd_kafka_CreateTopics_result_topics(res, &cnt);
	for (size_t i = 0; i < cnt; i++) {
		rd_kafka_resp_err_t e = rd_kafka_topic_result_error(tr[i]);
		if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
			snprintf(err, errlen, "%s: %s", rd_kafka_topic_result_name(tr[i]),
			         rd_kafka_topic_result_error_string(tr[i]));
			return -1;
		}
	}
	return 0;
}

/* Creates the specs flagged in missing[]; the number created, or -1. */
static int create_missing(rd_kafka_t *rk, const char *prefix, const struct kq_topic_spec *specs,
                          int n, const bool *missing, char *err, size_t errlen)
{
	rd_kafka_NewTopic_t **nt = xcalloc((size_t)n, sizeof(*nt));
	rd_kafka_AdminOptions_t *o;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	int cnt = 0, rc = -1;

	for (int i = 0; i < n; i++) {
		if (!missing[i])
			continue;
		if ((nt[cnt] = new_topic(prefix, &specs[i], err, errlen)) == NULL)
			goto done;
		cnt++;
	}
	if (cnt == 0) {
		rc = 0;
		goto done;
	}
	q = rd_kafka_queue_new(rk);
	o = admin_options(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
	rd_kafka_CreateTopics(rk, nt, (size_t)cnt, o, q);
	ev = admin_wait(q, "CreateTopics", err, errlen);
	if (ev != NULL) {
		rc = create_result(ev, err, errlen) == 0 ? cnt : -1;
		rd_kafka_event_destroy(ev);
	}
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
done:
	rd_kafka_NewTopic_destroy_array(nt, (size_t)cnt);
	free(nt);
	return rc;
}

/* The configs of one described topic compared with its spec; drifts counted. */
static int config_drift(const rd_kafka_ConfigResource_t *res, const struct kq_topic_spec *s,
                        kq_drift_cb drift, void *arg)
{
	const rd_kafka_ConfigEntry_t **entries;
	size_t cnt = 0;
	int found = 0;

	entries = rd_kafka_ConfigResource_configs(res, &cnt);
	for (int i = 0; s->configs[i] != NULL; i += 2) {
		const char *have = NULL;
		for (size_t e = 0; e < cnt; e++)
			if (strcmp(rd_kafka_ConfigEntry_name(entries[e]), s->configs[i]) == 0)
				have = rd_kafka_ConfigEntry_value(entries[e]);
		if (have != NULL && strcmp(have, s->configs[i + 1]) == 0)
			continue;
		found++;
		if (drift != NULL)
			drift(arg, s->name, s->configs[i], have ? have : "(unset)", s->configs[i + 1]);
	}
	return found;
}

/* Describes the configs of the existing specs (present[]) and reports
 * differences; their count, or -1 with err set. */
static int configs_compare(rd_kafka_t *rk, const char *prefix, const struct kq_topic_spec *specs,
                           int n, const bool *present, kq_drift_cb drift, void *arg,
                           char *err, size_t errlen)
{
	rd_kafka_ConfigResource_t **cr = xcalloc((size_t)n, sizeof(*cr));
	const rd_kafka_ConfigResource_t **out;
	rd_kafka_AdminOptions_t *o;
	rd_kafka_queue_t *q;
	rd_kafka_event_t *ev;
	size_t outn = 0;
	int cnt = 0, found = 0;

	for (int i = 0; i < n; i++) {
		char *name;
		if (!present[i] || specs[i].configs[0] == NULL)
			continue;
		name = xasprintf("%s%s", prefix, specs[i].name);
		cr[cnt++] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name);
		free(name);
	}
	if (cnt == 0) {
		free(cr);
		return 0;
	}
	q = rd_kafka_queue_new(rk);
	o = admin_options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
	rd_kafka_DescribeConfigs(rk, cr, (size_t)cnt, o, q);
	ev = admin_wait(q, "DescribeConfigs", err, errlen);
	if (ev == NULL) {
		found = -1;
		goto done;
	}
	out = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &outn);
	for (size_t r = 0; r < outn; r++) {
		const char *full = rd_kafka_ConfigResource_name(out[r]);
		for (int i = 0; i < n; i++) {
			char *name = xasprintf("%s%s", prefix, specs[i].name);
			bool same = strcmp(name, full) == 0;
			free(name);
			if (same && rd_kafka_ConfigResource_error(out[r]) == RD_KAFKA_RESP_ERR_NO_ERROR)
				found += config_drift(out[r], &specs[i], drift, arg);
		}
	}
	rd_kafka_event_destroy(ev);
done:
	rd_kafka_AdminOptions_destroy(o);
	rd_kafka_queue_destroy(q);
	rd_kafka_ConfigResource_destroy_array(cr, (size_t)cnt);
	free(cr);
	return found;
}

/* Partition count and replication factor of an existing topic vs its spec. */
static int layout_drift(const rd_kafka_metadata_topic_t *t, const struct kq_topic_spec *s,
                        kq_drift_cb drift, void *arg)
{
	char have[16], want[16];
	int found = 0, rf = md_replicas(t);

	if (t->partition_cnt != s->partitions) {
		found++;
		snprintf(have, sizeof(have), "%d", t->partition_cnt);
		snprintf(want, sizeof(want), "%d", s->partitions);
		if (drift != NULL)
			drift(arg, s->name, "partitions", have, want);
	}
	if (s->replication_factor > 0 && rf != s->replication_factor) {
		found++;
		snprintf(have, sizeof(have), "%d", rf);
		snprintf(want, sizeof(want), "%d", s->replication_factor);
		if (drift != NULL)
			drift(arg, s->name, "replication.factor", have, want);
	}
	return found;
}

/* Marks which specs exist (present) and which do not (missing); counts layout drift. */
static int survey(const rd_kafka_metadata_t *md, const char *prefix,
                  const struct kq_topic_spec *specs, int n, bool *present, bool *missing,
                  kq_drift_cb drift, void *arg)
{
	int found = 0;

	for (int i = 0; i < n; i++) {
		char *name = xasprintf("%s%s", prefix, specs[i].name);
		const rd_kafka_metadata_topic_t *t = md_topic(md, name);
		free(name);
		present[i] = t != NULL;
		missing[i] = t == NULL;
		if (t != NULL)
			found += layout_drift(t, &specs[i], drift, arg);
	}
	return found;
}

int kq_topics_ensure(const char *brokers, const char *prefix,
                     const struct kq_topic_spec *specs, int n,
                     kq_drift_cb drift, void *arg, int *created,
                     char *err, size_t errlen)
{
	const rd_kafka_metadata_t *md = NULL;
	bool *present = xcalloc((size_t)n + 1, sizeof(bool));
	bool *missing = xcalloc((size_t)n + 1, sizeof(bool));
	rd_kafka_resp_err_t e;
	rd_kafka_t *rk;
	int found = -1, made = 0, cfg;

	prefix = prefix ? prefix : "";
	if ((rk = admin_client(brokers, err, errlen)) == NULL)
		goto out;
	e = rd_kafka_metadata(rk, 1, NULL, &md, KQ_ADMIN_TIMEOUT_MS);
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
		snprintf(err, errlen, "metadata: %s", rd_kafka_err2str(e));
		goto done;
	}
	found = survey(md, prefix, specs, n, present, missing, drift, arg);
	if ((made = create_missing(rk, prefix, specs, n, missing, err, errlen)) < 0 ||
	    (cfg = configs_compare(rk, prefix, specs, n, present, drift, arg, err, errlen)) < 0) {
		found = -1;
		goto done;
	}
	found += cfg;
	if (created != NULL)
		*created = made;
done:
	if (md != NULL)
		rd_kafka_metadata_destroy(md);
	rd_kafka_destroy(rk);
out:
	free(present);
	free(missing);
	return found;
}

int kq_create_topics(const char *brokers, const char *prefix,
                     const char *const *topics, int partitions,
                     char *err, size_t errlen)
{
	struct kq_topic_spec *specs;
	int n = 0, rc;

	while (topics[n] != NULL)
		n++;
	specs = xcalloc((size_t)n + 1, sizeof(*specs));
	for (int i = 0; i < n; i++)
		kq_topic_defaults(topics[i], partitions, -1, &specs[i]);
	rc = kq_topics_ensure(brokers, prefix, specs, n, NULL, NULL, NULL, err, errlen);
	free(specs);
	return rc < 0 ? -1 : 0;
}
