/*
 * `banditorectl topics` creates every Banditore topic that is missing
 * (with the stack's prefix) and reports how the existing ones differ from
 * what they should be (kafka_topics.h: partitions, replication factor,
 * configs); it never changes an existing topic.
 *
 *   topics [--partitions N] [--replication-factor N] [--min-insync-replicas N]
 *          [--retention TOPIC=DURATION]... [--check] | --list
 *
 * --replication-factor: -1 (default) takes the broker's
 * default.replication.factor; --min-insync-replicas sets the topic config
 * (default: the broker's). --retention sets retention.ms of one topic
 * (name without prefix; DURATION 90d, 12h, 30m, 45s, 500ms or "forever");
 * the defaults keep delivery.dead and quarantine 30 days and compact
 * consent.changes. Drift goes to stdout, one line per difference:
 * "drift<TAB>topic<TAB>what<TAB>have<TAB>want"; --check makes drift exit 3.
 *
 * `banditorectl ping` asks the broker for metadata: the readiness probe
 * of scripts/stack.sh. Both take the BND_KAFKA_PROP_* properties
 * (kafka_props.h) like the services.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "kafka.h"
#include "xmalloc.h"

#define KADMIN_DRIFT 3      /* exit status of --check when something differs */
#define KADMIN_MAX_RETENTION 16

const char *const ctl_kafka_topics[] = {
	TOPIC_CITIZEN_MESSAGES, TOPIC_DELIVERY_STATUS, TOPIC_NOTICE_EVENTS,
	TOPIC_CONSENT_CHANGES, TOPIC_DELIVERY_JOBS, TOPIC_DELIVERY_URGENT,
	TOPIC_DELIVERY_RETRY, TOPIC_DELIVERY_PARKED, TOPIC_DELIVERY_DEAD, TOPIC_DELIVERY_OUTCOMES,
	TOPIC_QUARANTINE, NULL,
};
#define KADMIN_N ((int)(sizeof(ctl_kafka_topics) / sizeof(ctl_kafka_topics[0]) - 1))

/* What the command line asked for. */
struct kadmin_opts {
	long partitions, rf, min_isr;            /* min_isr 0: broker default */
	bool list, check;
	int n_ret;
	const char *ret_topic[KADMIN_MAX_RETENTION];
	char ret_ms[KADMIN_MAX_RETENTION][24];
	char min_isr_s[24];
};

/* The cluster's metadata (kq_metadata); NULL (message printed) on failure. */
static const rd_kafka_metadata_t *kadmin_metadata(int timeout_ms)
{
	char err[512];
	const rd_kafka_metadata_t *md = kq_metadata(ctl_cfg.kafka_brokers, timeout_ms,
	                                            err, sizeof(err));

	if (md == NULL)
		ctl_fail("%s", err);
	return md;
}

/* Prints "name<TAB>partitions<TAB>replicas" for every topic under our prefix. */
static int kadmin_list(void)
{
	size_t plen = strlen(ctl_cfg.topic_prefix);
	const rd_kafka_metadata_t *md = kadmin_metadata(CTL_KAFKA_TIMEOUT_MS);

	if (md == NULL)
		return CTL_FAIL;
	for (int i = 0; i < md->topic_cnt; i++) {
		const rd_kafka_metadata_topic_t *t = &md->topics[i];
		if (t->topic[0] == '_' || strncmp(t->topic, ctl_cfg.topic_prefix, plen) != 0)
			continue;
		fprintf(ctl_out, "%s\t%d\t%d\n", t->topic, t->partition_cnt,
		        t->partition_cnt > 0 ? t->partitions[0].replica_cnt : 0);
	}
	rd_kafka_metadata_destroy(md);
	return CTL_OK;
}

/*
 * A duration ("90d", "12h", "30m", "45s", "500ms", "forever") as
 * retention.ms text into out; 0 or -1.
 */
static int kadmin_duration_ms(const char *s, char *out, size_t outlen)
{
	static const struct { const char *unit; long long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
	};
	char *end;
	long long n;

	if (strcmp(s, "forever") == 0) {
		snprintf(out, outlen, "-1");
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	n = strtoll(s, &end, 10);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) != 0)
			continue;
		if (n < 1 || n > 100LL * 365 * 86400000 / units[i].ms)
			return -1;
		snprintf(out, outlen, "%lld", n * units[i].ms);
		return 0;
	}
	return -1;
}

/* True if name is one of our topics. */
static bool kadmin_known(const char *name)
{
	for (int i = 0; i < KADMIN_N; i++)
		if (strcmp(ctl_kafka_topics[i], name) == 0)
			return true;
	return false;
}

/* --retention TOPIC=DURATION into o; CTL_OK or CTL_USAGE. */
static int kadmin_opt_retention(struct kadmin_opts *o, char *arg)
{
	char *eq = strchr(arg, '=');

	if (eq == NULL)
		return ctl_usage("--retention wants TOPIC=DURATION, e.g. delivery.dead=90d");
	*eq = '\0';
	if (!kadmin_known(arg))
		return ctl_usage("--retention: \"%s\" is not a Banditore topic (name it without prefix)", arg);
	if (o->n_ret == KADMIN_MAX_RETENTION)
		return ctl_usage("--retention: at most %d", KADMIN_MAX_RETENTION);
	if (kadmin_duration_ms(eq + 1, o->ret_ms[o->n_ret], sizeof(o->ret_ms[0])) != 0)
		return ctl_usage("--retention %s: \"%s\" is not a duration (90d, 12h, 30m, 45s, 500ms, forever)",
		                 arg, eq + 1);
	o->ret_topic[o->n_ret++] = arg;
	return CTL_OK;
}

/* Parses the command line into o; CTL_OK or CTL_USAGE. */
static int kadmin_parse(int argc, char **argv, struct kadmin_opts *o)
{
	static const struct option opts[] = {
		{ "partitions", required_argument, NULL, 'p' },
		{ "replication-factor", required_argument, NULL, 'r' },
		{ "min-insync-replicas", required_argument, NULL, 'i' },
		{ "retention", required_argument, NULL, 't' },
		{ "check", no_argument, NULL, 'c' },
		{ "list", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = CTL_OK;

	memset(o, 0, sizeof(*o));
	o->partitions = 4;
	o->rf = -1;
	optind = 0;
	while (rc == CTL_OK && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': o->list = true; break;
		case 'c': o->check = true; break;
		case 't': rc = kadmin_opt_retention(o, optarg); break;
		case 'p':
			if (ctl_parse_long(optarg, 1, 1000, &o->partitions) != 0)
				rc = ctl_usage("--partitions must be from 1 to 1000");
			break;
		case 'r':
			if (ctl_parse_long(optarg, -1, 32, &o->rf) != 0 || o->rf == 0)
				rc = ctl_usage("--replication-factor must be -1 (the broker's default) or 1 to 32");
			break;
		case 'i':
			if (ctl_parse_long(optarg, 1, 32, &o->min_isr) != 0)
				rc = ctl_usage("--min-insync-replicas must be from 1 to 32");
			break;
		default: rc = CTL_USAGE; break;
		}
	}
	if (rc == CTL_OK && optind != argc)
		rc = ctl_usage("unexpected argument \"%s\"", argv[optind]);
	if (rc == CTL_OK && o->rf > 0 && o->min_isr > o->rf)
		rc = ctl_usage("--min-insync-replicas %ld > --replication-factor %ld: every acks=all "
		               "write would fail", o->min_isr, o->rf);
	return rc;
}

/* Fills specs[] from the defaults and the options. CTL_OK or CTL_FAIL. */
static int kadmin_specs(struct kadmin_opts *o, struct kq_topic_spec *specs)
{
	if (o->min_isr > 0)
		snprintf(o->min_isr_s, sizeof(o->min_isr_s), "%ld", o->min_isr);
	for (int i = 0; i < KADMIN_N; i++) {
		kq_topic_defaults(ctl_kafka_topics[i], (int)o->partitions, (int)o->rf, &specs[i]);
		if (o->min_isr > 0 &&
		    kq_topic_config(&specs[i], "min.insync.replicas", o->min_isr_s) != 0)
			return ctl_fail("%s: too many configs", ctl_kafka_topics[i]);
		for (int r = 0; r < o->n_ret; r++)
			if (strcmp(o->ret_topic[r], ctl_kafka_topics[i]) == 0 &&
			    kq_topic_config(&specs[i], "retention.ms", o->ret_ms[r]) != 0)
				return ctl_fail("%s: too many configs", ctl_kafka_topics[i]);
	}
	return CTL_OK;
}

/* One difference, as a line on stdout. */
static void kadmin_drift(void *arg, const char *topic, const char *what,
                         const char *have, const char *want)
{
	(void)arg;
	fprintf(ctl_out, "drift\t%s%s\t%s\t%s\t%s\n", ctl_cfg.topic_prefix, topic, what, have, want);
}

int ctl_topics(int argc, char **argv)
{
	struct kq_topic_spec specs[KADMIN_N];
	struct kadmin_opts o;
	char err[512];
	int rc, drift, created = 0;

	if ((rc = kadmin_parse(argc, argv, &o)) != CTL_OK)
		return rc;
	if (o.list)
		return kadmin_list();
	if ((rc = kadmin_specs(&o, specs)) != CTL_OK)
		return rc;
	drift = kq_topics_ensure(ctl_cfg.kafka_brokers, ctl_cfg.topic_prefix, specs, KADMIN_N,
	                         kadmin_drift, NULL, &created, err, sizeof(err));
	if (drift < 0)
		return ctl_fail("topics: %s", err);
	fprintf(stderr, "banditorectl: %d topics ready (prefix \"%s\"): %d created with %ld "
	        "partitions, replication factor %s; %d difference(s) on existing ones%s\n",
	        KADMIN_N, ctl_cfg.topic_prefix, created, o.partitions,
	        o.rf > 0 ? "as asked" : "the broker's default", drift,
	        drift > 0 ? " (listed on stdout; existing topics are never changed)" : "");
	if (drift > 0 && o.check)
		return KADMIN_DRIFT;
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
	md = kadmin_metadata((int)timeout_ms);
	if (md == NULL)
		return CTL_FAIL;
	fprintf(ctl_out, "ok: %d broker(s), answered by broker %d\n", md->broker_cnt, md->orig_broker_id);
	rd_kafka_metadata_destroy(md);
	return CTL_OK;
}
