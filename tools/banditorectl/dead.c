/* banditorectl dead list / dead replay: inspect and re-send dead-lettered jobs. */
#include "dead.h"

#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "ctl.h"
#include "db.h"
#include "events.h"
#include "kafka.h"
#include "phone.h"
#include "xmalloc.h"

/* One dead letter as read back. */
struct dead_letter {
	int32_t                     partition;
	int64_t                     offset;
	int64_t                     ts_ms;      /* when it was dead-lettered (broker time) */
	char                        reason[64];
	Banditore__V1__DeliveryJob *job;        /* NULL: undecodable */
};

/* Every dead letter, oldest first per partition. */
struct dead_set {
	struct dead_letter *v;
	size_t              n, cap;
};

void dead_key_reason(const void *key, size_t klen, char *out, size_t outlen)
{
	const char *colon = key ? memchr(key, ':', klen) : NULL;
	size_t n = colon ? (size_t)(colon - (const char *)key) : 0;

	if (colon == NULL || n == 0) {
		snprintf(out, outlen, "unknown");
		return;
	}
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, key, n);
	out[n] = '\0';
}

static void dead_set_free(struct dead_set *ds)
{
	for (size_t i = 0; i < ds->n; i++)
		if (ds->v[i].job != NULL)
			banditore__v1__delivery_job__free_unpacked(ds->v[i].job, NULL);
	free(ds->v);
	ds->v = NULL;
	ds->n = ds->cap = 0;
}

/* Keeps one message of delivery.dead (a kq_scan_cb; arg: the dead_set). */
static void dead_set_add(void *arg, const rd_kafka_message_t *msg)
{
	struct dead_set *ds = arg;
	struct dead_letter *dl;

	ds->v = xgrow(ds->v, ds->n, &ds->cap, sizeof(*ds->v));
	dl = &ds->v[ds->n++];
	memset(dl, 0, sizeof(*dl));
	dl->partition = msg->partition;
	dl->offset = msg->offset;
	dl->ts_ms = rd_kafka_message_timestamp(msg, NULL);
	dead_key_reason(msg->key, msg->key_len, dl->reason, sizeof(dl->reason));
	if (strcmp(dl->reason, "undecodable") != 0)
		dl->job = banditore__v1__delivery_job__unpack(NULL, msg->len, msg->payload);
}

/* Reads delivery.dead from the beginning to its end into ds. CTL_OK or CTL_FAIL. */
static int dead_read(struct dead_set *ds)
{
	char *topic = xasprintf("%s%s", ctl_cfg.topic_prefix, TOPIC_DELIVERY_DEAD);
	int rc = ctl_read_topic(topic, dead_set_add, ds);

	free(topic);
	return rc;
}

/* One dead letter as a JSON object (address redacted). */
static json_t *dead_json(const struct dead_letter *dl)
{
	const Banditore__V1__DeliveryJob *job = dl->job;
	char when[CTL_TIME_LEN], red[PHONE_MAX + 4];
	json_t *o;

	ctl_time_utc(dl->ts_ms, when);
	o = json_pack("{s:s, s:s, s:i, s:I}", "reason", dl->reason, "dead_at", when, "partition",
	              (int)dl->partition, "offset", (json_int_t)dl->offset);
	if (job == NULL)
		return o;
	json_object_set_new(o, "job_id", json_string(job->job_id));
	json_object_set_new(o, "kind", json_string(channel_kind_name(job->kind)));
	json_object_set_new(o, "sender", json_string(job->sender_account));
	json_object_set_new(o, "address", json_string(phone_redact(job->address, red)));
	json_object_set_new(o, "notice_id", json_string(job->notice_id));
	json_object_set_new(o, "attempts", json_integer(job->attempt));
	return o;
}

/* Prints one dead letter as a text line. */
static void dead_print(const struct dead_letter *dl)
{
	const Banditore__V1__DeliveryJob *job = dl->job;
	char when[CTL_TIME_LEN], red[PHONE_MAX + 4];

	ctl_time_utc(dl->ts_ms, when);
	if (job == NULL) {
		fprintf(ctl_out, "%-40s %-20s %s (partition %d offset %" PRId64 ")\n", "(undecodable)",
		        dl->reason, when, (int)dl->partition, dl->offset);
		return;
	}
	fprintf(ctl_out, "%-40s %-20s %s sender %s to %s, %u attempt(s)\n", job->job_id, dl->reason,
	        when, job->sender_account, phone_redact(job->address, red), job->attempt);
}

int ctl_dead_list(int argc, char **argv)
{
	struct dead_set ds = { 0 };
	long limit = 0;
	bool as_json = ctl_format == CTL_FORMAT_JSON;   /* -o json, --json: taken by main */
	size_t n;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
			if (ctl_parse_long(argv[++i], 1, 100000000, &limit) != 0)
				return ctl_usage("--limit wants a number from 1");
			else
				continue;
		else
			return ctl_usage("unexpected argument \"%s\"", argv[i]);
	}
	if ((rc = dead_read(&ds)) != CTL_OK)
		return rc;
	n = limit > 0 && (size_t)limit < ds.n ? (size_t)limit : ds.n;
	if (as_json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, dead_json(&ds.v[i]));
		json_dumpf(arr, ctl_out, JSON_INDENT(2));
		fputc('\n', ctl_out);
		json_decref(arr);
	} else {
		for (size_t i = 0; i < n; i++)
			dead_print(&ds.v[i]);
		fprintf(stderr, "%zu dead letter(s)%s\n", ds.n, n < ds.n ? ", the oldest shown" : "");
	}
	dead_set_free(&ds);
	return CTL_OK;
}

/* true if an earlier dead letter than i has the same job id (replayed once per job). */
static bool dead_seen(const struct dead_set *ds, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (ds->v[j].job != NULL && strcmp(ds->v[j].job->job_id, ds->v[i].job->job_id) == 0)
			return true;
	return false;
}

/* 1 if the job is a subscriber's who was erased (or whose row is gone),
 * 0 if not (or it names none), -1 on failure. Such a job is not replayed:
 * whatever it is (a goodbye, a confirmation asks no consent check), it
 * would reach someone who asked to be forgotten. */
static int dead_erased(struct db *db, const Banditore__V1__DeliveryJob *job)
{
	char id[24];
	const char *params[1] = { id };
	PGresult *res;
	int live;

	if (job->subscriber_id <= 0)
		return 0;
	snprintf(id, sizeof(id), "%lld", (long long)job->subscriber_id);
	res = db_exec(db, "SELECT 1 FROM subscribers WHERE id = $1::bigint AND status <> 'erased'",
	              1, params);
	if (res == NULL) {
		ctl_fail("job %s: cannot read its subscriber", job->job_id);
		return -1;
	}
	live = PQntuples(res);
	PQclear(res);
	return live == 0;
}

/* Forgets the job's 'dead' ledger row and re-produces it, attempts reset. 0 or -1. */
static int dead_replay_one(struct db *db, struct kq_producer *kp, struct kq_batch *b,
                           const Banditore__V1__DeliveryJob *dead)
{
	Banditore__V1__DeliveryJob job = *dead;
	const char *params[1] = { dead->job_id };
	size_t len;
	void *val;
	int rc;

	if (db_cmd(db, "DELETE FROM deliveries WHERE job_id = $1 AND status = 'dead'", 1,
	           params) != 0) {
		ctl_fail("job %s: cannot update the deliveries ledger", dead->job_id);
		return -1;
	}
	job.attempt = 0;
	job.not_before_ms = 0;
	job.first_attempt_ms = 0;
	val = event_pack(&job.base, &len);
	/* An urgent notice's job goes back to the urgent lane. */
	rc = kq_batch_produce(kp, b, job.urgent ? TOPIC_DELIVERY_URGENT : TOPIC_DELIVERY_JOBS,
	                      job.sender_account,
	                      strlen(job.sender_account), val, len);
	free(val);
	return rc;
}

int dead_replay_args(int argc, char **argv, struct dead_replay_args *a)
{
	static const struct option opts[] = {
		{ "job", required_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "notice", required_argument, NULL, 'n' },
		{ "comune", required_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': a->job_id = optarg; break;
		case 'a': a->all = true; break;
		case 'c': a->comune = optarg; break;
		case 'd': a->dry_run = true; break;
		case 'n':
			if (!uuid_parse(optarg, a->notice))
				return ctl_usage("--notice takes a notice id (a UUID)");
			break;
		case 's':
			if (ctl_parse_time(optarg, &a->since_ms) != 0)
				return ctl_usage("--since takes a UTC time: 2026-11-23 or 2026-11-23T10:00");
			break;
		default: return CTL_USAGE;
		}
	}
	if (optind != argc)
		return ctl_usage("unexpected argument \"%s\"", argv[optind]);
	bool filtered = a->notice[0] != '\0' || a->comune != NULL || a->since_ms != 0;
	if (a->job_id != NULL && (a->job_id[0] == '\0' || a->all || filtered))
		return ctl_usage("--job ID names one job: not with --all, --notice, --comune or --since");
	if (a->job_id == NULL && !a->all && !filtered)
		return ctl_usage("say which: --job ID, --all, or --notice/--comune/--since");
	if (a->comune != NULL && a->comune[0] == '\0')
		return ctl_usage("--comune takes a comune id");
	return CTL_OK;
}

bool dead_match(const struct dead_replay_args *a, const Banditore__V1__DeliveryJob *job,
                int64_t dead_ms)
{
	const char *comune = job->meta != NULL && job->meta->comune_id != NULL
	                         ? job->meta->comune_id : "";

	if (a->job_id != NULL)
		return strcmp(job->job_id, a->job_id) == 0;
	if (a->notice[0] != '\0' && strcmp(job->notice_id, a->notice) != 0)
		return false;
	if (a->comune != NULL && strcmp(comune, a->comune) != 0)
		return false;
	return dead_ms >= a->since_ms;
}

/* Counts of a replay. */
struct dead_counts {
	size_t n, urgent, skipped, erased;
};

/* Says what the replay did (or, dry, would do). */
static void dead_replay_report(const struct dead_replay_args *a, const struct dead_counts *k)
{
	fprintf(ctl_out, "%s %zu job(s): %zu to %s%s, %zu to %s%s\n",
	        a->dry_run ? "would replay" : "replayed", k->n, k->n - k->urgent,
	        ctl_cfg.topic_prefix, TOPIC_DELIVERY_JOBS, k->urgent, ctl_cfg.topic_prefix,
	        TOPIC_DELIVERY_URGENT);
	if (k->skipped > 0)
		fprintf(stderr, "%zu undecodable dead letter(s) left alone: nothing to replay\n",
		        k->skipped);
	if (k->erased > 0)
		fprintf(ctl_out, "%zu job(s) of erased subscribers not replayed\n", k->erased);
	if (a->dry_run)
		fprintf(stderr, "banditorectl: dry run: nothing was changed\n");
}

/* Replays the dead jobs a chooses (a->dry_run: prints them); prints how many. */
static int dead_replay_set(const struct dead_set *ds, const struct dead_replay_args *a)
{
	char err[512];
	struct kq_producer *kp = NULL;
	struct kq_batch b;
	struct db *db = NULL;
	struct dead_counts k = { 0 };
	int rc = CTL_FAIL, gone;

	if ((db = ctl_db()) == NULL)
		return CTL_FAIL;
	kq_batch_init(&b);
	if (!a->dry_run) {
		kp = kq_producer_new(ctl_cfg.kafka_brokers, ctl_cfg.topic_prefix, NULL, err,
		                     sizeof(err));
		if (kp == NULL) {
			ctl_fail("kafka: %s", err);
			goto done;
		}
	}
	for (size_t i = 0; i < ds->n; i++) {
		const Banditore__V1__DeliveryJob *job = ds->v[i].job;
		if (job == NULL) {
			k.skipped += a->job_id == NULL;
			continue;
		}
		if (!dead_match(a, job, ds->v[i].ts_ms) || dead_seen(ds, i))
			continue;
		if ((gone = dead_erased(db, job)) < 0)
			break;
		if (gone) {
			k.erased++;
			continue;
		}
		if (a->dry_run)
			dead_print(&ds->v[i]);
		else if (dead_replay_one(db, kp, &b, job) != 0)
			break;
		k.n++;
		k.urgent += job->urgent;
	}
	if (!a->dry_run && kq_batch_wait(kp, &b) != 0) {
		ctl_fail("Kafka did not acknowledge every replayed job");
		goto done;
	}
	if (a->job_id != NULL && k.n == 0 && k.erased == 0) {
		ctl_fail("no dead letter for job %s", a->job_id);
		goto done;
	}
	dead_replay_report(a, &k);
	rc = CTL_OK;
done:
	kq_producer_free(kp, 10000);
	db_free(db);
	return rc;
}

int ctl_dead_replay(int argc, char **argv)
{
	struct dead_set ds = { 0 };
	struct dead_replay_args a;
	int rc = dead_replay_args(argc, argv, &a);

	if (rc != CTL_OK)
		return rc;
	if ((rc = dead_read(&ds)) != CTL_OK)
		return rc;
	rc = dead_replay_set(&ds, &a);
	dead_set_free(&ds);
	return rc;
}
